"""The spec a saved model records, so opening a DigitPad model shows its network.

Models kept since specs exist carry theirs in the metadata (``"network"``); older ones
(the shipped model among them) name a preset (``"architecture"``), whose spec is the
network they were built from. Metadata is untrusted, so the recorded spec is checked
like any spec file.
"""

from __future__ import annotations

from typing import Any

from digitpad.core.networks.presets import PRESETS
from digitpad.core.networks.spec import NetworkSpec, SpecError, parse_spec

NETWORK_KEY = "network"


def spec_from_metadata(metadata: dict[str, Any]) -> NetworkSpec | None:
    """The network a model's metadata records, or None when it records none.

    ``SpecError`` when it records one that is not a valid spec.
    """
    recorded = metadata.get(NETWORK_KEY)
    if recorded is not None:
        return parse_spec(recorded)
    architecture = metadata.get("architecture")
    if isinstance(architecture, str) and architecture in PRESETS:
        return PRESETS[architecture].spec
    return None


def recorded_or_error(metadata: dict[str, Any], source: str) -> NetworkSpec:
    """``spec_from_metadata``, with a one-line ``SpecError`` naming ``source`` instead
    of None or a bad spec."""
    try:
        spec = spec_from_metadata(metadata)
    except SpecError as error:
        raise SpecError(f"{source}: its recorded network: {error}") from None
    if spec is None:
        raise SpecError(f"{source}: it records no DigitPad network spec")
    return spec
