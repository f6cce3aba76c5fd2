"""Small things a new user saw at the default size (issue 20): numbers readable on
every kernel cell, an image inside its frame, no arrow to nothing, box captions that
do not cover each other."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QImage

from digitpad.core.preprocess.filters import HANDMADE_FILTERS
from digitpad.gui.activations.kernel_view import KernelView
from digitpad.gui.activations.preprocess_stages import PreprocessStagesView
from digitpad.gui.canvas.digit_boxes import box_rect, place_tabs
from digitpad.gui.widgets.pixel_image_view import PixelImageView
from digitpad.gui.widgets.qimage_array import qimage_to_grey
from tests.support.digits import written_number

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _grey(widget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return qimage_to_grey(image)


@pytest.mark.parametrize("name", sorted(HANDMADE_FILTERS))
def test_every_kernel_cell_prints_its_number_in_a_colour_that_reads(qtbot, name):
    view = KernelView(cell=40)
    qtbot.addWidget(view)
    view.set_kernel(HANDMADE_FILTERS[name].kernel)
    view.show()
    qtbot.waitExposed(view)
    grey = _grey(view)
    rows, cols = HANDMADE_FILTERS[name].kernel.shape
    for row in range(rows):
        for col in range(cols):
            cell = grey[row * 40 + 4 : row * 40 + 37, col * 40 + 4 : col * 40 + 37]
            background = float(np.median(cell))
            text = cell.max() if background < 0.5 else cell.min()
            # the digits differ from their cell by at least half the grey scale
            assert abs(float(text) - background) > 0.5, (name, row, col)


def test_an_image_that_fills_its_box_stays_inside_the_frame(qtbot):
    view = PixelImageView(86, resizable=True, frame=None)  # the "20 px box" stage
    qtbot.addWidget(view)
    view.resize(87, 86)  # a grid cell a pixel wider than tall, as in the preview
    view.set_array(np.ones((20, 20), np.float32))  # white to the edges
    view.show()
    qtbot.waitExposed(view)
    grey = _grey(view)
    background = view.palette().window().color().lightnessF()
    frame = view.palette().mid().color().lightnessF()
    inside = grey[:, :86] if abs(grey[43, 86] - background) < 0.02 else grey[:, 1:]
    # the frame's own colour all round, white only inside it, nothing beyond it
    for edge in (inside[0, 1:-1], inside[-1, 1:-1], inside[1:-1, 0], inside[1:-1, -1]):
        np.testing.assert_allclose(edge, frame, atol=0.03)
    assert inside[1:-1, 1:-1].min() > 0.95
    outside = grey[:, 86] if inside is not grey[:, 1:] else grey[:, 0]
    np.testing.assert_allclose(outside, background, atol=0.03)


def test_in_two_rows_no_arrow_points_at_nothing(qtbot):
    view = PreprocessStagesView()
    qtbot.addWidget(view)
    view.set_wide(False)
    view.resize(520, 700)
    view.show()
    qtbot.waitExposed(view)
    stages = [view.views[key].parentWidget() for key in view.views]
    for arrow in (c for c in view._cells if c not in stages and c.isVisible()):
        right = arrow.geometry().right()
        same_row = [
            s for s in stages if s.geometry().top() <= arrow.y() < s.geometry().bottom()
        ]
        assert any(s.geometry().left() > right for s in same_row)


def test_captions_of_overlapping_digit_boxes_do_not_cover_each_other(window, pen):
    canvas = window.canvas
    for stroke in written_number("2026", 60, 250, 120, gap=-0.3):  # cramped
        pen.draw(canvas, stroke)
    pen.settle(window)
    marks = canvas.digit_marks
    assert len(marks) == 4
    rects = [box_rect(mark) for mark in marks]
    assert any(a.intersects(b) for a, b in itertools.pairwise(rects))  # they overlap
    font = QFont(canvas.font())
    font.setBold(True)
    metrics = QFontMetricsF(font)
    widths = [metrics.horizontalAdvance(m.caption) + 10 for m in marks]
    # tabs at their boxes' left corners, as before, would cover each other
    assert any(
        b.left() - a.left() < w
        for a, b, w in zip(rects, rects[1:], widths, strict=False)
    )
    tabs = place_tabs(rects, widths, metrics.height() + 4, QRectF(canvas.rect()))
    for i, tab in enumerate(tabs):
        assert QRectF(canvas.rect()).contains(tab)
        assert tab.left() <= rects[i].right()  # still by its own box
        for other in tabs[i + 1 :]:
            assert not tab.intersects(other)
