"""A reply that opens by agreeing ("Exactly, …") means what the statement before it said.

Made-up turns: the host states what the guest's company will mark; the guest agrees and gives the date, in a
sentence that repeats none of the question's words; later the guest speaks of the anniversary at length.
"""

from __future__ import annotations

import pytest

from assistant.ask.answerers.extractive import confirms, terse_reply
from conftest import rules_assistant

DOCS = [
    {"id": "meeting-1", "title": "Meeting with the head of Coastal Shipyards Ivo Lamm", "date": "2022-01-04",
     "turns": [
         {"speaker": "Anna Holt", "role": "President", "text": "Your company is marking its 20th anniversary in January."},
         {"speaker": "Ivo Lamm", "role": "Director General of Coastal Shipyards",
          "text": "Exactly, it is right around the corner, on January 24. The years passed so quickly."},
         {"speaker": "Anna Holt", "role": "President", "text": "What about research?"},
         {"speaker": "Ivo Lamm", "role": "Director General of Coastal Shipyards",
          "text": "Our research centres will hold a conference for the anniversary of the company next year."},
     ]},
]


@pytest.mark.parametrize("text, agrees", [
    ("Exactly, it is right around the corner, on January 24.", True),
    ("Yes, you'll be aware that a moratorium does exist.", True),
    ("That's right: in May.", True),
    ("Yesterday we met the governors.", False),
    ("Right now we are building two ships.", False),
    ("Indeed the figures are good.", False),
])
def test_an_opening_that_agrees(text: str, agrees: bool) -> None:
    assert confirms(text) is agrees


def test_a_short_agreeing_opening_is_a_reply_to_the_statement_before() -> None:
    statement = "Your company is marking its 20th anniversary in January."
    assert terse_reply("Exactly, it is right around the corner, on January 24.", 0, statement, 60)
    assert not terse_reply("It is right around the corner, on January 24.", 0, statement, 60)
    assert not terse_reply("Exactly, it is right around the corner, on January 24.", 1, statement, 60)


def test_the_agreeing_reply_is_the_best_sentence(docs_dir) -> None:
    # Words-and-meaning retrieval: the reply shares no word with the question, only a meaning.
    a = rules_assistant(docs_dir, docs_dir / "corpus", mode="hybrid")
    a.settings.answer.abstain_threshold = 0.0  # the words it means are the statement's: which sentence wins is the point
    ans = a.ask("On what date did Lamm say his company would mark its 20th anniversary?")
    assert ans.citations and "January 24" in ans.citations[0].quote
