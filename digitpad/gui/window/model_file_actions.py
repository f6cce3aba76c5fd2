"""File > Open model and Save model as, and the shipped model loaded at start-up.

Loads and saves run on the background ``ModelLoader``; the current model stays in use
until a load succeeds. A model the user chose that fails is a dialog; the shipped one
failing at start-up is a status message and a hint on the prediction panel, because
the user did not ask for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from digitpad.core.models.inference import Predictor
from digitpad.core.paths import user_models_dir
from digitpad.gui.prediction.prediction_panel import PredictionPanel
from digitpad.gui.state import AppState
from digitpad.gui.widgets import file_dialogs
from digitpad.gui.window.model_loader import ModelLoader
from digitpad.gui.window.window_messages import WindowMessages


class ModelFileActions:
    def __init__(
        self,
        window: QWidget,
        state: AppState,
        prediction: PredictionPanel,
        messages: WindowMessages,
    ) -> None:
        self._window = window
        self._state = state
        self._prediction = prediction
        self._messages = messages
        self._user_load = False
        self.loader = ModelLoader(window)
        self.loader.loaded.connect(self._loaded)
        self.loader.loadFailed.connect(self._failed)
        self.loader.saved.connect(
            lambda path: messages.status(f"Saved model to {path}")
        )
        self.loader.saveFailed.connect(
            lambda message: messages.error("Cannot save the model", message)
        )

    def load(self, path: str | Path | None = None, *, user: bool = True) -> None:
        """Load a model in the background; the current one stays until it succeeds."""
        self._user_load = user
        if self._state.predictor is None:
            self._prediction.show_loading("Loading the model…")
        name = Path(path).name if path else "the shipped model"
        self._messages.status(f"Loading {name}…")
        self.loader.load(path)

    def open_model(self) -> None:
        path = file_dialogs.ask_open(
            self._window, "Open model", file_dialogs.MODEL_FILTER, user_models_dir()
        )
        if path:
            self.load(path)

    def save_model(self) -> None:
        predictor = self._state.predictor
        if predictor is None:
            return
        path = file_dialogs.ask_save(
            self._window,
            "Save model as",
            f"{predictor.name}.keras",
            file_dialogs.MODEL_FILTER,
            user_models_dir(),
        )
        if path:
            self._messages.status(f"Saving model to {path}…")
            self.loader.save(predictor, path)

    def _loaded(self, predictor: Predictor) -> None:
        self._state.set_predictor(predictor)
        self._messages.status(f"Model {predictor.name} loaded ({predictor.backend})")

    def _failed(self, message: str) -> None:
        if self._state.predictor is None:
            self._prediction.show_loading("No model loaded: use File > Open model…")
        if self._user_load:
            kept = (
                ""
                if self._state.predictor is None
                else "\n\nThe current model stays in use."
            )
            self._messages.error("Cannot open the model", message + kept)
        else:
            self._messages.status(f"Cannot load the shipped model: {message}")
