"""Make an N-times larger store from an indexed one, for question-time benchmarks at scale.

    .venv/bin/python scripts/bench_index.py --store /tmp/bench-store            # seeds/ + the mirror, 15.7k passages
    .venv/bin/python scripts/bench_copies.py --from /tmp/bench-store --to /tmp/bench-10x --times 10
    .venv/bin/python scripts/bench_open.py --store /tmp/bench-10x --warm 30

Copy k of every document gets the id ``<doc>~k`` (so its turns and passages are new ids) and the
source's text, metadata and vectors, made slightly different so that copies do not tie in either
search (a real corpus ten times larger has no exact duplicates): k filler words end each passage
(BM25 scores differ by length) and its vector is moved by a little noise. Only the question-time files are written: the snapshot, its BM25 index and a manifest
marking the store clean, so questions never open Chroma, and no embedding is run. The source
store must have a snapshot (ask it one question first).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.index.loaded import LoadedIndex
from assistant.index.manifest import read_manifest, store_files, write_manifest
from assistant.index.snapshot import Page, build_snapshot, open_snapshot


def renamed(m: dict, k: int) -> dict:
    """Passage metadata of copy ``k``."""
    m = dict(m, doc_id=f"{m['doc_id']}~{k}")
    m["turn_id"] = f"{m['doc_id']}#{m['turn']}"
    m["hash"] = f"{m.get('hash', '')}~{k}"
    return m


def pid(m: dict) -> str:
    """A passage id from its metadata, as the index names it."""
    return f"{m['turn_id']}:{m.get('passage', 1)}"


def copies(src: LoadedIndex, times: int, page: int = 2000) -> Iterator[Page]:
    """The source's passages ``times`` times over, renamed, a page at a time."""
    n = len(src)
    rng = np.random.default_rng(0)
    for k in range(times):
        for s in range(0, n, page):
            rows = list(range(s, min(s + page, n)))
            metas = [renamed(m, k) for m in src.meta.take(rows)]
            texts = [t + " filler" * k for t in src.passage_texts.take(rows)]
            vectors = np.asarray(src.vectors[s : s + len(rows)])
            vectors = vectors + rng.normal(scale=0.01 if k else 0.0, size=vectors.shape).astype(np.float32)
            yield [pid(m) for m in metas], texts, metas, vectors


def main(argv: list[str] | None = None) -> int:
    """Write the scaled store and print its size and build time."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="src", type=Path, required=True, help="An indexed store with a snapshot.")
    p.add_argument("--to", type=Path, required=True, help="A new folder for the scaled store.")
    p.add_argument("--times", type=int, default=10, help="Copies of the corpus (default 10).")
    args = p.parse_args(argv)
    manifest = read_manifest(args.src / "lexical")
    snap = open_snapshot(args.src / "lexical", (manifest or {}).get("fingerprint"), (manifest or {}).get("count"))
    if snap is None:
        sys.exit(f"error: {args.src} has no snapshot: ask it a question first")
    if args.to.exists() and any(args.to.iterdir()):
        sys.exit(f"error: {args.to} is not empty")
    src = LoadedIndex(None, embedder=None, state=snap)
    metas = list(src.meta)
    ids = [pid(renamed(m, k)) for k in range(args.times) for m in metas]
    del metas
    t0 = time.perf_counter()
    lexical = args.to / "lexical"
    lexical.mkdir(parents=True, exist_ok=True)
    built = build_snapshot(lexical, ids, copies(src, args.times))
    scaled = LoadedIndex(None, embedder=None, cache_dir=lexical, state=built)  # builds the BM25 index
    write_manifest(lexical, built.fingerprint, built.count, stamp=True, files=store_files(args.to))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.to}: {len(scaled)} passages, {len(scaled.turns)} turns, {len(scaled.documents)} documents; "
          f"built in {time.perf_counter() - t0:.0f} s, peak RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
