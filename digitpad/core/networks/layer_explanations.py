"""One or two plain sentences per layer kind, shown beside each layer for students.

Kept deliberately short: the pictures do the explaining, the text only says what to look
for. Keyed by the Keras class name that ``Predictor.layers()`` reports; the final Dense
layer with ten outputs is explained as the softmax it is.
"""

from __future__ import annotations

from typing import Any

EXPLANATIONS: dict[str, str] = {
    "Input": (
        "The 28×28 image the network sees: your drawing, cropped, scaled and centred "
        "like an MNIST digit."
    ),
    "Conv2D": (
        "A convolution slides small learned filters over its input. Each map shows "
        "where one filter found its pattern (an edge, a curve, a stroke end)."
    ),
    "BatchNormalization": (
        "Batch normalisation rescales each map to a steady range so training is "
        "stable; blue is below average, orange above."
    ),
    "ReLU": (
        "ReLU keeps positive responses and sets negative ones to zero, so only the "
        "patterns a filter actually found survive."
    ),
    "Activation": "An activation function reshapes each value, one by one.",
    "MaxPooling2D": (
        "Max pooling keeps the strongest response in every 2×2 block: half the size, "
        "and small shifts of the digit matter less."
    ),
    "AveragePooling2D": (
        "Average pooling keeps the mean of every block (LeNet-5's choice): half the "
        "size, smoother than max pooling, a weak response counts too."
    ),
    "GlobalMaxPooling2D": (
        "Global max pooling turns each map into one number, its strongest response: "
        "whether that pattern is anywhere in the image."
    ),
    "Concatenate": (
        "An inception block's branches (1x1, 3x3, 5x5 and pooled windows) stacked "
        "side by side: the next layer sees what each window size found."
    ),
    "Flatten": (
        "Flatten lays all maps out as one long row of numbers so dense layers can "
        "look at everything at once."
    ),
    "GlobalAveragePooling2D": (
        "Global average pooling turns each map into one number, its average: "
        "how much of that pattern is in the whole image."
    ),
    "Add": (
        "A residual shortcut adds the block's input to its output, so the block only "
        "learns a correction and gradients flow easily."
    ),
    "Dense": (
        "A dense layer connects every input to every unit; each unit weighs all the "
        "evidence and lights up for a combination of features."
    ),
    "Dropout": "Dropout switches random units off in training; live it does nothing.",
    "softmax": (
        "Softmax turns the ten final scores into probabilities that add up to 100%; "
        "the tallest bar is the network's answer."
    ),
}

FALLBACK = "A layer that transforms its input; the picture shows its output."


def is_softmax(layer: dict[str, Any], layers: list[dict[str, Any]]) -> bool:
    """The last layer with ten outputs holds the class probabilities."""
    return layer is layers[-1] and list(layer.get("output_shape", [])) == [10]


def explain(layer: dict[str, Any], layers: list[dict[str, Any]]) -> str:
    """The explanation for ``layer`` (one of ``layers``, as ``Predictor.layers()``)."""
    if is_softmax(layer, layers):
        return EXPLANATIONS["softmax"]
    return EXPLANATIONS.get(str(layer.get("kind")), FALLBACK)


def kind_label(layer: dict[str, Any], layers: list[dict[str, Any]]) -> str:
    """A short human name for the layer kind, as shown in the card header."""
    if is_softmax(layer, layers):
        return "Dense + softmax"
    return {
        "Conv2D": "Convolution",
        "BatchNormalization": "Batch norm",
        "MaxPooling2D": "Max pooling",
        "AveragePooling2D": "Average pooling",
        "GlobalAveragePooling2D": "Global average pooling",
        "GlobalMaxPooling2D": "Global max pooling",
        "Concatenate": "Inception concat",
        "Add": "Residual add",
    }.get(str(layer.get("kind")), str(layer.get("kind", "Layer")))
