"""Measure a fresh process: opening the index, its first answer, and its peak memory.

    .venv/bin/python scripts/bench_open.py --store /tmp/bench-store [--runs 3] [--warm 30]

Each run is a new interpreter (so nothing is cached in-process; the OS page cache is warm after
the first): import, ``Assistant.open(...).loaded`` (opens the index), the first ``ask`` (loads
the reader), then optionally ``--warm`` more questions from ``bench_ask.py``. Memory is read from
``/proc/self/status``: peak resident set (VmHWM), and resident memory split into anonymous
(the process's own) and file-backed (memory-mapped files, shared with other processes through the page cache).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from assistant.api import Assistant
t1 = time.perf_counter()
a = Assistant.open(store=sys.argv[1])
a.loaded
t2 = time.perf_counter()
a.ask("How many candidates have been registered for the September elections?")
t3 = time.perf_counter()
warm = []
sys.path.insert(0, sys.argv[3])
if int(sys.argv[2]):
    from bench_ask import QUESTIONS
    for q, f in (QUESTIONS * 10)[: int(sys.argv[2])]:
        s = time.perf_counter()
        a.ask(q, filters=f or None)
        warm.append((time.perf_counter() - s) * 1000)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
kb = lambda k: int(status.get(k, "0 kB").split()[0]) // 1024
import assistant
print(json.dumps({"package": assistant.__file__, "import_s": t1 - t0, "open_s": t2 - t1, "first_answer_s": t3 - t2, "passages": len(a.loaded.passage_ids),
                  "peak_rss_mib": kb("VmHWM"), "rss_mib": kb("VmRSS"), "rss_anon_mib": kb("RssAnon"), "rss_file_mib": kb("RssFile"),
                  "warm_ms": warm}))
"""


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between ranks."""
    s = sorted(values)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def main(argv: list[str] | None = None) -> int:
    """Run the fresh processes and print each one's figures and the medians."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True, help="A store built by scripts/bench_index.py.")
    p.add_argument("--runs", type=int, default=3, help="Fresh processes (default 3).")
    p.add_argument("--warm", type=int, default=0, help="Questions asked after the first, in each process (default 0).")
    args = p.parse_args(argv)
    runs = []
    for _ in range(args.runs):
        # Run from the store's folder, not the checkout: ``python -c`` puts the working directory first on
        # sys.path, which would shadow the package PYTHONPATH names.
        out = subprocess.run([sys.executable, "-c", CHILD, str(args.store.resolve()), str(args.warm), str(Path(__file__).resolve().parent)],
                             capture_output=True, text=True, check=False, cwd=args.store.resolve())
        if out.returncode != 0:
            sys.exit(f"error: the measuring process failed: {out.stderr.strip()[-800:]}")
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        r = runs[-1]
        print(f"open {r['open_s']:.2f} s, first answer {r['first_answer_s']:.2f} s, import {r['import_s']:.2f} s, "
              f"peak RSS {r['peak_rss_mib']} MiB (now {r['rss_anon_mib']} anon + {r['rss_file_mib']} file)", flush=True)
    med = {k: statistics.median(r[k] for r in runs) for k in ("import_s", "open_s", "first_answer_s", "peak_rss_mib", "rss_anon_mib", "rss_file_mib")}
    print(f"package: {runs[0]['package']}")
    print(f"median of {len(runs)} ({runs[0]['passages']} passages): " + ", ".join(f"{k} {v:.2f}" for k, v in med.items()))
    warm = [w for r in runs for w in r["warm_ms"]]
    if warm:
        print(f"warm ask: p50 {percentile(warm, 50):.1f} ms, p95 {percentile(warm, 95):.1f} ms ({len(warm)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
