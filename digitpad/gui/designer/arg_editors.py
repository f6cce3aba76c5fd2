"""One control per layer argument, offering only the values the schema allows.

Spin boxes carry the schema's ranges, combo boxes the paddings and Keras's activation
names, so an argument cannot be mistyped; what the controls cannot rule out (a kernel
larger than the maps it meets) is a shape problem that ``analyze`` names at the layer.
Each editor reports ``edited(key, value)`` with the spec's value (``None``: back to
Keras's default, which keeps the spec and its Keras code as short as the tutorial's).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from digitpad.core.networks.schema import ACTIVATIONS, PADDINGS, REQUIRED, Arg, pair

# Short labels so a Conv2D's six arguments fit one line of the layer list.
LABELS = {
    "filters": "filters",
    "kernel_size": "kernel",
    "strides": "stride",
    "padding": "pad",
    "activation": "act",
    "use_bias": "bias",
    "pool_size": "pool",
    "units": "units",
    "rate": "rate",
    "momentum": "mom.",
    "epsilon": "eps",
    "max_value": "max",
    "negative_slope": "slope",
    "threshold": "thresh",
    "filters_1x1": "1x1",
    "filters_3x3": "3x3",
    "filters_5x5": "5x5",
    "filters_pool": "pool",
}
SPIN_LIMIT = 99_999  # no int argument allows more; keeps spin boxes narrow
FLOAT_LIMIT = 1_000.0  # the controls offer a narrower (valid) range than the schema


class ArgEditor(QWidget):
    """A label and the control for one argument of one layer."""

    edited = Signal(str, object)  # key, the spec's new value (None: Keras's default)

    def __init__(
        self, key: str, rule: Arg, value: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.rule = rule
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        label = QLabel(LABELS.get(key, key))
        label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(label)
        self.control = self._build(rule)
        self.control.setAccessibleName(key)
        self.control.setToolTip(f"{key} ({_range_text(rule)})")
        label.setBuddy(self.control)
        layout.addWidget(self.control)
        self.set_value(value)

    # ------------------------------------------------------------------ building

    def _build(self, rule: Arg) -> QWidget:
        kind = rule.kind
        if kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self._changed)
            return box
        if kind in ("padding", "activation"):
            combo = QComboBox()
            combo.addItems(PADDINGS if kind == "padding" else ACTIVATIONS)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4 if kind == "padding" else 6)
            combo.currentTextChanged.connect(self._changed)
            return combo
        if kind in ("float", "optional_float"):
            spin = QDoubleSpinBox()
            low, high = max(rule.low, -FLOAT_LIMIT), min(rule.high, FLOAT_LIMIT)
            step = 0.05 if high <= 1 else 1.0
            decimals = 5 if rule.low_open and low == 0 else 2
            spin.setDecimals(decimals)
            tiny = 10.0**-decimals
            if kind == "optional_float":  # the minimum stands for None
                low = low - tiny if rule.low_open else low
                spin.setSpecialValueText("none")
            elif rule.low_open:
                low += tiny
            spin.setRange(low, high - tiny if rule.high_open else high)
            spin.setSingleStep(step)
            spin.valueChanged.connect(self._changed)
            return _compact_spin(spin)
        spin = QSpinBox()
        low = int(rule.low)
        if kind == "optional_pair":  # 0 stands for None: strides = pool size
            low = 0
            spin.setSpecialValueText("=pool")
        spin.setRange(low, int(min(rule.high, SPIN_LIMIT)))
        spin.valueChanged.connect(self._changed)
        return _compact_spin(spin)

    # ------------------------------------------------------------------ values

    def set_value(self, value: Any) -> None:
        """Show ``value`` (the spec's, or None for Keras's default) without editing."""
        control = self.control
        shown = self.rule.default if value is None else value
        control.blockSignals(True)
        try:
            if isinstance(control, QCheckBox):
                control.setChecked(bool(shown))
            elif isinstance(control, QComboBox):
                control.setCurrentText("linear" if shown is None else str(shown))
            elif isinstance(control, QDoubleSpinBox):
                control.setValue(control.minimum() if shown is None else float(shown))
            elif shown is None or shown is REQUIRED:
                control.setValue(control.minimum())
            else:
                height, width = pair(shown)
                control.setValue(height)
                # a non-square window from a spec file: the square editor shows
                # its height and says so
                suffix = "" if height == width else f"x{width}"
                if control.suffix() != suffix:
                    control.setSuffix(suffix)
        finally:
            control.blockSignals(False)

    def value(self) -> Any:
        """The spec's value for what the control shows (None: Keras's default)."""
        control, rule = self.control, self.rule
        if isinstance(control, QCheckBox):
            value: Any = control.isChecked()
        elif isinstance(control, QComboBox):
            value = control.currentText()
            if value == "linear" and rule.default is None:
                return None
        elif isinstance(control, QDoubleSpinBox):
            if rule.kind == "optional_float" and control.value() == control.minimum():
                return None
            value = round(control.value(), control.decimals())
        else:
            if rule.kind == "optional_pair" and control.value() == 0:
                return None
            value = control.value()
        if rule.default is not REQUIRED and value == rule.default:
            return None
        return value

    def _changed(self, *_args: object) -> None:
        if isinstance(self.control, QSpinBox) and self.control.suffix():
            self.control.setSuffix("")  # an edit makes a non-square window square
        self.edited.emit(self.key, self.value())


def _compact_spin(spin: QAbstractSpinBox) -> QAbstractSpinBox:
    """Narrow, and no wheel edits while the list under the pointer scrolls."""
    spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    spin.setKeyboardTracking(True)
    spin.setAccelerated(True)
    spin.wheelEvent = lambda event: (
        QAbstractSpinBox.wheelEvent(spin, event) if spin.hasFocus() else event.ignore()
    )
    return spin


def _range_text(rule: Arg) -> str:
    if rule.kind in ("padding", "bool"):
        return "choose"
    if rule.kind == "activation":
        return "Keras activation"
    high = "" if rule.high == float("inf") else f"{rule.high:g}"
    return f"{rule.low:g} to {high}" if high else f"at least {rule.low:g}"
