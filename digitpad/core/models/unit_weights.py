"""``NAME.weights.npz``: every layer's weights and the layer graph, without TensorFlow.

"How this value is computed" re-does one unit's arithmetic in numpy from the previous
layer's activations, so the app needs each layer's weights and how the layers connect.
Both travel with the model as a sidecar written at every save (and made by the helper
when it converts a ``.keras``). The graph is JSON stored as a uint8 array (``graph``),
the weights are arrays ``w0, w1, ...`` that the graph names, so the file loads with
``allow_pickle=False``. It is as untrusted as the model: read bounded, every array
header checked before its data is read, every shape checked against the graph.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core.bounded_io import read_bounded
from digitpad.core.models.metadata import sidecar
from digitpad.core.models.npz_headers import array_headers

FORMAT = "digitpad-weights"
MAX_WEIGHTS_BYTES = 512 * 1024 * 1024
MAX_WEIGHT_VALUES = 100_000_000
MAX_GRAPH_BYTES = 4 * 1024 * 1024
MAX_LAYERS = 2000
# configuration each kind needs to be recomputed; every other key is dropped
CONFIG_KEYS = {
    "Conv2D": ("strides", "padding", "dilation_rate", "activation", "use_bias"),
    "Dense": ("activation", "use_bias"),
    "BatchNormalization": ("epsilon", "axis", "center", "scale"),
    "MaxPooling2D": ("pool_size", "strides", "padding"),
    "AveragePooling2D": ("pool_size", "strides", "padding"),
    "GlobalAveragePooling2D": ("keepdims",),
    "GlobalMaxPooling2D": ("keepdims",),
    "Activation": ("activation",),
    "ReLU": ("max_value", "negative_slope", "threshold"),
    "LeakyReLU": ("negative_slope",),
    "Softmax": ("axis",),
    "Concatenate": ("axis",),
    "Flatten": (),
    "Add": (),
    "Dropout": (),
    "InputLayer": (),
}


@dataclass(frozen=True)
class GraphLayer:
    """One layer: its Keras class name, the config to recompute it, its inputs."""

    name: str
    kind: str
    config: dict[str, Any]
    inputs: tuple[str, ...]
    output_shape: tuple[int, ...]


@dataclass(frozen=True)
class NetworkWeights:
    """The layer graph (network order) and each layer's weights by variable name."""

    layers: tuple[GraphLayer, ...]
    weights: dict[str, dict[str, np.ndarray]]

    def layer(self, name: str) -> GraphLayer | None:
        return next((layer for layer in self.layers if layer.name == name), None)

    @property
    def input_name(self) -> str:
        return next(layer.name for layer in self.layers if layer.kind == "InputLayer")


# ------------------------------------------------------------ from Keras (helper side)


def network_weights(model: Any) -> NetworkWeights:
    """The graph and weights of a built Keras model (called where Keras is loaded)."""
    source = model.inputs[0]._keras_history.operation
    layers = [_graph_layer(source, ())]
    weights: dict[str, dict[str, np.ndarray]] = {}
    for layer in model.layers:
        if layer is source:
            continue
        node = layer._inbound_nodes[0]
        inputs = tuple(t._keras_history.operation.name for t in node.input_tensors)
        layers.append(_graph_layer(layer, inputs))
        weights[layer.name] = {
            w.path.split("/")[-1]: np.asarray(w.numpy(), np.float32)
            for w in layer.weights
        }
    return NetworkWeights(tuple(layers), weights)


def _graph_layer(layer: Any, inputs: tuple[str, ...]) -> GraphLayer:
    kind = type(layer).__name__
    config = layer.get_config()
    keep = CONFIG_KEYS.get(kind, ())
    return GraphLayer(
        layer.name,
        kind,
        {key: config[key] for key in keep if key in config},
        inputs,
        tuple(int(d) for d in layer.output.shape[1:]),
    )


def weights_bytes(model: Any) -> bytes:
    """The ``.weights.npz`` file of ``model``, ready to write atomically."""
    return encode(network_weights(model))


def encode(network: NetworkWeights) -> bytes:
    arrays: dict[str, np.ndarray] = {}
    graph = []
    for layer in network.layers:
        names = {}
        for variable, array in network.weights.get(layer.name, {}).items():
            key = f"w{len(arrays)}"
            arrays[key] = array
            names[variable] = key
        graph.append(
            {
                "name": layer.name,
                "kind": layer.kind,
                "config": layer.config,
                "inputs": list(layer.inputs),
                "output_shape": list(layer.output_shape),
                "weights": names,
            }
        )
    text = json.dumps({"format": FORMAT, "version": 1, "layers": graph})
    arrays["graph"] = np.frombuffer(text.encode(), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# ------------------------------------------------------------ reading (app side)


class WeightsFileError(ValueError):
    """The sidecar is present but not a usable weights file (the reason says why)."""


def read_weights(
    path: str | Path, expected_sha256: str | None = None
) -> NetworkWeights | None:
    """The weights sidecar beside the ``.keras`` at ``path``; None if absent.

    A file that does not match ``expected_sha256`` (a sidecar left from another
    model) or is not a valid weights file also gives None: the view then says the
    model has no usable weights file.
    """
    try:
        data = read_bounded(sidecar(path, "weights"), MAX_WEIGHTS_BYTES)
    except OSError:
        return None
    if expected_sha256 and hashlib.sha256(data).hexdigest() != expected_sha256:
        return None
    try:
        return decode(data)
    except WeightsFileError:
        return None


def decode(data: bytes) -> NetworkWeights:
    """Parse and check a weights file's bytes; ``WeightsFileError`` says what is
    wrong."""
    try:
        _check_headers(data)
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, MemoryError) as error:
        raise WeightsFileError(f"not a weights file ({error})") from None
    graph = arrays.pop("graph", None)
    if graph is None or graph.dtype != np.uint8 or graph.size > MAX_GRAPH_BYTES:
        raise WeightsFileError("no layer graph in it")
    try:
        document = json.loads(graph.tobytes())
    except (ValueError, RecursionError):
        raise WeightsFileError("its layer graph is not JSON") from None
    return _network(document, arrays)


def _check_headers(data: bytes) -> None:
    """Every member is a plain numeric array and all fit the value budget."""
    values = 0
    for shape, dtype in array_headers(data):
        values += int(np.prod(shape, dtype=np.float64))
        if dtype.hasobject or dtype.kind not in "fu" or values > MAX_WEIGHT_VALUES:
            raise WeightsFileError("an array is too big or not numeric")


def _network(document: Any, arrays: dict[str, np.ndarray]) -> NetworkWeights:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise WeightsFileError("not a DigitPad weights file")
    entries = document.get("layers")
    if not isinstance(entries, list) or not 0 < len(entries) <= MAX_LAYERS:
        raise WeightsFileError("no layers in its graph")
    layers, weights, seen = [], {}, set()
    for entry in entries:
        layer = _layer(entry, seen)
        named = entry.get("weights", {})
        if not isinstance(named, dict) or not all(
            isinstance(k, str) and v in arrays and arrays[v].dtype.kind == "f"
            for k, v in named.items()
        ):
            raise WeightsFileError(f"layer {layer.name!r} names missing weights")
        weights[layer.name] = {
            k: arrays[v].astype(np.float32) for k, v in named.items()
        }
        layers.append(layer)
        seen.add(layer.name)
    if sum(layer.kind == "InputLayer" for layer in layers) != 1:
        raise WeightsFileError("its graph must have exactly one input")
    from digitpad.core.models.unit_shapes import check_shapes

    network = NetworkWeights(tuple(layers), weights)
    problem = check_shapes(network)
    if problem:
        raise WeightsFileError(problem)
    return network


def _layer(entry: Any, seen: set[str]) -> GraphLayer:
    if not isinstance(entry, dict):
        raise WeightsFileError("a layer entry is not an object")
    name, kind = entry.get("name"), entry.get("kind")
    inputs, shape = entry.get("inputs"), entry.get("output_shape")
    config = entry.get("config")
    if not (
        isinstance(name, str) and isinstance(kind, str) and isinstance(config, dict)
    ):
        raise WeightsFileError("a layer has no name, kind or config")
    if name in seen:
        raise WeightsFileError(f"layer {name!r} appears twice")
    if not isinstance(inputs, list) or not all(
        isinstance(i, str) and i in seen for i in inputs
    ):
        raise WeightsFileError(f"layer {name!r} takes an input not before it")
    if not isinstance(shape, list) or not all(
        type(d) is int and 0 < d < 1_000_000 for d in shape
    ):
        raise WeightsFileError(f"layer {name!r} has a bad output shape")
    return GraphLayer(name, kind, config, tuple(inputs), tuple(shape))
