"""``digitpad arch show|list`` and ``train --arch-file``: specs on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from digitpad.cli import main
from digitpad.core.models.metadata import read_metadata
from digitpad.core.networks import designs
from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.shapes import analyze
from digitpad.core.networks.spec import parse_spec
from digitpad.core.paths import shipped_model_path

NO_FLATTEN = {
    "name": "no-flatten",
    "layers": [
        {"type": "Conv2D", "filters": 4, "kernel_size": 5, "strides": 2},
        {"type": "ResidualBlock", "filters": 8},
    ],
}


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _write(path, data) -> str:
    path.write_text(json.dumps(data))
    return str(path)


def test_show_prints_a_summary_table(capsys) -> None:
    code, out, err = run_cli(capsys, "arch", "show", "resnet")
    assert code == 0, err
    for row in analyze(PRESETS["resnet"].spec).rows:
        assert f"{row.name} ({row.type}" in out
        assert f"{row.params:,}" in out
        for inner in row.inner:
            assert f"  {inner.name} ({inner.type})" in out
    analysis = analyze(PRESETS["resnet"].spec)
    rows = [inner for row in analysis.rows for inner in (row.inner or (row,))]
    frozen = sum(r.params // 2 for r in rows if r.type == "BatchNormalization")
    assert f"Total params: {analysis.total_params:,} (trainable " in out
    assert f"non-trainable {frozen:,})" in out


def test_show_json_lists_spec_layers_then_the_added_flatten_then_the_output(
    tmp_path, capsys
) -> None:
    code, out, err = run_cli(
        capsys, "arch", "show", _write(tmp_path / "n.json", NO_FLATTEN), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(r["name"], r["type"]) for r in data["layers"]] == [
        ("conv1", "Conv2D"),
        ("res1", "ResidualBlock"),
        ("flatten", "Flatten"),
        ("softmax", "Dense"),
    ]
    assert data["layers"][0]["output_shape"] == [12, 12, 4]
    assert data["layers"][2]["output_shape"] == [12 * 12 * 8]
    assert data["name"] == "no-flatten"
    assert data["params"] == sum(r["params"] for r in data["layers"])


def test_show_keras_prints_a_script_that_builds_the_network(tmp_path, capsys) -> None:
    spec_file = _write(tmp_path / "n.json", NO_FLATTEN)
    _, script, _ = run_cli(capsys, "arch", "show", spec_file, "--keras")
    _, listing, _ = run_cli(capsys, "arch", "show", spec_file, "--json")
    namespace: dict = {}
    exec(compile(script, "arch.py", "exec"), namespace)
    assert namespace["model"].count_params() == json.loads(listing)["params"]


@pytest.mark.parametrize("flag", ["", "--json", "--keras"])
def test_show_never_imports_tensorflow(tmp_path, flag) -> None:
    spec_file = _write(tmp_path / "n.json", NO_FLATTEN)
    for target in ("inception_small", spec_file, str(shipped_model_path())):
        args = ["arch", "show", target] + ([flag] if flag else [])
        code = (
            "import sys\nfrom digitpad.cli import main\n"
            f"status = main({args!r})\n"
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules\n"
            "sys.exit(status)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert "softmax" in done.stdout


def test_show_reads_a_models_recorded_network(capsys) -> None:
    code, out, _ = run_cli(capsys, "arch", "show", str(shipped_model_path()), "--json")
    assert code == 0
    assert json.loads(out)["params"] == analyze(PRESETS["compact"].spec).total_params


def test_list_shows_presets_and_saved_designs(capsys) -> None:
    path = designs.save_design(replace(PRESETS["lenet5"].spec, name="my lenet"))
    try:
        code, out, _ = run_cli(capsys, "arch", "list")
    finally:
        path.unlink()
    assert code == 0
    names = [line.split()[1] for line in out.splitlines() if line.startswith("preset")]
    assert names == list(PRESETS)
    assert "design  my lenet" in out


def test_a_bad_spec_is_one_line_naming_the_layer(tmp_path, capsys) -> None:
    bad = {
        "name": "bad",
        "layers": [
            {"type": "Flatten"},
            {"type": "Conv2D", "filters": 3, "kernel_size": 3},
        ],
    }
    spec_file = _write(tmp_path / "bad.json", bad)
    for args in (
        ("arch", "show", spec_file),
        (
            "train",
            "--arch-file",
            spec_file,
            "--epochs",
            "1",
            "--out",
            str(tmp_path / "m.keras"),
        ),
    ):
        code, _, err = run_cli(capsys, *args)
        assert code == 1
        assert err.count("\n") == 1, err
        assert err.startswith(f"digitpad: {spec_file}: conv1: the input here is a flat")
    code, _, err = run_cli(capsys, "arch", "show", "nosuchnet")
    assert code == 1
    assert err.startswith("digitpad: unknown architecture 'nosuchnet' (choose from")
    assert not list(tmp_path.glob("m.*"))


def test_train_a_spec_file_and_show_the_model(tmp_path, capsys, mnist_path) -> None:
    spec_file = _write(tmp_path / "n.json", NO_FLATTEN)
    out_path = tmp_path / "trained.keras"
    code, _out, err = run_cli(
        capsys,
        "train",
        "--arch-file",
        spec_file,
        "--epochs",
        "1",
        "--limit",
        "300",
        "--data",
        str(mnist_path),
        "--out",
        str(out_path),
    )
    assert code == 0, err
    metadata = read_metadata(out_path)
    assert parse_spec(metadata["network"]) == parse_spec(NO_FLATTEN)
    assert metadata["architecture"] == "no-flatten"
    code, shown, _ = run_cli(capsys, "arch", "show", str(out_path), "--json")
    _, expected, _ = run_cli(capsys, "arch", "show", spec_file, "--json")
    assert code == 0 and json.loads(shown) == json.loads(expected)
    assert metadata["parameters"] == json.loads(expected)["params"]

    # copied without its metadata sidecar: the archive's own config tells
    alone = tmp_path / "alone" / "copy.keras"
    alone.parent.mkdir()
    alone.write_bytes(out_path.read_bytes())
    code, shown, err = run_cli(capsys, "arch", "show", str(alone), "--json")
    assert code == 0, err
    assert json.loads(shown)["layers"] == json.loads(expected)["layers"]
    alone.write_bytes(b"PK not really a zip")
    code, _, err = run_cli(capsys, "arch", "show", str(alone))
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"digitpad: {alone}: not a readable Keras archive")


def test_training_never_overwrites_its_own_spec_file(tmp_path, capsys) -> None:
    spec_file = _write(tmp_path / "net.json", NO_FLATTEN)
    before = (tmp_path / "net.json").read_bytes()
    code, _, err = run_cli(
        capsys,
        "train",
        "--arch-file",
        spec_file,
        "--epochs",
        "1",
        "--out",
        str(tmp_path / "net.keras"),
    )
    assert code == 1 and err.count("\n") == 1
    assert "would overwrite the spec" in err
    assert (tmp_path / "net.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"]


def test_train_a_saved_design_by_name(tmp_path, capsys, mnist_path) -> None:
    spec = replace(parse_spec(NO_FLATTEN), name="tiny design")
    path = designs.save_design(spec)
    try:
        code, _, err = run_cli(
            capsys,
            "train",
            "--arch",
            "tiny design",
            "--epochs",
            "1",
            "--limit",
            "200",
            "--data",
            str(mnist_path),
            "--out",
            str(tmp_path / "t.keras"),
        )
    finally:
        path.unlink()
    assert code == 0, err
    assert parse_spec(read_metadata(tmp_path / "t.keras")["network"]) == spec
