"""The network designer, driven as a user drives it: real clicks and keys on the
widgets found by their accessible names, from the Training panel's button on."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from digitpad.core import paths
from digitpad.core.networks import designs
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.spec import parse_spec, read_spec_file
from digitpad.gui.designer import design_files
from digitpad.gui.training.training_panel import TrainingPanel
from tests.support.activations import QT_NOISE

pytestmark = pytest.mark.qt_log_ignore(QT_NOISE, "This plugin does not support raise")

LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def named(parent: QWidget, name: str, kind: type = QWidget) -> QWidget:
    """The one widget of ``kind`` under ``parent`` with accessible name ``name``."""
    found = [w for w in parent.findChildren(kind) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def designer_window() -> QWidget:
    found = [
        w
        for w in QApplication.topLevelWidgets()
        if w.accessibleName() == "Network designer" and w.isVisible()
    ]
    assert len(found) == 1
    return found[0]


def shapes(designer: QWidget) -> list[tuple[str, str, str]]:
    return named(designer, "Layer shapes").row_texts()


def shape_of(designer: QWidget, layer: str) -> str:
    return next(row[1] for row in shapes(designer) if row[0] == layer)


def layer_index(designer: QWidget, layer: str) -> int:
    layers = named(designer, "Network layers")
    if layers.building:  # new rows are built one per event-loop turn
        _Running.qtbot.waitUntil(lambda: not layers.building)
    rows = layers.rows()
    return next(i for i, row in enumerate(rows) if row.layer_name == layer)


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, LEFT, pos=widget.rect().center())


def select_layer(qtbot, designer: QWidget, layer: str) -> None:
    """Click the layer's name, as a user picks a row."""
    layers = named(designer, "Network layers")
    index = layer_index(designer, layer)
    row = layers.rows()[index]
    # a row built this turn is put in its place when the list next lays out
    qtbot.waitUntil(
        lambda: layers.visualItemRect(layers.item(index)).contains(
            row.geometry().center()
        )
    )
    qtbot.mouseClick(row.title, LEFT, pos=row.title.rect().center())
    assert layers.currentRow() == index


def editor(designer: QWidget, layer: str, key: str) -> QWidget:
    index = layer_index(designer, layer)
    row = named(designer, "Network layers").rows()[index]
    return named(row, key)


def type_into_spin(qtbot, spin: QAbstractSpinBox, text: str) -> None:
    click(qtbot, spin)
    qtbot.keyClick(spin, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(spin, text)


class _Running:
    """The running test's qtbot, for helpers that wait (set by ``app_window``)."""

    qtbot = None


@pytest.fixture
def app_window(window, qtbot, tmp_path, monkeypatch):
    """The main window with a Training panel and designs kept in a temp folder."""
    _Running.qtbot = qtbot
    monkeypatch.setattr(paths, "user_data_dir", lambda: tmp_path / "user")
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, _t, text, *a, **k: warnings.append(text)
    )
    panel = TrainingPanel(window.state, window)
    window.add_panel_dock(panel, "Training", "TrainingDock")
    window.findChild(QWidget, "TrainingDock").show()
    window.training = panel
    window.warnings = warnings
    yield window
    designer = window.designer.designer
    if designer is not None:
        designer.close()
    assert panel.shutdown(wait=30)


def open_designer(qtbot, win, preset: str = "tutorial") -> QWidget:
    form = win.training.form
    form.architecture.setCurrentIndex(form.architecture.findData(preset))
    click(qtbot, named(win.training, "Design network"))
    designer = designer_window()
    qtbot.waitExposed(designer)
    # its own window: the main window's shortcuts (Ctrl+Z, Delete) stay out of it
    qtbot.waitUntil(designer.isActiveWindow)
    wait_built(qtbot, designer)
    return designer


def wait_built(qtbot, designer: QWidget) -> None:
    """A new network's rows are built one per event-loop turn."""
    layers = named(designer, "Network layers")
    qtbot.waitUntil(lambda: not layers.building)


def test_the_training_panels_button_opens_a_non_modal_designer(app_window, qtbot):
    designer = open_designer(qtbot, app_window, "lenet5")
    assert not designer.isModal()
    assert QApplication.activeModalWidget() is None
    rows = shapes(designer)
    assert rows[0][:2] == ("conv1", "28x28x6")  # LeNet-5's C1 keeps 28x28
    assert rows[-1][:2] == ("softmax", "10")
    assert named(designer, "Design name", QLineEdit).text() == "lenet5"
    # the main window stays usable meanwhile
    assert app_window.isEnabled() and app_window.isVisible()


def test_add_a_layer_change_a_kernel_and_undo(app_window, qtbot):
    designer = open_designer(qtbot, app_window)
    before = shapes(designer)
    select_layer(qtbot, designer, "pool1")
    palette = named(designer, "Layer palette")
    item = palette.findItems("BatchNormalization", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(
        palette.viewport(), LEFT, pos=palette.visualItemRect(item).center()
    )
    click(qtbot, named(designer, "Add layer"))
    names = [row[0] for row in shapes(designer)]
    assert names[:3] == ["conv1", "pool1", "bn"]
    assert len(shapes(designer)) == len(before) + 1
    # editing a preset made a design of its own
    assert named(designer, "Design name", QLineEdit).text() != "tutorial"

    assert shape_of(designer, "conv1") == "26x26x32"
    kernel = editor(designer, "conv1", "kernel_size")
    click(qtbot, kernel)
    qtbot.keyClick(kernel, Qt.Key.Key_Up)
    assert kernel.value() == 4
    assert shape_of(designer, "conv1") == "25x25x32"
    assert shape_of(designer, "pool1") == "12x12x32"

    layers = named(designer, "Network layers")
    layers.setFocus()
    qtbot.keyClick(layers, Qt.Key.Key_Z, CTRL)
    assert shape_of(designer, "conv1") == "26x26x32"
    assert editor(designer, "conv1", "kernel_size").value() == 3
    qtbot.keyClick(layers, Qt.Key.Key_Z, CTRL)
    assert shapes(designer) == before
    qtbot.keyClick(layers, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [row[0] for row in shapes(designer)][:3] == ["conv1", "pool1", "bn"]


def test_an_impossible_edit_shows_its_sentence_at_its_layer(app_window, qtbot):
    designer = open_designer(qtbot, app_window)
    type_into_spin(qtbot, editor(designer, "conv3", "kernel_size"), "5")
    row = named(designer, "Network layers").rows()[layer_index(designer, "conv3")]
    problem = named(row, "Layer problem")
    assert not problem.isVisible()  # conv3 sees 5x5 maps: a 5x5 kernel fits
    assert shape_of(designer, "conv3") == "1x1x64"
    type_into_spin(qtbot, editor(designer, "conv3", "kernel_size"), "7")
    qtbot.waitUntil(problem.isVisible)
    assert problem.text() == (
        "the maps are 5x5 here, a 7x7 kernel without padding does not fit; "
        "use padding 'same' or a smaller kernel"
    )
    assert shape_of(designer, "conv3") == "cannot be built"
    assert not named(designer, "Train this network").isEnabled()
    assert "cannot be built yet" in named(designer, "Keras code").toPlainText()
    pad = editor(designer, "conv3", "padding")
    pad.setFocus()
    qtbot.keyClick(pad, Qt.Key.Key_Down)  # valid -> same
    assert pad.currentText() == "same"
    assert not problem.isVisible()
    assert shape_of(designer, "conv3") == "5x5x64"


def test_the_keras_code_follows_an_edit(app_window, qtbot):
    designer = open_designer(qtbot, app_window)
    code = named(designer, "Keras code")
    assert "layers.Conv2D(32, 3, " in code.toPlainText()
    assert code.isReadOnly()
    type_into_spin(qtbot, editor(designer, "conv1", "filters"), "8")
    text = code.toPlainText()
    assert "layers.Conv2D(8, 3, " in text and "layers.Conv2D(32, 3" not in text
    total = sum(int(row[2].replace(",", "")) for row in shapes(designer))
    assert f"{total:,} parameters" in text
    click(qtbot, named(designer, "Copy Keras code"))
    assert QApplication.clipboard().text() == text


def test_a_saved_design_is_listed_and_train_chooses_it(app_window, qtbot):
    designer = open_designer(qtbot, app_window)
    type_into_spin(qtbot, editor(designer, "dense", "units"), "32")
    name = named(designer, "Design name", QLineEdit)
    click(qtbot, name)
    qtbot.keyClick(name, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(name, "narrow head")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    click(qtbot, named(designer, "Save design"))
    assert app_window.warnings == []
    saved = designs.load_design("narrow head")
    assert saved.layers[-1].args["units"] == 32
    combo = app_window.training.form.architecture
    assert combo.findData("narrow head") >= 0
    assert "not saved" not in designer.windowTitle()

    combo.setCurrentIndex(combo.findData("compact"))
    type_into_spin(qtbot, editor(designer, "dense", "units"), "48")
    assert "not saved" in designer.windowTitle()
    click(qtbot, named(designer, "Train this network"))
    assert combo.currentData() == "narrow head"
    assert app_window.training.form.config().spec.layers[-1].args["units"] == 48
    assert app_window.findChild(QWidget, "TrainingDock").isVisible()


def test_layers_move_duplicate_and_go_by_keys(app_window, qtbot):
    designer = open_designer(qtbot, app_window)
    layers = named(designer, "Network layers")
    select_layer(qtbot, designer, "conv2")
    qtbot.keyClick(layers, Qt.Key.Key_Up, ALT)
    assert [row[0] for row in shapes(designer)][:3] == ["conv1", "conv2", "pool1"]
    assert layers.currentRow() == 1
    assert shape_of(designer, "conv2") == "24x24x64"
    qtbot.keyClick(layers, Qt.Key.Key_D, CTRL)
    assert [row[0] for row in shapes(designer)][:4] == [
        "conv1",
        "conv2",
        "conv3",
        "pool1",
    ]
    qtbot.keyClick(layers, Qt.Key.Key_Delete)
    assert [row[0] for row in shapes(designer)][:3] == ["conv1", "conv2", "pool1"]
    select_layer(qtbot, designer, "conv2")
    qtbot.keyClick(layers, Qt.Key.Key_Down, ALT)
    assert [row[0] for row in shapes(designer)][:3] == ["conv1", "pool1", "conv2"]


def test_export_and_import_through_the_file_dialog(
    app_window, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        design_files, "DIALOG_OPTIONS", QFileDialog.Option.DontUseNativeDialog
    )
    designer = open_designer(qtbot, app_window, "lenet5")
    type_into_spin(qtbot, editor(designer, "conv1", "filters"), "4")
    target = tmp_path / "exported.json"
    answer_file_dialog(qtbot, str(target))
    click(qtbot, named(designer, "Export spec"))
    exported = read_spec_file(target)
    assert exported.layers[0].args["filters"] == 4

    data = json.loads(target.read_text())
    data["name"] = "from a friend"
    target.write_text(json.dumps(data))
    answer_file_dialog(qtbot, str(target))
    click(qtbot, named(designer, "Import spec"))
    wait_built(qtbot, designer)
    assert named(designer, "Design name", QLineEdit).text() == "from a friend"
    assert designs.load_design("from a friend").layers == exported.layers
    assert app_window.training.form.architecture.findData("from a friend") >= 0

    target.write_text('{"name": "bad", "layers": [{"type": "Conv3D"}]}')
    answer_file_dialog(qtbot, str(target))
    click(qtbot, named(designer, "Import spec"))
    assert len(app_window.warnings) == 1
    assert "unknown type 'Conv3D'" in app_window.warnings[0]
    assert named(designer, "Design name", QLineEdit).text() == "from a friend"


def test_a_models_network_opens_as_a_new_design(
    app_window, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        design_files, "DIALOG_OPTIONS", QFileDialog.Option.DontUseNativeDialog
    )
    shipped = paths.shipped_model_path()
    copy = tmp_path / "my-model.keras"
    shutil.copy(shipped, copy)
    shutil.copy(shipped.with_suffix(".json"), tmp_path / "my-model.json")
    designer = open_designer(qtbot, app_window)
    answer_file_dialog(qtbot, str(copy))
    click(qtbot, named(designer, "Open a model's network"))
    wait_built(qtbot, designer)
    assert named(designer, "Design name", QLineEdit).text() == "my-model"
    assert [row[0] for row in shapes(designer)][:3] == [
        "conv1",
        "conv1_bn",
        "conv1_relu",
    ]
    total = sum(int(row[2].replace(",", "")) for row in shapes(designer))
    assert total == 659_818  # the compact network the shipped model was built from
    assert "not saved" in designer.windowTitle()


def test_design_requests_through_app_state_open_the_designer(app_window, qtbot):
    spec = parse_spec(
        {"name": "tiny", "layers": [{"type": "Conv2D", "filters": 2, "kernel_size": 3}]}
    )
    app_window.state.request_design(spec)
    designer = designer_window()
    wait_built(qtbot, designer)
    assert shapes(designer)[0][:2] == ("conv1", "26x26x2")
    assert named(designer, "Design name", QLineEdit).text() == "tiny"
    assert "tiny" not in PRESETS


def answer_file_dialog(qtbot, path: str) -> None:
    """Type ``path`` into the next file dialog that opens and accept it."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        line = dialog.findChild(QLineEdit, "fileNameEdit")
        line.setFocus()
        line.setText(path)  # typed, its completer's popup would take the Return
        QTest.keyClick(line, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def test_the_view_menu_opens_the_designer_and_closing_keeps_the_design(
    app_window, qtbot
):
    action = next(
        a for a in app_window.view_menu.actions() if a.text() == "Network &designer…"
    )
    action.trigger()
    designer = designer_window()
    wait_built(qtbot, designer)
    assert named(designer, "Design name", QLineEdit).text() == "tutorial"
    type_into_spin(qtbot, editor(designer, "conv1", "filters"), "12")
    designer.close()
    assert not designer.isVisible()
    action.trigger()  # the same window, the design as it was left
    assert designer_window() is designer
    assert editor(designer, "conv1", "filters").value() == 12


def test_saving_over_another_design_asks_first(app_window, qtbot, monkeypatch):
    other = parse_spec({"name": "mine", "layers": [{"type": "Flatten"}]})
    designs.save_design(other)
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    designer = open_designer(qtbot, app_window)
    name = named(designer, "Design name", QLineEdit)
    click(qtbot, name)
    qtbot.keyClick(name, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(name, "mine")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    click(qtbot, named(designer, "Save design"))
    assert asked and "'mine' exists already" in asked[0]
    assert designs.load_design("mine") == other  # nothing lost
    assert "not saved" in designer.windowTitle()
