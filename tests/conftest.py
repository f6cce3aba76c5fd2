"""Test-wide set-up: offscreen Qt, local MNIST, and a throwaway user data directory.

Nothing a test does may touch the real home directory or download anything. MNIST
comes from ``DIGITPAD_MNIST`` when it is set (``.ci/run`` sets the full set), else
from the small subset committed in ``tests/data`` (3,000 training and the first
1,000 test images): the suite passes on a fresh clone with no network. The few
checks that need all of MNIST ask for ``full_mnist_path`` and skip without it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from tests.support.data import MNIST_SUBSET

ROOT = Path(__file__).resolve().parents[1]

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
FULL_MNIST = os.environ.get("DIGITPAD_MNIST") or None
# code under test reads DIGITPAD_MNIST itself (training, the CLI): give it the subset
os.environ["DIGITPAD_MNIST"] = FULL_MNIST or str(MNIST_SUBSET)


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """platformdirs honours XDG_*: point them at a temp dir for the whole session."""
    base = tmp_path_factory.mktemp("xdg")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "KERAS_HOME"):
        os.environ[name] = str(base / name.lower())


@pytest.fixture(autouse=True, scope="session")
def _no_downloads() -> None:
    """A test that would fall through to Keras's MNIST download fails instead, the
    way an offline download does (``data.MnistUnavailable``)."""
    from digitpad.core.training import data

    def refuse() -> None:
        raise OSError("tests never download MNIST (set DIGITPAD_MNIST)")

    original, data._keras_download = data._keras_download, refuse
    yield
    data._keras_download = original


@pytest.fixture(scope="session")
def mnist_path() -> Path:
    """MNIST for tests: ``DIGITPAD_MNIST`` if set, else the committed subset."""
    path = Path(os.environ["DIGITPAD_MNIST"])
    if not path.is_file():
        pytest.fail(f"DIGITPAD_MNIST={path} is not a file")
    return path


@pytest.fixture(scope="session")
def full_mnist_path() -> Path:
    """All of MNIST, for checks that need it; skipped when DIGITPAD_MNIST is unset."""
    if not FULL_MNIST:
        pytest.skip("needs the full MNIST set: DIGITPAD_MNIST is not set")
    return Path(FULL_MNIST)


@pytest.fixture(scope="session")
def mnist_test_sample(mnist_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The first 500 MNIST test images (float 0..1) and labels."""
    with np.load(mnist_path) as data:
        return data["x_test"][:500].astype(np.float32) / 255.0, data["y_test"][:500]


@pytest.fixture(scope="session")
def dev_strokes_path() -> Path:
    from tests.support.dev_drawings import ENV_VAR, dev_drawings_path

    path = dev_drawings_path()
    if path is None:
        pytest.skip(f"the pen-written development drawings are absent (set {ENV_VAR})")
    return path


@pytest.fixture(scope="session")
def shipped_predictor():
    """The shipped model (LiteRT), loaded once per session."""
    from digitpad.core.models.inference import load_predictor

    return load_predictor()
