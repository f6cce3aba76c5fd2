"""A finished run's model, undecided until the user keeps or discards it.

Keep saves it into the library on a worker thread, then makes the saved copy
current; a failed save leaves it undecided, so nothing is lost. Discard deletes its
files and brings back the model that was current before the run (``WatchPreviews``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from digitpad.core.models.inference import Predictor
from digitpad.gui.state import AppState
from digitpad.gui.training.finetune_worker import FinetuneOutcome
from digitpad.gui.training.library_jobs import LibraryJobs, model_title
from digitpad.gui.training.result_tabs import ResultTabs
from digitpad.gui.training.training_progress import TrainingProgress
from digitpad.gui.training.training_worker import TrainingOutcome
from digitpad.gui.training.watch_previews import WatchPreviews
from digitpad.gui.widgets.message_boxes import show_error

Outcome = TrainingOutcome | FinetuneOutcome


class KeepDecision:
    def __init__(
        self,
        owner: QWidget,
        state: AppState,
        jobs: LibraryJobs,
        tabs: ResultTabs,
        progress: TrainingProgress,
        previews: WatchPreviews,
        *,
        saving_changed: Callable[[], None],
        closing: Callable[[], bool],
    ) -> None:
        """``saving_changed`` is called when a save starts and when it ends;
        while ``closing()`` is true, a failed save is not shown as a dialog."""
        self._owner = owner
        self._state = state
        self._jobs = jobs
        self._tabs = tabs
        self._progress = progress
        self._previews = previews
        self._saving_changed = saving_changed
        self._closing = closing
        self.outcome: Outcome | None = None

    @property
    def saving(self) -> bool:
        """A kept model is still being written to the library."""
        return self._jobs.busy

    def offer(self, outcome: Outcome) -> None:
        """Show the finished run on its tab, with Keep and Discard."""
        self.outcome = outcome
        view = self._tabs.view_of(outcome)
        view.show_outcome(outcome)
        self._tabs.setCurrentWidget(view)
        self._progress.finish(f"Done: {outcome.summary}. Keep it?", True)

    def keep(self) -> None:
        """Save the finished model to the library (off the GUI thread), then use it."""
        outcome = self.outcome
        if outcome is None:
            return
        self._tabs.view_of(outcome).set_undecided(False)
        self._progress.message("Saving the model…")
        self._jobs.keep(outcome, self._kept, self._keep_failed)
        self._saving_changed()

    def _kept(self, predictor: Predictor) -> None:
        self._saving_changed()
        outcome, self.outcome = self.outcome, None
        self._previews.forget()
        self._state.set_predictor(predictor)
        self._tabs.models.refresh()
        kept = f"Kept “{model_title(predictor)}”"
        if outcome is not None:
            kept += f" ({outcome.summary})"
        self._tabs.view_of(outcome).note(kept + "; it is now the current model.")
        self._progress.message(kept + ".")

    def _keep_failed(self, message: str) -> None:
        self._saving_changed()
        self._tabs.view_of(self.outcome).set_undecided(True)
        self._progress.message("Saving failed; the model is not kept yet.")
        if not self._closing():
            show_error(self._owner, "Could not keep the model", message)

    def discard(self) -> None:
        """Forget the finished model and bring back the one that was current before."""
        if self.outcome is None:
            return
        outcome, self.outcome = self.outcome, None
        outcome.discard()
        self._previews.restore_base()
        view = self._tabs.view_of(outcome)
        view.set_undecided(False)
        view.note("Discarded; the previous model is current.")
        self._progress.message("Discarded the trained model.")
