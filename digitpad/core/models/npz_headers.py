"""The arrays an ``.npz`` claims to hold, read from their headers alone.

Sidecar files (kernels, weights) are untrusted: a tiny file can claim a huge array.
Reading each member's header first lets a caller refuse it before ``np.load``
allocates anything.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import numpy as np


def array_headers(data: bytes) -> Iterator[tuple[tuple[int, ...], np.dtype]]:
    """(shape, dtype) of every member of the ``.npz`` in ``data``, data unread.

    Raises what ``zipfile`` and ``np.lib.format`` raise on a broken file
    (``zipfile.BadZipFile``, ``ValueError``, ``EOFError``).
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            with archive.open(member) as handle:
                version = np.lib.format.read_magic(handle)
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, dtype = read_header(handle)
            yield shape, dtype
