"""My handwriting: grouped thumbnails, misread marks, delete, relabel, import/export;
a corrupt file is reported in one line and costs nobody else."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.gui.handwriting.handwriting_panel import HandwritingPanel
from digitpad.gui.state import AppState
from tests.support.digits import line_stroke
from tests.support.finetune import digit_like

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


def a_one():
    from digitpad.core.ink.drawing import Drawing

    stroke = tuple(map(tuple, line_stroke(200, 60, 204, 340, 20)))
    return Drawing(400, 400, (stroke,))


@pytest.fixture
def store(tmp_path) -> HandwritingStore:
    return HandwritingStore(tmp_path / "handwriting")


@pytest.fixture
def panel(qtbot, store, predictor):
    state = AppState()
    state.set_handwriting(store)
    state.set_predictor(predictor)
    widget = HandwritingPanel(state)
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def settle(panel, qtbot) -> None:
    qtbot.waitUntil(lambda: not panel.loading and panel.snapshot is not None)


def shown_ids(panel) -> list[str]:
    model = panel.samples
    return [model.sample(row).id for row in range(model.rowCount())]


def select(panel, *rows: int) -> None:
    from PySide6.QtCore import QItemSelectionModel

    for row in rows:
        panel.grid.selectionModel().select(
            panel.samples.index(row), QItemSelectionModel.SelectionFlag.Select
        )


def test_samples_are_grouped_by_digit_and_a_misread_one_is_marked(panel, store, qtbot):
    one = store.add(a_one(), 1)
    labelled_seven = store.add(a_one(), 7)  # a plain stroke the model reads as 1
    store.add(digit_like(3, 0), 3)
    panel.reload()
    settle(panel, qtbot)
    assert panel.digits.item(0).text() == "All · 3"
    assert panel.digits.item(8).text() == "7 · 1 (1 misread)"
    assert panel.digits.item(2).text() == "1 · 1"
    assert panel.snapshot.misread.get(labelled_seven.id) == 1
    assert one.id not in panel.snapshot.misread
    assert "none yet of 0, 2, 4, 5, 6, 8, 9" in panel.summary.text()

    panel.digits.setCurrentRow(8)  # the 7s only
    assert shown_ids(panel) == [labelled_seven.id]
    tip = panel.samples.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "A 7, read as 1 by the current model"


def test_delete_and_relabel_change_the_store(panel, store, qtbot):
    first, second = store.add(a_one(), 1), store.add(a_one(), 1)
    said: list[str] = []
    panel.state.statusMessage.connect(said.append)
    panel.reload()
    settle(panel, qtbot)
    select(panel, 0)
    panel.relabel_selected(7)
    qtbot.waitUntil(
        lambda: not panel.loading and panel.digits.item(8).text().startswith("7 · 1")
    )
    assert sorted(s.label for s in store.load()[0]) == [1, 7]
    assert "Relabelled 1 of your digits as 7" in said

    panel.digits.setCurrentRow(0)
    select(panel, *range(panel.samples.rowCount()))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not panel.loading and panel.digits.item(0).text() == "All · 0"
    )
    assert store.load()[0] == []
    assert {first.id, second.id}.isdisjoint(shown_ids(panel))
    assert "Deleted 2 of your digits" in said


def test_a_corrupt_file_is_reported_and_the_others_survive(panel, store, qtbot):
    kept = [store.add(a_one(), 1), store.add(digit_like(4, 1), 4)]
    (store.directory / "0123abcd.json").write_text('{"format": "digitpad-sam')
    (store.directory / "notes.json").write_text(json.dumps({"hello": 1}))
    panel.reload()
    settle(panel, qtbot)
    assert sorted(shown_ids(panel)) == sorted(s.id for s in kept)
    assert panel.problems.isVisible()
    text = panel.problems.text()
    assert text.startswith("Skipped 2 unreadable files: ")
    assert "\n" not in text
    assert "0123abcd.json" in panel.problems.toolTip()
    assert "notes.json" in panel.problems.toolTip()


def test_export_then_import_round_trips_without_duplicates(
    panel, store, qtbot, tmp_path
):
    store.add(a_one(), 1)
    store.add(digit_like(2, 0), 2)
    panel.reload()
    settle(panel, qtbot)
    exported = tmp_path / "mine.json"
    panel.export_samples(str(exported))
    qtbot.waitUntil(lambda: exported.is_file() and not panel.loading)
    assert sorted(d["label"] for d in json.loads(exported.read_text())) == [1, 2]

    other = HandwritingStore(tmp_path / "other")
    panel.state.set_handwriting(other)
    panel.import_samples(str(exported))
    qtbot.waitUntil(
        lambda: not panel.loading and panel.digits.item(0).text() == "All · 2"
    )
    panel.import_samples(str(exported))  # again: nothing new
    qtbot.waitUntil(lambda: not panel.loading)
    assert len(other.load()[0]) == 2


def test_a_reload_reads_and_paints_only_what_is_new(panel, store, qtbot, monkeypatch):
    from digitpad.gui.handwriting import sample_snapshot

    for variant in range(3):
        store.add(digit_like(5, variant), 5)
    panel.reload()
    settle(panel, qtbot)
    before = dict(panel.snapshot.thumbnails)
    read: list[int] = []
    real_misread = sample_snapshot.misread
    monkeypatch.setattr(
        sample_snapshot,
        "misread",
        lambda predictor, samples: (
            read.append(len(samples)) or real_misread(predictor, samples)
        ),
    )
    added = store.add(a_one(), 1)
    panel.state.samplesChanged.emit()
    qtbot.waitUntil(lambda: len(panel.snapshot.samples) == 4)
    assert read == [1]  # only the new sample was read by the model
    assert all(panel.snapshot.thumbnails[i] is image for i, image in before.items())
    assert added.id in panel.snapshot.thumbnails
