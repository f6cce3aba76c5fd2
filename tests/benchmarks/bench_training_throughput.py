"""Training from the GUI vs a bare ``model.fit``, and how smooth the GUI stays.

Run with DIGITPAD_MNIST pointing at mnist.npz (offscreen Qt is the default):
``.venv/bin/python tests/benchmarks/bench_training_throughput.py``. Prints one JSON
object. BENCH_LIMIT, BENCH_EPOCHS and BENCH_REPEATS override the size of the run.

Both paths do the same work on the same data: load MNIST, take the same class-balanced
subset, build the same tf.data pipeline and model, fit, predict the test set. The bare
path calls Keras directly with no callbacks; the GUI path presses Start on a shown
``TrainingPanel`` (training helper process, throttled reports, live curves) and
stops the clock when the results appear (the model file is written after them). Runs
alternate and the best of each counts, so load from other processes on a shared
machine hurts both alike. A 5 ms QTimer on the GUI
thread records the longest gap between ticks: while batches run, with "watch it learn"
on (one LiteRT export per epoch), and during start-up (TensorFlow's first import).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-bench-")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # tests.support, when run as a script
from tests.support.full_mnist import require_full_mnist  # noqa: E402

LIMIT = int(os.environ.get("BENCH_LIMIT", "12000"))
EPOCHS = int(os.environ.get("BENCH_EPOCHS", "2"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "4"))


class GapMeter(QObject):
    """Ticks every 5 ms on the GUI thread; remembers the longest gap per phase."""

    def __init__(self) -> None:
        super().__init__()
        self.phase = "startup"
        self.longest: dict[str, int] = {}
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def tick(self) -> None:
        gap = self._clock.restart()
        self.longest[self.phase] = max(self.longest.get(self.phase, 0), gap)

    @Slot(object)
    def batches_arrived(self, _chunk) -> None:
        if self.phase == "startup":
            self.phase = "training"
            self._clock.restart()  # the startup gap is not a training gap


class Canceller(QObject):
    """Presses Cancel when the first progress arrives; times how long the stop takes."""

    def __init__(self, panel) -> None:
        super().__init__()
        self.panel = panel
        self.pressed_at: float | None = None

    @Slot(object)
    def batches_arrived(self, _chunk) -> None:
        if self.pressed_at is None:
            self.pressed_at = time.monotonic()
            self.panel.cancel_button.click()


def bare_run() -> float:
    """The pipeline of ``training.trainer.train``, called straight, no callbacks."""
    import keras
    import numpy as np

    from digitpad.core.networks.builder import build_preset
    from digitpad.core.training.data import load_mnist
    from digitpad.core.training.trainer import TrainConfig, _datasets

    config = TrainConfig(limit=LIMIT, epochs=EPOCHS)
    started = time.monotonic()
    data = load_mnist().subset(config.limit, config.seed)
    keras.utils.set_random_seed(config.seed)
    train_ds, val_ds, _, _ = _datasets(data, config)
    model = build_preset(config.architecture)
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    model.fit(train_ds, validation_data=val_ds, epochs=config.epochs, verbose=0)
    x_test = data.x_test.astype(np.float32)[..., None] / 255.0
    model.predict(x_test, batch_size=512, verbose=0).argmax(axis=1)
    return time.monotonic() - started


def gui_run(
    watch: bool, measure_gaps: bool, cancel: bool = False
) -> tuple[float, dict[str, int]]:
    """Press Start on a shown panel; run the event loop until the results are in.

    With ``cancel`` the run is cancelled at its first progress report and the seconds
    returned are from pressing Cancel to the panel being idle again.
    """
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui.state import AppState
    from digitpad.gui.training.training_panel import TrainingPanel

    state = AppState()
    state.set_predictor(load_predictor(_base_model()))
    panel = TrainingPanel(state)
    panel.resize(900, 900)
    panel.show()
    panel.watch.setChecked(watch)
    panel.form.size.setValue(LIMIT // 1000)
    panel.form.epochs.setValue(EPOCHS)
    loop = QEventLoop()
    panel.runningChanged.connect(lambda running: running or loop.quit())
    meter = GapMeter()
    if measure_gaps:
        meter.start()
    started = time.monotonic()
    panel.start_button.click()
    results_at: list[float] = []  # the results appear (the model file follows)
    panel._worker.trainingFinished.connect(
        lambda _: results_at.append(time.monotonic())
    )
    panel._worker.batchesEnded.connect(meter.batches_arrived)
    canceller = Canceller(panel)
    if cancel:
        panel._worker.batchesEnded.connect(canceller.batches_arrived)
    loop.exec()
    ended = results_at[0] if results_at else time.monotonic()
    seconds = (time.monotonic() - canceller.pressed_at) if cancel else ended - started
    meter.stop()
    panel.close()
    return seconds, meter.longest


def _niceness() -> int:
    from digitpad.core.helpers import thread_priority

    return thread_priority.TRAINING_NICENESS


_BASE: list[str] = []


def _base_model() -> str:
    """The shipped model if present, else an untrained net saved once to a temp dir."""
    from digitpad.core import paths

    if paths.shipped_model_path().is_file():
        return str(paths.shipped_model_path())
    if not _BASE:
        from digitpad.core.models import modelfile
        from digitpad.core.networks.builder import build_preset

        model = build_preset("tutorial")
        path = os.path.join(tempfile.mkdtemp(), "base.keras")
        modelfile.save_model(
            model, path, modelfile.make_metadata(model, architecture="tutorial")
        )
        _BASE.append(path)
    return _BASE[0]


def main() -> None:
    require_full_mnist()  # one line and exit, not a dialog or a download
    # TensorFlow's converter prints to stdout; keep stdout for the one JSON line.
    json_out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    app = QApplication(sys.argv[:1])  # noqa: F841 (the panels need it alive)
    # First GUI run starts the TensorFlow helper: that is the start-up gap.
    _, first = gui_run(watch=False, measure_gaps=True)
    # The freezes are measured before bare_run() brings TensorFlow into this process,
    # as it never is in the app: its garbage, collected on the GUI thread (a 300 ms
    # pass, with TensorFlow's own finalisers), is not the panel's doing.
    _, plain = gui_run(watch=False, measure_gaps=True)
    _, watched = gui_run(watch=True, measure_gaps=True)
    cancel_seconds = gui_run(watch=True, measure_gaps=False, cancel=True)[0]
    bare_run()  # warm Keras' code paths for the bare side too
    bare, gui = [], []
    for _ in range(REPEATS):  # throughput runs: no 5 ms timer competing for the CPU
        bare.append(bare_run())
        gui.append(gui_run(watch=False, measure_gaps=False)[0])
    result = {
        "benchmark": "training_throughput",
        "architecture": "tutorial",
        "images": LIMIT,
        "epochs": EPOCHS,
        "bare_fit_seconds": [round(s, 2) for s in bare],
        "gui_seconds": [round(s, 2) for s in gui],
        "gui_speed_vs_bare": round(min(bare) / min(gui), 3),
        "target_speed_vs_bare": 0.95,
        "gui_longest_gap_ms_training": plain.get("training", 0),
        "gui_longest_gap_ms_training_watch_on": watched.get("training", 0),
        "gui_longest_gap_ms_first_start_tf_import": first.get("startup", 0),
        "target_gap_ms": 50,
        "cancel_to_idle_seconds": round(cancel_seconds, 3),
        "target_cancel_seconds": 2.0,
        "training_niceness": _niceness(),
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result), file=json_out, flush=True)


if __name__ == "__main__":
    main()
