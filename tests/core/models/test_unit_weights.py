"""The weights sidecar travels with every model and is read as untrusted input."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import pytest

from digitpad.core.models import modelfile, unit_weights
from digitpad.core.models.inference import load_predictor
from digitpad.core.models.predictor_save import save_predictor
from digitpad.core.paths import shipped_model_path
from tests.support.unit_models import trained_model


@pytest.fixture(scope="module")
def saved():
    return trained_model("tutorial")


def _arrays(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def _rewrite(arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _graph(arrays: dict) -> dict:
    return json.loads(arrays["graph"].tobytes())


def _with_graph(arrays: dict, graph: dict) -> dict:
    text = json.dumps(graph).encode()
    return {**arrays, "graph": np.frombuffer(text, np.uint8)}


def test_save_writes_every_layer_s_weights_and_the_graph(saved):
    model, path = saved
    network = unit_weights.read_weights(
        path, modelfile.read_metadata(path)["weights_sha256"]
    )
    assert network is not None
    kinds = {layer.name: layer.kind for layer in network.layers}
    assert kinds["image"] == "InputLayer" and kinds["pool1"] == "MaxPooling2D"
    assert network.layer("conv2").inputs == ("pool1",)
    assert network.layer("conv1").config["activation"] == "relu"
    for layer in model.layers:
        for variable, value in zip(layer.weights, layer.get_weights(), strict=True):
            stored = network.weights[layer.name][variable.path.split("/")[-1]]
            np.testing.assert_array_equal(stored, value)


def test_the_shipped_model_has_a_current_weights_sidecar():
    path = shipped_model_path()
    side = modelfile.sidecar(path, "weights")
    assert side.is_file() and side.stat().st_size < 4_000_000
    predictor = load_predictor(path, kernels=True)
    network = predictor.unit_weights()
    assert network is not None  # its hash matches the metadata
    assert [layer.name for layer in network.layers][1:] == [
        name for name in _graph_names(side) if name != network.input_name
    ]
    assert set(predictor.layer_names) <= {layer.name for layer in network.layers}


def _graph_names(side) -> list[str]:
    return [entry["name"] for entry in _graph(_arrays(side.read_bytes()))["layers"]]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda a: {**a, "graph": np.frombuffer(b"not json", np.uint8)},
        lambda a: {k: v for k, v in a.items() if k != "graph"},
        lambda a: {**a, "w0": a["w0"][..., :1]},  # conv1 kernel of the wrong shape
        lambda a: {**a, "w0": np.zeros(3, np.int64)},  # not float weights
        lambda a: _with_graph(a, {**_graph(a), "format": "something else"}),
        lambda a: _with_graph(
            a, {**_graph(a), "layers": _graph(a)["layers"][::-1]}
        ),  # inputs after their users
    ],
)
def test_a_broken_or_hostile_sidecar_is_refused_not_trusted(saved, tamper, tmp_path):
    _, path = saved
    data = modelfile.sidecar(path, "weights").read_bytes()
    with pytest.raises(unit_weights.WeightsFileError):
        unit_weights.decode(_rewrite(tamper(_arrays(data))))


def test_pickled_or_huge_arrays_are_refused_before_loading(saved):
    _, path = saved
    arrays = _arrays(modelfile.sidecar(path, "weights").read_bytes())
    buffer = io.BytesIO()
    np.savez(buffer, **arrays, evil=np.array([object()], dtype=object))
    with pytest.raises(unit_weights.WeightsFileError):
        unit_weights.decode(buffer.getvalue())
    with pytest.raises(unit_weights.WeightsFileError):
        unit_weights.decode(b"PK\x03\x04 not a zip")


def test_a_stale_sidecar_is_ignored_and_save_as_carries_it(saved, tmp_path):
    _, path = saved
    copy = save_predictor(load_predictor(path), tmp_path / "copy.keras")
    assert modelfile.sidecar(copy, "weights").is_file()
    assert load_predictor(copy).unit_weights() is not None
    other = tmp_path / "other.keras"
    for kind in ("metadata", "tflite", "kernels"):
        shutil.copyfile(modelfile.sidecar(path, kind), modelfile.sidecar(other, kind))
    shutil.copyfile(path, other)
    side = modelfile.sidecar(other, "weights")
    side.write_bytes(modelfile.sidecar(path, "weights").read_bytes() + b"\0")
    assert load_predictor(other).unit_weights() is None  # not the one the hash names
