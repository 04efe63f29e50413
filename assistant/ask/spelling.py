"""A question in the spelling its transcripts use: "the Russian Defense Minister" asked of transcripts that write
"Defence Minister", "modernization" of ones that write "modernisation", "on Dec. 7, 2021" of ones that write
"December 7, 2021".

A word with an American and a British form (``text/lexicon/spelling_variants.txt``, and verbs and nouns in -ize /
-ise, -ization / -isation by rule) is written in the form the indexed passages clearly use, so that the
search, the question's words and its role phrases ("Defense Minister") meet the transcripts' own. Which form that
is comes from the index, not from a fixed preference: the Kremlin's and the Commons committees' transcripts spell
British, the ICSI and AMI meetings American.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from assistant.text import lexicon
from assistant.text.tokens import stem

_WORD = re.compile(r"[A-Za-z]+")
# -ize / -ise and their forms: "modernize", "modernized", "modernization", "organizations".
_IZE = re.compile(r"^(\w{3,})i([zs])(e|ed|es|ing|ation|ations)$")


@cache
def _pairs() -> dict[str, str]:
    """Each form of a listed word → its other form, both ways."""
    out: dict[str, str] = {}
    for american, british in lexicon.pairs("spelling_variants").items():
        out[american] = british
        out[british] = american
    return out


def other_spelling(word: str) -> str | None:
    """The word's other spelling (lower-case), if it has one: 'defense' → 'defence', 'organised' → 'organized'."""
    low = word.lower()
    listed = _pairs().get(low)
    if listed:
        return listed
    m = _IZE.match(low)
    if m:
        return f"{m.group(1)}i{'s' if m.group(2) == 'z' else 'z'}{m.group(3)}"
    return None


# How many times more passages must spell a word the other way before a question's spelling is turned round: a
# corpus that mixes both (the Senedd's "programme" beside the ICSI meetings' "program") keeps the question's.
_CLEARLY = 10


def in_corpus_spelling(question: str, doc_freq: Mapping[str, int]) -> str:
    """The question with each word that has another spelling written the way the indexed passages write it, when
    they clearly do (``_CLEARLY`` times as many passages; ``doc_freq``: passages per stemmed term); the first
    letter's case is kept. A word whose forms both have their passages, or that the index does not know, stays
    as written."""

    def respell(m: re.Match[str]) -> str:
        word = m.group(0)
        other = other_spelling(word)
        if other is None or doc_freq.get(stem(other), 0) <= _CLEARLY * doc_freq.get(stem(word.lower()), 0):
            return word
        return other[:1].upper() + other[1:] if word[:1].isupper() else other

    return _WORD.sub(respell, question)


# A month abbreviated before a day or a year, as news style writes it ("Dec. 7, 2021", "Sept. 2016"); "the 7th of
# December": a day before its month.
_ABBREVIATED_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?=\s+\d)")
_MONTHS = {m[:3].lower(): m for m in ("January", "February", "March", "April", "May", "June", "July", "August",
                                      "September", "October", "November", "December")}
_DAY_OF = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\s+of\s+(?=[A-Z][a-z]+)")


# "the Russian PM", "Britain's PM": the office the transcripts write out (not a time: "at 5 PM").
_PM = re.compile(r"(?<![\d:.]\s)(?<![\d:.])\bPM\b(?!\s*\d)")


def spelled_out_dates(question: str) -> str:
    """The question with its dates (and "PM") written as the transcripts write them: "Dec. 7, 2021" → "December 7,
    2021", "Sept. 2016" → "September 2016", "the 7th of December" → "7 December", "the Russian PM" → "the Russian
    Prime Minister"."""
    question = _ABBREVIATED_MONTH.sub(lambda m: _MONTHS[m.group(1)[:3].lower()], question)
    question = _PM.sub("Prime Minister", question)
    return _DAY_OF.sub(lambda m: f"{m.group(1)} ", question)

