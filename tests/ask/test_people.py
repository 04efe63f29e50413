"""People resolved like a reader would: names, qualified roles, dates; uncertain ones never filter.

Made-up turns only: a small corpus where two presidents and a prime minister speak in different years.
"""

from __future__ import annotations

import json

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse
from conftest import settings_for

DOCS = [
    {"id": "talks-2013", "title": "Press statements following talks with Prime Minister of Hungary Viktor Orban", "date": "2013-01-31",
     "turns": [{"speaker": "Vladimir Putin", "role": "President of Russia", "text": "We discussed energy and the Paks nuclear plant."},
               {"speaker": "Viktor Orban", "text": "The rouble is a very important currency in modern world politics."}]},
    {"id": "talks-2017", "title": "Meeting with President of Finland Sauli Niinisto", "date": "2017-07-27",
     "turns": [{"speaker": "Vladimir Putin", "role": "President of Russia", "text": "Trade with Finland grew last year."},
               {"speaker": "Sauli Niinisto", "role": "President of Finland", "text": "The Baltic Sea needs protection."}]},
    {"id": "cabinet-2010", "title": "Government meeting", "date": "2010-03-01",
     "turns": [{"speaker": "Vladimir Putin", "role": "Prime Minister", "text": "The budget is balanced."}]},
    {"id": "committee-2019", "title": "Budget committee", "date": "2019-05-02",
     "turns": [{"speaker": "Anna Kask", "role": "Minister of Finance and the Economy", "text": "Pensions will rise by four percent."}]},
    {"id": "vaccines-2020", "title": "Meeting on vaccines", "date": "2020-04-07",
     "turns": [{"speaker": "Olga Sepp", "role": "Minister of Industry", "text": "We make 80 test kits a week."},
               {"speaker": "Ivan Roos", "role": "Director General of the Vektor State Research Centre", "text": "Our trials begin in June."}]},
    {"id": "sport-2022", "title": "Council for sport", "date": "2022-04-26",
     "turns": [{"speaker": "Lena Voss", "role": "Minister of Sport", "text": "The team won 32 medals."}]},
    {"id": "guest-2022", "title": "Meeting with Pavel Rook", "date": "2022-05-10",
     "lead": "Pavel Rook has been appointed Acting Governor of the Lake Region. The meeting was held in the Kremlin.",
     "turns": [{"speaker": "Vladimir Putin", "role": "President of Russia", "text": "Mr Rook, good afternoon."},
               {"speaker": "Pavel Rook", "text": "The region needs new roads."}]},
    {"id": "towns-2021", "title": "Meeting on housing", "date": "2021-03-03",
     "turns": [{"speaker": "Ida Berg", "role": "Head of the New Towns Agency", "text": "We built 40 houses."},
               {"speaker": "Olle Dahl", "role": "Chairman of the Federation of Independent Trade Unions", "text": "Wages must rise."}]},
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("people")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS), encoding="utf-8")
    s = settings_for(tmp / "store")
    a = Assistant.open(corpus=[corpus], store=s.paths.store, settings=s)
    a.index()
    return a.loaded


@pytest.mark.parametrize(
    ("question", "speakers", "likely"),
    [
        pytest.param("What did Niinisto say about the Baltic Sea?", ["Sauli Niinisto"], [], id="surname-is-certain"),
        pytest.param("What did the Finnish President say about the Baltic Sea?", ["Sauli Niinisto"], [], id="demonym-picks-the-holder"),
        pytest.param("What did the President of Finland say?", ["Sauli Niinisto"], [], id="role-of-country"),
        pytest.param("What did the Hungarian Prime Minister call a very important currency?", ["Viktor Orban"], [], id="holder-named-in-event-title"),
        pytest.param("What did the President say about trade?", ["Vladimir Putin", "Sauli Niinisto"], ["Vladimir Putin"],
                     id="unqualified-role-filters-on-every-holder-and-weighs-the-best-known"),
        pytest.param("What did the Turkish President say about trade?", [], [], id="qualified-role-nobody-holds"),
        pytest.param("What did the President of the European Commission say?", [], [], id="organisation-nobody-represents"),
        pytest.param("What did Putin urge Niinisto to do, when Niinisto spoke about the Baltic Sea?", ["Vladimir Putin"], [],
                     id="a-directive-verb-asks-what-was-said-and-a-time-clause-only-dates-it"),
        pytest.param("When the Finnish President met Putin in July 2017, what did he say the Baltic Sea needs?", ["Sauli Niinisto"], [],
                     id="a-main-clause-he-who-speaks-is-the-time-clause-subject"),
        pytest.param("When Putin met Niinisto in July 2017, how much did he say trade grew?", ["Vladimir Putin"], [],
                     id="the-clause-subject-not-the-one-met"),
        pytest.param("When Putin met Niinisto in July 2017, what did Niinisto say about the Baltic Sea?", ["Sauli Niinisto"], [],
                     id="a-named-speaker-in-the-main-clause-wins"),
        pytest.param("When Putin met Niinisto in July 2017, what was agreed about the Baltic Sea?", [], [],
                     id="no-pronoun-that-speaks-no-speaker"),
    ],
)
def test_people_resolution(loaded, question: str, speakers: list[str], likely: list[str]) -> None:
    qa = analyse(question, loaded)
    assert qa.speakers == speakers
    assert qa.likely == likely


def test_a_year_prefers_whoever_held_the_role_then(loaded) -> None:
    # Putin was labelled "Prime Minister" in 2010 only; Orban holds the role by the 2013 event title.
    qa = analyse("What did the Prime Minister say about the budget in 2010?", loaded)
    assert "Vladimir Putin" in qa.speakers + qa.likely


def test_a_qualified_role_nobody_holds_keeps_its_words_for_search(loaded) -> None:
    qa = analyse("What did the Turkish President say about trade?", loaded)
    assert "turkish" in qa.terms and "trade" in qa.terms
    assert any("fits nobody" in n for n in qa.notes)


def test_a_surname_inside_another_persons_name_is_not_that_person(loaded) -> None:
    # "Orban" is Viktor Orban; "Orban Janos" (another name around the surname) is not.
    assert analyse("What did Viktor Orban say about the rouble?", loaded).speakers == ["Viktor Orban"]
    assert analyse("What did President Orban say about the rouble?", loaded).speakers == ["Viktor Orban"]
    qa = analyse("What did Orban Janos say about the rouble?", loaded)
    assert qa.speakers == [] and qa.likely == []


def test_a_modifier_alone_names_no_office(loaded) -> None:
    qa = analyse("Which Russian state decoration did the guest receive?", loaded)
    assert not any("“state”" in n for n in qa.notes)


@pytest.mark.parametrize(("question", "name", "speaker"), [
    ("what did lynne neagle, chair of the committee, say about erasmus?", "lynne neagle", True),
    ("what did the leader of the opposition, andrew scheer, say about the ban?", "the leader of the opposition", True),
    ("what did the leader of the opposition, andrew scheer, say about the ban?", "andrew scheer", True),
    ("what did putin, tokayev, and lukashenko discuss?", "putin", False),  # a list, not an apposition
    ("what did putin sign with tokayev, the president of kazakhstan?", "putin", False),
    # A reflexive that stresses the person, and "put" for stating a figure: "what figure did X put on trade".
    ("what dollar value did the ambassador himself put on trade?", "the ambassador", True),
    ("when the farmer mentioned subsidies, what figure did the governor put in?", "the governor", True),
    ("what did the governor himself open in the city?", "the governor", False),
    # Handing the floor (or a gift, with words) is a speech act, as giving is: the one who hands is asked about.
    ("whom did trani hand the floor to?", "trani", True),
    ("which book did putin hand golikova for her birthday?", "putin", True),
    # A journalist's "by X's (own) count / account / estimate": X is the source of the figure.
    ("by the austrian president's own count, how many times had they met?", "president's", True),
    ("what was the mayor's estimate of the cost of the bridge?", "the mayor's", True),
    ("on the ambassador's own reckoning, how many tourists came?", "the ambassador's", True),
    ("how many refugees returned, according to the minister's estimate?", "the minister's", True),
    # "X's remarks" with the possessive inside the span, as a role's span ends ("the president's").
    ("what were the president's remarks on gas?", "the president's", True),
    # An owner of something said by nobody: "Putin's visit", "the governor's region".
    ("what did the minister say about putin's visit?", "putin's", False),
    ("how many schools are there in the governor's region?", "the governor's", False),
])
def test_whether_a_name_is_asked_about_as_the_one_who_spoke(question: str, name: str, speaker: bool) -> None:
    from assistant.ask.people import asked_as_speaker

    start = question.index(name)
    assert asked_as_speaker(question, start, start + len(name)) is speaker


@pytest.mark.parametrize(("question", "speakers"), [
    pytest.param("What did the finance minister say about pensions?", ["Anna Kask"], id="portfolio-before-the-office"),
    pytest.param("What did the Minister of Finance say about pensions?", ["Anna Kask"], id="verb-after-the-of-qualifier"),
    pytest.param("What did the former minister say about pensions?", [], id="no-portfolio-no-person"),
    pytest.param("How many medals did the Sports Minister say the team won?", ["Lena Voss"], id="portfolio-in-another-form"),
])
def test_a_minister_by_portfolio(loaded, question: str, speakers: list[str]) -> None:
    assert analyse(question, loaded).speakers == speakers


@pytest.mark.parametrize("question", [
    "How many test kits a week did the director of the Vektor research centre say they made?",
    "How many test kits a week did the Director of Vektor say they made?",
])
def test_an_of_phrase_between_the_office_and_the_speech_verb(loaded, question: str) -> None:
    # The of-phrase may run over common nouns ("the Vektor research centre") before the verb: the director is
    # still the one asked about as speaker, so the minister's count is not his answer.
    assert analyse(question, loaded).speakers == ["Ivan Roos"]


@pytest.mark.parametrize(("question", "speakers"), [
    pytest.param("What did Finland's President say about the Baltic Sea?", ["Sauli Niinisto"], id="country-owner"),
    pytest.param("When did Vektor's director say the trials begin?", ["Ivan Roos"], id="body-owner"),
    pytest.param("What did the centre's director say about the trials?", [], id="a-common-noun-owns-no-office"),
])
def test_an_office_owned_by_a_named_body_or_country(loaded, question: str, speakers: list[str]) -> None:
    assert analyse(question, loaded).speakers == speakers


def test_a_guest_with_no_role_holds_the_office_the_pages_lead_gives_him(loaded) -> None:
    # The parse gives Pavel Rook no role; the page's lead says he is the acting governor of the Lake Region.
    assert analyse("What did the acting Governor of the Lake Region say about roads?", loaded).speakers == ["Pavel Rook"]


def test_a_deputy_or_former_office_names_nobody_who_holds_the_office(loaded) -> None:
    qa = analyse("What did Deputy Prime Minister Sauli Niinisto say about the Baltic Sea?", loaded)
    assert qa.speakers == ["Sauli Niinisto"] and "Vladimir Putin" not in qa.mentioned + qa.likely
    assert analyse("What did the former president say about trade?", loaded).speakers == []


def test_the_head_of_a_body_is_whoever_heads_it() -> None:
    from assistant.ask.people import fits

    assert fits("CEO of Rostec State Corporation", ["head"], "Rostec")
    assert fits("Chairperson of the Central Election Commission", ["head"], "Central Election Commission")
    assert not fits("Deputy Director of Rostec", ["head"], "Rostec")  # a deputy heads nothing
    assert not fits("CEO of Rostec State Corporation", ["minister"], "Rostec")


def test_a_hyphenated_office_holds_its_parts() -> None:
    from assistant.ask.people import fits

    assert fits("Director-General of the International Renewable Energy Agency", ["head"], "International Renewable Energy Agency")
    assert fits("Editor-in-Chief of the Kommersant newspaper", ["editor"], "Kommersant")
    assert not fits("Deputy Director-General of the Agency", ["head"], "Agency")  # a deputy heads nothing


@pytest.mark.parametrize(("after", "qualifier"), [
    pytest.param(" of Russia's trade unions say", "Russia's", id="a-possessive-stays"),
    pytest.param(" of the Central Bank of the Russian Federation said", "Central Bank of the Russian Federation", id="connectors-between-names"),
    pytest.param(" of Rospotrebnadzor officially confirm", "Rospotrebnadzor", id="a-word-that-starts-like-a-connector"),
    pytest.param(" of the Higher Education Funding Council for Wales say", "Higher Education Funding Council for Wales", id="connectors-inside"),
])
def test_the_body_an_of_phrase_names(after: str, qualifier: str) -> None:
    from assistant.ask.people import _OF_QUALIFIER, of_qualifier

    assert of_qualifier(_OF_QUALIFIER.match(after).group(1)) == qualifier


@pytest.mark.parametrize(("question", "speakers"), [
    # "new" is a word of a role in the corpus ("New Towns Agency"), but the role here is qualified in its own words.
    pytest.param("What did the new President of Finland say about the Baltic Sea?", ["Sauli Niinisto"], id="an-adjective-before-a-qualified-role"),
    pytest.param("What did the trade union leader say about wages?", ["Olle Dahl"], id="a-leader-is-whoever-heads-the-body"),
    pytest.param("What did the Finnish leader say about the Baltic Sea?", ["Sauli Niinisto"], id="a-countrys-leader"),
])
def test_roles_read_as_a_reader_would(loaded, question: str, speakers: list[str]) -> None:
    assert analyse(question, loaded).speakers == speakers


def test_a_body_is_named_by_its_short_name_or_its_full_name() -> None:
    from assistant.ask.people import fits

    role = "Head of the Federal Service for Supervision of Natural Resources"
    assert fits(role, ["head"], "Rosprirodnadzor")
    assert not fits(role, ["head"], "Rospotrebnadzor")  # another service
    assert fits("Director of Rosfinmonitoring", ["head"], "Federal Service for Financial Monitoring")
    assert fits("Head of the Federal Service for the Oversight of Consumer Protection and Welfare", ["head"], "Rospotrebnadzor")


def test_a_qualifier_is_a_whole_word_and_an_acronym_may_be_initials() -> None:
    from assistant.ask.people import fits

    # "the head of RT" is not the chairman of a party ("pa-rt-y") or a research director.
    assert not fits("Chairman of the Communist Party", ["head"], "RT")
    assert not fits("Research Director of the Valdai Club", ["head"], "RT")
    assert fits("Editor-in-Chief of RT", ["head"], "RT")
    # Initials are read only when asked for, and only for three letters or more.
    role = "Chief Executive of the Higher Education Funding Council for Wales"
    assert not fits(role, ["chief", "executive"], "HEFCW")
    assert fits(role, ["chief", "executive"], "HEFCW", initials=True)
    assert not fits("Editor-in-Chief of Russia Today", ["head"], "RT", initials=True)


@pytest.mark.parametrize("question", [
    "What did the Finnish President say about the Baltic Sea on 27 July 2017?",
    "What did the Finnish President say about the Baltic Sea on July 27, 2017?",
])
def test_the_day_of_a_date_is_no_word_to_match(loaded, question: str) -> None:
    qa = analyse(question, loaded)
    assert "27" not in qa.terms and "baltic" in qa.terms
    assert qa.months == [7] and qa.years == [2017]


@pytest.mark.parametrize(("question", "span", "qualifier", "written"), [
    # After the role, or owning it: the words that say who spoke.
    ("Which officials did the president of the International Federation of Red Cross say he would meet?", "the president",
     "International Federation of Red Cross", " of the international federation of red cross"),
    ("What did Gazprom's head say about exports?", "head", "Gazprom", "gazprom's "),
    # Read from a demonym: not written beside the role, and the country named later is a word of the question.
    ("What did the Swiss President say Switzerland owes to Russia?", "president", "Switzerland", None),
])
def test_a_role_qualifier_is_found_where_it_is_written(question: str, span: str, qualifier: str, written: str | None) -> None:
    from assistant.ask.people import Mention
    from assistant.ask.query import _written_qualifier

    low = question.lower()
    end = low.index(span.lower()) + len(span)
    found = _written_qualifier(question, Mention(span=span, names=["X"], certain=True, as_speaker=True, by_role=True,
                                                 qualifier=qualifier, end=end))
    assert [low[s:e] for s, e in found] == ([written] if written else [])


def test_the_words_of_a_resolved_role_are_no_words_to_match(assistant) -> None:
    # "the head of the Central Election Commission" names Pamfilova: the commission's words say who spoke, not what
    # about, so sentences that repeat them do not outrank the one about observers.
    qa = analyse("What did the head of the Central Election Commission say about observers?", assistant.loaded)
    assert qa.speakers == ["Ella Pamfilova"] and qa.terms == ["observ"]
