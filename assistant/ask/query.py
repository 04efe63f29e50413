"""What a question asks: people (by name, surname, honorific or role), dates, the kind of fact, its words.

The person a question asks about as speaker ("What did Pamfilova say…") becomes a strict filter;
other people named add weight. Years and months become date constraints rather than words to match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.index.loaded import LoadedIndex
from assistant.ingest.speakers import normalise
from assistant.text.dates import MONTH_NAMES, MONTH_PATTERN, YEAR_PATTERN, question_years
from assistant.text.tokens import SPEECH_VERBS, content_terms
from assistant.types import TurnRecord


@dataclass
class QueryAnalysis:
    """What a question asks: people, dates, the kind of fact, and the words that matter."""

    question: str
    speakers: list[str] = field(default_factory=list)  # people asked about as speakers (filter)
    mentioned: list[str] = field(default_factory=list)  # other people named (weight)
    mention_spans: list[str] = field(default_factory=list)
    people: dict[str, list[str]] = field(default_factory=dict)  # each span → everyone it may name
    months: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    wh: str = "what"
    quoted: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # terms of "about X": an answer must touch one


_WH = [
    ("how_many", r"\bhow (many|much)\b|\bwhat (number|percentage|share|amount|sum)\b|\bby how\b|\bwhat percent"),
    ("who", r"^\s*who\b|\bwho (said|says|spoke|mentioned|asked|noted|stressed|thanked|invited|called)\b|\bwhich (person|official|speaker|participant)\b"),
    ("when", r"^\s*when\b|\bwhat (date|day|time|year|month)\b|\bon which (date|day)\b"),
    ("where", r"^\s*where\b|\bin which (city|place|town|country)\b|\bwhat (city|place|venue)\b"),
    ("why", r"^\s*why\b|\bwhat (is|are|was|were) the reasons?\b|\bfor what reasons?\b|\bwhat (caused|led to)\b"),
    ("yesno", r"^\s*(did|does|do|is|was|were|are|has|have|had|will|can)\b"),
]


def analyse(question: str, index: LoadedIndex) -> QueryAnalysis:
    """People, dates, wh-type, quoted words and content terms of a question."""
    qa = QueryAnalysis(question=question)
    low = question.lower().replace("’", "'")
    for name, pattern in _WH:
        if re.search(pattern, low):
            qa.wh = name
            break
    qa.quoted = [q for q in re.findall(r"[“\"']([^”\"']{3,})[”\"']", question)]
    covered = _find_people(question, index, qa)
    for m in re.finditer(MONTH_PATTERN, low):
        qa.months.append(MONTH_NAMES[m.group(1)])
    qa.years = question_years(low)
    rest = low
    for span in covered:
        rest = rest.replace(span.lower(), " ")
    # Months and years weight dates (see Retriever); as words to match they drag in any turn
    # that mentions "2022".
    rest = re.sub(MONTH_PATTERN, " ", rest)
    rest = re.sub(YEAR_PATTERN, " ", rest)
    qa.terms = content_terms(rest)
    m = _ABOUT.search(rest)
    if m:
        qa.topic = [t for t in content_terms(m.group(1)) if t in qa.terms]
    return qa


# "about X" up to where the question moves on to time, place or event.
_ABOUT = re.compile(r"\babout\s+(.+?)(?=\s+(?:at|in|on|during|with|when|while|after|before|to|from|for|and)\b|[?,.;]|$)")


_NGRAM_WORD = re.compile(r"[\w’'.-]+")


def _find_people(question: str, index: LoadedIndex, qa: QueryAnalysis) -> list[str]:
    """Match alias-table entries in the question (word n-grams looked up, longest first); return the spans."""
    low = normalise(question.replace("’", "'"))
    words = [(m.start(), m.end()) for m in _NGRAM_WORD.finditer(low)]
    taken = [False] * len(words)
    found: list[tuple[int, int, list[str]]] = []
    table = index.alias_table
    for size in range(min(8, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i : i + size]):
                continue
            start, end = words[i][0], words[i + size - 1][1]
            span = low[start:end].strip(".")
            key = span[:-2] if span.endswith("'s") else span
            names = table.get(key)
            if not names:
                continue
            for j in range(i, i + size):
                taken[j] = True
            found.append((start, start + len(span), names))
    spans = []
    for start, end, names in sorted(found):
        span = low[start:end]
        spans.append(span)
        # An ambiguous role ("the president") means its best-known holder; a full name is exact.
        chosen = names[:1]
        after = low[end:end + 40]
        before = low[max(0, start - 30):start]
        is_speaker = bool(
            re.match(r"^(?:'s)?\s*(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b", after)
            or re.search(r"\b(?:did|does|do|has|had|will|would|according to|from|by)\s*(?:the\s+)?$", before)
            or re.match(r"^'s\s+(?:words|remarks|speech|statement|view|views|answer|question|position|comments?|opinion|reply|address)", after)
        )
        target = qa.speakers if is_speaker else qa.mentioned
        for n in chosen:
            if n not in target:
                target.append(n)
        qa.mention_spans.append(span)
        qa.people[span] = list(names)
    return spans


def reports(turn: TurnRecord, speakers: list[str]) -> bool:
    """Whether a reporter's narration turn paraphrases one of ``speakers`` (names their surname)."""
    return turn.kind == "narration" and any(re.search(rf"\b{re.escape(n.split()[-1])}\b", turn.text) for n in speakers)
