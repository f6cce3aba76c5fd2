"""Designer edits as pure functions: new specs, live problems, nothing raised."""

from __future__ import annotations

from digitpad.core.networks import editing
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import layer_names


def test_edits_return_new_specs_and_analyze_follows_them() -> None:
    start = PRESETS["tutorial"].spec
    wider = editing.set_argument(start, 0, "filters", 8)
    assert start.layers[0].args["filters"] == 32  # the old spec is untouched (undo)
    assert analyze(wider).rows[0].params == 3 * 3 * 8 + 8

    big_kernel = editing.set_argument(wider, 4, "kernel_size", 7)  # conv3 on 5x5 maps
    problems = analyze(big_kernel).problems
    assert [p.layer_index for p in problems] == [4]
    assert str(problems[0]).startswith("conv3: the maps are 5x5 here, a 7x7 kernel")
    fixed = editing.set_argument(big_kernel, 4, "padding", "same")
    assert analyze(fixed).ok and analyze(fixed).rows[4].output_shape == (5, 5, 64)

    no_pool = editing.remove_layer(editing.remove_layer(start, 3), 1)
    assert layer_names(no_pool)[:3] == ["conv1", "conv2", "conv3"]
    assert analyze(no_pool).rows[2].output_shape == (22, 22, 64)


def test_palette_duplicate_move_and_rename() -> None:
    spec = editing.insert_layer(PRESETS["lenet5"].spec, 1, editing.new_layer("Dropout"))
    assert analyze(spec).ok and spec.layers[1].args == {"rate": 0.25}
    named = editing.rename_layer(spec, 0, "c1")
    twice = editing.duplicate_layer(named, 0)
    assert [layer.name for layer in twice.layers[:2]] == ["c1", None]
    moved = editing.move_layer(twice, 0, 3)
    assert [layer.type for layer in moved.layers[:4]] == [
        "Conv2D",
        "Dropout",
        "AveragePooling2D",
        "Conv2D",
    ]
    for kind in ("Conv2D", "ResidualBlock", "InceptionBlock", "AveragePooling2D"):
        layer = editing.new_layer(kind)
        assert analyze(editing.insert_layer(spec, 0, layer)).ok, kind
