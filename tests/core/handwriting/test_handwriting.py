"""The user's samples survive corrupt files and failed writes; import/export works."""

from __future__ import annotations

import os

import numpy as np
import pytest

from digitpad.core.errors import InputError
from digitpad.core.handwriting.labelled import read_labelled_list
from digitpad.core.handwriting.samples import (
    HandwritingStore,
    counts_by_digit,
    group_by_digit,
    misread,
    missing_digits,
)
from digitpad.core.ink.drawing import Drawing
from tests.support.digits import drawing_dict, ellipse_stroke, write_json


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


def test_a_reload_reads_only_what_changed_and_sees_every_change(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    kept, changed, gone = (store.add(a_drawing(i), i) for i in range(3))
    first = {s.id: s for s in store.load()[0]}
    store.relabel(changed, 8)
    store.delete(gone.id)
    other = HandwritingStore(tmp_path)  # another window or a script writes meanwhile
    added = other.add(a_drawing(9), 9)
    second = {s.id: s for s in store.load()[0]}
    assert second[kept.id] is first[kept.id]  # the same object: nothing re-read
    assert second[changed.id].label == 8 and second[changed.id] is not first[changed.id]
    assert gone.id not in second and second[added.id].label == 9
    # a file rewritten in place by another program is noticed too
    path = store.path_of(kept.id)
    text = path.read_text()
    assert '"label": 0' in text
    path.write_text(text.replace('"label": 0', '"label":  6'))
    assert {s.id: s.label for s in store.load()[0]}[kept.id] == 6


def test_loads_at_the_same_time_read_each_file_once(tmp_path, monkeypatch) -> None:
    import threading

    from digitpad.core.handwriting import samples as handwriting

    store = HandwritingStore(tmp_path)
    for i in range(5):
        store.add(a_drawing(i), i)
    reads, first_read, go_on = [], threading.Event(), threading.Event()
    real_read = handwriting.read_sample

    def slow_read(path):
        reads.append(path.name)
        first_read.set()
        go_on.wait(5)  # the first load is mid-way when the second one starts
        return real_read(path)

    monkeypatch.setattr(handwriting, "read_sample", slow_read)
    results = []
    loads = [
        threading.Thread(target=lambda: results.append(store.load())) for _ in "ab"
    ]
    loads[0].start()
    assert first_read.wait(5)
    loads[1].start()
    go_on.set()
    for load in loads:
        load.join(10)
    assert len(reads) == 5  # the second load found every file already read
    assert [s.id for s in results[0][0]] == [s.id for s in results[1][0]]


def test_a_corrupt_or_foreign_file_is_reported_and_the_others_load(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    kept = [store.add(a_drawing(i), i % 10) for i in range(3)]
    (tmp_path / "0123abcd.json").write_text('{"format": "digitpad-sample", "id": "01')
    write_json(tmp_path / "feed.json", {"hello": "world"})
    write_json(
        tmp_path / "abc.json",
        {"format": "digitpad-sample", "id": "abc", **drawing_dict([[[1, 2]]])},
    )  # no label
    write_json(
        tmp_path / "beef.json",
        {
            "format": "digitpad-sample",
            "id": "beef",
            "label": 1,
            **drawing_dict([[[1, 2], ["x", 3]]]),
        },
    )
    (tmp_path / "cafe.json").write_text(
        '{"format": "digitpad-sample", "id": "cafe", "label": 1, "width": 9, '
        '"height": 9, "strokes": [[[1, 2], [1e999, 3]]]}'
    )
    (tmp_path / "f00d.json").write_text(
        '{"format": "digitpad-sample", "id": "f00d", "label": 1, "width": 9, '
        '"height": 9, "strokes": [[[1, NaN]]]}'
    )
    samples, problems = store.load()
    assert [s.id for s in samples] == [s.id for s in kept]
    reasons = {os.path.basename(p.source): p.reason for p in problems}
    assert set(reasons) == {
        "0123abcd.json",
        "feed.json",
        "abc.json",
        "beef.json",
        "cafe.json",
        "f00d.json",
    }
    assert "not [x, y]" in reasons["beef.json"]
    assert "not [x, y]" in reasons["cafe.json"]  # 1e999 is infinite
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


def test_misread_names_the_samples_the_model_gets_wrong(tmp_path) -> None:
    class AlwaysSeven:
        def predict_probabilities(self, images):
            return np.tile(np.eye(10)[7], (len(images), 1))

    store = HandwritingStore(tmp_path)
    seven, three = store.add(a_drawing(), 7), store.add(a_drawing(3), 3)
    assert misread(AlwaysSeven(), [seven, three]) == {three.id: 7}
    assert misread(AlwaysSeven(), []) == {}
