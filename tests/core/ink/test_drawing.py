"""The drawing format is read strictly, with errors that say what is wrong."""

from __future__ import annotations

import math
import re

import pytest

from digitpad.core.errors import InputError
from digitpad.core.ink.drawing import load_drawings, parse_drawing
from tests.support.digits import drawing_dict, write_json


def test_parses_strokes_dots_and_keeps_extra_keys() -> None:
    drawing = parse_drawing(
        drawing_dict([[[1, 2], [3, 4]], [[5, 6]]], pen_width=12, label=7, writer="w")
    )
    assert drawing.strokes == (((1.0, 2.0), (3.0, 4.0)), ((5.0, 6.0),))
    assert drawing.pen_width == 12
    assert drawing.label == 7
    assert drawing.to_json_dict()["strokes"] == [[[1, 2], [3, 4]], [[5, 6]]]


def test_file_with_one_drawing_or_a_list(tmp_path) -> None:
    one = write_json(tmp_path / "one.json", drawing_dict([[[1, 1]]]))
    many = write_json(tmp_path / "many.json", [drawing_dict([[[1, 1]]])] * 3)
    assert load_drawings(one)[1] is False and len(load_drawings(one)[0]) == 1
    drawings, was_list = load_drawings(many)
    assert was_list and len(drawings) == 3


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([1, 2], "JSON object"),
        ({"width": 0, "height": 5, "strokes": []}, "width must be a positive"),
        ({"width": 5, "height": True, "strokes": []}, "height must be a positive"),
        ({"width": 5, "height": 5}, "no 'strokes' list"),
        ({"width": 5, "height": 5, "strokes": [5]}, "stroke 1 is not a list"),
        ({"width": 5, "height": 5, "strokes": [[[1, "a"]]]}, "not \\[x, y\\]"),
        ({"width": 5, "height": 5, "strokes": [[[1, math.nan]]]}, "not \\[x, y\\]"),
        ({"width": 5, "height": 5, "strokes": [], "pen_width": -1}, "pen_width"),
    ],
)
def test_invalid_drawings_name_the_problem(obj, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_drawing(obj, "d.json")


def test_unreadable_files_name_the_file(tmp_path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(InputError, match=re.escape("broken.json: not valid JSON")):
        load_drawings(broken)
    with pytest.raises(InputError, match="no such file"):
        load_drawings(tmp_path / "absent.json")
    bad_item = write_json(tmp_path / "list.json", [drawing_dict([]), {"width": 1}])
    with pytest.raises(InputError, match=r"list.json\[1\]"):
        load_drawings(bad_item)


def test_a_file_saved_with_a_byte_order_mark_still_opens(tmp_path) -> None:
    """Notepad and PowerShell write UTF-8 with a BOM; the JSON standard allows it."""
    import json

    text = json.dumps(drawing_dict([[[1, 1], [5, 9]]]))
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes(text.encode("utf-16"))
    for path in (with_bom, utf16):
        drawings, _ = load_drawings(path)
        assert drawings[0].strokes == (((1.0, 1.0), (5.0, 9.0)),), path.name


def test_an_empty_file_is_called_empty(tmp_path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"\n")
    with pytest.raises(InputError, match=r"empty\.json: the file is empty"):
        load_drawings(empty)


def test_text_that_is_not_unicode_is_named_so(tmp_path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"width": 1, "height": 1, "strokes": [], "n": "\xe9"}')
    with pytest.raises(InputError, match=r"latin\.json: not a text \(UTF-8\) file"):
        load_drawings(latin)


def test_absurdly_nested_json_is_a_clear_error(tmp_path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputError, match=r"deep\.json: JSON is nested too deeply"):
        load_drawings(deep)
