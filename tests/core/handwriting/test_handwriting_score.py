"""My handwriting in a comparison: plain accuracy only for a model that never
trained on the drawings; a fine-tuned model shows its cross-validated figure."""

from __future__ import annotations

from digitpad.core.handwriting.handwriting_score import handwriting_score
from digitpad.core.training.stroke_augment import render_plain
from tests.support.activations import seven, zero


def test_a_model_that_never_saw_the_drawings_reads_them_all_now(shipped_predictor):
    drawings = [seven(), seven(30.0), zero()]
    labels = [7, 7, 1]  # the zero is labelled 1: the model must get it "wrong"
    read = shipped_predictor.predict_probabilities(render_plain(drawings))
    expected = sum(int(d == y) for d, y in zip(read.argmax(1), labels, strict=True))

    score = handwriting_score(shipped_predictor, {"training": {}}, drawings, labels)

    assert score.count == 3 and score.how == "read now"
    assert score.accuracy == expected / 3
    assert score.accuracy < 1


def test_a_fine_tuned_model_shows_its_cross_validated_accuracy(shipped_predictor):
    metadata = {
        "training": {"kind": "finetune", "user_accuracy_after_cross_validated": 0.9},
        "user_samples": 40,
    }
    # it trained on these very drawings: reading them now would flatter it
    score = handwriting_score(shipped_predictor, metadata, [seven()], [7])
    assert (score.accuracy, score.count) == (0.9, 40)
    assert "cross-validated" in score.text()

    del metadata["training"]["user_accuracy_after_cross_validated"]
    unknown = handwriting_score(shipped_predictor, metadata, [seven()], [7])
    assert unknown.accuracy is None and unknown.text().startswith("n/a")


def test_no_drawings_no_figure(shipped_predictor):
    score = handwriting_score(shipped_predictor, {}, [], [])
    assert score.accuracy is None and "no drawings" in score.text()
