"""The window's actions (text, tooltip, shortcuts) and menus, declared as data.

Keeping the table here leaves ``main_window`` with wiring only, and makes every
shortcut and tooltip reviewable in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

_STD = QKeySequence.StandardKey

# name: (menu text, tooltip, shortcuts)
ACTIONS: dict[str, tuple[str, str, list]] = {
    "open": (
        "&Open image or drawing…",
        "Put an image or a saved drawing on the canvas",
        [_STD.Open],
    ),
    "paste": (
        "&Paste image",
        "Paste an image from the clipboard onto the canvas",
        [_STD.Paste],
    ),
    "save": (
        "&Save drawing as…",
        "Save the canvas as a PNG image or a drawing (JSON)",
        [_STD.Save],
    ),
    "open_model": ("Open &model…", "Load a trained .keras model", ["Ctrl+Shift+O"]),
    "save_model": (
        "Save model &as…",
        "Save the model in use as a .keras file",
        ["Ctrl+Shift+S"],
    ),
    "quit": ("&Quit", "Close DigitPad", [_STD.Quit]),
    "undo": ("&Undo", "Undo the last stroke or change", ["Ctrl+Z"]),
    "redo": ("&Redo", "Redo what was undone", ["Ctrl+Shift+Z", "Ctrl+Y"]),
    "clear": ("&Clear", "Clear the canvas", ["Delete", "Escape"]),
    "pen": ("&Pen", "Draw with the pen", ["P"]),
    "eraser": ("&Eraser", "Erase the ink under the eraser", ["E"]),
    "digit_boxes": (
        "Show digit &boxes",
        "Draw a box around each digit of a number, with how sure the network is",
        ["B"],
    ),
    "teach": (
        "&Teach it my handwriting…",
        "Draw each digit a few times, in shuffled rounds, so DigitPad can learn "
        "your handwriting",
        [],
    ),
    "designer": (
        "Network &designer…",
        "Build a network layer by layer: its shapes, parameters and Keras code, live",
        ["Ctrl+Shift+D"],
    ),
    "reset_layout": (
        "&Reset layout",
        "Put every panel back in its default place",
        [],
    ),
    "about": ("&About DigitPad", "Version, model in use and licences", []),
}

# "Open model…" where TensorFlow is missing (the lean bundle): LiteRT models only
OPEN_MODEL_LEAN_TIP = (
    "Load a trained .keras model that has its .tflite beside it (every model DigitPad "
    "saves does); other .keras files need TensorFlow, which this lean bundle leaves out"
)

MENUS: dict[str, tuple[str | None, ...]] = {
    "&File": ("open", "paste", "save", None, "open_model", "save_model", None, "quit"),
    "&Edit": ("undo", "redo", "clear", None, "pen", "eraser", None, "teach"),
    "&View": (),  # filled by the window: tool bar and panel toggles
    "&Help": ("about",),
}


def build_actions(
    parent: QWidget, slots: dict[str, Callable[[], object]]
) -> dict[str, QAction]:
    """One QAction per entry of ``ACTIONS``, triggering ``slots[name]``."""
    actions: dict[str, QAction] = {}
    for name, (text, tip, keys) in ACTIONS.items():
        action = QAction(text, parent)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(key) for key in keys])
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.setStatusTip(tip)
        action.triggered.connect(slots[name])
        actions[name] = action
    group = QActionGroup(parent)
    for name in ("pen", "eraser"):
        actions[name].setCheckable(True)
        group.addAction(actions[name])
    actions["pen"].setChecked(True)
    actions["digit_boxes"].setCheckable(True)
    actions["digit_boxes"].setIconText("Boxes")  # short on the tool bar
    return actions


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> dict[str, QMenu]:
    menus = {}
    for title, names in MENUS.items():
        menu = bar.addMenu(title)
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
        menus[title.replace("&", "").lower()] = menu
    return menus
