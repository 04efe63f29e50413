"""How an answer reads: the quote that answers first, then a compact attribution.

    “24 parties have nominated their candidates.” [1] — Ella Pamfilova, Chairperson of the Central
    Election Commission, at the working meeting with Ella Pamfilova (Sochi, 19 August 2022).

The citation card carries every detail (turn id, offsets, the whole turn); the text names who said
it, where and when, briefly. Event titles that are sentences ("Vladimir Putin will propose …", a
news headline) are quoted as titles, not forced into "at …".
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.text import lexicon
from assistant.text.dates import human_date
from assistant.text.sentences import is_question
from assistant.types import Citation, TurnRecord


@dataclass
class Quoted:
    """The sentences quoted from one turn, in the order they appear."""

    turn: TurnRecord
    sentences: list[str]
    asked: str = ""  # the question a terse reply answers, with who asked it ('Eva Stone: “How many…?”')

    @property
    def quote(self) -> str:
        return " ".join(self.sentences)


def is_event_title(title: str) -> bool:
    """Whether a title names an event ('Meeting with …') rather than being a headline sentence."""
    first = title.split()[0] if title.split() else ""
    return first in lexicon.words("event_nouns") or first.split("-")[0] + "-" in lexicon.words("event_nouns")


def event_name(turn: TurnRecord) -> str:
    """'the meeting with …', '“Vladimir Putin will propose …”', or 'Realnoe Vremya’s report “…”'."""
    title = turn.title.strip().rstrip(".")
    if not title:
        return ""
    if turn.kind in ("quote", "narration") and turn.quoted_in:
        return f"{turn.quoted_in}’s report “{title}”"
    if is_event_title(title):
        return "the " + title[0].lower() + title[1:]
    return f"“{title}”"


def where_when(turn: TurnRecord) -> str:
    """'Sochi, 19 August 2022' (place only for speech: a report's place is the outlet's)."""
    parts = [turn.place if turn.place and turn.kind == "speech" else "", human_date(turn.date)]
    return ", ".join(p for p in parts if p)


def attribution(turn: TurnRecord, with_speaker: bool = True) -> str:
    """'Ella Pamfilova, Chairperson of the CEC, at the meeting with … (Sochi, 19 August 2022)'."""
    event, ww = event_name(turn), where_when(turn)
    if turn.kind == "narration":
        head = event or turn.speaker
    else:
        head = ", ".join(p for p in [turn.speaker if with_speaker else "", turn.role if turn.role else ""] if p)
        if event:
            joiner = "quoted in" if turn.kind == "quote" else ("at" if is_event_title(turn.title) else "in")
            head = f"{head}, {joiner} {event}" if head else f"{joiner} {event}"
    return f"{head} ({ww})" if ww else head


def _when_where(turn: TurnRecord, wh: str) -> str:
    """'On 19 August 2022 at 16:15, in Sochi, at the meeting with …' (the asked-for fact first)."""
    date = f"on {human_date(turn.date)}" + (f" at {turn.time}" if turn.time else "") if turn.date else ""
    place = f"in {turn.place}" if turn.place and turn.kind == "speech" else ""
    facts = [date, place] if wh == "when" else [place, date]
    event = event_name(turn)
    if event:
        facts.append(("at " if is_event_title(turn.title) else "in ") + event)
    text = ", ".join(f for f in facts if f)
    return text[:1].upper() + text[1:]


def compose(parts: list[Quoted], wh: str) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers, one citation per quoted turn, and the citations."""
    citations: list[Citation] = []
    lines: list[str] = []
    for marker, part in enumerate(parts, start=1):
        turn, quote = part.turn, part.quote
        citations.append(Citation.from_turn(marker, turn, quote))
        if marker == 1 and wh == "who" and turn.kind != "narration":
            verb = "asked" if is_question(quote) else "said it"  # "Who asked about …?"
            lines.append(f"{turn.attribution} {verb} [{marker}]: “{quote}” — {attribution(turn, with_speaker=False)}.")
        elif marker == 1 and wh in ("when", "where") and (turn.date or turn.place):
            lines.append(f"{_when_where(turn, wh)}: “{quote}” [{marker}] — {turn.attribution}.")
        elif part.asked:
            # "About 360,000." says nothing without the question it answers.
            lines.append(f"Asked {part.asked}, {turn.speaker} replied: “{quote}” [{marker}] — {attribution(turn, with_speaker=False)}.")
        elif marker > 1 and _same_speech_event(parts[marker - 2].turn, turn):
            # The same person at the same event as the quote before: the card has the details.
            lines.append(f"“{quote}” [{marker}] — {turn.speaker}, same {_event_kind(turn.title)}.")
        else:
            lines.append(f"“{quote}” [{marker}] — {attribution(turn)}.")
    return "\n\n".join(lines), citations


def _event_kind(title: str) -> str:
    """'working meeting' of 'Working meeting with Ella Pamfilova', 'plenary session' of 'Plenary session of …'."""
    words = []
    for w in title.split():
        if w.lower() in ("with", "on", "of", "to", "in", "at", "for", "following", "and") or len(words) == 3:
            break
        words.append(w.lower())
    return " ".join(words) or "event"


def _same_speech_event(before: TurnRecord, turn: TurnRecord) -> bool:
    """Whether two quoted turns are speech by one person at one event whose title names the event ('Meeting …')."""
    return (before.doc_id == turn.doc_id and before.speaker == turn.speaker and turn.kind == "speech"
            and before.kind == "speech" and is_event_title(turn.title))
