"""An ``Explanation`` as the JSON record of ``digitpad explain --json``.

The record is ``{"layer", "kind", "unit", "value", "input_layer", "network_input"}``
plus the kind's numbers: ``terms`` as ``{"from", "activation", "weight"}`` entries
whose ``from`` indexes ``input_layer``'s output, a pool's ``window`` entries, the
softmax's ``logits``, ``exp``, ``sum`` and ``probabilities``, and so on.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _number(value: Any) -> float:
    return float(np.float64(value))


def terms_json(
    terms: Any, origins: np.ndarray | None, origin_layer: str | None
) -> list:
    entries = []
    sources = terms.sources.tolist()
    activations = terms.activations.tolist()
    weights = terms.weights.tolist()
    for n, source in enumerate(sources):
        entry = {"from": source, "activation": activations[n], "weight": weights[n]}
        if origins is not None:
            r, c, ch = (int(v) for v in origins[source[0]])
            entry["origin"] = {"layer": origin_layer, "row": r, "col": c, "map": ch}
        entries.append(entry)
    return entries


def explanation_json(explanation: Any, network_input: np.ndarray | None) -> dict:
    """All the numbers of ``explanation``; ``network_input`` is the 28x28 image."""
    fields = explanation.fields
    record: dict[str, Any] = {
        "layer": explanation.layer,
        "kind": explanation.kind,
        "keras_class": explanation.layer_kind,
        "unit": list(explanation.unit),
        "value": explanation.value,
        "input_layer": explanation.input_layer,
    }
    if network_input is not None:
        image = np.asarray(network_input, np.float64).reshape(28, 28)
        record["network_input"] = [[round(v, 6) for v in row] for row in image.tolist()]
    kind = explanation.kind
    if "terms" in fields:
        record["terms"] = terms_json(
            fields["terms"], fields.get("origins"), fields.get("origin_layer")
        )
        for key in ("bias", "pre_activation"):
            record[key] = _number(fields[key])
        record["activation"] = fields["activation"]
    if kind == "conv":
        window = fields["window"]
        record["window"] = {
            "origin": list(window["origin"]),
            "kernel_size": list(window["kernel"]),
            "strides": list(window["strides"]),
            "dilation": list(window["dilation"]),
            "padding": window["padding"],
        }
    elif kind == "batchnorm":
        for key in ("input", "mean", "variance", "gamma", "beta", "epsilon"):
            record[key] = _number(fields[key])
        record["from"] = list(fields["from"])
    elif kind == "pool":
        record["op"] = fields["op"]
        record["window"] = [
            {"from": source, "activation": value}
            for source, value in zip(
                fields["sources"].tolist(), fields["values"].tolist(), strict=True
            )
        ]
    elif kind == "softmax":
        for key in ("logits", "exp", "probabilities"):
            record[key] = [float(v) for v in fields[key]]
        record["sum"] = _number(fields["sum"])
        if fields["exp_shift"]:
            record["exp_shift"] = fields["exp_shift"]
    elif kind in ("activation", "flatten"):
        record["input"] = _number(fields["input"])
        record["from"] = list(fields["from"])
        if kind == "activation":
            record["function"] = fields["function"]
    elif kind == "add":
        record["inputs"] = [{"layer": n, "activation": v} for n, v in fields["inputs"]]
    elif kind == "concat":
        record["inputs"] = [
            {"layer": n, "channels": [a, b]} for n, a, b in fields["inputs"]
        ]
        name, channel, value = fields["source"]
        record["source"] = {"layer": name, "channel": channel, "activation": value}
    return record
