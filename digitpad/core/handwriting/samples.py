"""*My handwriting*: the user's own labelled drawings, kept in the user data directory.

Layout: one small JSON file per sample, ``<id>.json`` under ``handwriting/``. Each file
is a complete labelled drawing (the drawing format plus ``label``, ``id`` and
``created``), so ``digitpad predict`` reads one as it is. One file per sample because:
every add, delete or relabel touches only its own file and is one atomic
``os.replace`` (no rewrite of a growing file, nothing to compact, no index that could
disagree with the disk); a corrupt or foreign file costs that one sample, never the
others; and loading 1,000 samples is 1,000 small reads, about 40 ms (the JSON parsing,
not the file count, is what costs). Files that start with a dot are temp files of a
write in progress and are never read.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digitpad.core import paths
from digitpad.core.atomic import write_bytes_atomically
from digitpad.core.errors import InputError, one_line
from digitpad.core.handwriting.labelled import Problem, check_label
from digitpad.core.handwriting.parse_apart import labelled_list
from digitpad.core.handwriting.sample_file import (  # noqa: F401 (the store's public names)
    MAX_SAMPLE_BYTES,
    SAMPLE_FORMAT,
    Sample,
    parse_sample,
    read_sample,
)
from digitpad.core.ink.drawing import Drawing

try:
    import fcntl
except ImportError:  # Windows: imports take turns within this process only
    fcntl = None  # type: ignore[assignment]

DIGITS = tuple(range(10))
STALE_TEMP_S = 60.0  # a sample write's temp file older than this was left by a crash


def handwriting_dir() -> Path:
    """Where the user's samples live (beside the model library)."""
    return paths.user_data_dir() / "handwriting"


@dataclass(frozen=True)
class ImportResult:
    added: list[Sample]
    duplicates: int
    problems: list[Problem]


def missing_digits(labels: Iterable[int]) -> list[int]:
    """Digits without a single sample: fine-tuning needs one of every digit."""
    present = set(labels)
    return [digit for digit in DIGITS if digit not in present]


def counts_by_digit(samples: Iterable[Sample]) -> dict[int, int]:
    counts = dict.fromkeys(DIGITS, 0)
    for sample in samples:
        counts[sample.label] += 1
    return counts


def group_by_digit(samples: Iterable[Sample]) -> dict[int, list[Sample]]:
    """Samples per digit 0-9 (every digit present, maybe empty), oldest first."""
    groups: dict[int, list[Sample]] = {digit: [] for digit in DIGITS}
    for sample in samples:
        groups[sample.label].append(sample)
    return groups


def misread(predictor: Any, samples: Sequence[Sample]) -> dict[str, int]:
    """Which samples ``predictor`` (an ``inference.Predictor``) reads wrongly, as what.

    For marking them in the browser; about 0.2 ms per sample with LiteRT.
    """
    from digitpad.core.training.stroke_augment import render_plain

    if not samples:
        return {}
    images = render_plain([sample.drawing for sample in samples])
    digits = predictor.predict_probabilities(images).argmax(axis=1)
    return {
        sample.id: int(digit)
        for sample, digit in zip(samples, digits, strict=True)
        if digit != sample.label
    }


class HandwritingStore:
    """The sample folder; every method reads or writes the disk directly.

    ``load()`` lists and stats the folder every time, so two windows (or the GUI and
    a script) never disagree for longer than one ``load()``. It re-reads only files
    that changed (another inode, size or modification time: every write replaces the
    file), so the samples of unchanged files are the very same objects as last time.
    That matters beyond speed: after one new sample, a reload of a thousand allocates
    one, and the list it replaces frees next to nothing (freeing a thousand drawings'
    points held Python's lock for tens of ms, a freeze for whichever thread did it).
    Loads take turns: several panels reload at once when the samples change, and the
    later ones then find everything already read instead of each reading it all.
    """

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else handwriting_dir()
        self._read: dict[str, tuple[tuple[int, int, int], Sample]] = {}
        self._loading = threading.Lock()

    def path_of(self, sample_id: str) -> Path:
        """The file of a sample; the one rule for its name, so every sample a load
        lists (ours are hex, a foreign one may be ``my-seven``) can be deleted and
        relabelled, and no id reaches outside the folder."""
        if (
            not isinstance(sample_id, str)
            or paths.safe_stem(sample_id, "") != sample_id
        ):
            raise InputError(
                None,
                f"{str(sample_id)[:80]!r} is not a sample id (letters, digits, "
                "'-', '_' and inner '.' only)",
            )
        return paths.child_path(self.directory, f"{sample_id}.json")

    def load(self) -> tuple[list[Sample], list[Problem]]:
        """Every readable sample, oldest first, and one problem per skipped file."""
        with self._loading:
            return self._load()

    def _load(self) -> tuple[list[Sample], list[Problem]]:
        samples, problems = [], []
        try:
            names = sorted(os.listdir(self.directory))
        except FileNotFoundError:
            return [], []
        except OSError as error:
            return [], [Problem(str(self.directory), one_line(error))]
        self._sweep_temp_files(names)
        known, read = self._read, {}
        for name in names:
            if name.startswith(".") or not name.endswith(".json"):
                continue
            path = self.directory / name
            try:
                self.path_of(name[: -len(".json")])  # a name we could not delete
                sample, read[name] = _read_if_changed(path, known.get(name))
                samples.append(sample)
            except InputError as error:
                problems.append(Problem(str(path), error.reason))
        self._read = read
        samples.sort(key=lambda s: (s.created, s.id))
        return samples, problems

    def add(self, drawing: Drawing, label: int) -> Sample:
        """Save a new sample; an empty drawing is refused."""
        if drawing.is_empty:
            raise InputError(None, "an empty drawing cannot be a sample")
        sample = Sample(uuid.uuid4().hex, drawing, check_label(label), _now())
        self.put(sample)
        return sample

    def put(self, sample: Sample) -> None:
        """Write ``sample`` under its id (new, changed, or restored by an undo)."""
        data = {
            "format": SAMPLE_FORMAT,
            "id": sample.id,
            "created": sample.created,
            **sample.to_json_dict(),
        }
        path = self.path_of(sample.id)
        raw = json.dumps(data).encode()
        # written only if the reader will take it back: one set of rules for both
        parse_sample(raw, path)
        try:
            write_bytes_atomically(path, raw)
        except OSError as error:
            raise InputError(path, f"could not save ({one_line(error)})") from None

    def delete(self, sample_id: str) -> None:
        path = self.path_of(sample_id)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise InputError(path, f"could not delete ({one_line(error)})") from None

    def relabel(self, sample: Sample, label: int) -> Sample:
        changed = Sample(sample.id, sample.drawing, check_label(label), sample.created)
        self.put(changed)
        return changed

    def export(self, path: str | Path, samples: Sequence[Sample] | None = None) -> int:
        """Write the samples (default: all) as one JSON list of labelled drawings."""
        if samples is None:
            samples, _ = self.load()
        data = json.dumps([sample.to_json_dict() for sample in samples])
        try:
            write_bytes_atomically(path, data.encode())
        except OSError as error:
            raise InputError(path, f"could not write ({one_line(error)})") from None
        return len(samples)

    def import_file(
        self, path: str | Path, should_stop: Callable[[], bool] | None = None
    ) -> ImportResult:
        """Add every valid labelled drawing of a list file; skip (and report) the rest.

        A drawing identical to one already stored (same strokes, same label) is not
        added twice, so importing the same export again changes nothing, even when
        two imports overlap (another click, another window): imports into one folder
        take turns, and each compares against what the one before it added.
        ``should_stop`` is asked between samples (quitting mid-import): the samples
        written so far are complete files, the rest are not started.
        """
        # a big list is parsed in a helper: here it held Python's lock for seconds
        drawings, problems = labelled_list(path)
        with _import_turn(self.directory):
            existing, _ = self.load()
            seen = {_fingerprint(s.drawing, s.label) for s in existing}
            added, duplicates = [], 0
            for drawing, label in drawings:
                if should_stop is not None and should_stop():
                    break
                key = _fingerprint(drawing, label)
                if key in seen:
                    duplicates += 1
                    continue
                try:
                    added.append(self.add(drawing, label))
                except InputError as error:  # e.g. too large to read back
                    problems.append(Problem(str(path), error.reason))
                    continue
                seen.add(key)
        return ImportResult(added, duplicates, problems)

    def _sweep_temp_files(self, names: Sequence[str]) -> None:
        """Remove temp files a write left when its process was killed mid-write
        (a quit during an import); a write takes milliseconds, so one older than
        ``STALE_TEMP_S`` is nobody's."""
        now = time.time()
        for name in names:
            if not (name.startswith(".") and name.endswith(".json.tmp")):
                continue
            path = self.directory / name
            with contextlib.suppress(OSError):
                if now - path.lstat().st_mtime > STALE_TEMP_S:
                    path.unlink()


_IMPORT_LOCKS: dict[str, threading.Lock] = {}
_IMPORT_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def _import_turn(directory: Path) -> Iterator[None]:
    """One import at a time into ``directory``: across threads by a lock, across
    processes (a second window) by ``flock`` on a dot file the loader never reads."""
    key = os.path.abspath(directory)
    with _IMPORT_LOCKS_GUARD:
        lock = _IMPORT_LOCKS.setdefault(key, threading.Lock())
    with lock:
        handle = None
        try:
            directory.mkdir(parents=True, exist_ok=True)
            handle = open(directory / ".import.lock", "a")  # noqa: SIM115
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except OSError:
            pass  # no lock file (read-only folder): the adds will say why
        try:
            yield
        finally:
            if handle is not None:
                handle.close()  # releases the flock


def _read_if_changed(
    path: Path, known: tuple[tuple[int, int, int], Sample] | None
) -> tuple[Sample, tuple[tuple[int, int, int], Sample]]:
    """The sample at ``path``, reusing ``known`` when the file is the same one."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise InputError(path, f"cannot read ({one_line(error)})") from None
    version = (info.st_ino, info.st_size, info.st_mtime_ns)
    if known is not None and known[0] == version:
        return known[1], known
    sample = read_sample(path)
    return sample, (version, sample)


def _fingerprint(drawing: Drawing, label: int) -> tuple:
    return (label, drawing.width, drawing.height, drawing.strokes)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")
