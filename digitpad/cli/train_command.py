"""``digitpad train``: train a model with a progress bar; Ctrl-C stops cleanly."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from digitpad.core.architectures import ARCHITECTURES
from digitpad.core.errors import TrainingCancelled
from digitpad.core.training import BatchProgress, EpochProgress, TrainConfig


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train a model on MNIST and save it",
        description="Train a network on MNIST and save it (.keras plus metadata, "
        "LiteRT export and kernels). Ctrl-C stops after the current batch and "
        "writes nothing.",
    )
    parser.add_argument("--arch", required=True, choices=sorted(ARCHITECTURES))
    parser.add_argument("--epochs", required=True, type=int)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
    parser.add_argument(
        "--cosine", action="store_true", help="cosine learning-rate decay"
    )
    parser.add_argument(
        "--augment", action="store_true", help="augment (shift, rotation...)"
    )
    parser.add_argument(
        "--average-weights", action="store_true", help="keep an EMA of the weights"
    )
    parser.add_argument("--val-split", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, help="an MNIST .npz (default: Keras's)")
    parser.add_argument(
        "--limit", type=int, help="train on a random subset of N images"
    )
    parser.add_argument(
        "--out", required=True, type=Path, help="where to save (.keras)"
    )
    parser.set_defaults(run=run)


class BarReporter:
    """Feeds training progress to a tqdm bar (tqdm computes rate and ETA)."""

    def __init__(self) -> None:
        self.bar: Any = None

    def batch_ended(self, progress: BatchProgress) -> None:
        if self.bar is None:
            from tqdm import tqdm

            total = progress.epochs * progress.batches
            self.bar = tqdm(
                total=total, unit="batch", file=sys.stderr, dynamic_ncols=True
            )
        self.bar.update(1)
        self.bar.set_description(f"epoch {progress.epoch}/{progress.epochs}")
        self.bar.set_postfix(
            loss=f"{progress.loss:.4f}", acc=f"{progress.accuracy:.4f}"
        )

    def epoch_ended(self, progress: EpochProgress) -> None:
        if progress.val_accuracy is not None and self.bar is not None:
            self.bar.write(
                f"epoch {progress.epoch}: loss {progress.loss:.4f}, "
                f"accuracy {progress.accuracy:.4f}, "
                f"validation accuracy {progress.val_accuracy:.4f}",
                file=sys.stderr,
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class StopOnInterrupt:
    """First Ctrl-C asks training to stop after the batch; a second one aborts."""

    def __init__(self) -> None:
        self.requested = False

    def __enter__(self) -> StopOnInterrupt:
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous)

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print("\nstopping after this batch (Ctrl-C again to abort)", file=sys.stderr)


def _unwritable(out: Path) -> str | None:
    """Why ``out`` cannot be written, checked before a long training run starts."""
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"no permission to write in {folder}"
    if out.is_dir():
        return "is a folder"
    try:  # permissions alone do not tell (root, read-only mounts, /proc)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return f"cannot write in {folder} ({error.strerror})"
    return None


def run(args: argparse.Namespace) -> int:
    try:
        config = TrainConfig(
            architecture=args.arch,
            epochs=args.epochs,
            batch_size=args.batch_size,
            learning_rate=args.lr,
            cosine_decay=args.cosine,
            weight_averaging=args.average_weights,
            augment=args.augment,
            validation_split=args.val_split,
            seed=args.seed,
            limit=args.limit,
            data_path=str(args.data) if args.data else None,
        )
    except ValueError as error:
        print(f"digitpad: {error}", file=sys.stderr)
        return 2
    problem = _unwritable(args.out)
    if problem:
        print(f"digitpad: {args.out}: {problem}", file=sys.stderr)
        return 1
    from digitpad.core.library import training_metadata
    from digitpad.core.modelfile import save_model
    from digitpad.core.training import train

    reporter = BarReporter()
    try:
        with StopOnInterrupt() as interrupt:
            result = train(config, reporter, lambda: interrupt.requested)
    except TrainingCancelled:
        print("digitpad: training cancelled; nothing was written", file=sys.stderr)
        return 130
    finally:
        reporter.close()
    try:
        path = save_model(result.model, args.out, training_metadata(result))
    except OSError as error:
        print(f"digitpad: {args.out}: cannot save ({error.strerror})", file=sys.stderr)
        return 1
    print(
        f"{'MNIST test' if config.data_path is None else 'Test'} accuracy "
        f"{result.test.accuracy:.4f} after {result.seconds:.0f} s"
    )
    print(f"saved {path}")
    return 0
