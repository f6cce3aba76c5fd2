"""What the pure-Python analysis says is what Keras builds: presets, random specs, code.

Each spec is built with the one builder (and, for the presets, with the hand-written
builders DigitPad used before specs, kept in tests/support/legacy_architectures.py),
and every layer's name, output shape and parameter count is compared.
"""

from __future__ import annotations

import random

import pytest

from digitpad.core.models import modelfile
from digitpad.core.networks.builder import build_keras_model, build_preset
from digitpad.core.networks.keras_code import keras_code
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.recorded import spec_from_metadata
from digitpad.core.networks.shapes import Analysis, LayerRow, analyze
from digitpad.core.networks.spec import keras_model_name, parse_spec
from digitpad.core.paths import shipped_model_path
from tests.support import legacy_architectures
from tests.support.random_specs import random_valid_spec

RANDOM_SPECS = 30


def _layers(model) -> list[tuple[str, str, tuple, int]]:
    return [
        (
            layer.name,
            type(layer).__name__,
            tuple(layer.output.shape[1:]),
            layer.count_params(),
        )
        for layer in model.layers
        if type(layer).__name__ != "InputLayer"
    ]


def _flat_rows(analysis: Analysis) -> list[LayerRow]:
    rows = []
    for row in analysis.rows:
        rows += list(row.inner) if row.inner else [row]
    return rows


def assert_analysis_matches(analysis: Analysis, model) -> None:
    keras_layers = {
        name: (kind, shape, params) for name, kind, shape, params in _layers(model)
    }
    rows = {
        row.name: (row.type, row.output_shape, row.params)
        for row in _flat_rows(analysis)
    }
    assert rows == keras_layers
    assert analysis.total_params == model.count_params()
    trainable = sum(int(w.numpy().size) for w in model.trainable_weights)
    assert trainable == sum(
        row.params if row.trainable_params is None else row.trainable_params
        for row in analysis.rows
    )


@pytest.mark.parametrize("name", list(legacy_architectures.ARCHITECTURES))
def test_the_four_presets_are_todays_architectures(name: str) -> None:
    legacy = legacy_architectures.build_model(name)
    built = build_preset(name)
    assert _layers(built) == _layers(legacy)
    assert built.name == legacy.name == name
    assert built.count_params() == legacy_architectures.ARCHITECTURES[name].parameters


@pytest.mark.parametrize("name", list(PRESETS))
def test_every_preset_analysis_equals_keras(name: str) -> None:
    spec = PRESETS[name].spec
    assert_analysis_matches(analyze(spec), build_keras_model(spec))


def test_random_valid_specs_analysis_equals_keras() -> None:
    rng = random.Random(2024)
    for i in range(RANDOM_SPECS):
        spec = parse_spec(random_valid_spec(rng, i))
        assert_analysis_matches(analyze(spec), build_keras_model(spec))


def test_the_keras_code_builds_the_same_network() -> None:
    rng = random.Random(5)
    specs = [preset.spec for preset in PRESETS.values()]
    specs += [parse_spec(random_valid_spec(rng, i)) for i in range(8)]
    for spec in specs:
        namespace: dict = {}
        exec(compile(keras_code(spec), "<keras_code>", "exec"), namespace)
        model = namespace["model"]
        assert _layers(model) == _layers(build_keras_model(spec))
        assert model.name == keras_model_name(spec.name)


def test_the_shipped_model_is_the_compact_preset_and_says_so() -> None:
    path = shipped_model_path()
    metadata = modelfile.read_metadata(path)
    spec = spec_from_metadata(metadata)
    assert spec == PRESETS["compact"].spec
    shipped = modelfile.load_keras_model(path)
    assert _layers(shipped) == _layers(build_keras_model(spec))
    # what the app read from its metadata before specs existed is what analyze says
    rows = {row.name: row for row in _flat_rows(analyze(spec))}
    for layer in metadata["layers"]:
        row = rows[layer["name"]]
        assert (row.type, list(row.output_shape), row.params) == (
            layer["kind"],
            layer["output_shape"],
            layer["parameters"],
        )
