"""A country's own officials are given without the country: "the Ruritanian Defence Minister" is the Defence Minister
who speaks at events about Ruritania, when nobody's role names Ruritania.

Made-up turns only: Ruritania's defence minister (role "Defence Minister") at two meetings about Ruritania, and a
foreign guest whose role names his country.
"""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse

DOCS = [
    {"id": "board-2021", "title": "Defence Ministry Board meeting", "date": "2021-12-21",
     "turns": [
         {"speaker": "Anton Brisk", "role": "Defence Minister",
          "text": "The Ruritanian Army received 40 new tanks this year. Ruritania's borders are secure."},
         {"speaker": "Karl Odemar", "role": "President of Ruritania",
          "text": "Thank you. Ruritania will keep modernising its army, and Ruritanian factories will build the tanks."},
         {"speaker": "Ana Sel", "role": "Presidential Press Secretary",
          "text": "The President will visit the tank factory next week."},
         {"speaker": "Lena Vostrova", "role": "Secretary of State",
          "text": "The treaty on tanks goes to parliament in May."},
     ]},
    {"id": "talks-2022", "title": "Talks with the Defence Minister of Borduria", "date": "2022-03-02",
     "turns": [
         {"speaker": "Boris Vel", "role": "Defence Minister of Borduria",
          "text": "Borduria and Ruritania have signed an agreement on air defence."},
         {"speaker": "Anton Brisk", "role": "Defence Minister",
          "text": "Ruritania values this agreement with Borduria."},
     ]},
]


def test_a_country_qualifier_no_role_names_is_the_home_countrys_official(docs_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.ask import people

    monkeypatch.setattr(people, "demonym_table", lambda: {"ruritanian": "Ruritania", "bordurian": "Borduria"})
    for cached in (people._country_words, people._country_pattern, people._demonyms_of):
        cached.cache_clear()
    try:
        qa = analyse("What did the Ruritanian Defence Minister say about tanks?", docs_assistant.loaded)
        assert qa.speakers == ["Anton Brisk"], qa.notes
        # A role that names its country is that country's: the Bordurian minister by his role, not by the rule.
        assert analyse("What did the Bordurian Defence Minister say?", docs_assistant.loaded).speakers == ["Boris Vel"]
        # A bare "head" says of what only by its qualifier: no home-country reading.
        assert people.domestic_holders(["head"], "Ruritania", docs_assistant.loaded) == []
    finally:
        for cached in (people._country_words, people._country_pattern, people._demonyms_of):
            cached.cache_clear()


@pytest.mark.parametrize(("role", "office", "held"), [
    ("Deputy Prime Minister of Ruritania", ["prime", "minister"], False),  # a deputy holds no office of his own
    ("Vice President of Ruritania", ["president"], False),
    ("First Deputy Prime Minister – Finance Minister of Ruritania", ["finance", "minister"], True),
    ("Deputy Prime Minister of Ruritania", ["deputy", "prime", "minister"], True),
    ("Prime Minister of Ruritania", ["prime", "minister"], True),
])
def test_a_deputy_does_not_hold_the_office(role: str, office: list[str], held: bool) -> None:
    from assistant.ask.people import fits

    assert fits(role, office, "Ruritania") is held


def test_an_office_is_named_as_one_phrase_for_a_home_countrys_official() -> None:
    from assistant.ask.people import _names_office

    assert _names_office("defence minister", ["defence", "minister"])
    assert _names_office("minister of defence", ["defence", "minister"])
    # Both words, but another office: the Minister for Civil Defence, Emergencies and Disaster Relief.
    assert not _names_office("minister for civil defence, emergencies and disaster relief", ["defence", "minister"])


def test_an_office_of_a_persons_office_by_another_name(docs_assistant: Assistant) -> None:
    # "Odemar's spokeswoman": the press secretary of his office, the President's ("Presidential Press Secretary";
    # lexicon/office_synonyms.txt, "President | Presidential" in lexicon/body_names.txt).
    qa = analyse("What did Odemar's spokeswoman say about the factory?", docs_assistant.loaded)
    assert qa.speakers == ["Ana Sel"], qa.notes
    assert analyse("What did Odemar's press secretary say about the factory?", docs_assistant.loaded).speakers == ["Ana Sel"]
    # A role qualified otherwise keeps its own qualifier: "Odemar's Secretary of State" is no press secretary.
    assert analyse("What did Odemar's Secretary of State say about the treaty?", docs_assistant.loaded).speakers == ["Lena Vostrova"]

