"""Errors that carry a message fit to show a user as it is (one line, no traceback)."""

from __future__ import annotations

from pathlib import Path


def one_line(error: BaseException, limit: int = 200) -> str:
    """A library's exception text folded to one line of at most ``limit`` characters."""
    text = " ".join(str(error).split())
    return (text[:limit] + "...") if len(text) > limit else text or type(error).__name__


class DigitPadError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""


class InputError(DigitPadError):
    """An image or drawing file that cannot be read or holds no usable data."""

    def __init__(self, source: str | Path | None, reason: str) -> None:
        self.source = None if source is None else str(source)
        self.reason = reason
        super().__init__(f"{self.source}: {reason}" if self.source else reason)


class ModelFileError(DigitPadError):
    """A model file that is missing, corrupt, unsafe or of the wrong shape."""

    def __init__(self, path: str | Path | None, reason: str) -> None:
        self.path = None if path is None else str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class NoLiteRtExport(ModelFileError):
    """The model has no current LiteRT export (running it needs TensorFlow)."""


class DataError(DigitPadError):
    """A training data set that is missing or malformed."""


class TrainingCancelled(DigitPadError):
    """Raised internally when ``should_stop()`` ended a training run."""
