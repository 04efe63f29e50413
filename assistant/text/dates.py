"""Which years a piece of text is about, so "in 2019" finds "last year" said in 2020.

A sentence is about the year it was said in, the years it names ("in 2013"), and the years
its relative phrases point at, read against the document's date ("last year", "the past
year", "this year", "next year"). A question that names a year is answered only from
sentences about that year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant.text.lexicon import ordered

# Bumped whenever years_about() changes: cached per-passage years are computed again.
DATES_VERSION = 1

MONTH_FULL = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_MONTHS = {m.lower(): i for i, m in enumerate(MONTH_FULL, start=1)}
# Full names and abbreviations ("aug", "sept") to month numbers.
MONTH_NAMES: dict[str, int] = {**_MONTHS, **{m[:3]: i for m, i in _MONTHS.items()}, "sept": 9}
# A year as questions and transcripts write it (1950-2049), as a regex with one group.
YEAR_PATTERN = r"\b(19[5-9]\d|20[0-4]\d)\b"
# "May" is the month only where a date has it: before a day or a year ("May 6", "May 2020"), after a day ("6 May") or
# after a word of time ("in May", "since May", "early May"); elsewhere it is the verb ("they may agree", "this may help").
_MAY = (r"(?:may(?=\s+(?:\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d\d)\b)|(?:(?<=\d )|(?<=\dst )|(?<=\dnd )|(?<=\drd )|(?<=\dth )"
        r"|(?<=in )|(?<=of )|(?<=by )|(?<=since )|(?<=until )|(?<=from )|(?<=early )|(?<=late )|(?<=mid-)|(?<=mid )|(?<=end )|(?<=before )|(?<=after ))may)")
# A month name written out (abbreviations of three letters are too ambiguous in running text: "mar", "jan"), and May
# where a date has it.
MONTH_PATTERN = r"\b(" + "|".join(k for k in MONTH_NAMES if len(k) > 3) + "|" + _MAY + r")\b"
_YEAR = re.compile(YEAR_PATTERN)


def doc_year(date: str) -> int | None:
    """The year of an ISO date ('2022-08-19' → 2022), or None."""
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


# One pass over the text finds named years and relative phrases alike (15k passages in ~0.2 s).
_ANY = re.compile(
    r"\b(?:(?P<year>" + YEAR_PATTERN[3:-3] + r")|(?P<rel>(?:last|past|previous|preceding|this|current|present|next|coming) year|a year ago))\b",
    re.I,
)
# How many years each relative word moves from the year it is read against: transcripts' "last year", "a year ago",
# questions' "the year before", "a year later" (see RELATIVE_YEAR).
_OFFSET = {"last": -1, "past": -1, "previous": -1, "preceding": -1, "prior": -1, "before": -1, "earlier": -1, "a": -1,
           "this": 0, "current": 0, "present": 0, "next": 1, "coming": 1, "following": 1, "after": 1, "later": 1}


def years_about(text: str, date: str = "") -> frozenset[int]:
    """The years a text is about: its document's year, the years it names, relative years resolved."""
    base = doc_year(date)
    return years_named(text, date) | ({base} if base is not None else frozenset())


def years_named(text: str, date: str = "") -> frozenset[int]:
    """The years a text names itself ("in 2014", "last year" read against the document's date); empty when it
    names none (then it is about the year of the text around it)."""
    base = doc_year(date)
    years: set[int] = set()
    for m in _ANY.finditer(text):
        if m.group("year"):
            years.add(int(m.group("year")))
        elif base is not None:
            years.add(base + _OFFSET[m.group("rel").split()[0].lower()])
    return frozenset(years)


def question_years(question: str) -> list[int]:
    """Years a question names."""
    return [int(y) for y in _YEAR.findall(question)]


# A year a question gives relative to a year it names ("In March 2018, how much meat had Russia exported the previous
# year?", "… in 2017, and how much capacity did it commission the following year?").
RELATIVE_YEAR = re.compile(
    r"\b(?:(?:the\s+)?(?P<adj>previous|preceding|prior|last|following|next)\s+year|the\s+year\s+(?P<the>before|after|earlier|later)"
    r"|a\s+year\s+(?P<a>earlier|before|later|after))\b",
    re.I,
)


def _moves(m: re.Match[str]) -> int:
    """The years a RELATIVE_YEAR match moves by."""
    return _OFFSET[(m.group("adj") or m.group("the") or m.group("a")).lower()]


def year_offset(text: str) -> int | None:
    """How many years the first relative phrase of ``text`` moves from the year it is read against ("the year
    before": -1, "the following year": 1), or None when it has none."""
    m = RELATIVE_YEAR.search(text)
    return None if m is None else _moves(m)


_COMPARED = re.compile(r"\b(?:than|compared\s+(?:with|to)|from|over|since|on)\s+$", re.I)


def relative_years(question: str) -> list[tuple[int, int]]:
    """(anchor, year) for each year a question gives relative to a year it names: "the previous year" after "in
    March 2018" is (2018, 2017). The anchor is the last year named before the phrase, else the first after it; a
    phrase with no year named anywhere in the question (a follow-up's "the year before") gives none."""
    named = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(question)]
    out: list[tuple[int, int]] = []
    for m in RELATIVE_YEAR.finditer(question):
        if _COMPARED.search(question[: m.start()]):
            continue  # "how much higher than a year earlier": what the figure is compared with, not its year
        before = [y for at, y in named if at < m.start()]
        after = [y for at, y in named if at > m.end()]
        anchor = before[-1] if before else after[0] if after else None
        if anchor is not None:
            out.append((anchor, anchor + _moves(m)))
    return list(dict.fromkeys(out))


def looks_back(years: list[int], event_years: list[int]) -> bool:
    """Whether ``years`` all come before the years that place the event asked about: what was said there about
    the past ("at the September 2016 meeting…, and how far had the programme been fulfilled in 2015?"), not
    another event. False when either list is empty."""
    return bool(years) and bool(event_years) and max(years) < min(event_years)





def parse_date(text: str) -> str | None:
    """ISO date from 'August 19, 2022', '19 August 2022', '2022-08-19' or '2022-06-24T17:30:00Z'."""
    text = text.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", text)
    if m and m.group(1).lower() in MONTH_NAMES:
        return f"{int(m.group(3)):04d}-{MONTH_NAMES[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+)\.?,? (\d{4})", text)
    if m and m.group(2).lower() in MONTH_NAMES:
        return f"{int(m.group(3)):04d}-{MONTH_NAMES[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    return None




def human_date(iso: str) -> str:
    """'2022-08-19' → '19 August 2022'."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    return f"{int(m.group(3))} {MONTH_FULL[int(m.group(2)) - 1]} {m.group(1)}" if m else ""


_EVENT_WORDS = "|".join(map(re.escape, ordered("event_anchors")))
# An event word, then up to seven words ("report to Putin", "summit in Sochi"), then "in"/"on" and the date.
_EVENT_BEFORE = re.compile(
    r"\b(?:" + _EVENT_WORDS + r")\b(?:\s+[\w'’().,–-]+){0,7}?\s+(?:in|on|of)\s+(?:the\s+)?$", re.I
)
# Or the date, then at most two words, then the event word: "at his August 2022 working meeting".
_EVENT_AFTER = re.compile(r"^(?:\s+[\w'’-]+){0,2}?\s+(?:" + _EVENT_WORDS + r")\b", re.I)
_DATED = re.compile(r"\b(?:(\d{1,2})\s+)?" + MONTH_PATTERN + r"(?:\s+(\d{1,2})\b,?)?(?:\s+" + YEAR_PATTERN + ")?", re.I)


def event_months(question: str) -> list[tuple[int, int]]:
    """(year, month) of each date a question gives the event it asks about: a month (and year; 0 when none is
    given, "at the 15 November meeting") right after an event word ("at their meeting in January 2018",
    "Miller's report to Putin in February 2016", "when they met at the summit in Sochi in October 2019") or just
    before one ("at his August 2022 working meeting"). A date of what was said ("in September 2022, how many
    campaigns…", "the April 2020 drop") dates no event and is left out."""
    out = [(int(m.group(4)) if m.group(4) else 0, MONTH_NAMES[m.group(2).lower()]) for m in _event_dated(question)]
    return list(dict.fromkeys(out))


def _event_dated(question: str) -> Iterator[re.Match[str]]:
    """The dates of a question that stand right after or just before an event word (see ``event_months``)."""
    for m in _DATED.finditer(question):
        if _EVENT_BEFORE.search(question[: m.start()]) or _EVENT_AFTER.match(question[m.end() :]):
            yield m


def event_days(question: str) -> list[str]:
    """The whole dates (ISO 'YYYY-MM-DD') a question gives the event it asks about, read as ``event_months`` reads
    months: "at Putin's meeting on 7 April 2020", "Lavrov's report to Putin on 14 February 2022". A date with no
    day or no year is none."""
    out = [f"{int(m.group(4)):04d}-{MONTH_NAMES[m.group(2).lower()]:02d}-{int(m.group(1) or m.group(3)):02d}"
           for m in _event_dated(question) if (m.group(1) or m.group(3)) and m.group(4)]
    return list(dict.fromkeys(out))


# An event word, then up to six words (not "about …": what was discussed), then "in" and a capitalised place ("when
# they met in Paris", "the talks in Sochi in May"); a month is no place.
_EVENT_PLACE = re.compile(
    r"\b(?i:" + _EVENT_WORDS + r")\b(?:\s+(?!about\b|on\b|regarding\b|of\b)[\w'’().,–-]+){0,6}?\s+in\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)  # the event word in any case ("the Interregional Forum in Baku"), the place capitalised


def event_places(question: str) -> list[str]:
    """The places a question says its event was held in ("What did they discuss when they met in Paris?")."""
    out = []
    for m in _EVENT_PLACE.finditer(question):
        place = m.group(1)
        if place.split()[0].lower() in MONTH_NAMES or re.fullmatch(YEAR_PATTERN, place):
            continue
        out.append(place)
    return list(dict.fromkeys(out))

