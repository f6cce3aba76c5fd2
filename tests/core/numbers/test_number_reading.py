"""Reading a whole number: each digit boxed and read as a lone digit would be."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core.ink.drawing import Drawing, parse_drawing
from digitpad.core.numbers.reading import DigitCache, read_drawing, read_image
from digitpad.core.preprocess.mnist_input import preprocess_drawing, preprocess_image
from tests.support import digits as ns


def written(*builders, size: float = 120.0, gap: float = 30.0) -> Drawing:
    strokes, x = [], 40.0
    for build in builders:
        strokes += build(x, 50.0, size)
        x += 0.75 * size + gap
    return parse_drawing({"width": x + 40, "height": 240, "strokes": strokes})


def test_a_single_digit_reads_exactly_as_today(shipped_predictor) -> None:
    drawing = written(ns.five)
    reading = read_drawing(drawing, shipped_predictor)
    today = preprocess_drawing(drawing).image
    assert len(reading.digits) == 1
    digit = reading.digits[0]
    assert digit.strokes == (0, 1)
    np.testing.assert_array_equal(digit.preprocessed.image, today)
    np.testing.assert_array_equal(
        digit.probabilities, shipped_predictor.predict(today).probabilities
    )
    assert reading.number == str(shipped_predictor.predict(today).digit) == "5"


def test_a_number_gives_each_digit_its_strokes_box_input_and_answer(
    shipped_predictor,
) -> None:
    drawing = written(ns.two, ns.zero, ns.two, ns.six)
    reading = read_drawing(drawing, shipped_predictor, stages=True)
    assert reading.number == "2026"
    assert [d.strokes for d in reading.digits] == [(0,), (1,), (2,), (3,)]
    lefts = [d.box[0] for d in reading.digits]
    assert lefts == sorted(lefts)
    for digit in reading.digits:
        x0, y0, x1, y1 = digit.box
        assert 0 <= x0 < x1 <= drawing.width and 0 <= y0 < y1 <= drawing.height
        alone = Drawing(
            drawing.width, drawing.height, (drawing.strokes[digit.strokes[0]],)
        )
        np.testing.assert_array_equal(
            digit.preprocessed.image, preprocess_drawing(alone).image
        )
        assert "centred" in digit.preprocessed.stages
        assert set(digit.prediction.activations) == set(shipped_predictor.layer_names)
        assert digit.confidence == pytest.approx(float(digit.probabilities.max()))
        assert digit.is_unsure == (digit.confidence < 0.6)


def test_several_digits_in_one_call_match_one_at_a_time(shipped_predictor) -> None:
    drawing = written(ns.four, ns.one, ns.crossed_seven)
    reading = read_drawing(drawing, shipped_predictor)
    assert reading.number == "417"
    for digit in reading.digits:
        alone = shipped_predictor.predict(digit.preprocessed.image)
        np.testing.assert_allclose(digit.probabilities, alone.probabilities, atol=1e-5)


def test_a_drawing_without_ink_reads_no_number(shipped_predictor) -> None:
    reading = read_drawing(Drawing(400, 400, ()), shipped_predictor)
    assert reading.is_empty and reading.number == "" and reading.digits == ()


def digits_picture(count: int) -> Image.Image:
    """Dark digits (1, 0, 7, ...) on white, each its own connected piece of ink."""
    image = Image.new("L", (110 * count + 40, 200), 255)
    pen = ImageDraw.Draw(image)
    for i in range(count):
        x = 40 + 110 * i
        if i % 3 == 0:
            pen.line((x + 30, 40, x + 30, 160), fill=0, width=10)
        elif i % 3 == 1:
            pen.ellipse((x, 40, x + 70, 160), outline=0, width=10)
        else:
            pen.line((x, 45, x + 70, 45, x + 25, 160), fill=0, width=10)
    return image


def test_an_image_with_three_digits(shipped_predictor) -> None:
    reading = read_image(digits_picture(3), shipped_predictor)
    assert reading.number == "107"
    boxes = [d.box for d in reading.digits]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
    assert all(b[2] <= 370 and b[3] <= 200 for b in boxes)
    assert all(d.strokes == () for d in reading.digits)


def test_an_image_of_one_digit_reads_exactly_as_today(shipped_predictor) -> None:
    picture = digits_picture(2).crop((150, 0, 260, 200))  # the 0 alone
    reading = read_image(picture, shipped_predictor)
    assert reading.number == "0"
    np.testing.assert_array_equal(
        reading.digits[0].preprocessed.image, preprocess_image(picture).image
    )


def test_a_blank_image_reads_no_number(shipped_predictor) -> None:
    assert read_image(Image.new("L", (50, 50), 255), shipped_predictor).number == ""


def test_reading_live_with_a_cache_gives_the_same_digits(shipped_predictor) -> None:
    full = written(ns.four, ns.one_with_flag_and_base, ns.five, ns.zero)
    cache = DigitCache()
    for count in range(1, len(full.strokes) + 1):  # stroke by stroke, as drawn
        partial = Drawing(full.width, full.height, full.strokes[:count])
        live = read_drawing(partial, shipped_predictor, cache=cache)
        fresh = read_drawing(partial, shipped_predictor)
        assert live.number == fresh.number
        for a, b in zip(live.digits, fresh.digits, strict=True):
            assert a.strokes == b.strokes
            np.testing.assert_array_equal(a.preprocessed.image, b.preprocessed.image)
    assert live.number == "4150"


def test_a_digit_cut_from_a_number_reads_its_own_strokes_only() -> None:
    from digitpad.core.numbers.reading import digit_drawing

    number = Drawing(
        300,
        100,
        (((10.0, 10.0), (10.0, 90.0)), ((120.0, 10.0), (150.0, 90.0)), ((200, 50),)),
    )
    assert len(number.point_arrays) == 3  # converted once for the whole number
    digit = digit_drawing(number, (2, 0))
    assert digit.strokes == (number.strokes[2], number.strokes[0])
    fresh = Drawing(digit.width, digit.height, digit.strokes)
    assert [a.tolist() for a in digit.point_arrays] == [
        a.tolist() for a in fresh.point_arrays
    ]
    assert np.array_equal(
        preprocess_drawing(digit).image, preprocess_drawing(fresh).image
    )


def test_an_image_of_1999_with_a_gap_in_a_stem_reads_four_digits(
    shipped_predictor,
) -> None:
    """A picture has no strokes to say the stem's end and the loop were one: the
    loop, clear of the 9 before it, still is a digit of its own."""
    image = Image.new("L", (520, 200), 255)
    pen = ImageDraw.Draw(image)
    pen.line((60, 40, 58, 160), fill=0, width=10)
    for x in (150, 270, 390):
        pen.ellipse((x, 40, x + 64, 104), outline=0, width=10)
        if x < 390:
            pen.line((x + 66, 72, x + 64, 160), fill=0, width=10)
        else:  # the last stem with a gap erased in it
            pen.line((x + 66, 72, x + 66, 96), fill=0, width=10)
            pen.line((x + 66, 110, x + 64, 160), fill=0, width=10)
    reading = read_image(image, shipped_predictor)
    assert reading.number == "1999"


def test_the_live_cache_stays_small_however_many_drawings_are_read(
    shipped_predictor,
) -> None:
    """A session of drawings, every stage of every digit shown: the cache neither
    grows past its size nor keeps any canvas-sized image (they were ~4 MB a drawing)."""
    cache = DigitCache(size=64)
    for i in range(120):
        x = 40.0 + 3 * (i % 40)
        strokes = ns.written_number(["5", "26", "104"][i % 3], x, 60.0 + i % 7, 200.0)
        drawing = parse_drawing({"width": 1100, "height": 520, "strokes": strokes})
        reading = read_drawing(drawing, shipped_predictor, stages=True, cache=cache)
        for digit in reading.digits:  # what the viewers do with the shown digit
            assert digit.preprocessed.stages["input"].shape == (520, 1100)
            assert digit.preprocessed.stages["cropped"].size > 0
    assert len(cache) == 64
    one_canvas = 520 * 1100 * 4
    assert cache.nbytes < one_canvas / 4  # 64 entries: strokes and 28x28 inputs only


def test_a_cached_digit_reads_and_shows_the_same_stages_as_a_fresh_one(
    shipped_predictor,
) -> None:
    drawing = written(ns.two, ns.six)
    cache = DigitCache()
    read_drawing(drawing, shipped_predictor, stages=True, cache=cache)
    again = read_drawing(drawing, shipped_predictor, stages=True, cache=cache)
    fresh = read_drawing(drawing, shipped_predictor, stages=True)
    for a, b in zip(again.digits, fresh.digits, strict=True):
        assert list(a.preprocessed.stages) == list(b.preprocessed.stages)
        for key in b.preprocessed.stages:
            np.testing.assert_array_equal(
                a.preprocessed.stages[key], b.preprocessed.stages[key]
            )
