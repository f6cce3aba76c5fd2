"""The drawing tool bar: pen and eraser, pen width, undo, redo, clear, panel toggles."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSizePolicy, QSlider, QToolBar, QWidget

from digitpad.gui.canvas.drawing_canvas import DrawingCanvas

WIDTH_RANGE = (4, 48)


class DrawingToolBar(QToolBar):
    def __init__(
        self, parent: QWidget, actions: dict[str, QAction], canvas: DrawingCanvas
    ) -> None:
        super().__init__("Drawing tools", parent)
        self.setObjectName("DrawingTools")
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._canvas = canvas
        for name in ("pen", "eraser"):
            self._add(actions[name])
        self.addSeparator()
        label = QLabel(" Width ")
        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider.setAccessibleName("Pen width")
        self.width_slider.setToolTip(
            "Pen and eraser width in pixels (the network input does not depend on it)"
        )
        self.width_slider.setRange(*WIDTH_RANGE)
        self.width_slider.setValue(round(canvas.pen_width))
        self.width_slider.setFixedWidth(140)
        label.setBuddy(self.width_slider)
        self.width_value = QLabel()
        self.width_value.setMinimumWidth(self.fontMetrics().horizontalAdvance("48 px "))
        self.width_slider.valueChanged.connect(self._width_changed)
        self._width_changed(self.width_slider.value())
        self.addWidget(label)
        self.addWidget(self.width_slider)
        self.addWidget(self.width_value)
        self.addSeparator()
        for name in ("undo", "redo", "clear"):
            self._add(actions[name])
        self.addSeparator()
        self._add(actions["digit_boxes"])
        self._panel_separator: QAction | None = None

    def _add(self, action: QAction) -> None:
        self.addAction(action)
        button = self.widgetForAction(action)
        button.setAccessibleName(action.text().replace("&", ""))
        button.setObjectName(f"{action.objectName()}Button")

    def add_panel_toggle(self, toggle: QAction) -> None:
        """A checkable button that shows or hides a docked panel."""
        if self._panel_separator is None:
            spacer = QWidget()
            spacer.setSizePolicy(
                QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
            )
            self.addWidget(spacer)
            self._panel_separator = self.addSeparator()
        self.addAction(toggle)
        self.widgetForAction(toggle).setAccessibleName(toggle.text())

    def _width_changed(self, value: int) -> None:
        self._canvas.set_pen_width(value)
        self.width_value.setText(f"{value} px")
