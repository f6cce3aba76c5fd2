"""Strokes that go over another stroke's ink again: one line, not two digits.

Grouping strokes into digits looks at their extents; a stroke retraced a few pixels
beside itself has two extents that barely overlap, so a 1 traced twice read as "11".
Here a stroke whose points lie mostly on a longer stroke's ink is found first and
joins that stroke's digit (``number_reading.group_strokes``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RETRACE_SHARE = 0.8  # this share of a stroke's points on another's ink: a retrace
RETRACE_REACH = 0.75  # "on its ink": within this many pen widths of its path
MAX_RETRACE_POINTS = 300_000  # point-segment pairs per stroke pair (memory ~5 MB)
MAX_HOSTS = 8  # longer strokes compared with each stroke, at most


def retraced(strokes: Sequence[np.ndarray], pen_width: float) -> list[int]:
    """For each stroke, the stroke whose ink it goes over again, or itself.

    A 1 traced twice is one 1, however exactly the second stroke lands: two thin
    strokes a few pixels apart overlap by less than any width rule can see, yet
    their ink is one line. A stroke whose points lie (mostly) on a longer stroke's
    ink adds no digit; it belongs to that stroke's. Longest strokes first; each is
    compared with at most ``MAX_HOSTS`` longer ones whose box holds it, so a
    canvas of 1,600 dots costs milliseconds, not a comparison of every pair.
    """
    count = len(strokes)
    if count < 2:
        return list(range(count))
    reach = RETRACE_REACH * pen_width
    low = np.array([s.min(axis=0) for s in strokes])
    high = np.array([s.max(axis=0) for s in strokes])
    lengths = [_path_length(s) for s in strokes]
    order = sorted(range(count), key=lambda i: (-lengths[i], i))
    host = list(range(count))
    roots = np.empty(count, dtype=np.int64)
    found = 0
    for index in order:
        kept = roots[:found]
        holds = (low[index] >= low[kept] - reach).all(axis=1) & (
            high[index] <= high[kept] + reach
        ).all(axis=1)
        for root in kept[holds][:MAX_HOSTS].tolist():
            if _share_near(strokes[index], strokes[root], reach) >= RETRACE_SHARE:
                host[index] = root
                break
        else:
            roots[found] = index
            found += 1
    return host


def _path_length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0.0


def _share_near(points: np.ndarray, path: np.ndarray, reach: float) -> float:
    """The share of ``points`` within ``reach`` of the polyline ``path``."""
    if len(points) * max(len(path) - 1, 1) > MAX_RETRACE_POINTS:
        return 0.0  # too big to compare: treated as new ink, as before
    if len(path) == 1:
        distance = np.hypot(*(points - path[0]).T)
    else:
        a, b = path[:-1], path[1:]
        step = b - a
        square = np.maximum((step * step).sum(axis=1), 1e-12)
        along = ((points[:, None, :] - a) * step).sum(axis=2) / square
        nearest = a + np.clip(along, 0.0, 1.0)[:, :, None] * step
        distance = np.hypot(*(points[:, None, :] - nearest).transpose(2, 0, 1)).min(
            axis=1
        )
    return float((distance <= reach).mean())
