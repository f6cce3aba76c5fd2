"""Opening or importing a big drawing list never stalls the window: it is parsed
in a helper process (parsing held Python's lock for seconds, even on a worker)."""

from __future__ import annotations

import json

import pytest

from digitpad.core.handwriting import parse_apart
from tests.support.gui_gaps import GapMeter

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints"
)


def _big_list(path, count: int = 1500):
    """About 9 MB of labelled drawings: a second or more of json.loads here."""

    def stroke(n: int) -> list:
        return [
            [100.0 + k * 0.37 + n * 0.01, 100.0 + (k * 7.3) % 200] for k in range(120)
        ]

    path.write_text(
        json.dumps(
            [
                {"width": 400, "height": 400, "strokes": [stroke(n)], "label": n % 10}
                for n in range(count)
            ]
        )
    )
    assert path.stat().st_size > parse_apart.APART_BYTES
    return path


def test_a_big_list_reads_the_same_apart_as_in_process(tmp_path) -> None:
    from digitpad.core.handwriting.labelled import read_labelled_list

    path = _big_list(tmp_path / "big.json", 400)
    here = read_labelled_list(path, strict=False)
    apart = parse_apart.labelled_list(path)
    assert apart[0] == here[0] and apart[1] == here[1]
    drawing, count = parse_apart.first_drawing(path)
    assert count == 400 and drawing == here[0][0][0]


def test_a_broken_big_list_is_one_line_from_the_helper(tmp_path) -> None:
    from digitpad.core.errors import InputError

    path = _big_list(tmp_path / "big.json", 400)
    path.write_text(path.read_text()[:-100])  # cut off
    with pytest.raises(InputError, match="not valid JSON"):
        parse_apart.labelled_list(path)


def test_importing_and_opening_a_big_list_parse_it_outside_the_app(
    window, window_store, qtbot, tmp_path, monkeypatch
) -> None:
    """The app's process never parses the big file (that held Python's lock, the
    window's too, for seconds); the window's longest gap is printed (on this
    shared machine gaps say more about the load than about the app)."""
    from PySide6.QtWidgets import QFileDialog

    from digitpad.gui.threads import Runner

    path = _big_list(tmp_path / "big.json")
    parsed: list[int] = []
    real_loads = json.loads

    def watched_loads(text, *args, **kwargs):
        parsed.append(len(text))
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", watched_loads)
    runner = Runner(window, "test-import")  # what the panel's Import runs
    meter = GapMeter().start()
    with qtbot.waitSignal(window.state.samplesChanged, timeout=180_000):
        runner.start(
            lambda task: window_store.import_file(path, lambda: task.cancelled),
            lambda _result: window.state.samplesChanged.emit(),
        )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    window.actions_by_name["open"].trigger()
    qtbot.waitUntil(lambda: not window.canvas.drawing().is_empty, timeout=60_000)
    meter.stop()
    print(f"\nbig list: worst GUI gap {meter.worst} ms over {len(meter.gaps)} ticks")
    assert len(window_store.load()[0]) == 1500
    assert max(parsed, default=0) < parse_apart.APART_BYTES
