"""Words as matching sees them: lower-case tokens, Snowball stems, and the stopword list.

The BM25 index, question analysis and the extractive answerer all tokenise and stem with these
functions, so a question word and a transcript word meet when their stems do.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from assistant.text import lexicon

STOPWORDS = lexicon.words("stopwords")


# Verbs that make the person before them the speaker the question asks about.
SPEECH_VERBS = "|".join(lexicon.ordered("speech_verbs"))  # a regex alternation


_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


# Bumped whenever tokenize(), stem() or what BM25 indexes change: cached BM25 indexes are rebuilt.
TOKENIZER_VERSION = 7


# Irregular past forms, so "held" meets "hold" and "grew" meets "grow".
IRREGULAR = lexicon.pairs("irregular_verbs")
# The stemmer bm25s is built to use; one instance per process (PyStemmer objects are not thread-safe
# for concurrent calls, but stem() is cached and the GIL serialises stemWord).
_SNOWBALL = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem of a lower-case word, after mapping irregular forms ('grew' → 'grow')."""
    return _SNOWBALL.stemWord(IRREGULAR.get(word, word))


class _LatinFold(dict):
    """``str.translate`` table, filled as characters are met: a Latin letter without its diacritics ("ö" → "o",
    "Č" → "C"), any other character as it is."""

    def __missing__(self, code: int) -> int:
        base = unicodedata.normalize("NFKD", chr(code))[0]
        self[code] = ord(base) if not chr(code).isascii() and base.isascii() and base.isalpha() else code
        return self[code]


_LATIN_FOLD = _LatinFold()


def fold_latin(text: str) -> str:
    """``text`` with its Latin letters without diacritics ("Québécois" → "Quebecois"), one character for one
    (offsets into the result are offsets into ``text``; Cyrillic letters are kept: "й" is not "и")."""
    return text if text.isascii() else text.translate(_LATIN_FOLD)


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens, Latin letters without diacritics ("Niinistö" → 'niinisto');
    '4,700' also yields '4700'."""
    text = fold_latin(text.lower().replace("’", "'"))
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if "," in tok:
            out.append(tok.replace(",", ""))
        out.append(tok.rstrip(".,"))
    return out


def content_terms(text: str) -> list[str]:
    """Stemmed tokens that carry meaning (no stopwords)."""
    return [stem(t) for t in tokenize(text) if t not in STOPWORDS and len(t) > 1 or t.isdigit()]


def words_only(text: str) -> str:
    """Lower-case words and numbers separated by single spaces ("High-Level Council's" → "high level council s")."""
    return " ".join(re.findall(r"[^\W_]+", text.lower().replace("’", "'")))
