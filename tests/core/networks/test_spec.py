"""Network specs as untrusted data: round trips, names, and one clear line per mistake.

No TensorFlow here: parsing, naming and shapes are plain Python (the Keras comparisons
are in test_specs_vs_keras.py).
"""

from __future__ import annotations

import json
import os
import random

import pytest

from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.schema import LAYER_ARGS
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import (
    LayerSpec,
    NetworkSpec,
    SpecError,
    layer_names,
    parse_spec,
    read_spec_file,
    spec_to_dict,
)
from tests.support.random_specs import random_invalid_spec, random_valid_spec


def test_every_preset_and_random_spec_survives_a_json_round_trip() -> None:
    rng = random.Random(7)
    specs = [preset.spec for preset in PRESETS.values()]
    specs += [parse_spec(random_valid_spec(rng, i)) for i in range(50)]
    for spec in specs:
        text = json.dumps(spec_to_dict(spec))
        assert parse_spec(json.loads(text)) == spec
        assert spec_to_dict(parse_spec(json.loads(text))) == json.loads(text)


def test_a_tutorial_file_reads_like_keras() -> None:
    data = {
        "name": "mine",
        "layers": [
            {"type": "Conv2D", "filters": 8, "kernel_size": [3, 5], "padding": "same"},
            {"type": "MaxPooling2D"},
            {"type": "Dense", "units": 10, "name": "hidden"},
        ],
    }
    with pytest.raises(SpecError, match="hidden: the input still has maps"):
        parse_spec(data)
    data["layers"].insert(2, {"type": "Flatten"})
    spec = parse_spec(data)
    assert spec.layers[0] == LayerSpec(
        "Conv2D", {"filters": 8, "kernel_size": (3, 5), "padding": "same"}
    )
    rows = analyze(spec).rows
    assert [row.name for row in rows] == [
        "conv1",
        "pool1",
        "flatten",
        "hidden",
        "softmax",
    ]
    assert rows[0].output_shape == (28, 28, 8)
    assert rows[1].output_shape == (14, 14, 8)  # strides default to the pool size
    assert rows[0].params == 3 * 5 * 1 * 8 + 8


def test_derived_names_follow_the_presets_and_skip_given_ones() -> None:
    spec = NetworkSpec(
        "n",
        (
            LayerSpec("Conv2D", {"filters": 4, "kernel_size": 3}),
            LayerSpec("Conv2D", {"filters": 4, "kernel_size": 3}, "conv2"),
            LayerSpec("Conv2D", {"filters": 4, "kernel_size": 3}),
            LayerSpec("ResidualBlock", {"filters": 4}),
            LayerSpec("Flatten"),
            LayerSpec("Dense", {"units": 5}),
            LayerSpec("Dense", {"units": 5}),
        ),
    )
    assert layer_names(spec) == [
        "conv1",
        "conv2",
        "conv3",
        "res1",
        "flatten",
        "dense",
        "dense2",
    ]


def test_a_flatten_is_added_and_marked_when_maps_reach_the_output() -> None:
    spec = parse_spec(
        {"name": "n", "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3}]}
    )
    rows = analyze(spec).rows
    assert [(row.name, row.added) for row in rows] == [
        ("conv1", False),
        ("flatten", True),
        ("softmax", True),
    ]
    assert rows[1].output_shape == (26 * 26 * 2,)
    assert rows[2].params == 26 * 26 * 2 * 10 + 10


def test_the_issue_example_kernel_too_large() -> None:
    layers = [
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"},
        {"type": "MaxPooling2D"},
        {"type": "MaxPooling2D"},
        {"type": "MaxPooling2D"},  # 28 -> 14 -> 7 -> 3
        {"type": "Conv2D", "filters": 8, "kernel_size": 3, "padding": "same"},
        {"type": "Conv2D", "filters": 8, "kernel_size": 5},
    ]
    with pytest.raises(SpecError) as caught:
        parse_spec({"name": "n", "layers": layers})
    assert str(caught.value) == (
        "conv3: the maps are 3x3 here, a 5x5 kernel without padding does not fit; "
        "use padding 'same' or a smaller kernel"
    )
    assert caught.value.layer_index == 5


def test_random_invalid_specs_each_give_one_line_at_the_broken_layer() -> None:
    rng = random.Random(11)
    for i in range(100):
        broken = random_invalid_spec(rng, i)
        with pytest.raises(SpecError) as caught:
            parse_spec(broken.data)
        message = str(caught.value)
        assert message and "\n" not in message and len(message) < 400, message
        assert caught.value.layer_index == broken.layer_index, (broken.defect, message)
        if broken.layer_index is not None:
            assert message.startswith(
                _labels(broken.data["layers"], broken.layer_index)
            )


def _labels(layers: list[dict], index: int) -> tuple[str, str]:
    """What an error at ``layers[index]`` may start with: its position, or the name
    the layer has (given, or derived as analyze derives it)."""
    stand_ins = []
    for layer in layers:
        kind = layer.get("type") if layer.get("type") in LAYER_ARGS else "Dropout"
        name = layer.get("name")
        stand_ins.append(LayerSpec(kind, {}, name if isinstance(name, str) else None))
    return f"layer {index + 1}", layer_names(NetworkSpec("x", tuple(stand_ins)))[index]


def test_analyze_turns_every_impossible_edit_into_a_problem_and_goes_on() -> None:
    spec = NetworkSpec(
        "draft",
        (
            LayerSpec("Conv2D", {"filters": 0, "kernel_size": 3}),  # bad value
            LayerSpec("Conv2D", {"filters": 4, "kernel_size": 3}),
            LayerSpec("Flatten"),
            LayerSpec("MaxPooling2D"),  # after Flatten
            LayerSpec("Lambda", {"function": "os.system"}),  # never evaluated
        ),
    )
    analysis = analyze(spec)
    assert [p.layer_index for p in analysis.problems] == [0, 3, 4]
    assert analysis.rows[1].output_shape == (26, 26, 4)  # as if conv1 were not there
    assert analysis.rows[-1].name == "softmax"
    assert str(analysis.problems[1]).startswith(
        "pool1: the input here is a flat vector"
    )


def test_a_spec_file_is_read_bounded_and_must_be_json(tmp_path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (2 * 1024 * 1024))
    with pytest.raises(SpecError, match="too large"):
        read_spec_file(big)
    (tmp_path / "text.json").write_text("layers: [conv]")
    with pytest.raises(SpecError, match=r"text\.json: not valid JSON"):
        read_spec_file(tmp_path / "text.json")
    with pytest.raises(SpecError, match="cannot read"):
        read_spec_file(tmp_path / "missing.json")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.json")
        with pytest.raises(SpecError, match="pipe"):
            read_spec_file(tmp_path / "pipe.json")


def test_limits_are_checked_before_anything_is_built() -> None:
    wide = {
        "name": "wide",
        "layers": [
            {"type": "Conv2D", "filters": 256, "kernel_size": 3, "padding": "same"}
        ]
        * 3,
    }
    with pytest.raises(SpecError, match="multiply-adds per image"):
        parse_spec(wide)
    many = {"name": "many", "layers": [{"type": "ReLU"}] * 65}
    with pytest.raises(SpecError, match="65 layers; at most 64"):
        parse_spec(many)


def test_estimates_grow_with_the_work() -> None:
    small, large = analyze(PRESETS["lenet5"].spec), analyze(PRESETS["vgg"].spec)
    assert 0 < small.epoch_seconds() < large.epoch_seconds()
    assert small.epoch_seconds(27_000) == pytest.approx(small.epoch_seconds() / 2)
