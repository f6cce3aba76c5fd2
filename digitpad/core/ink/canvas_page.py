"""The page behind the canvas: how ink moves when the canvas changes size.

The canvas shows one page (its first size, grown to hold any ink drawn beyond it) as
large as fits. Resizing maps the ink from the old view of that page to the new one, so
a dock opening beside the canvas shrinks the drawing instead of hiding it, and
closing the dock puts every stroke back exactly where it was.
"""

from __future__ import annotations

from digitpad.core.ink.canvas_content import (
    CanvasContent,
    strokes_from_drawing,
    transform_content,
)
from digitpad.core.ink.drawing import Drawing


def fit_transform(
    old: tuple[float, float], new: tuple[float, float]
) -> tuple[float, float, float]:
    """(scale, dx, dy) that maps an ``old``-sized canvas into a ``new`` one, centred.

    Uniform, so a digit keeps its proportions; the whole old canvas stays in view.
    """
    return fit_rect((0.0, 0.0, old[0], old[1]), new)


Rect = tuple[float, float, float, float]  # x, y, width, height


def fit_rect(rect: Rect, size: tuple[float, float]) -> tuple[float, float, float]:
    """(scale, dx, dy) that shows ``rect`` as large as fits in ``size``, centred."""
    x, y, w, h = rect
    scale = min(size[0] / w, size[1] / h)
    return (
        scale,
        (size[0] - w * scale) / 2 - x * scale,
        (size[1] - h * scale) / 2 - y * scale,
    )


def ink_bounds(states: list[CanvasContent]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) around every stroke (with its pen) and image in ``states``."""
    xs: list[float] = []
    ys: list[float] = []
    seen: set[int] = set()
    for content in states:
        for stroke in content.strokes:
            if id(stroke) not in seen:
                seen.add(id(stroke))
                for x, y, w in stroke.points:
                    xs.extend((x - w / 2, x + w / 2))
                    ys.extend((y - w / 2, y + w / 2))
        if content.image is not None:
            x, y, w, h = content.image.rect
            xs.extend((x, x + w))
            ys.extend((y, y + h))
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def refit_page(
    page: Rect | None,
    old: tuple[float, float],
    new: tuple[float, float],
    states: list[CanvasContent],
) -> tuple[Rect, tuple[float, float, float]]:
    """The page grown to hold the ink in ``states``, and the (scale, dx, dy) that
    moves that ink from the ``old`` view of the page to the ``new`` one."""
    page = page or (0.0, 0.0, float(old[0]), float(old[1]))
    scale_old, x_old, y_old = fit_rect(page, old)
    bounds = ink_bounds(states)
    if bounds is not None:  # in page coordinates: grow the page to hold it
        x0, y0, x1, y1 = (
            (v - o) / scale_old
            for v, o in zip(bounds, (x_old, y_old, x_old, y_old), strict=True)
        )
        left, top = min(page[0], x0), min(page[1], y0)
        right = max(page[0] + page[2], x1)
        bottom = max(page[1] + page[3], y1)
        page = (left, top, right - left, bottom - top)
    scale_new, x_new, y_new = fit_rect(page, new)
    scale = scale_new / scale_old
    return page, (scale, x_new - x_old * scale, y_new - y_old * scale)


def drawing_on_page(drawing: Drawing, size: tuple[float, float]) -> CanvasContent:
    """A saved drawing scaled to fit a canvas of ``size``, keeping its proportions."""
    fit = fit_transform((drawing.width, drawing.height), size)
    return transform_content(CanvasContent(strokes_from_drawing(drawing)), *fit)
