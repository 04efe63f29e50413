"""News reports that quote officials in prose (``“…,” the president stressed``).

Direct quotes become turns of kind ``quote`` attributed to the person quoted; the
reporter's own sentences become turns of kind ``narration`` attributed to the outlet.
The person quoted is found from the speech verb next to the quote (``said Putin``,
``Pamfilova noted``); pronouns and role phrases (``he``, ``the president``, ``the head of
the country``) fall back to the report's principal: the first person named in its title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.transcripts import RawDocument, RawTurn
from assistant.text import lexicon
from assistant.text.dates import MONTH_NAMES, MONTH_PATTERN, YEAR_PATTERN

FORMAT = "news"

_OPEN, _CLOSE = "“", "”"
_SPEECH_VERBS = "|".join(lexicon.ordered("quote_verbs"))  # a regex alternation
_NAME = r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*"
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_OUTLET = re.compile(r"\b(?:in|from|by) ([A-Z][\w]*(?: [A-Z][\w]*){0,3})[’']s? (?:report|article|story|coverage)")
_DAY_MONTH = re.compile(r"\bon (\d{1,2}) " + MONTH_PATTERN, re.I)
_MONTH_DAY = re.compile(r"\bon " + MONTH_PATTERN + r" (\d{1,2})\b", re.I)
_YEAR = re.compile(YEAR_PATTERN)
_PHOTO = re.compile(r"^(Photo|Photos|Image|Video)\b.*:", re.I)


@dataclass
class _Para:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def detect(path: Path, text: str) -> bool:
    """Prose with at least two typographic or straight double-quoted passages."""
    return text.count(_OPEN) + text.count('"') // 2 >= 2 and not text.lstrip().startswith("<")


def _paragraphs(text: str) -> list[_Para]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append(_Para(stripped, pos + raw.index(stripped)))
        pos += len(raw) + 1
    return out


def _is_heading(p: str) -> bool:
    return len(p) < 90 and not re.search(r"[.!?…:;”\"]$", p)


def _find_date(lead: str, text: str) -> str | None:
    years = [int(y) for y in _YEAR.findall(text)]
    m = _DAY_MONTH.search(lead) or _DAY_MONTH.search(text)
    if m:
        day, month = int(m.group(1)), MONTH_NAMES[m.group(2).lower()]
    else:
        m = _MONTH_DAY.search(lead) or _MONTH_DAY.search(text)
        if not m:
            return None
        month, day = MONTH_NAMES[m.group(1).lower()], int(m.group(2))
    # Reports seldom print the year of the event; the latest year they mention is the best guess.
    return f"{max(years):04d}-{month:02d}-{day:02d}" if years else None


def read(path: Path, text: str) -> list[RawDocument]:
    """One document per report: quotes attributed to the person quoted, the rest narration."""
    paras = _paragraphs(text)
    if not paras:
        return []
    title = paras[0].text
    body = [p for p in paras[1:] if p.text != title]
    outlet_m = _OUTLET.search(text)
    outlet = outlet_m.group(1) if outlet_m else path.stem
    author = None
    if body and re.fullmatch(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}", body[-1].text):
        author = body[-1].text
        body = body[:-1]
    lead = next((p.text for p in body if not _PHOTO.match(p.text) and not _is_heading(p.text)), "")
    principal, principal_label = _principal(title, lead)
    doc = RawDocument(
        doc_id=path.stem, title=title, turns=[], source=str(path), format=FORMAT,
        date=_find_date(lead, text), lead=lead or None, outlet=outlet, author=author,
    )
    narrator = outlet
    narrator_role = f"news report by {author}" if author else "news report"
    for para in body:
        if _PHOTO.match(para.text) or _is_heading(para.text):
            continue
        _split_paragraph(para, doc, principal, principal_label, narrator, narrator_role, outlet)
    return [doc]


def _principal(title: str, lead: str) -> tuple[str, str]:
    """The report's main person and the fullest label the lead gives them."""
    m = _FULL_NAME.search(title) or _FULL_NAME.search(lead)
    name = m.group(1) if m else "Unknown speaker"
    label = name
    lm = re.search(r"((?:[A-Z][\w’'-]*|of|the)(?: (?:[A-Z][\w’'-]*|of|the))*) " + re.escape(name), lead)
    if lm and lm.group(1).split()[0][0].isupper():
        label = f"{lm.group(1)} {name}"
    return name, label


def _segments(text: str) -> list[tuple[bool, int, int]]:
    """(is_quote, start, end) spans of a paragraph; an unclosed quote runs to the paragraph end."""
    out: list[tuple[bool, int, int]] = []
    pos = 0
    while pos < len(text):
        o = text.find(_OPEN, pos)
        if o < 0:
            out.append((False, pos, len(text)))
            break
        if o > pos:
            out.append((False, pos, o))
        c = text.find(_CLOSE, o + 1)
        if c < 0:
            # Unclosed quote: a trailing reporter's sentence ending in ':' ("He also mentioned AI:")
            # is narration that introduces the next quote, not part of this one.
            tail = re.search(r"(?<=[.!?])\s+((?:He|She|They|The|Putin|[A-Z][a-z]+) [^.!?“”]*:)$", text[o:])
            if tail:
                cut = o + tail.start(1)
                out.append((True, o, cut))
                out.append((False, cut, len(text)))
            else:
                out.append((True, o, len(text)))
            break
        out.append((True, o, c + 1))
        pos = c + 1
    return out


def _speaker_from_context(context: str, principal: str) -> str:
    """A person named next to a speech verb in the narration, else the principal."""
    surname = principal.split()[-1]
    for pattern in (
        rf"\b(?:{_SPEECH_VERBS}) (?:the )?({_NAME})\b",
        rf"\b({_NAME}) (?:{_SPEECH_VERBS})\b",
        rf"\bAccording to ({_NAME})\b",
    ):
        for m in re.finditer(pattern, context):
            name = m.group(1)
            if name.lower() in {"he", "she", "they", "the", "president", "according"}:
                continue
            if name == surname or name == principal:
                return principal
            if len(name.split()) >= 1 and name[0].isupper() and name not in {"Also", "As"}:
                return name
    return principal


def _split_paragraph(
    para: _Para, doc: RawDocument, principal: str, principal_label: str,
    narrator: str, narrator_role: str, outlet: str,
) -> None:
    segs = _segments(para.text)
    narration = " ".join(para.text[s:e].strip() for q, s, e in segs if not q).strip()
    speaker = _speaker_from_context(narration, principal) if narration else principal
    label = principal_label if speaker == principal else speaker
    quotes = [(s, e) for q, s, e in segs if q]
    narration_words = len(re.findall(r"\w+", narration))
    # A paragraph that is mostly the reporter's own words is narration; its quotes stay turns too.
    if narration and narration_words >= 4 and (not quotes or narration_words > 12):
        doc.turns.append(
            RawTurn(
                label=narrator, text=narration, start=para.start, end=para.end,
                kind="narration", speaker=narrator, role=narrator_role,
            )
        )
    if quotes:
        s, e = quotes[0][0], quotes[-1][1]
        pieces = [para.text[qs:qe].strip().strip(_OPEN + _CLOSE).strip() for qs, qe in quotes]
        doc.turns.append(
            RawTurn(
                label=label, text=" … ".join(p for p in pieces if p), start=para.start + s,
                end=para.start + e, kind="quote", quoted_in=outlet,
            )
        )
