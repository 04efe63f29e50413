"""The turn store: every passage's and turn's text and metadata in one SQLite file, read by id on demand.

Question time needs the text of a few dozen turns, not of the corpus: the hits, their neighbours
and a quote's lead-in. They are fetched from ``turns.sqlite3`` in the snapshot folder (see
:mod:`assistant.index.snapshot`) when asked for, through mappings that look like the dicts and
lists the rest of the package has always used, with a small LRU in front.

Tables (rows are positions in the snapshot's arrays, so numpy indices map straight to them):

- ``passages(row, id, turn_id, text, meta)``: ``meta`` is the passage's Chroma metadata as JSON;
- ``turns(row, turn_id, doc_id, n, speaker, record)``: ``record`` holds the :class:`TurnRecord` fields as JSON,
  ``row`` the order in which turns first appear among the passages sorted by id;
- ``kv(key, value)``: the fingerprint and counts, checked on open.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, overload

from assistant.errors import StoreDamagedError
from assistant.types import TurnRecord

FILE = "turns.sqlite3"
SCHEMA = """
CREATE TABLE passages (row INTEGER PRIMARY KEY, id TEXT NOT NULL, turn_id TEXT NOT NULL, narration INTEGER NOT NULL,
                       text TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE turns (row INTEGER PRIMARY KEY, turn_id TEXT NOT NULL, doc_id TEXT NOT NULL, n INTEGER NOT NULL,
                    speaker TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Built after the rows are in: one pass each, instead of keeping every index up to date per insert.
INDEXES = """
CREATE UNIQUE INDEX turns_id ON turns (turn_id);
CREATE INDEX turns_doc ON turns (doc_id, n);
CREATE INDEX turns_speaker ON turns (speaker);
CREATE INDEX passages_narration ON passages (narration) WHERE narration = 1;
CREATE UNIQUE INDEX passages_id ON passages (id);
"""
_FIELDS = [f.name for f in fields(TurnRecord)]


def record_json(turn: TurnRecord) -> str:
    """A turn as the ``record`` column stores it."""
    return json.dumps(asdict(turn), ensure_ascii=False)


def _turn(record: str) -> TurnRecord:
    data = json.loads(record)
    return TurnRecord(**{k: data[k] for k in _FIELDS if k in data})


class _Lru:
    """A bounded least-recently-used cache in front of a loader."""

    def __init__(self, load: Callable[[Any], Any], size: int) -> None:
        self._load = load
        self._size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = self._load(key)
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return value


class TurnStore:
    """Read access to ``turns.sqlite3``: one connection, shared by threads under a lock."""

    def __init__(self, path: Path, cache_size: int = 4096) -> None:
        self.path = Path(path)
        # Read-only, and immutable: the file is written once, under another name, then moved into place.
        uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._turns = _Lru(self._load_turn, cache_size)
        self._at = _Lru(self._load_at, cache_size)
        kv = dict(self._query("SELECT key, value FROM kv"))
        self.info = kv

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._lock:
                return self._db.execute(sql, tuple(args)).fetchall()
        except sqlite3.DatabaseError as exc:
            folder = self.path.parent
            if folder.name.startswith("snapshot-"):
                # Removed, so the next question builds it again from the store (which is not damaged).
                shutil.rmtree(folder, ignore_errors=True)
            raise StoreDamagedError(
                f"the turn store {self.path} was damaged ({exc}); it has been removed and is rebuilt from the index "
                "at the next question"
            ) from exc

    def _load_turn(self, turn_id: str) -> TurnRecord | None:
        got = self._query("SELECT record FROM turns WHERE turn_id = ?", (turn_id,))
        return _turn(got[0][0]) if got else None

    def _load_at(self, key: tuple[str, int]) -> str | None:
        got = self._query("SELECT turn_id FROM turns WHERE doc_id = ? AND n = ? ORDER BY row DESC LIMIT 1", key)
        return got[0][0] if got else None

    # Turns -----------------------------------------------------------------
    def turn(self, turn_id: str) -> TurnRecord | None:
        """A turn by id, or None."""
        return self._turns.get(turn_id)

    def turn_id_at(self, doc_id: str, n: int) -> str | None:
        """The id of turn ``n`` of a document, or None."""
        return self._at.get((doc_id, int(n)))

    def doc_turns(self, doc_id: str) -> dict[int, str]:
        """Turn number → turn id, for one document."""
        return {int(n): tid for n, tid in self._query("SELECT n, turn_id FROM turns WHERE doc_id = ? ORDER BY row", (doc_id,))}

    def _paged(self, column: str) -> Iterator[Any]:
        last = -1
        while True:
            got = self._query(f"SELECT row, {column} FROM turns WHERE row > ? ORDER BY row LIMIT 2000", (last,))
            if not got:
                return
            for _, value in got:
                yield value
            last = got[-1][0]

    def turn_ids(self) -> Iterator[str]:
        """Every turn id, in turn order (fetched in pages)."""
        return self._paged("turn_id")

    def records(self) -> Iterator[TurnRecord]:
        """Every turn, in turn order (fetched in pages, not kept)."""
        return map(_turn, self._paged("record"))

    def has_turn(self, turn_id: str) -> bool:
        """Whether a turn id is stored."""
        return bool(self._query("SELECT 1 FROM turns WHERE turn_id = ?", (turn_id,)))

    def turn_ids_of_rows(self, rows: Sequence[int]) -> dict[int, str]:
        """Turn row → turn id."""
        return dict(self._rows("SELECT row, turn_id FROM turns", rows))

    def speaker_turns(self, speaker: str, limit: int | None = None) -> tuple[int, list[str]]:
        """How many turns a speaker has, and the text of the first ``limit`` of them (in turn order)."""
        count = self._query("SELECT count(*) FROM turns WHERE speaker = ?", (speaker,))[0][0]
        got = self._query("SELECT record FROM turns WHERE speaker = ? ORDER BY row LIMIT ?", (speaker, -1 if limit is None else limit))
        return int(count), [_turn(r).text for (r,) in got]

    # Passages --------------------------------------------------------------
    def _rows(self, head: str, rows: Sequence[int]) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        rows = [int(r) for r in rows]
        for s in range(0, len(rows), 500):  # below SQLite's bound-variable limit
            chunk = rows[s : s + 500]
            out += self._query(f"{head} WHERE row IN ({','.join('?' * len(chunk))})", chunk)
        return out

    def passage_column(self, column: str, rows: Sequence[int]) -> list[Any]:
        """One column (``id``, ``turn_id``, ``text`` or ``meta``) of the passages at ``rows``, in that order."""
        if column not in ("id", "turn_id", "text", "meta"):
            raise ValueError(column)
        got = dict(self._rows(f"SELECT row, {column} FROM passages", rows))
        values = [got[int(r)] for r in rows]
        return [json.loads(v) for v in values] if column == "meta" else values

    def rows_of_ids(self, ids: Sequence[str]) -> dict[str, int]:
        """Passage id → row, for those of ``ids`` that are stored."""
        out: dict[str, int] = {}
        ids = list(ids)
        for s in range(0, len(ids), 500):
            chunk = ids[s : s + 500]
            out.update(self._query(f"SELECT id, row FROM passages WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def narration_containing(self, word: str) -> list[tuple[int, str]]:
        """(row, text) of the narration passages whose text contains ``word`` (case-sensitive)."""
        return self._query("SELECT row, text FROM passages WHERE narration = 1 AND instr(text, ?) > 0 ORDER BY row", (word,))


class TurnMap(Mapping[str, TurnRecord]):
    """``turns[turn_id]``: turns fetched from the turn store on demand."""

    def __init__(self, store: TurnStore, count: int) -> None:
        self._store = store
        self._count = count

    def __getitem__(self, turn_id: str) -> TurnRecord:
        got = self._store.turn(turn_id) if isinstance(turn_id, str) else None
        if got is None:
            raise KeyError(turn_id)
        return got

    def __contains__(self, turn_id: object) -> bool:
        return isinstance(turn_id, str) and self._store.turn(turn_id) is not None

    def __iter__(self) -> Iterator[str]:
        return self._store.turn_ids()

    def __len__(self) -> int:
        return self._count


class DocTurnMap(Mapping[str, dict[int, str]]):
    """``doc_turns[doc_id][n]``: turn ids by document and number, from the turn store."""

    def __init__(self, store: TurnStore, doc_ids: Sequence[str]) -> None:
        self._store = store
        self._docs = doc_ids
        self._known = set(doc_ids)

    def __getitem__(self, doc_id: str) -> dict[int, str]:
        if doc_id not in self._known:
            raise KeyError(doc_id)
        return self._store.doc_turns(doc_id)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._docs)

    def __len__(self) -> int:
        return len(self._docs)


class PassageColumn(Sequence[Any]):
    """One passage column (ids, texts or metadata) as a read-only list, read from the turn store by row."""

    def __init__(self, store: TurnStore, column: str, count: int) -> None:
        self._store = store
        self._column = column
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return self._store.passage_column(self._column, range(*i.indices(self._count)))
        i = int(i)
        if i < 0:
            i += self._count
        if not 0 <= i < self._count:
            raise IndexError(i)
        return self._store.passage_column(self._column, [i])[0]

    def take(self, rows: Sequence[int]) -> list[Any]:
        """The values at ``rows``, in one query."""
        return self._store.passage_column(self._column, rows)

    def __iter__(self) -> Iterator[Any]:
        for s in range(0, self._count, 2000):
            yield from self[s : s + 2000]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, PassageColumn)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]
