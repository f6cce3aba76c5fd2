"""``digitpad finetune``: teach a model one person's handwriting from their drawings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from digitpad.cli.train_command import run_and_save


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "finetune",
        help="fine-tune a model on your own labelled drawings",
        description="Fine-tune a model (default: the shipped one) on a JSON list of "
        'labelled drawings (the drawing format plus "label"; at least one of every '
        "digit), with MNIST mixed in so it keeps reading other people's digits. "
        "Ctrl-C stops after the current batch and writes nothing.",
    )
    parser.add_argument(
        "--samples", required=True, type=Path, help="labelled drawings (JSON list)"
    )
    parser.add_argument(
        "--model", type=Path, help="the .keras model to start from (default: shipped)"
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="where to save (.keras)"
    )
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--folds",
        type=int,
        default=0,
        help="also measure the samples by k-fold cross-validation (k extra runs)",
    )
    parser.add_argument(
        "--repeats", type=int, default=12, help="variants of each drawing per epoch"
    )
    parser.add_argument(
        "--replay", type=float, default=3.0, help="MNIST images per variant"
    )
    parser.add_argument("--data", type=Path, help="an MNIST .npz (default: Keras's)")
    parser.add_argument(
        "--mnist-test",
        type=int,
        metavar="N",
        default=5000,
        help="measure MNIST before and after on a random N of its 10,000 test "
        "images (default 5000, to stay quick; 10000 for all)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from digitpad.core.handwriting.finetune import FinetuneConfig, check_samples
    from digitpad.core.handwriting.labelled import read_labelled_list

    try:
        config = FinetuneConfig(
            epochs=args.epochs,
            seed=args.seed,
            repeats=args.repeats,
            replay_ratio=args.replay,
            folds=args.folds,
            mnist_test_limit=args.mnist_test,
            data_path=str(args.data) if args.data else None,
        )
    except ValueError as error:  # a bad option value: one line, like a bad file
        print(f"digitpad: {error}", file=sys.stderr)
        return 1
    pairs, _ = read_labelled_list(args.samples)  # strict: the first problem stops
    drawings = [drawing for drawing, _ in pairs]
    labels = [label for _, label in pairs]
    check_samples(drawings, labels)
    from digitpad.core.handwriting.finetune import finetune, finetune_metadata
    from digitpad.core.models.modelfile import (
        check_save_targets,
        load_keras_model,
        read_metadata,
    )
    from digitpad.core.paths import shipped_model_path
    from digitpad.core.training.data import load_mnist

    out = check_save_targets(args.out)  # every file the save writes, before training
    base_path = args.model or shipped_model_path()
    data = load_mnist(config.data_path)  # a bad MNIST file fails before TensorFlow
    base = load_keras_model(base_path)
    status, result = run_and_save(
        lambda reporter, stop: finetune(
            base, drawings, labels, config, reporter, stop, data
        ),
        lambda result: finetune_metadata(result, base_path, read_metadata(base_path)),
        out,
    )
    if result is None:
        return status
    print(_summary(result))
    print(f"saved {out}")
    return 0


def _summary(result) -> str:
    lines = [
        f"fine-tuned on {result.sample_count} drawings in {result.seconds:.0f} s",
        f"MNIST test accuracy {result.mnist_before.accuracy:.4f} -> "
        f"{result.mnist_after.accuracy:.4f} ({result.mnist_after.count} images)",
    ]
    if result.own_after is not None:
        lines.append(
            f"your drawings (cross-validated, {len(result.folds)} folds): "
            f"{result.own_before.accuracy:.4f} -> {result.own_after.accuracy:.4f}; "
            f"now reads {len(result.now_reads)}, "
            f"no longer reads {len(result.no_longer_reads)}"
        )
    else:
        lines.append(
            f"your drawings, base model: {result.own_before.accuracy:.4f} "
            "(use --folds 5 for an honest after, or evaluate --strokes on others)"
        )
    return "\n".join(lines)
