"""The volume diagram's geometry: boxes shrink with the maps, deepen with channels."""

from __future__ import annotations

import itertools

from digitpad.core.networks.diagram import diagram
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import parse_spec, parse_structure


def test_lenet_shrinks_and_deepens_then_turns_flat():
    picture = diagram(analyze(PRESETS["lenet5"].spec))
    labels = [v.label for v in picture.volumes]
    assert labels == [
        "28x28x1",
        "28x28x6",
        "14x14x6",
        "10x10x16",
        "5x5x16",
        "400",
        "120",
        "84",
        "10",
    ]
    maps = [v for v in picture.volumes if not v.flat]
    faces = [v.face for v in maps]
    assert faces == sorted(faces, reverse=True) and faces[0] == 1.0
    assert maps[3].depth > maps[1].depth > maps[0].depth  # 16 > 6 > 1 channels
    flat = [v for v in picture.volumes if v.flat]
    assert [v.face for v in flat] == sorted((v.face for v in flat), reverse=True)
    assert picture.volumes[0].added and picture.volumes[-1].added


def test_boxes_stand_in_a_row_without_overlapping():
    for preset in PRESETS.values():
        volumes = diagram(analyze(preset.spec)).volumes
        for left, right in itertools.pairwise(volumes):
            assert right.x > left.right
        assert all(0 < v.face <= 1 for v in volumes)


def test_layers_that_keep_the_shape_add_no_box():
    spec = parse_spec(
        {
            "name": "keeps",
            "layers": [
                {"type": "Conv2D", "filters": 8, "kernel_size": 3},
                {"type": "BatchNormalization"},
                {"type": "ReLU"},
                {"type": "Dropout", "rate": 0.2},
            ],
        }
    )
    labels = [v.label for v in diagram(analyze(spec)).volumes]
    assert labels == ["28x28x1", "26x26x8", "5408", "10"]  # the Flatten is added


def test_an_impossible_layer_is_passed_over():
    spec = parse_structure(
        {
            "name": "too far",
            "layers": [
                {"type": "MaxPooling2D", "pool_size": 4},
                {"type": "MaxPooling2D", "pool_size": 4},
                {"type": "Conv2D", "filters": 4, "kernel_size": 3},  # 1x1 maps
                {"type": "Dense", "units": 5},  # maps: needs a Flatten
            ],
        }
    )
    analysis = analyze(spec)
    assert [p.layer_index for p in analysis.problems] == [2, 3]
    labels = [v.label for v in diagram(analysis).volumes]
    assert labels == ["28x28x1", "7x7x1", "1x1x1", "1", "10"]
