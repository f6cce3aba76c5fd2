"""Every unit's explanation re-derives the value the network itself computed.

For every preset and a designed network with branches (trained a few batches, saved
as the app saves), units of every layer are explained in numpy from the weights
sidecar and LiteRT's activations of the previous layer. Each value must equal
LiteRT's own activation to within 1e-4, and Keras, applying the same layer to the
same inputs, must agree. The terms must be the layer's real weights times its real
inputs.
"""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.models.inference import load_predictor
from digitpad.core.models.probes import probe_images
from digitpad.core.models.unit_explain import ExplainError, explain_unit, with_input
from tests.support.unit_models import preset_names, trained_model

MODELS = (*preset_names(), "designed")
TOLERANCE = 1e-4


def _units(shape: tuple, activation: np.ndarray) -> list[tuple[int, ...]]:
    """A corner, the middle, the last unit and the most active one."""
    last = tuple(d - 1 for d in shape)
    middle = tuple(d // 2 for d in shape)
    busiest = tuple(int(i) for i in np.unravel_index(np.argmax(activation), shape))
    return list(dict.fromkeys([(0,) * len(shape), middle, last, busiest]))


def _keras_value(model, layer_name, inputs: list[np.ndarray]) -> np.ndarray:
    """The Keras layer applied to the given (LiteRT) input activations."""
    layer = model.get_layer(layer_name)
    batch = [np.asarray(x, np.float32)[None] for x in inputs]
    return np.asarray(layer(batch if len(batch) > 1 else batch[0], training=False))[0]


@pytest.fixture(scope="module", params=MODELS)
def saved(request):
    model, path = trained_model(request.param)
    predictor = load_predictor(path)
    assert predictor.backend == "LiteRT"
    return model, predictor


def test_every_layer_s_units_equal_litert_and_keras(saved):
    model, predictor = saved
    network = predictor.unit_weights()
    assert network is not None, "save_model wrote no weights sidecar"
    image = probe_images()[1]
    activations = with_input(network, predictor.predict(image).activations, image)
    explained_kinds = set()
    for layer in predictor.layers():
        name = layer["name"]
        graph_layer = network.layer(name)
        inputs = [activations[_shown(network, i)] for i in graph_layer.inputs]
        keras_output = _keras_value(model, name, inputs)
        for unit in _units(tuple(layer["output_shape"]), activations[name]):
            explanation = explain_unit(
                network.layers, network.weights, activations, name, unit
            )
            explained_kinds.add(explanation.kind)
            litert = float(activations[name][unit])
            assert abs(explanation.value - litert) < TOLERANCE, (name, unit)
            assert abs(explanation.value - float(keras_output[unit])) < TOLERANCE
            _check_fields(model, explanation, activations)
    assert {"conv", "pool", "softmax"} <= explained_kinds


def _shown(network, name):
    layer = network.layer(name)
    while layer.kind == "Dropout":
        layer = network.layer(layer.inputs[0])
    return layer.name


def _check_fields(model, explanation, activations):
    """The numbers shown are the layer's real weights and the real inputs."""
    fields = explanation.fields
    layer = model.get_layer(explanation.layer)
    source = activations[explanation.input_layer]
    if "terms" in fields:
        terms = fields["terms"]
        kernel = layer.get_weights()[0]
        index = explanation.unit[-1]
        if explanation.layer_kind == "Conv2D":
            kernel_values = kernel[..., index]
            assert terms.weights.size % kernel.shape[2] == 0
            assert set(np.round(terms.weights, 6)) <= set(
                np.round(kernel_values.ravel().astype(np.float64), 6)
            )
            found = source[tuple(terms.sources.T)]
        else:
            np.testing.assert_allclose(terms.weights, kernel[:, index], atol=1e-7)
            found = source.reshape(-1)[terms.sources[:, 0]]
        np.testing.assert_allclose(terms.activations, found, atol=1e-7)
        bias = fields["bias"]
        total = terms.products.sum() + bias
        assert abs(total - fields["pre_activation"]) < 1e-9
    if explanation.kind == "batchnorm":
        gamma, beta, mean, variance = layer.get_weights()
        channel = explanation.unit[-1]
        assert fields["mean"] == pytest.approx(float(mean[channel]))
        assert fields["gamma"] == pytest.approx(float(gamma[channel]))
        assert fields["beta"] == pytest.approx(float(beta[channel]))
        assert fields["variance"] == pytest.approx(float(variance[channel]))
        assert fields["input"] == pytest.approx(float(source[explanation.unit]))
    if explanation.kind == "softmax":
        probabilities = fields["probabilities"]
        np.testing.assert_allclose(
            probabilities, activations[explanation.layer], atol=TOLERANCE
        )
        assert fields["sum"] == pytest.approx(float(np.sum(fields["exp"])))
    if explanation.kind == "pool":
        values = fields["values"]
        op = np.max if fields["op"] == "max" else np.mean
        assert op(values) == pytest.approx(explanation.value, abs=1e-6)


def test_dense_after_flatten_says_where_each_input_came_from(saved):
    _, predictor = saved
    network = predictor.unit_weights()
    image = probe_images()[1]
    activations = with_input(network, predictor.predict(image).activations, image)
    dense = [
        layer.name
        for layer in network.layers
        if layer.kind == "Dense"
        and network.layer(_shown(network, layer.inputs[0])).kind == "Flatten"
    ]
    if not dense:
        pytest.skip("no dense layer right after Flatten in this network")
    explanation = explain_unit(network, None, activations, dense[0], (0,))
    origins = explanation.fields["origins"]
    origin_layer = explanation.fields["origin_layer"]
    terms = explanation.fields["terms"]
    maps = activations[origin_layer]
    for n in (0, len(terms.activations) // 2, len(terms.activations) - 1):
        r, c, ch = origins[terms.sources[n, 0]]
        assert terms.activations[n] == pytest.approx(float(maps[r, c, ch]))


def test_unknown_layer_and_unit_outside_are_one_line_errors(saved):
    _, predictor = saved
    network = predictor.unit_weights()
    image = probe_images()[1]
    activations = with_input(network, predictor.predict(image).activations, image)
    first = predictor.layers()[0]
    with pytest.raises(ExplainError, match="no layer 'nope'"):
        explain_unit(network, None, activations, "nope", (0, 0, 0))
    outside = tuple(first["output_shape"])
    with pytest.raises(ExplainError, match="outside layer"):
        explain_unit(network, None, activations, first["name"], outside)


def test_receptive_field_holds_every_input_pixel_the_unit_depends_on(saved):
    """Keras's gradient of a unit is zero outside the box drawn on the input."""
    import tensorflow as tf

    from digitpad.core.models.unit_field import receptive_field

    model, predictor = saved
    network = predictor.unit_weights()
    image = tf.constant(
        np.random.default_rng(3).random((1, 28, 28, 1), dtype=np.float32)
    )
    spatial = [layer for layer in predictor.layers() if len(layer["output_shape"]) == 3]
    for layer in spatial[:: max(1, len(spatial) // 6)]:
        name, shape = layer["name"], tuple(layer["output_shape"])
        probe = tf.keras.Model(model.inputs, model.get_layer(name).output)
        for unit in ((0, 0, 0), tuple(d // 2 for d in shape)):
            with tf.GradientTape() as tape:
                tape.watch(image)
                value = probe(image, training=False)[(0, *unit)]
            gradient = np.abs(tape.gradient(value, image).numpy()[0, ..., 0])
            top, bottom, left, right = receptive_field(network, name, unit)
            outside = gradient.copy()
            outside[top : bottom + 1, left : right + 1] = 0
            assert outside.max() == 0, (name, unit)
