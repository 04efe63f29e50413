"""The answer contract shared by the Python API, the CLI (``--json``), the chat UI and the evals.

``Answer.to_dict()`` is the documented JSON schema (README, "Answer JSON"); tests pin it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Sentinel phrase opening every abstention; code and tests share it.
ABSTAIN_PREFIX = "The transcripts don't say"
# Where Answer.confidence (a calibrated probability) is worded as strong or partial support.
STRONG_SUPPORT = 0.8
PARTIAL_SUPPORT = 0.5












@dataclass
class TurnRecord:
    """One turn as the index holds it, with its event's facts."""

    turn_id: str
    doc_id: str
    n: int
    speaker: str
    role: str
    label: str
    kind: str
    text: str
    title: str
    date: str
    time: str
    place: str
    source: str
    start: int
    end: int
    quoted_in: str = ""
    url: str = ""
    n_turns: int = 0

    @property
    def attribution(self) -> str:
        """Speaker as a citation names them."""
        return f"{self.speaker} (quoted in {self.quoted_in})" if self.kind == "quote" and self.quoted_in else self.speaker

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = asdict(self)
        d["attribution"] = self.attribution
        return d


@dataclass
class Citation:
    """A numbered citation: the turn and the exact supporting sentence(s)."""

    marker: int
    turn_id: str
    document: str
    title: str
    date: str
    place: str
    speaker: str
    role: str
    kind: str
    quote: str
    text: str
    source: str
    start: int
    end: int
    attribution: str = ""

    @classmethod
    def from_turn(cls, marker: int, turn: TurnRecord, quote: str) -> "Citation":
        """Cite a turn with the sentence(s) that support the answer."""
        return cls(
            marker=marker, turn_id=turn.turn_id, document=turn.doc_id, title=turn.title, date=turn.date,
            place=turn.place, speaker=turn.speaker, role=turn.role, kind=turn.kind, quote=quote, text=turn.text,
            source=turn.source, start=turn.start, end=turn.end, attribution=turn.attribution,
        )


@dataclass
class Retrieved:
    """A ranked turn from retrieval."""

    turn_id: str
    speaker: str
    score: float


@dataclass
class Answer:
    """What ``Assistant.ask`` returns."""

    question: str
    search_question: str
    answer: str
    abstained: bool
    backend: str
    citations: list[Citation] = field(default_factory=list)
    # Probability that the answer is right (calibrated on dev sets), or None when no calibrator is loaded.
    confidence: float | None = None
    related: list[Citation] = field(default_factory=list)
    retrieved: list[Retrieved] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    filters: dict[str, Any] = field(default_factory=dict)

    @property
    def support_label(self) -> str:
        """The confidence in words for people: 'strong support', 'partial support' or 'weak support' ('' without one).

        An abstention's confidence is that nothing in the transcripts answers; it is worded the same way.
        """
        if self.confidence is None:
            return ""
        if self.confidence >= STRONG_SUPPORT:
            return "strong support"
        return "partial support" if self.confidence >= PARTIAL_SUPPORT else "weak support"

    @property
    def display_notes(self) -> list[str]:
        """Notes for people: what was removed, flagged or fell back on; internal scores left out."""
        return [n for n in self.notes if not n.startswith(("support ", "reader "))]

    def history_message(self) -> dict[str, Any]:
        """This answer as a chat-history message, carrying the conversation state a follow-up leans on.

        ``documents``: the ids its citations came from; ``state``: the standalone question it answered,
        the people it cited (speakers first), the years, the cited turn ids and what it quoted of them.
        """
        people = [c.speaker for c in self.citations if c.kind != "narration"] + [c.speaker for c in self.citations]
        return {
            "role": "assistant", "content": self.answer,
            "documents": list(dict.fromkeys(c.document for c in self.citations)),
            "state": {
                "question": self.search_question, "abstained": self.abstained,
                "people": list(dict.fromkeys(people)), "turns": [c.turn_id for c in self.citations],
                "quotes": [c.quote for c in self.citations],
                "years": sorted({int(c.date[:4]) for c in self.citations if c.date[:4].isdigit()}),
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON schema."""
        return asdict(self)
