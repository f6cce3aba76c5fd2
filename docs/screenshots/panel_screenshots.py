"""Make docs/screenshots/activations-layers.png, activations-filters-saliency.png and
training-panel.png: the layer viewer on a hand-drawn 7 and the training panel mid-run.

Run from the repository root (a minute or two: the run trains 12,000 MNIST images for
three epochs in the helper process; saliency needs it too):
``DIGITPAD_MNIST=/path/to/mnist.npz QT_QPA_PLATFORM=offscreen python
docs/screenshots/panel_screenshots.py``. Without DIGITPAD_MNIST the run trains on
tests/data/mnist-subset.npz. Settings and models go to a temp folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.support.data import MNIST_SUBSET  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def wait_until(condition, timeout_s: float = 600.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        QTest.qWait(50)


def seven():
    from digitpad.core.ink.drawing import Drawing

    bar = ((70.0, 70.0), (215.0, 66.0), (200.0, 95.0))
    stem = ((200.0, 95.0), (150.0, 160.0), (118.0, 235.0))
    cross = ((105.0, 150.0), (190.0, 146.0))
    return Drawing(280, 280, (bar + stem[1:], cross))


def activation_shots(state) -> None:
    from digitpad.gui.activations.activation_panel import ActivationPanel
    from tests.support.activations import live_result

    panel = ActivationPanel(state)
    panel.resize(900, 860)
    panel.show()
    panel.set_model(state.predictor)
    state.set_result(live_result(state.predictor, seven()))
    panel.refresh()
    QTest.qWait(500)
    panel.grab().save(str(OUT / "activations-layers.png"))
    panel.tabs.setCurrentIndex(1)
    QTest.qWait(400)
    filters = panel.grab()
    panel.tabs.setCurrentIndex(2)
    wait_until(lambda: panel.saliency.last_saliency is not None, 180)
    QTest.qWait(300)
    saliency = panel.grab()
    top, bottom = 600, 350  # the filters tab's top and the saliency tab's top
    both = QImage(900, top + bottom, QImage.Format.Format_ARGB32)
    painter = QPainter(both)
    painter.drawPixmap(0, 0, filters, 0, 0, 900, top)
    painter.drawPixmap(0, top, saliency, 0, 0, 900, bottom)
    painter.end()
    both.save(str(OUT / "activations-filters-saliency.png"))
    print("activations-layers.png, activations-filters-saliency.png")
    panel.saliency.stop()
    panel.close()


def training_shot(state) -> None:
    from digitpad.gui.training.training_panel import TrainingPanel

    panel = TrainingPanel(state)
    panel.resize(820, 1000)
    panel.show()
    data = os.environ.get("DIGITPAD_MNIST") or str(MNIST_SUBSET)
    panel.form.set_data_file(data)
    panel.form.epochs.setValue(3)
    panel.form.size.setValue(12)  # 12,000 images
    panel.start_button.click()

    # mid-run: the third epoch three quarters done, two epochs' dots drawn
    def mid_run() -> bool:
        two_epochs = panel.curves.point_count("loss/epoch") >= 2
        return two_epochs and panel.progress.bar.value() > 770

    wait_until(lambda: not panel.is_training() or mid_run())
    panel.grab().save(str(OUT / "training-panel.png"))
    print(f"training-panel.png: {panel.progress.status.text()}")
    panel.cancel_training()
    wait_until(lambda: not panel.is_training())
    panel.shutdown(5.0)


def main() -> None:
    app = QApplication(sys.argv[:1])
    temp = Path(tempfile.mkdtemp())
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(temp))
    from digitpad.core import paths
    from digitpad.core.models.inference import load_predictor
    from digitpad.gui.state import AppState

    paths.user_data_dir = lambda: temp / "user"  # models stay out of ~
    state = AppState()
    state.set_predictor(load_predictor())
    activation_shots(state)
    training_shot(state)
    app.quit()


if __name__ == "__main__":
    main()
