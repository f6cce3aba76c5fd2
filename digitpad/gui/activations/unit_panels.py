"""Which pictures explain a unit: the maps it reads, its kernel, its field, its map.

A convolution unit shows the previous layer's maps that contribute most, each with
the window outlined and the kernel's slice for that map beside it, the 28x28 input
with the receptive field, and the output map with the unit outlined (filled up to
the unit while Play slides the window). Pooling, batch norm and activation units
show their input map and output map (a global pool its whole input map); other 1-D
layers are explained in numbers only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from digitpad.core.models.unit_field import receptive_field
from digitpad.core.models.unit_summary import channel_groups
from digitpad.gui.activations.feature_maps import DIVERGING
from digitpad.gui.activations.map_detail_dialog import map_image
from digitpad.gui.activations.unit_pictures import Panel
from digitpad.gui.widgets.qimage_array import argb_to_qimage, grey_to_qimage

SHOWN_MAPS = 3  # input maps (with their kernel slice) drawn for a convolution


def kernel_image(weights: np.ndarray) -> Any:
    """A kernel slice coloured blue (negative) to orange (positive), centred on 0."""
    scale = float(np.abs(weights).max()) or 1.0
    indices = np.clip((weights / scale + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    return argb_to_qimage(DIVERGING[indices])


def _window_box(window: dict, shape: tuple) -> tuple[int, int, int, int]:
    (top, left), (kh, kw) = window["origin"], window["kernel"]
    (dh, dw) = window["dilation"]
    bottom, right = top + (kh - 1) * dh, left + (kw - 1) * dw
    return (
        max(0, top),
        min(shape[0] - 1, bottom),
        max(0, left),
        min(shape[1] - 1, right),
    )


def output_panel(
    explanation: Any, activations: dict, revealed: int | None = None
) -> Panel | None:
    """The unit's own map with the unit outlined; during Play only the positions up
    to ``revealed`` (row-major) are filled in."""
    output = activations.get(explanation.layer)
    if output is None or np.ndim(output) != 3:
        return None
    row, col, channel = explanation.unit
    current = np.asarray(output[..., channel], np.float32)
    if revealed is not None:
        current = current.copy().reshape(-1)
        current[revealed + 1 :] = 0.0
        current = current.reshape(output.shape[:2])
    title = f"{explanation.layer} map {channel}"
    return Panel(title, map_image(current), (row, row, col, col))


def input_panel(
    network: Any, explanation: Any, activations: dict, cache: dict | None = None
) -> Panel | None:
    if len(explanation.unit) != 3:
        return None
    image = activations.get(network.input_name)
    if image is None:
        return None
    box = receptive_field(network, explanation.layer, explanation.unit)
    side = box[1] - box[0] + 1, box[3] - box[2] + 1
    return Panel(
        f"28×28 input: field {side[0]}×{side[1]}",
        _image(
            cache,
            ("input",),
            lambda: grey_to_qimage(np.asarray(image, np.float32).reshape(28, 28)),
        ),
        box,
    )


def _image(cache: dict | None, key: tuple, make: Callable[[], Any]) -> Any:
    """``make()``, kept in ``cache`` under ``key``: a Play frame moves only the boxes,
    so the maps it reads are coloured once per drawing, not once per frame."""
    if cache is None:
        return make()
    if key not in cache:
        cache[key] = make()
    return cache[key]


def unit_panels(
    network: Any,
    explanation: Any,
    activations: dict,
    revealed: int | None = None,
    cache: dict | None = None,
) -> list[Panel]:
    """Every picture for ``explanation`` (see the module docstring); ``cache`` keeps
    coloured maps and kernels between calls for the same activations."""
    panels: list[Panel] = []
    source = activations.get(explanation.input_layer)
    fields = explanation.fields
    if explanation.kind == "conv" and source is not None:
        kernel = network.weights[explanation.layer]["kernel"]
        box = _window_box(fields["window"], source.shape)
        for group in channel_groups(fields["terms"])[:SHOWN_MAPS]:
            ch = group.channel
            picture = _image(
                cache,
                ("map", explanation.input_layer, ch),
                lambda ch=ch: map_image(np.asarray(source[..., ch], np.float32)),
            )
            title = f"{explanation.input_layer} map {ch}: {group.total:+.3f}"
            panels.append(Panel(title, picture, box))
            weights = np.asarray(kernel[:, :, ch, explanation.unit[2]], np.float32)
            picture = _image(
                cache,
                ("kernel", explanation.layer, ch, explanation.unit[2]),
                lambda weights=weights: kernel_image(weights),
            )
            panels.append(Panel(f"weights for map {ch}", picture, None, weights))
    elif explanation.kind in ("pool", "batchnorm", "activation") and (
        source is not None and np.ndim(source) == 3 and len(explanation.unit) == 3
    ):
        channel = explanation.unit[2]
        if explanation.kind == "pool":
            box = _window_box(fields["window"], source.shape)
        else:
            row, col = explanation.unit[:2]
            box = (row, row, col, col)
        picture = _image(
            cache,
            ("map", explanation.input_layer, channel),
            lambda: map_image(np.asarray(source[..., channel], np.float32)),
        )
        panels.append(Panel(f"{explanation.input_layer} map {channel}", picture, box))
    elif explanation.kind == "pool" and source is not None and np.ndim(source) == 3:
        channel = explanation.unit[-1]  # a global pool: the whole map is the window
        picture = _image(
            cache,
            ("map", explanation.input_layer, channel),
            lambda: map_image(np.asarray(source[..., channel], np.float32)),
        )
        whole = (0, source.shape[0] - 1, 0, source.shape[1] - 1)
        panels.append(Panel(f"{explanation.input_layer} map {channel}", picture, whole))
    field = input_panel(network, explanation, activations, cache)
    if field is not None:
        panels.append(field)
    output = output_panel(explanation, activations, revealed)
    if output is not None:
        panels.append(output)
    return panels
