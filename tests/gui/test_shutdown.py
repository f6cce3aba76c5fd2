"""The process ends cleanly however the app is left: no abort, no hang.

Each case is a fresh Python process (exit status and stderr are what is checked), run
offscreen with its own settings and data folders.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

PRELUDE = """
import sys, time
from PySide6.QtCore import QSettings
QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, sys.argv[1])
from PySide6.QtWidgets import QApplication
from digitpad.gui.app import create_window, ensure_application
app = ensure_application()

def spin_until(condition, seconds=60):
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            sys.exit("timed out")
        app.processEvents()
        time.sleep(0.005)  # a script's own loop, not a test waiting for Qt
"""


def run_script(body: str, tmp_path) -> tuple[subprocess.CompletedProcess, float]:
    script = PRELUDE + textwrap.dedent(body)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "settings")],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    return done, time.monotonic() - started


def test_python_exiting_with_the_window_open_ends_with_status_0(tmp_path):
    """A script that embeds the window and never closes it (the README's API)."""
    done, _ = run_script(
        """
        window = create_window()
        window.show()
        spin_until(lambda: window.state.predictor is not None)
        window.live.schedule(window.canvas.prediction_source())
        for _ in range(20):  # a prediction may still be in flight at exit
            app.processEvents()
        print("loaded", window.state.predictor.name, flush=True)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "loaded" in done.stdout
    assert "Destroyed while thread" not in done.stderr


@pytest.mark.parametrize("how", ["close", "exit"])
def test_a_hung_model_load_is_abandoned_when_the_window_closes(tmp_path, how):
    """A load stuck for ever (a slow disk, a file that never ends) must not hold up
    closing: the window closes at once and Python exits with status 0."""
    done, _ = run_script(
        f"""
        import threading
        from digitpad.gui.window import model_loader

        hung = threading.Event()
        def never_returns(path, **options):
            hung.set()
            threading.Event().wait()  # blocks for ever, like a read that never ends
        model_loader.load_without_tensorflow = never_returns

        window = create_window(load_model=False)
        window.show()
        window.model_files.load("{tmp_path / "slow.keras"}", user=True)
        spin_until(hung.is_set)
        started = time.monotonic()
        if "{how}" == "close":
            window.close()
            app.processEvents()
            print(f"closed {{window.isVisible()}} {{time.monotonic() - started:.3f}}")
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Destroyed while thread" not in done.stderr
    if how == "close":
        visible, seconds = done.stdout.split()[-2:]
        assert visible == "False"
        assert float(seconds) < 0.5  # no wait for the hung load


@pytest.mark.parametrize("defer_panels", [False, True])
def test_closing_before_the_event_loop_has_run_is_quiet(tmp_path, defer_panels):
    """Opened by mistake and closed at once, or built and closed by a script: the
    start-up steps still queued (loading the model, docking the panels) must not
    run against the closed window's loaders and print a traceback."""
    done, _ = run_script(
        f"""
        from digitpad.gui.app import FIRST_PAINT_WAIT_MS
        window = create_window(defer_panels={defer_panels})
        window.show()
        window.close()  # before the event loop has turned once
        end = time.monotonic() + FIRST_PAINT_WAIT_MS / 1000 + 1.0
        while time.monotonic() < end:  # anything still queued would run now
            app.processEvents()
            time.sleep(0.005)
        print("closed", window.isVisible(), flush=True)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["closed", "False"]
    problems = [
        line
        for line in done.stderr.splitlines()
        if "propagateSizeHints" not in line  # the offscreen platform's notice
    ]
    assert problems == [], done.stderr[-2000:]
