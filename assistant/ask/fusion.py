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
