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

from digitpad.core.networks.layer_shapes import LayerRow, Shape, layer_row
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
# One training image's time (forward and backward pass, Adam, batch 64) as seconds per
# multiply-add, per activation value written and per image, fitted to all seven
# presets' measured epochs on this 2-core machine (tests/benchmarks/
# bench_network_specs.py --calibrate: CPU time / cores, 3,000 images, so the estimate is
# for an otherwise idle machine; it came within 0.78-1.26x of each preset's time).
SECONDS_PER_MAC = 2.2e-11
SECONDS_PER_VALUE = 1.7e-9
SECONDS_PER_IMAGE = 4.4e-5


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
        row = layer_row(layer, name, shape)
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
