"""Where the pen-written development drawings are, for the checks and benchmarks
that need them: ``DIGITPAD_STROKES_DEV`` if set, else ``../shared`` beside the repo
(where CI puts them). A worktree or a clone elsewhere sets the variable."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DIGITPAD_STROKES_DEV"
BESIDE_REPO = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "strokes-dev"
    / "unipen-1a-dev.json"
)


def dev_drawings_path() -> Path | None:
    """The development drawings' JSON list, or None when they are not here."""
    given = os.environ.get(ENV_VAR)
    path = Path(given) if given else BESIDE_REPO
    return path if path.is_file() else None


def require_dev_drawings() -> Path:
    """For benchmarks: the path, or exit with one line saying what is missing."""
    path = dev_drawings_path()
    if path is None:
        given = os.environ.get(ENV_VAR)
        where = f"{ENV_VAR}={given} is not a file" if given else f"not in {BESIDE_REPO}"
        raise SystemExit(
            f"the development drawings are absent ({where}): "
            f"set {ENV_VAR} to unipen-1a-dev.json"
        )
    return path
