"""Preprocessing turns what people draw into MNIST-like 28x28 images."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import Drawing, parse_drawing
from digitpad.core.preprocess.mnist_input import (
    MNIST_THICKNESS,
    preprocess_drawing,
    preprocess_image,
    stroke_thickness,
)
from digitpad.core.preprocess.stages import STAGES
from tests.support.digits import drawing_dict, ellipse_stroke, seven_strokes


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(image.shape)
    return float((ys * image).sum() / image.sum()), float(
        (xs * image).sum() / image.sum()
    )


def ink_box(image: np.ndarray, level: float = 0.3) -> tuple[int, int]:
    rows = np.flatnonzero(image.max(axis=1) > level)
    cols = np.flatnonzero(image.max(axis=0) > level)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_small_in_corner_and_large_in_centre_give_the_same_input() -> None:
    small = parse_drawing(drawing_dict(seven_strokes(5, 8, 60)))
    large = parse_drawing(drawing_dict(seven_strokes(100, 40, 300), pen_width=40))
    a, b = preprocess_drawing(small).image, preprocess_drawing(large).image
    assert np.abs(a - b).mean() < 0.01
    assert np.abs(a - b).max() < 0.2


def test_output_follows_the_mnist_recipe() -> None:
    drawing = parse_drawing(drawing_dict([ellipse_stroke(300, 300, 40, 70)]))
    image = preprocess_drawing(drawing).image
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    cy, cx = centre_of_mass(image)
    assert abs(cy - 14) < 0.5 and abs(cx - 14) < 0.5
    height, width = ink_box(image)
    assert 19 <= height <= 21  # longer side scaled to 20 px
    assert width < height  # aspect ratio kept
    assert abs(stroke_thickness(image) - MNIST_THICKNESS) < 0.6


def test_a_vertical_one_stays_thin() -> None:
    image = preprocess_drawing(
        Drawing(400, 400, (((200.0, 50.0), (200.0, 350.0)),))
    ).image
    height, width = ink_box(image)
    assert height >= 19 and width <= 4


@pytest.mark.parametrize("strokes", [[], [[]], [[], []]])
def test_empty_drawing_is_no_digit(strokes: list) -> None:
    result = preprocess_drawing(parse_drawing(drawing_dict(strokes)))
    assert result.is_empty and result.image is None


def test_a_dot_counts_as_ink() -> None:
    result = preprocess_drawing(parse_drawing(drawing_dict([[[120, 80]]])))
    assert not result.is_empty
    assert result.image.max() > 0.5


def test_stages_show_each_step() -> None:
    drawing = parse_drawing(drawing_dict(seven_strokes(50, 50, 200)))
    stages = preprocess_drawing(drawing, stages=True).stages
    assert list(stages) == ["input", "cropped", "scaled", "centred"]
    assert stages["input"].shape == (400, 400)
    assert max(stages["scaled"].shape) == 20
    assert stages["centred"].shape == (28, 28)


def test_every_stage_shown_to_users_is_named_and_explained() -> None:
    drawing = parse_drawing(drawing_dict(seven_strokes(50, 50, 200)))
    image_stages = preprocess_drawing(drawing, stages=True).stages
    blank_stages = preprocess_drawing(parse_drawing(drawing_dict([])), stages=True)
    assert [stage.key for stage in STAGES] == list(image_stages)
    assert set(blank_stages.stages) <= {stage.key for stage in STAGES}
    for stage in STAGES:
        assert stage.title and stage.short_title and stage.explanation
        # shown crisp exactly when the image is already in the network's pixels
        assert stage.network_pixels == (max(image_stages[stage.key].shape) <= 28)


def _digit_picture(dark_on_light: bool, stroke: int = 14) -> Image.Image:
    background, ink = (255, 0) if dark_on_light else (0, 255)
    image = Image.new("L", (200, 200), background)
    ImageDraw.Draw(image).ellipse((60, 30, 140, 170), outline=ink, width=stroke)
    return image


def test_polarity_is_detected() -> None:
    light = preprocess_image(_digit_picture(dark_on_light=True)).image
    dark = preprocess_image(_digit_picture(dark_on_light=False)).image
    assert np.abs(light - dark).max() < 1e-6
    assert light[14, 14] < 0.2  # the hole of the zero stays background
    assert light.max() > 0.9


@pytest.mark.parametrize("stroke", [3, 30])
def test_image_strokes_are_thinned_or_thickened_to_mnist_width(stroke: int) -> None:
    image = preprocess_image(_digit_picture(True, stroke)).image
    assert abs(stroke_thickness(image) - MNIST_THICKNESS) < 0.8


@pytest.mark.parametrize("value", [0, 128, 255])
def test_blank_image_is_no_digit(value: int) -> None:
    assert preprocess_image(np.full((64, 64), value, np.uint8)).is_empty


def test_mnist_images_pass_through_nearly_unchanged(mnist_test_sample) -> None:
    images, _ = mnist_test_sample
    out = np.stack([preprocess_image(x).image for x in images[:100]])
    assert np.abs(out - images[:100]).mean() < 0.06


def test_unreadable_image_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("not a picture")
    with pytest.raises(InputError, match=re.escape("notes.png: not an image")) as info:
        preprocess_image(bad)
    # in the user's words: which files work, no library's name
    assert "DigitPad can read (PNG, JPEG" in str(info.value)
    assert "Pillow" not in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        preprocess_image(tmp_path / "missing.png")
