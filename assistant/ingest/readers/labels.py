"""Speaker-label recognition shared by the line-based readers.

A label is what precedes the colon in ``President of Russia Vladimir Putin: …``. Sentences
that happen to contain a colon (``Speaking of the most important thing as regards our
parties: …``) must not be taken for labels, so a label is accepted only when every word is
capitalised or a connector (``of``, ``the``…), it ends in a name-like word, and it is short.
"""

from __future__ import annotations

import re

from assistant.text import lexicon

CONNECTORS = lexicon.words("label_connectors")
# Single-word labels used in press conferences and interviews ("Question:", "Moderator:").
GENERIC_LABELS = lexicon.words("generic_labels")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ’'.\-]+|\(|\)|\d+|,|–|—|&")


# A note after a label says how it was said, not who said it: "Prime Minister of India Narendra Modi (retranslated)".
_NOTE = re.compile(r"\s*\([a-z][a-z ,.-]{0,40}\)$")


def is_label(candidate: str, max_words: int = 16) -> bool:
    """True when ``candidate`` (the text before a colon) looks like a speaker label."""
    candidate = _NOTE.sub("", candidate.strip()) or candidate.strip()
    if not candidate or len(candidate) > 160 or candidate[-1] in ",;":
        return False
    words = candidate.split()
    if len(words) > max_words:
        return False
    if len(words) == 1:
        w = words[0]
        return w.lower() in GENERIC_LABELS or (w[:1].isupper() and w.isalpha() and len(w) > 1 and w.isupper())
    for w in words:
        bare = w.strip("(),.")
        if not bare:
            continue
        if bare.lower() in CONNECTORS:
            continue
        if bare[0].isupper() or bare[0].isdigit() or bare in {"–", "—", "&"}:
            continue
        return False
    last = words[-1].strip("(),.")
    return bool(last) and last[0].isupper()


_INLINE = re.compile(r"^(?P<label>[^:\n]{1,160}?)\s*:\s+(?P<text>\S.*)$", re.S)


def split_label(line: str) -> tuple[str, str] | None:
    """Split ``Label: text`` into (label, text) when the prefix is a speaker label."""
    m = _INLINE.match(line)
    if m and is_label(m.group("label")):
        return m.group("label").strip(), m.group("text")
    return None
