"""scripts/calibrate.py's logistic fit and its L2 penalty, on small made-up evidence (no eval set is run)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "calibrate.py"


@pytest.fixture(scope="module")
def calibrate():
    spec = importlib.util.spec_from_file_location("calibrate_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_fit_recovers_the_direction_of_the_evidence(calibrate) -> None:
    rng = np.random.default_rng(13)
    x = rng.normal(size=(400, 2))
    y = (rng.random(400) < 1 / (1 + np.exp(-(2.0 * x[:, 0] - 1.0 * x[:, 1] + 0.5)))).astype(float)
    w = calibrate.fit_logistic(x, y)
    assert w[0] == pytest.approx(2.0, abs=0.5) and w[1] == pytest.approx(-1.0, abs=0.4) and w[2] == pytest.approx(0.5, abs=0.4)


def test_a_larger_l2_keeps_few_cases_from_driving_the_weights_apart(calibrate) -> None:
    # Twelve abstaining cases, two features that say the same thing: at a small penalty the fit splits them into
    # large weights of opposite sign; the penalty --abstain-l2 defaults to keeps them small and alike.
    x = np.array([[0.0, 0.1], [0.2, 0.2], [0.4, 0.5], [0.6, 0.5], [0.8, 0.9], [1.0, 1.0],
                  [0.1, 0.0], [0.3, 0.3], [0.5, 0.4], [0.7, 0.8], [0.9, 0.8], [1.0, 0.9]])
    y = np.array([0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1], dtype=float)
    small = calibrate.fit_logistic(x, y, l2=1e-2)
    large = calibrate.fit_logistic(x, y, l2=1.0)
    assert np.abs(large[:2]).max() < np.abs(small[:2]).max()
    assert abs(large[0] - large[1]) < abs(small[0] - small[1])


def test_the_abstention_penalty_is_a_described_option_defaulting_to_one(calibrate) -> None:
    parser = calibrate.build_parser()
    assert parser.parse_args([]).abstain_l2 == 1.0
    assert parser.parse_args(["--abstain-l2", "0.1"]).abstain_l2 == 0.1
    assert "abstention regression" in parser.format_help()
