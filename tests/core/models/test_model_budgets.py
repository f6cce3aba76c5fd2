"""Archives, configs and LiteRT graphs are sized up before anything is allocated.

Each crafted file is refused in well under a second with one line, without Keras or
LiteRT ever building it.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from digitpad.core.errors import ModelFileError
from digitpad.core.models import modelfile
from digitpad.core.models.checks import MAX_PARAMETERS, layer_parameters
from digitpad.core.models.tflite_check import check_operators
from digitpad.core.paths import shipped_model_path


def _shipped_members() -> dict[str, bytes]:
    with zipfile.ZipFile(shipped_model_path()) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, members: dict[str, bytes], deflate: bool = False) -> Path:
    mode = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _refused_quickly(path: Path, match: str) -> None:
    started = time.monotonic()
    with pytest.raises(ModelFileError, match=match) as raised:
        modelfile.load_keras_model(path)
    assert time.monotonic() - started < 0.5
    assert "\n" not in str(raised.value)


def test_a_weights_file_that_inflates_hugely_is_refused_unread(tmp_path):
    members = _shipped_members()
    members["model.weights.h5"] = bytes(64 << 20)  # 64 MB of zeros, ~64 KB zipped
    path = _write_zip(tmp_path / "bomb.keras", members, deflate=True)
    assert path.stat().st_size < 1 << 20
    _refused_quickly(path, "compressed .*:1")


def test_an_oversized_config_is_refused_before_parsing(tmp_path):
    members = _shipped_members()
    members["config.json"] = b" " * (5 << 20) + members["config.json"]
    _refused_quickly(_write_zip(tmp_path / "big.keras", members), "config.json")


def _with_dense_units(units: int) -> dict[str, bytes]:
    members = _shipped_members()
    config = json.loads(members["config.json"])
    dense = [
        layer for layer in config["config"]["layers"] if layer["class_name"] == "Dense"
    ]
    dense[0]["config"]["units"] = units
    members["config.json"] = json.dumps(config).encode()
    return members


def test_a_config_declaring_a_huge_dense_layer_is_refused_before_building(tmp_path):
    path = _write_zip(tmp_path / "wide.keras", _with_dense_units(900_000))
    _refused_quickly(path, "parameters")


def test_absurd_widths_and_tensor_shapes_are_refused(tmp_path):
    path = _write_zip(tmp_path / "units.keras", _with_dense_units(10**9))
    _refused_quickly(path, "units=")
    members = _shipped_members()
    config = json.loads(members["config.json"])
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 28, 28, 10**8]
    members["config.json"] = json.dumps(config).encode()
    _refused_quickly(_write_zip(tmp_path / "shape.keras", members), "absurd size")


def test_the_shipped_model_is_well_inside_the_budget():
    # the estimate is what Keras itself counts for the shipped model's layers
    config = json.loads(_shipped_members()["config.json"])
    metadata = modelfile.read_metadata(shipped_model_path())
    estimated = 0
    for layer in config["config"]["layers"]:
        shape = layer.get("build_config", {}).get("input_shape")
        if shape:
            estimated += layer_parameters(
                layer["class_name"], layer["config"], shape[-1]
            )
    assert estimated >= metadata["parameters"]
    assert estimated < 2 * metadata["parameters"] < MAX_PARAMETERS


def test_a_tflite_declaring_a_gigantic_tensor_is_refused_before_allocating():
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(
        modelfile.sidecar(shipped_model_path(), "tflite").read_bytes(), 0
    )
    tensor = model.subgraphs[0].tensors[5]
    tensor.shape = np.array([1, 4096, 4096, 64], dtype=np.int32)  # 4 GiB of floats
    builder = flatbuffers.Builder(1 << 20)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    crafted = bytes(builder.Output())
    started = time.monotonic()
    with pytest.raises(ModelFileError, match="too large to allocate"):
        check_operators(crafted, "crafted.tflite")
    assert time.monotonic() - started < 0.5


def test_weights_declaring_gigabytes_in_a_small_h5_are_refused(tmp_path):
    import io

    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as weights:
        # chunks never written: the file stays tiny, reading it yields 2.4 GB
        weights.create_dataset(
            "layers/dense/vars/0", shape=(600_000_000,), dtype="f4", chunks=True
        )
    members = _shipped_members()
    members["model.weights.h5"] = buffer.getvalue()
    path = _write_zip(tmp_path / "sparse.keras", members)
    assert path.stat().st_size < 1 << 20
    _refused_quickly(path, "declares more weights")
