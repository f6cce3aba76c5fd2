"""``digitpad predict|train|evaluate|finetune|arch|explain|compare``: the CLI.

Every failure a user can cause (a missing file, a corrupt model, an empty drawing) ends
as one line on stderr naming the file and the problem, and a non-zero exit; never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from digitpad import __version__
from digitpad.core.errors import DigitPadError
from digitpad.core.helpers.availability import UNAVAILABLE_SHORT, tensorflow_missing

EXIT_ERROR = 1
EXIT_INTERRUPTED = 130
NEEDS_TENSORFLOW = ("train", "finetune")  # the lean bundle lists them as unavailable


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole CLI, or (``only="arch"``) just ``arch``: it must answer at once, so it
    does not import the other commands' numpy, model and data modules."""
    missing = tensorflow_missing()
    parser = argparse.ArgumentParser(
        prog="digitpad",
        description="Draw digits and watch a CNN read them. "
        "Without a command, opens the app.",
        epilog=missing,  # the lean bundle says up front what it cannot do
    )
    parser.add_argument(
        "--version", action="version", version=f"digitpad {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    if only == "arch":
        from digitpad.cli import arch_command

        arch_command.add_parser(commands)
        return parser
    from digitpad.cli import (
        arch_command,
        compare_command,
        evaluate_command,
        explain_command,
        finetune_command,
        predict_command,
        train_command,
    )

    predict_command.add_parser(commands)
    train_command.add_parser(commands)
    evaluate_command.add_parser(commands)
    finetune_command.add_parser(commands)
    arch_command.add_parser(commands)
    explain_command.add_parser(commands)
    compare_command.add_parser(commands)
    if missing is not None:
        for action in commands._choices_actions:
            if action.dest in NEEDS_TENSORFLOW:
                action.help = f"{action.help} [unavailable: {UNAVAILABLE_SHORT}]"
    return parser


def quiet_tensorflow() -> None:
    """Keep TensorFlow's C++ and absl chatter off the user's terminal."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("GRPC_VERBOSITY", "ERROR")


def fail(message: str) -> int:
    """Print one error line (no traceback) and return the error exit code."""
    print(f"digitpad: {message}", file=sys.stderr)
    return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser("arch" if arguments[:1] == ["arch"] else None)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in NEEDS_TENSORFLOW and (missing := tensorflow_missing()):
        return fail(missing)
    quiet_tensorflow()
    try:
        return args.run(args)
    except DigitPadError as error:
        return fail(str(error))
    except BrokenPipeError:  # e.g. piped into `head`: the reader has gone, stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except MemoryError:
        return fail("out of memory")
