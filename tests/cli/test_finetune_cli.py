"""``digitpad finetune``: a tiny run end to end, one clear line for every bad input."""

from __future__ import annotations

import json

import pytest

from digitpad.cli import main, train_command
from digitpad.core.errors import TrainingCancelled
from tests.support.digits import drawing_dict, write_json
from tests.support.finetune import labelled_drawings, write_tiny_mnist


def samples_json(per_digit: int = 2) -> list[dict]:
    drawings, labels = labelled_drawings(per_digit)
    return [
        {**d.to_json_dict(), "label": label}
        for d, label in zip(drawings, labels, strict=True)
    ]


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_finetune_a_tiny_set_then_evaluate_it(tmp_path, capsys) -> None:
    samples = write_json(tmp_path / "mine.json", samples_json())
    mnist = write_tiny_mnist(tmp_path / "mnist.npz")
    out = tmp_path / "models" / "mine.keras"
    code, stdout, err = run_cli(
        capsys,
        "finetune",
        "--samples", str(samples),
        "--out", str(out),
        "--epochs", "1",
        "--data", str(mnist),
        "--mnist-test", "50",
    )  # fmt: skip
    assert code == 0, err
    assert "fine-tuned on 20 drawings" in stdout
    assert "(50 images)" in stdout
    metadata = json.loads(out.with_suffix(".json").read_text())
    assert metadata["user_samples"] == 20
    assert metadata["training"]["kind"] == "finetune"
    assert metadata["architecture"] == "compact"  # the shipped model's
    code, stdout, err = run_cli(
        capsys, "evaluate", "--json", "--model", str(out), "--strokes", str(samples)
    )
    assert code == 0, err
    assert json.loads(stdout)["count"] == 20


def test_ctrl_c_leaves_no_file(tmp_path, capsys, monkeypatch) -> None:
    samples = write_json(tmp_path / "mine.json", samples_json(1))
    mnist = write_tiny_mnist(tmp_path / "mnist.npz")
    out_dir = tmp_path / "models"
    out_dir.mkdir()

    def interrupted(*args, **kwargs):
        raise TrainingCancelled("fine-tuning was cancelled")  # as after a Ctrl-C

    monkeypatch.setattr("digitpad.core.handwriting.finetune.finetune", interrupted)
    code, _, err = run_cli(
        capsys,
        "finetune",
        "--samples", str(samples),
        "--out", str(out_dir / "mine.keras"),
        "--data", str(mnist),
    )  # fmt: skip
    assert code == 130
    assert "nothing was written" in err
    assert list(out_dir.iterdir()) == []


def test_the_stop_request_reaches_the_training_loop() -> None:
    with train_command.StopOnInterrupt() as interrupt:
        assert interrupt.requested is False
        interrupt._handle(2, None)  # what the first Ctrl-C does
        assert interrupt.requested is True


def _without_label_of(index: int) -> list[dict]:
    items = samples_json(1)
    del items[index]["label"]
    return items


def _with_label(index: int, value) -> list[dict]:
    items = samples_json(1)
    items[index]["label"] = value
    return items


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_without_label_of(3), "mine.json[3]: has no 'label'"),
        (_with_label(4, 12), "mine.json[4]: label 12 is not a digit from 0 to 9"),
        (_with_label(4, "4"), "mine.json[4]: label '4' is not a digit from 0 to 9"),
        (samples_json(1)[:9], "no sample of 9: fine-tuning needs one of every digit"),
        (
            [*samples_json(1), {"width": 400, "strokes": []}],
            "mine.json[10]: drawing height must be a positive number",
        ),
        (
            [*samples_json(1), drawing_dict([[[1, 1], "x"]], label=1)],
            "mine.json[10]: stroke 1 has a point that is not [x, y]",
        ),
        ([*samples_json(1), drawing_dict([], label=1)], "[10]: drawing has no ink"),
        ("not json", "mine.json: not valid JSON"),
    ],
)
def test_bad_samples_are_one_clear_line(tmp_path, capsys, content, message) -> None:
    path = tmp_path / "mine.json"
    if isinstance(content, str):
        path.write_text(content)
    else:
        write_json(path, content)
    out = tmp_path / "out.keras"
    code, _, err = run_cli(
        capsys, "finetune", "--samples", str(path), "--out", str(out)
    )
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("digitpad: ") and message in err
    assert not out.exists()


def test_a_missing_samples_file_is_one_line(tmp_path, capsys) -> None:
    code, _, err = run_cli(
        capsys, "finetune", "--samples", str(tmp_path / "no.json"), "--out", "x.keras"
    )
    assert (
        code == 1 and err.strip() == f"digitpad: {tmp_path / 'no.json'}: no such file"
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--seed", "-1"], "seed must be a whole number"),
        (["--seed", str(2**40)], "seed must be a whole number"),
        (["--replay", "nan"], "replay ratio"),
        (["--replay", "inf"], "replay ratio"),
        (["--mnist-test", "0"], "at least 1 image"),
        (["--mnist-test", "-5"], "at least 1 image"),
    ],
)
def test_bad_options_are_one_line_and_exit_1(tmp_path, capsys, option, message):
    path = write_json(tmp_path / "mine.json", samples_json(1))
    out = tmp_path / "out.keras"
    code, _, err = run_cli(
        capsys, "finetune", "--samples", str(path), "--out", str(out), *option
    )
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("digitpad: ") and message in err
    assert not out.exists()
