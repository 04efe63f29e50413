"""Sentence boundaries in turn text, as character spans (for quoting, splitting long turns and answers)."""

from __future__ import annotations

import re

from assistant.text.lexicon import ordered

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”\"’)]?\s+(?=[“\"(A-Z0-9<])|\n+")


# A full stop that ends an abbreviation ends no sentence: "Mr. Chair", "Dr. Blaney", "V. Putin", "No. 5".
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Hon|Rt|St|Jr|Sr|Gen|Col|Lt|Capt|Rev|Gov|Sen|Rep)|(?<![\w.])[A-Z])\.$")
_NUMBER_ABBREVIATION = re.compile(r"\b(?:No|Nos|Art|para|p)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in a text; paragraph breaks end sentences too."""
    spans = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if "\n" not in m.group(0):
            before = text[max(0, m.start() - 8) : m.start()]
            if _ABBREVIATION.search(before) or (_NUMBER_ABBREVIATION.search(before) and text[m.end() : m.end() + 1].isdigit()):
                continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def is_question(text: str) -> bool:
    """Whether a sentence asks something (ends with "?", closing quotes and brackets aside)."""
    return text.rstrip(" ”\"’)").endswith("?")


# A short aside before the pronoun does not change what it leans on: "As you know, it was re-endorsed…", "Of course,
# they are…" (two to four words and a comma).
_ASIDE = r"(?:[^\W\d_][\w'’-]*(?:\s+[\w'’-]+){1,3},\s+)?"
_PRONOUN_OPENER = re.compile(r"^\W*" + _ASIDE + "(" + "|".join(map(re.escape, ordered("leaning_pronouns"))) + r")\b", re.I)
_ANY_OPENER = re.compile(
    r"^\W*(" + "|".join(map(re.escape, ordered("leaning_connectives"))) + r")\b"
    r"|^\W*" + _ASIDE + "(" + "|".join(map(re.escape, ordered("leaning_pronouns"))) + r")\b", re.I
)


def leans_on_previous(sentence: str, connectives: bool = True) -> bool:
    """Whether a sentence needs the one before it: it opens with a pronoun ("It increased…", "Of these, …")
    or, with ``connectives``, with a word that continues the previous sentence ("However, …")."""
    return bool((_ANY_OPENER if connectives else _PRONOUN_OPENER).match(sentence))


# ", Kommersant newspaper. Mr President, …" after the speaker's name at the start of their turn (not "I represent …").
_SELF_INTRO = re.compile(r",\s*(?!I\b|\s)([^.?!,;:]{2,60}(?:,\s*[^.?!,;:]{2,40})?)[.?!]")


def introduction(text: str, name: str) -> str:
    """What a speaker says they are when their turn opens with their own name ("Alexander Yunashev, Life. Mr
    President, …" → 'Life'; "Andrei Kolesnikov, Kommersant newspaper." → 'Kommersant newspaper'), or ''."""
    if not name or not text.startswith(name):
        return ""
    m = _SELF_INTRO.match(text[len(name):])
    return m.group(1).strip() if m else ""
