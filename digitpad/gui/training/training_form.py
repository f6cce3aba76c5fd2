"""The training set-up form: every knob of ``TrainConfig`` a student should turn.

Defaults reproduce the Keras MNIST tutorial (tutorial CNN, 5 epochs, batch 64, Adam at
0.001, no augmentation, all 60,000 images), so pressing Start with no changes replays
the classic run. The form only builds a config; it never loads data or TensorFlow. The
architecture choice lists the presets, then the user's saved designs; it reloads when
``AppState.designsChanged`` says a design was saved or deleted.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QToolButton,
    QWidget,
)

from digitpad.core.networks.designs import list_designs
from digitpad.core.networks.presets import DEFAULT_PRESET, PRESETS
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import NetworkSpec
from digitpad.core.training.trainer import TrainConfig

ALL_IMAGES = 60_000
SIZE_STEP = 1_000
BATCH_SIZES = (16, 32, 64, 128, 256, 512)
KERAS_MNIST = "Keras MNIST"


class TrainingForm(QWidget):
    """Architecture, epochs, batch size, learning rate, augmentation, data, size."""

    designRequested = Signal(object)  # NetworkSpec: open it in the network designer

    def __init__(
        self, designs_dir: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._data_path: str | None = None
        self._specs: dict[str, NetworkSpec] = {}
        self._descriptions: dict[str, str] = {}
        self._skipped: list[str] = []  # design files that did not parse

        self.architecture = QComboBox()
        self.architecture.setAccessibleName("Architecture")
        _compact(self.architecture)
        self.description = QLabel(wordWrap=True)
        self.description.setObjectName("architectureDescription")
        self.description.setStyleSheet("color: palette(placeholder-text);")
        self.reload_architectures(designs_dir)
        self.architecture.currentIndexChanged.connect(self._show_description)
        self.design = QToolButton(text="Design network…")
        self.design.setAccessibleName("Design network")
        self.design.setToolTip(
            "Open the chosen network in the network designer: change its layers, see "
            "their shapes and its Keras code, save it as your own design"
        )
        self.design.clicked.connect(lambda: self.designRequested.emit(self.spec()))

        self.epochs = QSpinBox(minimum=1, maximum=100, value=5)
        self.epochs.setAccessibleName("Epochs")

        self.batch_size = QComboBox()
        self.batch_size.setAccessibleName("Batch size")
        for size in BATCH_SIZES:
            self.batch_size.addItem(str(size), size)
        self.batch_size.setCurrentIndex(BATCH_SIZES.index(64))

        self.learning_rate = QDoubleSpinBox(decimals=5, minimum=0.00001, maximum=0.5)
        self.learning_rate.setStepType(QDoubleSpinBox.AdaptiveDecimalStepType)
        self.learning_rate.setValue(0.001)
        self.learning_rate.setAccessibleName("Learning rate")
        self.learning_rate.setToolTip("Adam's step size; the tutorial uses 0.001")

        self.augment = QCheckBox("Shift, rotate, scale, thicken")
        self.augment.setAccessibleName("Augmentation")
        self.augment.setToolTip(
            "Randomly shift, rotate, scale, shear and thicken the training digits each "
            "epoch, and add crossed zeros and long-flagged ones, so the network copes "
            "with digits drawn unlike MNIST's"
        )

        self.cosine = QCheckBox("Cosine decay")
        self.cosine.setAccessibleName("Cosine learning-rate decay")
        self.cosine.setToolTip(
            "Lower the learning rate smoothly to almost zero by the last batch: big "
            "steps early, fine ones at the end (the shipped model uses it)"
        )
        self.averaging = QCheckBox("Average weights")
        self.averaging.setAccessibleName("Weight averaging")
        self.averaging.setToolTip(
            "Keep a running average of the weights and use it at the end; smooths out "
            "the noise of the last batches (the shipped model uses it)"
        )

        self.size = QSlider(Qt.Horizontal, minimum=1, maximum=ALL_IMAGES // SIZE_STEP)
        self.size.setValue(self.size.maximum())
        self.size.setPageStep(5)
        self.size.setAccessibleName("Training-set size")
        self.size_label = QLabel()
        self.size_label.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("00,000 (all)")
        )
        self.size.valueChanged.connect(self._show_size)

        self.data = QComboBox()
        self.data.setAccessibleName("Training data")
        self.data.addItem(KERAS_MNIST)
        _compact(self.data)
        self.data.setToolTip("MNIST from Keras, or an .npz with x_train, y_train, ...")
        self.browse = QToolButton(text="Choose file…")
        self.browse.setAccessibleName("Choose a data file")
        self.browse.clicked.connect(self.choose_data_file)
        self.data.currentIndexChanged.connect(self._data_selected)

        architecture_row = QHBoxLayout()
        architecture_row.addWidget(self.architecture, 1)
        architecture_row.addWidget(self.design)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size, 1)
        size_row.addWidget(self.size_label)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data, 1)
        data_row.addWidget(self.browse)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow(_buddy_label("&Architecture:", self.architecture), architecture_row)
        form.addRow("", self.description)
        # two short fields share a row: the set-up fits a 800 px window unscrolled
        epochs_row = QHBoxLayout()
        epochs_row.addWidget(self.epochs, 1)
        epochs_row.addSpacing(12)
        epochs_row.addWidget(_buddy_label("&Batch size:", self.batch_size))
        epochs_row.addWidget(self.batch_size, 1)
        form.addRow(_buddy_label("&Epochs:", self.epochs), epochs_row)
        form.addRow("&Learning rate:", self.learning_rate)
        form.addRow("Au&gmentation:", self.augment)
        refinements = QHBoxLayout()
        refinements.addWidget(self.cosine)
        refinements.addWidget(self.averaging)
        refinements.addStretch(1)
        form.addRow("Refinements:", refinements)
        form.addRow(_buddy_label("Training &images:", self.size), size_row)
        form.addRow(_buddy_label("&Data:", self.data), data_row)

        self.architecture.setCurrentIndex(self.architecture.findData(DEFAULT_PRESET))
        self._show_description()
        self._show_size()

    # ------------------------------------------------------------------ config

    def limit(self) -> int | None:
        """The training-set size, None for all of it."""
        value = self.size.value() * SIZE_STEP
        return None if value >= ALL_IMAGES else value

    def data_path(self) -> str | None:
        return self._data_path if self.data.currentIndex() > 0 else None

    def config(self) -> TrainConfig:
        """The run the form describes (raises ValueError for impossible values)."""
        return TrainConfig(
            spec=self.spec(),
            epochs=self.epochs.value(),
            batch_size=self.batch_size.currentData(),
            learning_rate=self.learning_rate.value(),
            cosine_decay=self.cosine.isChecked(),
            weight_averaging=self.averaging.isChecked(),
            augment=self.augment.isChecked(),
            limit=self.limit(),
            data_path=self.data_path(),
        )

    def spec(self) -> NetworkSpec:
        """The network chosen: a preset's spec or a saved design."""
        return self._specs[self.architecture.currentData()]

    def reload_architectures(
        self, designs_dir: Path | None = None, select: str = ""
    ) -> None:
        """List the presets and the saved designs again, keeping the choice (or
        choosing ``select``, e.g. the design just saved) when it is still there."""
        keep = select or self.architecture.currentData()
        listing = list_designs(designs_dir)
        self._specs = {name: preset.spec for name, preset in PRESETS.items()}
        self._descriptions = {
            name: preset.description for name, preset in PRESETS.items()
        }
        combo = self.architecture
        combo.blockSignals(True)
        combo.clear()
        for name, preset in PRESETS.items():
            self._add_choice(name, preset.title, preset.spec, preset.description)
        if listing.specs:
            combo.insertSeparator(combo.count())
        for spec in listing.specs:
            if spec.name in self._specs:  # a preset's name: presets win
                continue
            description = f"Your design '{spec.name}', {len(spec.layers)} layers."
            self._add_choice(spec.name, spec.name, spec, description)
        index = combo.findData(keep) if keep else -1
        combo.setCurrentIndex(index if index >= 0 else combo.findData(DEFAULT_PRESET))
        combo.blockSignals(False)
        self._skipped = listing.skipped
        self._show_description()

    def _add_choice(
        self, name: str, title: str, spec: NetworkSpec, description: str
    ) -> None:
        combo = self.architecture
        self._specs[name] = spec
        self._descriptions[name] = description
        params = analyze(spec).total_params
        combo.addItem(f"{title} ({params:,} parameters)", name)
        combo.setItemData(combo.count() - 1, description, Qt.ToolTipRole)

    def set_data_file(self, path: str) -> None:
        """Use ``path`` as the training data (it is validated when training starts)."""
        self._data_path = str(path)
        if self.data.count() == 1:
            self.data.addItem("")
        self.data.setItemText(1, Path(path).name)
        self.data.setItemData(1, str(path), Qt.ToolTipRole)
        self.data.setCurrentIndex(1)

    def choose_data_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose training data", "", "NumPy archives (*.npz);;All files (*)"
        )
        if path:
            self.set_data_file(path)

    # ------------------------------------------------------------------ display

    def _show_description(self) -> None:
        self.description.setText(
            self._descriptions.get(self.architecture.currentData(), "")
        )
        skipped = "; ".join(self._skipped)
        self.description.setToolTip(f"Not listed: {skipped}" if skipped else "")

    def _show_size(self) -> None:
        value = self.size.value() * SIZE_STEP
        text = f"{value:,}" + (" (all)" if value >= ALL_IMAGES else "")
        self.size_label.setText(text)
        self.size.setToolTip(f"Train on {text} images (10% held out for validation)")

    def _data_selected(self, index: int) -> None:
        self.data.setToolTip(
            self._data_path if index > 0 and self._data_path else KERAS_MNIST
        )


def _buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic focuses ``buddy`` (rows holding layouts need this)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _compact(combo: QComboBox) -> None:
    """Let a combo box shrink below its longest item so the panel fits a narrow dock."""
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
