"""Training in the helper process: events in order, a saved model, clean cancel."""

from __future__ import annotations

import pytest

from digitpad.core.helpers.tensorflow_process import TensorFlowProcess
from digitpad.core.models import library, unit_weights
from digitpad.core.models.inference import load_predictor
from digitpad.core.training.job import TrainJob
from digitpad.core.training.trainer import TrainConfig

pytestmark = pytest.mark.slow


def run(job: TrainJob, stop_after: str | None = None) -> list[tuple]:
    process = TensorFlowProcess()
    process.start(job)
    seen: list[tuple] = []
    try:
        for event in process.events(
            lambda: stop_after is not None and any(e[0] == stop_after for e in seen),
            lambda: job.previews,
        ):
            seen.append(event)
    finally:
        process.close()
    return seen


def test_a_run_reports_progress_previews_and_leaves_a_saved_model(tmp_path, mnist_path):
    config = TrainConfig(epochs=2, limit=600, data_path=str(mnist_path))
    events = run(TrainJob(config, str(tmp_path), previews=True))
    kinds = [e[0] for e in events]
    assert kinds[0] == "ready" and kinds[-2:] == ["finished", "saved"], kinds
    assert [e[1].epoch for e in events if e[0] == "epoch"] == [1, 2]
    assert [e[1] for e in events if e[0] == "preview"] == [1, 2]
    preview = next(e for e in events if e[0] == "preview")
    assert unit_weights.decode(preview[5]).layer("conv1").kind == "Conv2D"
    batches = [b for e in events if e[0] == "batches" for b in e[1]]
    assert batches[-1].epoch == 2 and batches[-1].batch == batches[-1].batches

    run_ = events[-2][1]
    assert run_.result.model is None  # the model stayed in the helper, on disk
    assert 0 <= run_.result.test.accuracy <= 1
    assert len(run_.wrong_true) == len(run_.wrong_images)
    predictor = load_predictor(run_.path)
    assert predictor.backend == "LiteRT"

    kept = library.keep_saved(run_.path, tmp_path / "library")
    assert kept.path.parent == tmp_path / "library"
    assert load_predictor(kept.path).backend == "LiteRT"
    assert not any(tmp_path.glob("*.keras"))  # moved, not copied


def test_stop_ends_the_run_after_a_batch_and_saves_nothing(tmp_path, mnist_path):
    config = TrainConfig(epochs=5, limit=3000, data_path=str(mnist_path))
    events = run(TrainJob(config, str(tmp_path), previews=False), stop_after="batches")
    assert events[-1] == ("cancelled",)
    assert not any(e[0] == "epoch" and e[1].epoch == 5 for e in events)
    assert list(tmp_path.iterdir()) == []


def test_bad_data_is_one_line_from_the_helper(tmp_path):
    bad = tmp_path / "not-mnist.npz"
    bad.write_bytes(b"not a zip")
    config = TrainConfig(epochs=1, limit=500, data_path=str(bad))
    events = run(TrainJob(config, str(tmp_path), previews=False))
    kind, message = events[-1]
    assert kind == "failed"
    assert "not-mnist.npz" in message and "\n" not in message


def test_a_keras_file_without_its_export_opens_on_litert_via_the_helper(tmp_path):
    """The app never imports TensorFlow to open a foreign .keras: a helper converts."""
    import numpy as np

    from digitpad.core.models.keras_conversion import load_without_tensorflow
    from digitpad.core.networks.architectures import build_model

    path = tmp_path / "foreign.keras"
    build_model("tutorial").save(path)  # a plain Keras file: no sidecars at all
    predictor = load_without_tensorflow(path)
    assert predictor.backend == "LiteRT" and predictor.path == path
    assert predictor.layer_names[0] == "conv1" and "conv1" in predictor.kernels()
    assert predictor.unit_weights().layer("conv1").inputs  # the helper sent weights
    image = np.zeros((28, 28), np.float32)
    image[6:22, 13:15] = 1.0
    reference = load_predictor(path, backend="tensorflow").predict(image)
    np.testing.assert_allclose(
        predictor.predict(image).probabilities, reference.probabilities, atol=1e-5
    )


def test_a_broken_keras_file_is_one_line_from_the_helper(tmp_path):
    from digitpad.core.errors import DigitPadError
    from digitpad.core.models.keras_conversion import load_without_tensorflow

    path = tmp_path / "broken.keras"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DigitPadError) as caught:
        load_without_tensorflow(path)
    assert "broken.keras" in str(caught.value) and "\n" not in str(caught.value)
