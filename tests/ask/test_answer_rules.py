"""The rules the extractive answerer follows, each on a real question over the seeds: years,
counted nouns, sentences that lean on the one before, topics the answer must touch, irregular verbs."""

from __future__ import annotations

import pytest

from assistant.text.dates import question_years, years_about, years_named
from assistant.text.tokens import stem


@pytest.mark.parametrize(
    "text, date, expected",
    [
        pytest.param("It increased by 34.4 percent in the past year.", "2022-08-19", {2021, 2022}, id="past-year"),
        pytest.param("I think last year it grew by 19.7 or 19.6 percent.", "2020-03-10", {2019, 2020}, id="last-year"),
        pytest.param("In 2013, this treaty was supplemented with a new document.", "2022-08-19", {2013, 2022}, id="named-year"),
        pytest.param("This year, seven regions along with Moscow have expressed their willingness.", "2022-08-19", {2022}, id="this-year"),
        pytest.param("Next year we will meet again.", "2017-10-10", {2017, 2018}, id="next-year"),
        pytest.param("A sentence with no date at all.", "", set(), id="undated"),
    ],
)
def test_years_a_sentence_is_about(text, date, expected):
    assert years_about(text, date) == expected


@pytest.mark.parametrize(
    "text, date, expected",
    [
        pytest.param("In 2013, this treaty was supplemented.", "2022-08-19", {2013}, id="named-year-without-the-documents"),
        pytest.param("It grew by 19.7 percent last year.", "2020-03-10", {2019}, id="relative-year"),
        pytest.param("In total, the state spent 7.7 billion rubles.", "2016-02-10", set(), id="names-none"),
    ],
)
def test_years_a_sentence_names_itself(text, date, expected):
    assert years_named(text, date) == expected


def test_question_years():
    assert question_years("By how much did trade grow in 2019, and in 2021?") == [2019, 2021]


@pytest.mark.parametrize("word, base", [("held", "hold"), ("grew", "grow"), ("elections", "elected"), ("regions", "region"),
                                        ("withdrew", "withdrawing"), ("underwent", "undergo"), ("heard", "hearing")])
def test_irregular_and_derived_forms_share_a_stem(word, base):
    assert stem(word) == stem(base)


def test_a_year_in_the_question_excludes_other_years(assistant):
    # The seeds are from 2022; nothing in them is about 2016.
    ans = assistant.ask("How many complaints did the CEC receive in 2016?")
    assert ans.abstained, ans.answer


def test_how_many_prefers_the_counted_noun(assistant):
    # "elections … in 18 regions", not "five candidates in the regions that elect their governors".
    ans = assistant.ask("In how many regions were governors elected?")
    assert "18 regions" in ans.answer, ans.answer


def test_a_sentence_leaning_on_the_one_before_is_quoted_with_it(assistant):
    # "Of these, 24 parties have nominated…" needs "there are 29 parties that have the right…".
    ans = assistant.ask("How many parties had the right to nominate candidates?")
    assert "29 parties" in ans.answer and "24 parties" in ans.answer, ans.answer


def test_the_topic_of_about_must_be_covered(assistant):
    ans = assistant.ask("What did Putin say about Kazakhstan at his November meeting with the electoral commissions?")
    assert ans.abstained, ans.answer


def test_a_dominant_word_must_be_covered(assistant):
    ans = assistant.ask("What was the voter turnout in the September 2022 elections?")
    assert ans.abstained, ans.answer


def test_a_reporters_lead_in_tells_what_a_quote_is_about(assistant):
    # "He touched on electronic voting too:" introduces "Such experience has already been approved in 30 regions."
    ans = assistant.ask("What did Putin say about electronic voting in November 2022?")
    assert not ans.abstained, ans.answer
    assert "30 regions" in ans.answer and "Pamfilova" in ans.answer, ans.answer


def test_what_questions_quote_the_passage(assistant):
    ans = assistant.ask("What did Pamfilova say about video surveillance?")
    assert "video surveillance" in ans.answer and "all regions at regional elections" in ans.answer, ans.answer


@pytest.mark.parametrize(
    "question, must",
    [
        pytest.param("Where did Putin meet Tokayev?", ["Sochi", "19 August 2022"], id="where-met"),
        pytest.param("On what date and at what time did Putin's working meeting with the CEC chairperson take place?", ["19 August 2022", "20:00"], id="date-and-time"),
        pytest.param("Who wrote the Realnoe Vremya report on Putin's meeting with the electoral commissions?", ["Daria Pinegina", "Realnoe Vremya"], id="author"),
    ],
)
def test_event_questions_are_answered_from_document_facts(assistant, question, must):
    ans = assistant.ask(question)
    assert not ans.abstained
    for m in must:
        assert m in ans.answer, ans.answer
    assert ans.citations and "[1]" in ans.answer


def test_what_was_said_about_a_date_is_not_an_event_question(assistant):
    ans = assistant.ask("When did Tokayev say Kazakhstan would hold the CIS summit?")
    assert "October" in ans.answer, ans.answer


def test_a_reporters_paraphrase_counts_as_the_speakers(assistant):
    # Realnoe Vremya: "As Putin noted, now there are over 20 electronic services on the websites…"
    ans = assistant.ask("How many electronic services are on the State Services and Central Electoral Commission websites, as Putin noted?")
    assert "over 20 electronic services" in ans.answer, ans.answer
    assert ans.citations[0].speaker == "Realnoe Vremya"


def test_a_quote_is_found_by_its_lead_in(assistant):
    # "The president of Russia separately noted the work of electoral commissions in the country's new regions:"
    ans = assistant.ask("Whose electoral commissions in the new regions did Putin single out for their work?")
    assert "Kherson" in ans.answer, ans.answer


def _chat(assistant, questions):
    history: list[dict] = []
    answers = []
    for q in questions:
        ans = assistant.ask(q, history=history or None)
        answers.append(ans)
        history += [{"role": "user", "content": q}, ans.history_message()]
    return answers


def test_a_follow_up_counts_the_same_noun(assistant):
    answers = _chat(assistant, [
        "How many parties had the right to nominate candidates in 2022, according to Pamfilova?",
        "How many of them actually nominated candidates?",
        "And how many registered them?",
    ])
    assert "24 parties" in answers[1].answer, answers[1].search_question
    assert "22 parties" in answers[2].answer, answers[2].search_question


def test_a_follow_up_stays_with_the_event_it_leans_on(assistant):
    first, second = _chat(assistant, [
        "What did Pamfilova say about video surveillance in August 2022?",
        "What else did she say at that meeting about cyberattacks?",
    ])
    assert second.citations and {c.document for c in second.citations} == {c.document for c in first.citations}
    assert "cyberattacks" in second.answer


def test_history_message_carries_the_cited_documents(assistant):
    ans = assistant.ask("Where did Putin meet Tokayev?")
    msg = ans.history_message()
    assert msg["role"] == "assistant" and msg["content"] == ans.answer
    assert msg["documents"] == [ans.citations[0].document]


def test_plain_text_history_still_finds_the_event_by_title(assistant):
    from assistant.ask.followups import follow_up_documents

    first = assistant.ask("What did Tokayev say about trade?")
    docs = follow_up_documents("What else did he say?", [{"role": "assistant", "content": first.answer}], assistant.loaded)
    assert docs == [first.citations[0].document]


def test_example_questions_name_real_people_and_get_answered(assistant):
    questions = assistant.example_questions()
    assert questions and all(q.endswith("?") for q in questions)
    assert any(q.startswith("What did Ella Pamfilova say about ") for q in questions)
    for q in questions:
        assert "Question say" not in q and "Narrator" not in q
        assert not assistant.ask(q).abstained, q


def test_passage_years_are_cached_beside_the_index(seed_store, monkeypatch):
    import assistant.text.dates as dates
    from assistant.api import Assistant

    first = Assistant.open(store=seed_store).loaded.p_years
    assert any(2021 in ys for ys in first)  # "It increased by 34.4 percent in the past year" (2022)

    def fail(*_a, **_k):
        raise AssertionError("recomputed")

    monkeypatch.setattr(dates, "years_about", fail)
    assert Assistant.open(store=seed_store).loaded.p_years == first


def test_why_questions_quote_the_reasons_from_the_reply(assistant):
    # Putin: "What are the reasons for this? Could it be due to improper documentation?"
    # Pamfilova: "Yes. Some candidates failed to provide all the necessary information…"
    ans = assistant.ask("Why were some candidates refused registration, according to Pamfilova?")
    assert "failed to provide all the necessary information" in ans.answer, ans.answer


@pytest.mark.parametrize(("question", "spoke"), [
    ("Who said that trade reached US$24.5 billion last year?", True),
    ("Which official reported that 24 parties had nominated candidates?", True),
    ("Who first proposed the idea of a joint fund?", True),
    ("Which foreign minister told Lavrov about the plan?", True),
    # The person asked for is named by the quote, not the one who spoke: the quote leads the answer.
    ("Who is chairing the CIS this year?", False),
    ("Who did Tokayev invite to the summit?", False),
    ("Who persuaded Putin of the advantages of electronic voting?", False),
    ("Who heads the fund?", False),
])
def test_a_who_question_leads_with_the_person_only_when_it_asks_who_spoke(question: str, spoke: bool) -> None:
    from assistant.ask.query import asks_who_spoke

    assert asks_who_spoke(question) is spoke
