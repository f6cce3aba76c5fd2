"""``digitpad train``: train a model with a progress bar; Ctrl-C stops cleanly."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from digitpad.core.errors import TrainingCancelled
from digitpad.core.training.augment import AugmentConfig
from digitpad.core.training.progress import BatchProgress, EpochProgress
from digitpad.core.training.trainer import TrainConfig


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train a model on MNIST and save it",
        description="Train a network on MNIST and save it (.keras plus metadata, "
        "LiteRT export and kernels). Ctrl-C stops after the current batch and "
        "writes nothing.",
    )
    network = parser.add_mutually_exclusive_group(required=True)
    network.add_argument(
        "--arch",
        metavar="NAME",
        help="a preset (digitpad arch list) or one of your saved designs",
    )
    network.add_argument(
        "--arch-file", type=Path, metavar="SPEC.json", help="a network spec file"
    )
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
        "--stroke-digits",
        type=float,
        default=0.0,
        metavar="RATE",
        help="with --augment, add RATE digits written as pen strokes (flagged 1s, "
        "crossed 7s, hooked 9s...) per MNIST training image (default 0)",
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
        "--start-from",
        type=Path,
        metavar="MODEL",
        help="go on training this .keras model of the same --arch (default: fresh "
        "weights)",
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


STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM") if hasattr(signal, name)
)


class StopOnInterrupt:
    """Ctrl-C or SIGTERM: while training, stop after the batch (a second one
    aborts); while saving (``saving = True``), abort the save at once, so the
    atomic writer and the scratch folder clean up behind it."""

    def __init__(self) -> None:
        self.requested = False
        self.saving = False

    def __enter__(self) -> StopOnInterrupt:
        self.previous = {sig: signal.signal(sig, self._handle) for sig in STOP_SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested or self.saving:
            self.requested = True
            raise KeyboardInterrupt
        self.requested = True
        print("\nstopping after this batch (Ctrl-C again to abort)", file=sys.stderr)


NOTHING_WRITTEN = "digitpad: training cancelled; nothing was written"


def run(args: argparse.Namespace) -> int:
    from digitpad.core.networks.designs import resolve_architecture
    from digitpad.core.networks.spec import keras_model_name, read_spec_file

    # a bad spec is a SpecError: one line naming the layer, exit 1
    if args.arch_file:
        spec = read_spec_file(args.arch_file)
    else:
        spec = resolve_architecture(args.arch)
    try:
        config = TrainConfig(
            spec=spec,
            epochs=args.epochs,
            batch_size=args.batch_size,
            learning_rate=args.lr,
            cosine_decay=args.cosine,
            weight_averaging=args.average_weights,
            augment=args.augment,
            augmentation=AugmentConfig(stroke_digits=args.stroke_digits),
            validation_split=args.val_split,
            seed=args.seed,
            limit=args.limit,
            data_path=str(args.data) if args.data else None,
            start_from=args.start_from.name if args.start_from else None,
        )
    except ValueError as error:
        print(f"digitpad: {error}", file=sys.stderr)
        return 2
    from digitpad.core.models.library import training_metadata
    from digitpad.core.models.modelfile import check_save_targets, read_metadata
    from digitpad.core.training.trainer import train

    out = check_save_targets(args.out)  # every file the save writes, before training
    if args.arch_file:
        _check_spec_survives(args.arch_file, out)
    start_model, start_metadata = None, None
    if args.start_from:
        start_model = _start_model(args.start_from, keras_model_name(spec.name))
        start_metadata = read_metadata(args.start_from)
    status, result = run_and_save(
        lambda reporter, stop: train(config, reporter, stop, start_model=start_model),
        lambda result: training_metadata(result, start_metadata),
        out,
    )
    if result is None:
        return status
    print(
        f"{'MNIST test' if config.data_path is None else 'Test'} accuracy "
        f"{result.test.accuracy:.4f} after {result.seconds:.0f} s"
    )
    print(f"saved {out}")
    return 0


def _check_spec_survives(spec_file: Path, out: Path) -> None:
    """``--arch-file net.json --out net.keras`` would write the model's metadata over
    the spec (``net.keras``'s sidecar is ``net.json``): refused before training."""
    from digitpad.core.errors import ModelFileError
    from digitpad.core.models.modelfile import SIDECAR_KINDS, sidecar

    spec = spec_file.resolve()
    for kind in SIDECAR_KINDS:
        if sidecar(out, kind).resolve() == spec:
            raise ModelFileError(
                out,
                f"saving it would overwrite the spec {spec_file} with the model's "
                "metadata; choose another --out name",
            )


def _start_model(path: Path, architecture: str) -> Any:
    """The model to go on training: loaded safely, and of the architecture asked for."""
    from digitpad.core.errors import ModelFileError
    from digitpad.core.models.modelfile import load_keras_model

    model = load_keras_model(path)
    if model.name != architecture:
        raise ModelFileError(
            path, f"it is a '{model.name}' network, not '{architecture}' (--arch)"
        )
    return model


def run_and_save(
    work: Callable[[BarReporter, Callable[[], bool]], Any],
    metadata_of: Callable[[Any], dict[str, Any]],
    out: Path,
) -> tuple[int, Any]:
    """Train (``work``), then save ``result.model`` to ``out``: all or nothing.

    Ctrl-C or SIGTERM while training (or during its final evaluation) writes nothing;
    while saving, the set of files is either written whole or not at all. Returns the
    exit status and the result (None when nothing was saved).
    """
    from digitpad.core.models.modelfile import read_metadata, save_model

    reporter = BarReporter()
    with StopOnInterrupt() as interrupt:
        try:
            result = work(reporter, lambda: interrupt.requested)
        except (TrainingCancelled, KeyboardInterrupt):
            reporter.close()
            print(NOTHING_WRITTEN, file=sys.stderr)
            return 130, None
        finally:
            reporter.close()
        if interrupt.requested:  # during the final evaluation, after the last poll
            print(NOTHING_WRITTEN, file=sys.stderr)
            return 130, None
        metadata = metadata_of(result)
        interrupt.saving = True
        try:
            save_model(result.model, out, metadata)
        except KeyboardInterrupt:
            if read_metadata(out).get("created") == metadata["created"]:
                print(f"digitpad: interrupted; {out} was saved", file=sys.stderr)
            else:
                print(NOTHING_WRITTEN, file=sys.stderr)
            return 130, None
        except OSError as error:
            print(f"digitpad: {out}: cannot save ({error.strerror})", file=sys.stderr)
            return 1, None
    return 0, result
