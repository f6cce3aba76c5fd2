"""The one place where QImage and numpy meet.

A QImage row is ``bytesPerLine`` bytes long, which is often more than ``width * depth``
(rows are 32-bit aligned), and a HiDPI image has more pixels than its logical size.
Converting here, once, keeps every panel from re-learning those two traps.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage


def qimage_to_grey(image: QImage, *, logical_size: bool = False) -> np.ndarray:
    """A QImage -> float32 grey levels in [0, 1], shape (height, width).

    With ``logical_size`` a HiDPI image is first scaled to its device-independent size,
    so the array matches the widget coordinates the strokes are stored in.
    """
    if logical_size and image.devicePixelRatio() != 1.0:
        size = image.deviceIndependentSize().toSize()
        image = image.scaled(
            QSize(max(1, size.width()), max(1, size.height())),
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return _rows(grey, 1)[:, : grey.width()].astype(np.float32) / 255.0


def qimage_to_rgba(image: QImage) -> np.ndarray:
    """A QImage -> uint8 (height, width, 4) RGBA array (a copy, safe to keep)."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = _rows(rgba, 4)
    return rows[:, : rgba.width() * 4].reshape(rgba.height(), rgba.width(), 4).copy()


def grey_to_qimage(array: np.ndarray) -> QImage:
    """2-D grey levels (float in [0, 1] or uint8) -> an independent QImage."""
    a = np.asarray(array)
    if a.ndim == 3 and a.shape[-1] == 1:
        a = a[..., 0]
    if a.ndim != 2:
        raise ValueError(f"expected a 2-D grey image, got shape {a.shape}")
    if a.dtype != np.uint8:
        a = np.clip(np.nan_to_num(a.astype(np.float32)) * 255.0 + 0.5, 0, 255)
        a = a.astype(np.uint8)
    a = np.ascontiguousarray(a)
    height, width = a.shape
    image = QImage(a.data, width, height, width, QImage.Format.Format_Grayscale8)
    return image.copy()  # detach from the numpy buffer before it goes away


def rgba_to_qimage(array: np.ndarray) -> QImage:
    """A uint8 (height, width, 4) RGBA array -> an independent QImage."""
    a = np.ascontiguousarray(np.asarray(array, dtype=np.uint8))
    if a.ndim != 3 or a.shape[2] != 4:
        raise ValueError(f"expected an (H, W, 4) RGBA array, got shape {a.shape}")
    height, width = a.shape[:2]
    image = QImage(a.data, width, height, width * 4, QImage.Format.Format_RGBA8888)
    return image.copy()


def argb_to_qimage(array: np.ndarray) -> QImage:
    """A (height, width) uint32 array of 0xAARRGGBB colours -> an independent QImage.

    This is what a colour lookup table indexed by a uint8 image gives (the feature
    maps, kernels and saliency overlays).
    """
    a = np.ascontiguousarray(np.asarray(array, dtype=np.uint32))
    if a.ndim != 2:
        raise ValueError(f"expected an (H, W) ARGB32 array, got shape {a.shape}")
    height, width = a.shape
    image = QImage(a.data, width, height, width * 4, QImage.Format.Format_ARGB32)
    return image.copy()


def _rows(image: QImage, depth: int) -> np.ndarray:
    """The image's bytes as (height, bytesPerLine / depth * depth) without copying."""
    height, stride = image.height(), image.bytesPerLine()
    if height == 0 or image.width() == 0:
        return np.zeros((height, 0), dtype=np.uint8)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=height * stride)
    return buffer.reshape(height, stride)
