"""Test-wide set-up: offscreen Qt, local MNIST, and a throwaway user data directory.

Nothing a test does may touch the real home directory or download anything.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if "DIGITPAD_MNIST" not in os.environ and (SHARED / "mnist" / "mnist.npz").is_file():
    os.environ["DIGITPAD_MNIST"] = str(SHARED / "mnist" / "mnist.npz")


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """platformdirs honours XDG_*: point them at a temp dir for the whole session."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(base / name.lower())


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    path = os.environ.get("DIGITPAD_MNIST")
    if not path or not Path(path).is_file():
        pytest.fail("DIGITPAD_MNIST must point at mnist.npz (see README, Development)")
    return Path(path)


@pytest.fixture(scope="session")
def mnist_test_sample(mnist_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The first 500 MNIST test images (float 0..1) and labels."""
    with np.load(mnist_path) as data:
        return data["x_test"][:500].astype(np.float32) / 255.0, data["y_test"][:500]


@pytest.fixture(scope="session")
def dev_strokes_path() -> Path:
    path = SHARED / "strokes-dev" / "unipen-1a-dev.json"
    if not path.is_file():
        pytest.skip("the pen-written development drawings are not beside the repo")
    return path


@pytest.fixture(scope="session")
def shipped_predictor():
    """The shipped model (LiteRT), loaded once per session."""
    from digitpad.core.inference import load_predictor

    return load_predictor()
