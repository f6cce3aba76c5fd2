"""The core stays Qt-free: import-linter enforces it, and we prove the check can fail.

``digitpad.core`` is shared by the CLI, the app and scripts; if it imported PySide6 the
CLI would need a display stack and a training job on a server would drag in Qt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _run_lint_imports(project: Path) -> subprocess.CompletedProcess:
    """lint-imports reads ``project/pyproject.toml`` and imports from ``project``."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contract() -> dict:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"][
        "importlinter"
    ]
    (contract,) = [
        c for c in config["contracts"] if "digitpad.core" in c.get("source_modules", [])
    ]
    return {**config, "contract": contract}


@pytest.fixture(scope="module")
def lint_imports_available() -> None:
    if not LINT_IMPORTS.exists():
        pytest.fail(
            f"{LINT_IMPORTS} missing: install the test extras (setup.sh --test)"
        )


def test_contract_forbids_qt_and_gui() -> None:
    contract = _contract()["contract"]
    assert contract["type"] == "forbidden"
    assert {"PySide6", "pyqtgraph", "digitpad.gui"} <= set(
        contract["forbidden_modules"]
    )
    assert contract.get("allow_indirect_imports") is False


def test_core_keeps_the_contract(lint_imports_available: None) -> None:
    result = _run_lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def _fake_project(root: Path, core_module_source: str) -> None:
    """The package layout plus one offending core module, under the real contract."""
    for package in ("digitpad", "digitpad/core", "digitpad/gui", "digitpad/cli"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text("")
    (root / "digitpad/gui/window.py").write_text("import PySide6.QtWidgets\n")
    (root / "digitpad/core/offender.py").write_text(core_module_source)
    (root / "pyproject.toml").write_text((REPO / "pyproject.toml").read_text())


@pytest.mark.parametrize(
    "source",
    [
        "from PySide6.QtGui import QImage\n",
        "def lazy():\n    import pyqtgraph\n",
        "from digitpad.gui import window\n",
        "import digitpad.gui.window\n",
    ],
    ids=["qt", "lazy-pyqtgraph", "gui-package", "gui-module"],
)
def test_contract_catches_a_violation(
    tmp_path: Path, source: str, lint_imports_available: None
) -> None:
    _fake_project(tmp_path, source)
    result = _run_lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert "digitpad.core.offender" in result.stdout
