"""JSON / JSONL turn files: the format other tools export transcripts to.

A document is an object ``{"title", "turns": [{"speaker", "text"}, ...]}`` with optional
``id``, ``date``, ``time``, ``place``, ``url``, ``lead`` (and ``outlet``, ``author``, ``persons``,
``topics``, ``geography``, ``sections``, ``publication_date``); each turn may add ``role``,
``kind`` (speech, quote or narration) and ``quoted_in``. A file holds one object, a list of
objects, or one object per line (JSONL). A turn's ``speaker`` is its label as written; when a
``role`` is given too, ``speaker`` is taken to be the bare name. ``"speaker": null`` (text nobody
is named for, such as what comes before a page's first label) is the unnamed speaker.

Errors name the file (its path), the object (1-based; ``line N`` in JSONL) and the field as a JSON path
(0-based, as jq writes it): ``corpus/data.json: object 2, turns[3].speaker: missing``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from assistant.ingest.readers.labels import CONNECTORS, split_label
from assistant.ingest.speakers import UNNAMED
from assistant.ingest.transcripts import TURN_KINDS, RawDocument, RawTurn
from assistant.text.dates import parse_date

FORMAT = "json-turns"

_OPTIONAL_TEXT = ("time", "place", "url", "lead", "outlet", "author", "publication_date")
_OPTIONAL_LISTS = ("persons", "topics", "geography", "sections")

Fail = Callable[[str, str], CorpusError]  # (field path, problem) -> the error to raise


def detect(path: Path, text: str) -> bool:
    """A .json/.jsonl file, or text that parses as JSON objects with a ``turns`` key."""
    if path.suffix.lower() in (".json", ".jsonl"):
        return True
    head = text.lstrip()[:1]
    if head not in ("{", "["):
        return False
    try:
        objects = _load(path, text)
    except CorpusError:
        return False
    return bool(objects) and all(isinstance(o, dict) and "turns" in o for _, o in objects)


def read(path: Path, text: str) -> list[RawDocument]:
    """One RawDocument per JSON object; a malformed object raises CorpusError naming the field."""
    objects = _load(path, text)
    if not objects:
        raise CorpusError(f"{path}: no JSON objects in the file")
    cursor = TextCursor(text)
    docs = []
    for k, (where, obj) in enumerate(objects, start=1):
        default_id = path.stem if len(objects) == 1 else f"{path.stem}-{k}"
        docs.append(_document(path, where, obj, default_id, cursor))
    return docs


def _load(path: Path, text: str) -> list[tuple[str, Any]]:
    """(position for messages, parsed object) for each document in a JSON or JSONL file."""
    if not text.strip():
        return []
    try:
        data = json.loads(text)  # not stripped: error line numbers must match the file
    except json.JSONDecodeError as whole_err:
        # Not one JSON value: JSONL if the first line is a whole object on its own; otherwise a
        # pretty-printed file with a syntax error, whose own position is the useful one.
        lines = [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if len(lines) < 2 or not _parses(lines[0][1]):
            raise json_error(path, whole_err) from whole_err
        out = []
        for n, line in lines:
            try:
                out.append((f"line {n}", json.loads(line)))
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}: line {n}, column {err.colno}: invalid JSON ({err.msg})") from err
        return out
    if isinstance(data, list):
        return [(f"object {k}", obj) for k, obj in enumerate(data, start=1)]
    return [("object 1", data)]


def _parses(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def json_error(path: Path, err: json.JSONDecodeError) -> CorpusError:
    """The one-line error for a file that is not valid JSON, at the parser's line and column."""
    return CorpusError(f"{path}: line {err.lineno}, column {err.colno}: invalid JSON ({err.msg})")


def _document(path: Path, where: str, obj: Any, default_id: str, cursor: TextCursor) -> RawDocument:
    def fail(field: str, problem: str) -> CorpusError:
        return CorpusError(f"{path}: {where}, {field}: {problem}")

    if not isinstance(obj, dict):
        raise fail("document", f"expected an object, got {type_name(obj)}")
    title = text_field(obj, "title", fail, required=True)
    doc_id = text_field(obj, "id", fail) or default_id
    date_text = text_field(obj, "date", fail)
    date = parse_date(date_text) if date_text else None
    if date_text and date is None:
        raise fail("date", f"not a date ({date_text!r}); use 2022-08-19 or 'August 19, 2022'")
    turns_value = obj.get("turns")
    if turns_value is None:
        raise fail("turns", absent(obj, "turns", "a list"))
    if not isinstance(turns_value, list):
        raise fail("turns", f"expected a list, got {type_name(turns_value)}")
    turns = [part for i, t in enumerate(turns_value) for part in inline_turns(_turn(t, f"turns[{i}]", fail, cursor))]
    extra: dict[str, Any] = {name: text_field(obj, name, fail) for name in _OPTIONAL_TEXT}
    for name in _OPTIONAL_LISTS:
        value = obj.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(name, f"expected a list of strings, got {type_name(value)}")
        extra[name] = list(value)
    return RawDocument(
        doc_id=doc_id, title=title or doc_id, turns=turns, source=str(path), format=FORMAT, date=date, **extra
    )


def _turn(value: Any, at: str, fail: Fail, cursor: TextCursor) -> RawTurn:
    if not isinstance(value, dict):
        raise fail(at, f"expected an object, got {type_name(value)}")
    if "speaker" in value and value["speaker"] is None:
        speaker: str | None = UNNAMED  # text nobody is named for (e.g. before a page's first label)
    else:
        speaker = text_field(value, "speaker", fail, required=True, at=at)
    text = value.get("text")
    if text is None:
        raise fail(f"{at}.text", absent(value, "text"))
    if not isinstance(text, str):
        raise fail(f"{at}.text", f"expected a string, got {type_name(text)}")
    kind = text_field(value, "kind", fail, at=at) or "speech"
    if kind not in TURN_KINDS:
        raise fail(f"{at}.kind", f"{kind!r} is not one of {', '.join(TURN_KINDS)}")
    role = text_field(value, "role", fail, at=at)
    start, end = cursor.find(text)
    return RawTurn(
        label=speaker,
        text=text.strip(),
        start=start,
        end=end,
        kind=kind,  # type: ignore[arg-type]  # checked against TURN_KINDS above
        # With a separate role the speaker field is the bare name; otherwise it is a full label
        # ("President of Russia Vladimir Putin") that speaker resolution splits.
        speaker=speaker if role or speaker == UNNAMED else None,
        role=role,
        quoted_in=text_field(value, "quoted_in", fail, at=at),
    )


def _speaker_line(line: str) -> bool:
    """Whether a line inside a turn opens with a speaker's label: a label that starts with a capitalised word that
    is not a connector and holds no comma ("As for Buryatia and Trans-Baikal:", "The United Kingdom:" and
    "Verkhnyaya Salda, Sverdlovsk Region:" open sentences or name places; "President of Armenia Serzh Sargsyan:"
    and "Question:" open turns)."""
    found = split_label(line)
    if found is None:
        return False
    first = found[0].split()[0]
    return first[:1].isupper() and first.lower() not in CONNECTORS and first.lower() != "as" and "," not in found[0]


def inline_turns(turn: RawTurn) -> list[RawTurn]:
    """A turn split where a line of its text opens with another speaker's label.

    Exporters that cut a page into turns by its bold labels keep what a label they missed introduces inside the
    turn before it: "Mr Sargsyan, ladies and gentlemen, … \nPresident of Armenia Serzh Sargsyan: Thank you …"
    arrives as one turn by Putin. Each such line (a label as :func:`labels.split_label` accepts it, at the start
    of a line after the first) opens a turn of its own, speaker resolved from the label; the lines after it are
    that speaker's until the next label. Offsets into the file are kept for each part.
    """
    if turn.kind != "speech":
        return [turn]
    lines = turn.text.split("\n")
    labelled = {i: split_label(line.strip()) for i, line in enumerate(lines) if i > 0 and _speaker_line(line.strip())}
    if not labelled:
        return [turn]
    parts: list[RawTurn] = []
    bounds = [0, *labelled, len(lines)]
    offset = 0  # characters of turn.text before the current part
    for a, b in zip(bounds, bounds[1:]):
        chunk = "\n".join(lines[a:b])
        if a == 0:
            label, text, speaker, role = turn.label, chunk, turn.speaker, turn.role
        else:
            label, first = labelled[a]  # type: ignore[misc]  # _speaker_line holds only where split_label found one
            text = "\n".join([first, *lines[a + 1 : b]])
            speaker, role = None, None
        # The part's place in the file: the JSON-escaped length of what comes before it.
        start = turn.start + len(json.dumps(turn.text[:offset], ensure_ascii=False)) - 2 if turn.end else 0
        end = start + len(json.dumps(chunk, ensure_ascii=False)) - 2 if turn.end else 0
        offset += len(chunk) + 1
        if text.strip():
            parts.append(RawTurn(label=label, text=text.strip(), start=start, end=end, kind=turn.kind,
                                 speaker=speaker, role=role, quoted_in=turn.quoted_in))
    return parts or [turn]


def text_field(obj: dict[str, Any], name: str, fail: Fail, required: bool = False, at: str = "") -> str | None:
    """A string field, stripped; None when absent or null (an error when required)."""
    field = f"{at}.{name}" if at else name
    value = obj.get(name)
    if value is None:
        if required:
            raise fail(field, absent(obj, name))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)  # numeric ids are common in exports
    if not isinstance(value, str):
        raise fail(field, f"expected a string, got {type_name(value)}")
    if required and not value.strip():
        raise fail(field, "empty")
    return value.strip()


def absent(obj: dict[str, Any], name: str, expected: str = "a string") -> str:
    """Why a required field has no value: absent, or an explicit null."""
    return f"null, expected {expected}" if name in obj else "missing"


_EXPECTED = {list: "a list", dict: "an object", str: "a string"}


def field_of(obj: dict[str, Any], name: str, kind: type, path: str, fail: Fail) -> Any:
    """``obj[name]`` when it is a ``kind`` (list, dict or str); else the error naming ``path``.

    The error says whether the field is missing, null or of the wrong type.
    """
    value = obj.get(name)
    if value is None:
        raise fail(path, absent(obj, name, _EXPECTED[kind]))
    return of_type(value, kind, path, fail)


def of_type(value: Any, kind: type, path: str, fail: Fail) -> Any:
    """``value`` when it is a ``kind`` (list, dict or str); else the error naming ``path`` and the type found."""
    if not isinstance(value, kind):
        raise fail(path, f"expected {_EXPECTED[kind]}, got {type_name(value)}")
    return value


def type_name(value: Any) -> str:
    """A JSON value's type as an error message names it ("a list", "null")."""
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


class TextCursor:
    """Finds each turn's text in the file, in order, so offsets point at the JSON string."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def find(self, value: str) -> tuple[int, int]:
        """(start, end) of the string's contents in the file, or (0, 0) when it is written differently."""
        for encoded in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
            at = self.text.find(encoded, self.pos)
            if at >= 0:
                self.pos = at + len(encoded)
                return at + 1, at + len(encoded) - 1
        return 0, 0
