"""Shapes, parameters and cost of a spec in plain Python: what Keras would build.

The formulas are those of Keras's own layers (``compute_output_shape``; weights =
kernel + bias, batch norm = 4 x channels of which 2 are trained), so the designer can
show every layer's output shape and parameter count on each keystroke without
TensorFlow; tests build the same specs with Keras and compare. ``analyze`` never raises:
an impossible layer becomes a ``Problem`` (a sentence at that layer) and is passed over
as if it were not there, so the rest of the network still gets its shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digitpad.core.networks.schema import MAP_TYPES, arg_value, pair
from digitpad.core.networks.spec import (
    OUTPUT_NAME,
    LayerSpec,
    NetworkSpec,
    free_name,
    layer_names,
    layer_problem,
    names_problem,
)

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
MAX_PARAMETERS = 5_000_000
# Multiply-adds per image: 20x the largest preset (vgg, ~23M), enough for any network a
# student designs for 28x28 digits; past it one epoch takes hours on a laptop.
MAX_MACS = 500_000_000
# Seconds per multiply-add per training image (forward and backward pass, batch 64) and
# per activation value written, measured on this machine with
# tests/benchmarks/bench_network_specs.py (--calibrate): see the README.
SECONDS_PER_MAC = 1.6e-9
SECONDS_PER_VALUE = 2.5e-8
SECONDS_PER_IMAGE = 2.0e-5

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerRow:
    """One layer as Keras would build it; ``inner`` lists a block's inner layers."""

    name: str
    type: str
    output_shape: Shape
    params: int
    macs: int
    added: bool = (
        False  # put there by DigitPad (the Flatten before the output, softmax)
    )
    inner: tuple[LayerRow, ...] = ()
    trainable_params: int | None = None  # None: all of them


@dataclass(frozen=True)
class Problem:
    """Why one layer cannot be built; ``str()`` is the sentence with the layer name."""

    layer_index: int | None  # None: the spec as a whole, or a layer DigitPad added
    layer_name: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.layer_name}: {self.message}" if self.layer_name else self.message


@dataclass
class Analysis:
    rows: list[LayerRow]
    total_params: int
    total_macs: int
    problems: list[Problem] = field(default_factory=list)
    values: int = 0  # activation values written per image (for the time estimate)

    @property
    def ok(self) -> bool:
        return not self.problems

    def epoch_seconds(self, train_images: int = 54_000) -> float:
        """An estimate of one training epoch on this machine (calibrated constants)."""
        per_image = (
            self.total_macs * SECONDS_PER_MAC
            + self.values * SECONDS_PER_VALUE
            + SECONDS_PER_IMAGE
        )
        return train_images * per_image


def analyze(spec: NetworkSpec) -> Analysis:
    """Every layer's output shape, parameters and multiply-adds, and every problem."""
    names = layer_names(spec)
    problems: list[Problem] = []
    problem, index = names_problem(spec)
    if problem:
        problems.append(Problem(index, None, problem))
    rows: list[LayerRow] = []
    shape: Shape = INPUT_SHAPE
    for index, (layer, name) in enumerate(zip(spec.layers, names, strict=True)):
        message = layer_problem(layer) or _shape_problem(layer, shape)
        if message:
            problems.append(Problem(index, name, message))
            rows.append(LayerRow(name, layer.type, shape, 0, 0))
            continue
        row = _row(layer, name, shape)
        rows.append(row)
        shape = row.output_shape
    if len(shape) == 3:
        flatten = free_name("flatten", set(names))
        shape = (shape[0] * shape[1] * shape[2],)
        rows.append(LayerRow(flatten, "Flatten", shape, 0, 0, added=True))
    units = shape[0]
    rows.append(
        LayerRow(
            OUTPUT_NAME,
            "Dense",
            (NUM_CLASSES,),
            units * NUM_CLASSES + NUM_CLASSES,
            units * NUM_CLASSES,
            added=True,
        )
    )
    analysis = Analysis(
        rows,
        sum(row.params for row in rows),
        sum(row.macs for row in rows),
        problems,
        sum(_values(row) for row in rows),
    )
    _check_budgets(analysis, spec)
    return analysis


def _values(row: LayerRow) -> int:
    if row.inner:
        return sum(_values(inner) for inner in row.inner)
    count = 1
    for d in row.output_shape:
        count *= d
    return count


def _check_budgets(analysis: Analysis, spec: NetworkSpec) -> None:
    """The first layer where the parameters or the multiply-adds pass their limit."""
    for total_of, limit, what, advice in (
        (
            lambda r: r.params,
            MAX_PARAMETERS,
            "parameters",
            "fewer filters or units, or pool before the Flatten",
        ),
        (
            lambda r: r.macs,
            MAX_MACS,
            "multiply-adds per image",
            "fewer filters, or pool or stride earlier",
        ),
    ):
        total = 0
        for index, row in enumerate(analysis.rows):
            total += total_of(row)
            if total > limit:
                at = index if index < len(spec.layers) else None
                analysis.problems.append(
                    Problem(
                        at,
                        row.name,
                        f"the network has {total:,} {what} up to here; at most "
                        f"{limit:,} ({advice})",
                    )
                )
                break


def _shape_problem(layer: LayerSpec, shape: Shape) -> str | None:
    """Why ``layer`` cannot follow a layer whose output is ``shape``, or None."""
    kind, args = layer.type, layer.args
    if kind in MAP_TYPES and len(shape) == 1:
        if kind == "Flatten":
            return (
                f"the input is already flat ({_numbers(shape[0])}); remove this Flatten"
            )
        return (
            f"the input here is a flat vector of {_numbers(shape[0])}, but a {kind} "
            "needs maps; move it before the Flatten, Dense or global pooling"
        )
    if kind == "Dense" and len(shape) == 3:
        return (
            f"the input still has maps ({_maps(shape)}x{shape[2]}); put a Flatten or a "
            "global pooling before this Dense"
        )
    if kind == "Conv2D" and arg_value(kind, args, "padding") == "valid":
        return _window_problem(shape, pair(args["kernel_size"]), "kernel")
    pooling = kind in ("MaxPooling2D", "AveragePooling2D")
    if pooling and arg_value(kind, args, "padding") == "valid":
        size = pair(arg_value(kind, args, "pool_size"))
        return _window_problem(shape, size, "pool")
    return None


def _numbers(count: int) -> str:
    return f"{count:,} number{'s' if count != 1 else ''}"


def _window_problem(shape: Shape, window: tuple[int, int], what: str) -> str | None:
    if window[0] <= shape[0] and window[1] <= shape[1]:
        return None
    return (
        f"the maps are {_maps(shape)} here, a {window[0]}x{window[1]} {what} without "
        f"padding does not fit; use padding 'same' or a smaller {what}"
    )


def _maps(shape: Shape) -> str:
    return f"{shape[0]}x{shape[1]}"


def _row(layer: LayerSpec, name: str, shape: Shape) -> LayerRow:
    kind, args = layer.type, layer.args
    if kind == "Conv2D":
        return conv_row(
            name,
            shape,
            args["filters"],
            pair(args["kernel_size"]),
            pair(arg_value(kind, args, "strides")),
            arg_value(kind, args, "padding"),
            arg_value(kind, args, "use_bias"),
        )
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        size = pair(arg_value(kind, args, "pool_size"))
        strides = arg_value(kind, args, "strides")
        strides = size if strides is None else pair(strides)
        return pool_row(
            name, kind, shape, size, strides, arg_value(kind, args, "padding")
        )
    if kind == "BatchNormalization":
        return batch_norm_row(name, shape)
    if kind in ("Dropout", "Activation", "ReLU"):
        return LayerRow(name, kind, shape, 0, 0)
    if kind == "Flatten":
        return LayerRow(name, kind, (shape[0] * shape[1] * shape[2],), 0, 0)
    if kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        return LayerRow(name, kind, (shape[2],), 0, 0)
    if kind == "Dense":
        units, bias = args["units"], arg_value(kind, args, "use_bias")
        params = shape[0] * units + (units if bias else 0)
        return LayerRow(name, kind, (units,), params, shape[0] * units)
    if kind == "ResidualBlock":
        return _residual(name, shape, args)
    return _inception(name, shape, args)


def conv_row(
    name: str,
    shape: Shape,
    filters: int,
    kernel: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
    bias: bool,
) -> LayerRow:
    """A Conv2D: Keras's output size, kernel (+ bias) weights, multiply-adds."""
    height, width = (
        _out_size(n, k, s, padding)
        for n, k, s in zip(shape[:2], kernel, strides, strict=True)
    )
    out = (height, width, filters)
    weights = kernel[0] * kernel[1] * shape[2] * filters
    return LayerRow(
        name,
        "Conv2D",
        out,
        weights + (filters if bias else 0),
        out[0] * out[1] * weights,
    )


def pool_row(
    name: str,
    kind: str,
    shape: Shape,
    size: tuple[int, int],
    strides: tuple[int, int],
    padding: str,
) -> LayerRow:
    out = tuple(
        _out_size(n, k, s, padding)
        for n, k, s in zip(shape[:2], size, strides, strict=True)
    )
    return LayerRow(name, kind, (*out, shape[2]), 0, 0)


def batch_norm_row(name: str, shape: Shape) -> LayerRow:
    """Gamma and beta are trained; the moving mean and variance are not."""
    channels = shape[-1]
    values = 1
    for d in shape:
        values *= d
    return LayerRow(
        name,
        "BatchNormalization",
        shape,
        4 * channels,
        values,
        trainable_params=2 * channels,
    )


def _out_size(n: int, window: int, stride: int, padding: str) -> int:
    """Keras's formula: 'same' keeps ceil(n / stride), 'valid' drops the edges."""
    if padding == "same":
        return (n + stride - 1) // stride
    return (n - window) // stride + 1


def _residual(name: str, shape: Shape, args: dict[str, Any]) -> LayerRow:
    """conv-BN-ReLU, conv-BN, plus the input (1x1-projected when channels differ)."""
    filters = args["filters"]
    kernel = pair(arg_value("ResidualBlock", args, "kernel_size"))
    maps = (shape[0], shape[1], filters)
    inner = []
    if shape[2] != filters:
        inner.append(
            conv_row(f"{name}_proj", shape, filters, (1, 1), (1, 1), "same", False)
        )
    inner += [
        conv_row(f"{name}_a", shape, filters, kernel, (1, 1), "same", False),
        batch_norm_row(f"{name}_a_bn", maps),
        LayerRow(f"{name}_a_relu", "ReLU", maps, 0, 0),
        conv_row(f"{name}_b", maps, filters, kernel, (1, 1), "same", False),
        batch_norm_row(f"{name}_b_bn", maps),
        LayerRow(f"{name}_add", "Add", maps, 0, 0),
        LayerRow(f"{name}_out", "ReLU", maps, 0, 0),
    ]
    return _block(name, "ResidualBlock", maps, inner)


def _inception(name: str, shape: Shape, args: dict[str, Any]) -> LayerRow:
    """Four branches on one input (1x1, 3x3, 5x5, pool then 1x1), concatenated."""
    f1, f3, f5, fp = (
        args[key]
        for key in ("filters_1x1", "filters_3x3", "filters_5x5", "filters_pool")
    )
    inner = [
        conv_row(f"{name}_1x1", shape, f1, (1, 1), (1, 1), "same", True),
        conv_row(f"{name}_3x3", shape, f3, (3, 3), (1, 1), "same", True),
        conv_row(f"{name}_5x5", shape, f5, (5, 5), (1, 1), "same", True),
        pool_row(f"{name}_pool", "MaxPooling2D", shape, (3, 3), (1, 1), "same"),
        conv_row(f"{name}_pool_proj", shape, fp, (1, 1), (1, 1), "same", True),
    ]
    out = (shape[0], shape[1], f1 + f3 + f5 + fp)
    inner.append(LayerRow(f"{name}_concat", "Concatenate", out, 0, 0))
    return _block(name, "InceptionBlock", out, inner)


def _block(name: str, kind: str, out: Shape, inner: list[LayerRow]) -> LayerRow:
    trainable = sum(
        row.params if row.trainable_params is None else row.trainable_params
        for row in inner
    )
    params = sum(row.params for row in inner)
    return LayerRow(
        name,
        kind,
        out,
        params,
        sum(row.macs for row in inner),
        inner=tuple(inner),
        trainable_params=None if trainable == params else trainable,
    )
