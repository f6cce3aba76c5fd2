"""``predict --number`` and ``evaluate --number``: numbers in, digits with boxes out."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageDraw

from digitpad.cli import main
from tests.support import digits as ns
from tests.support.digits import drawing_dict, write_json


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def number_dict(*builders, **extra) -> dict:
    strokes, x = [], 40.0
    for build in builders:
        strokes += build(x, 50.0, 120.0)
        x += 120.0
    return drawing_dict(strokes, width=int(x + 40), height=240, **extra)


def test_predict_number_json_for_a_list_file(tmp_path, capsys) -> None:
    path = write_json(
        tmp_path / "numbers.json",
        [number_dict(ns.two, ns.zero, ns.two, ns.six), drawing_dict([])],
    )
    code, out, err = run_cli(capsys, "predict", "--number", "--json", str(path))
    assert code == 0, err
    first, empty = json.loads(out)
    assert (first["file"], first["index"], first["number"]) == (str(path), 0, "2026")
    assert [d["digit"] for d in first["digits"]] == [2, 0, 2, 6]
    for digit in first["digits"]:
        assert digit["confidence"] == pytest.approx(
            max(digit["probabilities"]), abs=1e-6
        )
        assert len(digit["probabilities"]) == 10
        x0, y0, x1, y1 = digit["box"]
        assert 0 <= x0 < x1 <= 560 and 0 <= y0 < y1 <= 240
    lefts = [d["box"][0] for d in first["digits"]]
    assert lefts == sorted(lefts)
    assert (empty["index"], empty["number"], empty["digits"]) == (1, "", [])


def test_predict_number_of_an_image_as_text(tmp_path, capsys) -> None:
    image = Image.new("L", (300, 160), 255)
    pen = ImageDraw.Draw(image)
    pen.line((60, 30, 60, 130), fill=0, width=10)
    pen.ellipse((140, 30, 210, 130), outline=0, width=10)
    image.save(tmp_path / "ten.png")
    code, out, _ = run_cli(capsys, "predict", "--number", str(tmp_path / "ten.png"))
    assert code == 0
    assert out.startswith(f"{tmp_path / 'ten.png'}: 10 (least sure digit ")
    single = json.loads(
        run_cli(capsys, "predict", "--number", "--json", str(tmp_path / "ten.png"))[1]
    )[0]
    assert "index" not in single and single["number"] == "10"


def test_evaluate_numbers_counts_splits_wholes_and_digits(tmp_path, capsys) -> None:
    path = write_json(
        tmp_path / "labelled.json",
        [
            number_dict(ns.two, ns.zero, number="20"),
            number_dict(ns.one, ns.zero, ns.crossed_seven, number="107"),
            number_dict(ns.one, ns.zero, number="17"),  # read "10": one digit wrong
            number_dict(ns.six, number="66"),  # one digit where two were expected
        ],
    )
    code, out, err = run_cli(
        capsys, "evaluate", "--strokes", str(path), "--number", "--json"
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["count"] == 4
    assert report["count_right"] == pytest.approx(3 / 4)
    assert report["number_right"] == pytest.approx(2 / 4)
    assert report["digits"] == 7
    assert report["digit_accuracy"] == pytest.approx(6 / 7)


def test_evaluate_numbers_needs_number_labels(tmp_path, capsys) -> None:
    path = write_json(tmp_path / "digits.json", [number_dict(ns.one, label=1)])
    code, out, err = run_cli(capsys, "evaluate", "--strokes", str(path), "--number")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and '"number" label' in err
    code, _, err = run_cli(capsys, "evaluate", "--number")
    assert code == 1 and "--strokes" in err and err.count("\n") == 1
