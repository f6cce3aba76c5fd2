"""Single-image latency with all activations: LiteRT vs tf.function vs model.predict.

Run: ``python tests/benchmarks/bench_inference.py [MODEL]``; prints one JSON object.
All three run on the same model in the same process, so the ratios are fair.
Targets (issue 3): LiteRT median <= 0.2 ms and >= 100x faster than model.predict.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def median_ms(call, image: np.ndarray, repeats: int) -> float:
    for _ in range(min(50, repeats)):
        call(image)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call(image)
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1e3)


def main() -> None:
    from digitpad.core.models.inference import load_predictor
    from digitpad.core.models.modelfile import load_keras_model
    from digitpad.core.paths import shipped_model_path

    path = sys.argv[1] if len(sys.argv) > 1 else str(shipped_model_path())
    image = np.random.default_rng(0).random((28, 28), dtype=np.float32)
    litert = load_predictor(path, backend="litert")
    tf_function = load_predictor(path, backend="tensorflow")
    model = load_keras_model(path)
    batch = image[None, ..., None]
    results = {
        "model": path,
        "layers": len(litert.layer_names),
        "litert_all_activations_ms": median_ms(litert.predict, image, 3000),
        "tf_function_all_activations_ms": median_ms(tf_function.predict, image, 1000),
        "keras_model_predict_ms": median_ms(
            lambda _: model.predict(batch, verbose=0), image, 100
        ),
    }
    results["speedup_litert_vs_model_predict"] = (
        results["keras_model_predict_ms"] / results["litert_all_activations_ms"]
    )
    results["speedup_tf_function_vs_model_predict"] = (
        results["keras_model_predict_ms"] / results["tf_function_all_activations_ms"]
    )
    results["target_met"] = (
        results["litert_all_activations_ms"] <= 0.2
        and results["speedup_litert_vs_model_predict"] >= 100
    )
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
