"""Orderings of a weighted sum's terms that a reader can take in at a glance.

A convolution unit of a deep layer adds hundreds of input x weight products and a
dense unit thousands; the view and the command line show the largest contributions
first and summarise the rest. A convolution's terms are grouped per input channel
(one map of the layer before), the way the tutorial describes a filter: one small
patch per input map, their responses added up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ChannelGroup:
    """The terms of one input channel: their indices into the terms and their sum."""

    channel: int
    indices: np.ndarray  # into the Terms arrays, largest |product| first
    total: float


def channel_groups(terms: object) -> list[ChannelGroup]:
    """Per input channel, largest |sum of products| first (one sort, no loop over
    the terms: a Play frame computes this for every window position)."""
    products = terms.products
    if len(products) == 0:
        return []
    channels = terms.sources[:, -1]
    order = np.lexsort((-np.abs(products), channels))
    bounds = np.flatnonzero(np.diff(channels[order])) + 1
    totals = np.bincount(channels, weights=products)
    groups = [
        ChannelGroup(int(channels[part[0]]), part, float(totals[channels[part[0]]]))
        for part in np.split(order, bounds)
    ]
    groups.sort(key=lambda group: -abs(group.total))
    return groups


def largest_terms(terms: object, count: int) -> tuple[np.ndarray, float]:
    """Indices of the ``count`` largest |products| and the sum of all the others."""
    products = terms.products
    if len(products) <= count:
        order = np.argsort(-np.abs(products), kind="stable")
        return order, 0.0
    top = np.argpartition(-np.abs(products), count - 1)[:count]
    top = top[np.argsort(-np.abs(products[top]), kind="stable")]
    return top, float(products.sum() - products[top].sum())
