"""Reciprocal-rank fusion: several rankings of the same items become one score per item.

As in pyserini's ``fusion``: an item ranked r-th (0-based) in a ranking gets ``1 / (k + r + 1)``
from it, and its fused score is the sum over rankings. ``k`` (60 in the literature) damps the
difference between the first few ranks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rrf(rankings: Sequence[Sequence[int] | np.ndarray], size: int, k: int = 60) -> np.ndarray:
    """Fused scores over ``size`` items from rankings given as item indices, best first."""
    fused = np.zeros(size, dtype=np.float64)
    for ranking in rankings:
        order = np.asarray(ranking, dtype=np.int64)
        if order.size:
            fused[order] += 1.0 / (k + np.arange(order.size) + 1)
    return fused


def top_order(values: np.ndarray, k: int, floor: float) -> np.ndarray:
    """``np.argsort(-values)[:k]``, without sorting every item when the answer does not depend on how
    the sort breaks ties.

    Only the order of items scoring above ``floor`` matters to the caller (below it an item counts
    for nothing). A partial sort finds the best ``k + 1``; when those above ``floor`` are all distinct
    their order is the only possible one, and it is returned. Otherwise the full sort runs, so a tie
    is broken exactly as it always was.
    """
    n = len(values)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    neg = -np.asarray(values)
    if n <= 4 * (k + 1):
        return np.argsort(neg)[:k]
    best = np.argpartition(neg, k)[: k + 1]
    best = best[np.argsort(neg[best], kind="stable")]
    shown = neg[best]
    counted = shown < -floor
    if np.any((shown[1:] == shown[:-1]) & counted[1:]):
        return np.argsort(neg)[:k]
    return best[:k]
