"""Multi-part questions: 'How many X … and how much Y …?' asks two things; each part is answered alone.

A question splits where "and" (or ", and") is followed by a new question word or auxiliary
("and how much", "and what", "and did"), also behind a preposition ("and by how much", "and in which",
"and to what level"). Context that frames the whole question stays with every part: an opening phrase
before the first question word ("At the March 2016 news conference, …", "When Putin met Ramaphosa, …"; a
clause that asks something itself, "How many children did she have, …", is no opening) and a closing phrase
after the last clause (", according to Putin in June 2017"). A part that is only a question phrase ("How many
Syrians and how many Iraqis did he say …", "where and when did he say …") takes the predicate of the next
part; a last part that is only one ("…, and to what level?") takes the predicate of the part before it.
"""

from __future__ import annotations

import re

_QWORD = r"(?:how|what|which|who|whom|whose|when|where|why|did|does|do|is|was|were|are|has|have|had|will|would|can|could)"
_PREPOSITION = r"(?:by|in|for|from|to|with|at|on|of|under|since|until|after|before|during|about|against|between|into|over|through|within|among)"
# "…, and how many…", "…, and after which…", "…, and to towns of what size had…": "and" before another question.
_SPLIT = re.compile(rf",?\s+and\s+(?=(?:{_PREPOSITION}\s+)?{_QWORD}\b|{_PREPOSITION}\s+[a-z]+\s+of\s+(?:what|which)\b)", re.I)
_OPENING = re.compile(rf"^(.*?,\s*)(?=(?:{_PREPOSITION}\s+)?{_QWORD}\b)", re.I)
_OPENING_WORDS = 20  # the longest opening that frames every part
# An opening that is itself a question ("How many children did she have, when …") frames nothing.
_ASKING = re.compile(rf"^(?:{_PREPOSITION}\s+)?(?:how|what|which|who|whom|whose|where|why)\b", re.I)
_AUX = r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could)"
_WH_PHRASE = rf"(?:{_PREPOSITION}\s+)?(?:(?:how many|how much|which|what)(?:\s+(?!{_AUX}\b)[\w-]+){{0,2}}|how|when|where|why|who|whom)"
_BARE = re.compile(rf"^{_WH_PHRASE}$", re.I)
# "and how many registered them": a verb or an object pronoun after the question words is a predicate of its own.
_VERB_OR_OBJECT = re.compile(r"\b(?:\w+ed|them|it|him|her|us|me)$", re.I)
_NOUNLESS = re.compile(rf"^(?:{_PREPOSITION}\s+)?(?:how much|how|when|where|why|who|whom)$", re.I)
_PREDICATE = re.compile(rf"^{_WH_PHRASE}\s+({_AUX}\b.*)$", re.I)
_CLOSING = re.compile(r",\s*((?:according to|at|in|during|on|when|speaking|as)\b[^,?]*)\s*\??\s*$", re.I)


def split_question(question: str) -> list[str]:
    """The parts of a multi-part question, each a standalone question; one part when it asks one thing."""
    text = question.strip()
    pieces = [p.strip(" ,?") for p in _SPLIT.split(text)]
    if len(pieces) < 2:
        return [question]
    opening = ""
    m = _OPENING.match(pieces[0])
    # An opening may name its event at length ("At the Supreme State Council of the Union State on 4 November
    # 2021, …"); a longer run before the first question word is more than a frame.
    if m and len(m.group(1).split()) <= _OPENING_WORDS and not _ASKING.match(m.group(1)):
        opening = m.group(1)
        pieces[0] = pieces[0][len(opening):]
    listed = _listed_parts(pieces)
    if listed is None:
        return [question]
    pieces = listed
    if any(len(p.split()) < 2 and not _BARE.match(p) for p in pieces):
        return [question]
    closing = ""
    m = _CLOSING.search(pieces[-1])
    if m:
        closing = ", " + m.group(1).strip()
        pieces[-1] = pieces[-1][: m.start()].rstrip(" ,")
    for i in range(len(pieces) - 1):
        # "How many Syrians and how many Iraqis did Erdogan say Turkey took in?": a part that is only a
        # question phrase borrows the predicate of the part after it.
        if _BARE.match(pieces[i]):
            m = _PREDICATE.match(pieces[i + 1])
            if m:
                pieces[i] = f"{pieces[i]} {m.group(1)}"
    if _BARE.match(pieces[-1]):
        # "By how much did trade decrease in 2015, and to what level?": the last part borrows the predicate
        # of the part before it, unless that part's question phrase holds what the predicate is about
        # ("Which two regions did he mention, and why?" is not "Why did he mention?").
        m = _PREDICATE.match(pieces[-2])
        if m and _NOUNLESS.match(pieces[-2][: m.start(1)].strip()):
            pieces[-1] = f"{pieces[-1]} {m.group(1)}"
    if any(_BARE.match(p) and not _VERB_OR_OBJECT.search(p) for p in pieces):
        return [question]  # "Who won and why?", "…, and how many in 2017?": a part with nothing to ask about
    out = []
    for p in pieces:
        body = p[:1].upper() + p[1:] if not opening else p
        out.append(f"{opening}{body}{closing}?")
    return out


# "…, how many bodies had been recovered, and …", "…, with what stake, and …": a part in a list before the last "and".
_LISTED = re.compile(rf",\s+(?=(?:{_PREPOSITION}\s+)?(?:how|what|which|who|whom|whose|where|why)\b|(?:{_PREPOSITION}\s+)?when\s+{_AUX}\b)", re.I)


def _listed_parts(pieces: list[str]) -> list[str] | None:
    """The pieces with the parts listed by commas before the last "and" split off: "how many people had died,
    how many bodies had been recovered, and how many …" asks three things. A listed part with no verb of its
    own ("…, for how much in total, and …", "…, with what stake, and …") takes the predicate of the part before
    it; None when it has none to take. A clause that asks nothing ("…, when the President met her, and …") is
    no part."""
    out: list[str] = []
    for i, piece in enumerate(pieces):
        items = _LISTED.split(piece) if i < len(pieces) - 1 and _ASKING.match(piece) else [piece]
        out.append(items[0])
        for item in items[1:]:
            if not re.search(rf"\b{_AUX}\b", item, re.I):
                m = _PREDICATE.match(out[-1])
                if not m:
                    return None
                item = f"{item} {m.group(1)}"
            out.append(item)
    return out


# A personal pronoun that stands for a person named before (shared with the follow-up rules).
PERSON_PRONOUN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)


def with_person(part: str, person: str) -> str:
    """A later part with its first personal pronoun replaced by the person's surname ("how much did he say
    Europe withdrew" → "how much did Miller say Europe withdrew"; "his" → "Miller's")."""
    surname = person.split()[-1]
    return PERSON_PRONOUN.sub(lambda m: f"{surname}'s" if m.group(1).lower() in ("his", "hers") else surname, part, count=1)


# "how many of them …", "how many registered …", "how many was it to have …": a count with no noun of its own.
_NOUNLESS_COUNT = re.compile(r"\b(how many)\s+(of (?:them|these|those)\b|(?=\w+ed\b)|(?=(?:were|are|was|is|did|have|had|do)\b))", re.I)
_COUNTED = re.compile(r"\bhow many\s+((?:[a-z]+\s+){0,2}?[a-z]+s)\b", re.I)


def with_counted_noun(question: str, earlier: str, focus: str | None) -> str:
    """A count with no noun of its own counts what the earlier question counted: "How many of them…" or "And
    how many registered…" after "How many parties…", or a later part, "…, and how many was it to have by
    2025?" after "how many satellites did he say the group had", counts parties, satellites. ``focus`` is the
    noun the question itself counts, if any (then only "of them" borrows)."""
    m = _NOUNLESS_COUNT.search(question)
    if not m or focus and not m.group(2):
        return question
    before = _COUNTED.search(earlier)
    if not before:
        return question
    noun = before.group(1).split()[-1]
    return question[: m.start()] + f"{m.group(1)} {noun} " + question[m.end():].lstrip()
