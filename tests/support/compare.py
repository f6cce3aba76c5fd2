"""Two tiny trained models saved as DigitPad model files, for comparison tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from digitpad.core.models import modelfile
from digitpad.core.models.library import training_metadata
from digitpad.core.training.trainer import TrainConfig, TrainResult, train

CONFIGS = (
    TrainConfig(epochs=2, batch_size=32, limit=300, seed=1),
    TrainConfig(epochs=2, batch_size=64, learning_rate=2e-3, limit=300, seed=2),
)


@cache
def _trained() -> tuple[TrainResult, ...]:
    return tuple(train(config) for config in CONFIGS)


def save_two_models(folder: Path) -> list[tuple[Path, TrainResult]]:
    """Both runs saved into ``folder`` (trained once per test session)."""
    saved = []
    for n, result in enumerate(_trained()):
        path = folder / f"model-{n}.keras"
        meta = training_metadata(result)
        meta["created"] = f"2026-01-0{n + 1}T00:00:00+00:00"  # A is the older
        modelfile.save_model(result.model, path, meta)
        saved.append((path, result))
    return saved
