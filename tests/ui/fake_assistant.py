"""A deterministic stand-in for :class:`assistant.Assistant`, built on the real seed transcripts.

It has the same interface as the real assistant (``ask``, ``turn``, ``neighbours``, ``facts``,
``example_questions``) so UI tests run without an index or a model. Retrieval is plain word
overlap; a follow-up is rewritten by putting the previous answer's speaker in place of a pronoun.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from assistant.errors import BackendError, EmptyQuestionError, NoIndexError, UnknownSpeakerError
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.types import ABSTAIN_PREFIX, Answer, Citation, Retrieved, TurnRecord

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
_STOP = {
    "a", "an", "and", "are", "as", "at", "be", "by", "did", "do", "does", "for", "from", "had", "has", "have",
    "he", "her", "his", "how", "i", "in", "is", "it", "its", "many", "me", "more", "most", "much", "of", "on",
    "or", "said", "say", "says", "she", "than", "that", "the", "their", "them", "there", "these", "they", "this",
    "to", "was", "were", "what", "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you",
    "about",
}
_PRONOUN = re.compile(r"\b(she|he|her|him|they)\b", re.IGNORECASE)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s]


class FakeAssistant:
    """Answers from the seeds by word overlap; ``fail`` makes every question raise that error
    (and, for ``NoIndexError``, the corpus facts too, as the real assistant does)."""

    def __init__(self, corpus: list[Path | str] | None = None, fail: Exception | None = None) -> None:
        self.corpus: Corpus = load_corpus(corpus or [SEEDS])
        self.fail = fail
        self.records: list[TurnRecord] = [
            TurnRecord(
                turn_id=t.id, doc_id=d.doc_id, n=t.n, speaker=t.speaker, role=t.role or "", label=t.label,
                kind=t.kind, text=t.text, title=d.title, date=d.date or "", time=d.time or "", place=d.place or "",
                source=d.source, start=t.start, end=t.end, quoted_in=t.quoted_in or "", url=d.url or "",
                n_turns=len(d.turns),
            )
            for d in self.corpus.documents
            for t in d.turns
        ]
        self._by_id = {r.turn_id: r for r in self.records}

    @classmethod
    def open(cls, corpus: list[Path | str] | None = None, store: object = None, settings: object = None) -> FakeAssistant:
        """Same signature as ``Assistant.open``."""
        return cls(corpus)

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None) -> Answer:
        """Cite the turn sharing most words with the question, or abstain."""
        if self.fail is not None:
            raise self.fail
        if not question or not question.strip():
            raise EmptyQuestionError("Type a question first, e.g. “How many parties registered candidates?”")
        filters = {k: v for k, v in (filters or {}).items() if v}
        search = self._rewrite(question.strip(), history or [])
        pool = self._filtered(filters)
        named = self._named(search)
        scored = sorted(
            ((len(_words(search) & _words(r.text)) + 3 * (r.speaker in named), i, r) for i, r in enumerate(pool)),
            key=lambda x: (-x[0], x[1]),
        )
        retrieved = [Retrieved(r.turn_id, r.speaker, float(s)) for s, _, r in scored[:8]]
        if not scored or scored[0][0] < 2:
            related = [Citation.from_turn(i, r, _sentences(r.text)[0]) for i, (_, _, r) in enumerate(scored[:2], start=1)]
            return Answer(
                question=question, search_question=search, backend="fake", abstained=True,
                answer=f"{ABSTAIN_PREFIX} anything that answers this question.", related=related,
                retrieved=retrieved, filters=filters,
            )
        best = scored[0][2]
        quote = max(_sentences(best.text), key=lambda s: len(_words(search) & _words(s)))
        citations = [Citation.from_turn(1, best, quote)]
        answer = f"{best.attribution} said: “{quote}” [1]"
        second = scored[1][2] if len(scored) > 1 else None
        if second is not None and len(_words(search) & _words(second.text)) >= 3:
            quote2 = max(_sentences(second.text), key=lambda s: len(_words(search) & _words(s)))
            citations.append(Citation.from_turn(2, second, quote2))
            answer += f" {second.attribution} also said: “{quote2}” [2]"
        return Answer(
            question=question, search_question=search, answer=answer, abstained=False, backend="fake",
            citations=citations, retrieved=retrieved, timings_ms={"total": 1.0}, filters=filters,
        )

    def turn(self, turn_id: str) -> TurnRecord | None:
        """The turn with this id, or None."""
        return self._by_id.get(turn_id)

    def neighbours(self, turn_id: str, before: int = 1, after: int = 1) -> list[TurnRecord]:
        """The turn and its neighbours in the same document, in order."""
        t = self._by_id.get(turn_id)
        if t is None:
            return []
        same = [r for r in self.records if r.doc_id == t.doc_id]
        i = same.index(t)
        return same[max(0, i - before): i + after + 1]

    def facts(self) -> dict:
        """Documents and people with turn counts."""
        if isinstance(self.fail, NoIndexError):
            raise self.fail
        docs = [
            {"doc_id": d.doc_id, "title": d.title, "date": d.date, "place": d.place, "turns": len(d.turns)}
            for d in self.corpus.documents
        ]
        counts = Counter(r.speaker for r in self.records)
        people = [
            {"name": p.name, "role": p.role or "", "turns": counts.get(p.name, 0), "aliases": sorted(p.aliases)}
            for p in self.corpus.people
        ]
        return {"documents": docs, "people": sorted(people, key=lambda p: -p["turns"])}

    def example_questions(self) -> list[str]:
        """Questions the seeds answer."""
        if isinstance(self.fail, NoIndexError):
            raise self.fail
        return [
            "How many parties have registered candidates, according to Pamfilova?",
            "What did Putin say about video surveillance at elections?",
            "What did Tokayev say about trade between Kazakhstan and Russia?",
        ]

    def _named(self, text: str) -> set[str]:
        words = set(re.findall(r"[a-z]+", text.lower()))
        return {p.name for p in self.corpus.people if p.surname.lower() in words}

    def _rewrite(self, question: str, history: list[dict]) -> str:
        last = next((m["content"] for m in reversed(history) if m.get("role") == "assistant"), "")
        speaker = next((r.speaker for r in self.records if last.startswith(r.speaker)), None)
        if speaker and _PRONOUN.search(question):
            return _PRONOUN.sub(speaker, question, count=1)
        return question

    def _filtered(self, filters: dict) -> list[TurnRecord]:
        pool = self.records
        if filters.get("speaker"):
            name = filters["speaker"].lower()
            pool = [r for r in pool if name in r.speaker.lower()]
            if not pool:
                raise UnknownSpeakerError(f"No one called “{filters['speaker']}” speaks in the corpus.")
        if filters.get("document"):
            pool = [r for r in pool if r.doc_id == filters["document"]]
        if filters.get("date_from"):
            pool = [r for r in pool if r.date >= filters["date_from"]]
        if filters.get("date_to"):
            pool = [r for r in pool if r.date <= filters["date_to"]]
        return pool


def failing(kind: str) -> FakeAssistant:
    """A fake whose every question fails: ``no_index`` or ``backend``."""
    errors = {
        "no_index": NoIndexError("No index in vectorstore/: run `assistant index` to build it."),
        "backend": BackendError("The answer backend did not respond (ollama at http://127.0.0.1:11434)."),
    }
    return FakeAssistant(fail=errors[kind])
