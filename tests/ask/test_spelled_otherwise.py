"""A person the source spells two ways: a question naming them correctly asks about what they said under either.

Made-up turns only, after the 2020 kremlin.ru page that labels Tatyana Golikova "Tatayana Golikova": one
meeting where she speaks under the misspelt label, one where her name is spelled right, and another
Golikova whose given name is not hers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse
from conftest import rules_assistant

DOCS = [
    {"id": "genetics-2020", "title": "Meeting on developing genetic technology", "date": "2020-05-12",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia", "text": "Ms Golikova, please go ahead."},
         {"speaker": "Tatayana Golikova", "role": "Deputy Prime Minister",
          "text": "Some 326 structural units have been created at 100 research and educational institutions."},
     ]},
    {"id": "government-2019", "title": "Meeting with Government members", "date": "2019-11-20",
     "turns": [{"speaker": "Tatyana Golikova", "role": "Deputy Prime Minister",
                "text": "The healthcare projects are on schedule, colleagues."}]},
    {"id": "school-2018", "title": "Visit to a school", "date": "2018-09-01",
     "turns": [{"speaker": "Tamara Golikova", "role": "Teacher", "text": "Our school has 300 pupils."}]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_a_name_spelled_right_names_the_misspelt_label_too(assistant: Assistant) -> None:
    qa = analyse("How many structural units did Tatyana Golikova say had been created?", assistant.loaded)
    # The same surname with a near given name is the same person; another given name is another person.
    assert qa.speakers == ["Tatyana Golikova", "Tatayana Golikova"]


def test_what_she_said_under_the_misspelt_label_answers(assistant: Assistant) -> None:
    ans = assistant.ask("How many structural units did Tatyana Golikova say had been created?")
    assert not ans.abstained and "326" in ans.answer
    assert [c.turn_id for c in ans.citations][:1] == ["genetics-2020#2"]


def test_an_abstention_names_the_person_once(assistant: Assistant) -> None:
    ans = assistant.ask("How many ventilators did Tatyana Golikova say Russia had?")
    assert ans.abstained
    # Both labels were searched; the reader is told of one person, as the question named her.
    assert "by Tatyana Golikova answers" in ans.answer and "Tatayana" not in ans.answer
