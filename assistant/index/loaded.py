"""The index as question time sees it: passages, turns, documents and people, read from Chroma.

Chroma holds the passages, their vectors and metadata. On open, they are read once into
arrays for filtering, exact dense scoring and BM25; the BM25 index is cached beside the
store, keyed by a fingerprint of the stored passages, so a warm start skips rebuilding it.
"""

from __future__ import annotations

import pickle
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np

from assistant.errors import NoIndexError
from assistant.index.manifest import passages_fingerprint, read_manifest, write_manifest
from assistant.index.store import PassageStore
from assistant.ingest.speakers import People, build_people
from assistant.text.dates import DATES_VERSION, years_about
from assistant.text.tokens import TOKENIZER_VERSION, stem, tokenize
from assistant.types import TurnRecord

T = TypeVar("T")


def _read_pickle(path: Path) -> Any:
    """A cache file's content, or None when it is missing or damaged (it is then rebuilt)."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError):
        return None


def _write_pickle(path: Path, obj: Any) -> None:
    """Write a cache file atomically, removing older ones of its kind (``<kind>-<key>.pkl``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(path.name.split("-")[0] + "-*.pkl"):
        old.unlink(missing_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)


def _cached(path: Path | None, build: Callable[[], T]) -> T:
    """``build()``'s result, read from ``path`` when cached there, else built and written there."""
    if path is not None:
        got = _read_pickle(path)
        if got is not None:
            return got
    obj = build()
    if path is not None:
        _write_pickle(path, obj)
    return obj


def _load_pickle(cache_dir: Path, manifest: dict[str, Any]) -> Any:
    return _read_pickle(cache_dir / f"loaded-{manifest['fingerprint']}.pkl") if manifest.get("fingerprint") else None


def cached_state(cache_dir: Path | None, stamp: Any) -> Any:
    """The loaded arrays, when the manifest marks the store clean (no need to open Chroma at all)."""
    manifest = read_manifest(cache_dir)
    if cache_dir is None or not manifest or stamp is None or manifest.get("stamp") != stamp:
        return None
    return _load_pickle(cache_dir, manifest)


def _read_cache(store: PassageStore | None, cache_dir: Path | None) -> Any:
    """The loaded arrays when the open store still holds what the manifest describes."""
    manifest = read_manifest(cache_dir)
    # The count check catches a store changed by another writer since the manifest.
    if store is None or cache_dir is None or not manifest or store.count() != manifest.get("count"):
        return None
    return _load_pickle(cache_dir, manifest)


def _write_cache(cache_dir: Path, fingerprint: str, state: Any) -> None:
    _write_pickle(cache_dir / f"loaded-{fingerprint}.pkl", state)
    write_manifest(cache_dir, fingerprint, len(state[0]))


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


        path = cache_dir / f"bm25-{fingerprint}-t{TOKENIZER_VERSION}.pkl" if cache_dir else None

        def build() -> Any:
            corpus = []
            for text, m in zip(self.passage_texts, self.meta):
                # Speaker and title words are searchable too ("Pamfilova", "Kazakhstan"), and so is a
                # quote's lead-in, which often names its topic.
                lead = self.lead_in(self.turns[m["turn_id"]]) if m.get("kind") == "quote" else ""
                corpus.append([stem(t) for t in tokenize(f"{m['speaker']} {m.get('title', '')} {lead} {text}")] or ["∅"])
            retriever = bm25s.BM25()
            retriever.index(corpus, show_progress=False)
            return retriever

        return _cached(path, build)

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

        path = self._cache_dir / f"years-{self.fingerprint}-d{DATES_VERSION}.pkl" if self._cache_dir else None
        return _cached(path, lambda: [years_about(text, m.get("date", "")) for text, m in zip(self.passage_texts, self.meta)])

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
