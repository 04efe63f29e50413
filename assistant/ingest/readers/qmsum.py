"""QMSum meeting files (Yale-LILY/QMSum): one meeting per JSON file, one document per meeting.

    {"topic_list": [...], "general_query_list": [...], "specific_query_list": [...],
     "meeting_transcripts": [{"speaker": "Grad A", "content": "Hey , you 're not ..."}, ...]}

Only ``meeting_transcripts`` is read; the queries and topics are eval material
(``evals/qmsum_convert.py``). The document id is ``qmsum-<file stem>`` and the title the stem with
the kind of meeting it names (``Bed004 (academic meeting)``). Turn *n* is transcript entry *n - 1*:
empty entries stay, as empty turns, so QMSum's ``relevant_text_span`` indices remain turn numbers.

Meetings carry no date, time or place, so the document's are empty: a date filter or a year in a
question never selects them, and citations name no date. Speakers are labels as written. The AMI and
ICSI labels ("Project Manager", "PhD B") name a seat in one meeting, not a person, yet speaker
resolution merges equal labels across meetings into one person: ask about them with a document filter.

A file is QMSum when its top-level object has ``meeting_transcripts`` and no ``turns`` (an object
with ``turns`` is the project's own JSON turn format). Errors name the file and the field:
``Bed004.json: meeting_transcripts[3].content: expected a string, got null``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from assistant.ingest.readers.json_turns import TextCursor, field_of, json_error, of_type, text_field
from assistant.ingest.transcripts import RawDocument, RawTurn

FORMAT = "qmsum"
KEY = "meeting_transcripts"

# (file-stem pattern, kind named in titles, tag used by the eval sets)
KINDS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^(covid|education)_"), "parliamentary committee", "parliamentary-committee"),
    (re.compile(r"^(ES|IS|TS)\d"), "product meeting", "product-meeting"),
    (re.compile(r"^B"), "academic meeting", "academic-meeting"),
)


def meeting_kind(stem: str) -> tuple[str, str] | None:
    """(kind, tag) of a QMSum meeting told by its file stem, or None for a stem QMSum does not use."""
    for pattern, kind, tag in KINDS:
        if pattern.match(stem):
            return kind, tag
    return None


def detect(path: Path, text: str) -> bool:
    """A JSON object with a ``meeting_transcripts`` key and no ``turns`` key."""
    if KEY not in text or not text.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return False  # the JSON turn reader reports the syntax error
    return isinstance(data, dict) and KEY in data and "turns" not in data


def read(path: Path, text: str) -> list[RawDocument]:
    """The meeting as one RawDocument."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise json_error(path, err) from err
    return [meeting_document(path, data, TextCursor(text))]


def meeting_document(path: Path, data: Any, cursor: TextCursor | None = None) -> RawDocument:
    """One meeting's transcript as a RawDocument; ``cursor`` finds turn offsets in the file's text."""

    def fail(field: str, problem: str) -> CorpusError:
        return CorpusError(f"{path}: {field}: {problem}")

    entries = field_of(of_type(data, dict, "top level", fail), KEY, list, KEY, fail)
    turns = []
    for i, entry in enumerate(entries):
        at = f"{KEY}[{i}]"
        of_type(entry, dict, at, fail)
        speaker = text_field(entry, "speaker", fail, required=True, at=at)
        content = field_of(entry, "content", str, f"{at}.content", fail)  # may be empty: the entry keeps its number
        start, end = cursor.find(content) if cursor else (0, 0)
        turns.append(RawTurn(label=speaker or "", text=content.strip(), start=start, end=end))
    kind = meeting_kind(path.stem)
    return RawDocument(
        doc_id=f"qmsum-{path.stem}",
        title=f"{path.stem} ({kind[0]})" if kind else path.stem,
        turns=turns,
        source=str(path),
        format=FORMAT,
    )
