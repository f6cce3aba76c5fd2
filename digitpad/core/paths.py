"""Where DigitPad finds its shipped files and keeps the user's own."""

from __future__ import annotations

import re
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


def safe_stem(text: object, fallback: str = "model") -> str:
    """A file-name stem made from untrusted text (a model's architecture name...).

    Keeps letters, digits, ``_``, ``-`` and inner dots; every other run of
    characters (``/``, ``\\``, ``..`` at the ends, NUL) becomes ``-``. Never empty,
    never a dot file, at most 64 characters.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip(".-")[:64].strip(".-")
    return stem or fallback


def child_path(folder: str | Path, name: str) -> Path:
    """``folder / name``, once ``name`` is known to be one file directly inside it.

    The one check for every path built from data: a name with a separator, ``..``,
    an absolute path or a NUL is refused (``ValueError``), so nothing derived from a
    file's contents can write, move or delete outside the folder it belongs to.
    """
    folder = Path(folder)
    if (
        not name
        or name in (".", "..")
        or "\0" in name
        or "/" in name
        or "\\" in name
        or Path(name).is_absolute()
    ):
        raise ValueError(f"{name[:80]!r} is not a file name inside {folder}")
    path = folder / name
    if path.parent.resolve() != folder.resolve():  # pragma: no cover - belt and braces
        raise ValueError(f"{name[:80]!r} is not a file name inside {folder}")
    return path


def is_inside(folder: str | Path, path: str | Path) -> bool:
    """``path`` names a file directly inside ``folder`` (by ``child_path``'s rules)."""
    path = Path(path)
    try:
        child_path(folder, path.name)
        return path.parent.resolve() == Path(folder).resolve()
    except (ValueError, OSError):
        return False
