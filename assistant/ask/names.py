"""Whether events mention a question's proper names ("Portugal", "Nord Stream 2", "the CEC").

An event that never names Portugal does not hold what Putin and the Prime Minister of Portugal
agreed, however well a sentence of it matches the other words. Used by the engine (search again
within the events that name them) and by the extractive answerer (only those events can answer).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.index.loaded import LoadedIndex
from assistant.text.lexicon import ordered
from assistant.text.tokens import fold_latin, stem, words_only

# "Mr", "Ms", "Dr", "Hon." (text/lexicon/honorifics.txt) as the words of a document's text read them.
_HONORIFIC = "(?:" + "|".join(re.escape(words_only(h)) for h in sorted(ordered("honorifics"), key=len, reverse=True)) + ")"


def mentions(doc_words: str, name: str) -> bool:
    """Whether a document (its words, see ``LoadedIndex.doc_words``) mentions a name: the words in a row,
    or each word's stem somewhere ("Modifications" → "modify"), or an acronym's letters as the initials
    of words in a row ("CEC" → "Central Electoral Commission", "HEFCW" → "Higher Education Funding Council for
    Wales") or spelled out ("D_V_D")."""
    words = words_only(fold_latin(name))  # as the document's words are read: "Niinistö" is "niinisto"
    if f" {words} " in doc_words:
        return True
    parts = words.split()
    if all(_variant_in(doc_words, w) for w in parts):
        return True
    if (len(parts) >= 2 and parts[-1].isalpha() and len(parts[-1]) >= 3 and f" {parts[-1]} " in doc_words
            and re.search(rf" {_HONORIFIC} {re.escape(parts[-1])} ", doc_words)):
        # A person is named by title and surname once introduced: "Rex Tillerson" is mentioned by "Mr Tillerson".
        return True
    if len(parts) == 1 and 2 <= len(words) <= 5 and words.isalpha():
        return bool(re.search(rf" {initials_pattern(words)} ", doc_words) or f" {' '.join(words)} " in doc_words)
    # A transcript whose encoding dropped its letters with diacritics ("Bloc Qubcois", "Yves-Franois") still names
    # what the question spells in full ("Bloc Québécois", "Bloc Quebecois").
    return all(f" {w} " in doc_words or _dropped_in(doc_words, w) for w in parts)


# Letters that carry diacritics in Latin-script names ("é", "ç", "ñ", "š", "ž"): the ones an encoding may drop.
_DROPPABLE = set("aeiouycnsz")


def _dropped_in(doc_words: str, word: str) -> bool:
    """Whether the document has ``word`` with one or two of its letters that may carry diacritics missing
    ("qubcois" for "quebecois"), its first and last letters kept: one letter of a word of six to eight letters
    ("qubec" for "quebec"), two of a longer word; a shorter word is not read so."""
    if len(word) < 6 or not word.isalpha():
        return False
    most = 1 if len(word) < 9 else 2
    for m in re.finditer(rf" ({re.escape(word[0])}[a-z]{{{len(word) - 2 - most},{len(word) - 3}}}{re.escape(word[-1])}) ", doc_words):
        if _without_some(word, m.group(1)):
            return True
    return False


def _without_some(word: str, short: str) -> bool:
    """Whether ``short`` is ``word`` with only letters of ``_DROPPABLE`` left out, in order."""
    i = 0
    for ch in word:
        if i < len(short) and short[i] == ch:
            i += 1
        elif ch not in _DROPPABLE:
            return False
    return i == len(short)


def _variant_in(doc_words: str, word: str) -> bool:
    """Whether the document has a form of ``word``: a word whose stem and the word's agree but for an ending
    ("modifications" → "modifying", "India" → "Indian"), not merely one that begins alike ("India" ≠ "indices")."""
    root = stem(word)
    for m in re.finditer(rf" ({re.escape(root[:max(4, len(root) - 1)])}[\w']*)", doc_words):
        other = stem(m.group(1))
        if other.startswith(root) or root.startswith(other):
            return True
    return False


def initials_pattern(letters: str) -> str:
    """A regex for words in a row whose initials spell ``letters`` (lower-case); small words between do not
    count: "hefcw" is the Higher Education Funding Council for Wales."""
    return r"[\w'-]* (?:(?:of|for|the|and|on|in) )?".join(letters) + r"[\w'-]*"


def naming_documents(index: LoadedIndex, names: list[tuple[str, ...]], doc_ids: Iterable[str]) -> set[str]:
    """Those of ``doc_ids`` that mention every name (each name given with its other forms: a demonym
    and its country)."""
    return {d for d in dict.fromkeys(doc_ids) if all(any(mentions(index.doc_words(d), f) for f in forms) for forms in names)}


def unmentioned(index: LoadedIndex, names: list[tuple[str, ...]], doc_ids: Iterable[str]) -> str | None:
    """The first name none of ``doc_ids`` mentions, if any (None when there are no documents)."""
    texts = [index.doc_words(d) for d in dict.fromkeys(doc_ids)]
    if not texts:
        return None
    for forms in names:
        if not any(mentions(t, f) for f in forms for t in texts):
            return forms[0]
    return None
