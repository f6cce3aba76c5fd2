"""A fine-tuning run for the panel: a ``TrainingWorker`` that sends a ``FinetuneJob``.

Same helper process, same events, same cancel and previews; only the job and the
finished outcome differ, so the panel drives both kinds of run the same way.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitpad.core.handwriting.finetune import FinetuneConfig
from digitpad.core.handwriting.samples import Sample
from digitpad.gui.training.training_worker import (
    CHOOSE_IN_PANEL,
    SavedLater,
    TrainingWorker,
)


@dataclass(frozen=True)
class FinetuneOutcome:
    """A finished fine-tune: what changed (``handwriting.finetune_job.FinetunedRun``),
    the model waiting in its scratch folder, and the samples it was shown."""

    run: Any
    path: Path
    samples: dict[str, Sample]
    saving: SavedLater = field(default_factory=SavedLater, repr=False)

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)

    @property
    def summary(self) -> str:
        run = self.run
        before = run.own_before.accuracy
        if run.own_after is None:
            return f"your digits {before:.0%} before"
        return f"your digits {before:.0%} → {run.own_after.accuracy:.0%}"


class FinetuneWorker(TrainingWorker):
    """Fine-tunes the model at ``base_path`` on ``samples`` in the helper process."""

    run_name = "Fine-tuning"

    def __init__(
        self,
        base_path: Path,
        samples: Sequence[Sample],
        config: FinetuneConfig,
        preview: bool = False,
    ) -> None:
        super().__init__(config, preview)  # type: ignore[arg-type]
        self.base_path = base_path
        self.samples = list(samples)

    def make_job(self, scratch: Path) -> Any:
        from digitpad.core.handwriting.finetune_job import FinetuneJob

        return FinetuneJob(
            base_path=str(self.base_path),
            drawings=[s.drawing for s in self.samples],
            labels=[s.label for s in self.samples],
            sample_ids=[s.id for s in self.samples],
            config=self.config,  # type: ignore[arg-type]
            scratch=str(scratch),
            previews=self.preview_enabled,
            choose_data=CHOOSE_IN_PANEL,
        )

    def make_outcome(self, run: Any) -> FinetuneOutcome:
        return FinetuneOutcome(run, Path(run.path), {s.id: s for s in self.samples})
