"""Eval reporting: the console table, the Markdown report, the JSON record and the PNG chart.

Everything here formats what :mod:`assistant.evals` ran and scored (a :class:`~assistant.evals.SetRun` per
eval set); nothing here runs or scores. Metric labels and kinds come from :data:`assistant.evals.METRICS`.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from assistant.evals.metrics import METRICS, Metric, SetRun, compute_metrics
from assistant.evals.score import CaseResult, _short


def _fmt(m: Metric | None, kind: str, counts: bool = False) -> str:
    if m is None or m.value is None:
        return "—"
    if kind == "ms":
        return f"{m.value:.0f}"
    if kind == "count":
        return f"{m.value:.2f}"
    text = f"{m.value * 100:.1f}%"
    return f"{text} ({m.num:g}/{m.den})" if counts and float(m.num).is_integer() else text


def _delta(a: Metric | None, b: Metric | None, kind: str) -> str:
    if a is None or b is None or a.value is None or b.value is None:
        return "—"
    d = round(b.value - a.value, 9) + 0.0  # + 0.0 turns -0.0 into 0.0
    if kind == "count":
        return f"{d:+.2f}"
    return f"{d:+.0f}" if kind == "ms" else f"{d * 100:+.1f} pt"


def table_rows(run: SetRun, counts: bool = False) -> list[list[str]]:
    """Header then one row per metric: each configuration, its difference from the first, the baseline."""
    head = ["metric"] + [r.label for r in run.runs]
    head += [f"Δ {r.label}" for r in run.runs[1:]]
    if run.baseline:
        head.append("baseline")
    rows = [head]
    for key, label, kind in METRICS:
        row = [label] + [_fmt(r.metrics.get(key), kind, counts) for r in run.runs]
        row += [_delta(run.runs[0].metrics.get(key), r.metrics.get(key), kind) for r in run.runs[1:]]
        if run.baseline:
            row.append(_fmt(run.baseline.metrics.get(key), kind, counts))
        rows.append(row)
    return rows


def _aligned(title: str, rows: list[list[str]]) -> str:
    """A title, then rows as plain-text columns (first left-aligned, the rest right), a rule under the header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [title]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(run: SetRun) -> str:
    """The metrics table as aligned plain text."""
    return _aligned(f"{run.name} [{run.split}] ({run.cases} cases)", table_rows(run))


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _md_table(rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_md(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])]
    return out + ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows[1:]]


def render_report(sets: list[SetRun], chart: str | None = None) -> str:
    """The Markdown report: per set, the metrics table, warnings, then every case (failures first) with its reason."""
    out = ["# Eval report", "", "Metric definitions: `evals/README.md`, section Metrics.", ""]
    if chart:
        out += [f"![metrics per configuration]({chart})", ""]
    if len(sets) > 1:
        for i in range(len(sets[0].runs)):
            out += [f"## Dev and test, pooled ({sets[0].runs[i].label})", ""] + _md_table(split_rows(sets, i)) + [""]
    for s in sets:
        out += [f"## {s.name} ({s.split})", "", f"- file: `{s.file}`", f"- corpus: {', '.join(f'`{c}`' for c in s.corpus)}", f"- cases: {s.cases}"]
        for r in s.runs:
            settings = ", ".join(f"`{f}`" for f in r.files) or "defaults"
            out.append(f"- **{r.label}** ({settings}): index {r.index}; run {r.seconds:.1f} s")
        if s.baseline:
            out.append(f"- **baseline** (SimpleDirectoryReader → SentenceSplitter → Chroma, top-5): index {s.baseline.index}; run {s.baseline.seconds:.1f} s")
        out += [""] + _md_table(table_rows(s, counts=True)) + [""]
        if s.warnings:
            out += ["### Eval set warnings", ""] + [f"- {_md(w)}" for w in s.warnings] + [""]
        if len(s.runs) > 1:
            out += _changed(s)
        for r in s.runs:
            passed = sum(x.passed for x in r.results)
            if s.split == "test":
                # A test set is run and reported, never tuned on: its failures are not listed here.
                out += [f"### Cases: {r.label} ({passed}/{len(r.results)} passed; a test set, cases not listed)", ""]
                continue
            out += [f"### Cases: {r.label} ({passed}/{len(r.results)} passed)", ""]
            rows = [["case", "result", "reason / answer", "cited", "rank"]]
            for x in sorted(r.results, key=lambda x: x.passed):
                cited = ", ".join(f"{c['turn_id']} ({c['speaker']})" + ("" if c["ok"] else " ✗") for c in x.citations)
                rows.append([x.id, "pass" if x.passed else "FAIL", x.reason or _short(x.answer, 120), cited or "—",
                             str(x.rank or "—") if x.expected_turns else ""])
            out += _md_table(rows) + [""]
        if s.baseline:
            out += ["### Cases: baseline", ""]
            rows = [["case", "rank of expected text", "chunk names the speaker", "retrieved files"]]
            for b in sorted(s.baseline.results, key=lambda b: (b.rank is not None, b.attributed)):
                rows.append([b.id, str(b.rank or "—"), "yes" if b.attributed else "no", ", ".join(b.files)])
            out += _md_table(rows) + [""]
    return "\n".join(out)


def _changed(s: SetRun) -> list[str]:
    first = {x.id: x.passed for x in s.runs[0].results}
    rows = [["case"] + [r.label for r in s.runs]]
    for x in s.runs[0].results:
        marks = [next((y.passed for y in r.results if y.id == x.id), None) for r in s.runs]
        if len(set(marks)) > 1:
            rows.append([x.id] + ["pass" if m else "FAIL" for m in marks])
    if len(rows) == 1:
        return ["No case changed result between configurations.", ""] if first else []
    return ["### Cases whose result differs between configurations", ""] + _md_table(rows) + [""]


def to_json(sets: list[SetRun], seconds: float = 0.0) -> dict[str, Any]:
    """Everything, per-case records included, JSON-ready."""
    def metrics(m: dict[str, Metric]) -> dict[str, Any]:
        return {k: asdict(v) for k, v in m.items()}

    out = []
    for s in sets:
        out.append({
            "name": s.name, "file": s.file, "split": s.split, "corpus": s.corpus, "cases": s.cases, "warnings": s.warnings,
            "configs": [
                {"label": r.label, "settings": r.files, "store": r.store, "index": r.index, "seconds": round(r.seconds, 2),
                 "metrics": metrics(r.metrics), "cases": [dict(asdict(x), reason=x.reason) for x in r.results]}
                for r in s.runs
            ],
            "baseline": None if s.baseline is None else {
                "store": s.baseline.store, "index": s.baseline.index, "seconds": round(s.baseline.seconds, 2),
                "metrics": metrics(s.baseline.metrics), "cases": [asdict(b) for b in s.baseline.results],
            },
        })
    return {"seconds": round(seconds, 2), "metric_labels": {k: label for k, label, _ in METRICS}, "sets": out}


def write_chart(sets: list[SetRun], path: Path) -> Path | None:
    """A PNG of the share metrics per configuration (and baseline), one panel per set; None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    keys = [(k, label) for k, label, kind in METRICS if kind == "rate"]
    fig, axes = plt.subplots(len(sets), 1, figsize=(12, 4.2 * len(sets)), squeeze=False)
    for ax, s in zip(axes[:, 0], sets):
        columns = [(r.label, r.metrics) for r in s.runs] + ([("baseline", s.baseline.metrics)] if s.baseline else [])
        width = 0.8 / len(columns)
        for i, (label, m) in enumerate(columns):
            xs = [j + i * width for j in range(len(keys))]
            vals = [(m[k].value or 0.0) if k in m and m[k].value is not None else 0.0 for k, _ in keys]
            ax.bar(xs, vals, width, label=label)
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(keys))], [label for _, label in keys], rotation=30, ha="right")
        ax.set_ylim(0, 1)
        ax.set_title(f"{s.name} ({s.cases} cases)")
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_json(sets: list[SetRun], path: Path, seconds: float = 0.0) -> None:
    """Write :func:`to_json` to a file (its folder made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(sets, seconds), indent=1, ensure_ascii=False))


def write_report(sets: list[SetRun], path: Path) -> Path | None:
    """Write the Markdown report, with a PNG chart beside it when a set has more than one column; the chart's path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = max(len(s.runs) + (s.baseline is not None) for s in sets)
    chart = write_chart(sets, path.with_suffix(".png")) if columns > 1 else None
    path.write_text(render_report(sets, chart.name if chart else None))
    return chart


def split_rows(sets: list[SetRun], config: int = 0) -> list[list[str]]:
    """Dev and test side by side: each metric pooled over every case of the sets of that split."""
    pooled: dict[str, list[CaseResult]] = {"dev": [], "test": []}
    for s in sets:
        if config < len(s.runs):
            pooled.setdefault(s.split, []).extend(s.runs[config].results)
    splits = [k for k in ("dev", "test") if pooled.get(k)]
    metrics = {k: compute_metrics(pooled[k]) for k in splits}
    rows = [["metric"] + [f"{k} ({len(pooled[k])} cases)" for k in splits]]
    for key, label, kind in METRICS:
        rows.append([label] + [_fmt(metrics[k].get(key), kind, counts=True) for k in splits])
    for s in sets:
        if config < len(s.runs):
            rows.append([f"  {s.name} accuracy"] + [_fmt(s.runs[config].metrics.get("accuracy"), "rate", True) if s.split == k else "" for k in splits])
    return rows


def format_split_table(sets: list[SetRun], config: int = 0) -> str:
    """The dev/test summary as aligned plain text (empty when only one set ran)."""
    if len(sets) < 2:
        return ""
    label = sets[0].runs[config].label if sets[0].runs else ""
    title = f"dev and test, pooled over the sets above [{label}] (the test figure is the one that counts)"
    return _aligned(title, split_rows(sets, config))
