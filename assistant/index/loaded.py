"""The index as question time sees it: passages, turns, documents and people, over a snapshot.

Chroma holds the passages, their vectors and metadata; a completed index run's passages are
written once into a snapshot beside the store (see :mod:`assistant.index.snapshot`): vectors
and per-passage columns memory-mapped, text and metadata in a SQLite turn store read by id. So
opening the index reads no text, and a question reads the text of its hits only. The BM25 index
is cached beside it, keyed by the same fingerprint, and memory-mapped too.

What every question needs stays in memory: the column tables, the documents and who speaks in
them, the people table. Everything that once walked every turn or passage at question time is
precomputed in the snapshot (people, speakers per document, years per passage) or fetched by id.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import NoIndexError
from assistant.index.manifest import read_manifest, write_manifest
from assistant.index.snapshot import Snapshot, build_snapshot, open_snapshot
from assistant.index.store import PassageStore
from assistant.index.turnstore import DocTurnMap, PassageColumn, TurnMap
from assistant.ingest.speakers import People
from assistant.text.tokens import TOKENIZER_VERSION, fold_latin, stem, tokenize, words_only
from assistant.types import TurnRecord

# Passages given in memory (tests, small tools): ids, texts, metadata, vectors.
State = tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]


def _remove_others(cache_dir: Path, kind: str, keep: str) -> None:
    """Remove older cache entries of a kind (``<kind>-<key>…``), files or folders, keeping ``keep``."""
    for old in cache_dir.glob(f"{kind}-*"):
        if old.name.split(".")[0] != keep:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def cached_state(cache_dir: Path | None, stamp: Any, store_files: dict[str, int] | None = None) -> Snapshot | None:
    """The snapshot, when the manifest marks the store clean and its files are as that run left them
    (so there is no need to open Chroma at all); ``store_files`` is what :func:`store_files` sees now."""
    manifest = read_manifest(cache_dir)
    if cache_dir is None or not manifest or stamp is None or manifest.get("stamp") != stamp:
        return None
    if store_files is not None and manifest.get("files") != store_files:
        return None  # the store changed (or was damaged) behind the manifest's back
    return open_snapshot(cache_dir, manifest.get("fingerprint"), manifest.get("count"))


def _read_cache(store: PassageStore | None, cache_dir: Path | None, vectors: bool = True) -> Snapshot | None:
    """The snapshot of what the open store holds, when there is one."""
    if store is None or cache_dir is None:
        return None
    count = store.count()
    if store.url:
        # A Chroma server carries the fingerprint of its last completed index run: a snapshot of it,
        # built here once, serves every later process on this machine without reading the corpus.
        got = open_snapshot(cache_dir, store.fingerprint(), count, vectors)
        if got is not None:
            return got
    manifest = read_manifest(cache_dir)
    # A run that marked the store dirty and never completed may have changed it, count unchanged; the count
    # check catches a store changed by another writer since the manifest.
    if not manifest or manifest.get("stamp") is False or count != manifest.get("count"):
        return None
    return open_snapshot(cache_dir, manifest.get("fingerprint"), count, vectors)


def _writable_dir(cache_dir: Path | None, owner: object) -> Path:
    """``cache_dir`` when it can be written; else a temporary folder removed with ``owner`` (a read-only store still answers)."""
    if cache_dir is not None:
        try:
            Path(cache_dir).mkdir(parents=True, exist_ok=True)
            probe = Path(cache_dir) / f".probe.{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
            return Path(cache_dir)
        except OSError:
            pass
    tmp = tempfile.mkdtemp(prefix="assistant-snapshot-")
    weakref.finalize(owner, shutil.rmtree, tmp, True)
    return Path(tmp)


def snapshot_of_store(store: PassageStore, cache_dir: Path, vectors: bool = True) -> Snapshot:
    """Build the snapshot of what ``store`` holds into ``cache_dir``, reading it page by page."""
    return _snapshot_from(store, cache_dir, None, None, vectors)


def _snapshot_from(
    store: PassageStore | None, cache_dir: Path | None, state: State | None, owner: object, vectors: bool = True,
) -> Snapshot:
    """Build the snapshot from the store (read page by page; without ``vectors``, text and metadata only)
    or from passages given in memory."""
    target = _writable_dir(cache_dir, owner)
    if state is not None:
        ids, texts, metas, vectors = state
        pages: Any = [(list(ids), list(texts), list(metas), np.asarray(vectors, dtype=np.float32))]
        all_ids = list(ids)
    elif store is None:
        raise NoIndexError("no snapshot of the index to open, and no store to build one from: run `assistant index`")
    else:
        all_ids = store.ids()
        pages = store.pages(vectors=vectors)
    if not all_ids:
        where = (store.url or store.path) if store is not None else "memory"
        raise NoIndexError(f"the index in {where} is empty: run `assistant index` to build it")
    snap = build_snapshot(target, all_ids, pages)
    if store is not None and cache_dir is not None and target == Path(cache_dir):
        write_manifest(target, snap.fingerprint, snap.count)
    return snap


class _DocFreq(Mapping[str, int]):
    """How many passages hold each term of the BM25 vocabulary, looked up per term."""

    def __init__(self, bm25: Any) -> None:
        self._vocab = bm25.vocab_dict
        self._indptr = bm25.scores["indptr"]

    def __getitem__(self, term: str) -> int:
        i = self._vocab[term]
        if i + 1 >= len(self._indptr):
            raise KeyError(term)
        return int(self._indptr[i + 1] - self._indptr[i])

    def __iter__(self) -> Iterator[str]:
        return (t for t, i in self._vocab.items() if i + 1 < len(self._indptr))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LoadedIndex:
    """Filters, scores and lookups over every passage; text and turns fetched on demand.

    ``state`` is an opened :class:`Snapshot`, or passages given in memory (ids, texts, metadata,
    vectors) to snapshot first; without it the snapshot beside the store is opened, or built from the store.
    ``remote`` is a Chroma server's store that runs dense search (:meth:`remote_dense`): the snapshot
    then needs no vectors, and none are read.
    """

    def __init__(
        self, store: PassageStore | None, embedder: Any, cache_dir: Path | None = None, state: Any = None,
        remote: PassageStore | None = None,
    ) -> None:
        self.embedder = embedder
        self.remote = remote
        vectors = remote is None
        snap = state if isinstance(state, Snapshot) else None if state is not None else _read_cache(store, cache_dir, vectors)
        if snap is None:
            snap = _snapshot_from(store, cache_dir, state, self, vectors)
        self.snapshot = snap
        self.fingerprint = snap.fingerprint
        self.vectors: np.ndarray | None = snap.vectors
        if self.vectors is None and remote is None:
            raise ValueError("a snapshot without vectors needs a Chroma server to search")
        self.columns = snap.columns
        self.turn_rows: np.ndarray = snap.columns.codes["turn"]
        n = snap.count
        self.passage_ids = PassageColumn(snap.turns, "id", n)
        self.passage_texts = PassageColumn(snap.turns, "text", n)
        self.meta = PassageColumn(snap.turns, "meta", n)
        self.turns: Mapping[str, TurnRecord] = TurnMap(snap.turns, snap.n_turns)
        self.documents: dict[str, dict[str, Any]] = snap.documents
        self.doc_turns: Mapping[str, dict[int, str]] = DocTurnMap(snap.turns, list(snap.documents))
        self.doc_speakers: dict[str, set[str]] = snap.doc_speakers
        self._doc_words: dict[str, str] = {}
        self.people: People = snap.people
        self.alias_table = self.people.alias_table()
        self._bm25 = self._load_bm25(snap.path.parent, self.fingerprint)
        self._reported: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return self.snapshot.count

    # Columns, decoded for callers that want strings; question time compares codes.
    @cached_property
    def p_speaker(self) -> np.ndarray:
        """Each passage's speaker (decoded from the speaker codes)."""
        return self.columns.decoded("speaker")

    @cached_property
    def p_doc(self) -> np.ndarray:
        """Each passage's document id."""
        return self.columns.decoded("doc")

    @cached_property
    def p_date(self) -> np.ndarray:
        """Each passage's ISO date ("" when undated)."""
        return self.columns.decoded("date").astype("U10")

    @cached_property
    def p_turn(self) -> list[str]:
        """Each passage's turn id (reads every turn id: not for question time)."""
        ids = self.snapshot.turns.turn_ids_of_rows(np.unique(self.turn_rows).tolist())
        return [ids[int(r)] for r in self.turn_rows]

    def speaker_mask(self, speakers: list[str]) -> np.ndarray:
        """Passages by any of ``speakers`` (canonical names)."""
        return self.columns.isin("speaker", speakers)

    def doc_mask(self, doc_ids: list[str]) -> np.ndarray:
        """Passages of any of ``doc_ids``."""
        return self.columns.isin("doc", doc_ids)

    def date_mask(self, date_from: str | None, date_to: str | None) -> np.ndarray:
        """Passages dated within the bounds (inclusive; undated passages fail any bound)."""
        return self.columns.date_range(date_from, date_to)

    def undated_mask(self) -> np.ndarray:
        """Passages of documents that give no date."""
        return self._undated

    @cached_property
    def _undated(self) -> np.ndarray:
        return self.p_date == ""

    def date_match(self, years: list[int], months: list[int]) -> np.ndarray:
        """Passages dated in one of ``years`` and one of ``months`` (an empty list is no condition)."""
        return self.columns.date_match(years, months)

    def passages_of(self, rows: list[int]) -> list[tuple[str, str]]:
        """(passage id, turn id) of the passages at ``rows``."""
        ids = self.passage_ids.take(rows)
        tids = self.snapshot.turns.turn_ids_of_rows([int(self.turn_rows[r]) for r in rows])
        return [(pid, tids[int(self.turn_rows[r])]) for pid, r in zip(ids, rows)]

    def doc_freq(self) -> Mapping[str, int]:
        """How many passages hold each (stemmed) term of the BM25 vocabulary."""
        return _DocFreq(self._bm25)

    def _load_bm25(self, cache_dir: Path, fingerprint: str) -> Any:
        import bm25s

        path = cache_dir / f"bm25-{fingerprint}-t{TOKENIZER_VERSION}"
        if (path / "params.index.json").exists():
            try:
                # bm25s's own format: JSON and .npy arrays read with allow_pickle=False, memory-mapped.
                got = bm25s.BM25.load(str(path), mmap=True, allow_pickle=False, show_progress=False)
                if int(got.scores.get("num_docs", -1)) == len(self):
                    return got
            except Exception:  # a damaged or foreign cache is rebuilt
                pass
        retriever = bm25s.BM25()
        retriever.index(list(self._bm25_corpus()), show_progress=False)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        try:
            _remove_others(path.parent, "bm25", path.name)
            shutil.rmtree(path, ignore_errors=True)
            retriever.save(str(tmp), allow_pickle=False, show_progress=False)
            tmp.replace(path)
            # Reopened memory-mapped, as every later process will see it.
            return bm25s.BM25.load(str(path), mmap=True, allow_pickle=False, show_progress=False)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # a read-only store still answers; rebuilt next time
        return retriever

    def _bm25_corpus(self) -> Iterator[list[str]]:
        """Each passage's stemmed tokens, read from the turn store in pages (building the BM25 index only)."""
        n = len(self)
        for s in range(0, n, 2000):
            rows = list(range(s, min(s + 2000, n)))
            for text, m in zip(self.passage_texts.take(rows), self.meta.take(rows)):
                # Speaker and title words are searchable too ("Pamfilova", "Kazakhstan"), and so is a
                # quote's lead-in, which often names its topic.
                lead = self.lead_in(self.turns[m["turn_id"]]) if m.get("kind") == "quote" else ""
                yield [stem(t) for t in tokenize(f"{m['speaker']} {m.get('title', '')} {lead} {text}")] or ["∅"]

    @cached_property
    def _years(self) -> Any:
        return self.snapshot.years()

    @cached_property
    def p_years(self) -> list[frozenset[int]]:
        """The years each passage is about (see :mod:`assistant.text.dates`), one set per passage."""
        return self._years.sets(len(self))

    def reported_mask(self, speakers: list[str]) -> np.ndarray:
        """Narration passages that name one of ``speakers`` by surname (a reporter's paraphrase)."""
        mask = np.zeros(len(self), dtype=bool)
        for name in speakers:
            surname = name.split()[-1]
            if surname not in self._reported:
                # The turn store finds the narration that contains the word; the word boundaries are checked here.
                pattern = re.compile(rf"\b{re.escape(surname)}\b")
                rows = [r for r, text in self.snapshot.turns.narration_containing(surname) if pattern.search(text)]
                if len(self._reported) > 256:
                    self._reported.clear()
                self._reported[surname] = np.asarray(rows, dtype=np.int64)
            mask[self._reported[surname]] = True
        return mask

    def year_mask(self, years: list[int]) -> np.ndarray:
        """Passages about any of ``years``."""
        return self._years.mask(years, len(self))

    def bm25_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every passage for the (already stemmed) query tokens."""
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(self), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Query vector from the same embedder the passages used."""
        return self.embedder.encode([text])[0]

    def dense_scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every passage to a query vector (exact search over the memory-mapped vectors)."""
        if self.vectors is None:
            raise ValueError("this index searches on the Chroma server: use remote_dense()")
        return self.vectors @ vector

    def remote_dense(self, vector: np.ndarray, mask: np.ndarray, k: int) -> np.ndarray:
        """Rows of the ``k`` passages nearest ``vector`` among ``mask``, found by the Chroma server's own search.

        The server filters by what its metadata can say (the speakers and documents ``mask`` admits, when
        they are few); what it cannot (years, dates, a reporter's paraphrase) is filtered here, asking
        for more candidates until ``k`` pass or the server has no more.
        """
        assert self.remote is not None
        where = self._where(mask)
        n = max(2 * k, 20)
        while True:
            ids = self.remote.query(vector, n, where)
            rows = self.snapshot.turns.rows_of_ids(ids)  # ids this snapshot lacks (a newer index) are skipped
            ranked = [rows[i] for i in ids if i in rows and mask[rows[i]]]
            if len(ranked) >= k or len(ids) < n or n >= len(self):
                return np.asarray(ranked[:k], dtype=np.int64)
            n = min(n * 4, len(self))

    def _where(self, mask: np.ndarray) -> dict[str, Any] | None:
        """A Chroma ``where`` admitting every passage of ``mask`` (and maybe more), from its speakers and documents."""
        if mask.all():
            return None
        conds: list[dict[str, Any]] = []
        for column, key in (("speaker", "speaker"), ("doc", "doc_id")):
            codes = np.unique(self.columns.codes[column][mask])
            if len(codes) <= 200:
                conds.append({key: {"$in": [self.columns.tables[column][int(c)] for c in codes]}})
        return None if not conds else conds[0] if len(conds) == 1 else {"$and": conds}

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

    def doc_words(self, doc_id: str) -> str:
        """A document as one lower-case string of words (title, place, lead, speakers, roles, every turn; Latin
        letters without diacritics), with
        a space at each end: " … " + a name's words + " " is found in it when the document mentions the name.
        Kept for the last few documents asked about."""
        cache = self._doc_words
        if doc_id not in cache:
            if len(cache) >= 64:
                cache.pop(next(iter(cache)))
            # The page's lead says what the event was ("The meeting took place following the Formula 1
            # Russian Grand Prix"): the document mentions what its lead names.
            parts: list[str] = [str(self.documents.get(doc_id, {}).get(k, "")) for k in ("title", "place", "lead")]
            for tid in (self.doc_turns[doc_id].values() if doc_id in self.doc_turns else ()):
                t = self.turns[tid]
                parts += [t.speaker, t.role, t.text]
            # Latin letters without diacritics, as a question's names are read: "Québec" mentions "Quebec".
            cache[doc_id] = " " + words_only(fold_latin(" ".join(parts))) + " "
        return cache[doc_id]

    def turn_at(self, doc_id: str, n: int) -> TurnRecord | None:
        """Turn ``n`` of a document, or None."""
        tid = self.snapshot.turns.turn_id_at(doc_id, n)
        return self.snapshot.turns.turn(tid) if tid else None

    def speaker_turns(self, speaker: str, limit: int | None = None) -> tuple[int, list[str]]:
        """How many turns ``speaker`` has, and the text of the first ``limit`` of them."""
        return self.snapshot.turns.speaker_turns(speaker, limit)
