"""Canvas <-> files and clipboard: open an image or drawing, save JSON or PNG, paste.

Functions return a short status sentence or raise ``DigitPadError`` with one line the
window shows in a dialog; nothing here opens a dialog itself, so tests call them as is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PySide6.QtGui import QClipboard, QImage

from digitpad.core.atomic import write_atomically, write_bytes_atomically
from digitpad.core.errors import DigitPadError, InputError
from digitpad.core.handwriting.parse_apart import first_drawing
from digitpad.core.ink.canvas_content import drawing_json
from digitpad.core.preprocess.mnist_input import load_grey
from digitpad.gui.canvas.drawing_canvas import DrawingCanvas
from digitpad.gui.widgets.qimage_array import qimage_to_rgba

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
OPEN_FILTER = (
    "Images and drawings (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp *.json);;"
    "Drawings (*.json);;Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp)"
)
SAVE_FILTER = "PNG image (*.png);;Drawing (*.json)"


def open_onto_canvas(path: str | Path, canvas: DrawingCanvas) -> str:
    """Put an image or the (first) drawing of a drawing file onto the canvas."""
    return put_on_canvas(path, read_for_canvas(path), canvas)


def read_for_canvas(path: str | Path) -> tuple[str, Any, int]:
    """The slow half of opening, for a worker: ("drawing", the first drawing, how
    many the file holds) or ("image", grey levels, 1). A large drawing list is
    parsed in a helper process (``parse_apart``): parsing it here held Python's
    lock, and the window froze, for seconds."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        drawing, count = first_drawing(path)
        return "drawing", drawing, count
    return "image", load_grey(path), 1


def put_on_canvas(path: str | Path, loaded: tuple[str, Any, int], canvas) -> str:
    """The quick half, on the GUI thread: show what ``read_for_canvas`` read."""
    path = Path(path)
    kind, content, count = loaded
    if kind == "image":
        return show_image(content, canvas, path.name)
    canvas.load_drawing(content)
    if count > 1:
        return f"Opened {path.name}: showing the first of its {count} drawings"
    return f"Opened {path.name}"


def show_image(grey: np.ndarray, canvas: DrawingCanvas, what: str) -> str:
    if not canvas.show_image(grey):
        raise InputError(what, "the image holds no digit (it is blank)")
    return f"Opened {what}; strokes you draw now are added to it"


def save_canvas(path: str | Path, canvas: DrawingCanvas) -> str:
    """Save as PNG (what you see) or drawing JSON (the strokes), by the file suffix."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        data = drawing_json(canvas.content, canvas.width(), canvas.height())
        _write(path, lambda: write_bytes_atomically(path, json.dumps(data).encode()))
        if canvas.content.image is not None:
            return f"Saved the strokes to {path.name}; the opened image is only in PNGs"
        return f"Saved {path.name}"
    if path.suffix.lower() != ".png":
        path = path.with_name(path.name + ".png")
    picture = canvas.picture()

    def write_png(tmp: Path) -> None:
        if not picture.save(str(tmp), "PNG"):
            raise OSError(0, "Qt could not write the PNG")

    _write(path, lambda: write_atomically(path, write_png))
    return f"Saved {path.name}"


def _write(path: Path, write: Callable[[], None]) -> None:
    try:
        write()
    except OSError as error:
        raise DigitPadError(
            f"{path}: cannot write ({error.strerror or error})"
        ) from None


def paste_image(clipboard: QClipboard, canvas: DrawingCanvas) -> str:
    """Paste a bitmap, or an image file copied in a file manager."""
    mime = clipboard.mimeData()
    image = clipboard.image()
    if not image.isNull():
        return show_image(grey_from_qimage(image), canvas, "the pasted image")
    if mime is not None and mime.hasUrls():
        for url in mime.urls():
            local = Path(url.toLocalFile())
            if local.suffix.lower() in (*IMAGE_SUFFIXES, ".json"):
                return open_onto_canvas(local, canvas)
    raise InputError(None, "The clipboard holds no image to paste")


def grey_from_qimage(image: QImage) -> np.ndarray:
    """Grey levels with transparency composited over white (as the core reads files)."""
    return load_grey(Image.fromarray(qimage_to_rgba(image), "RGBA"))
