"""Generic plain-text transcripts: optional header lines, then ``Name: text`` lines.

The header is a first line without a colon (the title) and/or ``Title:``, ``Date:``, ``Time:``,
``Place:`` (or ``Location:``), ``URL:`` and ``Lead:`` lines, in any case, before the first turn.
A line opening with a speaker label starts a turn; a line without one continues the current
turn (joined with ``"\\n"``); blank lines are ignored and so is text before the first label.
A turn's offsets span its label line through its last continuation line.

Multi-word labels must look like names or roles (:func:`assistant.readers.labels.is_label`).
A single capitalised word (``Ross:``, ``Moderator:``) counts once it labels two lines of the
file, so a stray ``Firstly: ...`` inside a speech does not start a turn. Files in the kremlin.ru
text layout (first line ``Events``) belong to :mod:`kremlin_text`, not here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from assistant.ingest.readers.labels import GENERIC_LABELS, is_label
from assistant.ingest.transcripts import RawDocument, RawTurn
from assistant.text.dates import parse_date

FORMAT = "plain-text"

HEADER_KEYS = {
    "title": "title",
    "date": "date",
    "time": "time",
    "place": "place",
    "location": "place",
    "url": "url",
    "lead": "lead",
}
# Single words that open lines of ordinary articles ("Photo: TASS"), never speakers.
# fmt: off
_NOT_SPEAKERS = frozenset({
    "photo", "photos", "source", "sources", "note", "notes", "update", "updated", "read", "tags", "tag",
    "related", "image", "video", "caption", "credit", "credits", "author", "by", "posted", "published",
    "share", "subscribe", "link", "email", "tel", "phone", "fax", "address", "contact", "warning", "example",
    "total", "summary", "subject", "re", "cc", "from", "to"
})
# fmt: on
_LINE_LABEL = re.compile(r"^(?P<label>[^:\n]{1,120}?)\s*:(?:\s+(?P<text>\S.*))?$")
_SINGLE_WORD = re.compile(r"[A-Z][\w’'.-]*")
_DETECT_MAX_WORDS = 8
_READ_MAX_WORDS = 16  # role labels run long: "Deputy Chief of Staff of the Presidential Executive Office Dmitry Peskov"
_KREMLIN_FIRST_LINES = {"Events", "Text versionEvents"}


def detect(path: Path, text: str) -> bool:
    """At least two lines open with speaker labels (two different ones) and it is not kremlin.ru text."""
    stripped = text.lstrip()
    if not stripped or stripped[0] in "<{" or stripped.split("\n", 1)[0].strip() in _KREMLIN_FIRST_LINES:
        return False
    labels = [lab for lab, _ in _candidates(text, _DETECT_MAX_WORDS)]
    accepted = _accepted(labels)
    hits = [lab for lab in labels if lab in accepted]
    return len(hits) >= 2 and len(set(hits)) >= 2


def read(path: Path, text: str) -> list[RawDocument]:
    """One RawDocument for the file; doc_id is the file stem."""
    lines = _lines(text)
    header, body_from = _header(lines)
    accepted = _accepted([lab for lab, _ in _candidates(text, _READ_MAX_WORDS, alone_ok=True)])
    turns: list[RawTurn] = []
    for start, line in lines[body_from:]:
        # A label may stand alone on its line ("Vladimir Putin:"), its speech on the next.
        split = _split(line, _READ_MAX_WORDS, alone_ok=True)
        if split and split[0] in accepted:
            label, rest = split
            turns.append(RawTurn(label=label, text=rest.strip(), start=start, end=start + len(line)))
        elif turns:
            turns[-1].text = f"{turns[-1].text}\n{line}" if turns[-1].text else line
            turns[-1].end = start + len(line)
    date = header.get("date")
    return [
        RawDocument(
            doc_id=path.stem,
            title=header.get("title") or path.stem,
            turns=turns,
            source=str(path),
            format=FORMAT,
            date=(parse_date(date) or None) if date else None,
            time=header.get("time"),
            place=header.get("place"),
            lead=header.get("lead"),
            url=header.get("url"),
        )
    ]


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, stripped line) for every non-blank line."""
    out, pos = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            out.append((pos + raw.index(stripped), stripped))
        pos += len(raw) + 1
    return out


def _header(lines: list[tuple[int, str]]) -> tuple[dict[str, str], int]:
    """Header fields and the index of the first line after the header."""
    fields: dict[str, str] = {}
    i = 0
    if lines and ":" not in lines[0][1]:
        fields["title"], i = lines[0][1], 1
    while i < len(lines):
        key, sep, value = lines[i][1].partition(":")
        field = HEADER_KEYS.get(key.strip().lower())
        if not sep or field is None or field in fields:
            break
        fields[field] = value.strip()
        i += 1
    return fields, i


def _split(line: str, max_words: int, alone_ok: bool = False) -> tuple[str, str] | None:
    """(label, text) when the line opens with something shaped like a speaker label."""
    m = _LINE_LABEL.match(line)
    if not m or (m.group("text") is None and not alone_ok):
        return None
    label = m.group("label").strip()
    if label.lower() in HEADER_KEYS or label.lower() in _NOT_SPEAKERS:
        return None
    words = label.split()
    if len(words) == 1:
        ok = _SINGLE_WORD.fullmatch(label) is not None
    else:
        ok = len(words) <= max_words and is_label(label, max_words=max_words)
    return (label, m.group("text") or "") if ok else None


def _candidates(text: str, max_words: int, alone_ok: bool = False) -> list[tuple[str, str]]:
    return [split for _, line in _lines(text) if (split := _split(line, max_words, alone_ok))]


def _accepted(labels: list[str]) -> set[str]:
    """Labels that count: multi-word, generic, all-caps, or single words used at least twice."""
    counts = Counter(labels)
    return {
        lab
        for lab, n in counts.items()
        if " " in lab or n >= 2 or lab.lower() in GENERIC_LABELS or (lab.isupper() and len(lab) > 1)
    }
