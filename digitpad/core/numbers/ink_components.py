"""Connected pieces of ink in an image, for reading a number from a picture.

A picture has no strokes; its connected ink components stand in for them. Labelled by
runs (each row's stretches of ink, joined to overlapping stretches of the row above,
8-connected), with numpy and a union-find: no SciPy needed, a few milliseconds for a
canvas-sized image. Very large images are labelled at a reduced size.
"""

from __future__ import annotations

import numpy as np

MAX_SIDE = 640  # label larger images at this size (block max keeps thin strokes)


def label_components(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """An int32 label per pixel (0 background, 1..n components) and n."""
    mask = np.asarray(mask, dtype=bool)
    step = max(1, int(np.ceil(max(mask.shape) / MAX_SIDE)))
    small = _block_any(mask, step) if step > 1 else mask
    labels, count = _label_runs(small)
    if step > 1:
        labels = labels[
            np.arange(mask.shape[0])[:, None] // step,
            np.arange(mask.shape[1])[None, :] // step,
        ]
        labels = np.where(mask, labels, 0).astype(np.int32)
    return labels, count


def _block_any(mask: np.ndarray, step: int) -> np.ndarray:
    h, w = mask.shape
    padded = np.pad(mask, ((0, -h % step), (0, -w % step)))
    return padded.reshape(padded.shape[0] // step, step, -1, step).any(axis=(1, 3))


def _label_runs(mask: np.ndarray) -> tuple[np.ndarray, int]:
    h, w = mask.shape
    edges = np.diff(np.pad(mask, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)  # exclusive; row-major order matches starts
    n = len(rows)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_first = np.searchsorted(rows, np.arange(h + 1))
    for row in range(1, h):
        above = range(row_first[row - 1], row_first[row])
        if not above:
            continue
        j = above.start
        for i in range(row_first[row], row_first[row + 1]):
            # runs of the row above touching run i, diagonals included
            while j < above.stop and ends[j] < starts[i]:
                j += 1
            k = j
            while k < above.stop and starts[k] <= ends[i]:
                a, b = find(i), find(k)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                k += 1
    roots = np.array([find(i) for i in range(n)], dtype=np.int64)
    unique, compact = np.unique(roots, return_inverse=True)
    labels = np.zeros((h, w), dtype=np.int32)
    for row, start, end, label in zip(rows, starts, ends, compact + 1, strict=True):
        labels[row, start:end] = label
    return labels, len(unique)
