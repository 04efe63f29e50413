"""Answers about the events themselves, read from document facts rather than from what was said.

"Where did Putin meet Tokayev?", "On what date and at what time did the working meeting with
the CEC chairperson take place?" and "Who wrote the Realnoe Vremya report?" are answered by
the documents' place, date, time, title and author. The documents are the ones every person
named in the question took part in (spoke in, or is named in the title), narrowed by a place,
month or year the question names. Each event cited is backed by its first turn by a named person.
"Who chaired the meeting?" and "Who was the chief executive of HEFCW?" are answered by the role the
transcripts give a speaker of the best retrieved event, cited by that person's first turn there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.ask.answerers.base import AnswerContext, Draft
from assistant.ask.answerers.compose import attribution
from assistant.ask.names import mentions
from assistant.ask.people import fits
from assistant.ask.query import QueryAnalysis
from assistant.ask.retrieve import Hit
from assistant.index.loaded import LoadedIndex
from assistant.text import lexicon
from assistant.text.dates import MONTH_NAMES, human_date
from assistant.types import Citation, TurnRecord

_EVENT_WORDS = re.compile(r"\b(meet|meets|met|meeting|meetings|talks|visit|visited|interview|conversation|news conference|press conference)\b", re.I)
# "When did Tokayev say they would hold the summit?" asks about what was said, not about the meeting;
# so does "On what date did the units learn of the spill, according to the minister at the meeting?".
_NOT_EVENT = re.compile(r"\b(will|would|going to|say|said|says|tell|told|mention|mentioned|promise|promised|plan|planned|according to)\b", re.I)
_AUTHOR = re.compile(r"\bwho (wrote|authored|reported|filed)\b|\bauthor\b|\bwritten by\b|\bwhose (report|article)\b", re.I)
MAX_EVENTS = 5
_ASKED_PLACE = re.compile(r"\b(?:in|at)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)")
# "Who chaired the meeting?", "Who was the chief executive of HEFCW?": the office holder, read from the roles
# the transcripts give their speakers.
_HOLDER = re.compile(r"^\s*who\s+(?:is|was|were|are)\s+(?:the\s+)?(?P<office>[^?]+?)\s*\??\s*$", re.I)
_HOLDS = re.compile(r"^\s*who\s+(?P<verb>chaired|chairs|presided|moderated|moderates)\b", re.I)
_VERB_OFFICE = {"chaired": "chair", "chairs": "chair", "presided": "chair", "moderated": "moderator", "moderates": "moderator"}
_EVENT_TAIL = re.compile(r"\s+(?:at|in|during|on|for)\s+(?:the|this|that|a)\b.*$", re.I)


@dataclass
class EventAnswer:
    """Answer text with [n] markers and one citation per event."""

    text: str
    citations: list[Citation]


# "Who did Putin meet in Sochi…", "Which foreign leader did Putin host…": the other party of an event, which its
# title names ("Meeting with President of Kazakhstan Kassym-Jomart Tokayev").
_COUNTERPART = re.compile(r"^\s*(?:who|whom|which(?:\s+[\w-]+){1,3}?)\s+did\s+.+?\s+(?:meet|meet with|host|receive|welcome|hold talks with|"
                          r"have talks with|talk to|talk with|speak with|speak to)\b", re.I)


def is_event_question(qa: QueryAnalysis) -> bool:
    """Where/when an event happened, whom someone met there, or who wrote a report."""
    if _AUTHOR.search(qa.question):
        return True
    if qa.wh == "who" and bool(qa.people) and _COUNTERPART.match(qa.question) and not _NOT_EVENT.search(qa.question):
        return True
    # A past event between named people; "When will the summit take place?" is not a document's date.
    return qa.wh in ("where", "when") and bool(qa.people) and bool(_EVENT_WORDS.search(qa.question)) and not _NOT_EVENT.search(qa.question)


def _takes_part(doc: dict[str, Any], speakers: set[str], span: str, names: list[str]) -> bool:
    title = doc["title"].lower()
    return bool(speakers & set(names)) or span.lower() in title or any(n.lower() in title for n in names)


def turns_in_order(index: LoadedIndex, doc_id: str) -> list[TurnRecord]:
    """A document's turns, in the order they were spoken."""
    return sorted((index.turns[t] for t in index.doc_turns.get(doc_id, {}).values()), key=lambda t: t.n)


def _first_turn(index: LoadedIndex, doc_id: str, prefer: set[str]) -> TurnRecord | None:
    turns = turns_in_order(index, doc_id)
    return next((t for t in turns if t.speaker in prefer), turns[0] if turns else None)


def find_events(qa: QueryAnalysis, index: LoadedIndex, hit_docs: list[str]) -> list[dict[str, Any]]:
    """Documents every named person took part in, narrowed by place, month and year; best first."""
    speakers = index.doc_speakers
    low = qa.question.lower()
    docs = list(index.documents.values())
    for span, names in qa.people.items():
        docs = [d for d in docs if _takes_part(d, speakers.get(d["doc_id"], set()), span, names)]
    if not qa.people:
        # No person named ("Who wrote the Realnoe Vremya report…" names an outlet): the retrieved events.
        docs = [index.documents[d] for d in dict.fromkeys(hit_docs) if d in index.documents][:3]
    place = [d for d in docs if d["place"] and re.search(rf"\b{re.escape(d['place'].split(',')[0].lower())}\b", low)]
    asked = [p for p in _ASKED_PLACE.findall(qa.question) if p.lower() not in MONTH_NAMES]
    if asked and not place:
        # "…meet Macron in Versailles?": an event somewhere else is not the one asked about.
        place = [d for d in docs if any(p.lower() in f"{d['place']} {d['title']}".lower() for p in asked)]
        if not place:
            return []
    docs = place or docs
    if qa.years:
        docs = [d for d in docs if d["date"][:4] in {str(y) for y in qa.years}]
    if qa.months:
        docs = [d for d in docs if d["date"][5:7].isdigit() and int(d["date"][5:7]) in qa.months] or docs
    title_words = set(re.findall(r"[a-z]+", low)) - {"the", "of", "with", "and", "in", "on", "a", "at"}
    rank = {d: i for i, d in enumerate(dict.fromkeys(hit_docs))}
    if rank:
        # An event the search itself found is preferred to a guess from names and dates alone (the
        # people named may meet often): when some of the candidates were retrieved, only those count.
        docs = [d for d in docs if d["doc_id"] in rank] or docs
    docs.sort(key=lambda d: d["date"], reverse=True)  # latest first among equals
    docs.sort(key=lambda d: (-len(title_words & set(re.findall(r"[a-z]+", d["title"].lower()))), rank.get(d["doc_id"], len(rank))))
    return docs[:MAX_EVENTS]


def event_line(doc: dict[str, Any], marker: int) -> str:
    """“Title” took place on <date> at <time> in <place> [marker]."""
    when = human_date(doc["date"])
    facts = [f"on {when}" if when else "", f"at {doc['time']}" if doc.get("time") else "", f"in {doc['place']}" if doc.get("place") else ""]
    return f"“{doc['title'].rstrip('.')}” took place " + " ".join(f for f in facts if f) + f" [{marker}]."


def answer_event(qa: QueryAnalysis, index: LoadedIndex, hit_docs: list[str]) -> EventAnswer | None:
    """An answer from document facts, or None when no document fits the question."""
    if not is_event_question(qa):
        return None
    events = find_events(qa, index, hit_docs)
    if not events:
        return None
    named = {n for names in qa.people.values() for n in names}
    citations: list[Citation] = []
    lines: list[str] = []
    author_q = bool(_AUTHOR.search(qa.question))
    for d in events:
        if author_q and not d.get("author"):
            continue
        turn = _first_turn(index, d["doc_id"], named)
        if turn is None:
            continue
        marker = len(citations) + 1
        citations.append(Citation.from_turn(marker, turn, turn.text[:200]))
        when = human_date(d["date"])
        title = d["title"].rstrip(".")
        if author_q:
            outlet = f" in {d['outlet']}" if d.get("outlet") else ""
            lines.append(f"“{title}”{outlet}" + (f" ({when})" if when else "") + f" was written by {d['author']} [{marker}].")
            continue
        if d.get("outlet"):
            lines.append(f"{d['outlet']} reported it in “{title}”" + (f" on {when}" if when else "") + f" [{marker}].")
            continue
        lines.append(event_line(d, marker))
    if not citations:
        return None
    if len(lines) == 1:
        return EventAnswer(lines[0], citations)
    head = "The transcripts hold these events that match:"
    return EventAnswer(head + "\n" + "\n".join(f"- {line}" for line in lines), citations)


def office_asked(question: str) -> tuple[list[str], str] | None:
    """The office a who-question asks the holder of, as (office words, qualifier): "Who chaired the
    meeting?" → (["chair"], ""); "Who was the chief executive of HEFCW?" → (["chief", "executive"], "HEFCW")."""
    m = _HOLDS.match(question)
    if m:
        return [_VERB_OFFICE[m.group("verb").lower()]], ""
    m = _HOLDER.match(question)
    if not m:
        return None
    phrase = _EVENT_TAIL.sub("", m.group("office"))
    head, _, qualifier = phrase.partition(" of ")
    office = [w for w in re.findall(r"[a-z'-]+", head.lower()) if w not in ("the", "a", "an")]
    roles = lexicon.words("role_words")
    if not office or not all(w in roles for w in office) or (len(office) == 1 and office[0] in lexicon.words("role_modifiers")):
        return None  # "Who is Tokayev?", "Who was the first to speak?"
    return office, re.sub(r"^the\s+", "", qualifier.strip(), flags=re.I)


def answer_holder(qa: QueryAnalysis, index: LoadedIndex, hit_docs: list[str]) -> EventAnswer | None:
    """The person whose role fits the office asked about, in the best retrieved event that has one."""
    asked = office_asked(qa.question)
    if asked is None:
        return None
    office, qualifier = asked
    for doc_id in dict.fromkeys(hit_docs):
        doc = index.documents.get(doc_id, {})
        if qa.years and doc.get("date", "")[:4] not in {str(y) for y in qa.years}:
            continue
        turns = [t for t in turns_in_order(index, doc_id) if t.role and t.kind != "narration"]
        holding = [t for t in turns if fits(t.role, office, qualifier)]
        if not holding and qualifier and mentions(index.doc_words(doc_id), qualifier):
            # "Dr David Blaney as chief executive" at a hearing of the Funding Council, "Head of the Federal
            # Service for Financial Monitoring" asked as "the head of Rosfinmonitoring": the role's office is the
            # one asked, and the event names the body.
            holding = [t for t in turns if re.findall(r"[a-z'-]+", re.split(r"\s+(?:of|for|at)\s+", t.role.lower())[0]) == office]
        if not holding:
            continue
        # The plain office before a qualified one ("Chair" before "Acting Chair"), then the first to speak.
        turn = min(holding, key=lambda t: (len(t.role.split()) != len(office), t.n))
        citation = Citation.from_turn(1, turn, turn.text[:200])
        return EventAnswer(f"{turn.speaker} [1] — {attribution(turn, with_speaker=False)}.", [citation])
    return None


_WHO_IS = re.compile(r"^\s*who\s+(?:is|was)\s+(?P<name>[^?]+?)\s*\??\s*$", re.I)


def answer_person(qa: QueryAnalysis, index: LoadedIndex, hit_docs: list[str]) -> EventAnswer | None:
    """"Who is Andrei Bocharov?": the role the transcripts give the one person the question names, cited by
    their first turn that carries it (in the best retrieved event that has one)."""
    m = _WHO_IS.match(qa.question)
    if not m or len(qa.people) != 1:
        return None
    span, names = next(iter(qa.people.items()))
    asked = re.sub(r"[^\w' -]", "", m.group("name").lower()).strip()
    if span.strip(" .?").removesuffix("'s") != asked:
        return None  # the whole rest of the question must be the name
    lines: list[str] = []
    citations: list[Citation] = []
    for name in names[:MAX_EVENTS]:  # a surname several people share ("Who is Bocharov?"): each of them
        ranked = list(dict.fromkeys(hit_docs)) + sorted(d for d, speakers in index.doc_speakers.items() if name in speakers)
        for doc_id in dict.fromkeys(ranked):
            turn = next((t for t in turns_in_order(index, doc_id) if t.speaker == name and t.role and t.kind == "speech"), None)
            if turn is not None:
                marker = len(citations) + 1
                citations.append(Citation.from_turn(marker, turn, turn.text[:200]))
                lines.append(f"{name} [{marker}] — {attribution(turn, with_speaker=False)}.")
                break
    if not citations:
        return None
    if len(lines) == 1:
        return EventAnswer(lines[0], citations)
    return EventAnswer(f"{len(lines)} people in the transcripts go by that name:\n" + "\n".join(f"- {line}" for line in lines), citations)


class FactsAnswerer:
    """Answers where and when people met, and who wrote a report, from the documents' own facts."""

    name = "facts"

    def __init__(self, index: LoadedIndex) -> None:
        self.index = index

    def answer(self, qa: QueryAnalysis, hits: list[Hit], context: AnswerContext) -> Draft | None:
        """Each matching event cited by its first turn, or None when the question is not about an event."""
        docs = [h.turn.doc_id for h in hits]
        event = answer_event(qa, self.index, docs)
        if event is None and qa.wh == "who":
            event = answer_holder(qa, self.index, docs) or answer_person(qa, self.index, docs)
        if event is None:
            return None
        return Draft(event.text, event.citations, False, "extractive", support=1.0)
