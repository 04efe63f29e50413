"""kremlin.ru plain-text layout: ``Events`` / title / lead / date / time / place / captions / turns / footer.

One file may hold several events glued together (``Text versionEvents``); each event becomes
its own document, ``<file-stem>.<k>`` (k from 1). Photo captions (``3 of 6`` plus the caption
line), sub-headings and the footer are not speech. A label may stand alone on its line, with
the next line starting ``: ``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from assistant.ingest.transcripts import RawDocument, RawTurn
from assistant.text.dates import parse_date

from .labels import is_label, split_label

FORMAT = "kremlin-text"

_EVENTS = re.compile(r"^Events$|Text versionEvents$", re.M)
_CAPTION_INDEX = re.compile(r"^\d+ of \d+$")
_TIME = re.compile(r"^\d{1,2}:\d{2}$")
FOOTER_HEADINGS = ("Geography", "Topics", "Persons", "Publication status")
_ELISION = "<…>"


@dataclass
class _Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def detect(path: Path, text: str) -> bool:
    """A kremlin.ru text export starts with an ``Events`` line followed by a title and a date."""
    head = text.lstrip()[:400].split("\n")
    return bool(head) and head[0].strip() in {"Events", "Text versionEvents"} and any(
        parse_date(line) for line in head[1:8]
    )


def _lines(text: str, start: int, end: int) -> list[_Line]:
    out: list[_Line] = []
    pos = start
    for raw in text[start:end].split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append(_Line(stripped, pos + raw.index(stripped)))
        pos += len(raw) + 1
    return out


def _event_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of each event: from the line after ``Events`` to the next event."""
    starts = [m.end() for m in _EVENTS.finditer(text)]
    ends = [m.start() for m in _EVENTS.finditer(text)][1:] + [len(text)]
    return list(zip(starts, ends))


def _is_subheading(line: str) -> bool:
    # Sub-headings are short and carry no sentence punctuation; speech almost always does.
    return len(line) < 90 and not re.search(r"[.!?…:;,”\"]$", line) and not split_label(line)


def read(path: Path, text: str) -> list[RawDocument]:
    """Split the file into events and each event into header, turns and footer."""
    docs: list[RawDocument] = []
    spans = _event_spans(text)
    for k, (start, end) in enumerate(spans, start=1):
        lines = _lines(text, start, end)
        if not lines:
            continue
        doc_id = path.stem if len(spans) == 1 else f"{path.stem}.{k}"
        docs.append(_read_event(lines, doc_id, path, text))
    return docs


def _read_event(lines: list[_Line], doc_id: str, path: Path, text: str) -> RawDocument:
    title = lines[0].text
    i = 1
    lead = None
    date = time = place = None
    # Header: lead, then date, time and place, in that order, each optional but the date.
    while i < len(lines) and i < 6 and not date:
        d = parse_date(lines[i].text)
        if d:
            date = d
        elif lead is None:
            lead = lines[i].text
        i += 1
    if i < len(lines) and _TIME.match(lines[i].text):
        time = lines[i].text
        i += 1
    if i < len(lines) and not split_label(lines[i].text) and not _CAPTION_INDEX.match(lines[i].text) and len(lines[i].text) < 60:
        place = lines[i].text
        i += 1

    footer_at = next(
        (j for j in range(i, len(lines)) if lines[j].text in FOOTER_HEADINGS),
        len(lines),
    )
    doc = RawDocument(
        doc_id=doc_id, title=title, turns=[], source=str(path), format=FORMAT,
        date=date, time=time, place=place, lead=lead,
    )
    _read_footer(lines[footer_at:], doc)
    doc.turns = _read_turns(lines[i:footer_at])
    return doc


def _read_turns(lines: list[_Line]) -> list[RawTurn]:
    turns: list[RawTurn] = []
    j = 0
    while j < len(lines):
        line = lines[j]
        if _CAPTION_INDEX.match(line.text):
            j += 2  # the index line and the caption under it
            continue
        labelled = split_label(line.text)
        if labelled is None and j + 1 < len(lines) and lines[j + 1].text.startswith(":") and is_label(line.text):
            # Label alone on its line, speech on the next one after ": ".
            speech = lines[j + 1].text[1:].strip()
            turns.append(RawTurn(label=line.text, text=speech, start=line.start, end=lines[j + 1].end))
            j += 2
            continue
        if labelled is not None:
            label, speech = labelled
            turns.append(RawTurn(label=label, text=speech, start=line.start, end=line.end))
        elif line.text == _ELISION or _is_subheading(line.text):
            pass  # elisions between turns and sub-headings are not speech
        elif turns:
            turns[-1].text += "\n" + line.text
            turns[-1].end = line.end
        # Text before the first label that is not a caption or sub-heading would be an
        # untitled lead-in; the kremlin layout puts the lead in the header, so it is dropped.
        j += 1
    return turns


def _read_footer(lines: list[_Line], doc: RawDocument) -> None:
    heading = None
    for line in lines:
        t = line.text
        if t in FOOTER_HEADINGS:
            heading = t
        elif t.startswith("Published in sections:"):
            doc.sections = [s.strip() for s in t.split(":", 1)[1].split(",") if s.strip()]
        elif t.startswith("Publication date:"):
            doc.publication_date = t.split(":", 1)[1].strip()
        elif t.startswith("Text version"):
            continue
        elif heading == "Geography":
            doc.geography.append(t)
        elif heading == "Topics":
            doc.topics.append(t)
        elif heading == "Persons":
            doc.persons.append(t)
