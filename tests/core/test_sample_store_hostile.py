"""Hostile sample files and lists: each costs itself, never the other samples."""

from __future__ import annotations

import os

from digitpad.core.drawing import Drawing
from digitpad.core.handwriting import HandwritingStore
from tests.support.digits import drawing_dict, write_json


def a_drawing(offset: float = 0.0) -> Drawing:
    return Drawing(400, 400, (((100 + offset, 100), (120, 300), (130.5, 310)),))


def test_a_sample_with_points_of_three_and_one_values_is_skipped(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    kept = store.add(a_drawing(), 4)
    # six values for three points: a count of values alone took it for well-formed
    strokes = [[[1, 2, 3], [4, 5]], [[6]]]
    write_json(
        tmp_path / "beef.json",
        {
            "format": "digitpad-sample",
            "id": "beef",
            "label": 3,
            **drawing_dict(strokes),
        },
    )
    samples, problems = store.load()
    assert [s.id for s in samples] == [kept.id]
    assert [os.path.basename(p.source) for p in problems] == ["beef.json"]
    assert "not [x, y]" in problems[0].reason
