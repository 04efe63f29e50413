"""Checks on what a user asks before anything is searched: the question, and the filters.

A question with nothing to search for (punctuation, emoji, control characters) and a filter
that is malformed or names nothing in the index are the user's errors, raised as one-line
:class:`~assistant.errors.AssistantError` s naming the field. A question written in a script
the transcripts don't use (Russian or Chinese over English transcripts) is not an error but
cannot be answered from them: :func:`foreign_script` says so, and the caller abstains.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from typing import Any

from assistant.errors import EmptyQuestionError, FilterError, UnsearchableQuestionError

FILTER_KEYS = ("speaker", "document", "date_from", "date_to")
# How each filter is named to the user: the CLI option (the UI labels its fields the same way).
FIELD_NAMES = {"speaker": "--speaker", "document": "--document", "date_from": "--date-from", "date_to": "--date-to"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A question needs at least one letter or digit, in any script, to be searched for.
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def clean_question(question: Any) -> str:
    """The question without control characters (NUL, escape codes), whitespace collapsed; raises on non-text."""
    if not isinstance(question, str):
        raise EmptyQuestionError("the question must be text")
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in "\t\n" else c for c in question)
    return " ".join(kept.split())


def check_question(question: str) -> str:
    """The cleaned question; raises when it is empty or holds no letter or digit to search for."""
    q = clean_question(question)
    if not q:
        raise EmptyQuestionError("empty question: type a question about the transcripts")
    if not _WORD.search(q):
        raise UnsearchableQuestionError(
            "the question holds no words to search for: ask who said what, when or where, in words"
        )
    return q


def script_of(ch: str) -> str | None:
    """The writing system of a letter ("Latin", "Cyrillic", "CJK", …), from its Unicode name; None for non-letters."""
    if not ch.isalpha():
        return None
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    first = name.split()[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC"):
        return "CJK"
    return first.capitalize()


def scripts_of(text: str) -> dict[str, int]:
    """Letters per script in a text."""
    out: dict[str, int] = {}
    for ch in text:
        s = script_of(ch)
        if s:
            out[s] = out.get(s, 0) + 1
    return out


def foreign_script(question: str, index_scripts: set[str]) -> str | None:
    """The script most of the question's letters are in when the transcripts hold none of it; else None."""
    counts = scripts_of(question)
    total = sum(counts.values())
    if not total or not index_scripts:
        return None
    main, n = max(counts.items(), key=lambda kv: kv[1])
    if n * 2 < total or main in index_scripts:
        return None
    return main


def _date(key: str, value: Any) -> str:
    text = str(value).strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        dt.date.fromisoformat(text)
    except ValueError:
        raise FilterError(
            f"{FIELD_NAMES[key]}: {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-08-19"
        ) from None
    return text


def check_filters(filters: dict[str, Any] | None, documents: Any = None) -> dict[str, Any]:
    """Filters with blank values dropped and dates checked; raises :class:`FilterError` naming the field.

    ``documents`` is the indexed document ids, which a document filter must name (None: not checked). Speakers are
    checked where they are resolved (the retriever).
    """
    out: dict[str, Any] = {}
    for key, value in (filters or {}).items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key not in FILTER_KEYS:
            raise FilterError(f"unknown filter {key!r}: use one of {', '.join(FILTER_KEYS)}")
        out[key] = value.strip() if isinstance(value, str) else value
    for key in ("date_from", "date_to"):
        if key in out:
            out[key] = _date(key, out[key])
    if "date_from" in out and "date_to" in out and out["date_from"] > out["date_to"]:
        raise FilterError(
            f"{FIELD_NAMES['date_from']} {out['date_from']} is after {FIELD_NAMES['date_to']} {out['date_to']}: "
            "no date can be in both"
        )
    if "document" in out and documents is not None:
        known = set(documents)
        wanted = [out["document"]] if isinstance(out["document"], str) else list(out["document"])
        for doc in wanted:
            if str(doc) not in known:
                close = difflib.get_close_matches(str(doc), sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else " (`assistant corpus` lists the ids)"
                raise FilterError(f"{FIELD_NAMES['document']}: no indexed document has the id {str(doc)!r}{hint}")
    return out
