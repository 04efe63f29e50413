"""Speaker labels of parliamentary records: honorifics, post-nominals and brackets (labels from the
QMSum committee meetings: the Canadian House of Commons COVID-19 committee and the Welsh Assembly)."""

from __future__ import annotations

import pytest

from assistant.ingest.speakers import bare_name, read_label, resolve_people
from assistant.ingest.transcripts import RawDocument, RawTurn


@pytest.mark.parametrize(("label", "name", "role"), [
    pytest.param("Hon. Bill Blair (Minister of Public Safety and Emergency Preparedness)", "Bill Blair",
                 "Minister of Public Safety and Emergency Preparedness", id="role-in-brackets"),
    pytest.param("Right Hon. Justin Trudeau (Prime Minister)", "Justin Trudeau", "Prime Minister", id="right-hon"),
    pytest.param("Mr. Garnett Genuis (Sherwood Park—Fort Saskatchewan, CPC)", "Garnett Genuis", None, id="seat-and-party-dropped"),
    pytest.param("The Chair (Hon. Anthony Rota (Nipissing—Timiskaming, Lib.))", "Anthony Rota", "Chair", id="office-holder-nested"),
    pytest.param("The Acting Chair (Mrs. Alexandra Mends)", "Alexandra Mends", "Acting Chair", id="acting-chair"),
    pytest.param("Kirsty Williams AM", "Kirsty Williams", "Assembly Member", id="post-nominal-says-the-role"),
    pytest.param("Jane Doe MP OBE", "Jane Doe", "Member of Parliament", id="post-nominals-and-an-honour"),
    pytest.param("Vladimir Putin (retranslated)", "Vladimir Putin", None, id="note-dropped"),
    pytest.param("The Chair", "The Chair", None, id="office-alone"),
    pytest.param("Mr Putin", "Mr Putin", None, id="honorific-and-surname-kept"),
    pytest.param("Professor F", "Professor F", None, id="meeting-code-kept"),
])
def test_what_a_label_says(label: str, name: str, role: str | None) -> None:
    got_name, got_role, _ = read_label(label)
    assert (got_name, got_role) == (name, role)


def test_a_bare_name_keeps_a_single_word() -> None:
    assert bare_name("Dr David Blaney") == "David Blaney"
    assert bare_name("Dr. Smith") == "Dr. Smith"
    assert bare_name("Jane Doe MP") == "Jane Doe"


def _turn(label: str, text: str) -> RawTurn:
    return RawTurn(label=label, text=text, start=0, end=len(text))


def test_an_office_alone_is_the_person_the_record_names_for_it() -> None:
    doc = RawDocument(doc_id="committee", title="Special Committee", format="test", source="c.json", turns=[
        _turn("The Chair", "I call this meeting to order."),
        _turn("The Chair (Hon. Anthony Rota (Nipissing—Timiskaming, Lib.))", "Welcome to the third meeting."),
        _turn("Hon. Bill Blair (Minister of Public Safety)", "Thank you, Mr. Chair."),
        _turn("The Chair", "We go to Mr. Calkins."),
        _turn("The Acting Chair (Mrs. Alexandra Mends)", "Mr. Arnold, go ahead."),
        _turn("The Acting Chair", "Thank you."),
        _turn("Hon. Bill Blair", "The order bans assault weapons."),
    ])
    people = resolve_people([doc])
    assert [(t.speaker, t.role) for t in doc.turns] == [
        ("Anthony Rota", "Chair"),  # before the label that names him: the first named after
        ("Anthony Rota", "Chair"),
        ("Bill Blair", "Minister of Public Safety"),
        ("Anthony Rota", "Chair"),
        ("Alexandra Mends", "Acting Chair"),
        ("Alexandra Mends", "Acting Chair"),
        ("Bill Blair", "Minister of Public Safety"),  # the role the long label gave him
    ]
    assert people.resolve("Blair") == ["Bill Blair"]
    assert people.resolve("the Minister of Public Safety") == ["Bill Blair"]
    assert "Anthony Rota" in people.resolve("the Chair")


def test_a_role_the_record_itself_gives() -> None:
    """The chair's welcome names the witnesses' roles (education_1, education_20); a role from a label wins,
    and letters after a name ('AM') yield to what the record says."""
    doc = RawDocument(doc_id="committee", title="Education committee", format="test", source="c.json", turns=[
        _turn("Lynne Neagle AM", "I'm very pleased to welcome Kirsty Williams AM, Minister for Education, Steve Davies, "
                                 "director of the education directorate, and Dr David Blaney as chief executive. "
                                 "Huw Morris, who's the group director, is here too. Thank you, first of all."),
        _turn("Kirsty Williams AM", "Thank you, Lynne."),
        _turn("Steve Davies", "Schools are open as hubs."),
        _turn("Dr David Blaney", "Funding is tight."),
        _turn("Huw Morris", "Colleges have adapted."),
        _turn("Hon. Bill Blair (Minister of Public Safety)", "Bill Blair, as you know, answers for policing."),
        _turn("Ms. Rachael Harder (Lethbridge, CPC)", "Thank you. Rachael Harder, first of all, has a question."),
    ])
    resolve_people([doc])
    roles = {t.speaker: t.role for t in doc.turns}
    assert roles["Kirsty Williams"] == "Minister for Education"
    assert roles["Steve Davies"] == "Director of the education directorate"
    assert roles["David Blaney"] == "Chief executive"
    assert roles["Huw Morris"] == "Group director"
    assert roles["Lynne Neagle"] == "Assembly Member"  # nothing in the record says more
    assert roles["Bill Blair"] == "Minister of Public Safety"  # the label's role stands
    assert roles["Rachael Harder"] is None  # "first of all" names no office


def test_a_name_then_a_comma_then_what_they_are() -> None:
    """'Valeriya Korableva, reporter at Channel One' (kremlin-51716) was one person whose surname was 'One',
    so 'Which one did he sign?' named her. A known name at the end of a label still wins."""
    docs = [
        RawDocument(doc_id="a", title="Press conference", format="test", source="a.html", turns=[
            _turn("Valeriya Korableva, reporter at Channel One", "Which one did you sign?"),
            _turn("Vladimir Puchkov", "The floods have receded."),
            _turn("Civil Defence, Emergencies and Disaster Relief Minister Vladimir Puchkov", "Rescue teams are ready."),
        ]),
    ]
    people = resolve_people(docs)
    assert [(t.speaker, t.role) for t in docs[0].turns] == [
        ("Valeriya Korableva", "reporter at Channel One"),
        ("Vladimir Puchkov", "Civil Defence, Emergencies and Disaster Relief Minister"),
        ("Vladimir Puchkov", "Civil Defence, Emergencies and Disaster Relief Minister"),
    ]
    assert people.resolve("Korableva") == ["Valeriya Korableva"]
    assert people.resolve("One") == []
