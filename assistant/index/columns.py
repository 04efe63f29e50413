"""Per-passage columns for filtering: speaker, document, date and kind as small integer codes.

Every question filters every passage (speaker, document, dates, years), so these stay in memory;
as codes into small sorted string tables they cost a few bytes a passage instead of a Python
string each, and a filter is a comparison of integers. Dates are coded in sorted order, so a
date range is a range of codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# (name in the snapshot folder, dtype); turn holds each passage's turn row in the turn store.
ARRAYS = {"speaker": np.int32, "doc": np.int32, "date": np.int32, "kind": np.int8, "turn": np.int32}


def encode(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """A sorted table of the distinct values and each value's code in it."""
    table = sorted(set(values))
    index = {v: i for i, v in enumerate(table)}
    return table, np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))


@dataclass
class Columns:
    """The coded columns with their tables (``tables[name][code]`` is the value)."""

    codes: dict[str, np.ndarray]
    tables: dict[str, list[str]]

    def __post_init__(self) -> None:
        self._index = {name: {v: i for i, v in enumerate(t)} for name, t in self.tables.items()}
        dates = self.tables["date"]
        # Year and month of each date code, for "in 2022" and "in August" weights.
        self._year = np.array([d[:4] for d in dates], dtype="U4")
        self._month = np.array([d[5:7] for d in dates], dtype="U2")

    def __len__(self) -> int:
        return len(self.codes["turn"])

    def codes_of(self, name: str, values: Iterable[str]) -> np.ndarray:
        """The codes of those ``values`` that occur in the column (unknown values match nothing)."""
        index = self._index[name]
        return np.array(sorted({index[v] for v in values if v in index}), dtype=np.int32)

    def isin(self, name: str, values: Iterable[str]) -> np.ndarray:
        """Passages whose ``name`` column is one of ``values``."""
        return np.isin(self.codes[name], self.codes_of(name, values))

    def decoded(self, name: str) -> np.ndarray:
        """A column as strings (for callers that want them; question time compares codes)."""
        return np.array(self.tables[name], dtype=object)[self.codes[name]] if len(self) else np.array([], dtype=object)

    def date_range(self, date_from: str | None, date_to: str | None) -> np.ndarray:
        """Passages dated from ``date_from`` to ``date_to`` (ISO strings, inclusive); undated passages pass neither bound."""
        dates = self.tables["date"]
        code = self.codes["date"]
        mask = np.ones(len(code), dtype=bool)
        if date_from:
            mask &= code >= int(np.searchsorted(dates, date_from, side="left"))
        if date_to:
            mask &= code < int(np.searchsorted(dates, date_to, side="right"))
            if dates and dates[0] == "":
                mask &= code != 0
        return mask

    def date_match(self, years: Sequence[int], months: Sequence[int]) -> np.ndarray:
        """Passages dated in one of ``years`` and one of ``months`` (either may be empty: no condition)."""
        ok = np.ones(len(self._year), dtype=bool)
        if years:
            ok &= np.isin(self._year, [f"{y:04d}" for y in years])
        if months:
            ok &= np.isin(self._month, [f"{m:02d}" for m in months])
        return ok[self.codes["date"]]


@dataclass
class Years:
    """The years each passage is about, as (passage row, year) pairs sorted by row."""

    rows: np.ndarray  # int32
    years: np.ndarray  # int32

    @classmethod
    def from_sets(cls, sets: Iterable[Iterable[int]]) -> Years:
        """From one set of years per passage, in row order."""
        rows: list[int] = []
        years: list[int] = []
        for i, ys in enumerate(sets):
            for y in sorted(ys):
                rows.append(i)
                years.append(y)
        return cls(np.asarray(rows, dtype=np.int32), np.asarray(years, dtype=np.int32))

    def mask(self, wanted: Sequence[int], n: int) -> np.ndarray:
        """Passages about any of ``wanted``."""
        out = np.zeros(n, dtype=bool)
        out[self.rows[np.isin(self.years, np.asarray(list(wanted), dtype=np.int64))]] = True
        return out

    def sets(self, n: int) -> list[frozenset[int]]:
        """One frozenset per passage (for callers that want them all)."""
        out: list[set[int]] = [set() for _ in range(n)]
        for r, y in zip(self.rows.tolist(), self.years.tolist()):
            out[r].add(y)
        return [frozenset(s) for s in out]
