"""Word lists as data: one ``.txt`` file per list beside this module, loaded once per process.

Lines starting with ``#`` are comments. Lists are lower-case unless the code that uses them says
otherwise; a list of pairs (``irregular_verbs``) has two words per line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LEXICON = Path(__file__).resolve().parent


def _lines(name: str) -> list[str]:
    path = LEXICON / f"{name}.txt"
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``<name>.txt`` as a set."""
    return frozenset(_lines(name))


@cache
def ordered(name: str) -> tuple[str, ...]:
    """The entries of ``<name>.txt`` in file order (for regex alternations, where order matters)."""
    return tuple(_lines(name))


@cache
def pairs(name: str) -> dict[str, str]:
    """``FORM BASE`` lines of ``<name>.txt`` as a mapping."""
    out: dict[str, str] = {}
    for ln in _lines(name):
        form, base = ln.split()
        out[form] = base
    return out


@cache
def table(name: str) -> dict[str, str]:
    """``KEY | VALUE`` lines of ``<name>.txt`` as a mapping (keys as written; entries may hold spaces)."""
    out: dict[str, str] = {}
    for ln in _lines(name):
        key, _, value = ln.partition("|")
        out[key.strip()] = value.strip()
    return out


@cache
def groups(name: str) -> tuple[tuple[str, ...], ...]:
    """``A | B | C`` lines of ``<name>.txt``: each a group of entries that stand for one another (as written)."""
    return tuple(tuple(p.strip() for p in ln.split("|") if p.strip()) for ln in _lines(name))
