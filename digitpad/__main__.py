"""``digitpad`` and ``python -m digitpad``: a subcommand runs the CLI, none the app."""

from __future__ import annotations

import sys

CLI_OPTIONS = {"-h", "--help", "--version"}


def main(argv: list[str] | None = None) -> int:
    """Dispatch without importing Qt for the CLI or TensorFlow for the app."""
    args = sys.argv[1:] if argv is None else argv
    if args and (args[0] in CLI_OPTIONS or not args[0].startswith("-")):
        from digitpad.cli import main as cli_main

        return cli_main(args)
    from digitpad.gui import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
