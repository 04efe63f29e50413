"""Reciprocal-rank fusion on its own, on made-up rankings."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.ask.fusion import rrf, top_order


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


@pytest.mark.parametrize("case", ["distinct", "ties-above-floor", "ties-below-floor", "masked", "few-above-floor", "small"])
def test_top_order_is_the_full_sorts_order_wherever_it_counts(case: str) -> None:
    rng = np.random.default_rng(7)
    for trial in range(50):
        n, k, floor = (30 if case == "small" else 5000), 40, 0.0
        x = rng.normal(size=n).astype(np.float32)
        if case == "ties-above-floor":
            x = np.round(x, 1)  # many equal scores among the best
        elif case == "ties-below-floor":
            x = np.where(x > 2.0, x, 0.0).astype(np.float32)  # only a few count; the rest tie at 0
        elif case == "masked":
            floor = -2.0
            x = np.where(rng.random(n) < 0.5, x / 10, -2.0).astype(np.float32)
        elif case == "few-above-floor":
            x = np.where(rng.random(n) < 0.002, np.abs(x) + 1, 0.0).astype(np.float32)
        full = np.argsort(-x)[:k]
        got = top_order(x, k, floor)
        counted = x[full] > floor
        assert len(got) == len(full)
        # Items that count come first, in the same order; those that don't may differ.
        assert got[counted].tolist() == full[counted].tolist(), (case, trial)
        assert (x[got] > floor).tolist() == counted.tolist()
