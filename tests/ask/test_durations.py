"""A how-long question is answered by a sentence that states a duration ("about a month"), as a how-many question
is by one that states a number.

Made-up turns: a new governor first says what he will draw up, in the question's words, then how long it takes,
in none of them.
"""

from __future__ import annotations

import pytest

from assistant.ask.answer_types import asks_duration, states_duration
from conftest import rules_assistant

DOCS = [
    {"id": "governor-1", "title": "Meeting with acting Governor of Coastal Region Ivo Lamm", "date": "2022-05-10",
     "turns": [
         {"speaker": "Anna Holt", "role": "President", "text": "What are your plans?"},
         {"speaker": "Ivo Lamm", "role": "Acting Governor of Coastal Region",
          "text": "In parallel, we will draw up a regional development strategy, a vision for the region. "
                  "I think about a month will suffice for this purpose. We will then present it to the residents."},
     ]},
]


@pytest.mark.parametrize("question, asks", [
    ("How long did the governor say he needed to draw up a strategy?", True),
    ("How much time will the repairs take?", True),
    ("How many people live there?", False),
    ("When will the strategy be ready?", False),
])
def test_a_question_asking_for_a_duration(question: str, asks: bool) -> None:
    assert asks_duration(question) is asks


@pytest.mark.parametrize("text, states", [
    ("I think about a month will suffice for this purpose.", True),
    ("The talks went on for nearly six hours.", True),
    ("It will take a few weeks and a half.", True),
    ("We will draw up a regional development strategy.", False),
    ("The month of May was warm.", False),
])
def test_a_sentence_stating_a_duration(text: str, states: bool) -> None:
    assert states_duration(text) is states


def test_the_sentence_that_states_the_duration_answers(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    ans = a.ask("How long did Lamm say he needed to draw up a development strategy for the region?")
    assert ans.citations and "about a month" in ans.citations[0].quote
