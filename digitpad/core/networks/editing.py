"""Edits of a spec as pure functions: each returns a new spec, the old one is untouched.

What the designer's list does (add from the palette, remove, move, duplicate, change an
argument, rename), kept out of the GUI so undo/redo is a stack of specs and every edit
can be tested without Qt. Edits may make a spec impossible (a kernel larger than the
maps); ``shapes.analyze`` then says why at that layer, and nothing here raises for it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from digitpad.core.networks.schema import LAYER_ARGS, default_args
from digitpad.core.networks.spec import LayerSpec, NetworkSpec


def new_layer(layer_type: str) -> LayerSpec:
    """A palette layer: Keras's required arguments filled with a sensible value."""
    if layer_type not in LAYER_ARGS:
        raise ValueError(f"unknown layer type {layer_type!r}")
    return LayerSpec(layer_type, default_args(layer_type))


def insert_layer(spec: NetworkSpec, index: int, layer: LayerSpec) -> NetworkSpec:
    layers = list(spec.layers)
    layers.insert(max(0, min(index, len(layers))), layer)
    return replace(spec, layers=tuple(layers))


def remove_layer(spec: NetworkSpec, index: int) -> NetworkSpec:
    return replace(spec, layers=spec.layers[:index] + spec.layers[index + 1 :])


def move_layer(spec: NetworkSpec, source: int, target: int) -> NetworkSpec:
    """Move layer ``source`` so that it ends up at position ``target``."""
    layers = list(spec.layers)
    layer = layers.pop(source)
    layers.insert(max(0, min(target, len(layers))), layer)
    return replace(spec, layers=tuple(layers))


def duplicate_layer(spec: NetworkSpec, index: int) -> NetworkSpec:
    """A copy right after the layer; a given name is not copied (names are unique)."""
    copy = replace(spec.layers[index], name=None)
    return insert_layer(spec, index + 1, copy)


def set_argument(spec: NetworkSpec, index: int, key: str, value: Any) -> NetworkSpec:
    """Layer ``index`` with ``key`` set to ``value`` (``None`` removes it: Keras's
    default applies again)."""
    layer = spec.layers[index]
    args = dict(layer.args)
    if value is None:
        args.pop(key, None)
    else:
        args[key] = tuple(value) if isinstance(value, list) else value
    return _with_layer(spec, index, replace(layer, args=args))


def rename_layer(spec: NetworkSpec, index: int, name: str | None) -> NetworkSpec:
    """Give layer ``index`` a name (``None`` or "": derived again, e.g. conv2)."""
    return _with_layer(spec, index, replace(spec.layers[index], name=name or None))


def rename_network(spec: NetworkSpec, name: str) -> NetworkSpec:
    return replace(spec, name=name)


def _with_layer(spec: NetworkSpec, index: int, layer: LayerSpec) -> NetworkSpec:
    layers = list(spec.layers)
    layers[index] = layer
    return replace(spec, layers=tuple(layers))
