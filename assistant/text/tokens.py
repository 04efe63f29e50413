"""TODO docstring."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.text import lexicon

STOPWORDS = lexicon.words("stopwords")


# Verbs that make the person before them the speaker the question asks about.
SPEECH_VERBS = "|".join(lexicon.ordered("speech_verbs"))  # a regex alternation


_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


# Bumped whenever tokenize(), stem() or what BM25 indexes change: cached BM25 indexes are rebuilt.
TOKENIZER_VERSION = 4


# Irregular past forms, so "held" meets "hold" and "grew" meets "grow".
IRREGULAR = lexicon.pairs("irregular_verbs")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper so 'growing', 'grew'… meet 'grow' often enough for matching."""
    word = IRREGULAR.get(word, word)
    for suf in ("ational", "ations", "ation", "ions", "ion", "ings", "ing", "edly", "ies", "ied", "ness", "ment", "ers", "ed", "es", "er", "ly", "s"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            word = word[: -len(suf)]
            break
    if len(word) > 4 and word.endswith("e"):  # invite/invitation, increase/increased
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens; '4,700' also yields '4700'."""
    text = text.lower().replace("’", "'")
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if "," in tok:
            out.append(tok.replace(",", ""))
        out.append(tok.rstrip(".,"))
    return out


def content_terms(text: str) -> list[str]:
    """Stemmed tokens that carry meaning (no stopwords)."""
    return [stem(t) for t in tokenize(text) if t not in STOPWORDS and len(t) > 1 or t.isdigit()]
