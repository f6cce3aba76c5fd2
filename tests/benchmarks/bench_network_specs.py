"""Network specs: the analysis against Keras, errors, speed of ``arch show`` and of an
edit, and a designed network's training speed against the hand-written Keras model.

Run from the repository: ``.venv/bin/python tests/benchmarks/bench_network_specs.py``
(DIGITPAD_MNIST pointing at mnist.npz for the training part, else the test subset).
Prints one JSON object; part names as arguments (``edit``, ``training``...) run only
those. ``--calibrate`` instead times one epoch of every preset on a
few thousand images and fits the time-estimate constants of ``shapes.py``.

- 200 random valid specs (tests/support/random_specs.py, seed 1): every layer's name,
  output shape and parameter count from ``analyze`` equal the Keras model's.
- 200 random invalid specs (seed 2): each refused with one line at the broken layer.
- ``digitpad arch show NAME`` in a fresh process: wall and CPU time, best and median.
- One designer edit: ``analyze`` + ``keras_code`` + the summary, per preset and spec.
- Training: the ``tutorial`` preset built by the builder vs the hand-written
  Sequential tutorial model DigitPad had before specs, same data, same compile: whole
  epochs alternating (``training``), and training steps interleaved batch by batch
  (``training_interleaved``, ``BENCH_NETWORK`` picks another of the four), which a
  shared machine's load spikes disturb far less.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from digitpad.core.networks.keras_code import keras_code  # noqa: E402
from digitpad.core.networks.presets import PRESETS  # noqa: E402
from digitpad.core.networks.shapes import analyze  # noqa: E402
from digitpad.core.networks.spec import SpecError, parse_spec  # noqa: E402
from digitpad.core.networks.summary import summary_table  # noqa: E402
from tests.support.random_specs import (  # noqa: E402
    random_invalid_spec,
    random_valid_spec,
)

TRAIN_IMAGES = int(os.environ.get("BENCH_LIMIT", "6000"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
NETWORK = os.environ.get("BENCH_NETWORK", "tutorial")  # the interleaved comparison


def _flat(rows):
    out = []
    for row in rows:
        out += list(row.inner) if row.inner else [row]
    return out


def valid_against_keras(count: int = 200) -> dict:
    from digitpad.core.networks.builder import build_keras_model

    rng = random.Random(1)
    equal, mismatches, started = 0, [], time.perf_counter()
    for i in range(count):
        spec = parse_spec(random_valid_spec(rng, i))
        analysis = analyze(spec)
        model = build_keras_model(spec)
        keras_rows = {
            layer.name: (tuple(layer.output.shape[1:]), layer.count_params())
            for layer in model.layers
            if type(layer).__name__ != "InputLayer"
        }
        rows = {r.name: (r.output_shape, r.params) for r in _flat(analysis.rows)}
        if rows == keras_rows and analysis.total_params == model.count_params():
            equal += 1
        else:
            mismatches.append(spec.name)
    return {
        "specs": count,
        "equal_to_keras": equal,
        "mismatches": mismatches[:5],
        "seconds": round(time.perf_counter() - started, 1),
    }


def invalid_one_line(count: int = 200) -> dict:
    rng = random.Random(2)
    one_line, at_layer, examples = 0, 0, []
    for i in range(count):
        broken = random_invalid_spec(rng, i)
        try:
            parse_spec(broken.data)
        except SpecError as error:
            text = str(error)
            one_line += bool(text) and "\n" not in text
            at_layer += error.layer_index == broken.layer_index
            if len(examples) < 4:
                examples.append(text[:160])
    return {
        "specs": count,
        "refused_in_one_line": one_line,
        "pointing_at_the_broken_layer": at_layer,
        "examples": examples,
    }


def arch_show_time(runs: int = 7) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "digitpad", "arch", "show", "resnet"],
            env=env,
            check=True,
            capture_output=True,
        )
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(
            after.children_user
            + after.children_system
            - before.children_user
            - before.children_system
        )
    bare = []
    for _ in range(runs):  # the interpreter alone, on the machine as loaded now
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        bare.append(time.perf_counter() - started)
    return {
        "runs": runs,
        "bare_python_wall_median_s": round(statistics.median(bare), 3),
        "wall_best_s": round(min(walls), 3),
        "wall_median_s": round(statistics.median(walls), 3),
        "cpu_median_s": round(statistics.median(cpus), 3),
        "load_average": round(os.getloadavg()[0], 2),
    }


def edit_time() -> dict:
    """What the designer recomputes on each edit: shapes, the code, the table."""
    rng = random.Random(3)
    specs = [p.spec for p in PRESETS.values()]
    specs += [parse_spec(random_valid_spec(rng, i)) for i in range(100)]
    times = []
    for spec in specs:
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            analysis = analyze(spec)
            keras_code(spec)
            summary_table(spec, analysis)
            best = min(best, time.perf_counter() - started)
        times.append(best * 1000)
    return {
        "specs": len(specs),
        "median_ms": round(statistics.median(times), 3),
        "max_ms": round(max(times), 3),
    }


def _data(limit: int):
    import numpy as np

    from digitpad.core.training.data import load_mnist

    subset = ROOT / "tests" / "data" / "mnist-subset.npz"  # never a download
    data = load_mnist(os.environ.get("DIGITPAD_MNIST") or str(subset)).subset(limit, 0)
    x = data.x_train.astype(np.float32)[..., None] / 255.0
    return x, data.y_train.astype(np.int32)


def _epoch_seconds(model, x, y, epochs: int = 2, cpu: bool = False) -> float:
    """Wall time of the last of ``epochs`` epochs (the first pays for tracing); with
    ``cpu``, the process's CPU time in it divided by the cores: what the epoch would
    take on this machine with nothing else running (it is shared while we measure)."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    times = []

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.process_time() if cpu else time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            now = time.process_time() if cpu else time.perf_counter()
            times.append((now - self.started) / (os.cpu_count() if cpu else 1))

    model.fit(
        x,
        y,
        batch_size=64,
        epochs=epochs,
        verbose=0,
        shuffle=False,
        callbacks=[Timer()],
    )
    return times[-1]


def training_speed() -> dict:
    """Wall time (the best run counts: the machine is shared) and CPU time (less
    sensitive to other processes) of an epoch, designed vs hand-written, alternating."""
    import keras

    from digitpad.core.networks.builder import build_keras_model
    from tests.support.legacy_architectures import build_model as hand_written

    threads = int(os.environ.get("BENCH_THREADS", "0"))
    if threads:  # fewer threads: less at the mercy of other processes' load
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    x, y = _data(TRAIN_IMAGES)
    builders = {
        "designed": lambda: build_keras_model(PRESETS["tutorial"].spec),
        "hand_written": lambda: hand_written("tutorial"),
    }
    times: dict[str, dict[str, list[float]]] = {
        name: {"wall": [], "cpu": []} for name in builders
    }
    for _ in range(REPEATS):  # alternating, so the machine's load hurts both alike
        for name, build in builders.items():
            for clock, cpu in (("wall", False), ("cpu", True)):
                keras.utils.set_random_seed(0)
                times[name][clock].append(_epoch_seconds(build(), x, y, cpu=cpu))
    d, h = times["designed"], times["hand_written"]
    return {
        "network": "tutorial",
        "images": len(x),
        "repeats": REPEATS,
        "designed_epoch_wall_s": [round(t, 2) for t in d["wall"]],
        "hand_written_epoch_wall_s": [round(t, 2) for t in h["wall"]],
        "ratio_best_wall": round(min(d["wall"]) / min(h["wall"]), 3),
        "ratio_median_cpu": round(
            statistics.median(d["cpu"]) / statistics.median(h["cpu"]), 3
        ),
        # each designed run against the hand-written run right after it
        "ratio_median_of_pairs_wall": round(
            statistics.median(a / b for a, b in zip(d["wall"], h["wall"], strict=True)),
            3,
        ),
        "threads": threads or "default",
        "load_average": round(os.getloadavg()[0], 2),
    }


def _computing(model) -> list:
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def batch_interleaved_speed(batches: int = 300) -> dict:
    """The two models' training steps interleaved batch by batch (designed, then
    hand-written, on the same batch): a load spike lands on both of a pair, so the
    median of the pairs' ratios measures the models, not the machine."""
    import keras
    import numpy as np

    from digitpad.core.networks.builder import build_keras_model
    from tests.support.legacy_architectures import build_model as hand_written

    x, y = _data(64 * 50)
    models = []
    for build in (
        lambda: build_keras_model(PRESETS[NETWORK].spec),
        lambda: hand_written(NETWORK),
    ):
        keras.utils.set_random_seed(0)
        model = build()
        model.compile(
            optimizer=keras.optimizers.Adam(1e-3),
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
        )
        models.append(model)
    same_configs = all(
        {k: v for k, v in a.get_config().items() if k != "name"}
        == {k: v for k, v in b.get_config().items() if k != "name"}
        for a, b in zip(*(_computing(model) for model in models), strict=True)
    )
    times = [[], []]
    for step in range(batches + 20):
        start = (step % 50) * 64
        xb, yb = x[start : start + 64], y[start : start + 64]
        for i, model in enumerate(models):
            started = time.perf_counter()
            model.train_on_batch(xb, yb)
            if step >= 20:  # the first steps trace the graphs
                times[i].append(time.perf_counter() - started)
    d, h = np.array(times[0]), np.array(times[1])
    return {
        "network": NETWORK,
        "batches": batches,
        "layer_configs_identical": same_configs,
        "designed_batch_ms_median": round(float(np.median(d)) * 1000, 2),
        "hand_written_batch_ms_median": round(float(np.median(h)) * 1000, 2),
        "ratio_of_medians": round(float(np.median(d) / np.median(h)), 3),
        "ratio_median_of_pairs": round(float(np.median(d / h)), 3),
        "load_average": round(os.getloadavg()[0], 2),
    }


def calibrate() -> dict:
    """Seconds per image of one epoch for every preset; least squares for constants."""
    import numpy as np

    from digitpad.core.networks.builder import build_keras_model

    x, y = _data(TRAIN_IMAGES)
    rows, measured = [], {}
    for name, preset in PRESETS.items():
        analysis = analyze(preset.spec)
        model = build_keras_model(preset.spec)
        seconds = _epoch_seconds(model, x, y, cpu=True) / len(x)
        measured[name] = {
            "ms_per_image": round(seconds * 1000, 4),
            "macs": analysis.total_macs,
            "values": analysis.values,
        }
        rows.append((analysis.total_macs, analysis.values, 1.0, seconds))
    a = np.array([r[:3] for r in rows], dtype=float)
    b = np.array([r[3] for r in rows])
    coef = _relative_fit(a, b)
    for entry, row in zip(measured.values(), a, strict=True):
        entry["estimate_ms"] = round(float(row @ coef) * 1000, 4)
    return {
        "images": len(x),
        "presets": measured,
        "SECONDS_PER_MAC": float(f"{coef[0]:.3g}"),
        "SECONDS_PER_VALUE": float(f"{coef[1]:.3g}"),
        "SECONDS_PER_IMAGE": float(f"{coef[2]:.3g}"),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _relative_fit(a, b):
    """Non-negative constants minimising the *relative* error of the estimate (a cheap
    network's time matters as much as a dear one's): least squares on every subset of
    the three terms, the best one whose constants are all >= 0."""
    import itertools

    import numpy as np

    weighted = a / b[:, None]
    scale = weighted.max(axis=0)
    best, best_error = np.zeros(3), float("inf")
    for size in range(1, 4):
        for cols in itertools.combinations(range(3), size):
            part = (weighted / scale)[:, list(cols)]
            solution, *_ = np.linalg.lstsq(part, np.ones(len(b)), rcond=None)
            if (solution < 0).any():
                continue
            coef = np.zeros(3)
            coef[list(cols)] = solution / scale[list(cols)]
            error = float(np.sum((weighted @ coef - 1) ** 2))
            if error < best_error:
                best, best_error = coef, error
    return best


def main() -> None:
    if "--calibrate" in sys.argv:
        print(json.dumps(calibrate(), indent=1))
        return
    parts = {
        "invalid_specs": invalid_one_line,
        "edit": edit_time,
        "arch_show": arch_show_time,
        "valid_specs": valid_against_keras,
        "training": training_speed,
        "training_interleaved": batch_interleaved_speed,
    }
    chosen = [arg for arg in sys.argv[1:] if arg in parts] or list(parts)
    result = {name: parts[name]() for name in chosen}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
