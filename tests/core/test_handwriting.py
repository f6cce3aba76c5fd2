"""The user's samples survive corrupt files and failed writes; import/export works."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

from digitpad.core.drawing import Drawing
from digitpad.core.errors import InputError
from digitpad.core.handwriting import (
    HandwritingStore,
    counts_by_digit,
    group_by_digit,
    misread,
    missing_digits,
)
from digitpad.core.labelled import read_labelled_list
from tests.conftest import drawing_dict, ellipse_stroke, write_json


def a_drawing(offset: float = 0.0) -> Drawing:
    return Drawing(400, 400, (((100 + offset, 100), (120, 300), (130.5, 310)),))


def test_add_relabel_delete_and_group(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    seven = store.add(a_drawing(), 7)
    one = store.add(a_drawing(5), 1)
    store.relabel(one, 4)
    samples, problems = store.load()
    assert problems == []
    assert [(s.id, s.label) for s in samples] == [(seven.id, 7), (one.id, 4)]
    assert samples[0].drawing.strokes == seven.drawing.strokes
    assert counts_by_digit(samples)[4] == 1 and counts_by_digit(samples)[1] == 0
    assert [s.id for s in group_by_digit(samples)[7]] == [seven.id]
    store.delete(seven.id)
    assert [s.id for s in store.load()[0]] == [one.id]
    assert missing_digits([s.label for s in store.load()[0]]) == [
        0,
        1,
        2,
        3,
        5,
        6,
        7,
        8,
        9,
    ]


def test_a_corrupt_or_foreign_file_is_reported_and_the_others_load(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    kept = [store.add(a_drawing(i), i % 10) for i in range(3)]
    (tmp_path / "0123abcd.json").write_text('{"format": "digitpad-sample", "id": "01')
    write_json(tmp_path / "feed.json", {"hello": "world"})
    write_json(
        tmp_path / "abc.json",
        {"format": "digitpad-sample", "id": "abc", **drawing_dict([[[1, 2]]])},
    )  # no label
    samples, problems = store.load()
    assert [s.id for s in samples] == [s.id for s in kept]
    reasons = {os.path.basename(p.source): p.reason for p in problems}
    assert set(reasons) == {"0123abcd.json", "feed.json", "abc.json"}
    assert "label" in reasons["abc.json"]
    assert "not a DigitPad sample" in reasons["feed.json"]


def test_a_failed_write_keeps_the_old_sample_and_leaves_no_temp_file(
    tmp_path, monkeypatch
) -> None:
    store = HandwritingStore(tmp_path)
    sample = store.add(a_drawing(), 3)

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(InputError, match="could not save"):
        store.relabel(sample, 8)
    with pytest.raises(InputError, match="could not save"):
        store.add(a_drawing(9), 5)
    monkeypatch.undo()
    samples, problems = store.load()
    assert [(s.id, s.label) for s in samples] == [(sample.id, 3)]
    assert problems == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{sample.id}.json"]


def test_export_then_import_round_trips_and_skips_duplicates(tmp_path) -> None:
    store = HandwritingStore(tmp_path / "a")
    for digit in range(10):
        store.add(a_drawing(digit), digit)
    exported = tmp_path / "mine.json"
    assert store.export(exported) == 10
    pairs, problems = read_labelled_list(exported)
    assert [label for _, label in pairs] == list(range(10)) and problems == []

    other = HandwritingStore(tmp_path / "b")
    result = other.import_file(exported)
    assert len(result.added) == 10 and result.problems == []
    again = other.import_file(exported)
    assert again.added == [] and again.duplicates == 10
    assert [s.label for s in other.load()[0]] == list(range(10))


def test_import_skips_broken_entries_and_says_which(tmp_path) -> None:
    good = drawing_dict([ellipse_stroke(200, 200, 50, 90)], label=0)
    path = write_json(
        tmp_path / "mixed.json",
        [good, drawing_dict([[[1, 1], [5, 9]]]), {"width": 3}, {**good, "label": 12}],
    )
    result = HandwritingStore(tmp_path / "s").import_file(path)
    assert len(result.added) == 1
    assert [p.source for p in result.problems] == [
        f"{path}[1]",
        f"{path}[2]",
        f"{path}[3]",
    ]
    with pytest.raises(InputError, match=r"\[1\]: has no 'label'"):
        read_labelled_list(path)


def test_a_thousand_samples_load_in_well_under_a_tenth_of_a_second(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    stroke = tuple((100 + 3.7 * i, 50 + 2.9 * (i % 17)) for i in range(55))
    data = json.dumps(
        {
            "format": "digitpad-sample",
            "label": 4,
            "created": "",
            **Drawing(400, 400, (stroke,)).to_json_dict(),
        }
    )
    for i in range(1000):
        name = f"{i:08x}"
        (tmp_path / f"{name}.json").write_text(
            data.replace('"label"', f'"id": "{name}", "label"')
        )
    best = min(_timed(store.load) for _ in range(3))
    assert len(store.load()[0]) == 1000
    assert best < 0.1, f"{best:.3f} s"


def _timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def test_misread_names_the_samples_the_model_gets_wrong(tmp_path) -> None:
    class AlwaysSeven:
        def predict_probabilities(self, images):
            return np.tile(np.eye(10)[7], (len(images), 1))

    store = HandwritingStore(tmp_path)
    seven, three = store.add(a_drawing(), 7), store.add(a_drawing(3), 3)
    assert misread(AlwaysSeven(), [seven, three]) == {three.id: 7}
    assert misread(AlwaysSeven(), []) == {}
