"""The index as question time sees it: passages, turns, documents and people, read from Chroma.

Chroma holds the passages, their vectors and metadata. On open, they are read once into
arrays for filtering, exact dense scoring and BM25; the BM25 index is cached beside the
store, keyed by a fingerprint of the stored passages, so a warm start skips rebuilding it.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import NoIndexError
from assistant.index.manifest import passages_fingerprint, read_manifest, write_manifest
from assistant.index.store import PassageStore
from assistant.ingest.speakers import People, build_people
from assistant.text.dates import DATES_VERSION, years_about
from assistant.text.tokens import TOKENIZER_VERSION, stem, tokenize
from assistant.types import TurnRecord

# Caches beside the store hold data only (JSON and numpy arrays read with allow_pickle=False):
# stores are copied between colleagues, and loading a cache must never run code.
State = tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]


def _remove_others(cache_dir: Path, kind: str, keep: str) -> None:
    """Remove older cache entries of a kind (``<kind>-<key>…``), files or folders, keeping ``keep``."""
    import shutil

    for old in cache_dir.glob(f"{kind}-*"):
        if old.name.split(".")[0] != keep:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def _write_json(path: Path, obj: Any) -> None:
    """Write a JSON cache file atomically, removing older ones of its kind (``<kind>-<key>.json``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_others(path.parent, path.name.split("-")[0], path.name.split(".")[0])
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _read_json(path: Path) -> Any:
    """A JSON cache file's content, or None when it is missing or damaged (it is then rebuilt)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _state_paths(cache_dir: Path, fingerprint: str) -> tuple[Path, Path]:
    return cache_dir / f"loaded-{fingerprint}.json", cache_dir / f"loaded-{fingerprint}.npy"


def _read_state(cache_dir: Path, manifest: dict[str, Any]) -> State | None:
    """The passages a reader last loaded for this manifest's fingerprint, or None when missing or damaged."""
    if not manifest.get("fingerprint"):
        return None
    meta_path, vec_path = _state_paths(cache_dir, str(manifest["fingerprint"]))
    data = _read_json(meta_path)
    try:
        vectors = np.load(vec_path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    ids, texts, metas = data.get("ids"), data.get("texts"), data.get("metas")
    if not (isinstance(ids, list) and isinstance(texts, list) and isinstance(metas, list)):
        return None
    if not (len(ids) == len(texts) == len(metas) == len(vectors)) or vectors.dtype != np.float32 or vectors.ndim != 2:
        return None
    if not all(isinstance(m, dict) for m in metas):
        return None
    return ids, texts, metas, vectors


def cached_state(cache_dir: Path | None, stamp: Any, store_files: dict[str, int] | None = None) -> State | None:
    """The loaded arrays, when the manifest marks the store clean and its files are as that run left them
    (so there is no need to open Chroma at all); ``store_files`` is what :func:`store_files` sees now."""
    manifest = read_manifest(cache_dir)
    if cache_dir is None or not manifest or stamp is None or manifest.get("stamp") != stamp:
        return None
    if store_files is not None and manifest.get("files") != store_files:
        return None  # the store changed (or was damaged) behind the manifest's back
    return _read_state(cache_dir, manifest)


def _read_cache(store: PassageStore | None, cache_dir: Path | None) -> State | None:
    """The loaded arrays when the open store still holds what the manifest describes."""
    manifest = read_manifest(cache_dir)
    # The count check catches a store changed by another writer since the manifest.
    if store is None or cache_dir is None or not manifest or store.count() != manifest.get("count"):
        return None
    return _read_state(cache_dir, manifest)


def _write_cache(cache_dir: Path, fingerprint: str, state: State) -> None:
    ids, texts, metas, vectors = state
    meta_path, vec_path = _state_paths(cache_dir, fingerprint)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = vec_path.with_suffix(f".{os.getpid()}.tmp.npy")
    np.save(tmp, np.ascontiguousarray(vectors, dtype=np.float32), allow_pickle=False)
    tmp.replace(vec_path)
    _write_json(meta_path, {"ids": ids, "texts": texts, "metas": metas})
    write_manifest(cache_dir, fingerprint, len(ids))


class LoadedIndex:
    """Arrays over every passage plus turn and document lookups."""

    def __init__(self, store: PassageStore | None, embedder: Any, cache_dir: Path | None = None, state: Any = None) -> None:
        self.embedder = embedder
        cached = state if state is not None else _read_cache(store, cache_dir)
        if cached is not None:
            self.passage_ids, self.passage_texts, self.meta, self.vectors = cached
        else:
            assert store is not None
            ids, texts, metas, vectors = store.read_all()
            if not ids:
                raise NoIndexError(f"the index in {store.url or store.path} is empty: run `assistant index` to build it")
            order = sorted(range(len(ids)), key=lambda i: ids[i])  # stable across runs, for the cache key
            self.passage_ids = [ids[i] for i in order]
            self.passage_texts = [texts[i] for i in order]
            self.meta = [metas[i] for i in order]
            emb = vectors[order]
            self.vectors = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        self.p_speaker = np.array([m["speaker"] for m in self.meta], dtype=object)
        self.p_doc = np.array([m["doc_id"] for m in self.meta], dtype=object)
        self.p_date = np.array([m.get("date", "") for m in self.meta], dtype="U10")
        self.p_turn = [m["turn_id"] for m in self.meta]
        self._build_turns()
        self.people: People = build_people(
            (t.doc_id, t.speaker, t.role or None, t.label, t.kind, t.text) for t in self.turns.values()
        )
        self.alias_table = self.people.alias_table()
        fingerprint = passages_fingerprint((i, m.get("hash", "")) for i, m in zip(self.passage_ids, self.meta))
        self.fingerprint = fingerprint
        self._bm25 = self._load_bm25(cache_dir, fingerprint)
        self._cache_dir = cache_dir
        if cached is None and cache_dir is not None and store is not None:
            _write_cache(cache_dir, fingerprint, (self.passage_ids, self.passage_texts, self.meta, self.vectors))

    def _build_turns(self) -> None:
        pieces: dict[str, list[tuple[int, str]]] = defaultdict(list)
        first: dict[str, dict[str, Any]] = {}
        for text, m in zip(self.passage_texts, self.meta):
            pieces[m["turn_id"]].append((int(m.get("passage", 1)), text))
            first.setdefault(m["turn_id"], m)
        self.turns: dict[str, TurnRecord] = {}
        self.doc_turns: dict[str, dict[int, str]] = defaultdict(dict)
        self.documents: dict[str, dict[str, Any]] = {}
        for tid, ps in pieces.items():
            m = first[tid]
            text = " ".join(t for _, t in sorted(ps))
            rec = TurnRecord(
                turn_id=tid, doc_id=m["doc_id"], n=int(m["turn"]), speaker=m["speaker"], role=m.get("role", ""),
                label=m.get("label", ""), kind=m.get("kind", "speech"), text=text, title=m.get("title", ""),
                date=m.get("date", ""), time=m.get("time", ""), place=m.get("place", ""), source=m.get("source", ""),
                start=int(m.get("start", 0)), end=int(m.get("end", 0)), quoted_in=m.get("quoted_in", ""),
                url=m.get("url", ""), n_turns=int(m.get("n_turns", 0)),
            )
            self.turns[tid] = rec
            self.doc_turns[rec.doc_id][rec.n] = tid
            self.documents.setdefault(
                rec.doc_id,
                {"doc_id": rec.doc_id, "title": rec.title, "date": rec.date, "time": rec.time, "place": rec.place,
                 "url": rec.url, "source": rec.source, "lead": m.get("lead", ""), "outlet": m.get("outlet", ""),
                 "author": m.get("author", ""), "turns": rec.n_turns},
            )

    def doc_freq(self) -> dict[str, int]:
        """How many passages hold each (stemmed) term of the BM25 vocabulary."""
        indptr = np.asarray(self._bm25.scores["indptr"])
        counts = np.diff(indptr)
        return {tok: int(counts[i]) for tok, i in self._bm25.vocab_dict.items() if i < len(counts)}

    def _load_bm25(self, cache_dir: Path | None, fingerprint: str) -> Any:
        import bm25s

        path = cache_dir / f"bm25-{fingerprint}-t{TOKENIZER_VERSION}" if cache_dir else None
        if path is not None and (path / "params.index.json").exists():
            try:
                # bm25s's own format: JSON and .npy arrays read with allow_pickle=False, memory-mapped.
                got = bm25s.BM25.load(str(path), mmap=True, allow_pickle=False, show_progress=False)
                if int(got.scores.get("num_docs", -1)) == len(self.passage_ids):
                    return got
            except Exception:  # a damaged or foreign cache is rebuilt
                pass

        corpus = []
        for text, m in zip(self.passage_texts, self.meta):
            # Speaker and title words are searchable too ("Pamfilova", "Kazakhstan"), and so is a
            # quote's lead-in, which often names its topic.
            lead = self.lead_in(self.turns[m["turn_id"]]) if m.get("kind") == "quote" else ""
            corpus.append([stem(t) for t in tokenize(f"{m['speaker']} {m.get('title', '')} {lead} {text}")] or ["∅"])
        retriever = bm25s.BM25()
        retriever.index(corpus, show_progress=False)
        if path is not None:
            import shutil

            tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
            try:
                _remove_others(path.parent, "bm25", path.name)
                shutil.rmtree(path, ignore_errors=True)
                retriever.save(str(tmp), allow_pickle=False, show_progress=False)
                tmp.replace(path)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)  # a read-only store still answers; rebuilt next time
        return retriever

    @cached_property
    def doc_speakers(self) -> dict[str, set[str]]:
        """Document id → the people who speak in it."""
        out: dict[str, set[str]] = defaultdict(set)
        for t in self.turns.values():
            out[t.doc_id].add(t.speaker)
        return dict(out)

    @cached_property
    def p_years(self) -> list[frozenset[int]]:
        """The years each passage is about (see :mod:`assistant.dates`): computed on first use (~1 s
        for 15k passages) and cached beside the BM25 index."""

        path = self._cache_dir / f"years-{self.fingerprint}-d{DATES_VERSION}.json" if self._cache_dir else None
        got = _read_json(path) if path is not None else None
        if isinstance(got, list) and len(got) == len(self.passage_ids):
            try:
                return [frozenset(int(y) for y in ys) for ys in got]
            except (TypeError, ValueError):
                pass
        years = [years_about(text, m.get("date", "")) for text, m in zip(self.passage_texts, self.meta)]
        if path is not None:
            try:
                _write_json(path, [sorted(ys) for ys in years])
            except OSError:
                pass
        return years

    def reported_mask(self, speakers: list[str]) -> np.ndarray:
        """Narration passages that name one of ``speakers`` by surname (a reporter's paraphrase)."""
        import re

        pattern = re.compile("|".join(rf"\b{re.escape(n.split()[-1])}\b" for n in speakers))
        mask = np.zeros(len(self.passage_ids), dtype=bool)
        for i in self._narration:  # a few hundred passages, not every one on each question
            mask[i] = bool(pattern.search(self.passage_texts[i]))
        return mask

    @cached_property
    def _narration(self) -> list[int]:
        return [i for i, m in enumerate(self.meta) if m.get("kind") == "narration"]

    def year_mask(self, years: list[int]) -> np.ndarray:
        """Passages about any of ``years``."""
        wanted = set(years)
        return np.fromiter((bool(ys & wanted) for ys in self.p_years), dtype=bool, count=len(self.passage_ids))

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the (already stemmed) query tokens."""
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(self.passage_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Query vector from the same embedder the passages used."""
        return self.embedder.encode([text])[0]

    def dense_scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every passage to a query vector (exact search)."""
        return self.vectors @ vector

    def lead_in(self, turn: TurnRecord) -> str:
        """The reporter's narration that introduces a quote ("He touched on electronic voting too:").

        Consecutive quotes share the lead-in of the first.
        """
        if turn.kind != "quote":
            return ""
        for back in range(1, 5):
            prev = self.turn_at(turn.doc_id, turn.n - back)
            if prev is None or prev.kind not in ("quote", "narration"):
                return ""
            if prev.kind == "narration":
                return prev.text
        return ""

    def turn_at(self, doc_id: str, n: int) -> TurnRecord | None:
        """Turn ``n`` of a document, or None."""
        tid = self.doc_turns.get(doc_id, {}).get(n)
        return self.turns.get(tid) if tid else None
