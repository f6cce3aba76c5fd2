"""Strokes are grouped into digits the way a reader would: by where they lie."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core.ink.drawing import Drawing, parse_drawing
from digitpad.core.numbers.ink_components import label_components
from digitpad.core.numbers.reading import group_strokes
from tests.support import digits as ns

SIZE = 100.0
MULTI_STROKE = [ns.four, ns.five, ns.crossed_seven, ns.one_with_flag_and_base]


def number_drawing(builders, gaps, size: float = SIZE, order=None) -> Drawing:
    """Digits left to right with the given gaps (x digit height) between their boxes;
    ``order`` lists the digits in the order they were written (default left to right).
    """
    digits, x = [], 30.0
    for i, build in enumerate(builders):
        strokes = build(x, 60.0, size)
        digits.append(strokes)
        right = max(p[0] for s in strokes for p in s)
        x = right + (gaps[i] * size if i < len(gaps) else 0)
    order = order or range(len(digits))
    strokes = [s for i in order for s in digits[i]]
    return parse_drawing({"width": x + 40, "height": 240, "strokes": strokes})


def digit_of_each_group(drawing: Drawing, builders, order=None) -> list[int]:
    """Which written digit each group's strokes came from (all strokes of one)."""
    owner = []
    for i in order or range(len(builders)):
        owner += [i] * len(builders[i](0, 0, SIZE))
    groups = group_strokes(drawing)
    owners = [{owner[s] for s in group} for group in groups]
    assert all(len(o) == 1 for o in owners), f"a group mixes digits: {groups}"
    return [o.pop() for o in owners]


@pytest.mark.parametrize("build", MULTI_STROKE, ids=lambda b: b.__name__)
def test_a_digit_of_several_strokes_stays_one_digit(build) -> None:
    drawing = number_drawing([build], [])
    assert group_strokes(drawing) == [tuple(range(len(drawing.strokes)))]


@pytest.mark.parametrize("build", MULTI_STROKE, ids=lambda b: b.__name__)
def test_it_stays_one_digit_between_close_neighbours(build) -> None:
    builders = [ns.one, build, ns.zero]
    drawing = number_drawing(builders, [0.1, 0.1])
    assert digit_of_each_group(drawing, builders) == [0, 1, 2]


@pytest.mark.parametrize("gap", [0.0, -0.04, 0.02])
def test_touching_digits_are_split(gap: float) -> None:
    builders = [ns.zero, ns.one, ns.zero, ns.six, ns.two]
    drawing = number_drawing(builders, [gap] * 4)
    assert digit_of_each_group(drawing, builders) == [0, 1, 2, 3, 4]


def test_a_flag_reaching_over_the_next_digit_stays_with_its_own() -> None:
    def long_flag_five(x: float, y: float, size: float) -> list:
        body, _ = ns.five(x, y, size)
        return [body, [[x + 0.08 * size, y], [x + 0.95 * size, y]]]

    builders = [long_flag_five, ns.one]
    drawing = number_drawing(builders, [0.05])
    assert digit_of_each_group(drawing, builders) == [0, 1]


def test_digits_come_left_to_right_whatever_the_writing_order() -> None:
    builders = [ns.two, ns.zero, ns.two, ns.six, ns.four, ns.crossed_seven]
    order = [3, 0, 5, 1, 4, 2]
    drawing = number_drawing(builders, [0.2] * 5, order=order)
    assert digit_of_each_group(drawing, builders, order) == [0, 1, 2, 3, 4, 5]


def test_a_drawing_without_ink_has_no_digits() -> None:
    assert group_strokes(Drawing(400, 400, ())) == []


def test_ink_components_join_diagonal_neighbours_only() -> None:
    mask = np.zeros((6, 9), bool)
    mask[0:3, 0] = True  # a bar ...
    mask[3, 1] = True  # ... touching this pixel diagonally
    mask[1:5, 5:7] = True  # a separate block
    mask[5, 8] = True  # a lone dot, not touching the block
    labels, count = label_components(mask)
    assert count == 3
    assert labels[0, 0] == labels[3, 1] != labels[1, 5]
    assert labels[5, 8] not in (0, labels[1, 5])
    assert (labels > 0).sum() == mask.sum()


def nine_with_a_gap(x: float, y: float, size: float) -> list:
    """A 9 whose stem has a gap erased in it: the loop with the stem's top, and the
    stem's end below the gap."""
    (stroke,) = ns.nine(x, y, size)
    top, end = np.asarray(stroke[-2]), np.asarray(stroke[-1])
    return [
        [*stroke[:-1], (top + 0.5 * (end - top)).tolist()],
        [(top + 0.62 * (end - top)).tolist(), stroke[-1]],
    ]


def with_origins(drawing: Drawing, origins: list[int]) -> Drawing:
    return Drawing(
        drawing.width,
        drawing.height,
        drawing.strokes,
        None,
        {"stroke_origins": origins},
    )


def test_a_loop_cut_off_its_stem_is_not_joined_to_the_digit_before() -> None:
    """Without knowing the two pieces were one stroke (an image has no strokes), the
    loop, as big as a digit and well clear of the 9 before, is a digit of its own;
    the stem's end then joins it."""
    builders = [ns.one, ns.nine, ns.nine, nine_with_a_gap]
    drawing = number_drawing(builders, [0.4, 0.4, 0.4])
    assert digit_of_each_group(drawing, builders) == [0, 1, 2, 3]


def test_pieces_cut_from_one_stroke_stay_one_digit_however_close() -> None:
    builders = [ns.one, ns.nine, ns.nine, nine_with_a_gap]
    drawing = with_origins(
        number_drawing(builders, [0.05, 0.05, 0.05]), [0, 1, 2, 3, 3]
    )
    assert digit_of_each_group(drawing, builders) == [0, 1, 2, 3]


def test_two_digits_written_in_one_stroke_come_apart_when_their_join_is_erased():
    """The eraser cut them, side by side: the pieces are two digits, not one."""
    left = ns.line_stroke(50, 60, 48, 160, 10)
    right = ns.line_stroke(130, 60, 128, 160, 10)
    drawing = Drawing(240, 240, (tuple(map(tuple, left)), tuple(map(tuple, right))))
    assert group_strokes(with_origins(drawing, [0, 0])) == [(0,), (1,)]


@pytest.mark.parametrize("offset", [0.0, 3.0, 6.0])
def test_a_one_traced_twice_is_one_digit(offset: float) -> None:
    """The second stroke lands a few pixels beside the first (pen 16 px): one line
    of ink, which read as "11"."""
    down = ns.line_stroke(200, 60, 204, 340)
    up = ns.line_stroke(204 + offset, 338, 200 + offset, 62)
    drawing = parse_drawing({"width": 400, "height": 400, "strokes": [down, up]})
    assert group_strokes(drawing) == [(0, 1)]


def test_two_ones_side_by_side_stay_two() -> None:
    strokes = [ns.line_stroke(200, 60, 204, 340), ns.line_stroke(260, 60, 262, 340)]
    drawing = parse_drawing({"width": 400, "height": 400, "strokes": strokes})
    assert group_strokes(drawing) == [(0,), (1,)]


def _grid_of_dots(side: int) -> np.ndarray:
    image = np.zeros((side * 8, side * 8), dtype=bool)
    image[2::8, 2::8] = image[3::8, 2::8] = True
    return image


def test_an_image_of_1600_dots_is_grouped_and_the_answer_comes() -> None:
    """Every pair was scanned for every merge: 400 dots took 75 s, 1,600 hours."""
    import threading

    from digitpad.core.numbers.reading import _component_pieces
    from digitpad.core.numbers.segmentation import group_pieces

    labels, count = label_components(_grid_of_dots(40))
    pieces, _ = _component_pieces(labels, count)
    assert count == 1600
    answer: list = []
    worker = threading.Thread(target=lambda: answer.append(group_pieces(pieces)))
    worker.daemon = True
    worker.start()
    worker.join(60)  # seconds on a loaded machine; the old scan took hours
    assert answer, "grouping 1,600 dots did not finish"
    groups = answer[0]
    assert sorted(i for g in groups for i in g) == list(range(1600))
    assert len(groups) == 40  # a column of dots over each other is one group


def test_more_pieces_than_any_number_has_is_a_clear_error() -> None:
    from digitpad.core.errors import InputError
    from digitpad.core.numbers.segmentation import MAX_PIECES

    # dots 20 px apart: the 16 px pen's ink never joins them
    dots = [
        [[10.0 + 20 * (i % 50), 10.0 + 20 * (i // 50)]] for i in range(MAX_PIECES + 1)
    ]
    drawing = parse_drawing({"width": 1100, "height": 900, "strokes": dots})
    with pytest.raises(InputError, match="too many to read as a number"):
        group_strokes(drawing)


def test_an_image_of_a_digit_among_thousands_of_specks_reads_the_digit(
    shipped_predictor,
) -> None:
    from digitpad.core.numbers.reading import read_image
    from digitpad.core.numbers.segmentation import MAX_PIECES

    image = np.full((600, 600), 255, dtype=np.uint8)
    image[100:500, 280:320] = 0  # a 1
    specks = np.zeros((600, 600), dtype=bool)
    specks[::10, ::10] = True  # 3,600 one-pixel specks
    specks[90:510, 270:330] = False
    image[specks] = 0
    assert label_components(image < 128)[1] > MAX_PIECES
    reading = read_image(image, shipped_predictor)
    assert reading.number == "1"
