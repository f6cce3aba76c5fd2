"""Where DigitPad finds its shipped files and keeps the user's own."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import platformdirs

APP_NAME = "DigitPad"
SHIPPED_MODEL_NAME = "digitpad-mnist"


def _package_or_source_dir(name: str) -> Path:
    """A folder the wheel puts in the package and the source tree keeps at the top."""
    packaged = Path(str(resources.files("digitpad"))) / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name


def shipped_models_dir() -> Path:
    return _package_or_source_dir("trained_models")


def shipped_model_path() -> Path:
    """The ``.keras`` file of the model DigitPad ships (its sidecars sit beside it)."""
    return shipped_models_dir() / f"{SHIPPED_MODEL_NAME}.keras"


def resources_dir() -> Path:
    return _package_or_source_dir("resources")


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """What DigitPad can recompute (e.g. a model's answers on MNIST test)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_models_dir() -> Path:
    """The user's model library: models kept from training in the app."""
    return user_data_dir() / "models"
