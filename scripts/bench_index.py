"""Benchmark a full index build and an unchanged re-index: seeds/ plus the kremlin mirror, into a fresh store.

    .venv/bin/python scripts/bench_index.py [--store DIR] [--mode static|contextual] [--corpus PATH ...]

Prints one table: documents, turns, passages, seconds, passages/s and peak memory for the first
build, then the same for a re-index of the unchanged corpus (which should embed nothing). The
store is kept, so ``scripts/bench_ask.py --store DIR`` can reuse it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from assistant.index.build import IndexSummary, build_index, open_store
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT.parent / "shared" / "corpora" / "kremlin_en_2010_2020_mirror" / "var"


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, help="Empty or new folder for the store (default: a new temp folder, kept).")
    p.add_argument("--mode", choices=["static", "contextual"], default="static", help="Embedding mode (default static).")
    p.add_argument(
        "--corpus", type=Path, nargs="+", default=[MIRROR],
        help=f"Paths indexed besides seeds/ (default: the kremlin mirror, {MIRROR}).",
    )
    return p.parse_args(argv)


def row(name: str, s: IndexSummary, wall: float, rss: float) -> str:
    """One table row."""
    rate = f"{s.embedded / wall:.0f}" if s.embedded else "-"  # embedded passages per second of the whole run
    return (
        f"{name:<20}{s.documents:>10}{s.turns:>8}{s.passages:>10}{s.embedded:>10}{len(s.skipped):>9}"
        f"{wall:>10.1f}{rate:>12}{rss:>15.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Build, re-index, print the table."""
    args = parse_args(argv)
    for c in args.corpus:
        if not c.exists():
            sys.exit(f"error: {c}: no such file or folder")
    store = args.store or Path(tempfile.mkdtemp(prefix="bench-store-"))
    if store.exists() and any(store.iterdir()):
        sys.exit(f"error: {store} is not empty; the benchmark needs a fresh store (give a new folder)")
    settings = Settings.load()
    settings.paths.store = store
    settings.embedding.mode = args.mode
    paths = [ROOT / "seeds", *args.corpus]
    rss_start = peak_rss_mib()

    t0 = time.perf_counter()
    first = build_index(settings, paths)
    first_wall = time.perf_counter() - t0
    rss_first = peak_rss_mib()

    t0 = time.perf_counter()
    again = build_index(settings, paths)
    again_wall = time.perf_counter() - t0
    rss_again = peak_rss_mib()

    print(f"corpus: {', '.join(str(p) for p in paths)}")
    print(f"store:  {store} ({args.mode} mode, {open_store(settings).count()} passages stored)")
    print(f"peak RSS after imports: {rss_start:.0f} MiB")
    print()
    print(f"{'run':<20}{'documents':>10}{'turns':>8}{'passages':>10}{'embedded':>10}{'skipped':>9}{'seconds':>10}{'passages/s':>12}{'peak RSS MiB':>15}")
    print(row("first build", first, first_wall, rss_first))
    print(row("re-index unchanged", again, again_wall, rss_again))
    for s in first.skipped:
        print(f"skipped: {s.reason}")
    if again.embedded:
        print(f"warning: the unchanged re-index embedded {again.embedded} passages (expected 0)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
