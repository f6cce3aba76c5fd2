"""Jobs in the one TensorFlow helper: a run's events in order, a saved model, clean
cancel; saliency and conversion in the same process, answered during a run."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from digitpad.core.helpers.tensorflow_helper import TensorFlowHelper
from digitpad.core.models import library, unit_weights
from digitpad.core.models.inference import load_predictor
from digitpad.core.training.job import TrainJob
from digitpad.core.training.trainer import TrainConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def helper():
    """One helper for the module's tests, as the app has one (TensorFlow loads once)."""
    shared = TensorFlowHelper(idle_timeout=600)
    yield shared
    shared.close()


@pytest.fixture
def run(helper):
    def run(job, stop_after: str | None = None) -> list[tuple]:
        process = helper.run(job)
        seen: list[tuple] = []
        try:
            for event in process.events(
                lambda: (
                    stop_after is not None and any(e[0] == stop_after for e in seen)
                ),
                lambda: job.previews,
            ):
                seen.append(event)
        finally:
            process.close()
        return seen

    return run


def test_a_run_reports_progress_previews_and_leaves_a_saved_model(
    run, tmp_path, mnist_path
):
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


def test_stop_ends_the_run_after_a_batch_and_saves_nothing(run, tmp_path, mnist_path):
    config = TrainConfig(epochs=5, limit=3000, data_path=str(mnist_path))
    events = run(TrainJob(config, str(tmp_path), previews=False), stop_after="batches")
    assert events[-1] == ("cancelled",)
    assert not any(e[0] == "epoch" and e[1].epoch == 5 for e in events)
    assert list(tmp_path.iterdir()) == []


def test_bad_data_is_one_line_from_the_helper(run, tmp_path):
    bad = tmp_path / "not-mnist.npz"
    bad.write_bytes(b"not a zip")
    config = TrainConfig(epochs=1, limit=500, data_path=str(bad))
    events = run(TrainJob(config, str(tmp_path), previews=False))
    kind, message = events[-1]
    assert kind == "failed"
    assert "not-mnist.npz" in message and "\n" not in message


def test_a_keras_file_without_its_export_opens_on_litert_via_the_helper(tmp_path):
    """The app never imports TensorFlow to open a foreign .keras: a helper converts."""
    from digitpad.core.models.keras_conversion import load_without_tensorflow
    from digitpad.core.networks.builder import build_preset

    path = tmp_path / "foreign.keras"
    build_preset("tutorial").save(path)  # a plain Keras file: no sidecars at all
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


def test_one_helper_trains_explains_and_converts(
    helper, tmp_path, mnist_path, shipped_predictor
):
    """Every TensorFlow job goes to the same process (one TensorFlow in memory)."""
    from digitpad.core.models.keras_conversion import ConvertJob
    from digitpad.core.models.saliency_process import SaliencyProcess
    from digitpad.core.networks.builder import build_preset as build_model

    image = np.zeros((28, 28), np.float32)
    image[6:22, 13:15] = 1.0
    foreign = tmp_path / "foreign.keras"
    build_model("tutorial").save(foreign)
    config = TrainConfig(epochs=1, limit=300, data_path=str(mnist_path))
    process = helper.run(TrainJob(config, str(tmp_path), previews=False))
    pid = helper.pid
    saliency = SaliencyProcess(helper).explain(shipped_predictor, image, None)
    assert saliency.gradient.shape == (28, 28)
    assert helper.ask(ConvertJob(str(foreign)))[0] == "converted"
    assert helper.pid == pid  # the run's own process answered both
    events = list(process.events(lambda: False, lambda: False))
    process.close()
    assert events[-1] == ("saved",)
    after = SaliencyProcess(helper).explain(shipped_predictor, image, 3)
    assert after.digit == 3  # the fresh helper that took over after the run


def test_saliency_during_a_run_is_answered_between_batches(
    helper, tmp_path, mnist_path, shipped_predictor
):
    """A "Why this digit?" map while training comes within the run, not after it."""
    from digitpad.core.models.saliency_process import SaliencyProcess

    config = TrainConfig(epochs=2, limit=3000, data_path=str(mnist_path))
    process = helper.run(TrainJob(config, str(tmp_path), previews=False))
    answered: list[int] = []  # how many events the run had sent by the answer
    events: list[tuple] = []
    image = np.zeros((28, 28), np.float32)
    image[5:23, 13:16] = 1.0
    asker = None
    try:
        for event in process.events(lambda: False, lambda: False):
            events.append(event)
            if event[0] == "batches" and asker is None:

                def ask() -> None:
                    SaliencyProcess(helper).explain(shipped_predictor, image, None)
                    answered.append(len(events))

                asker = threading.Thread(target=ask)
                asker.start()
    finally:
        process.close()
    asker.join(timeout=120)
    assert events[-1] == ("saved",)
    finished_at = next(i for i, e in enumerate(events) if e[0] == "finished")
    assert answered and answered[0] <= finished_at, (answered, finished_at)
    assert any(e[0] == "batches" for e in events[answered[0] :])  # the run went on
