"""The month and year a question dates its event by, as opposed to a date of what was said."""

from __future__ import annotations

import pytest

from assistant.text.dates import event_months, event_places


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("How much gas did Gazprom deliver in 2015, according to Alexei Miller's report to Putin in February 2016?", [(2016, 2)]),
        ("What did they agree on when they met at the summit in Sochi in October 2019?", [(2019, 10)]),
        ("At Putin's meeting with virologists on 7 April 2020, which models did the director describe?", [(2020, 4)]),
        ("What saying did he quote to Putin at their meeting in January 2018?", [(2018, 1)]),
        ("At his August 2022 working meeting with the head of the commission, when did he say the vote would be?", [(2022, 8)]),
        # No year given: the month alone (year 0).
        ("What did she tell the commissions at the 15 November meeting with Putin?", [(0, 11)]),
        ("What did he say at the meeting on March 20, 2016?", [(2016, 3)]),
        # A date of what was said, or one with no event word before it, dates no event.
        ("In September 2022, what percentage of respondents thought the elections were honest?", []),
        ("How many campaigns were expected in September 2022?", []),
        ("By how much did passenger traffic drop in April 2020, according to the head of the airline?", []),
    ],
)
def test_event_months(question: str, months: list[tuple[int, int]]) -> None:
    assert event_months(question) == months



@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("What did Putin and the Senate President discuss when they met in Paris in 2016?", ["Paris"]),
        ("What did they agree on at the summit in Sochi in October 2019?", ["Sochi"]),
        # An event's name is capitalised: "the Interregional Forum in Baku".
        ("What did Aliyev say at the Russia-Azerbaijan Interregional Forum in Baku in September 2018?", ["Baku"]),
        # A month is no place, nor is what the meeting was about.
        ("What did he say at the meeting in March 2016?", []),
        ("What did he say at the meeting about investment in Asia?", []),
        ("What did Putin say about trade in Asia at the forum?", []),
    ],
)
def test_event_places(question: str, places: list[str]) -> None:
    assert event_places(question) == places


@pytest.mark.parametrize(("question", "days"), [
    ("According to Lavrov's report to Putin on 14 February 2022, on what date did the Americans reply?", ["2022-02-14"]),
    ("At the meeting on February 14, 2022, what did he say?", ["2022-02-14"]),
    # Press statements after talks are an event too (kremlin.ru: "Press statements following Russian-Turkish talks").
    ("How many people did he say lived there, in his press statement in Moscow on 5 March 2020?", ["2020-03-05"]),
    # A date of what was said, or a date with no day or no year, dates no event day.
    ("How many enterprises were working in Moscow on 12 May 2020?", []),
    ("At the 15 November meeting, what did she say?", []),
    ("At their meeting in January 2018, what did they agree?", []),
])
def test_event_days(question: str, days: list[str]) -> None:
    from assistant.text.dates import event_days

    assert event_days(question) == days


@pytest.mark.parametrize(("text", "months"), [
    # May is a month where a date has it: before a day or a year, after a day, after a word of time.
    ("At the 6 May 2020 meeting on support measures", [5]),
    ("the talks on May 9, 2019", [5]),
    ("What did Putin say in May about prices?", [5]),
    ("The parade on the 9th May", [5]),
    ("from March until May", [3, 5]),
    # Elsewhere it is the verb.
    ("They may agree. This may help, and prices may rise in June.", [6]),
    ("May I ask a question?", []),
])
def test_may_is_a_month_only_in_a_date(text: str, months: list[int]) -> None:
    import re

    from assistant.ask.answerers.extractive import month_named
    from assistant.text.dates import MONTH_NAMES, MONTH_PATTERN

    assert [MONTH_NAMES[m.group(1).lower()] for m in re.finditer(MONTH_PATTERN, text, re.I)] == months
    assert month_named(text, [5]) is (5 in months)


def test_a_may_date_dates_the_event() -> None:
    from assistant.text.dates import event_days

    question = "At the 6 May 2020 meeting on support measures, how many cases had been recorded?"
    assert event_months(question) == [(2020, 5)] and event_days(question) == ["2020-05-06"]
    assert event_months("At their meeting in May 2017, what did they agree?") == [(2017, 5)]
