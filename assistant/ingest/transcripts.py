"""Turns and documents: the typed records every later stage reads.

A *document* is one event (a meeting, a press conference, a news report); a file may
hold several. A *turn* is one stretch of speech by one speaker (or one quote, or one
paragraph of a reporter's narration). Readers in :mod:`assistant.readers` produce
:class:`RawDocument` objects holding speaker labels exactly as written; :func:`load_corpus`
then resolves labels to canonical people (:mod:`assistant.speakers`) and returns
:class:`Document` objects whose turns carry stable ids ``<document-id>#<n>``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

TurnKind = Literal["speech", "quote", "narration"]
TURN_KINDS: tuple[str, ...] = ("speech", "quote", "narration")




@dataclass
class RawTurn:
    """One turn as a reader found it: the label as written, before speaker resolution."""

    label: str
    text: str
    start: int
    end: int
    kind: TurnKind = "speech"
    # Set by readers that know the speaker already (e.g. a quote attributed in prose).
    speaker: str | None = None
    role: str | None = None
    quoted_in: str | None = None


@dataclass
class RawDocument:
    """One event as a reader found it."""

    doc_id: str
    title: str
    turns: list[RawTurn]
    source: str
    format: str
    date: str | None = None  # ISO yyyy-mm-dd
    time: str | None = None
    place: str | None = None
    lead: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    persons: list[str] = field(default_factory=list)  # footer "Persons", as written ("Pamfilova Ella")
    topics: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    publication_date: str | None = None


@dataclass
class Turn:
    """One speaker-attributed turn with a stable id ``<doc_id>#<n>``."""

    doc_id: str
    n: int
    speaker: str
    role: str | None
    label: str
    text: str
    kind: TurnKind
    start: int
    end: int
    quoted_in: str | None = None

    @property
    def id(self) -> str:
        """Stable, readable turn id."""
        return f"{self.doc_id}#{self.n}"

    @property
    def attribution(self) -> str:
        """Speaker as a citation should name them ("Vladimir Putin (quoted in Realnoe Vremya)")."""
        if self.kind == "quote" and self.quoted_in:
            return f"{self.speaker} (quoted in {self.quoted_in})"
        return self.speaker


@dataclass
class Document:
    """One event with resolved turns."""

    doc_id: str
    title: str
    turns: list[Turn]
    source: str
    format: str
    date: str | None = None
    time: str | None = None
    place: str | None = None
    lead: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    persons: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    geography: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    publication_date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, turns with their ids."""
        data = asdict(self)
        data["turns"] = [dict(id=t.id, **asdict(t)) for t in self.turns]
        return data

    def turn(self, n: int) -> Turn | None:
        """Turn number ``n`` (1-based), or None."""
        return self.turns[n - 1] if 1 <= n <= len(self.turns) else None
