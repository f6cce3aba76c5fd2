"""How strokes became the network's input: the four preprocessing stages side by side.

The stages come ready-made in ``LiveResult.preprocessed.stages``; this view only shows
them, each with its size and one line on what that step does, so a user can see why a
tiny or off-centre drawing still reaches the network as a normal-looking digit.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core.preprocess.stages import STAGES
from digitpad.gui.widgets.pixel_image_view import PixelImageView


class PreprocessStagesView(QWidget):
    """Raw canvas, cropped, scaled and centred images in a row, with arrows between."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Preprocessing stages")
        self.views: dict[str, PixelImageView] = {}
        self.sizes: dict[str, QLabel] = {}
        self._row = QGridLayout()
        self._row.setHorizontalSpacing(10)
        self._row.setVerticalSpacing(16)
        self._cells: list[QWidget] = []
        for number, stage in enumerate(STAGES):
            if number:
                arrow = QLabel("→")
                arrow.setStyleSheet(
                    "font-size: 20pt; color: palette(placeholder-text);"
                )
                arrow.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self._cells.append(arrow)
            view = PixelImageView(130, smooth=not stage.network_pixels)
            view.setAccessibleName(f"Stage: {stage.title}")
            size = QLabel()
            size.setStyleSheet("color: palette(placeholder-text);")
            note = QLabel(stage.explanation)
            note.setWordWrap(True)
            note.setFixedWidth(130)
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            column.addWidget(QLabel(f"<b>{number + 1}. {stage.title}</b>"))
            column.addWidget(view)
            column.addWidget(size)
            column.addWidget(note)
            column.addStretch(1)
            self._cells.append(cell)
            self.views[stage.key], self.sizes[stage.key] = view, size
        self._wide: bool | None = None
        intro = QLabel(
            "MNIST digits were size-normalised to 20×20 and centred by mass in 28×28; "
            "your drawing goes through the same steps before the network sees it."
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(self._row)
        layout.addStretch(1)
        self.set_wide(True)  # once the cells belong to this widget
        self.set_stages({})

    def set_wide(self, wide: bool) -> None:
        """One row of four when there is room, two rows of two otherwise."""
        if wide == self._wide:
            return
        self._wide = wide
        per_row = (
            len(self._cells) if wide else 4
        )  # 4 cells = stage, arrow, stage, arrow
        for index, cell in enumerate(self._cells):
            row, column = divmod(index, per_row)
            arrow = isinstance(cell, QLabel)
            align = (
                Qt.AlignmentFlag.AlignVCenter if arrow else Qt.AlignmentFlag.AlignTop
            )
            self._row.addWidget(cell, row, column, align)
            # an arrow that ends a row would point at nothing: the next stage is
            # below, and the numbered titles already give the order
            cell.setVisible(not (arrow and column == per_row - 1))
        self._row.setColumnStretch(len(self._cells), 1)

    def set_stages(self, stages: dict[str, np.ndarray]) -> None:
        """Show the stages present; missing ones (blank canvas) show a hint."""
        for key, view in self.views.items():
            array = stages.get(key)
            if array is None or array.size == 0:
                hint = "Empty canvas" if key == "input" else "Draw a digit"
                view.set_image(None, hint)
                self.sizes[key].setText("")
                continue
            view.set_array(array)
            h, w = array.shape[:2]
            self.sizes[key].setText(f"{w}×{h} pixels")
