"""Scoring one answer against an eval case: answer groups, cited turns, speakers, retrieval ranks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from assistant.evals.baseline import Needle
from assistant.evals.sets import Case, CiteSpec, has_phrase, normalise_text
from assistant.ingest.corpus import Corpus
from assistant.ingest.speakers import People, normalise
from assistant.ingest.transcripts import Turn
from assistant.types import Answer


class SpeakerMatcher:
    """Does a speaker name (canonical, alias, surname) refer to the speaker of a turn or citation?"""

    def __init__(self, people: People) -> None:
        self.people = people
        self._cache: dict[tuple[str, ...], set[str]] = {}

    def names(self, alternatives: Iterable[str]) -> set[str]:
        """Normalised canonical names the alternatives refer to (each alternative itself included)."""
        key = tuple(alternatives)
        if key not in self._cache:
            out: set[str] = set()
            for alt in key:
                out.add(normalise(alt))
                out |= {normalise(n) for n in self.people.resolve(alt)}
            self._cache[key] = out
        return self._cache[key]

    def matches(self, alternatives: list[str], speaker: str, attribution: str = "") -> bool:
        """Whether the speaker (or the full attribution) is one of the alternatives."""
        names = self.names(alternatives)
        return normalise(speaker) in names or bool(attribution) and normalise(attribution) in names


def spec_matches_turn(spec: CiteSpec, turn_id: str, speaker: str, text: str, matcher: SpeakerMatcher, attribution: str = "") -> bool:
    """Whether a turn (or a citation of one) satisfies a cite spec."""
    if spec.turn and turn_id not in spec.turn:
        return False
    if spec.speaker and not matcher.matches(spec.speaker, speaker, attribution):
        return False
    return not spec.contains or normalise_text(spec.contains) in normalise_text(text)


@dataclass
class Expected:
    """A case's expectations resolved against the corpus: the turns each cite spec names."""

    turns: list[list[Turn]] = field(default_factory=list)  # per cite spec

    @property
    def turn_ids(self) -> list[str]:
        """Every expected turn id, in spec order, without repeats."""
        return list(dict.fromkeys(t.id for ts in self.turns for t in ts))


class ExpectedResolver:
    """Finds the corpus turns each cite spec names, scanning the parsed corpus (texts normalised once)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.matcher = SpeakerMatcher(corpus.people)
        self._turns = [(t, normalise_text(t.text)) for t in corpus.turns]

    def resolve(self, case: Case) -> Expected:
        """The turns matching each of a case's cite specs."""
        out = []
        for spec in case.expect.cite:
            want = normalise_text(spec.contains) if spec.contains else ""
            out.append([
                t for t, norm in self._turns
                if want in norm and (not spec.turn or t.id in spec.turn)
                and (not spec.speaker or self.matcher.matches(spec.speaker, t.speaker, t.attribution))
            ])
        return Expected(out)


@dataclass
class CaseResult:
    """One case (or conversation turn) under one configuration, scored."""

    id: str
    question: str
    passed: bool
    reasons: list[str]
    answer: str = ""
    abstained: bool = False
    expect_abstain: bool = False
    backend: str = ""
    search_question: str = ""
    tags: list[str] = field(default_factory=list)
    conversation: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)  # turn_id, speaker, ok (expected or supporting)
    specs: int = 0
    specs_matched: int = 0
    speaker_ok: bool | None = None  # None: no speaker expected, or not answered
    expected_turns: list[str] = field(default_factory=list)
    rank: int | None = None  # 1-based rank of the first expected turn among the retrieved
    retrieved: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    timings_ms: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    confidence: float | None = None  # Answer.confidence: the assistant's probability that it is right
    notes: list[str] = field(default_factory=list)  # Answer.notes (support, reader logit, what was removed)

    @property
    def reason(self) -> str:
        """The failure reasons as one line ('' when passed)."""
        return "; ".join(self.reasons)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _alts(group: list[str]) -> str:
    return " | ".join(f"“{a}”" for a in group)


def score_answer(case: Case, answer: Answer, matcher: SpeakerMatcher, expected: Expected, latency_ms: float = 0.0) -> CaseResult:
    """Score an answer against a case's expectations; every failure gets a precise reason."""
    exp = case.expect
    res = CaseResult(
        id=case.id, question=case.question, passed=False, reasons=[], answer=answer.answer, abstained=answer.abstained,
        expect_abstain=exp.abstain, backend=answer.backend, search_question=answer.search_question, tags=case.tags,
        conversation=case.conversation, specs=len(exp.cite), expected_turns=expected.turn_ids,
        retrieved=[r.turn_id for r in answer.retrieved], latency_ms=latency_ms or answer.timings_ms.get("total", 0.0),
        timings_ms=dict(answer.timings_ms), confidence=answer.confidence, notes=list(answer.notes),
    )
    ids = set(res.expected_turns)
    res.rank = next((i for i, t in enumerate(res.retrieved, start=1) if t in ids), None)
    if exp.abstain:
        res.passed = answer.abstained
        if not answer.abstained:
            res.reasons.append(f"answered, expected an abstention: “{_short(answer.answer)}”")
        return res
    if answer.abstained:
        res.reasons.append("abstained, expected an answer")
        return res

    for i, group in enumerate(exp.answer_all, start=1):
        if not any(has_phrase(answer.answer, alt) for alt in group):
            res.reasons.append(f"answer lacks group {i}/{len(exp.answer_all)}: {_alts(group)}")

    cites = answer.citations
    for c in cites:
        ok = any(spec_matches_turn(s, c.turn_id, c.speaker, c.text, matcher, c.attribution) for s in exp.cite) or any(
            has_phrase(c.text, alt) for g in exp.answer_all for alt in g
        )
        res.citations.append({"marker": c.marker, "turn_id": c.turn_id, "speaker": c.attribution or c.speaker, "ok": ok})

    speaker_checks: list[bool] = []
    if exp.speaker:
        first = cites[0] if cites else None
        named = any(has_phrase(answer.answer, alt) for alt in exp.speaker) or bool(
            first and matcher.matches(exp.speaker, first.speaker, first.attribution)
        )
        speaker_checks.append(named)
        if not named:
            who = (first.attribution or first.speaker) if first else "no citation"
            res.reasons.append(f"speaker: answer names none of {_alts(exp.speaker)} (first citation: {who})")
    cited = ", ".join(f"{c.turn_id} ({c.attribution or c.speaker})" for c in cites) or "nothing"
    for i, spec in enumerate(exp.cite):
        turns = expected.turns[i] if i < len(expected.turns) else []
        if any(spec_matches_turn(spec, c.turn_id, c.speaker, c.text, matcher, c.attribution) for c in cites):
            res.specs_matched += 1
        else:
            res.reasons.append(f"no citation matches {spec.describe()}; cited {cited}")
        speakers = spec.speaker or sorted({t.speaker for t in turns})
        if speakers:
            speaker_checks.append(any(matcher.matches(speakers, c.speaker, c.attribution) for c in cites))
    res.speaker_ok = all(speaker_checks) if speaker_checks else None
    res.passed = not res.reasons
    return res


def error_result(case: Case, expected: Expected, exc: BaseException) -> CaseResult:
    """A case whose question raised: failed, with the error as its reason."""
    msg = f"{exc.__class__.__name__}: {exc}"
    return CaseResult(
        id=case.id, question=case.question, passed=False, reasons=[f"error: {msg}"], expect_abstain=case.expect.abstain,
        tags=case.tags, conversation=case.conversation, specs=len(case.expect.cite),
        expected_turns=expected.turn_ids, error=msg,
    )


def needles(case: Case, exp: Expected, people: People) -> list[Needle]:
    """What the baseline must retrieve for a case: each spec's text, with the names that attribute it."""

    def names(canonical: Iterable[str]) -> list[str]:
        out: set[str] = set()
        for n in canonical:
            out.add(n)
            p = people.find(n)
            if p and len(n.split()) > 1 and p.kinds != {"narration"}:
                out.add(p.surname)
        return sorted(out)

    out = []
    for spec, turns in zip(case.expect.cite, exp.turns):
        if spec.contains:
            canon = {n for s in spec.speaker for n in people.resolve(s)} or {t.speaker for t in turns}
            out.append(Needle(spec.contains, names(canon)))
        else:
            # A whole turn may span chunks; its opening is what a chunk must show.
            out += [Needle(t.text[:200], names([t.speaker])) for t in turns]
    return out
