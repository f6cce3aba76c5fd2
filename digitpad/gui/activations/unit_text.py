"""The numbers of "How this value is computed", as short rich text per kind of layer.

Written out the way the tutorial writes them: inputs x weights, grouped per input
map with the largest contributions first and the rest summarised, the sum, + bias,
the activation, = the value in the map; a batch norm's formula with its numbers; a
pool's window; the softmax's logits, exps, their sum and the probabilities.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from digitpad.core.models.unit_summary import channel_groups, largest_terms

SHOWN_GROUPS = 4
SHOWN_PRODUCTS = 9
SHOWN_DENSE = 10
INDENT = "&nbsp;&nbsp;"


def _n(value: float) -> str:
    return f"{value:.3f}".replace("-", "−")


def _signed(value: float) -> str:
    return ("+ " if value >= 0 else "− ") + f"{abs(value):.3f}"


def _product(a: float, w: float) -> str:
    weight = _n(w) if w >= 0 else f"({_n(w)})"
    return f"{_n(a)}×{weight}"


def where(explanation: Any) -> str:
    unit = explanation.unit
    if len(unit) == 3:
        return f"map {unit[2]}, row {unit[0]}, column {unit[1]}"
    if explanation.kind == "softmax":
        return f"digit {unit[0]}"
    return f"unit {unit[0]}"


def heading(explanation: Any) -> str:
    name = html.escape(explanation.layer)
    return (
        f"<b>{name}</b> ({html.escape(explanation.layer_kind)}), {where(explanation)}"
        f" = <b>{_n(explanation.value)}</b>"
    )


def _sum_lines(explanation: Any) -> list[str]:
    fields = explanation.fields
    terms = fields["terms"]
    source = html.escape(explanation.input_layer)
    lines = []
    if explanation.kind == "conv":
        kh, kw = fields["window"]["kernel"]
        channels = int(terms.sources[:, 2].max()) + 1 if len(terms.sources) else 0
        lines.append(
            f"A {kh}×{kw} window on the {channels} map(s) of <b>{source}</b>: "
            f"{len(terms.activations)} inputs × weights, per input map, largest first:"
        )
        groups = channel_groups(terms)
        for group in groups[:SHOWN_GROUPS]:
            shown = group.indices[:SHOWN_PRODUCTS]
            parts = " + ".join(
                _product(terms.activations[i], terms.weights[i]) for i in shown
            )
            more = len(group.indices) - len(shown)
            tail = f" + … {more} more" if more else ""
            lines.append(
                f"{INDENT}map {group.channel}: {parts}{tail} = <b>{_n(group.total)}</b>"
            )
        if len(groups) > SHOWN_GROUPS:
            rest = sum(group.total for group in groups[SHOWN_GROUPS:])
            lines.append(
                f"{INDENT}the other {len(groups) - SHOWN_GROUPS} maps add {_n(rest)}"
            )
    else:
        top, rest = largest_terms(terms, SHOWN_DENSE)
        origins = fields.get("origins")
        lines.append(
            f"{len(terms.activations)} inputs from <b>{source}</b> × weights, "
            "largest |product| first:"
        )
        for i in top:
            index = int(terms.sources[i, 0])
            came = ""
            if origins is not None:
                r, c, ch = (int(v) for v in origins[index])
                origin = html.escape(fields["origin_layer"])
                came = f" (= {origin} row {r}, col {c}, map {ch})"
            lines.append(
                f"{INDENT}input {index}{came}: "
                f"{_product(terms.activations[i], terms.weights[i])}"
                f" = {_n(terms.products[i])}"
            )
        if len(terms.activations) > len(top):
            lines.append(
                f"{INDENT}the other {len(terms.activations) - len(top)} add {_n(rest)}"
            )
    total = float(terms.products.sum())
    lines.append(
        f"sum {_n(total)} {_signed(fields['bias'])} (bias) = "
        f"<b>{_n(fields['pre_activation'])}</b>"
    )
    return lines


def _softmax_lines(fields: dict, unit: int) -> list[str]:
    """The ten logits, exps and probabilities as aligned preformatted rows (a
    QTextDocument lays out a <pre> in half the time of a <table>, on every stroke)."""
    rows = []
    for d, (logit, e, p) in enumerate(
        zip(fields["logits"], fields["exp"], fields["probabilities"], strict=True)
    ):
        row = f"{d:>5} {_n(logit):>9} {e:>11.4g} {100 * p:>11.2f}%"
        rows.append(f"<b>{row}  ◀</b>" if d == unit else row)
    shift = fields["exp_shift"]
    exp = f"exp(logit − {shift:.1f})" if shift else "exp(logit)"
    return [
        f"Softmax turns the ten logits into probabilities: {exp} / the sum of all ten.",
        "<pre>digit     logit         exp  probability\n" + "\n".join(rows) + "</pre>",
        f"sum of the exps = {fields['sum']:.6g}; "
        f"digit {unit}: {fields['exp'][unit]:.4g} / {fields['sum']:.6g}",
    ]


def explanation_html(explanation: Any) -> str:
    """Rich text for a QLabel: every number the unit's value is made of."""
    fields, kind = explanation.fields, explanation.kind
    lines = [heading(explanation)]
    if kind == "softmax":
        lines += _softmax_lines(fields, explanation.unit[0])
        if "terms" in fields:
            lines.append(
                f"<br>The logit of digit {explanation.unit[0]}, like a dense unit:"
            )
            lines += _sum_lines(explanation)
    elif "terms" in fields:
        lines += _sum_lines(explanation)
        lines.append(
            f"{html.escape(fields['activation'])}({_n(fields['pre_activation'])})"
            f" = <b>{_n(explanation.value)}</b>, the value shown in the layer"
        )
    if kind == "batchnorm":
        lines.append(
            "(x − mean) / √(variance + ε) × γ + β = "
            f"({_n(fields['input'])} − {_n(fields['mean'])}) / "
            f"√({_n(fields['variance'])} + {fields['epsilon']:g}) × "
            f"{_n(fields['gamma'])} {_signed(fields['beta'])} = "
            f"<b>{_n(explanation.value)}</b>"
        )
    elif kind == "pool":
        values = np.asarray(fields["values"])
        shown = ", ".join(_n(v) for v in values[:16])
        more = f", … ({len(values)} values)" if len(values) > 16 else ""
        lines.append(
            f"{fields['op']} of the window on "
            f"<b>{html.escape(explanation.input_layer)}</b>: {shown}{more}"
            f" → <b>{_n(explanation.value)}</b>"
        )
    elif kind == "activation":
        lines.append(
            f"{html.escape(fields['function'])}({_n(fields['input'])}) = "
            f"<b>{_n(explanation.value)}</b>"
        )
    elif kind == "flatten":
        r, c, ch = fields["from"]
        lines.append(
            f"The value at row {r}, column {c}, map {ch} of "
            f"<b>{html.escape(explanation.input_layer)}</b>, laid out in one row."
        )
    elif kind == "add":
        parts = " + ".join(
            f"{_n(value)} ({html.escape(name)})" for name, value in fields["inputs"]
        )
        lines.append(f"Adds its inputs: {parts} = <b>{_n(explanation.value)}</b>")
    elif kind == "concat":
        name, channel, _ = fields["source"]
        spans = ", ".join(
            f"{html.escape(n)}: channels {a}–{b - 1}" for n, a, b in fields["inputs"]
        )
        lines.append(
            f"Puts its inputs side by side ({spans}); this channel is channel "
            f"{channel} of <b>{html.escape(name)}</b>."
        )
    return "<br>".join(lines)
