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
    moves that ink from the ``old`` view of the page to the ``new`` one.

    With no ink anywhere (undo history included) the page is simply the new canvas:
    a page left from a size the canvas had before anything was drawn (a start-up
    layout, a dock that was open) would otherwise shrink and shift what is drawn
    next. Ink beyond the page grows it evenly about its centre, so the ``old`` view
    shows the grown page exactly as it showed the old one (same scale, same place)
    and resizing back and forth returns every stroke to where it was drawn.
    """
    bounds = ink_bounds(states)
    if bounds is None:
        return (0.0, 0.0, float(new[0]), float(new[1])), (1.0, 0.0, 0.0)
    page = page or (0.0, 0.0, float(old[0]), float(old[1]))
    scale_old, x_old, y_old = fit_rect(page, old)
    x0, y0, x1, y1 = (  # in page coordinates
        (v - o) / scale_old
        for v, o in zip(bounds, (x_old, y_old, x_old, y_old), strict=True)
    )
    centre_x, centre_y = page[0] + page[2] / 2, page[1] + page[3] / 2
    half_w = max(page[2] / 2, centre_x - x0, x1 - centre_x)
    half_h = max(page[3] / 2, centre_y - y0, y1 - centre_y)
    page = (centre_x - half_w, centre_y - half_h, 2 * half_w, 2 * half_h)
    scale_new, x_new, y_new = fit_rect(page, new)
    scale = scale_new / scale_old
    return page, (scale, x_new - x_old * scale, y_new - y_old * scale)


def drawing_on_page(drawing: Drawing, size: tuple[float, float]) -> CanvasContent:
    """A saved drawing scaled to fit a canvas of ``size``, keeping its proportions."""
    fit = fit_transform((drawing.width, drawing.height), size)
    return transform_content(CanvasContent(strokes_from_drawing(drawing)), *fit)
