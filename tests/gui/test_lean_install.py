"""Without TensorFlow (the lean bundle) what cannot run is disabled from the start, with
the reason and the way to get it, in the very words the CLI prints."""

from __future__ import annotations

import importlib.util

import pytest
from PySide6.QtWidgets import QLabel

from digitpad.cli import main as cli_main
from digitpad.core.helpers import availability
from digitpad.core.helpers.availability import TENSORFLOW_LEFT_OUT
from digitpad.gui.activations.saliency_view import SaliencyView
from digitpad.gui.state import AppState
from digitpad.gui.training.training_panel import TrainingPanel

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


@pytest.fixture
def no_tensorflow(monkeypatch):
    """TensorFlow cannot be found, as in the lean bundle (whose finder refuses it)."""
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.partition(".")[0] == "tensorflow":
            raise ModuleNotFoundError("left out", name=name)
        return real_find_spec(name, *args, **kwargs)

    availability.tensorflow_installed.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    yield
    availability.tensorflow_installed.cache_clear()


def notices(widget) -> list[str]:
    """The texts of the "not available here" notices inside ``widget``."""
    return [label.text() for label in widget.findChildren(QLabel, "UnavailableNotice")]


def test_training_panel_disables_its_runs_up_front_and_says_why(
    qtbot, no_tensorflow, tmp_path
) -> None:
    state = AppState()
    panel = TrainingPanel(state)
    qtbot.addWidget(panel)
    panel.show()
    assert notices(panel) == [TENSORFLOW_LEFT_OUT]
    assert not panel.start_button.isEnabled()
    assert panel.start_button.toolTip() == TENSORFLOW_LEFT_OUT
    qtbot.waitUntil(lambda: not panel.finetune.loading)
    assert not panel.finetune.start_button.isEnabled()
    assert panel.finetune.start_button.toolTip() == TENSORFLOW_LEFT_OUT


def test_saliency_view_says_why_it_shows_no_map(qtbot, no_tensorflow) -> None:
    view = SaliencyView()
    qtbot.addWidget(view)
    view.show()
    assert notices(view) == [TENSORFLOW_LEFT_OUT]
    assert not view.target.isEnabled()


def test_the_cli_lists_and_refuses_the_same_features_in_the_same_words(
    no_tensorflow, capsys, tmp_path
) -> None:
    with pytest.raises(SystemExit):
        cli_main(["--help"])
    helped = " ".join(capsys.readouterr().out.split())
    assert " ".join(TENSORFLOW_LEFT_OUT.split()) in helped
    assert "train a model on MNIST and save it [unavailable" in helped
    args = ["--arch", "tutorial", "--epochs", "1", "--out", str(tmp_path / "m.keras")]
    assert cli_main(["train", *args]) == 1
    assert capsys.readouterr().err == f"digitpad: {TENSORFLOW_LEFT_OUT}\n"
    assert not (tmp_path / "m.keras").exists()


def test_with_tensorflow_nothing_is_marked_unavailable(qtbot) -> None:
    availability.tensorflow_installed.cache_clear()
    panel = TrainingPanel(AppState())
    qtbot.addWidget(panel)
    assert notices(panel) == []
    assert panel.start_button.isEnabled()


def test_opening_a_keras_file_without_its_export_says_the_same(
    no_tensorflow, tmp_path
) -> None:
    import shutil

    from digitpad.core import paths
    from digitpad.core.errors import ModelFileError
    from digitpad.core.models.inference import load_predictor

    bare = tmp_path / "bare.keras"  # no .tflite beside it: only TensorFlow reads it
    shutil.copy(paths.shipped_model_path(), bare)
    with pytest.raises(ModelFileError) as refused:
        load_predictor(bare)
    assert str(refused.value).endswith(TENSORFLOW_LEFT_OUT)


def test_open_model_says_which_models_open_before_it_is_chosen(
    qtbot, no_tensorflow
) -> None:
    from digitpad.gui import create_window

    window = create_window(load_model=False, panels=False)
    qtbot.addWidget(window)
    tip = window.actions_by_name["open_model"].statusTip()
    assert ".tflite beside it" in tip and "TensorFlow" in tip
