"""The eval runner: every case through ``Assistant``, scored, summed into metrics, reported.

``assistant eval FILE...`` runs each eval set (:mod:`assistant.evalsets`) under one or more
settings files side by side, optionally beside the plain LlamaIndex baseline
(:mod:`assistant.baseline`); :mod:`assistant.evalreport` writes the table, JSON and Markdown report.
Metric definitions are in ``evals/README.md`` ("Metrics"); :func:`compute_metrics` is the code.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

from assistant.api import Assistant
from assistant.errors import AssistantError, EvalSetError
from assistant.evals.baseline import Baseline, locate
from assistant.evals.baseline import store_key as baseline_key
from assistant.evals.metrics import (
    BaselineResult,
    BaselineRun,
    Config,
    ConfigRun,
    SetRun,
    baseline_metrics,
    compute_metrics,
)
from assistant.evals.report import format_split_table, format_table, write_json, write_report
from assistant.evals.score import (
    CaseResult,
    Expected,
    ExpectedResolver,
    SpeakerMatcher,
    error_result,
    needles,
    score_answer,
)
from assistant.evals.sets import Case, EvalSet, load_evalset
from assistant.ingest.corpus import load_corpus
from assistant.ingest.speakers import People
from assistant.settings import PROJECT_ROOT, Settings

STORES = PROJECT_ROOT / "evals" / "out" / "stores"


# ---------------------------------------------------------------------------------------- matching


# ---------------------------------------------------------------------------------------- scoring


# ---------------------------------------------------------------------------------------- metrics


# ---------------------------------------------------------------------------------------- running


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

    paths = [Path(p).expanduser().resolve() for p in (corpus or evalset.corpus or Settings.load().paths.corpus)]
    cases = select_cases(evalset, only)
    run = SetRun(name=evalset.name, file=str(evalset.path), corpus=[str(p) for p in paths], cases=len(cases), split=evalset.split)
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
    try:
        sets = [load_evalset(f) for f in files]
        configs = make_configs(settings_files)
    except (EvalSetError, OSError, ValueError) as exc:  # TOML and settings validation errors are ValueErrors
        _user_error(exc)
    t0 = time.perf_counter()
    try:
        runs = [run_set(s, configs, list(corpus) or None, baseline, stores, only, progress=not quiet) for s in sets]
    except AssistantError as exc:  # e.g. an unreachable Chroma server
        _user_error(exc)
    seconds = time.perf_counter() - t0
    for r in runs:
        click.echo(format_table(r) + "\n")
        for w in r.warnings:
            click.echo(f"warning: {w}", err=True)
    for i in range(len(configs)):
        summary = format_split_table(runs, i)
        if summary:
            click.echo(summary + "\n")
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
