"""Make docs/screenshots/compare.png: two kept models compared in the Training panel.

Run from the repository root with DIGITPAD_MNIST pointing at mnist.npz:
``QT_QPA_PLATFORM=offscreen python docs/screenshots/compare_screenshot.py A.keras
B.keras``. The models are copied into a throwaway model library; the Models tab is
driven with real clicks (a model, Ctrl+click a second, Compare models), the window
waits for both scores and the first digit they read differently is clicked.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-shot-")

from PySide6.QtCore import QEventLoop, QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QPushButton  # noqa: E402


def wait_until(condition, timeout_ms: int = 600_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 20


def click_row(listing, row: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    rect = listing.visualItemRect(listing.item(row))
    QTest.mouseClick(
        listing.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center()
    )


def main(models: list[Path], out: Path = ROOT / "docs/screenshots/compare.png") -> None:
    app = QApplication(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp()
    )
    from digitpad.core import paths
    from digitpad.core.models.inference import load_predictor
    from digitpad.core.models.metadata import SIDECAR_KINDS, sidecar
    from digitpad.gui.state import AppState
    from digitpad.gui.training.training_panel import TrainingPanel

    library = paths.user_models_dir()
    library.mkdir(parents=True)
    for n, model in enumerate(reversed(models)):  # the library lists newest first
        target = library / f"model-{n}.keras"
        for kind in SIDECAR_KINDS:
            shutil.copy(sidecar(model, kind), sidecar(target, kind))
        shutil.copy(model, target)
    state = AppState()
    state.set_predictor(load_predictor())
    panel = TrainingPanel(state)
    panel.resize(500, 800)
    panel.show()
    panel.tabs.setCurrentWidget(panel.models)
    wait_until(lambda: len(panel.models.entries()) == 1 + len(models))
    listing = panel.models.list
    click_row(listing, 1)
    for row in range(2, 1 + len(models)):
        click_row(listing, row, Qt.KeyboardModifier.ControlModifier)
    (button,) = [
        b
        for b in panel.findChildren(QPushButton)
        if b.accessibleName() == "Compare models"
    ]
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    (window,) = [
        w for w in app.topLevelWidgets() if w.accessibleName() == "Model comparison"
    ]
    window.resize(1180, 800)
    wait_until(lambda: len(window.results) == len(models) and window.gallery.count())
    window.gallery.finish()
    item = window.gallery.item(0)
    rect = window.gallery.visualItemRect(item)
    QTest.mouseClick(
        window.gallery.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    wait_until(lambda: False, 500)  # let the last steps and paints land
    window.grab().save(str(out))
    print(f"saved {out}")
    panel.shutdown(5)


if __name__ == "__main__":
    main([Path(p) for p in sys.argv[1:]])
