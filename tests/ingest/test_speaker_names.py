"""One person per speaker across spellings: made-up documents, two pages spelling a name two ways."""

from __future__ import annotations

from assistant.ingest.speakers import name_key, normalise, resolve_people
from assistant.ingest.transcripts import RawDocument, RawTurn


def _doc(doc_id: str, label: str, text: str) -> RawDocument:
    return RawDocument(doc_id=doc_id, title="Talks", turns=[RawTurn(label=label, text=text, start=0, end=len(text))],
                       source=f"{doc_id}.txt", format="test")


def test_a_name_with_and_without_diacritics_is_one_person() -> None:
    docs = [
        _doc("a", "President of Finland Sauli Niinistö", "We discussed the border."),
        _doc("b", "Sauli Niinistö", "The border is calm."),
        _doc("c", "Sauli Niinisto", "Trade is growing."),
    ]
    people = resolve_people(docs)
    speakers = {t.speaker for d in docs for t in d.turns}
    assert speakers == {"Sauli Niinistö"}  # the spelling used most often
    assert people.resolve("Niinisto") == people.resolve("Niinistö") == ["Sauli Niinistö"]


def test_only_latin_diacritics_fold() -> None:
    assert normalise("Alexander Čeferin") == normalise("Alexander Ceferin")
    assert normalise("Сергей") != normalise("Сергеи")  # й is a letter of its own


def test_transliterations_of_one_russian_name_are_one_person() -> None:
    for a, b in [("Sergei Lavrov", "Sergey Lavrov"), ("Petr Fradkov", "Pyotr Fradkov"), ("Alexander Aleshin", "Alexander Alyoshin"),
                 ("Anatoly Aleksandrov", "Anatoly Alexandrov"), ("Yevgeny Zinichev", "Evgeny Zinichev"), ("Yury Zhulev", "Yuri Zhulyov")]:
        assert name_key(a) == name_key(b), (a, b)
    assert name_key("Sergei Lavrov") != name_key("Sergei Ivanov")
    docs = [_doc("a", "Sergey Lavrov", "We talked."), _doc("b", "Sergei Lavrov", "Yes."), _doc("c", "Sergei Lavrov", "No.")]
    resolve_people(docs)
    assert {t.speaker for d in docs for t in d.turns} == {"Sergei Lavrov"}


def test_a_snapshot_people_table_is_keyed_anew_on_load() -> None:
    from assistant.index.snapshot import people_from

    # Written before transliterations were folded: the stored key is the old one.
    stored = [{"key": "sergey lavrov", "name": "Sergey Lavrov", "roles": [["Foreign Minister", 3]], "aliases": ["Sergey Lavrov"],
               "turns": 3, "documents": ["a"], "kinds": ["speech"]}]
    people = people_from(stored)
    assert people.find("Sergei Lavrov") is not None and people.find("Sergey Lavrov") is not None


def test_a_minister_of_a_portfolio_is_also_the_portfolio_minister() -> None:
    from assistant.index.snapshot import people_from
    from assistant.ingest.speakers import role_phrases

    phrases = role_phrases("Minister of Economic Development")
    assert {"Economic Development Minister", "the Economic Development Minister"} <= phrases
    assert "Education Minister" in role_phrases("Minister for Education")
    # A people table written before that phrase existed gets it when loaded.
    old = [{"key": "maxim reshetnikov", "name": "Maxim Reshetnikov", "roles": [["Minister of Economic Development", 3]],
            "aliases": ["Maxim Reshetnikov", "Reshetnikov"], "turns": 3, "documents": ["d"], "kinds": ["speech"]}]
    person = people_from(old).find("Maxim Reshetnikov")
    assert person is not None and "Economic Development Minister" in person.aliases


def test_a_surname_with_particles_stays_whole_when_the_role_comes_first() -> None:
    """"President … Alexander Van der Bellen" names Alexander Van der Bellen, not "der Bellen" with a role
    ending in "Alexander Van"; "Vice President Al Gore" keeps its role word out of the name."""
    from assistant.ingest.speakers import split_label

    assert split_label("Federal President of Austria Alexander Van der Bellen", []) == (
        "Alexander Van der Bellen", "Federal President of Austria")
    assert split_label("CEO of Royal Dutch Shell Ben van Beurden", []) == ("Ben van Beurden", "CEO of Royal Dutch Shell")
    assert split_label("King of Bahrain Hamad bin Isa Al Khalifa", []) == ("Hamad bin Isa Al Khalifa", "King of Bahrain")
    assert split_label("Vice President Al Gore", []) == ("Al Gore", "Vice President")
    assert split_label("Minister of Defence Sergei Shoigu", []) == ("Sergei Shoigu", "Minister of Defence")
    doc = RawDocument(doc_id="v", title="Talks in Vienna", source="v.txt", format="test", turns=[
        RawTurn(label="Federal President of Austria Alexander Van der Bellen", text="Gas from Russia is cheaper.", start=0, end=27),
        RawTurn(label="Alexander Van der Bellen", text="We have met seven times.", start=28, end=52),
    ])
    people = resolve_people([doc])
    assert {t.speaker for t in doc.turns} == {"Alexander Van der Bellen"}
    assert people.resolve("Van der Bellen") == ["Alexander Van der Bellen"]


def test_a_title_of_any_kind_before_a_name_is_the_role() -> None:
    """A label that puts a title before the name splits into both when the title says it is one: a role word, whole
    or hyphenated, or a lower-case word ("NASA astronaut", "Olympic ice hockey champion", "Director-General of …").
    Capitalised words alone prove no title ("Hamad bin Isa Al Khalifa" is one name), and a name must end the label."""
    from assistant.ingest.speakers import split_label

    assert split_label("NASA astronaut Timothy Kopra", []) == ("Timothy Kopra", "NASA astronaut")
    assert split_label("Olympic ice hockey champion Pavel Datsuk", []) == ("Pavel Datsuk", "Olympic ice hockey champion")
    assert split_label("Director-General of the International Labour Organization Guy Ryder", []) == (
        "Guy Ryder", "Director-General of the International Labour Organization")
    assert split_label("Hamad bin Isa Al Khalifa", []) == ("Hamad bin Isa Al Khalifa", None)
    assert split_label("Response from the hall", []) == ("Response from the hall", None)
    assert split_label("King Mohammed VI of Morocco", [])[0] != "of Morocco"
