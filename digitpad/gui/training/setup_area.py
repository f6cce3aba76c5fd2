"""The training set-up in a box that scrolls only when the dock is too short."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

SETUP_MIN_HEIGHT = 120  # below its natural height the set-up scrolls


def setup_area(form: QWidget) -> QScrollArea:
    """``form`` in a "Set-up" box, in a scroll area that only scrolls when needed.

    Its natural height plus the result tabs' is more than a 800 px window leaves the
    dock; without this the whole panel was taller than the dock and the bottom of
    the results (the confusion matrix's last rows) was cut off.
    """
    setup = QGroupBox("Set-up")
    QVBoxLayout(setup).addWidget(form)
    area = QScrollArea()
    area.setObjectName("SetupScroll")
    area.setWidget(setup)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    area.setMinimumWidth(setup.minimumSizeHint().width())
    area.setMinimumHeight(SETUP_MIN_HEIGHT)
    area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return area
