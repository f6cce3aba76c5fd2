""" "Why this digit": gradient saliency and Grad-CAM overlaid on the network's input.

Computed in the app's one TensorFlow helper process (``core.saliency_process`` asks
``core.tensorflow_helper``; during a training run it answers between two batches),
asked from a worker thread, only while the view is visible, debounced, one request in
flight at a time; a newer drawing replaces any waiting request and answers for an older
one are dropped.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.core.models.saliency_process import explainer_for_app
from digitpad.gui.activations.feature_maps import SEQUENTIAL
from digitpad.gui.activations.kernel_view import captioned
from digitpad.gui.latest_request import LatestRequestRunner
from digitpad.gui.threads import Task
from digitpad.gui.widgets.pixel_image_view import PixelImageView
from digitpad.gui.widgets.qimage_array import argb_to_qimage, grey_to_qimage
from digitpad.gui.widgets.unavailable import disable_for, unavailable_notice

DEBOUNCE_MS = 120
IMAGE_SIDE, IMAGE_MIN = 160, 96


def overlay(image28: np.ndarray, heat: np.ndarray) -> Any:
    """Grey input with the heat map blended on top (transparent where heat is low)."""
    grey = np.clip(np.asarray(image28, np.float32), 0, 1)[..., None] * 160.0
    lut = SEQUENTIAL[np.clip(heat * 255 + 0.5, 0, 255).astype(np.uint8)]
    colour = np.stack([(lut >> shift) & 0xFF for shift in (16, 8, 0)], -1)
    alpha = (np.clip(heat, 0, 1) ** 0.7 * 0.9)[..., None]
    rgb = (colour * alpha + grey * (1 - alpha)).round().astype(np.uint32)
    argb = 0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    return argb_to_qimage(argb)


class SaliencyView(QWidget):
    """Input, gradient saliency and Grad-CAM side by side, for a chosen digit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Saliency")
        self._predictor: Any = None
        self._image: np.ndarray | None = None
        self._dirty = False
        # TensorFlow in a helper process; used by one job at a time, off-thread
        self._explainers = explainer_for_app()
        self._requests: LatestRequestRunner[Any] = LatestRequestRunner(self, "saliency")
        self.last_saliency: Any = None

        self.target = QComboBox()
        self.target.setAccessibleName("Explain which digit")
        self.target.addItem("the network's answer", None)
        for digit in range(10):
            self.target.addItem(f"digit {digit}", digit)
        self.target.currentIndexChanged.connect(lambda _: self._schedule())
        # the three shrink together (down to IMAGE_MIN) in a narrow dock, not cut
        self.input_view = PixelImageView(IMAGE_SIDE, resizable=True, minimum=IMAGE_MIN)
        self.gradient_view = PixelImageView(
            IMAGE_SIDE, resizable=True, minimum=IMAGE_MIN
        )
        self.gradient_view.setAccessibleName("Gradient saliency")
        self.gradcam_view = PixelImageView(
            IMAGE_SIDE, resizable=True, minimum=IMAGE_MIN
        )
        self.gradcam_view.setAccessibleName("Grad-CAM")
        self.gradcam_title = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: palette(placeholder-text);")

        intro = QLabel(
            "Which pixels pushed the network towards its answer? Bright means "
            "changing that pixel would change the answer's score the most."
        )
        intro.setWordWrap(True)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel("Explain:"))
        chooser.addWidget(self.target)
        chooser.addStretch(1)
        images = QHBoxLayout()
        images.setSpacing(16)
        images.addWidget(captioned(self.input_view, "Network input"))
        images.addWidget(
            captioned(
                self.gradient_view,
                "Gradient saliency",
                "Pixel by pixel (SmoothGrad: averaged over noisy copies).",
            )
        )
        images.addWidget(
            captioned(
                self.gradcam_view,
                "Grad-CAM",
                "Which regions the last convolutional maps used; coarse but readable.",
            )
        )
        images.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(intro)
        # Without TensorFlow (the lean bundle) no map can be computed: say so up front.
        self.unavailable = tensorflow_missing()
        if self.unavailable is not None:
            layout.addWidget(unavailable_notice(self.unavailable))
            disable_for(self.target, self.unavailable)
        layout.addLayout(chooser)
        layout.addLayout(images)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._request)
        self._clear("Draw a digit to see why the network chose it.")

    def set_model(self, predictor: Any) -> None:
        self._predictor = predictor
        self._schedule()

    def set_image(self, image28: np.ndarray | None) -> None:
        """The network's current input (None: empty canvas)."""
        self._image = image28
        if image28 is None:
            self._clear("Draw a digit to see why the network chose it.")
            self._requests.drop()
            return
        self.input_view.set_image(grey_to_qimage(image28))
        self._schedule()

    def stop(self) -> None:
        """Stop computing; a computation in flight is abandoned, its answer dropped."""
        self._timer.stop()
        self._requests.close()
        close = getattr(self._explainers, "close", None)
        if close is not None:  # the shared helper stays: it exits when idle or at exit
            close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._schedule()

    def _schedule(self) -> None:
        self._dirty = True
        if self.isVisible() and self._image is not None and self._predictor is not None:
            self._timer.start()

    def _request(self) -> None:
        if self.unavailable is not None:
            return
        if not self.isVisible() or self._image is None or self._predictor is None:
            return
        self._dirty = False
        predictor, image = self._predictor, self._image.copy()
        digit, explainers = self.target.currentData(), self._explainers

        def explain(task: Task) -> Any:
            def progress(text: str) -> None:
                task.post(lambda: self.status.setText(text))

            return explainers.explain(predictor, image, digit, progress)

        self._requests.request(explain, self._show, self._fail)

    def _show(self, saliency: Any) -> None:
        if self._image is None:
            return
        self.last_saliency = saliency
        probability = float(saliency.probabilities[saliency.digit])
        self.gradient_view.set_image(overlay(self._image, saliency.gradient))
        if saliency.gradcam is None:
            self.gradcam_view.set_image(None, "No convolutional layer")
        else:
            self.gradcam_view.set_image(overlay(self._image, saliency.gradcam))
        self.status.setText(
            f"Explaining digit {saliency.digit} (probability {100 * probability:.1f}%)"
            + (
                f"; Grad-CAM uses layer {saliency.gradcam_layer}."
                if saliency.gradcam_layer
                else "."
            )
        )

    def _fail(self, message: str) -> None:
        self._clear(message)

    def _clear(self, message: str) -> None:
        self.last_saliency = None
        if self._image is None:
            self.input_view.set_image(None, "Empty canvas")
        for view in (self.gradient_view, self.gradcam_view):
            view.set_image(None, "")
        self.status.setText(message if self.unavailable is None else "")
