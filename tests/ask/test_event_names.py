"""An event is named as a reader names it: by a name without its year, or by what the page's lead says of it.

Made-up documents: a meeting whose lead says it followed a race that no speaker names, and a ceremony on a
holiday whose name the speakers use without the year a question adds to it.
"""

from __future__ import annotations

import pytest
from conftest import rules_assistant, write_docs

from assistant.ask.query import proper_names

DOCS = [
    {"id": "after-race", "title": "Meeting with President of Lakeland Ivo Marek", "date": "2018-09-30",
     "lead": "The meeting took place following the Formula 1 Coastal Grand Prix at the Seaside Autodrom.",
     "turns": [{"speaker": "Maria Holt", "role": "President",
                "text": "Trade with us amounts to some 75 percent of your country's foreign trade."},
               {"speaker": "Ivo Marek", "role": "President of Lakeland", "text": "Thank you for the invitation."}]},
    {"id": "holiday", "title": "Meeting with Government members", "date": "2017-04-12",
     "turns": [{"speaker": "Maria Holt", "role": "President",
                "text": "Today is a truly nationwide holiday, Rocketry Day. Let us begin."},
               {"speaker": "Igor Lenz", "role": "Head of the Space Agency",
                "text": "The satellite group came to 141 satellites at the end of 2016. We are to have 164 satellites by 2025."},
               {"speaker": "Maria Holt", "role": "President",
                "text": "And the northern cosmodrome: how many was it to have by 2025? It was to have 40 launch pads by 2025, I recall."}]},
]


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("event-names")
    write_docs(tmp / "corpus", DOCS)
    return rules_assistant(tmp, tmp / "corpus")


@pytest.mark.parametrize(("question", "names"), [
    ("Whose birthday did Putin mark at the reception for the PyeongChang 2018 medallists?", [("pyeongchang",)]),
    ("How many satellites did the Space Agency report on Rocketry Day 2017?", [("space agency",), ("rocketry day",)]),
    ("What was said at Euro 2020?", [("euro",)]),
    ("What did Putin say about Nord Stream 2?", [("nord stream 2",)]),  # a number that is no year stays in the name
])
def test_a_year_is_no_part_of_a_name(question: str, names: list[tuple[str, ...]]) -> None:
    assert proper_names(question, ["putin"]) == names


def test_a_name_the_lead_gives_the_event_is_mentioned_by_it(made_up) -> None:
    ans = made_up.ask("When Holt met Ivo Marek after the Coastal Grand Prix, what share of foreign trade did she say was with her country?")
    # No speaker says "Coastal Grand Prix"; the lead does, so the meeting is not ruled out as another event.
    assert not any("never mentions" in n for n in ans.notes), ans.notes
    other = made_up.ask("When Holt met Ivo Marek after the Arctic Grand Prix, what share of foreign trade did she say was with her country?")
    assert any("never mentions “arctic grand prix”" in n for n in other.notes), other.notes


def test_a_name_with_a_year_is_mentioned_without_it(made_up) -> None:
    ans = made_up.ask("On Rocketry Day 2017, how many satellites did Igor Lenz say the satellite group had at the end of 2016?")
    assert not ans.abstained, ans.notes
    assert "141" in ans.answer


def test_a_later_part_with_no_counted_noun_counts_what_the_first_part_counts(made_up) -> None:
    ans = made_up.ask("How many satellites did Igor Lenz say the satellite group had at the end of 2016, and how many was it to have by 2025?")
    first, second = ans.answer.split("\n\n")[:2]
    assert "141" in first and "164" in second, ans.answer
