"""``digitpad arch show|list``: a network's layers, shapes and parameters, no TF.

``show`` takes a preset's or a saved design's name, a spec file (``.json``) or a
DigitPad model (``.keras``, whose metadata records its network); ``--json`` prints the
rows as data and ``--keras`` the Keras script that builds the network.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitpad.core.networks.spec import NetworkSpec


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "arch",
        help="show a network's layers, shapes and parameters; list the networks",
        description="Show a network (a preset, a saved design, a spec file or a "
        "DigitPad .keras model) layer by layer, or list the presets and designs.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser(
        "show", help="layers, output shapes and parameters of one network"
    )
    show.add_argument("network", metavar="NAME|SPEC.json|MODEL.keras")
    output = show.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the rows as JSON")
    output.add_argument(
        "--keras", action="store_true", help="print the Keras code that builds it"
    )
    show.set_defaults(run=run_show)
    listing = actions.add_parser("list", help="the presets and your saved designs")
    listing.set_defaults(run=run_list)


def resolve_network(target: str) -> NetworkSpec:
    """A spec from a name, a spec file or a model file (``SpecError`` otherwise)."""
    from digitpad.core.networks.presets import PRESETS
    from digitpad.core.networks.spec import read_spec_file

    path = Path(target)
    if path.suffix.lower() == ".keras":
        return _model_spec(path)
    if path.suffix.lower() == ".json" or path.exists():
        return read_spec_file(path)
    if target in PRESETS:  # without the user data folder's imports: answers sooner
        return PRESETS[target].spec
    from digitpad.core.networks.designs import resolve_architecture

    return resolve_architecture(target)


def _model_spec(path: Path) -> NetworkSpec:
    """The network a model records in its metadata, else the one its archive's
    config describes (a model copied without its sidecar)."""
    from digitpad.core.models.model_network import model_network

    return model_network(path)


def run_show(args: argparse.Namespace) -> int:
    from digitpad.core.networks.shapes import analyze

    spec = resolve_network(args.network)
    if args.keras:
        from digitpad.core.networks.keras_code import keras_code

        sys.stdout.write(keras_code(spec))
        return 0
    from digitpad.core.networks.summary import summary_data, summary_table

    analysis = analyze(spec)
    if args.json:
        json.dump(summary_data(spec, analysis), sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(summary_table(spec, analysis))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from digitpad.core.networks.designs import designs_dir, list_designs
    from digitpad.core.networks.presets import PRESETS
    from digitpad.core.networks.shapes import analyze

    listing = list_designs()
    rows = [
        ("preset", name, p.title, analyze(p.spec).total_params)
        for name, p in PRESETS.items()
    ]
    rows += [
        ("design", s.name, f"{len(s.layers)} layers", analyze(s).total_params)
        for s in listing.specs
    ]
    width = max(len(row[1]) for row in rows)
    for kind, name, title, params in rows:
        print(f"{kind:<7} {name:<{width}}  {params:>9,} parameters  {title}")
    if not listing.specs:
        print(f"(no saved designs in {designs_dir()})")
    for line in listing.skipped:
        print(f"digitpad: skipped {line}", file=sys.stderr)
    return 0
