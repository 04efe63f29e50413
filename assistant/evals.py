"""The eval runner: every case through ``Assistant``, scored, summed into metrics, reported.

``assistant eval FILE...`` runs each eval set (:mod:`assistant.evalsets`) under one or more
settings files side by side, optionally beside the plain LlamaIndex baseline
(:mod:`assistant.baseline`); :mod:`assistant.evalreport` writes the table, JSON and Markdown report.
Metric definitions are in ``evals/README.md`` ("Metrics"); :func:`compute_metrics` is the code.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from assistant.baseline import Baseline, Needle, locate
from assistant.baseline import store_key as baseline_key
from assistant.corpus import Corpus, load_corpus
from assistant.embedding import EmbeddingError
from assistant.evalsets import Case, CiteSpec, EvalSet, EvalSetError, has_phrase, load_evalset, normalise_text
from assistant.settings import PROJECT_ROOT, Settings
from assistant.speakers import People, normalise
from assistant.store import StoreError
from assistant.transcripts import CorpusError, Turn
from assistant.types import Answer, AssistantError

STORES = PROJECT_ROOT / "evals" / "out" / "stores"
K_VALUES = (1, 5, 10)
# (key, label, kind): kind "rate" is a share in [0, 1], "ms" a latency.
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
    ("latency_p50", "latency p50 (ms)", "ms"),
    ("latency_p95", "latency p95 (ms)", "ms"),
]


# ---------------------------------------------------------------------------------------- matching


class SpeakerMatcher:
    """Does a speaker name (canonical, alias, surname) refer to the speaker of a turn or citation?"""

    def __init__(self, people: People) -> None:
        self.people = people
        self._cache: dict[tuple[str, ...], set[str]] = {}

    def names(self, alternatives: Iterable[str]) -> set[str]:
        """Normalised canonical names the alternatives refer to (each alternative itself included)."""
        key = tuple(alternatives)
        if key not in self._cache:
            out: set[str] = set()
            for alt in key:
                out.add(normalise(alt))
                out |= {normalise(n) for n in self.people.resolve(alt)}
            self._cache[key] = out
        return self._cache[key]

    def matches(self, alternatives: list[str], speaker: str, attribution: str = "") -> bool:
        """Whether the speaker (or the full attribution) is one of the alternatives."""
        names = self.names(alternatives)
        return normalise(speaker) in names or bool(attribution) and normalise(attribution) in names


def spec_matches_turn(spec: CiteSpec, turn_id: str, speaker: str, text: str, matcher: SpeakerMatcher, attribution: str = "") -> bool:
    """Whether a turn (or a citation of one) satisfies a cite spec."""
    if spec.turn and turn_id not in spec.turn:
        return False
    if spec.speaker and not matcher.matches(spec.speaker, speaker, attribution):
        return False
    return not spec.contains or normalise_text(spec.contains) in normalise_text(text)


@dataclass
class Expected:
    """A case's expectations resolved against the corpus: the turns each cite spec names."""

    turns: list[list[Turn]] = field(default_factory=list)  # per cite spec

    @property
    def turn_ids(self) -> list[str]:
        """Every expected turn id, in spec order, without repeats."""
        return list(dict.fromkeys(t.id for ts in self.turns for t in ts))


class ExpectedResolver:
    """Finds the corpus turns each cite spec names, scanning the parsed corpus (texts normalised once)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.matcher = SpeakerMatcher(corpus.people)
        self._turns = [(t, normalise_text(t.text)) for t in corpus.turns]

    def resolve(self, case: Case) -> Expected:
        """The turns matching each of a case's cite specs."""
        out = []
        for spec in case.expect.cite:
            want = normalise_text(spec.contains) if spec.contains else ""
            out.append([
                t for t, norm in self._turns
                if want in norm and (not spec.turn or t.id in spec.turn)
                and (not spec.speaker or self.matcher.matches(spec.speaker, t.speaker, t.attribution))
            ])
        return Expected(out)


# ---------------------------------------------------------------------------------------- scoring


@dataclass
class CaseResult:
    """One case (or conversation turn) under one configuration, scored."""

    id: str
    question: str
    passed: bool
    reasons: list[str]
    answer: str = ""
    abstained: bool = False
    expect_abstain: bool = False
    backend: str = ""
    search_question: str = ""
    tags: list[str] = field(default_factory=list)
    conversation: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)  # turn_id, speaker, ok (expected or supporting)
    specs: int = 0
    specs_matched: int = 0
    speaker_ok: bool | None = None  # None: no speaker expected, or not answered
    expected_turns: list[str] = field(default_factory=list)
    rank: int | None = None  # 1-based rank of the first expected turn among the retrieved
    retrieved: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    @property
    def reason(self) -> str:
        """The failure reasons as one line ('' when passed)."""
        return "; ".join(self.reasons)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _alts(group: list[str]) -> str:
    return " | ".join(f"“{a}”" for a in group)


def score_answer(case: Case, answer: Answer, matcher: SpeakerMatcher, expected: Expected, latency_ms: float = 0.0) -> CaseResult:
    """Score an answer against a case's expectations; every failure gets a precise reason."""
    exp = case.expect
    res = CaseResult(
        id=case.id, question=case.question, passed=False, reasons=[], answer=answer.answer, abstained=answer.abstained,
        expect_abstain=exp.abstain, backend=answer.backend, search_question=answer.search_question, tags=case.tags,
        conversation=case.conversation, specs=len(exp.cite), expected_turns=expected.turn_ids,
        retrieved=[r.turn_id for r in answer.retrieved], latency_ms=latency_ms or answer.timings_ms.get("total", 0.0),
        timings_ms=dict(answer.timings_ms),
    )
    ids = set(res.expected_turns)
    res.rank = next((i for i, t in enumerate(res.retrieved, start=1) if t in ids), None)
    if exp.abstain:
        res.passed = answer.abstained
        if not answer.abstained:
            res.reasons.append(f"answered, expected an abstention: “{_short(answer.answer)}”")
        return res
    if answer.abstained:
        res.reasons.append("abstained, expected an answer")
        return res

    for i, group in enumerate(exp.answer_all, start=1):
        if not any(has_phrase(answer.answer, alt) for alt in group):
            res.reasons.append(f"answer lacks group {i}/{len(exp.answer_all)}: {_alts(group)}")

    cites = answer.citations
    for c in cites:
        ok = any(spec_matches_turn(s, c.turn_id, c.speaker, c.text, matcher, c.attribution) for s in exp.cite) or any(
            has_phrase(c.text, alt) for g in exp.answer_all for alt in g
        )
        res.citations.append({"marker": c.marker, "turn_id": c.turn_id, "speaker": c.attribution or c.speaker, "ok": ok})

    speaker_checks: list[bool] = []
    if exp.speaker:
        first = cites[0] if cites else None
        named = any(has_phrase(answer.answer, alt) for alt in exp.speaker) or bool(
            first and matcher.matches(exp.speaker, first.speaker, first.attribution)
        )
        speaker_checks.append(named)
        if not named:
            who = (first.attribution or first.speaker) if first else "no citation"
            res.reasons.append(f"speaker: answer names none of {_alts(exp.speaker)} (first citation: {who})")
    cited = ", ".join(f"{c.turn_id} ({c.attribution or c.speaker})" for c in cites) or "nothing"
    for i, spec in enumerate(exp.cite):
        turns = expected.turns[i] if i < len(expected.turns) else []
        if any(spec_matches_turn(spec, c.turn_id, c.speaker, c.text, matcher, c.attribution) for c in cites):
            res.specs_matched += 1
        else:
            res.reasons.append(f"no citation matches {spec.describe()}; cited {cited}")
        speakers = spec.speaker or sorted({t.speaker for t in turns})
        if speakers:
            speaker_checks.append(any(matcher.matches(speakers, c.speaker, c.attribution) for c in cites))
    res.speaker_ok = all(speaker_checks) if speaker_checks else None
    res.passed = not res.reasons
    return res


def error_result(case: Case, expected: Expected, exc: BaseException) -> CaseResult:
    """A case whose question raised: failed, with the error as its reason."""
    msg = f"{exc.__class__.__name__}: {exc}"
    return CaseResult(
        id=case.id, question=case.question, passed=False, reasons=[f"error: {msg}"], expect_abstain=case.expect.abstain,
        tags=case.tags, conversation=case.conversation, specs=len(case.expect.cite),
        expected_turns=expected.turn_ids, error=msg,
    )


# ---------------------------------------------------------------------------------------- metrics


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
    for k in K_VALUES:
        m[f"hit@{k}"] = _rate(sum(1 for r in ranked if r.rank and r.rank <= k), len(ranked))
    # Every retrieved turn carries its speaker, so a hit is an attributed hit.
    m["attributed@5"] = m["hit@5"]
    lat = [r.latency_ms for r in results if r.error is None]
    m["latency_p50"] = Metric(percentile(lat, 50), den=len(lat))
    m["latency_p95"] = Metric(percentile(lat, 95), den=len(lat))
    return m


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


# ---------------------------------------------------------------------------------------- running


@dataclass
class Config:
    """One settings configuration to run the sets under."""

    label: str
    settings: Settings
    files: list[str] = field(default_factory=list)


def make_configs(files: Iterable[Path | str] = ()) -> list[Config]:
    """One configuration per settings file (labelled by its stem), or the defaults when none."""
    files = list(files)
    if not files:
        return [Config("default", Settings.load())]
    out: list[Config] = []
    for f in files:
        label = Path(f).stem
        if any(c.label == label for c in out):
            label = f"{label}-{len(out) + 1}"
        try:
            settings = Settings.load(f)
        except (OSError, ValueError) as exc:
            exc.add_note(str(f))
            raise
        out.append(Config(label, settings, [str(f)]))
    return out


def store_key(corpus: Iterable[Path | str], settings: Settings) -> str:
    """Store folder name for a corpus under a configuration.

    Only what shapes the index is hashed (embedding and store groups), so configurations that
    differ in retrieval or answering share one index instead of embedding the corpus twice.
    """
    files = sorted(str(Path(p).expanduser().resolve()) for p in corpus)
    shape = {"corpus": files, "embedding": settings.embedding.model_dump(), "store": settings.store.model_dump()}
    return hashlib.sha1(json.dumps(shape, sort_keys=True, default=str).encode()).hexdigest()[:12]


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
    warnings: list[str] = field(default_factory=list)
    runs: list[ConfigRun] = field(default_factory=list)
    baseline: BaselineRun | None = None


def select_cases(evalset: EvalSet, only: Iterable[str] = ()) -> list[Case]:
    """The cases to run: all, or those whose id (or conversation id) matches a glob; conversations stay whole."""
    from fnmatch import fnmatch

    pats = list(only)
    if not pats:
        return evalset.all_cases
    keep = [c for c in evalset.cases if any(fnmatch(c.id, p) for p in pats)]
    for conv in evalset.conversations:
        if any(fnmatch(conv.id, p) or fnmatch(t.id, p) for p in pats for t in conv.turns):
            keep += conv.turns
    return keep


def _say(progress: bool, msg: str) -> None:
    if progress:
        click.echo(msg, err=True)


def _bar(progress: bool, total: int, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, file=sys.stderr, disable=not progress, leave=False, dynamic_ncols=True)


def run_set(
    evalset: EvalSet,
    configs: list[Config],
    corpus: list[Path] | None = None,
    baseline: bool = False,
    stores: Path = STORES,
    only: Iterable[str] = (),
    progress: bool = True,
) -> SetRun:
    """Index the set's corpus under each configuration, ask every case, score; optionally the baseline too."""
    from assistant import Assistant

    paths = [Path(p).expanduser().resolve() for p in (corpus or evalset.corpus or Settings.load().paths.corpus)]
    cases = select_cases(evalset, only)
    run = SetRun(name=evalset.name, file=str(evalset.path), corpus=[str(p) for p in paths], cases=len(cases))
    _say(progress, f"{evalset.name}: parsing the corpus to resolve expected turns")
    parsed = load_corpus(paths)
    resolver = ExpectedResolver(parsed)
    expected = {c.id: resolver.resolve(c) for c in cases}
    run.warnings += [f"corpus: {sk.reason}" for sk in parsed.skipped[:10]]
    if len(parsed.skipped) > 10:
        run.warnings.append(f"corpus: and {len(parsed.skipped) - 10} more files skipped")
    for c in cases:
        for spec, turns in zip(c.expect.cite, expected[c.id].turns):
            if not turns:
                run.warnings.append(f"case {c.id}: cite {spec.describe()} matches no turn in the corpus")

    for cfg in configs:
        t0 = time.perf_counter()
        store = stores / store_key(paths, cfg.settings)
        a = Assistant.open(corpus=paths, store=store, settings=cfg.settings)
        summary = _index(a, progress, f"{evalset.name} [{cfg.label}] indexing")
        _say(progress, f"{evalset.name} [{cfg.label}] index: {summary.line()}")
        matcher = SpeakerMatcher(a.people)  # also loads the index, so the first question's latency is fair
        results = _ask_all(a, cases, expected, matcher, _bar(progress, len(cases), f"{evalset.name} [{cfg.label}]"))
        run.runs.append(ConfigRun(
            label=cfg.label, files=cfg.files, store=str(store), index=summary.line(), results=results,
            metrics=compute_metrics(results), seconds=time.perf_counter() - t0,
        ))
    if baseline:
        run.baseline = run_baseline(paths, cases, expected, parsed.people, configs[0].settings, stores, progress, evalset.name)
    return run


def _index(a: Any, progress: bool, desc: str) -> Any:
    bar = _bar(progress, 0, desc)

    def on_progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        return a.index(progress=on_progress)
    finally:
        bar.close()


def _ask_all(a: Any, cases: list[Case], expected: dict[str, Expected], matcher: SpeakerMatcher, bar: Any) -> list[CaseResult]:
    results: list[CaseResult] = []
    history: list[dict[str, Any]] = []
    for case in cases:
        if case.position <= 1:
            history = []
        t0 = time.perf_counter()
        try:
            ans = a.ask(case.question, history=list(history) or None, filters=case.filters or None)
            results.append(score_answer(case, ans, matcher, expected[case.id], (time.perf_counter() - t0) * 1000))
            reply = ans.history_message()
        except Exception as exc:  # noqa: BLE001 - one broken question must not sink the run; the report shows it
            results.append(error_result(case, expected[case.id], exc))
            reply = {"role": "assistant", "content": ""}
        if case.conversation:
            history += [{"role": "user", "content": case.question}, reply]
        bar.update(1)
    bar.close()
    return results


def needles(case: Case, exp: Expected, people: People) -> list[Needle]:
    """What the baseline must retrieve for a case: each spec's text, with the names that attribute it."""

    def names(canonical: Iterable[str]) -> list[str]:
        out: set[str] = set()
        for n in canonical:
            out.add(n)
            p = people.find(n)
            if p and len(n.split()) > 1 and p.kinds != {"narration"}:
                out.add(p.surname)
        return sorted(out)

    out = []
    for spec, turns in zip(case.expect.cite, exp.turns):
        if spec.contains:
            canon = {n for s in spec.speaker for n in people.resolve(s)} or {t.speaker for t in turns}
            out.append(Needle(spec.contains, names(canon)))
        else:
            # A whole turn may span chunks; its opening is what a chunk must show.
            out += [Needle(t.text[:200], names([t.speaker])) for t in turns]
    return out


def run_baseline(
    paths: list[Path], cases: list[Case], expected: dict[str, Expected], people: People, settings: Settings,
    stores: Path, progress: bool = True, name: str = "",
) -> BaselineRun:
    """Every answerable case's question through the plain LlamaIndex pipeline (no history, no filters)."""
    t0 = time.perf_counter()
    store = stores / baseline_key(paths, settings.embedding.mode)
    b = Baseline(paths, store, mode=settings.embedding.mode)
    summary = b.build(progress=(lambda m: _say(progress, m)) if progress else None)
    _say(progress, f"{name} [baseline] index: {summary.line()}")
    todo = [(c, needles(c, expected[c.id], people)) for c in cases if not c.expect.abstain]
    todo = [(c, n) for c, n in todo if n]
    bar = _bar(progress, len(todo), f"{name} [baseline]")
    results = []
    for case, ns in todo:
        t1 = time.perf_counter()
        chunks = b.retrieve(case.question)
        ms = (time.perf_counter() - t1) * 1000
        rank, attributed = locate(chunks, ns)
        results.append(BaselineResult(case.id, rank, attributed, ms, [Path(c.file).name for c in chunks]))
        bar.update(1)
    bar.close()
    return BaselineRun(str(store), summary.line(), results, baseline_metrics(results), time.perf_counter() - t0)


# ---------------------------------------------------------------------------------------- CLI


EXIT_USER_ERROR = 2


def _user_error(exc: Exception) -> NoReturn:
    """Print a user error as one line and exit 2, as the main CLI does; under ASSISTANT_RAISE, raise it."""
    if os.environ.get("ASSISTANT_RAISE"):  # tests see the real traceback
        raise exc
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    else:
        msg = " ".join(str(exc).split())
    # pydantic and tomllib errors do not name the file; make_configs adds it as a note.
    notes = getattr(exc, "__notes__", None)
    click.echo(f"error: {notes[-1]}: {msg}" if notes else f"error: {msg}", err=True)
    sys.exit(EXIT_USER_ERROR)


@click.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--corpus", "corpus", multiple=True, type=click.Path(path_type=Path), help="Index these files/folders instead of each set's corpus (repeatable).")
@click.option("--settings", "settings_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A settings TOML; repeat to run configurations side by side.")
@click.option("--baseline", is_flag=True, help="Also run a plain LlamaIndex pipeline (Chroma, same embedder, top-5) for comparison.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Write metrics and per-case records as JSON.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), help="Write a Markdown report (and a PNG chart beside it).")
@click.option("--min-accuracy", type=click.FloatRange(0, 1), help="Exit 1 when any configuration's answer accuracy is below this (0-1).")
@click.option("--case", "only", multiple=True, help="Only cases whose id matches this glob (repeatable).")
@click.option("--stores", type=click.Path(file_okay=False, path_type=Path), default=STORES, show_default="evals/out/stores", help="Folder for the per-corpus, per-settings indexes.")
@click.option("--quiet", is_flag=True, help="No progress output.")
def eval_command(
    files: tuple[Path, ...], corpus: tuple[Path, ...], settings_files: tuple[Path, ...], baseline: bool,
    json_out: Path | None, report: Path | None, min_accuracy: float | None, only: tuple[str, ...], stores: Path, quiet: bool,
) -> None:
    """Run eval sets through the assistant; print metrics per configuration and write JSON / Markdown reports."""
    from assistant.evalreport import format_table, write_json, write_report  # it imports this module
    try:
        sets = [load_evalset(f) for f in files]
        configs = make_configs(settings_files)
    except (EvalSetError, OSError, ValueError) as exc:  # TOML and settings validation errors are ValueErrors
        _user_error(exc)
    t0 = time.perf_counter()
    try:
        runs = [run_set(s, configs, list(corpus) or None, baseline, stores, only, progress=not quiet) for s in sets]
    except (AssistantError, CorpusError, StoreError, EmbeddingError) as exc:  # e.g. an unreachable Chroma server
        _user_error(exc)
    seconds = time.perf_counter() - t0
    for r in runs:
        click.echo(format_table(r) + "\n")
        for w in r.warnings:
            click.echo(f"warning: {w}", err=True)
    if json_out:
        write_json(runs, json_out, seconds)
        click.echo(f"wrote {json_out}", err=True)
    if report:
        chart = write_report(runs, report)
        click.echo(f"wrote {report}" + (f" and {chart}" if chart else ""), err=True)
    low = [(s.name, r.label, r.metrics["accuracy"].value or 0.0) for s in runs for r in s.runs]
    low = [x for x in low if min_accuracy is not None and x[2] < min_accuracy]
    if low:
        for name, label, acc in low:
            click.echo(f"{name} [{label}]: answer accuracy {acc:.3f} is below --min-accuracy {min_accuracy}", err=True)
        raise click.exceptions.Exit(1)


if __name__ == "__main__":  # python -m assistant.evals, until the main CLI registers `assistant eval`
    eval_command()
