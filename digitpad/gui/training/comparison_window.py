"""The "Model comparison" window: two to four models side by side.

Non-modal (the user keeps drawing while it is open): curves overlaid, a table of
what differs and what they score, the confusion difference and the test digits two
of them read differently. The models are opened and scored off the GUI thread
(``comparison_job`` on a ``Runner``); each result arrives as one queued call and
is shown in slices (``Steps``), so the window never pauses. A clicked digit goes
to the canvas through ``digitChosen`` (the panel connects it to the app state),
and every compared model's answer for it, and for whatever is on the canvas, is
shown as it comes (asked off the GUI thread, the latest request winning).
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.handwriting.handwriting_score import RULE
from digitpad.core.models.model_facts import ModelFacts
from digitpad.core.training.comparison import (
    TestSet,
    confusion_difference,
    disagreements,
)
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.state import AppState
from digitpad.gui.threads import Runner, Steps
from digitpad.gui.training.comparison_curves import (
    LETTERS,
    MODEL_COLOURS,
    ComparisonCurves,
)
from digitpad.gui.training.comparison_digits import (
    ConfusionDifference,
    DisagreementGallery,
)
from digitpad.gui.training.comparison_job import (
    ComparisonCallbacks,
    ModelResult,
    comparison_job,
    distinct_names,
    store_samples,
)
from digitpad.gui.training.comparison_table import ComparisonTable
from digitpad.gui.widgets.message_boxes import show_error


class ComparisonWindow(QWidget):
    """Compares the models at ``models`` ((path, name) pairs, two to four)."""

    digitChosen = Signal(object)  # np.ndarray (28, 28) float32: put it on the canvas
    scoringFinished = Signal()  # every model is scored and shown
    scoringFailed = Signal(str)

    def __init__(
        self,
        models: Sequence[tuple[Path, str]],
        state: AppState | None = None,
        data_path: str | Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.Window)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.setWindowTitle("Model comparison")
        self.setAccessibleName("Model comparison")
        self._count = len(models)
        self._results: dict[int, ModelResult] = {}
        self._facts: dict[int, ModelFacts] = {}
        self._test: TestSet | None = None
        self._pair = (0, 1)
        self.chosen_index: int | None = None
        self._state = state
        self._answer_lines = ["", ""]  # the clicked test digit, the canvas

        self.status = QLabel("Opening the models…", wordWrap=True)
        self.status.setAccessibleName("Comparison status")
        self.legend = QLabel(wordWrap=True)
        self.legend.setAccessibleName("Compared models")
        self.legend.setTextFormat(Qt.RichText)
        self._names = distinct_names(models)
        self.curves = ComparisonCurves()
        self.table = ComparisonTable(self._count)
        self.pair_box = QComboBox()
        self.pair_box.setAccessibleName("Models to compare digit by digit")
        self._pairs = [
            (i, j) for i in range(self._count) for j in range(i + 1, self._count)
        ]
        for i, j in self._pairs:
            self.pair_box.addItem(f"{LETTERS[i]} against {LETTERS[j]}")
        self.pair_box.currentIndexChanged.connect(self._pair_changed)
        self.pair_box.setVisible(len(self._pairs) > 1)
        self.confusion = ConfusionDifference()
        self.gallery = DisagreementGallery()
        self.gallery.digitChosen.connect(self._digit_chosen)
        self.gallery_caption = QLabel("The digits they read differently appear here.")
        self.gallery_caption.setWordWrap(True)
        self.answers = QLabel(wordWrap=True)
        self.answers.setAccessibleName("Their answers")
        self.answers.setTextFormat(Qt.PlainText)
        rule = QLabel(RULE, wordWrap=True)
        rule.setStyleSheet("color: palette(mid);")

        top = QSplitter(Qt.Horizontal)
        top.addWidget(self.curves)
        top.addWidget(self.table)
        top.setSizes([560, 600])
        confusion_box = QWidget()
        confusion_layout = QVBoxLayout(confusion_box)
        confusion_layout.setContentsMargins(0, 0, 0, 0)
        self.confusion_caption = QLabel("Confusion difference", wordWrap=True)
        confusion_layout.addWidget(self.pair_box)
        confusion_layout.addWidget(self.confusion_caption)
        confusion_layout.addWidget(self.confusion, 1)
        digits_box = QWidget()
        digits_layout = QVBoxLayout(digits_box)
        digits_layout.setContentsMargins(0, 0, 0, 0)
        digits_layout.addWidget(self.gallery_caption)
        digits_layout.addWidget(self.gallery, 1)
        digits_layout.addWidget(self.answers)
        bottom = QWidget()
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(confusion_box)
        bottom_layout.addWidget(digits_box, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([430, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        layout.addWidget(rule)
        self.resize(1180, 800)

        self._steps = Steps(self)
        self._runner = Runner(self, "comparison")
        self._digit_answers: LatestRequestRunner[str] = LatestRequestRunner(
            self, "comparison-digit"
        )
        self._canvas_answers: LatestRequestRunner[str] = LatestRequestRunner(
            self, "comparison-canvas"
        )
        self._predicting = threading.Lock()
        callbacks = ComparisonCallbacks(
            opened=self._opened,
            progress=self.status.setText,
            scored=self._scored,
            test_set=self._test_set,
        )
        store = state.handwriting if state is not None else None
        named = [
            (Path(path), name)
            for (path, _), name in zip(models, self._names, strict=True)
        ]
        job = comparison_job(named, store_samples(store), callbacks, data_path)
        self._runner.start(job, lambda _: self._all_scored(), self._failed)
        if state is not None:
            state.resultChanged.connect(self._canvas_changed)

    # ------------------------------------------------------------------ results

    @property
    def results(self) -> dict[int, ModelResult]:
        return dict(self._results)

    def _opened(self, index: int, facts: ModelFacts) -> None:
        self._facts[index] = facts
        self.legend.setText(
            " &nbsp; ".join(
                f"<b style='color: rgb{MODEL_COLOURS[i]}'>{LETTERS[i]}</b> "
                f"{html.escape(self._facts[i].name)}"
                for i in sorted(self._facts)
            )
        )
        self.table.set_facts(index, facts)
        self.curves.add_model(index, facts)

    def _test_set(self, test: TestSet) -> None:
        self._test = test

    def _scored(self, result: ModelResult) -> None:
        self._results[result.index] = result
        self.table.set_scores(result.index, result.scored, result.handwriting)
        # the pair's digits once, when its second model lands (not again per model)
        if result.index in self._pair and all(i in self._results for i in self._pair):
            self._show_pair()

    def _all_scored(self) -> None:
        if len(self._results) < self._count:
            return  # cancelled (the window is closing)
        test = self._test
        source = test.source if test is not None else "MNIST"
        self.status.setText(
            f"{self._count} models on {len(test.labels):,} MNIST test digits "
            f"({source})."
            if test is not None
            else "Scored."
        )
        self.scoringFinished.emit()

    def _failed(self, message: str) -> None:
        self.status.setText(f"Could not compare: {message}")
        self.scoringFailed.emit(message)
        show_error(self, "Could not compare the models", message)

    # ------------------------------------------------------------------ pair

    def _pair_changed(self, row: int) -> None:
        if 0 <= row < len(self._pairs):
            self._pair = self._pairs[row]
            if all(i in self._results for i in self._pair):
                self._show_pair()

    def _show_pair(self) -> None:
        self._steps.start(self._pair_steps())

    def _pair_steps(self) -> Iterator[None]:
        i, j = self._pair
        first, second = self._results[i].scored, self._results[j].scored
        a, b = LETTERS[i], LETTERS[j]
        self.confusion.set_difference(confusion_difference(first, second), a, b)
        self.confusion_caption.setText(
            f"Confusion difference, {b} minus {a} (rows: true digit, columns: "
            f"read as). Green: {b} better, red: {b} worse."
        )
        yield
        differ = disagreements(first, second)
        self.disagreement_index = differ
        test = self._test
        if test is None:
            return
        shown = f" (first {min(len(differ), 200)} shown)" if len(differ) > 200 else ""
        self.gallery_caption.setText(
            f"{len(differ):,} test digits {a} and {b} read differently{shown}, "
            f"captioned 'true: {a} | {b}'. Click one to put it on the canvas."
        )
        self.gallery.set_digits(
            test.images,
            test.labels,
            differ,
            first.predictions,
            second.predictions,
            (a, b),
        )

    # ------------------------------------------------------------------ digits

    def _digit_chosen(self, index: int) -> None:
        test = self._test
        if test is None:
            return
        self.chosen_index = index
        image = test.images[index].astype(np.float32) / 255.0
        label = int(test.labels[index])
        prefix = f"Test digit {index:,}, a {label}: "
        self._ask_answers(self._digit_answers, 0, prefix, image)
        self.digitChosen.emit(image)

    def _canvas_changed(self, result) -> None:
        image = getattr(result.preprocessed, "image", None)
        if image is None or not self._results:
            return
        self._ask_answers(self._canvas_answers, 1, "On the canvas: ", image)

    def _ask_answers(
        self, runner: LatestRequestRunner, line: int, prefix: str, image: np.ndarray
    ) -> None:
        """Every scored model reads ``image`` off the GUI thread (latest wins)."""
        results = dict(self._results)
        runner.request(
            lambda _task: prefix + self._answers_for(results, image),
            lambda text: self._show_answer(line, text),
            lambda message: self._show_answer(line, prefix + message),
        )

    def _show_answer(self, line: int, text: str) -> None:
        self._answer_lines[line] = text
        self.answers.setText("\n".join(t for t in self._answer_lines if t))

    def _answers_for(self, results: dict[int, ModelResult], image: np.ndarray) -> str:
        """What each scored model reads in ``image`` (in a worker: a model's LiteRT
        interpreter serves one thread at a time, hence the lock)."""
        parts = []
        for index in sorted(results):
            predictor = results[index].predictor
            try:
                with self._predicting:
                    p = predictor.predict_probabilities(image[None])[0]
            except Exception as error:  # a model that fails on it says so
                parts.append(f"{LETTERS[index]} failed ({error})")
                continue
            digit = int(np.argmax(p))
            parts.append(f"{LETTERS[index]} reads {digit} ({p[digit]:.0%})")
        return ", ".join(parts) + "."

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event) -> None:
        self._runner.close()
        self._digit_answers.close()
        self._canvas_answers.close()
        if self._state is not None:
            self._state.resultChanged.disconnect(self._canvas_changed)
            self._state = None
        super().closeEvent(event)
