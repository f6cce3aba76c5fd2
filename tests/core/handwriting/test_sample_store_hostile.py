"""Hostile sample files and lists: each costs itself, never the other samples."""

from __future__ import annotations

import os

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.core.ink.drawing import Drawing
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


def _hostile_files(folder, name: str) -> list:
    """A link to /dev/zero (size 0, endless) and a FIFO (no writer: blocks)."""
    zero = folder / f"zero-{name}"
    zero.symlink_to("/dev/zero")
    fifo = folder / f"fifo-{name}"
    os.mkfifo(fifo)
    return [zero, fifo]


def _in_time(function, *args):
    """``function(*args)`` within 20 s, or the test fails (a FIFO blocked it)."""
    import threading

    result: list = []
    worker = threading.Thread(
        target=lambda: result.append(_outcome(function, *args)), daemon=True
    )
    worker.start()
    worker.join(20)
    assert result, f"{function.__name__} did not return: an unbounded read"
    return result[0]


def _outcome(function, *args):
    try:
        return function(*args)
    except Exception as error:
        return error


def test_the_store_refuses_a_link_to_dev_zero_and_a_fifo(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    kept = store.add(a_drawing(), 2)
    (tmp_path / "beef.json").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "cafe.json")
    samples, problems = _in_time(store.load)
    assert [s.id for s in samples] == [kept.id]
    reasons = {os.path.basename(p.source): p.reason for p in problems}
    assert "device" in reasons["beef.json"]
    assert "pipe" in reasons["cafe.json"]


def test_a_labelled_list_import_and_finetune_samples_refuse_them(tmp_path) -> None:
    from digitpad.core.errors import InputError
    from digitpad.core.handwriting.labelled import read_labelled_list

    store = HandwritingStore(tmp_path / "store")
    for path in _hostile_files(tmp_path, "list.json"):
        for read in (read_labelled_list, store.import_file):
            error = _in_time(read, path)
            assert isinstance(error, InputError), error
            assert "not a regular file" in str(error)


def test_every_drawing_import_accepts_loads_back(tmp_path) -> None:
    """Import accepted a drawing of up to a million points; a sample file holds
    4 MB: the big one was written, then refused by every load."""
    import json

    import numpy as np

    from digitpad.core.handwriting.samples import MAX_SAMPLE_BYTES

    store = HandwritingStore(tmp_path / "store")
    n = MAX_SAMPLE_BYTES // 24  # points: more bytes as JSON than a sample may hold
    t = np.linspace(0, 1, n)
    huge = np.stack([100 + 200 * t + 0.123456, 100 + 200 * t**2 + 0.654321], axis=1)
    listed = [
        drawing_dict([[[100, 100], [120, 300]]], label=1),
        drawing_dict([huge.tolist()], label=7),
    ]
    source = write_json(tmp_path / "list.json", listed)
    result = store.import_file(source)
    samples, problems = store.load()
    assert problems == []
    assert sorted(s.id for s in samples) == sorted(s.id for s in result.added)
    assert [s.label for s in samples] == [1]
    assert ["too large" in p.reason for p in result.problems] == [True]
    assert json.loads(source.read_text())  # the list itself is untouched


def test_every_sample_a_load_lists_can_be_relabelled_and_deleted(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    ours = store.add(a_drawing(), 1)
    for stem in ("my-seven", "ABCD", "Seven copy", "sept\u00e9"):
        write_json(
            tmp_path / f"{stem}.json",
            {
                "format": "digitpad-sample",
                "id": stem,
                "label": 7,
                **drawing_dict([[[100, 100], [120, 300]]]),
            },
        )
    samples, problems = store.load()
    listed = {s.id for s in samples}
    assert ours.id in listed and len(listed) + len(problems) == 5
    assert {os.path.basename(p.source) for p in problems} <= {
        "Seven copy.json",
        "sept\u00e9.json",
    }
    for sample in samples:
        store.relabel(sample, 3)
    assert {s.label for s in store.load()[0]} == {3}
    for sample in samples:
        store.delete(sample.id)
    left, _ = store.load()
    assert left == []
    assert {p.name for p in tmp_path.iterdir()} == {
        "Seven copy.json",
        "sept\u00e9.json",
    }


def _a_list(tmp_path, count: int):
    listed = [
        drawing_dict([[[100 + i, 100], [120 + i, 300]]], label=i % 10)
        for i in range(count)
    ]
    return write_json(tmp_path / "list.json", listed)


def test_two_overlapping_imports_add_each_drawing_once(tmp_path, monkeypatch) -> None:
    import threading

    from digitpad.core.handwriting import samples as handwriting

    source = _a_list(tmp_path, 20)
    store = HandwritingStore(tmp_path / "store")
    other = HandwritingStore(tmp_path / "store")  # another window, same folder
    both_read = threading.Barrier(2, timeout=5)
    real = handwriting.labelled_list

    def read_then_wait(*args, **kwargs):
        result = real(*args, **kwargs)
        both_read.wait()  # both imports have the list before either adds
        return result

    monkeypatch.setattr(handwriting, "labelled_list", read_then_wait)
    results = []
    imports = [
        threading.Thread(target=lambda s=s: results.append(s.import_file(source)))
        for s in (store, other)
    ]
    for thread in imports:
        thread.start()
    for thread in imports:
        thread.join(30)
    samples, _ = store.load()
    assert len(samples) == 20
    assert sorted(len(r.added) for r in results) == [0, 20]
    assert sorted(r.duplicates for r in results) == [0, 20]


def test_a_stopped_import_leaves_whole_samples_and_no_temp_file(tmp_path) -> None:
    source = _a_list(tmp_path, 20)
    folder = tmp_path / "store"
    store = HandwritingStore(folder)
    asked = []

    def stop() -> bool:  # the app quits after five samples
        asked.append(1)
        return len(asked) > 5

    result = store.import_file(source, stop)
    assert len(result.added) == 5
    assert len(store.load()[0]) == 5
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def test_a_temp_file_left_by_a_killed_write_is_swept(tmp_path) -> None:
    store = HandwritingStore(tmp_path)
    store.add(a_drawing(), 1)
    stale = tmp_path / ".0123abcd-x1y2.json.tmp"
    stale.write_text('{"format": "digitpad-sa')  # a write cut off by a quit
    os.utime(stale, (1, 1))
    fresh = tmp_path / ".4567cdef-z3.json.tmp"  # a write in progress elsewhere
    fresh.write_text("{")
    samples, problems = store.load()
    assert len(samples) == 1 and problems == []
    assert not stale.exists() and fresh.exists()
