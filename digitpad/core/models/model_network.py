"""The network a DigitPad ``.keras`` file was built from, read without TensorFlow.

Its metadata sidecar records the spec (or, for older models, the preset); a model
copied without its sidecar still has its archive's Keras config, which
``archive_network`` reads back. Both sources are untrusted and checked like any spec
file. The designer opens a model's network through here, and so can the CLI.
"""

from __future__ import annotations

from pathlib import Path

from digitpad.core.bounded_io import is_regular_file
from digitpad.core.models.metadata import read_metadata_checked
from digitpad.core.networks.recorded import recorded_or_error, spec_from_metadata
from digitpad.core.networks.spec import NetworkSpec, SpecError


def model_network(path: str | Path) -> NetworkSpec:
    """The spec of the model at ``path``; ``SpecError`` (one line) if it has none."""
    path = Path(path)
    if not is_regular_file(path):
        raise SpecError(f"{path}: no such model file")
    metadata, problem = read_metadata_checked(path)
    if not problem and spec_from_metadata(metadata) is not None:
        return recorded_or_error(metadata, str(path))
    # only for a model without its sidecar: ``digitpad arch show`` stays quick
    from digitpad.core.models.archive_network import spec_from_archive

    return spec_from_archive(path)
