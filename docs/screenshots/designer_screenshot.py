"""Make docs/screenshots/designer.png: the network designer on LeNet-5, mid-edit.

Run from the repository root under xvfb (real fonts): ``xvfb-run -a -s "-screen 0
1280x900x24" python docs/screenshots/designer_screenshot.py``.
The designer is opened as the app opens it (View > Network designer…), LeNet-5 is
chosen in *Start from* and its second convolution gets a 7x7 kernel with real key
events, so the picture shows the volumes, a problem in red and the Keras code.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="digitpad-shot-")

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main(out: Path = ROOT / "docs" / "screenshots" / "designer.png") -> None:
    app = QApplication(sys.argv)
    settings = tempfile.mkdtemp()  # the user's own layout stays out of the picture
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings)
    from digitpad.gui import create_window

    window = create_window(load_model=False, panels=False)
    window.show()
    window.actions_by_name["designer"].trigger()
    designer = window.designer.designer
    designer.resize(1180, 800)
    combo = designer.bar.start
    index = combo.findData("preset:lenet5")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    while designer.layers.building:
        QTest.qWait(20)
    row = designer.layers.rows()[2]  # conv2: 14x14 maps in, 5x5 kernel
    spin = row.editors["kernel_size"].control
    spin.setFocus()
    QTest.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin, "7")
    designer.layers.setFocus()
    QTest.qWait(300)
    designer.grab().save(str(out))
    print(out, designer.size().width(), designer.size().height())
    app.quit()


if __name__ == "__main__":
    main()
