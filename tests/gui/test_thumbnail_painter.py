"""A drawing no painter can place costs its thumbnail, never the process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from digitpad.core.handwriting.samples import HandwritingStore
from digitpad.core.ink.drawing import Drawing
from digitpad.gui.handwriting.sample_snapshot import take_snapshot

BAD = Drawing(400, 400, (((1.0, 2.0, 3.0), (4.0, 5.0)),))  # a point of three values


def test_a_failed_thumbnail_ends_its_painter_and_the_process_lives() -> None:
    script = textwrap.dedent(
        """
        import gc
        from PySide6.QtWidgets import QApplication
        from digitpad.core.ink.drawing import Drawing
        from digitpad.gui.widgets.stroke_thumbnail import render_thumbnail
        app = QApplication([])
        bad = Drawing(400, 400, (((1.0, 2.0, 3.0), (4.0, 5.0)),))
        try:
            render_thumbnail(bad, 56)
        except ValueError:
            pass
        gc.collect()
        print("alive")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-400:]
    assert "alive" in done.stdout
    assert "being painted" not in done.stderr


def test_one_undrawable_sample_is_a_problem_and_the_others_show(
    qtbot, tmp_path, monkeypatch
) -> None:
    store = HandwritingStore(tmp_path)
    good = store.add(Drawing(400, 400, (((100.0, 100.0), (120.0, 300.0)),)), 1)
    bad = store.add(Drawing(400, 400, (((1.0, 2.0), (4.0, 5.0)),)), 2)
    real_load = store.load

    def load():  # as if a sample came through the reader malformed
        samples, problems = real_load()
        return [
            s if s.id != bad.id else type(s)(s.id, BAD, s.label, s.created)
            for s in samples
        ], problems

    monkeypatch.setattr(store, "load", load)
    snapshot = take_snapshot(store, None)
    assert [s.id for s in snapshot.samples] == [good.id]
    assert set(snapshot.thumbnails) == {good.id}
    assert [bad.id in p.source for p in snapshot.problems] == [True]


pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
