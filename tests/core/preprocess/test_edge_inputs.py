"""Numbers at the edges, and images as people see them: one clear answer, no crash."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.cli import main
from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import Drawing, load_drawings
from digitpad.core.preprocess.mnist_input import preprocess_drawing, preprocess_image


def test_points_a_subnormal_distance_apart_are_a_dot():
    tiny = 5e-324
    drawing = Drawing(100, 100, (((50.0, 50.0), (50.0 + tiny, 50.0 + tiny)),))
    image = preprocess_drawing(drawing).image
    dot = preprocess_drawing(Drawing(100, 100, (((50.0, 50.0),),))).image
    assert image is not None and np.all(np.isfinite(image))
    np.testing.assert_allclose(image, dot)


def test_an_integer_of_thousands_of_digits_is_one_clear_error(tmp_path):
    path = tmp_path / "long.json"
    path.write_text(
        '{"width": 400, "height": 400, "strokes": [[[' + "7" * 5000 + ", 1]]]}"
    )
    with pytest.raises(InputError, match="unreadable value") as raised:
        load_drawings(path)
    assert str(path) in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("seed", ["-1", "4294967296"])
def test_train_refuses_seeds_out_of_range_in_one_line(tmp_path, capsys, seed):
    out = tmp_path / "m.keras"
    code = main(["train", "--arch", "tutorial", "--epochs", "1", "--seed", seed,
                 "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "seed must be" in err
    assert not out.exists()


def _digit_mask(size: int = 120) -> Image.Image:
    """A '7' (asymmetric in both directions) as an 8-bit mask, 255 = ink."""
    mask = Image.new("L", (size, size), 0)
    pen = ImageDraw.Draw(mask)
    pen.line((25, 20, 95, 20), fill=255, width=10)
    pen.line((95, 20, 45, 105), fill=255, width=10)
    return mask


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return float(np.abs(a - b).mean()) < 0.02


def test_a_white_digit_on_a_transparent_background_reads_as_the_digit(tmp_path):
    mask = _digit_mask()
    reference = preprocess_image(np.asarray(mask)).image
    white = Image.new("RGBA", mask.size, (255, 255, 255, 0))
    white.putalpha(mask)
    white.save(tmp_path / "white.png")
    read = preprocess_image(tmp_path / "white.png").image
    assert read is not None and _same(read, reference)
    # the same for a black digit on a transparent background
    black = Image.new("RGBA", mask.size, (0, 0, 0, 0))
    black.putalpha(mask)
    assert _same(preprocess_image(black).image, reference)


def test_exif_orientation_is_honoured(tmp_path):
    upright = Image.merge("RGB", [Image.eval(_digit_mask(), lambda v: 255 - v)] * 3)
    reference = preprocess_image(upright).image
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a camera stores it
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display"
    stored.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    read = preprocess_image(tmp_path / "photo.jpg").image
    assert _same(read, reference)
    sideways = preprocess_image(stored).image
    assert not _same(sideways, reference)  # the check above can fail
