"""A ``QPainter`` that always ends, whatever goes wrong while it paints.

A painter still active when its image is freed makes Qt abort the whole process
("Cannot destroy paint device that is being painted"): one bad drawing then costs
the app, not just its picture. Every painter on an image opens through ``painting``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtGui import QPaintDevice, QPainter


@contextlib.contextmanager
def painting(device: QPaintDevice) -> Iterator[QPainter]:
    """``with painting(image) as painter:``; the painter ends on any exit."""
    painter = QPainter(device)
    try:
        yield painter
    finally:
        if painter.isActive():
            painter.end()
