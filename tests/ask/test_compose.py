"""How answers read: the quote first, then a compact attribution; headline titles are quoted, not forced into 'at …'."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.ask.answerers.compose import Quoted, _event_kind, attribution, compose, event_name, is_event_title
from assistant.types import TurnRecord


def turn(title: str, kind: str = "speech", speaker: str = "Ella Pamfilova", role: str = "Chairperson of the CEC",
         quoted_in: str = "", place: str = "Sochi", date: str = "2022-08-19", time: str = "20:00") -> TurnRecord:
    return TurnRecord(turn_id="d#1", doc_id="d", n=1, speaker=speaker, role=role, label=speaker, kind=kind, text="x",
                      title=title, date=date, time=time, place=place, source="f", start=0, end=1, quoted_in=quoted_in)


@pytest.mark.parametrize(("title", "event"), [
    pytest.param("Meeting with Ella Pamfilova", True, id="meeting"),
    pytest.param("Russian-Hungarian talks", True, id="hyphenated-adjective"),
    pytest.param("Vladimir Putin will propose the candidacy of Elvira Nabiullina", False, id="headline-sentence"),
])
def test_event_titles_and_headlines(title: str, event: bool) -> None:
    assert is_event_title(title) is event


def test_the_quote_leads_and_the_attribution_follows() -> None:
    text, cites = compose([Quoted(turn("Working meeting with Ella Pamfilova"), ["24 parties have nominated candidates."])], "how_many")
    assert text.startswith("“24 parties have nominated candidates.” [1] — Ella Pamfilova, Chairperson of the CEC, at the working meeting")
    assert text.endswith("(Sochi, 19 August 2022).")
    assert cites[0].quote == "24 parties have nominated candidates."


def test_a_headline_title_is_quoted_not_put_after_at() -> None:
    t = turn("Vladimir Putin will propose the candidacy of Elvira Nabiullina for the post of Central Bank Governor", speaker="Vladimir Putin", role="")
    assert event_name(t) == "“Vladimir Putin will propose the candidacy of Elvira Nabiullina for the post of Central Bank Governor”"
    assert " at “" not in attribution(t) and ", in “" in attribution(t)


def test_who_questions_lead_with_the_person() -> None:
    text, _ = compose([Quoted(turn("Meeting with Ella Pamfilova"), ["It is in full swing."])], "who")
    assert text.startswith("Ella Pamfilova said it [1]: “It is in full swing.”")


def test_when_questions_lead_with_the_date() -> None:
    text, _ = compose([Quoted(turn("Meeting with Ella Pamfilova"), ["We met."])], "when")
    assert text.startswith("On 19 August 2022 at 20:00, in Sochi, at the meeting with Ella Pamfilova: “We met.” [1]")


def test_a_news_quote_names_the_report() -> None:
    t = turn("Putin meets electoral commissions", kind="quote", speaker="Vladimir Putin", role="President of Russia", quoted_in="Realnoe Vremya", place="Moscow")
    text, _ = compose([Quoted(t, ["Electronic voting works."])], "what")
    assert "quoted in Realnoe Vremya’s report “Putin meets electoral commissions” (19 August 2022)" in text


def test_every_quoted_turn_gets_its_own_marker() -> None:
    a, b = turn("Meeting with A"), turn("Meeting with A", speaker="Vladimir Putin", role="President of Russia")
    b.turn_id = "d#2"
    text, cites = compose([Quoted(a, ["One."]), Quoted(b, ["Two."])], "what")
    assert [c.marker for c in cites] == [1, 2] and "[1]" in text and "[2]" in text


def test_a_second_quote_by_the_same_person_at_the_same_event_is_attributed_briefly() -> None:
    first = turn("Working meeting with Ella Pamfilova")
    second = replace(first, turn_id="d#4", n=4)
    other = replace(first, turn_id="d#5", n=5, speaker="Vladimir Putin", role="President of Russia")
    text, cites = compose([Quoted(first, ["It is in full swing."]), Quoted(second, ["24 parties have nominated candidates."]),
                           Quoted(other, ["Good."])], "what")
    lines = text.split("\n\n")
    assert lines[0].endswith("(Sochi, 19 August 2022).")
    assert lines[1] == "“24 parties have nominated candidates.” [2] — Ella Pamfilova, same working meeting."
    assert lines[2].startswith("“Good.” [3] — Vladimir Putin, President of Russia, at the working meeting")
    assert [c.marker for c in cites] == [1, 2, 3]


@pytest.mark.parametrize(("title", "kind"), [
    pytest.param("Meeting with Head of Aeroflot Vitaly Savelyev", "meeting", id="meeting"),
    pytest.param("Plenary session of St Petersburg International Economic Forum", "plenary session", id="session"),
    pytest.param("Press conference following Russian-Finnish talks", "press conference", id="press-conference"),
    pytest.param("Interview to American TV channel NBC", "interview", id="interview"),
])
def test_the_kind_of_event_a_brief_attribution_names(title: str, kind: str) -> None:
    assert _event_kind(title) == kind
