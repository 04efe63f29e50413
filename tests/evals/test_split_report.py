"""Dev and test side by side, refusals, turns cited per answer, and calibration metrics, on made-up results."""

from __future__ import annotations

import pytest

from assistant.evals.metrics import ConfigRun, SetRun, calibration_metrics, compute_metrics
from assistant.evals.report import format_split_table, render_report
from assistant.evals.score import CaseResult


def case(cid: str, passed: bool, confidence: float | None = None, abstained: bool = False, expect_abstain: bool = False, cited: int = 1) -> CaseResult:
    return CaseResult(id=cid, question="q?", passed=passed, reasons=[] if passed else ["wrong"], abstained=abstained,
                      expect_abstain=expect_abstain, confidence=confidence,
                      citations=[{"turn_id": f"d#{i}", "speaker": "X", "ok": True} for i in range(0 if abstained else cited)])


def set_run(name: str, split: str, results: list[CaseResult]) -> SetRun:
    return SetRun(name=name, file=f"{name}.yaml", corpus=[], cases=len(results), split=split,
                  runs=[ConfigRun("default", [], "", "", results, compute_metrics(results), 0.0)])


def test_perfectly_calibrated_confidence_has_zero_error() -> None:
    results = [case(f"a{i}", passed=i < 8, confidence=0.8) for i in range(10)]
    m = calibration_metrics(results)
    assert m["ece"].value == pytest.approx(0.0)


def test_overconfidence_shows_as_error_and_coverage_keeps_the_surest() -> None:
    results = [case("sure-right", True, 0.95), case("sure-wrong", False, 0.95), case("unsure", False, 0.1),
               case("unsure-2", False, 0.15), case("mid", True, 0.6)]
    m = calibration_metrics(results, coverage=0.4)
    assert m["ece"].value > 0.2
    assert m["acc@80"].value == pytest.approx(0.5)  # the two surest: one right, one wrong


def test_no_confidence_means_no_calibration_figure() -> None:
    assert calibration_metrics([case("x", True)])["ece"].value is None


def test_refused_and_cited_per_answer() -> None:
    m = compute_metrics([case("a", True, cited=3), case("b", False, abstained=True), case("c", True, cited=1),
                         case("trap", True, abstained=True, expect_abstain=True)])
    assert m["refused"].value == pytest.approx(1 / 3)
    assert m["cited_per_answer"].value == pytest.approx(2.0)


def test_dev_and_test_are_pooled_side_by_side() -> None:
    dev = set_run("mirror_dev", "dev", [case("a", True), case("b", False)])
    test = set_run("mirror_test", "test", [case("c", True), case("d", True), case("e", True)])
    table = format_split_table([dev, test])
    assert "dev (2 cases)" in table and "test (3 cases)" in table
    assert "50.0% (1/2)" in table and "100.0% (3/3)" in table


def test_report_lists_dev_failures_but_not_test_cases() -> None:
    dev = set_run("mirror_dev", "dev", [case("dev-failure", False)])
    test = set_run("mirror_test", "test", [case("test-failure", False)])
    text = render_report([dev, test])
    assert "dev-failure" in text
    assert "test-failure" not in text and "cases not listed" in text
