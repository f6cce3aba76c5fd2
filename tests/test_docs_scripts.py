"""The scripts that make the README's screenshots still name modules that exist.

They import lazily, inside ``main()``, so nothing fails until someone runs one: the
core's split into subject packages left three of them importing modules that no longer
exist (``digitpad.core.inference``, ``digitpad.core.drawing``). Here every ``from
digitpad... import name`` in them is resolved, without running a script (each takes a
minute and a screen).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

SCRIPTS = sorted(
    (Path(__file__).resolve().parents[1] / "docs" / "screenshots").glob("*.py")
)


def digitpad_imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("digitpad")
        for alias in node.names
    ]


def test_there_are_screenshot_scripts_to_check():
    assert len(SCRIPTS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_screenshot_script_imports_only_what_exists(script):
    missing = []
    for module, name in digitpad_imports(script):
        try:
            imported = importlib.import_module(module)
        except ModuleNotFoundError:
            missing.append(module)
            continue
        if not hasattr(imported, name):
            try:  # ``from package import submodule``
                importlib.import_module(f"{module}.{name}")
            except ModuleNotFoundError:
                missing.append(f"{module}.{name}")
    assert not missing, f"{script.name} imports what does not exist: {missing}"
