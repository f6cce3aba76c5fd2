"""A look at a LiteRT flatbuffer's operators before the native runtime loads it.

A ``.tflite`` beside a ``.keras`` is trusted only if the hashes in the metadata match,
but whoever hands over a model controls all three files. So before LiteRT's native
code builds an interpreter, the flatbuffer is read in Python and must be what
DigitPad's own export produces: one graph, built from ordinary layer operators. No
custom operators, control flow, variables or resource ops, which a CNN never needs and
which only widen what a hostile file can reach.
"""

from __future__ import annotations

import math
from typing import Any

from digitpad.core.errors import ModelFileError

MAX_OPERATOR_CODES = 256  # DigitPad's exports use about 10 kinds of operator
MAX_TENSORS = 10_000  # DigitPad's exports have about 60
MAX_TENSOR_BYTES = 64 * 1024 * 1024  # any one tensor; 28x28x256 float32 is 800 KB
MAX_ARENA_BYTES = 512 * 1024 * 1024  # all tensors together, an upper bound
_ITEM_BYTES = 16  # the widest element type (complex128); a safe over-estimate

# What Keras CNNs convert to (elementwise maths, convolutions, pooling, shapes).
ALLOWED_OPERATORS = frozenset(
    [
        "ABS",
        "ADD",
        "AVERAGE_POOL_2D",
        "BATCH_MATMUL",
        "CONCATENATION",
        "CONV_2D",
        "DEPTHWISE_CONV_2D",
        "DEQUANTIZE",
        "DIV",
        "ELU",
        "EXP",
        "EXPAND_DIMS",
        "FULLY_CONNECTED",
        "GELU",
        "HARD_SWISH",
        "LEAKY_RELU",
        "LOGISTIC",
        "LOG_SOFTMAX",
        "MAXIMUM",
        "MAX_POOL_2D",
        "MEAN",
        "MINIMUM",
        "MUL",
        "NEG",
        "PACK",
        "PAD",
        "PADV2",
        "QUANTIZE",
        "REDUCE_MAX",
        "RELU",
        "RELU6",
        "RELU_N1_TO_1",
        "RESHAPE",
        "RESIZE_BILINEAR",
        "RESIZE_NEAREST_NEIGHBOR",
        "RSQRT",
        "SHAPE",
        "SLICE",
        "SOFTMAX",
        "SPLIT",
        "SPLIT_V",
        "SQRT",
        "SQUARE",
        "SQUARED_DIFFERENCE",
        "SQUEEZE",
        "STRIDED_SLICE",
        "SUB",
        "SUM",
        "TANH",
        "TRANSPOSE",
        "TRANSPOSE_CONV",
        "UNPACK",
    ]
)


def check_operators(tflite: bytes, where: Any) -> None:
    """Raise ``ModelFileError`` unless ``tflite`` uses only ``ALLOWED_OPERATORS``
    and declares no tensor too large to allocate (checked before LiteRT does)."""
    from ai_edge_litert import schema_py_generated as schema

    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if k.isupper()}
    try:
        model = schema.Model.GetRootAs(tflite, 0)
        graphs = model.SubgraphsLength()
        sizes = _tensor_bytes(model.Subgraphs(0)) if graphs == 1 else []
        count = model.OperatorCodesLength()
        if not 0 < count <= MAX_OPERATOR_CODES:  # garbage reads as absurd counts
            raise ValueError(count)
        used = set()
        for i in range(count):
            code = model.OperatorCodes(i)
            if code.CustomCode():
                used.add(f"custom {code.CustomCode().decode('utf-8', 'replace')}")
                continue
            number = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
            used.add(names.get(number, f"operator #{number}"))
    except Exception:  # a truncated or garbled flatbuffer fails to parse anywhere
        raise ModelFileError(
            where, "not a usable LiteRT model (its operators cannot be read)"
        ) from None
    if graphs != 1:
        raise ModelFileError(where, f"LiteRT model has {graphs} graphs, expected 1")
    if len(sizes) > MAX_TENSORS:
        raise ModelFileError(where, f"LiteRT model has {len(sizes):,} tensors")
    if max(sizes, default=0) > MAX_TENSOR_BYTES or sum(sizes) > MAX_ARENA_BYTES:
        raise ModelFileError(
            where, "LiteRT model declares tensors too large to allocate: refused"
        )
    refused = sorted(used - ALLOWED_OPERATORS)
    if refused:
        raise ModelFileError(
            where, f"LiteRT model uses operators DigitPad does not run: {refused[:3]}"
        )


def _tensor_bytes(graph: Any) -> list[int]:
    """Each tensor's declared size in bytes (unknown dimensions count as 1)."""
    count = graph.TensorsLength()
    if count > MAX_TENSORS:
        return [0] * count
    sizes = []
    for i in range(count):
        shape = graph.Tensors(i).ShapeAsNumpy()  # 0 (not an array) when scalar
        dims = [max(1, int(d)) for d in shape] if not isinstance(shape, int) else []
        sizes.append(math.prod(dims) * _ITEM_BYTES)
    return sizes
