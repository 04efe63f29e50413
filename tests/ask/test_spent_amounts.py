"""A multi-part question asking for two amounts: a quote whose one amount answered the first part is no answer
to the second; a quote that states two may answer both.

Made-up turns only: an interview where the figure of then and the figure of now are said in different turns
(as Putin's TASS interview of March 2020 says them), and a report that gives two figures in one sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ask.answer_types import amounts
from assistant.types import ABSTAIN_PREFIX
from conftest import rules_assistant

DOCS = [
    {"id": "interview-2020", "title": "Interview on stability and stagnation", "date": "2020-03-04",
     "turns": [
         {"speaker": "Andrei Vandenko", "role": "Journalist", "text": "Where did you start from, in terms of poverty?"},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "We started from a very low base in 2000. Then 42 million people lived below the poverty line."},
         {"speaker": "Andrei Vandenko", "role": "Journalist", "text": "And what about today?"},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Today the figure is smaller: 13 million people, which is still too many."},
     ]},
    {"id": "helicopters-2017", "title": "Meeting with the head of a helicopter maker", "date": "2017-04-27",
     "turns": [{"speaker": "Sergei Chemezov", "role": "CEO",
                "text": "We will deliver 40 helicopters and another 160 will be assembled under licence abroad."}]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_amounts_are_counted_once_each() -> None:
    assert amounts("Then 42 million people lived below the poverty line.") == ["42 million"]
    assert amounts("We will deliver 40 helicopters and another 160 will be assembled.") == ["40", "160"]
    # Years, days of dates and numbers in names are no amounts.
    assert amounts("We started in 2000, on 12 May, with the S-400.") == []


def test_a_quote_whose_one_amount_answered_a_part_does_not_answer_the_next(assistant: Assistant) -> None:
    ans = assistant.ask("How many people did Putin say lived below the poverty line in 2000, "
                        "and how many did he say live below it now?")
    assert not ans.abstained
    first, second = ans.answer.split("\n\n")
    assert "42 million" in first and [c.turn_id for c in ans.citations] == ["interview-2020#2"]
    # Its one amount answered the first part: the second is not answered with it again (the quote of today's
    # figure shares none of the second part's words, so that part says the transcripts don't say).
    assert "42 million" not in second and second.endswith(f"{ABSTAIN_PREFIX}.")


def test_a_quote_with_two_amounts_may_answer_two_parts(assistant: Assistant) -> None:
    ans = assistant.ask("How many helicopters did Chemezov say would be delivered, and how many would be assembled under licence?")
    assert not ans.abstained and "don't say" not in ans.answer
    # Both parts answered by the one quote, asked together and answered once.
    assert [c.turn_id for c in ans.citations] == ["helicopters-2017#1"] and "160" in ans.answer
