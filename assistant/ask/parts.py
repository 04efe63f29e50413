"""Multi-part questions: 'How many X … and how much Y …?' asks two things; each part is answered alone.

A question splits where "and" (or ", and") is followed by a new question word or auxiliary
("and how much", "and what", "and did"). Context that frames the whole question stays with every
part: an opening phrase before the first question word ("At the March 2016 news conference, …")
and a closing phrase after the last clause (", according to Putin in June 2017"). A part that is only a
question phrase ("How many Syrians and how many Iraqis did he say …") takes the predicate of the next part.
"""

from __future__ import annotations

import re

_QWORD = r"(?:how|what|which|who|whom|whose|when|where|why|did|does|do|is|was|were|are|has|have|had|will|would|can|could)"
_SPLIT = re.compile(rf",?\s+and\s+(?={_QWORD}\b)", re.I)
_OPENING = re.compile(rf"^(.*?,\s*)(?={_QWORD}\b)", re.I)
_AUX = r"(?:did|does|do|is|was|were|are|has|have|had|will|would|can|could)"
_BARE = re.compile(r"^(?:how many|how much|which|what)\s+[\w-]+(?:\s+[\w-]+)?$", re.I)
_PREDICATE = re.compile(rf"^(?:how many|how much|which|what)\s+[\w-]+(?:\s+[\w-]+)?\s+({_AUX}\b.*)$", re.I)
_CLOSING = re.compile(r",\s*((?:according to|at|in|during|on|when|speaking|as)\b[^,?]*)\s*\??\s*$", re.I)


def split_question(question: str) -> list[str]:
    """The parts of a multi-part question, each a standalone question; one part when it asks one thing."""
    text = question.strip()
    pieces = [p.strip(" ,?") for p in _SPLIT.split(text)]
    if len(pieces) < 2 or any(len(p.split()) < 2 for p in pieces):
        return [question]
    opening = ""
    m = _OPENING.match(pieces[0])
    if m and len(m.group(1).split()) <= 12:
        opening = m.group(1)
        pieces[0] = pieces[0][len(opening):]
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
    out = []
    for p in pieces:
        body = p[:1].upper() + p[1:] if not opening else p
        out.append(f"{opening}{body}{closing}?")
    return out
