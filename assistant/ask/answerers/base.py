"""The one seam every answer-writer implements: ``answer(question analysis, hits, context) -> Draft``.

The engine composes answerers (document facts, then extractive, then an optional generative
backend) and never reaches into their internals. An answerer that has nothing to say about a
question (the facts answerer on a "what did X say" question) returns None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from assistant.ask.query import QueryAnalysis
from assistant.ask.retrieve import Hit
from assistant.types import Citation, TurnRecord


@dataclass
class Draft:
    """An answer before timing and retrieval details are added: text with [n] markers and its citations."""

    text: str
    citations: list[Citation]
    abstained: bool
    backend: str
    related: list[Citation] = field(default_factory=list)  # for abstentions: the closest turns, not support
    notes: list[str] = field(default_factory=list)
    support: float = 0.0  # the answerer's own score in [0, 1]; not a probability
    confidence: float | None = None  # calibrated probability that the answer is right, when a calibrator is loaded


@dataclass
class AnswerContext:
    """What an answerer may use besides the question and the ranked hits."""

    filters: dict[str, Any] = field(default_factory=dict)  # resolved filters (speaker names canonical)
    neighbours: list[TurnRecord] = field(default_factory=list)  # turns next to the top hits (a question and its reply)
    fallback: Draft | None = None  # an earlier answerer's draft (the extractive one, for a generative backend)
    said: list[str] = field(default_factory=list)  # quotes the conversation already gave ("what else…"): not answers again


@runtime_checkable
class Answerer(Protocol):
    """Writes an answer from retrieved turns, or returns None when the question is not its kind."""

    name: str

    def answer(self, qa: QueryAnalysis, hits: list[Hit], context: AnswerContext) -> Draft | None:
        """A draft answer with citations, or None."""
        ...
