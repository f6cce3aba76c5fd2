"""What a model's files say about how it was made: the facts a comparison tables.

Read from the metadata beside the model (sanitised again here: every number is
checked before it is shown) and, for multiply-adds, from the Keras archive's own
``config.json`` (read bounded and checked, never by Keras): a layer's multiply-adds
are its kernel weights times the positions it is applied at, so the layer list's
output shapes and parameter counts plus each layer's ``use_bias`` are enough. What a
file does not say is listed in ``lacks``, never guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitpad.core.errors import ModelFileError
from digitpad.core.models.checks import check_archive, layer_configs
from digitpad.core.networks.presets import architecture_title

HISTORY_KEYS = ("accuracy", "val_accuracy", "loss", "val_loss")
MAX_EPOCHS_SHOWN = 10_000
# layers whose work is a kernel applied at every output position (weights x positions)
_KERNEL_LAYERS = ("Conv1D", "Conv2D", "Conv3D", "DepthwiseConv2D", "SeparableConv2D")


@dataclass(frozen=True)
class ModelFacts:
    """One model's network, recipe and per-epoch history, as far as its files tell."""

    path: Path
    name: str
    network: str
    params: int | None
    multiply_adds: int | None
    history: dict[str, list[float]] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    lacks: tuple[str, ...] = ()

    @property
    def epochs_recorded(self) -> int:
        return max((len(v) for v in self.history.values()), default=0)


def model_facts(path: Path, metadata: dict[str, Any], name: str = "") -> ModelFacts:
    """The facts of the model at ``path`` whose (sanitised) metadata is given."""
    training = metadata.get("training")
    training = training if isinstance(training, dict) else {}
    history = sanitised_history(training.get("history"))
    settings = _settings(training, metadata)
    lacks = []
    if not history:
        lacks.append("no per-epoch history (it was not trained in DigitPad)")
    elif not all(key in history for key in HISTORY_KEYS):
        missing = [key for key in HISTORY_KEYS if key not in history]
        lacks.append(f"no {', '.join(missing)} history")
    if not settings:
        lacks.append("no training settings")
    macs = multiply_adds(path, metadata.get("layers"))
    if macs is None:
        lacks.append("no multiply-adds (its layers could not be read)")
    params = metadata.get("parameters")
    return ModelFacts(
        path=path,
        name=name or str(metadata.get("display_name") or path.stem),
        network=_network(metadata),
        params=params if type(params) is int and params >= 0 else None,
        multiply_adds=macs,
        history=history,
        settings=settings,
        lacks=tuple(lacks),
    )


def _network(metadata: dict[str, Any]) -> str:
    name = str(metadata.get("architecture") or "")
    return architecture_title(name) if name else "unknown network"


def sanitised_history(value: Any) -> dict[str, list[float]]:
    """Per-epoch curves that are lists of finite numbers; anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    history = {}
    for key in HISTORY_KEYS:
        series = value.get(key)
        if (
            isinstance(series, list)
            and 0 < len(series) <= MAX_EPOCHS_SHOWN
            and all(_finite(v) for v in series)
        ):
            history[key] = [float(v) for v in series]
    return history


def _finite(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and (math.isfinite(value))
    )


def _settings(training: dict[str, Any], metadata: dict[str, Any]) -> dict[str, Any]:
    """The recipe in the words the table uses (only what the metadata holds)."""
    found: dict[str, Any] = {}
    for key in ("epochs", "batch_size", "train_images", "validation_images"):
        value = training.get(key)
        if type(value) is int and value > 0:
            found[key] = value
    rate = training.get("learning_rate")
    if _finite(rate) and rate > 0:
        found["learning_rate"] = float(rate)
        cosine = training.get("cosine_decay")
        found["schedule"] = "cosine decay" if cosine is True else "constant"
    if isinstance(training.get("augment"), bool):
        found["augmentation"] = _augmentation(training)
    limit = training.get("limit")
    repeats, replay = training.get("repeats"), training.get("replay_ratio")
    samples = metadata.get("user_samples")
    if training.get("kind") == "finetune" and type(samples) is int and _finite(replay):
        # fine-tuning sees variants of the user's drawings plus MNIST images
        found["images_note"] = (
            f"{samples} of your drawings x {repeats} variants + {replay:g}x as many "
            "MNIST images"
        )
    elif "train_images" not in found and "epochs" in found:
        # older runs recorded only the subset asked for: say so, not a count
        found["images_asked"] = limit if type(limit) is int and limit > 0 else "all"
    seconds = training.get("seconds")
    if _finite(seconds) and seconds >= 0:
        found["seconds"] = float(seconds)
    if training.get("kind") == "finetune":
        found["kind"] = "fine-tuned on your drawings"
    if type(samples) is int and samples > 0:
        found["user_samples"] = samples
    start = metadata.get("started_from")
    if isinstance(start, dict) and isinstance(start.get("name"), str):
        found["started_from"] = start["name"][:200]
    return found


def _augmentation(training: dict[str, Any]) -> str:
    if not training["augment"]:
        return "off"
    strength = training.get("augmentation")
    if not isinstance(strength, dict):
        return "on"
    parts = []
    for key, label, unit in (
        ("shift_pixels", "shift", " px"),
        ("rotation_degrees", "rotation", "°"),
        ("scale", "scale", ""),
        ("shear", "shear", ""),
        ("styles", "styles", ""),
    ):
        value = strength.get(key)
        if _finite(value) and value:
            parts.append(f"{label} {value:g}{unit}")
    return "on: " + ", ".join(parts) if parts else "on"


def multiply_adds(path: Path, layers: Any) -> int | None:
    """Multiply-adds of one forward pass (kernel and dense layers), or None.

    ``layers`` is the metadata's layer list (output shapes, parameter counts);
    whether a layer has a bias comes from the archive's checked ``config.json``.
    Batch norm, pooling and activations are left out, as multiply-add counts do.
    """
    if not isinstance(layers, list) or not layers:
        return None
    try:
        config = check_archive(Path(path))
    except ModelFileError:
        return None
    bias = {}
    for layer in layer_configs(config):
        conf = layer["config"]
        if isinstance(conf.get("name"), str):
            bias[conf["name"]] = conf.get("use_bias", True) is not False
    total = 0
    for layer in layers:
        kind, shape, params = layer["kind"], layer["output_shape"], layer["parameters"]
        if kind not in (*_KERNEL_LAYERS, "Dense"):
            continue
        if layer["name"] not in bias or not shape:
            return None
        weights = params - (shape[-1] if bias[layer["name"]] else 0)
        total += math.prod(shape[:-1]) * max(weights, 0)
    return total
