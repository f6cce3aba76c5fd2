"""``digitpad explain`` without ``--json``: one screen of plain text per unit."""

from __future__ import annotations

from typing import Any

from digitpad.core.models.unit_summary import channel_groups, largest_terms

SHOWN_TERMS = 8


def _unit(unit: tuple[int, ...]) -> str:
    if len(unit) == 3:
        return f"row {unit[0]}, column {unit[1]}, map {unit[2]}"
    return f"unit {unit[0]}"


def _where(source: Any) -> str:
    return "[" + ", ".join(str(int(v)) for v in source) + "]"


def _sum_lines(explanation: Any) -> list[str]:
    fields = explanation.fields
    terms = fields["terms"]
    lines = [
        f"{len(terms.activations)} inputs x weights from {explanation.input_layer}"
    ]
    if explanation.kind == "conv" and terms.sources.shape[1] == 3:
        groups = channel_groups(terms)
        lines.append("  per input map, largest first:")
        for group in groups[:SHOWN_TERMS]:
            lines.append(f"    map {group.channel:>3}: {group.total:+.4f}")
        rest = sum(group.total for group in groups[SHOWN_TERMS:])
        if len(groups) > SHOWN_TERMS:
            lines.append(f"    {len(groups) - SHOWN_TERMS} more maps: {rest:+.4f}")
    else:
        top, rest = largest_terms(terms, SHOWN_TERMS)
        origins = fields.get("origins")
        for n in top:
            source = terms.sources[n]
            where = _where(source)
            if origins is not None:
                r, c, ch = origins[source[0]]
                where += f" ({fields['origin_layer']} row {r}, col {c}, map {ch})"
            lines.append(
                f"  {where}: {terms.activations[n]:.4f} x {terms.weights[n]:+.4f}"
                f" = {terms.products[n]:+.4f}"
            )
        if len(terms.activations) > len(top):
            lines.append(f"  {len(terms.activations) - len(top)} more: {rest:+.4f}")
    total = float(terms.products.sum())
    lines.append(f"sum {total:+.4f} + bias {fields['bias']:+.4f}")
    lines.append(f"  = {fields['pre_activation']:+.4f}, then {fields['activation']}")
    return lines


def explanation_text(explanation: Any) -> str:
    """What the unit computes, with its numbers, in at most ~25 lines."""
    fields, kind = explanation.fields, explanation.kind
    lines = [
        f"{explanation.layer} ({explanation.layer_kind}), {_unit(explanation.unit)}"
    ]
    if "terms" in fields:
        lines += _sum_lines(explanation)
    if kind == "batchnorm":
        lines.append(
            f"({fields['input']:.4f} - {fields['mean']:.4f}) / sqrt("
            f"{fields['variance']:.4f} + {fields['epsilon']:g}) x "
            f"{fields['gamma']:.4f} + {fields['beta']:.4f}"
        )
    elif kind == "pool":
        values = ", ".join(f"{v:.4f}" for v in fields["values"][:16])
        more = " ..." if len(fields["values"]) > 16 else ""
        lines.append(
            f"{fields['op']} of {len(fields['values'])} values from "
            f"{explanation.input_layer}: {values}{more}"
        )
    elif kind == "activation":
        lines.append(f"{fields['function']}({fields['input']:.4f})")
    elif kind == "flatten":
        lines.append(f"{explanation.input_layer}{_where(fields['from'])}")
    elif kind == "softmax":
        lines.append("digit   logit        exp   probability")
        for digit, (logit, e, p) in enumerate(
            zip(fields["logits"], fields["exp"], fields["probabilities"], strict=True)
        ):
            lines.append(f"  {digit:>3} {logit:+8.3f} {e:10.4g}   {p:8.4%}")
        lines.append(f"sum of exp {fields['sum']:.6g}; each probability = exp / sum")
    elif kind == "add":
        lines += [f"  + {name}: {value:+.4f}" for name, value in fields["inputs"]]
    elif kind == "concat":
        name, channel, _ = fields["source"]
        lines.append(f"channel {explanation.unit[-1]} is {name}'s channel {channel}")
    lines.append(f"= {explanation.value:.6f}")
    return "\n".join(lines)
