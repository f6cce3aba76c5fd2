"""What this installation cannot do, said where the disabled controls are.

The lean bundle has no TensorFlow, so the Training panel's Start and Fine-tune buttons
and the saliency view are disabled from the start; this notice sits above them with the
reason and how to get the full thing (``core.helpers.availability``, the same sentence
the CLI prints), instead of a refusal after a press.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def unavailable_notice(message: str, parent: QWidget | None = None) -> QLabel:
    """A framed, wrapped, selectable label carrying ``message``."""
    notice = QLabel(message, parent)
    notice.setObjectName("UnavailableNotice")
    notice.setAccessibleName("Not available in this installation")
    notice.setWordWrap(True)
    notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    notice.setStyleSheet(
        "#UnavailableNotice { border: 1px solid palette(mid); border-radius: 4px;"
        " padding: 6px; background: palette(alternate-base); }"
    )
    return notice


def disable_for(widget: QWidget, message: str) -> None:
    """Disable ``widget`` and say why on hover."""
    widget.setEnabled(False)
    widget.setToolTip(message)
