"""Reciprocal-rank fusion on its own, on made-up rankings."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.ask.fusion import rrf


def test_first_rank_scores_one_over_k_plus_one() -> None:
    fused = rrf([[2, 0]], size=3, k=60)
    assert fused[2] == pytest.approx(1 / 61)
    assert fused[0] == pytest.approx(1 / 62)
    assert fused[1] == 0.0


def test_an_item_both_rankings_like_beats_one_only_one_puts_first() -> None:
    lexical = [0, 1, 2]
    dense = [3, 1, 2]
    fused = rrf([lexical, dense], size=4, k=60)
    assert np.argmax(fused) == 1  # second in both beats first in one


def test_empty_rankings_give_zeros() -> None:
    assert rrf([], size=2).tolist() == [0.0, 0.0]
    assert rrf([np.array([], dtype=np.int64)], size=2).tolist() == [0.0, 0.0]


def test_smaller_k_widens_the_gap_between_ranks() -> None:
    wide, flat = rrf([[0, 1]], 2, k=1), rrf([[0, 1]], 2, k=1000)
    assert wide[0] / wide[1] > flat[0] / flat[1]
