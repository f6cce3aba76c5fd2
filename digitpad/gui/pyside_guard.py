"""Keep PySide6 6.12.0 from crashing the app on Python 3.11.

The 6.12.0 wheels (stable ABI, built with 3.12 headers) return ``None``, ``True`` and
``False`` without taking a reference; 3.12 made those objects immortal, but on 3.11
every ``Signal.emit()`` or setter call steals one reference, and after a few thousand
calls the interpreter aborts ("none_dealloc: deallocating None"). Giving these three
singletons a huge reference count restores what 3.12 guarantees: they are never
freed. A no-op on any other PySide6 or Python version.
"""

from __future__ import annotations

import ctypes
import sys

SPARE_REFERENCES = 1 << 40  # ~10^12 stolen references before it could matter
_AFFECTED_PYSIDE = ("6.12.0",)
_applied = False


def needed(pyside_version: str) -> bool:
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and pyside_version in _AFFECTED_PYSIDE
    )


def apply() -> bool:
    """Pin ``None``/``True``/``False`` if this PySide6 needs it; True if applied."""
    global _applied
    if _applied:
        return True
    from PySide6 import __version__ as pyside_version

    if not needed(pyside_version):
        return False
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += SPARE_REFERENCES
    _applied = True
    return True
