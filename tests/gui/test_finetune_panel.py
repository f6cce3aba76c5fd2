"""Fine-tune on my handwriting, in the training panel: from the user's samples to a
kept model that remembers how many it saw; the GUI thread never stalls meanwhile."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from digitpad.core import paths
from digitpad.core.handwriting.finetune import FinetuneConfig
from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.gui.state import AppState
from digitpad.gui.training.training_panel import TrainingPanel
from tests.support.finetune import digit_like, write_tiny_mnist
from tests.support.gui_gaps import GapMeter

pytestmark = [
    pytest.mark.slow,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
RUN_TIMEOUT_MS = 180_000


@pytest.fixture
def store(tmp_path, monkeypatch) -> HandwritingStore:
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    return HandwritingStore(tmp_path / "user" / "handwriting")


@pytest.fixture
def panel(qtbot, store, predictor, tmp_path):
    state = AppState()
    state.set_handwriting(store)
    state.set_predictor(predictor)
    widget = TrainingPanel(state)
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    widget.finetune.config = FinetuneConfig(  # tiny: seconds, not minutes
        epochs=1,
        repeats=2,
        replay_ratio=1.0,
        batch_size=32,
        folds=2,
        mnist_test_limit=100,
        data_path=str(write_tiny_mnist(tmp_path / "tiny-mnist.npz")),
    )
    yield widget
    widget.shutdown(5.0)


def add_samples(store: HandwritingStore, digits, per_digit: int = 2) -> None:
    for variant in range(per_digit):
        for digit in digits:
            store.add(digit_like(digit, variant), digit)


def test_fine_tuning_waits_for_a_sample_of_every_digit(panel, store, qtbot):
    section = panel.finetune
    qtbot.waitUntil(lambda: not section.loading)
    assert not section.start_button.isEnabled()
    assert "sample of every digit" in section.status.text()

    add_samples(store, range(8))
    panel.state.samplesChanged.emit()
    qtbot.waitUntil(lambda: "still missing: 8, 9" in section.status.text())
    assert not section.start_button.isEnabled()

    add_samples(store, [8, 9], per_digit=1)
    panel.state.samplesChanged.emit()
    qtbot.waitUntil(section.start_button.isEnabled)
    assert "18 of your digits" in section.status.text()


@pytest.mark.skipif(sys.platform == "win32", reason="the helper process is POSIX-only")
def test_fine_tune_end_to_end_then_keep(panel, store, qtbot):
    add_samples(store, range(10))
    panel.state.samplesChanged.emit()
    section = panel.finetune
    qtbot.waitUntil(section.start_button.isEnabled)
    base = panel.state.predictor

    meter = GapMeter(lambda: panel.progress.status.text()).start()
    qtbot.mouseClick(section.start_button, Qt.MouseButton.LeftButton)
    assert panel.is_training() and not section.start_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=RUN_TIMEOUT_MS)
    meter.stop()
    print(
        f"\nfine-tune run: worst GUI gap {meter.worst} ms over {len(meter.gaps)} "
        f"ticks; p99 {meter.percentile(99):.0f} ms; slow: {meter.slow[:5]}"
    )

    results = panel.finetune_results
    assert panel.tabs.currentWidget() is results
    assert results.keep_button.isEnabled()
    table = results.table.text()
    assert (
        "Your digits (cross-validated)" in table and "MNIST test (100 digits)" in table
    )
    assert panel.progress.status.text().startswith("Done: your digits ")
    now = results.now_reads.count()
    assert results.now_label.text().startswith(f"Now reads: {now} of your digits")

    qtbot.mouseClick(results.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.state.predictor is not base and not panel.is_saving(),
        timeout=30_000,
    )
    kept = panel.state.predictor
    assert kept.path.parent == paths.user_models_dir()
    assert kept.metadata["user_samples"] == 20
    assert kept.metadata["training"]["kind"] == "finetune"
    assert "fine-tuned on 20 of your drawings" in kept.metadata["display_name"]
    assert not any(p.name.startswith(".training-") for p in kept.path.parent.iterdir())
    assert json.loads(json.dumps(kept.metadata))  # plain JSON all the way
    assert meter.percentile(99) < 50, f"GUI stalls: {meter.slow}"


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *_: seen.append(text)
    )
    return seen


def fine_tune_on_keras_mnist(panel, store, qtbot) -> None:
    """Every digit taught, the data left at "Keras MNIST" unless a file is chosen."""
    panel.finetune.config = replace(panel.finetune.config, data_path=None)
    add_samples(store, range(10))
    panel.state.samplesChanged.emit()
    qtbot.waitUntil(panel.finetune.start_button.isEnabled)


@pytest.mark.skipif(sys.platform == "win32", reason="the helper process is POSIX-only")
def test_fine_tune_offline_uses_the_data_file_chosen_in_the_panel(
    panel, store, qtbot, tmp_path, offline, warnings, monkeypatch
):
    chosen = write_tiny_mnist(tmp_path / "chosen.npz")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_args, **_kw: (str(chosen), "")
    )
    qtbot.mouseClick(panel.form.browse, Qt.MouseButton.LeftButton)  # Choose file…
    fine_tune_on_keras_mnist(panel, store, qtbot)

    qtbot.mouseClick(panel.finetune.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=RUN_TIMEOUT_MS)
    assert warnings == []
    assert panel.progress.status.text().startswith("Done: your digits ")
    assert "MNIST test (100 digits)" in panel.finetune_results.table.text()


@pytest.mark.skipif(sys.platform == "win32", reason="the helper process is POSIX-only")
def test_fine_tune_offline_without_a_data_file_says_how_to_go_on(
    panel, store, qtbot, offline, warnings
):
    fine_tune_on_keras_mnist(panel, store, qtbot)
    qtbot.mouseClick(panel.finetune.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=RUN_TIMEOUT_MS)
    status = panel.progress.status.text()
    assert status == "Fine-tuning failed; the previous model is current."
    (message,) = warnings
    assert "could not download MNIST" in message
    assert "Choose file… next to Data" in message  # the panel's way to name a file
    assert "DIGITPAD_MNIST" in message and str(offline) in message
    assert "--data" not in message
