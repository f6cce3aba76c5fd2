"""QImage <-> numpy honours row padding and device pixel ratio."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage

from digitpad.gui.widgets.qimage_array import (
    argb_to_qimage,
    grey_to_qimage,
    qimage_to_grey,
    qimage_to_rgba,
    rgba_to_qimage,
)


def test_odd_width_rows_are_padded_and_still_read_right():
    array = (np.arange(5 * 7).reshape(5, 7) * 7).astype(np.uint8)
    image = grey_to_qimage(array)
    assert image.bytesPerLine() > image.width()  # 32-bit aligned rows
    np.testing.assert_array_equal(qimage_to_grey(image) * 255, array)


def test_float_input_and_rgba_round_trip():
    grey = np.linspace(0, 1, 3 * 5, dtype=np.float32).reshape(3, 5)
    np.testing.assert_allclose(qimage_to_grey(grey_to_qimage(grey)), grey, atol=1 / 255)
    rgba = np.random.default_rng(0).integers(0, 256, (3, 5, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    np.testing.assert_array_equal(qimage_to_rgba(rgba_to_qimage(rgba)), rgba)


def test_argb_colours_keep_their_channels():
    rgba = np.random.default_rng(1).integers(0, 256, (3, 5, 4), dtype=np.uint8)
    rgba[..., 3] = 255
    r, g, b = (rgba[..., i].astype(np.uint32) for i in range(3))
    argb = 0xFF000000 | (r << 16) | (g << 8) | b
    np.testing.assert_array_equal(qimage_to_rgba(argb_to_qimage(argb)), rgba)


def test_hidpi_image_reads_at_logical_size():
    image = QImage(40, 20, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    image.setDevicePixelRatio(2.0)
    assert qimage_to_grey(image).shape == (20, 40)
    assert qimage_to_grey(image, logical_size=True).shape == (10, 20)
