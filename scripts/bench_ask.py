"""Benchmark question latency: warm ``Assistant.ask`` p50/p95, and a cold ``assistant ask`` in a new process.

    .venv/bin/python scripts/bench_index.py --store /tmp/bench-store   # seeds/ + the kremlin mirror
    .venv/bin/python scripts/bench_ask.py --store /tmp/bench-store

Without ``--store`` a store of seeds/ + the mirror is built first in a temp folder (a few minutes).
The questions are about the seeds; some have no answer in the transcripts (the assistant should abstain).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.index.build import build_index
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT.parent / "shared" / "corpora" / "kremlin_en_2010_2020_mirror" / "var"

# (question, filters), answerable from the seeds.
ANSWERABLE: list[tuple[str, dict[str, str]]] = [
    ("How many candidates have been registered for the September elections?", {}),
    ("How many parties have registered candidates, according to Pamfilova?", {}),
    ("What did Pamfilova say about fake news?", {}),
    ("Who is behind the fake news campaign against the elections?", {}),
    ("How many election campaigns and referendums are expected?", {}),
    ("How many regions will not hold any elections?", {}),
    ("What did Putin say about the objectivity of voting?", {}),
    ("What did Tokayev say about the Treaty of Friendship?", {}),
    ("How much did trade between Russia and Kazakhstan grow last year?", {}),
    ("What is Russia's investment in Kazakhstan?", {}),
    ("When do Russia and Kazakhstan celebrate 30 years of diplomatic relations?", {}),
    ("Where did Putin meet Tokayev?", {}),
    ("What did Putin say about CSTO joint exercises?", {}),
    ("How many members do the electoral commissions have?", {}),
    ("What did Putin say about foreign interference in the elections?", {}),
    ("What did Putin say about electronic voting?", {}),
    ("How many regions have approved electronic voting?", {}),
    ("What did Putin say about video surveillance at polling stations?", {}),
    ("Can artificial intelligence replace a humane attitude to voters?", {}),
    ("What did Putin say about citizens' trust in the elections?", {}),
    ("What did the president say about Pamfilova's work?", {}),
    ("How many electronic services are on the CEC website?", {}),
    ("What did Ella Pamfilova say?", {"speaker": "Pamfilova"}),
    ("What did he say about trade?", {"speaker": "Tokayev"}),
    ("What was discussed about the elections?", {"date_from": "2022-08-01", "date_to": "2022-08-31"}),
]
# Not in the transcripts: the assistant should abstain.
UNANSWERABLE: list[tuple[str, dict[str, str]]] = [
    ("What did Putin say about Bitcoin?", {}),
    ("What is Pamfilova's favourite food?", {}),
    ("Who won the 2022 football World Cup?", {}),
    ("What did Tokayev say about the price of Tesla shares?", {}),
    ("How many seats does the Bundestag have?", {}),
]
QUESTIONS = ANSWERABLE + UNANSWERABLE

COLD_QUESTION = "How many candidates have been registered for the September elections?"


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between ranks."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def cli_command() -> list[str]:
    """The ``assistant`` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "assistant"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from assistant.cli import main; main()"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, help="Store built by scripts/bench_index.py (default: build one in a temp folder).")
    p.add_argument("--cold-runs", type=int, default=3, help="New-process `assistant ask` runs (default 3).")
    p.add_argument("--repeat", type=int, default=1, help="Times each question is asked warm (default 1).")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Time warm and cold questions and print the figures."""
    args = parse_args(argv)
    store = args.store
    if store is None:
        store = Path(tempfile.mkdtemp(prefix="bench-ask-store-"))
        settings = Settings.load()
        settings.paths.store = store
        print(f"building {store} from seeds/ + {MIRROR} ...", flush=True)
        print(build_index(settings, [ROOT / "seeds", MIRROR]).line(), flush=True)
    elif not store.is_dir():
        sys.exit(f"error: {store}: no such store; build it with scripts/bench_index.py --store {store}")

    # Cold first, so the lexical cache state is whatever the store holds (bench_index leaves none;
    # the first cold run builds it, later runs read it).
    cmd = cli_command()
    cold: list[float] = []
    first_line = ""
    for _ in range(args.cold_runs):
        t0 = time.perf_counter()
        out = subprocess.run([*cmd, "ask", COLD_QUESTION, "--store", str(store)], capture_output=True, text=True, check=False)
        cold.append(time.perf_counter() - t0)
        if out.returncode != 0:
            sys.exit(f"error: `assistant ask` failed ({out.returncode}): {out.stderr.strip()[-500:]}")
        first_line = out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""

    a = Assistant.open(store=store)
    t0 = time.perf_counter()
    a.ask(QUESTIONS[0][0])
    load_s = time.perf_counter() - t0
    passages = len(a.loaded.passage_ids)

    warm: list[float] = []
    abstained: set[str] = set()
    for _ in range(args.repeat):
        for q, filters in QUESTIONS:
            t0 = time.perf_counter()
            ans = a.ask(q, filters=filters or None)
            warm.append((time.perf_counter() - t0) * 1000)
            if ans.abstained:
                abstained.add(q)
    unanswerable = {q for q, _ in UNANSWERABLE}

    print(f"store: {store} ({passages} passages, {a.settings.embedding.mode} embeddings, {a.settings.answer.backend} answers)")
    print()
    print(f"{'measure':<44}{'value':>12}")
    print(f"{'cold `assistant ask` (new process), runs':<44}{', '.join(f'{x:.2f}' for x in cold) + ' s':>12}")
    print(f"{'cold `assistant ask`, median':<44}{statistics.median(cold):>10.2f} s")
    print(f"{'first ask in-process (opens the index)':<44}{load_s:>10.2f} s")
    print(f"{'warm ask p50':<44}{percentile(warm, 50):>9.1f} ms")
    print(f"{'warm ask p95':<44}{percentile(warm, 95):>9.1f} ms")
    print(f"{'warm ask max':<44}{max(warm):>9.1f} ms")
    print(f"{'warm questions asked':<44}{len(warm):>12}")
    print(f"{'abstained: unanswerable / answerable':<44}{f'{len(abstained & unanswerable)}/{len(UNANSWERABLE)} / {len(abstained - unanswerable)}/{len(ANSWERABLE)}':>12}")
    print()
    print(f"cold answer: {first_line[:160]}")
    for q in sorted(unanswerable - abstained):
        print(f"answered, though not in the transcripts: {q}")
    for q in sorted(abstained - unanswerable):
        print(f"abstained, though the seeds answer it: {q}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
