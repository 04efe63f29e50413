"""A year a question gives relative to one it names ("In March 2018, how much meat had Russia exported the previous
year?") is a year the answer must be about, as if it were named.

Made-up turns only, after the kremlin.ru National Forum of Agricultural Producers of March 2018, where the head of
Miratorg gives last year's meat exports in a sentence that does not say "meat" and, two sentences on, the exports he
hopes for by 2025 in one that does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.text.dates import relative_years
from conftest import rules_assistant

DOCS = [
    {"id": "agri-forum-2018", "title": "National Forum of Agricultural Producers", "date": "2018-03-12",
     "place": "Krasnodar",
     "turns": [
         {"speaker": "Viktor Linnik", "role": "Head of Miratorg",
          "text": "I would like to talk separately about meat. Last year, we exported a record volume: 250,000 tonnes. "
                  "I believe this is just the beginning. By 2025, we could export up to 1.5 million tonnes of Russian "
                  "meat to global markets."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_relative_years_are_read_against_the_year_the_question_names() -> None:
    assert relative_years("In March 2018, how much had Russia exported the previous year?") == [(2018, 2017)]
    assert relative_years("what would be held in Krasnoyarsk the following year, at the March 2017 meeting?") == [(2017, 2018)]
    assert relative_years("In January 2022, how much was spent a year earlier?") == [(2022, 2021)]
    # The last year named before the phrase is its anchor.
    assert relative_years("What did he say in 2015 about 2016 and the year after?") == [(2016, 2017)]


def test_a_relative_year_with_no_year_named_is_left_to_the_conversation() -> None:
    assert relative_years("What was it the year before?") == []
    assert relative_years("How many did he expect this year?") == []


def test_the_previous_year_asks_for_what_was_said_of_that_year(assistant: Assistant) -> None:
    ans = assistant.ask("At the forum in Krasnodar in March 2018, how much meat did Linnik say Russia had exported "
                        "the previous year?")
    assert not ans.abstained
    assert "250,000 tonnes" in ans.answer and "1.5 million" not in ans.answer


def test_a_year_a_figure_is_compared_with_is_not_its_year() -> None:
    assert relative_years("how much higher were they in January 2022 than a year earlier?") == []
    assert relative_years("By how much had exports grown in 2019 compared with the previous year?") == []
