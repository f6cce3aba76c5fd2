"""Progress of a run: a bar over all batches of all epochs, and a line of numbers.

The line says where training is (epoch, batch), how it is doing (running loss and
accuracy) and how long is left, so a student can tell a slow run from a stuck one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from digitpad.core.training.progress import BatchProgress, EpochProgress

STEPS = 1000


def format_duration(seconds: float) -> str:
    """'0:42', '12:05', '1:02:03': short enough for a status line."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TrainingProgress(QWidget):
    """A progress bar plus a status line under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Training progress")
        self.bar.setRange(0, STEPS)
        self.bar.setValue(0)
        self.bar.setFormat("%p%")
        self.status = QLabel("Ready.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Training status")
        self._last_epoch: EpochProgress | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)

    def start(self, message: str) -> None:
        self.bar.setRange(0, 0)  # busy until the first batch: data and TF are loading
        self._last_epoch = None
        self.status.setText(message)

    def show_batch(self, progress: BatchProgress) -> None:
        self.bar.setRange(0, STEPS)
        self.bar.setValue(round(progress.fraction * STEPS))
        parts = [
            f"Epoch {progress.epoch} of {progress.epochs}",
            f"batch {progress.batch:,} of {progress.batches:,}",
            f"loss {progress.loss:.3f}",
            f"accuracy {progress.accuracy:.1%}",
            f"about {format_duration(progress.eta_seconds)} left",
        ]
        if self._last_epoch is not None and self._last_epoch.val_accuracy is not None:
            parts.append(
                f"validation {self._last_epoch.val_accuracy:.1%} "
                f"after epoch {self._last_epoch.epoch}"
            )
        self.status.setText(" · ".join(parts))

    def show_epoch(self, progress: EpochProgress) -> None:
        self._last_epoch = progress

    def finish(self, message: str, complete: bool) -> None:
        """Stop the busy indicator; fill the bar only when the run completed."""
        self.bar.setRange(0, STEPS)
        if complete:
            self.bar.setValue(STEPS)
        self.status.setText(message)

    def message(self, text: str) -> None:
        self.status.setText(text)
