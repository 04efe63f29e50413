"""What a question asks: people (by name, surname, honorific or role), dates, the kind of fact, its words.

The person a question asks about as speaker ("What did Pamfilova say…") becomes a strict filter;
other people named add weight. Years and months become date constraints rather than words to match.
"""

from __future__ import annotations

import re
from functools import cache
from dataclasses import dataclass, field

from assistant.ask.people import Mention, asked_as_speaker, demonym_table, find_mentions
from assistant.index.loaded import LoadedIndex
from assistant.text import lexicon
from assistant.text.dates import MONTH_NAMES, MONTH_PATTERN, YEAR_PATTERN, event_days, event_months, event_places, question_years, relative_years
from assistant.text.lexicon import ordered
from assistant.text.tokens import SPEECH_VERBS, STOPWORDS, content_terms, fold_latin, words_only
from assistant.types import TurnRecord


@dataclass
class QueryAnalysis:
    """What a question asks: people, dates, the kind of fact, and the words that matter."""

    question: str
    speakers: list[str] = field(default_factory=list)  # people asked about as speakers, resolved for certain (filter)
    likely: list[str] = field(default_factory=list)  # people probably asked about as speakers (weight, not a filter)
    mentioned: list[str] = field(default_factory=list)  # other people named (weight)
    mention_spans: list[str] = field(default_factory=list)
    people: dict[str, list[str]] = field(default_factory=dict)  # each span → everyone it may name
    months: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    relative_years: list[tuple[int, int]] = field(default_factory=list)  # (named year, year meant): "in March 2018 … the previous year" is (2018, 2017)
    event_months: list[tuple[int, int]] = field(default_factory=list)  # (year, month) the question dates its event by ("at their meeting in January 2018")
    event_days: list[str] = field(default_factory=list)  # whole dates (ISO) it dates its event by ("at the meeting on 7 April 2020")
    event_places: list[str] = field(default_factory=list)  # where the question says its event was held ("when they met in Paris")
    wh: str = "what"
    quoted: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # terms of "about X": an answer must touch one
    discussion: bool = False  # asks for a discussion or a stance ("Summarize…", "What did X think about…")
    names: list[tuple[str, ...]] = field(default_factory=list)  # proper names to match, each with its other forms ("Portugal", "Portuguese"); people mentioned, not asked about as speakers
    said_at: list[int] = field(default_factory=list)  # where each span naming a resolved speaker ends in the question
    silent: list[str] = field(default_factory=list)  # people asked about as speakers who never speak in the transcripts ("What did Jacinda Ardern say…")
    notes: list[str] = field(default_factory=list)  # how people were resolved, for Answer.notes
    asks_who: bool = False  # "Who told Putin…", "Which leader invited him…": the one who spoke is none of the people named
    by_role: bool = False  # the person asked about as speaker is named by role ("the acting governor of the Tomsk Region")
    # What names the role of a speaker resolved by role ("the president of the International Federation of Red Cross…"):
    # it says who spoke, not what about, so its words are no terms to match.
    role_qualifiers: list[tuple[int, int]] = field(default_factory=list)  # where, in the lower-cased question


# "What did trade reach / drop to / amount to (last year)?": the answer is an amount.
_REACHES = (
    r"|\bwhat\b.*\b(reach|reached|amount(ed)? to|total(l?ed)?|(drop|dropped|fall|fell|rise|rose|grow|grew|increase|increased|decrease|decreased|decline|declined|climb|climbed) to)"
    r"(\s+(in|by|during|over)?\s*((the |that )?((last|previous|next|following|same) )?(year|month|quarter)|(in |by )?\w+ (19|20)\d\d|(19|20)\d\d))?\s*\??\s*$"
)

_WH = [
    ("how_many", r"\bhow (many|much|long|far|old|often|big|large)\b|\bwhat (number|percentage|share|amount|sum|level|volume|figure|size)\b|\bby how\b|\bwhat percent"
     + _REACHES),
    # "Which leader…", "Which foreign minister…": an office holder (role_words.txt less role_modifiers.txt).
    ("who", r"^\s*who\b|\bwho (said|says|spoke|mentioned|asked|noted|stressed|thanked|invited|called)\b|\bwhich (person|official|speaker|participant)\b"
     + r"|^\s*which (?:\w+ )?(?:" + "|".join(sorted(re.escape(w) for w in lexicon.words("role_words") - lexicon.words("role_modifiers"))) + r")s?\b"),
    ("when", r"^\s*when\b|\b(what|which) (date|day|time|year|month)\b|\bon which (date|day)\b"),
    ("where", r"^\s*where\b|\bin which (city|place|town|country)\b|\bwhat (city|place|venue)\b"),
    ("why", r"^\s*why\b|\bwhat (is|are|was|were) the reasons?\b|\bfor what reasons?\b|\bwhat (caused|led to)\b"),
    ("yesno", r"^\s*(did|does|do|is|was|were|are|has|have|had|will|can)\b"),
]


# "Who told Putin…", "Which leader invited him…": the wh-word is the subject (not "Who did Putin meet…").
# An auxiliary verb: where a question's predicate begins ("How much *did* trade grow…").
AUXILIARY = r"(?:did|does|do|was|were|is|are|has|have|had|will|would|can|could|should)\b"
_WHO_SUBJECT = re.compile(r"^\s*(?:who|which\s+(?:(?!" + AUXILIARY + r")[a-z'-]+\s+){0,2}(?!" + AUXILIARY + r")[a-z'-]+)\s+(?!" + AUXILIARY + r")[a-z]+\b")

# "Who said…", "Which official reported…", "Who first proposed…": the person asked for is the one who spoke (not
# "Who is chairing the CIS?", "Who did Tokayev invite?", where the quote names the answer).
_WHO_SPOKE = re.compile(r"^\s*(?:who|which(?:\s+(?!" + AUXILIARY + r")[a-z'-]+){1,3}?)\s+(?:(?:\w+ly|first|also|then)\s+)?(?:" + SPEECH_VERBS + r")\b")


def asks_who_spoke(question: str) -> bool:
    """Whether a who-question asks for the person who said something ("Who said…", "Which minister reported…")."""
    return bool(_WHO_SPOKE.match(question.lower().replace("’", "'")))


# A question that asks for a discussion or a stance is answered with the exchange (see the extractive answerer).
_DISCUSSION = re.compile("|".join(ordered("discussion_cues")))


# "When a journalist asked Putin about the car, what did he answer?" (also after a place or time: "At the forum,
# when the moderator asked…, what did…"): an opening time clause is no question; what the question asks is the
# clause after it.
_TIME_CLAUSE = re.compile(
    r"^\s*(?:(?:at|in|on|during)\b[^,?]*,\s*)?(?:when|while|after|before|once|as)\b[^?]*?,\s*(?=(?:how|what|which|who|whom|whose|where|why|when|did|does|do|"
    r"is|was|were|are|has|have|had|will|would|can|could|(?:in|on|at|by|to|for|from) (?:what|which|how|whom))\b)"
)


# "What did Putin reply?", "How did she respond?", "…, what did he answer?": a question asking for the reply to
# what was asked (used by the follow-up rules and the extractive answerer).
REPLY = re.compile(r"\b(repl(?:y|ied|ies)|respond(?:ed|s)?|response|answer(?:ed|s)?|react(?:ed|s|ion)?)\b", re.I)


def main_clause(question: str) -> str:
    """The (lower-case) question without an opening time clause ("When X asked Y about Z, …")."""
    low = question.lower().replace("’", "'")
    m = _TIME_CLAUSE.match(low)
    return low[m.end():] if m else low


def lowered(question: str) -> str:
    """The question as it is matched: lower case, straight apostrophes, Latin letters without diacritics (as names
    are compared: "Yves-François" meets a transcript's "Yves-Francois"). Offsets into it are the question's."""
    return fold_latin(question.lower().replace("’", "'"))


def analyse(question: str, index: LoadedIndex) -> QueryAnalysis:
    """People, dates, wh-type, quoted words and content terms of a question."""
    qa = QueryAnalysis(question=question)
    low = lowered(question)
    asked = main_clause(question)
    for name, pattern in _WH:
        if re.search(pattern, asked):
            qa.wh = name
            break
    qa.discussion = qa.wh in ("what", "why", "yesno") and bool(_DISCUSSION.search(low))
    qa.asks_who = qa.wh == "who" and bool(_WHO_SUBJECT.match(asked))
    qa.quoted = [q for q in re.findall(r"[“\"']([^”\"']{3,})[”\"']", question)]
    qa.years = question_years(low)
    qa.relative_years = relative_years(low)
    qa.event_months = event_months(question)
    qa.event_days = event_days(question)
    qa.event_places = event_places(question)
    covered = _find_people(question, index, qa)
    for m in re.finditer(MONTH_PATTERN, low):
        qa.months.append(MONTH_NAMES[m.group(1)])
    rest = low
    for start, end in qa.role_qualifiers:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for span in covered:
        rest = rest.replace(span.lower(), " ")
    # Months and years weight dates (see Retriever); as words to match they drag in any turn
    # that mentions "2022".
    # The day of a date goes with its month ("on 9 April 2020", "April 9"): no number to match either.
    rest = re.sub(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH_PATTERN, " ", rest)
    rest = re.sub(MONTH_PATTERN + r"\s+\d{1,2}(?:st|nd|rd|th)?\b", " ", rest)
    rest = re.sub(MONTH_PATTERN, " ", rest)
    rest = re.sub(YEAR_PATTERN, " ", rest)
    qa.names += proper_names(fold_latin(question), covered)
    qa.silent = silent_speakers(low, qa.names, reported_from(low, qa.said_at), fold_latin(question.replace("’", "'")))
    rest = _COLLECTIVE.sub(" ", rest)
    qa.terms = content_terms(rest)
    # The topic of what is asked: "When the moderator asked about oil prices, what did Putin say he would have told
    # Trump?" asks what he would have told Trump; the time clause's "about" only dates the exchange.
    m = _ABOUT.search(rest if asked == low else main_clause(rest))
    if m:
        qa.topic = [t for t in content_terms(m.group(1)) if t in qa.terms]
    return qa


_CAPITALISED = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'.-]*|\d+\b))*")
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_NOT_NAMES = frozenset({"mr", "ms", "mrs", "miss", "madam", "dr", "mister", "i", "according"})


def proper_names(question: str, people_spans: list[str]) -> list[tuple[str, ...]]:
    """The proper names a question uses that are not the people it resolved ("Portugal", "Nord Stream 2",
    "Jacinda Ardern"), each with its other forms (a demonym and its country: "Hungarian", "Hungary").

    An answer from an event that never mentions one of them does not answer the question (see the
    extractive answerer's ``require_names``). Roles, months, question and function words are not names
    and split a run of capitalised words ("New Zealand Prime Minister Jacinda Ardern" holds two); a
    question's capitalised first word alone ("Summarize …") is a name only when it is a country or demonym.
    """
    demonyms = demonym_table()
    skip = lexicon.words("role_words") | STOPWORDS | _NOT_NAMES | set(MONTH_NAMES) | _WH_WORDS
    countries = {c.lower() for c in demonyms.values()}
    people = " ".join(people_spans).lower()
    runs: list[list[str]] = []
    for m in _CAPITALISED.finditer(question):
        first = m.start() == 0 or bool(re.search(r"[.?!:]\s*$", question[: m.start()]))
        run: list[str] = []
        for i, tok in enumerate(m.group(0).split()):
            possessive = bool(re.search(r"['’]s$", tok))
            word = re.sub(r"['’]s$", "", tok.strip(".’'")).lower()
            parts = word.split("-")
            # A question's first word is capitalised anyway ("Summarize …", "Describe …").
            opening = i == 0 and first and word not in demonyms and word not in countries
            # A year is a date, not part of a name: "Cosmonautics Day 2017", "PyeongChang 2018" are
            # mentioned as "Cosmonautics Day", "PyeongChang" (the year is a date constraint of its own).
            if opening or word in skip or (not run and word.isdigit()) or _YEAR.fullmatch(word):
                runs.append(run)
                run = []
            elif len(parts) > 1 and all(p in demonyms or p in countries or _ACRONYM.fullmatch(o) for p, o in zip(parts, tok.strip(".’'").split("-"))):
                # "Russian-Turkish", "Russia-Kazakhstan", "Russia-EU" name two places each
                runs += [run, *[[p] for p in parts]]
                run = []
            else:
                run.append(word)
            if possessive:  # "Hungary's OTP Bank": two names
                runs.append(run)
                run = []
        runs.append(run)
    out: list[tuple[str, ...]] = []
    for run in runs:
        name = " ".join(run)
        if not name or name in people or (len(run) == 1 and run[0] in people.split()):
            continue
        forms = {name}
        if name in demonyms:
            forms.add(demonyms[name].lower())
        forms |= {d for d, country in demonyms.items() if country.lower() == name}
        # Other names of the place: "Kyiv" is the transcripts' "Kiev", "Türkiye" their "Turkey".
        forms |= {other for form in list(forms) for other in _other_place_names().get(fold_latin(form), ())}
        if tuple(sorted(forms)) not in out:
            out.append(tuple(sorted(forms)))
    return out


def place_forms(place: str) -> list[str]:
    """A place's names as words (lower-case, folded): "Saint Petersburg" → 'saint petersburg', 'st petersburg',
    'petersburg'; "Kyiv" → 'kyiv', 'kiev' (``lexicon/place_names.txt``)."""
    name = fold_latin(place.lower()).replace(".", "")
    return list(dict.fromkeys(words_only(n) for n in (name, *_other_place_names().get(name, ()))))


@cache
def _other_place_names() -> dict[str, tuple[str, ...]]:
    """Lower-case, folded place name → all names of that place (``lexicon/place_names.txt``)."""
    out: dict[str, tuple[str, ...]] = {}
    for group in lexicon.groups("place_names"):
        names = tuple(fold_latin(n.lower()).replace(".", "") for n in group)
        for n in names:
            out[n] = names
    return out


def reported_from(low: str, said_at: list[int]) -> int:
    """Where what a resolved speaker said begins: after the speech verb that follows them ("…did Blanchet say
    | the Bloc Québécois wanted…"); the length of ``low`` when no resolved speaker is asked about."""
    ends = [m.end() + e for e in said_at if (m := _VERB_AFTER.match(low[e:]))]
    return min(ends, default=len(low))


_VERB_AFTER = re.compile(r"^(?:'s)?[\s,]*(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b")


# "the head of Russian Railways said", "the head of the revived Znaniye Society tell": a preposition (and up to two
# lower-case modifiers) before the name; matched against the question as written, so "of France Emmanuel Macron" is not.
_OWNED_BY = re.compile(r"\b(?:of|for|at|in|from|by|with|to)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}$")


def silent_speakers(low: str, names: list[tuple[str, ...]], said_from: int | None = None, text: str | None = None) -> list[str]:
    """Names of two or more words the question asks about as the one who spoke ("What did Kim Jong-un tell
    journalists…") although nobody of that name speaks in the transcripts (else they would have resolved
    to a speaker): their words are not there to quote. A country and its demonym are no such name, and nor
    is a name in what a resolved speaker said (``said_from`` on: "did Blanchet say the Bloc Québécois wanted…").
    ``text``: the question as written, offsets as in ``low`` (where words are upper-case tells modifiers from names)."""
    cased = text if text is not None and len(text) == len(low) else low
    out = []
    for forms in names:
        if len(forms) > 1 or len(forms[0].split()) < 2:
            continue
        m = re.search(re.escape(forms[0]), low)
        if m and said_from is not None and m.start() >= said_from:
            continue
        # The subject of a speech verb: "the head of Russian Railways said" names a company, not the speaker.
        if m and asked_as_speaker(low, m.start(), m.end()) and not _OWNED_BY.search(cased[: m.start()]):
            out.append(forms[0])
    return out


_WH_WORDS = frozenset("what who whom whose when where why which how did does do is was were are has have had will can could should would according in at on for by".split())


# "the team" / "both sides" before what they said or did in the meeting: who speaks, not a word to match. Not what
# "how many" counts: in "How many participants did Putin say…" (Putin's name taken out) "participants" is asked for.
_COLLECTIVE = re.compile(
    r"\b(?<!many )(?:the |both |all |our |their )?(?:" + "|".join(ordered("collective_speakers")) + r")\s+"
    r"(?=(?:(?:did|do|does|would|will|had|have|has|could|should)\s+)?(?:" + SPEECH_VERBS + r"|discuss\w*|decid\w*|conclud\w*|plan\w*|recommend\w*)\b)"
)


# "about X" up to where the question moves on to time, place or event.
_ABOUT = re.compile(r"\babout\s+(.+?)(?=\s+(?:at|in|on|during|with|when|while|after|before|to|from|for|and)\b|[?,.;]|$)")


def _find_people(question: str, index: LoadedIndex, qa: QueryAnalysis) -> list[str]:
    """Resolve the people a question names (see :mod:`assistant.ask.people`); return the spans resolved.

    The person asked about as speaker is a strict filter over everyone the span can name
    (``speakers``: one person when the resolution is certain, every holder of an unqualified role
    such as "the president" otherwise); the best-known of several also adds weight (``likely``).
    """
    spans: list[str] = []
    for m in find_mentions(question, index, qa.years):
        qa.notes += m.notes
        if not m.names:
            continue  # a qualified role nobody in the corpus holds: its words stay words to match
        if m.as_speaker:
            qa.said_at.append(m.end)
            qa.by_role = qa.by_role or m.by_role
            if m.by_role and m.qualifier:
                qa.role_qualifiers += _written_qualifier(question, m)
            # What X said is said by X: the answer's speaker must be one of the people the span can
            # name (one, when the resolution is certain); the best-known of several also weighs more.
            for n in m.names:
                if n not in qa.speakers:
                    qa.speakers.append(n)
            if not m.certain and m.names[0] not in qa.likely:
                qa.likely.append(m.names[0])
        elif _hosts(question, m):
            pass  # "At Putin's meeting in Kemerovo, how many…": whose event it is, not whom it is about
        elif m.names[0] not in qa.mentioned:
            qa.mentioned.append(m.names[0])
            if not m.by_role and m.certain and not set(m.names[0].lower().split()) & lexicon.words("role_words"):
                # Named ("Pamfilova's favourite food", "What did Putin say about Tokayev?"), not by role:
                # an event that never mentions them does not answer.
                qa.names.append(tuple(sorted({m.names[0].lower(), m.names[0].split()[-1].lower()})))
        spans.append(m.span)
        qa.mention_spans.append(m.span)
        qa.people[m.span] = list(m.names)
    return spans


def _written_qualifier(question: str, mention: Mention) -> list[tuple[int, int]]:
    """Where the qualifier of a role stands as written beside it: after it ("the president of the International
    Federation of Red Cross…") or before it, owning it ("Gazprom's head"). A qualifier read from a demonym ("the
    Turkish President" → Turkey) is not written there, and a word elsewhere in the question is no part of the role
    ("What did the Swiss President say Switzerland owes…")."""
    low = lowered(question)  # as analyse() reads it: the offsets are its
    qualifier = re.escape(fold_latin(mention.qualifier.lower()))
    after = re.compile(rf"\s+of\s+(?:the\s+)?{qualifier}\b").match(low, mention.end)
    if after:
        return [(after.start(), after.end())]
    start = mention.end - len(mention.span)
    before = re.search(rf"\b{qualifier}['’]s\s+$", low[:start])
    return [(before.start(), start)] if before else []


# Event nouns only: "Putin's spokesman told…" is about Putin's man, not an event of Putin's.
_HOSTED = re.compile(r"^['’]s\s+(?:[\w'’-]+\s+){0,3}?(?:"
                     + "|".join(w for w in ordered("event_anchors") if w not in ordered("speech_verbs") and w != "met") + r")\b", re.I)


def _hosts(question: str, mention: Mention) -> bool:
    """Whether a person is named only as the one whose event it was: "At Putin's meeting…", "During Putin's June
    2019 visit…". They are no topic of the question, so their many short turns at that event ("Why?", "I see.")
    are not weighted; the date and place find the event."""
    return mention.span.endswith("'s") and bool(_HOSTED.match(question[mention.end - 2 :]))


def reports(turn: TurnRecord, speakers: list[str]) -> bool:
    """Whether a reporter's narration turn paraphrases one of ``speakers`` (names their surname)."""
    return turn.kind == "narration" and any(re.search(rf"\b{re.escape(n.split()[-1])}\b", turn.text) for n in speakers)
