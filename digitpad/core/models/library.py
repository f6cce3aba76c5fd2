"""The user's model library: models kept from training, plus the shipped one.

Kept models live under ``paths.user_models_dir()`` as ordinary DigitPad model files
(``NAME.keras`` and sidecars, written atomically by ``modelfile.save_model``), so the
library needs no index file that could disagree with the disk: listing is a directory
scan keyed on ``.keras`` files, which ``save_model`` writes last. The shipped model is
always listed first and can never be deleted from here.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitpad.core import paths
from digitpad.core.bounded_io import is_regular_file
from digitpad.core.errors import ModelFileError, one_line
from digitpad.core.models import modelfile
from digitpad.core.networks.presets import architecture_title
from digitpad.core.networks.recorded import NETWORK_KEY
from digitpad.core.networks.spec import spec_to_dict


@dataclass(frozen=True)
class LibraryEntry:
    """One model the user can switch to, with the metadata saved beside it."""

    path: Path
    metadata: dict[str, Any] = field(repr=False)
    shipped: bool = False
    problem: str | None = None  # why the entry is broken (it can still be deleted)

    @property
    def broken(self) -> bool:
        return self.problem is not None

    @property
    def name(self) -> str:
        """A human title: the saved display name, else the file name."""
        if self.shipped:
            return "Shipped model"
        return str(self.metadata.get("display_name") or self.path.stem)

    @property
    def architecture_title(self) -> str:
        name = str(self.metadata.get("architecture", ""))
        return architecture_title(name) if name else "unknown architecture"

    @property
    def test_accuracy(self) -> float | None:
        value = self.metadata.get("mnist_test_accuracy")
        if value is None:
            value = self.metadata.get("training", {}).get("test_accuracy")
        return float(value) if isinstance(value, int | float) else None

    @property
    def created(self) -> str:
        """The creation time as local 'YYYY-MM-DD HH:MM', or '' when unknown."""
        return local_time(self.metadata.get("created")) or ""

    def summary(self) -> str:
        """Architecture, accuracy and date on one line, for lists and tooltips."""
        if self.problem:
            return f"broken: {self.problem}"
        parts = [self.architecture_title]
        if self.test_accuracy is not None:
            parts.append(f"{self.test_accuracy:.2%} test accuracy")
        if self.created:
            parts.append(self.created)
        return " · ".join(parts)


def local_time(value: Any) -> str | None:
    """An ISO time as local 'YYYY-MM-DD HH:MM'; None if it is not a usable time.

    Dates at the edge of the calendar ("0001-01-01") parse but cannot be moved to
    local time (``OverflowError``) or formatted on every platform: None as well.
    """
    try:
        when = _dt.datetime.fromisoformat(str(value))
        return when.astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):
        return None


def list_models(directory: Path | None = None) -> list[LibraryEntry]:
    """The shipped model (if installed) first, then kept models, newest first.

    One bad entry never stops the rest: it is listed with ``problem`` set (and can
    be deleted). Only regular files are read, each within a size bound.
    """
    entries = []
    shipped = paths.shipped_model_path()
    if shipped.is_file():
        entries.append(read_entry(shipped, shipped=True))
    folder = directory or paths.user_models_dir()
    try:
        found = sorted(folder.glob("*.keras")) if folder.is_dir() else []
    except OSError:
        found = []
    kept = [read_entry(path) for path in found if not path.name.startswith(".")]
    kept.sort(key=_sort_key)
    return entries + kept[::-1]


def read_entry(path: Path, *, shipped: bool = False) -> LibraryEntry:
    """A library entry for ``path``, broken (with the reason) rather than raising."""
    try:
        metadata, problem = modelfile.read_metadata_checked(path)
        problem = problem or _entry_problem(path, metadata)
        entry = LibraryEntry(path, metadata, shipped, problem)
        # what the list shows, worked out now: a field no reader foresaw fails
        # here, for this entry alone, not while the whole list is drawn
        entry.name, entry.summary()
    except Exception as error:  # whatever goes wrong, the rest must still list
        entry = LibraryEntry(path, {}, shipped, one_line(error))
    return entry


def _entry_problem(path: Path, metadata: dict[str, Any]) -> str | None:
    if not is_regular_file(path):
        return f"{path.name} is not a regular file"
    for kind in ("tflite", "kernels"):
        side = modelfile.sidecar(path, kind)
        if not is_regular_file(side):
            return f"{side.name} is missing or not a regular file"
    if "created" in metadata and local_time(metadata["created"]) is None:
        return f"its date {str(metadata['created'])[:40]!r} is not a usable time"
    return None


def _sort_key(entry: LibraryEntry) -> tuple[str, str]:
    created = entry.metadata.get("created")
    return (created if isinstance(created, str) else "", entry.path.name)


def keep_model(
    model: Any, metadata: dict[str, Any], directory: Path | None = None
) -> LibraryEntry:
    """Save ``model`` into the library under a fresh, unique file name."""
    path = _fresh_path(metadata.get("architecture", "model"), directory)
    try:
        saved = modelfile.save_model(model, path, metadata)
    except OSError as error:
        raise ModelFileError(path, f"could not save ({error.strerror})") from None
    return read_entry(saved)


def keep_saved(source: Path, directory: Path | None = None) -> LibraryEntry:
    """Move a saved model (``.keras`` and sidecars, e.g. a finished run's scratch
    copy) into the library under a fresh name: renames only, no TensorFlow."""
    metadata = modelfile.read_metadata(source)
    path = _fresh_path(metadata.get("architecture", "model"), directory)
    try:
        for kind in (
            modelfile.SIDECAR_KINDS
        ):  # the .keras last: it is what makes the entry visible
            if modelfile.sidecar(source, kind).is_file():
                os.replace(
                    modelfile.sidecar(source, kind), modelfile.sidecar(path, kind)
                )
        os.replace(source, path)
    except OSError as error:
        for kind in (
            modelfile.SIDECAR_KINDS
        ):  # nothing half-kept: the entry is invisible anyway
            modelfile.sidecar(path, kind).unlink(missing_ok=True)
        raise ModelFileError(path, f"could not keep ({error.strerror})") from None
    return LibraryEntry(path, metadata)


def _fresh_path(stem_prefix: str, directory: Path | None) -> Path:
    folder = directory or paths.user_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    # the prefix comes from metadata (data): "../../x" must stay in the library
    stem = f"{paths.safe_stem(str(stem_prefix))}-{stamp}"
    path, n = paths.child_path(folder, f"{stem}.keras"), 2
    while path.exists():
        path, n = paths.child_path(folder, f"{stem}-{n}.keras"), n + 1
    return path


def delete_model(entry: LibraryEntry) -> None:
    """Remove a kept model and its sidecars; the shipped model is refused."""
    if entry.shipped or entry.path.resolve() == paths.shipped_model_path().resolve():
        raise ModelFileError(entry.path, "the shipped model cannot be deleted")
    try:
        # The .keras file goes first: without it the leftovers are invisible.
        entry.path.unlink(missing_ok=True)
        for kind in modelfile.SIDECAR_KINDS:
            modelfile.sidecar(entry.path, kind).unlink(missing_ok=True)
    except OSError as error:
        raise ModelFileError(
            entry.path, f"could not delete ({error.strerror})"
        ) from None


def training_metadata(
    result: Any, start_metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Metadata for a finished ``TrainResult``: config, history, accuracy, a title.

    ``start_metadata`` is the metadata of the model training went on from: its title
    and recipe are kept, so the result says how it came to be.
    """
    config = result.config
    accuracy = float(result.test.accuracy)
    images = f"{config.limit:,}" if config.limit else "all"
    title = f"{architecture_title(config.architecture)}, {config.epochs} epochs, "
    title += f"{images} images"
    if config.augment:  # the one change a learner most often compares
        title += ", augmented"
    # the network itself, so opening the model can show (and rebuild) its design
    extra: dict[str, Any] = {
        "display_name": title,
        NETWORK_KEY: spec_to_dict(config.spec),
    }
    if start_metadata is not None:
        start_title = start_metadata.get("display_name") or config.start_from
        more = f"{config.epochs} more epoch{'s' if config.epochs > 1 else ''}"
        extra["display_name"] = f"{start_title}, then {more}"
        start_training = dict(start_metadata.get("training") or {})
        start_training.pop("history", None)
        extra["started_from"] = {
            "name": config.start_from,
            "training": start_training,
            "mnist_test_accuracy": start_metadata.get("mnist_test_accuracy"),
        }
    training = {
        **config.to_dict(),
        "data_source": result.data_source,
        "seconds": round(float(result.seconds), 1),
        # what the comparison shows as 'training images': the count one epoch saw
        "train_images": int(getattr(result, "train_images", 0)) or None,
        "validation_images": int(getattr(result, "validation_images", 0)) or None,
        "history": result.history,
        "test_accuracy": accuracy,
        "test_count": result.test.count,
    }
    return modelfile.make_metadata(
        result.model,
        architecture=config.architecture,
        training=training,
        # The accuracy is only an MNIST figure when the data was MNIST.
        mnist_test_accuracy=accuracy if config.data_path is None else None,
        extra=extra,
    )
