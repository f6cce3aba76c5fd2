"""For benchmarks that measure on the full MNIST: where it is (``DIGITPAD_MNIST``,
which ``.ci/run`` sets), or one line saying it is absent. Without it a GUI benchmark
would sit at the app's "MNIST not found" dialog, or measure a download."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "DIGITPAD_MNIST"


def require_full_mnist() -> Path:
    """The path of mnist.npz, or exit with one line naming what is missing."""
    given = os.environ.get(ENV_VAR)
    if not given:
        raise SystemExit(
            f"this benchmark measures on the full MNIST: set {ENV_VAR} to mnist.npz "
            "(Keras's layout, e.g. ../shared/mnist/mnist.npz)"
        )
    path = Path(given)
    if not path.is_file():
        raise SystemExit(f"{ENV_VAR}={given} is not a file: point it at mnist.npz")
    return path
