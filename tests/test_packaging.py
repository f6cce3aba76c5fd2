"""What people install works: the wheel and sdist carry the model and resources, the
installed wheel runs from any directory, and the desktop files pass their validators.

The wheel is built once per session with ``python -m build`` (the sdist first, then the
wheel from the sdist, as a release is built), which also proves the sdist is complete.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from digitpad import __version__
from tests.support.digits import drawing_dict, ellipse_stroke, write_json

REPO = Path(__file__).resolve().parents[1]
APP_ID = "io.github.digitpad.DigitPad"
DESKTOP_FILE = REPO / "resources" / f"{APP_ID}.desktop"
METAINFO_FILE = REPO / "resources" / f"{APP_ID}.metainfo.xml"
MODEL_FILES = (
    "digitpad-mnist.keras",
    "digitpad-mnist.json",
    "digitpad-mnist.tflite",
    "digitpad-mnist.weights.npz",
)
VENV_BIN = Path(sys.executable).parent


def run(args: list[str], **options) -> subprocess.CompletedProcess:
    options.setdefault("timeout", 300)
    return subprocess.run(args, capture_output=True, text=True, **options)


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The wheel and sdist of the working tree, built like a release."""
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend comes from this venv (the test extras), so
    # building needs no network
    args = ["-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)]
    result = run([sys.executable, *args])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = out.glob("digitpad-*.whl")
    (sdist,) = out.glob("digitpad-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_version_command_prints_the_package_version() -> None:
    result = run([str(VENV_BIN / "digitpad"), "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"digitpad {__version__}"


def test_wheel_carries_model_resources_and_entry_point(dist: dict[str, Path]) -> None:
    assert dist["wheel"].name == f"digitpad-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(
            f"digitpad-{__version__}.dist-info/entry_points.txt"
        ).decode()
    for model_file in (*MODEL_FILES, "LICENSE-MODELS.md"):
        assert f"digitpad/trained_models/{model_file}" in names
    assert f"digitpad/resources/{APP_ID}.desktop" in names
    assert f"digitpad/resources/{APP_ID}.metainfo.xml" in names
    assert any(re.match(r"digitpad/resources/icons/.+\.svg$", n) for n in names)
    assert any(re.match(r"digitpad/resources/icons/.+\.png$", n) for n in names)
    assert {"digitpad/gui/app.py", "digitpad/cli/__init__.py"} <= names
    assert "digitpad = digitpad.__main__:main" in entry_points
    assert not any(n.startswith(("tests/", ".venv/", "trained_models/")) for n in names)
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_sdist_carries_sources_model_tests_and_setup(dist: dict[str, Path]) -> None:
    with tarfile.open(dist["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    expected = {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "packaging/setup.sh",
        ".ci/run",
        f"resources/{APP_ID}.desktop",
        *(f"trained_models/{name}" for name in MODEL_FILES),
    }
    assert expected <= names
    assert any(name.startswith("tests/") for name in names)
    assert not any(name.startswith(".venv/") or "__pycache__" in name for name in names)


@pytest.fixture(scope="session")
def installed_wheel(
    dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The wheel installed into its own directory (dependencies come from this venv)."""
    target = tmp_path_factory.mktemp("site")
    result = run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(dist["wheel"]),
        ]
    )
    assert result.returncode == 0, result.stderr
    return target


def run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed wheel's ``digitpad`` script, not the editable checkout."""
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    return run(
        [sys.executable, str(target / "bin" / "digitpad"), *args], cwd=cwd, env=env
    )


def test_installed_wheel_finds_its_files_from_any_directory(
    installed_wheel: Path, tmp_path: Path
) -> None:
    where = run_installed(installed_wheel, tmp_path, "--version")
    assert where.returncode == 0, where.stderr
    assert where.stdout.strip() == f"digitpad {__version__}"
    probe = (
        "import json, digitpad, digitpad.core.paths as p;"
        "print(json.dumps([digitpad.__file__, str(p.shipped_model_path()),"
        " str(p.resources_dir())]))"
    )
    env = {**os.environ, "PYTHONPATH": str(installed_wheel)}
    result = run([sys.executable, "-c", probe], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    for path in json.loads(result.stdout):
        assert Path(path).is_relative_to(installed_wheel), path
        assert Path(path).exists(), path


def test_installed_wheel_predicts_a_drawing(
    installed_wheel: Path, tmp_path: Path
) -> None:
    zero = write_json(
        tmp_path / "zero.json", drawing_dict([ellipse_stroke(200, 200, 60, 100)])
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_installed(installed_wheel, elsewhere, "predict", "--json", str(zero))
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["digit"] == 0
    assert record["confidence"] > 0.5


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_launches_the_installed_command_with_our_icon() -> None:
    entry = desktop_entry()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "DigitPad"
    assert entry["Exec"].split()[0] in scripts
    assert entry["Icon"] == APP_ID
    assert "Education" in entry["Categories"].split(";")
    icons = REPO / "resources" / "icons"
    assert list(icons.glob("*.svg")), "the scalable icon is missing"
    assert len(list(icons.glob("*.png"))) >= 3, "PNG icon sizes are missing"


def test_desktop_entry_passes_desktop_file_validate() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip(
            "desktop-file-validate not installed (apt install desktop-file-utils)"
        )
    result = run([validator, str(DESKTOP_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


def test_metainfo_passes_appstream_validation() -> None:
    validator = shutil.which("appstreamcli")
    if validator is None:
        pytest.skip("appstreamcli not installed (apt install appstream)")
    result = run([validator, "validate", "--no-net", str(METAINFO_FILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_matches_the_app() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == desktop_entry()["Exec"].split()[0]
    assert root.find("releases/release").get("version") == __version__
    screenshots = [image.text for image in root.iter("image")]
    assert screenshots, "software centres show no screenshot"
    for url in screenshots:
        assert url.startswith("https://")
        in_repo = url.split("/main/", 1)[1]
        assert (REPO / in_repo).is_file(), (
            f"{in_repo} is referenced but not in the repo"
        )


def test_readme_commands_are_the_ones_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = readme.split("<!-- section: install", 1)[1].split("<!-- end section", 1)[
        0
    ]
    commands = re.findall(r"^\./packaging/setup\.sh.*$", install, flags=re.MULTILINE)
    assert commands == [
        "./packaging/setup.sh && .venv/bin/digitpad",
        "./packaging/setup.sh --test && .venv/bin/python -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./packaging/setup.sh --test\n" in ci
    assert ".venv/bin/python -m pytest" in ci


@pytest.mark.parametrize(
    "script",
    [
        "packaging/setup.sh",
        ".ci/run",
        "packaging/build_bundle.sh",
        "packaging/check_bundle.sh",
    ],
)
def test_shell_scripts_are_executable_and_parse(script: str) -> None:
    path = REPO / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    result = run(["bash", "-n", str(path)])
    assert result.returncode == 0, result.stderr
    assert "set -euo pipefail" in path.read_text(encoding="utf-8")


def test_setup_script_explains_itself_and_rejects_unknown_options() -> None:
    script = str(REPO / "packaging" / "setup.sh")
    helped = run([script, "--help"])
    assert helped.returncode == 0
    assert "--test" in helped.stdout
    refused = run([script, "--frobnicate"])
    assert refused.returncode != 0
    assert "unknown option: --frobnicate" in refused.stderr


# ------------------------------------------------------------------ the two bundles


PROFILER = "tensorflow.python.profiler.internal._pywrap_profiler_plugin"


class _Analysis:
    """Stands in for PyInstaller's Analysis: records its arguments, collects a few
    typical files so the spec's filters have something to keep or drop."""

    def __init__(self, scripts, **options) -> None:
        self.options = options
        self.scripts = scripts
        lib = "/site/tensorflow"
        self.binaries = [
            ("tensorflow/libtensorflow_cc.so.2", f"{lib}/libtensorflow_cc.so.2", "B"),
            ("PySide6/Qt/lib/libQt6Qml.so.6", "/site/libQt6Qml.so.6", "BINARY"),
            (f"{PROFILER.replace('.', '/')}.so", f"{lib}/profiler.so", "EXTENSION"),
        ]
        self.datas = [
            ("tensorflow/include/tensorflow/core/framework/op.h", f"{lib}/op.h", "D"),
            ("tensorflow/python/ops/testdata/x.pb", f"{lib}/x.pb", "DATA"),
            ("digitpad/trained_models/m.keras", "/repo/m.keras", "DATA"),
        ]
        self.pure = [
            ("tensorflow.python.ops.array_ops", f"{lib}/array_ops.py", "PYMODULE"),
            ("tensorflow.python.ops.array_ops_test", f"{lib}/t.py", "PYMODULE"),
            ("keras.src.backend.tests.x", "/site/x.py", "PYMODULE"),
        ]


def build_spec(monkeypatch, with_training: bool) -> dict:
    """Run packaging/digitpad.spec with PyInstaller's objects stubbed out."""
    hooks = type(sys)("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda package: [package]
    hooks.get_package_paths = lambda package: ("/site", f"/site/{package}")
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setenv("DIGITPAD_BUNDLE_TRAINING", "1" if with_training else "0")
    made: dict = {}
    spec_globals = {
        "SPECPATH": str(REPO / "packaging"),
        "Analysis": _Analysis,
        "PYZ": lambda pure: made.setdefault("pyz", pure),
        "EXE": lambda *args, **options: made.setdefault("exe", options),
        "COLLECT": lambda *args, **options: made.setdefault("collect", options),
    }
    spec = REPO / "packaging" / "digitpad.spec"
    exec(compile(spec.read_text(encoding="utf-8"), str(spec), "exec"), spec_globals)
    made["analysis"] = spec_globals["a"]
    return made


def test_only_the_full_bundle_spec_takes_tensorflow_without_its_tests(
    monkeypatch,
) -> None:
    lean = build_spec(monkeypatch, with_training=False)
    assert {"tensorflow", "keras", "h5py"} <= set(lean["analysis"].options["excludes"])
    assert lean["collect"]["name"] == "digitpad"

    full = build_spec(monkeypatch, with_training=True)
    excludes = set(full["analysis"].options["excludes"])
    assert not {"tensorflow", "keras", "h5py", "ml_dtypes"} & excludes
    assert {"torch", "jax", "tensorboard"} <= excludes  # never used, even to train
    assert full["collect"]["name"] == "digitpad-full"
    analysis = full["analysis"]
    assert [name for name, *_ in analysis.binaries] == [
        "tensorflow/libtensorflow_cc.so.2"
    ]
    assert [name for name, *_ in analysis.datas] == ["digitpad/trained_models/m.keras"]
    pure = {name: path for name, path, _ in analysis.pure}
    assert list(pure) == ["tensorflow.python.ops.array_ops", PROFILER]
    assert Path(pure[PROFILER]).is_file()  # a stub for the 77 MB native module


def test_a_frozen_app_starts_its_helper_as_its_own_executable(monkeypatch) -> None:
    from digitpad.core.helpers import process

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/digitpad-full/digitpad")
    assert process.helper_command("digitpad.core.helpers.tensorflow_process") == [
        "/opt/digitpad-full/digitpad",
        "--helper",
        "digitpad.core.helpers.tensorflow_process",
    ]
    monkeypatch.setattr(sys, "frozen", False)
    assert process.helper_command("m")[1:] == ["-m", "m"]


@pytest.mark.slow  # one TensorFlow import in the helper
def test_the_bundle_entry_runs_a_helper_it_is_asked_for(tmp_path: Path) -> None:
    """``digitpad --helper MODULE`` as the frozen bundle runs it: the real training
    helper starts, loads TensorFlow, says ready and ends when its parent goes away."""
    from multiprocessing.connection import Connection

    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{REPO / 'packaging'}"}
    entry = [sys.executable, str(REPO / "packaging" / "bundle_entry.py"), "--helper"]
    child = subprocess.Popen(
        [*entry, "digitpad.core.helpers.tensorflow_process"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    replies = Connection(os.dup(child.stdout.fileno()), writable=False)
    assert replies.poll(120), "no word from the helper"
    assert replies.recv() == ("ready",)
    child.stdin.close()  # the parent goes away: a standby helper just ends
    assert child.wait(timeout=60) == 0
    replies.close()
    child.stdout.close()

    refused = run([*entry, "os"], env=env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "os is not a DigitPad helper" in refused.stderr


def test_bundle_build_names_its_two_kinds_and_rejects_unknown_options() -> None:
    script = str(REPO / "packaging" / "build_bundle.sh")
    helped = run([script, "--help"])
    assert helped.returncode == 0
    assert "--with-training" in helped.stdout and "digitpad-full" in helped.stdout
    refused = run([script, "--with-everything"])
    assert refused.returncode != 0
    assert "unknown option: --with-everything" in refused.stderr
