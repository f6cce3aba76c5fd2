"""A spec's layers as a table (like Keras's ``model.summary()``) or as JSON data.

What ``digitpad arch show`` prints; plain text from ``shapes.analyze``, no TensorFlow.
"""

from __future__ import annotations

from typing import Any

from digitpad.core.networks.shapes import INPUT_SHAPE, Analysis, LayerRow
from digitpad.core.networks.spec import INPUT_NAME, NetworkSpec

_HEADINGS = ("Layer (type)", "Output shape", "Param #")


def summary_data(spec: NetworkSpec, analysis: Analysis) -> dict[str, Any]:
    """``{"name", "params", "layers": [{"name", "type", "output_shape", "params"}]}``:
    one row per spec layer in order, then any added Flatten, then the output."""
    return {
        "name": spec.name,
        "params": analysis.total_params,
        "layers": [
            {
                "name": row.name,
                "type": row.type,
                "output_shape": list(row.output_shape),
                "params": row.params,
            }
            for row in analysis.rows
        ],
    }


def summary_table(spec: NetworkSpec, analysis: Analysis) -> str:
    """The layers, their output shapes and parameters, then the totals."""
    lines = [(f"{INPUT_NAME} (Input)", _shape(INPUT_SHAPE), "0")]
    for row in analysis.rows:
        lines.append(_line(row, ""))
        lines += [_line(inner, "  ") for inner in row.inner]
    widths = [max(len(line[i]) for line in lines) for i in range(3)]
    widths = [max(w, len(h)) for w, h in zip(widths, _HEADINGS, strict=True)]
    rule = "-" * (sum(widths) + 4)

    def fmt(cells: tuple[str, str, str]) -> str:
        return (
            f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]:>{widths[2]}}"
        )

    trainable = sum(_trainable(row) for row in analysis.rows)
    minutes = analysis.epoch_seconds() / 60
    out = [
        f'Network "{spec.name}"',
        rule,
        fmt(_HEADINGS),
        rule,
        *(fmt(line) for line in lines),
        rule,
        f"Total params: {analysis.total_params:,} (trainable {trainable:,}, "
        f"non-trainable {analysis.total_params - trainable:,})",
        f"Multiply-adds per image: {analysis.total_macs:,}",
        f"One training epoch (54,000 images), this machine idle: ~{_duration(minutes)}",
    ]
    return "\n".join(out)


def _line(row: LayerRow, indent: str) -> tuple[str, str, str]:
    kind = f"{row.type}, added" if row.added else row.type
    return (f"{indent}{row.name} ({kind})", _shape(row.output_shape), f"{row.params:,}")


def _trainable(row: LayerRow) -> int:
    return row.params if row.trainable_params is None else row.trainable_params


def _shape(shape: tuple[int, ...]) -> str:
    return " x ".join(str(d) for d in shape)


def _duration(minutes: float) -> str:
    if minutes < 1:
        return f"{max(1, round(minutes * 60))} s"
    if minutes < 90:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h"
