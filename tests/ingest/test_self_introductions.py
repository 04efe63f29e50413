"""People who speak without a role and open their first turn with their own name say what they speak as.

The openings are those of kremlin.ru press conferences and meetings (kremlin-67838, 22 February 2022: "Andrei
Kolesnikov, Kommersant newspaper."; the Valdai Club's "Dmitry Suslov, Higher School of Economics, Valdai Club."),
on made-up turns.
"""

from __future__ import annotations

import pytest

from assistant.ingest.speakers import resolve_people, self_introduction
from assistant.ingest.transcripts import RawDocument, RawTurn


@pytest.mark.parametrize(("name", "text", "said"), [
    pytest.param("Andrei Kolesnikov", "Andrei Kolesnikov, Kommersant newspaper. Mr President, do you think…", "Kommersant newspaper", id="outlet"),
    pytest.param("Alexander Yunashev", "Good afternoon. Alexander Yunashev, Life. Mr President, yesterday…", "Life", id="greeting-first"),
    pytest.param("Dmitry Suslov", "Dmitry Suslov, Higher School of Economics, Valdai Club. My question is…",
                 "Higher School of Economics, Valdai Club", id="institution"),
    pytest.param("Olga Pylayeva", "I am Olga Pylayeva, electric welder. We want to ask…", "Electric welder", id="i-am"),
    pytest.param("Michael Cohen", "Michael Cohen from Capital World Investors. Thank you.", "Capital World Investors", id="from"),
    pytest.param("Rachael Harder", "Rachael Harder, first of all, has a question.", None, id="sentence-moves-on"),
    pytest.param("Rachael Harder", "Thank you. I have a question for Rachael Harder, the member.", None, id="not-an-opening"),
    pytest.param("Ivan Petrov", "Mr President, Ivan Petrov, Kommersant.", None, id="name-not-first"),
])
def test_what_an_opening_says(name: str, text: str, said: str | None) -> None:
    assert self_introduction(name, text) == said


def _turn(label: str, text: str) -> RawTurn:
    return RawTurn(label=label, text=text, start=0, end=len(text))


def test_a_self_introduction_is_a_role_but_names_nobody() -> None:
    doc = RawDocument(doc_id="presser", title="Vladimir Putin answered media questions", format="test", source="p.csv", turns=[
        _turn("Andrei Kolesnikov", "Andrei Kolesnikov, Kommersant newspaper. Mr President, is it possible to resolve problems by force?"),
        _turn("Vladimir Putin", "First, I did not say that."),
        _turn("Andrei Kolesnikov", "In your view, how far might troops advance?"),
        _turn("Anna Berg", "Anna Berg, Yekaterinburg. A question about housing."),
        _turn("Maria Holt (Minister of Housing)", "Maria Holt, as minister, answers that."),
    ])
    people = resolve_people([doc])
    roles = [(t.speaker, t.role) for t in doc.turns]
    # Every turn of the speaker in that event carries it: the outlet is searchable beside the question they asked.
    assert roles[0] == roles[2] == ("Andrei Kolesnikov", "Kommersant newspaper")
    assert roles[3] == ("Anna Berg", "Yekaterinburg")
    assert roles[4] == ("Maria Holt", "Minister of Housing")  # a label's role stands
    # A town or an outlet in a question is no person: no alias is made of what someone introduced themselves with.
    assert people.resolve("Yekaterinburg") == []
    assert people.resolve("Kommersant newspaper") == []
    assert people.resolve("Kolesnikov") == ["Andrei Kolesnikov"]
    assert people.resolve("the Minister of Housing") == ["Maria Holt"]
