"""Exactly what the network sees: the 28x28 input, enlarged so every pixel shows.

Underneath, the preprocessing stages (crop to the ink, scale into a 20 px box, centre
by mass) explain why a small digit drawn in a corner still reads correctly.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from digitpad.core.preprocess.stages import STAGES
from digitpad.gui.state import AppState, LiveResult
from digitpad.gui.widgets.pixel_image_view import PixelImageView


class InputPreview(QWidget):
    """The network input (28x28) plus the stages that produced it."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixels = PixelImageView(
            224, resizable=True, minimum=112, grid=True, frame=None
        )
        self.pixels.setAccessibleName("Network input preview")
        self.pixels.setToolTip(
            "The 28×28 image the network reads: your ink cropped, scaled into a 20 px "
            "box and centred by its centre of mass, as in MNIST"
        )
        caption = QLabel("What the network sees (28 × 28)")
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        stages = QGridLayout()
        stages.setHorizontalSpacing(8)
        stages.setVerticalSpacing(2)
        self.stage_views: dict[str, PixelImageView] = {}
        # the drawing itself is on the canvas next to this panel
        shown = [stage for stage in STAGES if stage.key != "input"]
        for column, stage in enumerate(shown):
            view = PixelImageView(56, resizable=True, frame=None)
            view.setToolTip(f"Preprocessing stage: {stage.short_title.lower()}")
            self.stage_views[stage.key] = view
            label = QLabel(stage.short_title)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: #6b7280;")
            stages.addWidget(view, 0, column)
            stages.addWidget(label, 1, column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(6)
        layout.addWidget(caption)
        layout.addWidget(self.pixels, 1)
        layout.addLayout(stages)
        state.resultChanged.connect(self.show_result)

    def show_result(self, result: LiveResult) -> None:
        stages = result.preprocessed.stages
        self.pixels.set_array(result.preprocessed.image)
        for key, view in self.stage_views.items():
            view.set_array(None if result.preprocessed.is_empty else stages.get(key))
