"""A speaker the record gives no role is attributed by what they introduce themselves as.

Made-up turns: a news conference where a journalist opens their first question with their name and outlet
("Ivo Lamm, Coastal Radio. Mr President, …") and asks a second question later without introducing themselves.
"""

from __future__ import annotations

import pytest

from assistant.text.sentences import introduction
from conftest import rules_assistant

DOCS = [
    {"id": "press-1", "title": "News conference following talks", "date": "2022-02-22",
     "turns": [
         {"speaker": "Anna Holt", "role": "President", "text": "Good afternoon. Please, go ahead."},
         {"speaker": "Ivo Lamm", "text": "Ivo Lamm, Coastal Radio. Mr President, what will happen to the harbour tariffs?"},
         {"speaker": "Anna Holt", "role": "President", "text": "The harbour tariffs will stay as they are until the summer."},
         {"speaker": "Ivo Lamm", "text": "And will the new lighthouse on the northern cape be finished this year?"},
         {"speaker": "Anna Holt", "role": "President", "text": "The lighthouse will be finished in October."},
     ]},
]


@pytest.mark.parametrize("text, name, said", [
    ("Alexander Yunashev, Life. Mr President, yesterday…", "Alexander Yunashev", "Life"),
    ("Andrei Kolesnikov, Kommersant newspaper. Mr President, do you think…", "Andrei Kolesnikov", "Kommersant newspaper"),
    ("Andrei Kolesnikov, I have a question.", "Andrei Kolesnikov", ""),
    ("Mr President, Andrei Kolesnikov, Kommersant.", "Andrei Kolesnikov", ""),
    ("Thank you. Andrei Kolesnikov, Kommersant.", "Andrei Kolesnikov", ""),
])
def test_what_a_turn_opening_with_the_speakers_name_says_they_are(text: str, name: str, said: str) -> None:
    assert introduction(text, name) == said


def test_a_later_question_is_attributed_by_the_outlet_given_first(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus").ask("What did Lamm ask about the lighthouse on the northern cape?")
    assert ans.citations and ans.citations[0].turn_id == "press-1#4"
    assert ans.citations[0].role == "Coastal Radio"
    assert "Ivo Lamm, Coastal Radio" in ans.answer
