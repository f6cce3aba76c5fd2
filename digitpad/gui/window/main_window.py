"""The main window, composition only: panels, docks, menus, actions and their wiring.

Every panel talks to the shared ``AppState``; the window connects the canvas to live
prediction. What the File menu does lives beside it (``canvas_file_actions`` for
drawings and images, ``model_file_actions`` for models), reporting through
``WindowMessages``. Layout (geometry, docks) is saved in QSettings on close.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QWidget,
)

from digitpad.core.helpers.availability import tensorflow_missing
from digitpad.gui.canvas.drawing_canvas import ERASER, PEN, DrawingCanvas
from digitpad.gui.prediction.input_preview import InputPreview
from digitpad.gui.prediction.live_prediction import LivePrediction
from digitpad.gui.prediction.prediction_panel import PredictionPanel
from digitpad.gui.state import AppState
from digitpad.gui.window import layout as window_layout
from digitpad.gui.window.about_dialog import AboutDialog
from digitpad.gui.window.actions import (
    OPEN_MODEL_LEAN_TIP,
    build_actions,
    build_menus,
)
from digitpad.gui.window.canvas_file_actions import CanvasFileActions
from digitpad.gui.window.designer_wiring import DesignerWiring
from digitpad.gui.window.digit_boxes_wiring import connect_digit_boxes
from digitpad.gui.window.handwriting_wiring import HandwritingWiring
from digitpad.gui.window.model_file_actions import ModelFileActions
from digitpad.gui.window.panel_toggle import panel_toggle
from digitpad.gui.window.tool_bar import DrawingToolBar
from digitpad.gui.window.window_messages import WindowMessages


def placeholder(text: str) -> QLabel:
    """What a dock shows until (or instead of) its panel."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setEnabled(False)
    return label


class MainWindow(QMainWindow):
    closed = Signal()  # the close went ahead: work still queued for the window is moot

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.is_closed = False
        self.setWindowTitle("DigitPad")
        self.setObjectName("DigitPadMainWindow")
        self.state = AppState(self)
        self.canvas = DrawingCanvas()
        self.prediction = PredictionPanel(self.state)
        self.preview = InputPreview(self.state)
        self.live = LivePrediction(self.state, self)
        self.messages = WindowMessages(self)
        self.files = CanvasFileActions(self, self.canvas, self.messages)
        self.model_files = ModelFileActions(
            self, self.state, self.prediction, self.messages
        )
        self._panels: list[QWidget] = []
        self._build_actions()
        self.tools = DrawingToolBar(self, self.actions_by_name, self.canvas)
        self.addToolBar(self.tools)
        self._build_central()
        self._build_menus()
        self.handwriting = HandwritingWiring(
            self, self.state, self.canvas, self.prediction.bars, self.statusBar()
        )
        self.corrections = self.handwriting.corrections
        self.designer = DesignerWiring(self, self.state)
        self._wire()
        self.resize(1180, 800)
        self._restore_layout()

    # ------------------------------------------------------------ layout

    def _build_central(self) -> None:
        self.splitter = window_layout.build_central(
            self.canvas, self.prediction, self.preview, self.prediction.model_line
        )
        self.setCentralWidget(self.splitter)

    def add_panel_dock(
        self,
        widget: QWidget,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """Put a panel in its dock (reserved earlier, or new now)."""
        dock = self.findChild(QDockWidget, object_name) or self.reserve_panel_dock(
            title, object_name, area
        )
        dock.setWidget(widget)
        self._panels.append(widget)
        close_ready = getattr(widget, "closeReady", None)
        if close_ready is not None:  # a panel that put off a close lets it go ahead
            close_ready.connect(self.close)
        return dock

    def reserve_panel_dock(
        self,
        title: str,
        object_name: str,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
    ) -> QDockWidget:
        """A dock with a View-menu toggle in its saved place, its panel still to come.

        Reserving docks before the first frame keeps the layout the user left from
        jumping when the (slow to import) panels arrive a moment later.
        """
        dock = QDockWidget(title, self)
        dock.setObjectName(object_name)
        dock.setWidget(placeholder(f"Loading the {title.lower()} panel…"))
        self.addDockWidget(area, dock)
        # panels sharing a side become tabs: stacked, their minimum heights add up
        # and push the window taller than a laptop screen
        neighbours = [
            other
            for other in self.findChildren(QDockWidget)
            if other is not dock and self.dockWidgetArea(other) == area
        ]
        if neighbours:
            self.tabifyDockWidget(neighbours[0], dock)
        toggle = panel_toggle(self, dock)  # shows and raises, unlike toggleViewAction
        self.view_menu.insertAction(self._view_separator, toggle)
        self.tools.add_panel_toggle(toggle)
        self.restoreDockWidget(dock)  # its saved place, if the layout has one
        # panels start closed the first time; after that as the user left them
        dock.setVisible(object_name in self._open_panels)
        return dock

    # ------------------------------------------------------------ actions and menus

    def _build_actions(self) -> None:
        canvas = self.canvas
        self.actions_by_name = build_actions(
            self,
            {
                "open": self.files.open_file,
                "paste": self.files.paste_image,
                "save": self.files.save_drawing,
                "open_model": self.model_files.open_model,
                "save_model": self.model_files.save_model,
                "quit": self.close,
                "undo": canvas.undo,
                "redo": canvas.redo,
                "clear": canvas.clear,
                "pen": lambda: canvas.set_tool(PEN),
                "eraser": lambda: canvas.set_tool(ERASER),
                "digit_boxes": lambda: None,  # wired in connect_digit_boxes
                "teach": self.state.request_teach,
                "designer": lambda: self.designer.show_designer(),
                "reset_layout": self.reset_layout,
                "about": self.show_about,
            },
        )
        if tensorflow_missing() is not None:  # the lean bundle opens LiteRT models only
            self.actions_by_name["open_model"].setStatusTip(OPEN_MODEL_LEAN_TIP)
            self.actions_by_name["open_model"].setToolTip(OPEN_MODEL_LEAN_TIP)

    def _build_menus(self) -> None:
        menus = build_menus(self.menuBar(), self.actions_by_name)
        self.view_menu = menus["view"]
        self.view_menu.addAction(self.actions_by_name["digit_boxes"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.tools.toggleViewAction())
        self._view_separator = self.view_menu.addSeparator()
        self.view_menu.addAction(self.actions_by_name["designer"])
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.actions_by_name["reset_layout"])

    def _wire(self) -> None:
        self.canvas.contentChanged.connect(self._canvas_changed)
        self.canvas.historyChanged.connect(self._update_actions)
        self.state.imageRequested.connect(self.files.show_image)
        connect_digit_boxes(
            self.state, self.canvas, self.actions_by_name["digit_boxes"]
        )
        self.state.statusMessage.connect(self.messages.status)
        self.state.modelChanged.connect(self._update_actions)
        self._update_actions()

    # ------------------------------------------------------------ canvas

    @Slot()
    def _canvas_changed(self) -> None:
        over_image = self.canvas.content.image is not None
        self.state.set_drawing(self.canvas.drawing(), over_image)
        self.live.schedule(self.canvas.prediction_source())

    @Slot()
    def _update_actions(self) -> None:
        acts = self.actions_by_name
        acts["undo"].setEnabled(self.canvas.can_undo)
        acts["redo"].setEnabled(self.canvas.can_redo)
        acts["save_model"].setEnabled(self.state.predictor is not None)

    # ------------------------------------------------------------ misc

    def show_about(self) -> None:
        AboutDialog(self.state.predictor, self).exec()

    def _restore_layout(self) -> None:
        self._default_state = self.saveState()
        self._open_panels = window_layout.restore(self, self.splitter)

    def reset_layout(self) -> None:
        self.restoreState(self._default_state)
        for dock in self.findChildren(QDockWidget):
            dock.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        for panel in self._panels:
            confirm = getattr(panel, "confirm_close", None)
            if confirm is not None and not confirm():
                event.ignore()
                return
        # every dock, also one whose panel has not arrived yet: its place is kept
        window_layout.save(self, self.splitter, self.findChildren(QDockWidget))
        self.live.shutdown()
        self.model_files.loader.shutdown()
        self.handwriting.shutdown()
        event.accept()
        self.is_closed = True
        self.closed.emit()
