"""Metrics over scored cases (accuracy, citation precision/recall, abstention, hit@k, MRR) and run records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from assistant.evals.score import CaseResult
from assistant.settings import Settings

K_VALUES = (1, 5, 10)


@dataclass
class Metric:
    """A value with the counts behind it (None when nothing was measurable)."""

    value: float | None
    num: float = 0
    den: int = 0


def _rate(num: float, den: int) -> Metric:
    return Metric(num / den if den else None, num, den)


def percentile(values: list[float], q: float) -> float | None:
    """Linear-interpolated percentile (q in [0, 100])."""
    if not values:
        return None
    v = sorted(values)
    pos = (len(v) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def compute_metrics(results: list[CaseResult]) -> dict[str, Metric]:
    """All metrics of one configuration; definitions in evals/README.md."""
    answerable = [r for r in results if not r.expect_abstain]
    answered = [r for r in answerable if not r.abstained and r.error is None]
    ranked = [r for r in answerable if r.expected_turns]
    cit = [c for r in answered for c in r.citations]
    spk = [r for r in answered if r.speaker_ok is not None]
    abstained = [r for r in results if r.abstained]
    m = {
        "accuracy": _rate(sum(r.passed for r in results), len(results)),
        "citation_precision": _rate(sum(c["ok"] for c in cit), len(cit)),
        "citation_recall": _rate(sum(r.specs_matched for r in answerable), sum(r.specs for r in answerable)),
        "speaker_accuracy": _rate(sum(bool(r.speaker_ok) for r in spk), len(spk)),
        "mrr": _rate(sum(1 / r.rank for r in ranked if r.rank), len(ranked)),
        "abstain_precision": _rate(sum(r.expect_abstain for r in abstained), len(abstained)),
        "abstain_recall": _rate(sum(r.abstained for r in results if r.expect_abstain), sum(r.expect_abstain for r in results)),
    }
    m["refused"] = _rate(sum(r.abstained for r in answerable), len(answerable))
    m["cited_per_answer"] = Metric(sum(len(r.citations) for r in answered) / len(answered) if answered else None, den=len(answered))
    m.update(calibration_metrics(results))
    for k in K_VALUES:
        m[f"hit@{k}"] = _rate(sum(1 for r in ranked if r.rank and r.rank <= k), len(ranked))
    # Every retrieved turn carries its speaker, so a hit is an attributed hit.
    m["attributed@5"] = m["hit@5"]
    lat = [r.latency_ms for r in results if r.error is None]
    m["latency_p50"] = Metric(percentile(lat, 50), den=len(lat))
    m["latency_p95"] = Metric(percentile(lat, 95), den=len(lat))
    return m


def calibration_metrics(results: list[CaseResult], bins: int = 10, coverage: float = 0.8) -> dict[str, Metric]:
    """How well ``Answer.confidence`` predicts a passed case.

    ``ece``: expected calibration error over equal-width confidence bins (weighted |accuracy − confidence|);
    ``acc@80``: accuracy of the ``coverage`` share of cases with the highest confidence.
    """
    scored = [(r.confidence, r.passed) for r in results if r.confidence is not None and r.error is None]
    if not scored:
        return {"ece": Metric(None), "acc@80": Metric(None)}
    n = len(scored)
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(c, ok) for c, ok in scored if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if inside:
            ece += len(inside) / n * abs(sum(ok for _, ok in inside) / len(inside) - sum(c for c, _ in inside) / len(inside))
    top = sorted(scored, key=lambda x: -x[0])[: max(1, round(coverage * n))]
    return {"ece": Metric(ece, den=n), "acc@80": _rate(sum(ok for _, ok in top), len(top))}


@dataclass
class BaselineResult:
    """One case through the baseline: where the expected text ranked, and whether the chunk attributes it."""

    id: str
    rank: int | None
    attributed: bool
    latency_ms: float
    files: list[str] = field(default_factory=list)


def baseline_metrics(results: list[BaselineResult]) -> dict[str, Metric]:
    """The baseline's column: retrieval and attribution only (it writes no answers)."""
    n = len(results)
    m = {f"hit@{k}": _rate(sum(1 for r in results if r.rank and r.rank <= k), n) for k in (1, 5)}
    m["mrr"] = _rate(sum(1 / r.rank for r in results if r.rank), n)
    m["attributed@5"] = _rate(sum(r.attributed for r in results), n)
    lat = [r.latency_ms for r in results]
    m["latency_p50"] = Metric(percentile(lat, 50), den=n)
    m["latency_p95"] = Metric(percentile(lat, 95), den=n)
    return m


# (key, label, kind): kind "rate" is a share in [0, 1], "ms" a latency, "count" a mean number.
METRICS: list[tuple[str, str, str]] = [
    ("accuracy", "answer accuracy", "rate"),
    ("citation_precision", "citation precision", "rate"),
    ("citation_recall", "citation recall", "rate"),
    ("speaker_accuracy", "speaker attribution accuracy", "rate"),
    ("hit@1", "retrieval hit@1", "rate"),
    ("hit@5", "retrieval hit@5", "rate"),
    ("hit@10", "retrieval hit@10", "rate"),
    ("mrr", "retrieval MRR", "rate"),
    ("attributed@5", "attributed hit@5", "rate"),
    ("abstain_precision", "abstention precision", "rate"),
    ("abstain_recall", "abstention recall", "rate"),
    ("refused", "answerable refused", "rate"),
    ("cited_per_answer", "turns cited per answer", "count"),
    ("ece", "confidence calibration error (ECE)", "rate"),
    ("acc@80", "accuracy at 80% coverage", "rate"),
    ("latency_p50", "latency p50 (ms)", "ms"),
    ("latency_p95", "latency p95 (ms)", "ms"),
]


@dataclass
class Config:
    """One settings configuration to run the sets under."""

    label: str
    settings: Settings
    files: list[str] = field(default_factory=list)


@dataclass
class ConfigRun:
    """A set's results under one configuration."""

    label: str
    files: list[str]
    store: str
    index: str
    results: list[CaseResult]
    metrics: dict[str, Metric]
    seconds: float


@dataclass
class BaselineRun:
    """A set's results through the baseline pipeline."""

    store: str
    index: str
    results: list[BaselineResult]
    metrics: dict[str, Metric]
    seconds: float


@dataclass
class SetRun:
    """One eval set under every configuration (and the baseline)."""

    name: str
    file: str
    corpus: list[str]
    cases: int
    split: str = "dev"
    warnings: list[str] = field(default_factory=list)
    runs: list[ConfigRun] = field(default_factory=list)
    baseline: BaselineRun | None = None
