"""Scale benchmark: build, re-index and question costs at 1×, 3×, 10× and 30× the kremlin mirror, from real text.

    ASSISTANT_CACHE=... .venv/bin/python scripts/bench_scale.py --sizes 1,3 [--work DIR] [--out docs/scale]

**The corpus.** The base is everything transcript-shaped in ``../shared/corpora`` plus ``seeds/``: the 635
mirror pages (HTML), the derived 2010–2020 JSONL (1,077 pages, many of them the mirror's pages parsed
independently), the 2021–22 CSV, QMSum's 162 training meetings and FriendsQA's scenes. It is parsed once
(cached under ``--work`` until a source file changes). Sizes are counted in passages, in units of
the mirror: 1× is as many passages as seeds + mirror (~15.7k), so 10× (~160k) is about the whole base
and 30× needs copies. A size is a prefix of one fixed stream of documents: the seeds and the documents
the benchmark questions are about, then every source interleaved in proportion to its passages (so each
size has the same mix), then copies of that order — re-dated (years shifted back 15 per copy) and
re-identified (``<id>-copy<n>``, "(copy n)" in titles) — as often as the size needs. Each size is written
as JSON-turns JSONL shards into a throw-away folder and indexed into a throw-away store.

**Per size**, each step in a fresh process (so its memory is its own, read from ``wait4``):

* full build via the library (``build_index``): seconds, passages/s, the process's peak RSS;
* an unchanged re-index (a second ``build_index`` in a new process): seconds, passages embedded (expect 0);
* the store's size on disk (Chroma, and the caches beside it);
* ``assistant ask`` in a new process, ``--cold-runs`` times: wall seconds to the answer (the first run
  also writes the question-time caches, later runs read them);
* warm ``Assistant.ask`` p50/p95 over the fixed questions below (the first question, which opens the index,
  is timed apart), with the default settings (learned reader on) and with ``answer.reader = false``;
  the peak RSS of that question-time process; how many answers cite the document the question is about.

Results are merged by size into ``<out>/results.json`` (earlier sizes are kept), and ``results.md`` (a table)
and ``scale.png`` (cost against passages, log-log) are rewritten from all of them. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's package, whatever the environment has installed

from scripts.bench_ask import cli_command, percentile

CORPORA = ROOT.parent / "shared" / "corpora"
SOURCES: dict[str, Path] = {
    "seeds": ROOT / "seeds",
    "mirror": CORPORA / "kremlin_en_2010_2020_mirror" / "var",
    "derived": CORPORA / "kremlin_en_2010_2020_mirror" / "derived" / "transcripts_2010_2020.jsonl",
    "csv": CORPORA / "kremlin_en_2021_2022_peiyizhuo" / "press_release_data" / "putin.csv",
    "qmsum": CORPORA / "qmsum_train" / "train",
    "friendsqa": CORPORA / "friendsqa" / "dat" / "friendsqa_dev.json",
}
UNIT_SOURCES = ("seeds", "mirror")  # 1× is as many passages as these hold
YEARS_PER_COPY = 15  # the base spans 2010-2022: copies shifted by 15 years never share a year with it
SHARD_PASSAGES = 2000  # passages per JSONL file written
BASE_VERSION = 1  # bump when the base cache's layout or the stream's order changes

# (question, document it is about: a citation of it or of its copies counts as on target).
# Written from the documents themselves; each is pinned into the 1× prefix, so every size can answer it.
QUESTIONS: list[tuple[str, str]] = [
    ("How many candidates have been registered for the September elections?", "004_33c056b68e5d4ba7.2"),
    ("What did Tokayev say about trade between Russia and Kazakhstan?", "004_33c056b68e5d4ba7.1"),
    ("What did Putin say about video surveillance at polling stations?", "000_6ddbb2649f756b29"),
    ("What did Pamfilova say about voter turnout in the 2018 presidential election?", "kremlin-57178"),
    ("What did Pamfilova tell Putin about the presidential election in 2018?", "kremlin-57178"),
    ("What did Putin say about the nationwide vote on the constitutional amendments?", "kremlin-63623"),
    ("What did Pamfilova say about election observers in 2017?", "kremlin-55794"),
    ("How many reports on the human rights situation did Pamfilova's office prepare?", "transcripts_2010_2020-116"),
    ("What did Putin tell Tokayev about Russian investment in Kazakhstan in June 2022?", "kremlin-68670"),
    ("What did Putin say about NATO expansion to the east?", "kremlin-67438"),
    ("What inflation rate did Putin expect at his annual news conference in 2021?", "kremlin-67438"),
    ("What did Kirsty Williams say about schools moving to a new phase?", "qmsum-education_1"),
    ("What did Bill Blair say about the ban on assault-style rifles?", "qmsum-covid_1"),
    ("What did Chrystia Freeland say about the wage subsidy?", "qmsum-covid_3"),
    ("What does the yellow stand on the remote control design represent?", "qmsum-ES2005d"),
    ("What name did Susan and Carol choose for Ross's son?", "s01_e23_c06"),
    ("What did Putin say about the Arctic?", ""),
    ("What did Putin say about cryptocurrency mining?", ""),
    ("What did Putin say about the football World Cup in 2018?", ""),
    ("What did Pamfilova say about Bitcoin?", ""),
]
COLD_QUESTION = QUESTIONS[3][0]


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- the base corpus and the stream of documents


@dataclass
class BaseDoc:
    """One parsed document of the base, as a JSON-turns object, with its source and passage count."""

    source: str
    passages: int
    obj: dict[str, Any]


def _signature() -> dict[str, Any]:
    """What the base cache depends on: each source's files (path, size, mtime) and the code's version."""
    from assistant.index.passages import SPLIT_VERSION
    from assistant.ingest.corpus import iter_files
    from assistant.ingest.readers import READER_VERSION

    files, _ = iter_files([p for p in SOURCES.values() if p.exists()])
    stats = sorted([str(f), f.stat().st_size, f.stat().st_mtime_ns] for f, _ in files)  # lists: compared with JSON
    return {"base": BASE_VERSION, "readers": READER_VERSION, "split": SPLIT_VERSION, "files": stats}


def _source_of(path: str) -> str:
    for name, root in SOURCES.items():
        if path == str(root.resolve()) or path.startswith(str(root.resolve()) + os.sep):
            return name
    raise ValueError(f"{path}: not under any source")


def turns_json(doc: Any) -> dict[str, Any]:
    """A parsed Document as a JSON-turns object (resolved speakers and roles written out)."""
    from assistant.ingest.speakers import UNNAMED

    turns = []
    for t in doc.turns:
        turn: dict[str, Any] = {"speaker": None if t.speaker == UNNAMED else t.speaker, "text": t.text}
        if t.role:
            turn["role"] = t.role
        if t.kind != "speech":
            turn["kind"] = t.kind
        if t.quoted_in:
            turn["quoted_in"] = t.quoted_in
        turns.append(turn)
    obj: dict[str, Any] = {"id": doc.doc_id, "title": doc.title}
    for name in ("date", "time", "place", "url", "lead", "outlet", "author", "publication_date"):
        if getattr(doc, name):
            obj[name] = getattr(doc, name)
    for name in ("persons", "topics", "geography", "sections"):
        if getattr(doc, name):
            obj[name] = list(getattr(doc, name))
    obj["turns"] = turns
    return obj


def load_base(work: Path) -> list[BaseDoc]:
    """Every base document, parsed once and cached in ``work`` until a source file changes."""
    cache, meta = work / "base.jsonl", work / "base.json"
    signature = _signature()
    try:
        if json.loads(meta.read_text(encoding="utf-8")) == signature:
            with cache.open(encoding="utf-8") as fh:
                return [BaseDoc(**json.loads(line)) for line in fh]
    except (OSError, ValueError, TypeError):
        pass
    from assistant.index.passages import split_turn
    from assistant.ingest.corpus import load_corpus
    from assistant.settings import Settings

    missing = [str(p) for p in SOURCES.values() if not p.exists()]
    if missing:
        print(f"note: sources not present, left out: {', '.join(missing)}", file=sys.stderr)
    t0 = time.perf_counter()
    corpus = load_corpus([p for p in SOURCES.values() if p.exists()])
    failed = [s.reason for s in corpus.skipped if not s.deliberate]
    if failed:
        sys.exit("error: the base must parse without skips:\n  " + "\n  ".join(failed))
    max_tokens = Settings.load().embedding.max_tokens
    base = [
        BaseDoc(_source_of(d.source), sum(len(split_turn(t.text, max_tokens)) for t in d.turns), turns_json(d))
        for d in corpus.documents
    ]
    work.mkdir(parents=True, exist_ok=True)
    with cache.open("w", encoding="utf-8") as fh:
        for b in base:
            fh.write(json.dumps({"source": b.source, "passages": b.passages, "obj": b.obj}, ensure_ascii=False) + "\n")
    meta.write_text(json.dumps(signature), encoding="utf-8")
    print(f"parsed the base in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return base


def base_order(base: list[BaseDoc]) -> list[BaseDoc]:
    """Seeds and the questions' documents first, then every source interleaved in proportion to its passages."""
    pinned_ids = {doc for _, doc in QUESTIONS if doc}
    pinned = [b for b in base if b.source == "seeds" or b.obj["id"] in pinned_ids]
    missing = pinned_ids - {b.obj["id"] for b in pinned}
    if missing:
        print(f"note: question documents not in the base: {', '.join(sorted(missing))}", file=sys.stderr)
    rest = [b for b in base if b not in pinned]
    by_source: dict[str, list[BaseDoc]] = defaultdict(list)
    for b in rest:
        by_source[b.source].append(b)
    keyed = []
    for source, docs in by_source.items():
        total, seen = sum(b.passages for b in docs) or 1, 0
        for b in docs:
            keyed.append(((seen + b.passages / 2) / total, source, b))  # where in its source this document sits
            seen += b.passages
    keyed.sort(key=lambda k: (k[0], k[1]))
    return pinned + [b for _, _, b in keyed]


def shift_date(date: str | None, years: int) -> str | None:
    """An ISO date ``years`` earlier (29 February becomes the 28th in a common year)."""
    if not date or len(date) < 4 or not date[:4].isdigit():
        return date
    year = int(date[:4]) - years
    rest = date[4:]
    if rest == "-02-29" and not calendar.isleap(year):
        rest = "-02-28"
    return f"{year:04d}{rest}"


def copy_of(obj: dict[str, Any], n: int) -> dict[str, Any]:
    """Copy ``n`` of a document (n = 0 is the document): new id and title, dates shifted back."""
    if n == 0:
        return obj
    out = dict(obj, id=f"{obj['id']}-copy{n}", title=f"{obj['title']} (copy {n})")
    for name in ("date", "publication_date"):
        if out.get(name):
            out[name] = shift_date(out[name][:10], YEARS_PER_COPY * n)
    return out


def write_size(order: list[BaseDoc], unit: int, k: float, folder: Path) -> dict[str, Any]:
    """Write the first ``k × unit`` passages of the stream as JSONL shards; what was written, by source."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target, written, n_docs, copies = int(k * unit), 0, 0, 0
    by_source: dict[str, int] = defaultdict(int)
    shard: list[str] = []
    shard_passages, n_shard = 0, 0

    def flush() -> None:
        nonlocal shard, shard_passages, n_shard
        if shard:
            (folder / f"shard-{n_shard:05d}.jsonl").write_text("\n".join(shard) + "\n", encoding="utf-8")
            shard, shard_passages, n_shard = [], 0, n_shard + 1

    while written < target:
        for b in order:
            if written >= target:
                break
            shard.append(json.dumps(copy_of(b.obj, copies), ensure_ascii=False))
            shard_passages += b.passages
            written += b.passages
            n_docs += 1
            by_source[b.source] += b.passages
            if shard_passages >= SHARD_PASSAGES:
                flush()
        copies += 1
    flush()
    return {"documents": n_docs, "passages_planned": written, "copies": copies - 1, "shards": n_shard,
            "by_source": dict(by_source)}


# ---------------------------------------------------------------- steps, each in its own process


def _child_build(store: Path, corpus: Path) -> dict[str, Any]:
    from assistant.index.build import build_index
    from assistant.settings import Settings

    settings = Settings.load()
    settings.paths.store = store
    t0 = time.perf_counter()
    s = build_index(settings, [corpus])
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "documents": s.documents, "turns": s.turns, "passages": s.passages,
            "embedded": s.embedded, "skipped": [x.reason for x in s.skipped], "mode": settings.embedding.mode,
            "peak_rss_mib": peak_rss_mib()}


def _child_ask(store: Path, repeat: int) -> dict[str, Any]:
    from assistant.api import Assistant

    a = Assistant.open(store=store)
    t0 = time.perf_counter()
    a.ask(QUESTIONS[0][0])
    first_s = time.perf_counter() - t0
    warm: list[float] = []
    abstained, on_target = 0, 0
    for _ in range(repeat):
        for q, doc in QUESTIONS:
            t0 = time.perf_counter()
            ans = a.ask(q)
            warm.append((time.perf_counter() - t0) * 1000)
            abstained += ans.abstained
            on_target += bool(doc) and any(c.document == doc or c.document.startswith(doc + "-copy") for c in ans.citations)
    return {"first_ask_s": first_s, "p50_ms": percentile(warm, 50), "p95_ms": percentile(warm, 95),
            "max_ms": max(warm), "asked": len(warm), "abstained": abstained, "on_target": on_target,
            "with_target": repeat * sum(1 for _, d in QUESTIONS if d), "passages": len(a.loaded.passage_ids),
            "peak_rss_mib": peak_rss_mib()}


def run_child(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 7200) -> tuple[str, float, float]:
    """Run a command; (stdout, wall seconds, the process's own peak RSS in MiB from wait4). Exits on failure."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-scale-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    t0 = time.perf_counter()
    with out_path.open("w") as out, err_path.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
    wall = time.perf_counter() - t0
    stdout, stderr = out_path.read_text(), err_path.read_text()
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"error: {' '.join(cmd[:4])} ... exited {code}: {stderr.strip()[-800:]}")
    return stdout, wall, usage.ru_maxrss / 1024


def child_env(**settings: str) -> dict[str, str]:
    """The environment for a step: this checkout first on the path, settings overridden."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(settings)
    return env


def step(name: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one of this script's steps in a new process; its JSON result."""
    stdout, _, _ = run_child([sys.executable, str(Path(__file__).resolve()), name, *args], env or child_env())
    return json.loads(stdout.strip().splitlines()[-1])


def folder_mib(folder: Path) -> float:
    """Bytes of the regular files under a folder, in MiB."""
    total = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
    return total / 2**20


def measure(k: float, order: list[BaseDoc], unit: int, work: Path, cold_runs: int, repeat: int, keep: bool) -> dict[str, Any]:
    """Every figure for one size."""
    folder = work / f"x{k:g}"
    corpus, store = folder / "corpus", folder / "store"
    if store.exists():
        shutil.rmtree(store)
    t0 = time.perf_counter()
    plan = write_size(order, unit, k, corpus)
    print(f"{k:g}×: wrote {plan['documents']} documents, ~{plan['passages_planned']} passages, "
          f"{plan['copies']} copies, in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    load_before = os.getloadavg()[0]

    build = step("_build", str(store), str(corpus))
    print(f"{k:g}×: full build {build['seconds']:.1f} s ({build['passages']} passages)", file=sys.stderr, flush=True)
    reindex = step("_build", str(store), str(corpus))
    chroma_mib = folder_mib(store) - folder_mib(store / "lexical")

    cmd = cli_command()
    cold = []
    for _ in range(cold_runs):
        _, wall, rss = run_child([*cmd, "ask", COLD_QUESTION, "--store", str(store)], child_env())
        cold.append((wall, rss))
    warm = step("_ask", str(store), str(repeat))
    plain = step("_ask", str(store), str(repeat), env=child_env(ASSISTANT_ANSWER__READER="false"))
    print(f"{k:g}×: warm p50 {warm['p50_ms']:.0f} ms, without the reader {plain['p50_ms']:.0f} ms",
          file=sys.stderr, flush=True)
    result = {
        "size": k, "unit_passages": unit, "plan": plan,
        "documents": build["documents"], "turns": build["turns"], "passages": build["passages"],
        "mode": build["mode"], "skipped": build["skipped"],
        "build_s": build["seconds"], "passages_per_s": build["embedded"] / build["seconds"],
        "build_peak_rss_mib": build["peak_rss_mib"],
        "reindex_s": reindex["seconds"], "reindex_embedded": reindex["embedded"],
        "store_mib": folder_mib(store), "chroma_mib": chroma_mib,
        "cold_ask_s": [w for w, _ in cold], "cold_ask_peak_rss_mib": [r for _, r in cold],
        "first_ask_s": warm["first_ask_s"],
        "warm": {key: warm[key] for key in ("p50_ms", "p95_ms", "max_ms", "asked", "abstained", "on_target", "with_target")},
        "warm_no_reader": {key: plain[key] for key in ("p50_ms", "p95_ms", "max_ms", "abstained", "on_target")},
        "ask_peak_rss_mib": warm["peak_rss_mib"], "ask_peak_rss_no_reader_mib": plain["peak_rss_mib"],
        "load_avg_before": load_before, "load_avg_after": os.getloadavg()[0],
        "cpus": os.cpu_count(), "host": socket.gethostname(), "date": dt.datetime.now().isoformat(timespec="minutes"),
    }
    if not keep:
        shutil.rmtree(folder, ignore_errors=True)
    return result


# ---------------------------------------------------------------- the table and the chart


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table, smallest size first."""
    head = ("| size | documents | passages | full build | passages/s | re-index | store on disk | "
            "`assistant ask`, new process: first after the build / median of the rest | warm p50 / p95, reader on | "
            "warm p50 / p95, reader off | peak RSS: asking (caches warm) / first `ask` after the build / build | "
            "answers on target | load avg |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in sorted(results, key=lambda r: r["size"]):
        cold, cold_rss = r["cold_ask_s"], r["cold_ask_peak_rss_mib"]
        later = cold[1:] or cold
        w, p = r["warm"], r["warm_no_reader"]
        lines.append(
            f"| {r['size']:g}× | {r['documents']:,} | {r['passages']:,} | {r['build_s']:.0f} s | {r['passages_per_s']:.0f} | "
            f"{r['reindex_s']:.1f} s | {r['store_mib']:.0f} MiB | {cold[0]:.1f} s / {statistics.median(later):.1f} s | "
            f"{w['p50_ms']:.0f} / {w['p95_ms']:.0f} ms | {p['p50_ms']:.0f} / {p['p95_ms']:.0f} ms | "
            f"{r['ask_peak_rss_mib']:.0f} / {_first(cold_rss):.0f} / {r['build_peak_rss_mib']:.0f} MiB | {w['on_target']}/{w['with_target']} | "
            f"{r['load_avg_before']:.1f}–{r['load_avg_after']:.1f} |"
        )
    return "\n".join(lines)


# (title, unit, series: label -> value from a result, targets at 10×: label -> value)
PANELS: list[tuple[str, str, dict[str, Any], dict[str, float]]] = [
    ("full build", "s", {"": lambda r: r["build_s"]}, {"≤ 6 min": 360}),
    ("unchanged re-index", "s", {"": lambda r: r["reindex_s"]}, {"≤ 10 s": 10}),
    ("`assistant ask`, new process", "s", {
        "first after the build": lambda r: r["cold_ask_s"][0],
        "later (median)": lambda r: statistics.median(r["cold_ask_s"][1:] or r["cold_ask_s"]),
    }, {"≤ 3 s": 3}),
    ("warm ask", "ms", {
        "p50, reader on": lambda r: r["warm"]["p50_ms"], "p95, reader on": lambda r: r["warm"]["p95_ms"],
        "p50, reader off": lambda r: r["warm_no_reader"]["p50_ms"], "p95, reader off": lambda r: r["warm_no_reader"]["p95_ms"],
    }, {"p50 ≤ 60 ms": 60, "p95 ≤ 200 ms": 200}),
    ("peak RSS, question time (reader on)", "MiB", {
        "asking, caches warm": lambda r: r["ask_peak_rss_mib"],
        "first `ask` after the build": lambda r: _first(r["cold_ask_peak_rss_mib"]),
    }, {"≤ 1 GiB": 1024}),
    ("store on disk", "MiB", {"": lambda r: r["store_mib"]}, {}),
]


def _first(value: Any) -> float:
    return value[0] if isinstance(value, list) else value


def chart(results: list[dict[str, Any]], path: Path) -> None:
    """Cost against passages, log-log, one panel a measure; dashed: linear growth from the smallest size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    rs = sorted(results, key=lambda r: r["passages"])
    x = [r["passages"] for r in rs]
    unit = rs[0]["unit_passages"]
    right = max(max(x), 30 * unit) * 1.4  # room to 30× whatever was measured
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    for ax, (title, measure_unit, series, targets) in zip(axes.flat, PANELS):
        for (label, value), style in zip(series.items(), ["o-", "s-", "o--", "s--"]):
            ys = [value(r) for r in rs]
            ax.plot(x, ys, style, label=label or None, markersize=4)
            ax.plot([x[0], right], [ys[0], ys[0] * right / x[0]], ":", color="grey", linewidth=0.7)
            if label == next(iter(series)):
                for xi, yi, r in zip(x, ys, rs):
                    ax.annotate(f"{r['size']:g}×", (xi, yi), textcoords="offset points", xytext=(4, -10), fontsize=8)
        for (label, target), style in zip(targets.items(), ["--", "-."]):
            ax.axhline(target, color="tab:red", linestyle=style, linewidth=0.8, label=f"10× target {label}")
        for k in (10, 30):
            ax.axvline(k * unit, color="grey", linewidth=0.6, alpha=0.6)
            ax.annotate(f"{k}×", (k * unit, 1), xycoords=("data", "axes fraction"), xytext=(2, -10),
                        textcoords="offset points", fontsize=7, color="grey")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels overlap on a short log axis
        ticks = [t for t in (1e4, 3e4, 1e5, 3e5, 1e6, 3e6) if min(x) / 1.5 <= t <= right]
        ax.set_xticks(ticks, [f"{t / 1000:.0f}k" for t in ticks])
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlim(min(x) / 1.5, right)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("passages")
        ax.set_ylabel(measure_unit)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="upper left")
        ax.grid(True, which="both", alpha=0.3)
    sizes = ", ".join(f"{r['size']:g}×" for r in rs)
    fig.suptitle(f"Cost against corpus size, measured at {sizes} (1× = {unit:,} passages); "
                 "dotted: linear growth from the smallest size", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(results: list[dict[str, Any]], out: Path) -> None:
    """results.json, results.md and scale.png in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    results = sorted(results, key=lambda r: r["size"])
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    md = (f"Written by `scripts/bench_scale.py`; 1× = {results[0]['unit_passages']:,} passages (seeds + mirror). "
          "Times are wall clock on the machine and load named per row.\n\n" + table(results) + "\n")
    (out / "results.md").write_text(md, encoding="utf-8")
    chart(results, out / "scale.png")


# ---------------------------------------------------------------- command line


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1,3", help="Sizes to measure, in mirror units (default 1,3; the issue's are 1,3,10,30).")
    p.add_argument("--work", type=Path, default=ROOT / ".scratch" / "scale", help="Throw-away folder for corpora and stores.")
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "scale", help="Where results.json/.md and scale.png go.")
    p.add_argument("--cold-runs", type=int, default=3, help="New-process `assistant ask` runs per size (default 3).")
    p.add_argument("--repeat", type=int, default=2, help="Times each warm question is asked (default 2).")
    p.add_argument("--keep", action="store_true", help="Keep each size's corpus and store (default: delete after measuring).")
    p.add_argument("--chart-only", action="store_true", help="Redraw the table and chart from results.json; measure nothing.")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure each size and write the table and the chart."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_build":
        print(json.dumps(_child_build(Path(argv[1]), Path(argv[2]))))
        return 0
    if argv and argv[0] == "_ask":
        print(json.dumps(_child_ask(Path(argv[1]), int(argv[2]))))
        return 0
    args = parse_args(argv)
    previous = json.loads((args.out / "results.json").read_text()) if (args.out / "results.json").exists() else []
    if args.chart_only:
        write_outputs(previous, args.out)
        return 0
    if not os.environ.get("ASSISTANT_CACHE"):
        print("note: ASSISTANT_CACHE is not set; the static embedding table is read from the XDG cache", file=sys.stderr)
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    base = load_base(args.work)
    unit = sum(b.passages for b in base if b.source in UNIT_SOURCES)
    counts: dict[str, int] = defaultdict(int)
    for b in base:
        counts[b.source] += b.passages
    print("base: " + ", ".join(f"{s} {n:,}" for s, n in counts.items())
          + f" passages; total {sum(counts.values()):,} = {sum(counts.values()) / unit:.1f}×", file=sys.stderr)
    order = base_order(base)
    results = {r["size"]: r for r in previous}
    for k in sizes:
        results[k] = measure(k, order, unit, args.work, args.cold_runs, args.repeat, args.keep)
        write_outputs(list(results.values()), args.out)  # after each size: a long run keeps what it measured
    print(table([results[k] for k in sizes]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
