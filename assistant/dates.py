"""Which years a piece of text is about, so "in 2019" finds "last year" said in 2020.

A sentence is about the year it was said in, the years it names ("in 2013"), and the years
its relative phrases point at, read against the document's date ("last year", "the past
year", "this year", "next year"). A question that names a year is answered only from
sentences about that year.
"""

from __future__ import annotations

import re

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_RELATIVE = [
    (re.compile(r"\b(last|past|previous|preceding) year\b|\ba year ago\b", re.I), -1),
    (re.compile(r"\b(this|current|the present) year\b|\bthis year's\b", re.I), 0),
    (re.compile(r"\bnext year\b|\bcoming year\b", re.I), 1),
]


def doc_year(date: str) -> int | None:
    """The year of an ISO date ('2022-08-19' → 2022), or None."""
    return int(date[:4]) if len(date) >= 4 and date[:4].isdigit() else None


def years_about(text: str, date: str = "") -> frozenset[int]:
    """The years a text is about: its document's year, the years it names, relative years resolved."""
    years = {int(y) for y in _YEAR.findall(text)}
    base = doc_year(date)
    if base is not None:
        years.add(base)
        for pattern, offset in _RELATIVE:
            if pattern.search(text):
                years.add(base + offset)
    return frozenset(years)


def question_years(question: str) -> list[int]:
    """Years a question names."""
    return [int(y) for y in _YEAR.findall(question)]
