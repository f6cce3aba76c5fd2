"""Where the test data lives: the committed MNIST subset (see tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

MNIST_SUBSET = Path(__file__).resolve().parents[1] / "data" / "mnist-subset.npz"
