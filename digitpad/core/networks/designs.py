"""Saved designs: the user's own network specs, one JSON file each, by name.

They live in ``<user data>/designs/NAME.json`` and are written atomically, so a crash
never leaves half a design. The folder is the index (no list file to disagree with
it); a file that does not parse is named in ``DesignListing.skipped`` and the others
still list. A design's name is its file name, and names are checked (``spec``'s
pattern: no separators, no leading dot), so a path built from a name stays inside the
folder; the check below makes sure of it anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from digitpad.core import paths
from digitpad.core.atomic import write_bytes_atomically
from digitpad.core.networks.presets import PRESETS, preset_spec
from digitpad.core.networks.spec import (
    NetworkSpec,
    SpecError,
    name_problem,
    parse_spec,
    read_spec_file,
    spec_to_dict,
    spec_to_json,
)

SUFFIX = ".json"
MAX_DESIGNS = 1000  # more files than this in the folder are not read


@dataclass(frozen=True)
class DesignListing:
    """The designs that parsed, by name, and one line per file that did not."""

    specs: list[NetworkSpec] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return [spec.name for spec in self.specs]


def designs_dir() -> Path:
    return paths.user_data_dir() / "designs"


def file_stem(name: str) -> str:
    """A name made safe as a file name's stem (for names that were never checked,
    e.g. an architecture read from a model's metadata)."""
    stem = re.sub(r"[^\w.-]+", "_", name).strip("._") or "model"
    return stem[:64]


def design_path(name: str, directory: Path | None = None) -> Path:
    """Where the design ``name`` is kept; ``SpecError`` for a name that is not one."""
    problem = name_problem(name)
    if problem:
        raise SpecError(problem)
    folder = directory or designs_dir()
    path = folder / f"{name}{SUFFIX}"
    if path.parent != folder or path.name.startswith("."):
        raise SpecError(f"the name {name!r} cannot be a file name")
    return path


def list_designs(directory: Path | None = None) -> DesignListing:
    """Every saved design, sorted by name; a corrupt file is named and skipped."""
    folder = directory or designs_dir()
    try:
        files = sorted(
            p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".")
        )
    except OSError:
        return DesignListing()
    listing = DesignListing()
    for path in files[:MAX_DESIGNS]:
        try:
            spec = read_spec_file(path)
        except SpecError as error:
            listing.skipped.append(str(error))
            continue
        if spec.name != path.stem and name_problem(path.stem) is None:
            spec = replace(spec, name=path.stem)  # the file was renamed: its name wins
        listing.specs.append(spec)
    listing.specs.sort(key=lambda spec: spec.name.casefold())
    return listing


def save_design(spec: NetworkSpec, directory: Path | None = None) -> Path:
    """Keep ``spec`` under its name (replacing a design of that name), atomically.

    Refused (``SpecError``): a preset's name, or a spec that cannot be built, so every
    listed design can be trained.
    """
    if spec.name in PRESETS:
        raise SpecError(
            f"{spec.name!r} is a preset's name; give the design another name"
        )
    checked = parse_spec(spec_to_dict(spec))
    path = design_path(checked.name, directory)
    try:
        write_bytes_atomically(path, spec_to_json(checked).encode("utf-8"))
    except OSError as error:
        raise SpecError(f"{path}: could not save ({error.strerror or error})") from None
    return path


def load_design(name: str, directory: Path | None = None) -> NetworkSpec:
    """The saved design ``name``; ``SpecError`` if there is none or it is corrupt."""
    path = design_path(name, directory)
    if not path.is_file():
        raise SpecError(f"there is no saved design named {name!r}")
    spec = read_spec_file(path)
    return replace(spec, name=name)


def delete_design(name: str, directory: Path | None = None) -> None:
    path = design_path(name, directory)
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise SpecError(f"{path}: could not delete ({error.strerror})") from None


def unique_name(name: str, directory: Path | None = None) -> str:
    """``name``, or ``name 2``, ``name 3``... whichever no preset or design has."""
    taken = set(PRESETS) | {n.casefold() for n in list_designs(directory).names()}
    candidate, n = name, 2
    while candidate.casefold() in taken or candidate in PRESETS:
        suffix = f" {n}"
        candidate, n = name[: 64 - len(suffix)] + suffix, n + 1
    return candidate


def import_design(path: str | Path, directory: Path | None = None) -> NetworkSpec:
    """Read a spec file and keep it as a design (renamed if the name is taken)."""
    spec = read_spec_file(path)
    spec = replace(spec, name=unique_name(spec.name, directory))
    save_design(spec, directory)
    return spec


def export_design(spec: NetworkSpec, path: str | Path) -> None:
    """Write ``spec`` as a spec file anywhere the user chose, atomically."""
    checked = parse_spec(spec_to_dict(spec))
    try:
        write_bytes_atomically(path, spec_to_json(checked).encode("utf-8"))
    except OSError as error:
        raise SpecError(f"{path}: could not save ({error.strerror or error})") from None


def resolve_architecture(name: str, directory: Path | None = None) -> NetworkSpec:
    """A preset's or a saved design's spec by name, with the choices in the error."""
    if name in PRESETS:
        return preset_spec(name)
    if name_problem(name) is None and design_path(name, directory).is_file():
        return load_design(name, directory)
    choices = ", ".join([*PRESETS, *list_designs(directory).names()])
    raise SpecError(f"unknown architecture {name!r} (choose from {choices})")
