"""The snapshot: what question time reads, written once beside the store and opened without reading text.

A snapshot folder ``lexical/snapshot-<fingerprint>-s<version>/`` holds

- ``vectors.npy``: one float32 row per passage, normalised, memory-mapped on open. float32 and not
  float16 or int8: dense scores must be exactly those of the vectors Chroma holds, or rankings (and
  so answers) would move; the file is shared by every process through the page cache instead.
  A snapshot of a Chroma server's collection searched on the server has none (folder ``…-text``);
- ``speaker.npy``, ``doc.npy``, ``date.npy``, ``kind.npy``, ``turn.npy``: the per-passage columns
  (see :mod:`assistant.index.columns`), memory-mapped;
- ``years-d<dates version>-rows.npy`` / ``-years.npy``: the years each passage is about;
- ``turns.sqlite3``: passages' and turns' text and metadata (see :mod:`assistant.index.turnstore`);
- ``tables.json``: the column tables, the documents (with their lead, its first 500 characters), who speaks in each,
  the people table, counts and the files' sizes (a truncated file is caught on open).

Passages are in id order (rows are stable across runs). Everything is data (JSON, ``.npy`` read with
``allow_pickle=False``, SQLite): stores are copied between colleagues, and opening a cache must
never run code. A missing or damaged snapshot is rebuilt from the store, read page by page.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.index.columns import ARRAYS, Columns, Years, encode
from assistant.index.manifest import passages_fingerprint
from assistant.index.turnstore import FILE, INDEXES, SCHEMA, TurnStore, record_json
from assistant.ingest.speakers import People, Person, build_people, name_key, role_phrases
from assistant.text.dates import DATES_VERSION, years_about
from assistant.types import TurnRecord

VERSION = 3  # 3: documents carry their lead (who a page says its guest is)
TABLES = "tables.json"
# A page of passages as the store gives them: ids, texts, metadata, vectors.
Page = tuple[list[str], list[str], list[dict[str, Any]], Any]


def snapshot_path(cache_dir: Path, fingerprint: str, vectors: bool = True) -> Path:
    """Where the snapshot of the passages with this fingerprint lives (``vectors``: one that holds them)."""
    return Path(cache_dir) / f"snapshot-{fingerprint}-s{VERSION}{'' if vectors else '-text'}"


def _years_paths(path: Path) -> tuple[Path, Path]:
    return path / f"years-d{DATES_VERSION}-rows.npy", path / f"years-d{DATES_VERSION}-years.npy"


def people_data(people: People) -> list[dict[str, Any]]:
    """The people table as JSON-ready data (roles keep their first-seen order: ties in ``role`` depend on it)."""
    return [
        {"key": key, "name": p.name, "roles": list(p.roles.items()), "aliases": sorted(p.aliases), "turns": p.turns,
         "documents": sorted(p.documents), "kinds": sorted(p.kinds)}
        for key, p in people.by_key.items()
    ]


def people_from(data: list[dict[str, Any]]) -> People:
    """The people table back from :func:`people_data`, keyed anew by :func:`name_key` (a snapshot written
    before a change to the key still finds its people)."""
    people = People()
    for d in data:
        # Role phrases are read again: a snapshot written before a change to them still finds its people by role.
        aliases = set(d["aliases"]).union(*(role_phrases(r) for r, _ in d["roles"]))
        people.by_key[name_key(d["name"])] = Person(
            name=d["name"], roles=Counter({r: int(n) for r, n in d["roles"]}), aliases=aliases,
            turns=int(d["turns"]), documents=set(d["documents"]), kinds=set(d["kinds"]),
        )
    return people


@dataclass
class Snapshot:
    """An opened snapshot: arrays memory-mapped, tables in memory, text behind the turn store."""

    path: Path
    fingerprint: str
    count: int
    n_turns: int
    vectors: np.ndarray | None  # None: dense search runs on the Chroma server
    columns: Columns
    turns: TurnStore
    documents: dict[str, dict[str, Any]]
    doc_speakers: dict[str, set[str]]
    people: People

    def years(self) -> Years:
        """The years each passage is about, computed from the turn store if this snapshot lacks them."""
        rows_path, years_path = _years_paths(self.path)
        try:
            got = Years(np.load(rows_path, mmap_mode="r", allow_pickle=False), np.load(years_path, mmap_mode="r", allow_pickle=False))
            if got.rows.shape == got.years.shape and got.rows.ndim == 1 and (len(got.rows) == 0 or int(got.rows.max()) < self.count):
                return got
        except (OSError, ValueError):
            pass  # missing (a newer date rule) or damaged: computed again below
        years = compute_years(self.turns, self.columns, self.count)
        try:
            _save(rows_path, years.rows)
            _save(years_path, years.years)
        except OSError:
            pass  # a read-only store still answers
        return years

    def close(self) -> None:
        """Close the turn store."""
        self.turns.close()


def compute_years(turns: TurnStore, columns: Columns, count: int) -> Years:
    """The years each passage is about (~1 s per 15k passages)."""
    dates = columns.tables["date"]
    codes = columns.codes["date"]

    def each() -> Iterator[frozenset[int]]:
        for s in range(0, count, 2000):
            rows = range(s, min(s + 2000, count))
            for r, text in zip(rows, turns.passage_column("text", rows)):
                yield years_about(text, dates[int(codes[r])])

    return Years.from_sets(each())


def _save(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npy")
    np.save(tmp, array, allow_pickle=False)
    tmp.replace(path)


def _sizes(path: Path) -> dict[str, int]:
    return {f.name: f.stat().st_size for f in path.iterdir()
            if f.is_file() and f.name != TABLES and not f.name.startswith("years-") and ".tmp" not in f.name}


def open_snapshot(cache_dir: Path | None, fingerprint: str | None, count: int | None = None, vectors: bool = True) -> Snapshot | None:
    """The snapshot of these passages, or None when it is missing, incomplete or damaged (it is then rebuilt).

    Without ``vectors``, a snapshot that has them serves too.
    """
    if cache_dir is None or not fingerprint:
        return None
    if not vectors:
        return _open(snapshot_path(cache_dir, fingerprint, False), fingerprint, count) or _open(
            snapshot_path(cache_dir, fingerprint), fingerprint, count)
    return _open(snapshot_path(cache_dir, fingerprint), fingerprint, count)


def _open(path: Path, fingerprint: str, count: int | None) -> Snapshot | None:
    try:
        tables = json.loads((path / TABLES).read_text(encoding="utf-8"))
        if not isinstance(tables, dict) or tables.get("version") != VERSION or tables.get("fingerprint") != fingerprint:
            return None
        n = int(tables["count"])
        if (count is not None and n != count) or tables.get("files") != _sizes(path):
            return None
        vectors = np.load(path / "vectors.npy", mmap_mode="r", allow_pickle=False) if tables["vectors"] else None
        if vectors is not None and (vectors.dtype != np.float32 or vectors.ndim != 2 or len(vectors) != n):
            return None
        codes = {}
        for name, dtype in ARRAYS.items():
            codes[name] = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if codes[name].dtype != dtype or codes[name].shape != (n,):
                return None
        columns = Columns(codes, {k: list(tables["tables"][k]) for k in ("speaker", "doc", "date", "kind")})
        for name in ("speaker", "doc", "date", "kind"):
            if n and int(codes[name].max()) >= len(columns.tables[name]):
                return None
        store = TurnStore(path / FILE)
        if store.info.get("fingerprint") != fingerprint or int(store.info.get("count", -1)) != n:
            store.close()
            return None
        return Snapshot(
            path=path, fingerprint=fingerprint, count=n, n_turns=int(tables["turns"]), vectors=vectors, columns=columns,
            turns=store, documents={d["doc_id"]: d for d in tables["documents"]},
            doc_speakers={d: set(s) for d, s in tables["doc_speakers"].items()}, people=people_from(tables["people"]),
        )
    except Exception:  # noqa: BLE001 - any damage (JSON, numpy, SQLite, a missing key) means: build it again
        return None


def build_snapshot(cache_dir: Path, ids: list[str], pages: Iterable[Page]) -> Snapshot:
    """Write the snapshot of the passages ``pages`` yields (``ids``: all their ids, read first) and open it.

    Pages without vectors (an empty fourth item) make a snapshot without them, for a Chroma server's collection.

    Pages may come in any order and any size; only a page is in memory at a time, plus a few
    small values per passage. The folder is written under a temporary name and moved into place,
    so a reader never sees half a snapshot; when another process got there first, its snapshot is used.
    """
    n = len(ids)
    order = sorted(range(n), key=ids.__getitem__)
    row_of = {ids[i]: r for r, i in enumerate(order)}
    if len(row_of) != n:
        raise ValueError("duplicate passage ids")
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f"snapshot-building.{os.getpid()}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        fingerprint, has_vectors = _write(tmp, n, row_of, pages)
        target = snapshot_path(cache_dir, fingerprint, has_vectors)
        try:
            tmp.rename(target)
        except OSError:
            if _open(target, fingerprint, n) is None:  # not another process's good snapshot: replace it
                shutil.rmtree(target, ignore_errors=True)
                tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for old in cache_dir.glob("snapshot-*"):
        if old.name != target.name and ".tmp" not in old.name:
            shutil.rmtree(old, ignore_errors=True)
    for old in [*cache_dir.glob("loaded-*"), *cache_dir.glob("years-*.json")]:  # the previous format's caches
        old.unlink(missing_ok=True)
    got = _open(target, fingerprint, n)
    if got is None:
        raise OSError(f"the snapshot written to {target} cannot be read back")
    return got


def _write(path: Path, n: int, row_of: dict[str, int], pages: Iterable[Page]) -> tuple[str, bool]:
    """Write every file of a snapshot into ``path``; return the passages' fingerprint and whether it holds vectors."""
    db = sqlite3.connect(path / FILE)
    db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
    speaker, doc, date, kind, turn_id = ([""] * n for _ in range(5))
    hashes: list[tuple[str, str]] = []
    vectors: np.ndarray | None = None
    has_vectors = False
    seen = 0
    for ids, texts, metas, emb in pages:
        if not ids:
            continue
        rows = [row_of[i] for i in ids]
        emb = np.asarray(emb if emb is not None else [], dtype=np.float32)
        if seen == 0:
            has_vectors = emb.size > 0
        if has_vectors and vectors is None:
            vectors = np.lib.format.open_memmap(path / "vectors.npy", mode="w+", dtype=np.float32, shape=(n, emb.shape[1]))
        if vectors is not None:
            vectors[rows] = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-12)
        for r, pid, text, m in zip(rows, ids, texts, metas):
            speaker[r], doc[r], turn_id[r] = m["speaker"], m["doc_id"], m["turn_id"]
            date[r], kind[r] = str(m.get("date", ""))[:10], str(m.get("kind", ""))
            hashes.append((pid, m.get("hash", "")))
        db.executemany(
            "INSERT INTO passages VALUES (?, ?, ?, ?, ?, ?)",
            [(r, pid, m["turn_id"], int(m.get("kind") == "narration"), text, json.dumps(m, ensure_ascii=False))
             for r, pid, text, m in zip(rows, ids, texts, metas)],
        )
        seen += len(ids)
    if seen != n:
        raise ValueError(f"the store gave {seen} passages of {n}")
    has_vectors = vectors is not None
    if vectors is not None:
        vectors.flush()
        del vectors
    fingerprint = passages_fingerprint(hashes)

    # Turns in the order they first appear among the passages (the order dicts of turns always had).
    turn_row: dict[str, int] = {}
    for tid in turn_id:
        turn_row.setdefault(tid, len(turn_row))
    turn_codes = np.fromiter((turn_row[t] for t in turn_id), dtype=np.int32, count=n)
    documents, doc_speakers = _write_turns(db, turn_codes)
    db.executemany("INSERT INTO kv VALUES (?, ?)", [("fingerprint", fingerprint), ("count", str(n)), ("turns", str(len(turn_row)))])
    db.executescript(INDEXES)
    db.commit()
    db.close()

    columns: dict[str, np.ndarray] = {"turn": turn_codes}
    tables: dict[str, list[str]] = {}
    for name, values in (("speaker", speaker), ("doc", doc), ("date", date), ("kind", kind)):
        tables[name], columns[name] = encode(values)
    for name, dtype in ARRAYS.items():
        np.save(path / f"{name}.npy", columns[name].astype(dtype), allow_pickle=False)
    store = TurnStore(path / FILE)
    try:
        people = build_people(
            (t.doc_id, t.speaker, t.role or None, t.label, t.kind, t.text) for t in store.records()
        )
        years = compute_years(store, Columns({k: columns[k] for k in ARRAYS}, tables), n)
    finally:
        store.close()
    rows_path, years_path = _years_paths(path)
    np.save(rows_path, years.rows, allow_pickle=False)
    np.save(years_path, years.years, allow_pickle=False)
    data = {
        "version": VERSION, "fingerprint": fingerprint, "count": n, "turns": len(turn_row), "vectors": has_vectors, "tables": tables,
        "documents": documents, "doc_speakers": doc_speakers, "people": people_data(people), "files": _sizes(path),
    }
    (path / TABLES).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return fingerprint, has_vectors


def _write_turns(db: sqlite3.Connection, turn_codes: np.ndarray) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """Join each turn's passages into its record (text in passage order, facts from its first passage by id);
    return the documents in order of first appearance and who speaks in each."""
    by_turn = np.lexsort((np.arange(len(turn_codes)), turn_codes))  # turn order, then passage row
    documents: dict[str, dict[str, Any]] = {}
    doc_speakers: dict[str, dict[str, None]] = {}
    group: list[tuple[int, str, dict[str, Any]]] = []
    current = -1

    def flush() -> None:
        if not group:
            return
        m = group[0][2]
        text = " ".join(t for _, t in sorted((int(g[2].get("passage", 1)), g[1]) for g in group))
        rec = TurnRecord(
            turn_id=m["turn_id"], doc_id=m["doc_id"], n=int(m["turn"]), speaker=m["speaker"], role=m.get("role", ""),
            label=m.get("label", ""), kind=m.get("kind", "speech"), text=text, title=m.get("title", ""),
            date=m.get("date", ""), time=m.get("time", ""), place=m.get("place", ""), source=m.get("source", ""),
            start=int(m.get("start", 0)), end=int(m.get("end", 0)), quoted_in=m.get("quoted_in", ""),
            url=m.get("url", ""), n_turns=int(m.get("n_turns", 0)),
        )
        db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?)", (current, rec.turn_id, rec.doc_id, rec.n, rec.speaker, record_json(rec)))
        documents.setdefault(
            rec.doc_id,
            {"doc_id": rec.doc_id, "title": rec.title, "date": rec.date, "time": rec.time, "place": rec.place,
             "url": rec.url, "source": rec.source, "outlet": m.get("outlet", ""), "author": m.get("author", ""),
             "lead": m.get("lead", ""), "turns": rec.n_turns},
        )
        doc_speakers.setdefault(rec.doc_id, {})[rec.speaker] = None
        group.clear()

    for s in range(0, len(by_turn), 2000):
        rows = [int(r) for r in by_turn[s : s + 2000]]
        got = {r: (text, meta) for r, text, meta in _select(db, rows)}
        for r in rows:
            if turn_codes[r] != current:
                flush()
                current = int(turn_codes[r])
            text, meta = got[r]
            group.append((r, text, json.loads(meta)))
    flush()
    return list(documents.values()), {d: list(s) for d, s in doc_speakers.items()}


def _select(db: sqlite3.Connection, rows: list[int]) -> list[tuple[int, str, str]]:
    out: list[tuple[int, str, str]] = []
    for s in range(0, len(rows), 500):
        chunk = rows[s : s + 500]
        out += db.execute(f"SELECT row, text, meta FROM passages WHERE row IN ({','.join('?' * len(chunk))})", chunk).fetchall()
    return out
