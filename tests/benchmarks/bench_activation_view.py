"""Activation-viewer cost per drawing change (issue 6: < 16 ms for the tutorial CNN).

Run: ``QT_QPA_PLATFORM=offscreen python tests/benchmarks/bench_activation_view.py``;
prints one JSON object. Predictions are made beforehand: this measures only the viewer,
from ``AppState.set_result`` to every on-screen layer re-rendered ("update") and, in
addition, Qt's layout and repaint of what changed ("update_and_paint", i.e. until the
event queue is empty), with the Layers tab showing in a 900x1000 window, for the
tutorial CNN and for the shipped model.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TARGET_MS = 16.0
REPEATS = 60


def drawings() -> list:
    """Sevens and zeros of varying shape, as a drawing session would produce."""
    from digitpad.core.ink.drawing import Drawing

    shapes = []
    for i in range(REPEATS):
        if i % 2:
            shapes.append(
                Drawing(280, 280, (((60.0, 60.0), (200.0, 60.0), (90.0 + i, 230.0)),))
            )
        else:
            t = np.linspace(0, 2 * np.pi, 40 + i)
            ring = tuple(
                (140 + (40 + i) * float(np.sin(a)), 140 - 90 * float(np.cos(a)))
                for a in t
            )
            shapes.append(Drawing(280, 280, (ring,)))
    return shapes


def measure(app, predictor) -> dict:
    from digitpad.core.preprocess.mnist_input import preprocess_drawing
    from digitpad.gui.activations.activation_panel import ActivationPanel
    from digitpad.gui.state import AppState, LiveResult

    results = []
    for token, drawing in enumerate(drawings()):
        pre = preprocess_drawing(drawing, stages=True)
        results.append(LiveResult(token, pre, predictor.predict(pre.image)))
    state = AppState()
    panel = ActivationPanel(state)
    panel.resize(900, 1000)
    panel.show()
    state.set_predictor(predictor)
    for result in results[:5]:  # warm up layouts and caches
        state.set_result(result)
        panel.refresh()
        app.processEvents()
    update, total = [], []
    for result in results:
        start = time.perf_counter()
        state.set_result(result)
        panel.refresh()
        middle = time.perf_counter()
        app.processEvents()
        end = time.perf_counter()
        update.append((middle - start) * 1e3)
        total.append((end - start) * 1e3)
    panel.saliency.stop()
    panel.close()

    def stats(values: list[float]) -> dict:
        return {
            "median_ms": round(float(np.median(values)), 2),
            "p95_ms": round(float(np.percentile(values, 95)), 2),
            "max_ms": round(float(np.max(values)), 2),
        }

    return {
        "layers": len(predictor.layers()),
        "maps": sum(int(layer["output_shape"][-1]) for layer in predictor.layers()),
        "update": stats(update),
        "update_and_paint": stats(total),
    }


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from digitpad.core.models.inference import load_predictor, predictor_from_model
    from digitpad.core.networks.builder import build_preset

    app = QApplication.instance() or QApplication(sys.argv)
    tutorial = measure(app, predictor_from_model(build_preset("tutorial")))
    shipped = measure(app, load_predictor())
    print(
        json.dumps(
            {
                "benchmark": "activation_view_update",
                "target_ms": TARGET_MS,
                "tutorial": tutorial,
                "shipped_model": shipped,
                "meets_target": tutorial["update_and_paint"]["p95_ms"] < TARGET_MS,
            }
        )
    )


if __name__ == "__main__":
    main()
