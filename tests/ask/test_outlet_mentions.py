"""A journalist is named by the outlet they introduced themselves with: "the Kommersant correspondent".

Made-up turns in the shape of kremlin.ru press conferences (kremlin-67838, 22 February 2022): the journalist's
label is their name alone, and their first turn opens "Andrei Kolesnikov, Kommersant newspaper."
"""

from __future__ import annotations

from conftest import rules_assistant

from assistant.ask.query import analyse

DOCS = [
    {"id": "presser", "title": "Answers to media questions", "date": "2022-02-22",
     "turns": [
         {"speaker": "Maria Holt", "role": "President", "text": "Good afternoon. Let us begin."},
         {"speaker": "Ivan Korin", "text": "Ivan Korin, Kommersant newspaper. Is it possible to resolve problems by force? "
                                           "In your view, how far might the troops advance: up to the contact line?"},
         {"speaker": "Maria Holt", "role": "President", "text": "It depends on the situation on the ground."},
         {"speaker": "Olga Sand", "text": "Olga Sand, Izvestia. What about the harvest this year?"},
         {"speaker": "Maria Holt", "role": "President", "text": "The harvest will be good, about 120 million tonnes."},
         {"speaker": "Peter Lane", "text": "Peter Lane, US Daily Post. A question on sanctions."},
     ]},
]


def test_the_outlet_names_who_speaks_as_it(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    assert analyse("What did the Kommersant correspondent ask Maria Holt about the troops?", a.loaded).speakers == ["Ivan Korin"]
    assert analyse("What did the journalist from Izvestia ask about?", a.loaded).speakers == ["Olga Sand"]
    assert analyse("What did Izvestia's reporter ask about?", a.loaded).speakers == ["Olga Sand"]
    # A country is no outlet, and an outlet nobody speaks as names nobody.
    assert analyse("What did the US journalist ask?", a.loaded).speakers == []
    assert analyse("What did the Reuters correspondent ask?", a.loaded).speakers == []


def test_the_question_is_answered_from_the_journalist_s_own_turn(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    ans = a.ask("What did the Kommersant correspondent ask about the troops?")
    assert not ans.abstained and "contact line" in ans.answer, ans.answer
    assert ans.citations[0].speaker == "Ivan Korin"
    assert "Kommersant newspaper" in ans.answer  # the attribution says what he spoke as
