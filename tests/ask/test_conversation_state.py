"""Follow-ups apply the last answer's structured state: a changed year, 'the year before', 'what did she say next'."""

from __future__ import annotations

import pytest

from assistant.ask.followups import ConversationState, elliptical, shift_years


@pytest.mark.parametrize(("follow_up", "expected"), [
    pytest.param("And in 2017?", "How many passengers did Aeroflot carry in 2017?", id="and-in-year"),
    pytest.param("What was it the year before?", "How many passengers did Aeroflot carry in 2017?", id="the-year-before"),
    pytest.param("And the year after?", "How many passengers did Aeroflot carry in 2019?", id="the-year-after"),
    pytest.param("What about 2015?", "How many passengers did Aeroflot carry in 2015?", id="what-about-year"),
    pytest.param("And the previous year?", "How many passengers did Aeroflot carry in 2017?", id="the-previous-year"),
    pytest.param("And a year earlier?", "How many passengers did Aeroflot carry in 2017?", id="a-year-earlier"),
    pytest.param("And the following year?", "How many passengers did Aeroflot carry in 2019?", id="the-following-year"),
    pytest.param("And last year?", "How many passengers did Aeroflot carry in 2017?", id="and-last-year"),
])
def test_an_elliptical_follow_up_changes_only_the_time(follow_up: str, expected: str) -> None:
    assert elliptical(follow_up)
    assert shift_years("How many passengers did Aeroflot carry in 2018?", follow_up, [2019]) == expected


def test_a_question_of_its_own_is_not_elliptical() -> None:
    assert not elliptical("What did he say about trade in 2017?")
    assert not elliptical("What did Putin say?")


def test_a_follow_up_that_names_only_what_the_last_question_named_is_elliptical() -> None:
    last = "How much did the company plan to spend on its investment programme in 2020?"
    assert elliptical("What was the programme the year before?", last)
    assert not elliptical("What was the programme the year before?")  # nothing before it: "programme" is new
    assert not elliptical("What did he say about the pipeline the year before?", last)


@pytest.mark.parametrize(("last", "follow_up", "expected"), [
    pytest.param("In September 2016, how many passengers did the head of Aeroflot expect the group to carry that year?", "And in 2017?",
                 "How many passengers did the head of Aeroflot expect the group to carry in 2017?", id="opening-date"),
    pytest.param("How much did he tell Putin in May 2020 the company had planned to spend that year?", "What was it the year before?",
                 "How much did he tell Putin the company had planned to spend in 2019?", id="date-inside"),
])
def test_a_new_year_replaces_that_year_and_frees_the_event_date(last: str, follow_up: str, expected: str) -> None:
    # "that year" was the year spoken of; another year may be spoken of at another event, so the date goes.
    assert shift_years(last, follow_up, []) == expected


def test_the_year_before_without_a_year_in_the_question_uses_the_answers_year() -> None:
    assert shift_years("How much did trade grow?", "What was it the year before?", [2022]) == "How much did trade grow in 2021?"


def test_state_travels_in_the_history_message(assistant) -> None:
    first = assistant.ask("How much did trade between Russia and Kazakhstan grow in the first five months of 2022?")
    msg = first.history_message()
    state = ConversationState.last([{"role": "user", "content": first.question}, msg])
    assert state is not None and state.question == first.search_question
    assert state.turns == [c.turn_id for c in first.citations] and 2022 in state.years


def test_what_did_she_say_next_quotes_her_next_turn(assistant) -> None:
    first = assistant.ask("How many parties nominated candidates?")
    assert first.citations[0].turn_id == "004_33c056b68e5d4ba7.2#8"
    nxt = assistant.ask("What did she say next?", history=[{"role": "user", "content": first.question}, first.history_message()])
    assert not nxt.abstained
    cited = assistant.turn(nxt.citations[0].turn_id)
    assert cited.speaker == "Ella Pamfilova" and cited.n > 8


def test_what_did_he_reply_quotes_his_next_turn_after_the_one_quoted(assistant) -> None:
    first = assistant.ask("How many parties nominated candidates?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    reply = assistant.ask("What did Putin reply?", history=history)
    assert not reply.abstained
    start, cited = assistant.turn(first.citations[0].turn_id), assistant.turn(reply.citations[0].turn_id)
    assert cited.speaker == "Vladimir Putin" and cited.doc_id == start.doc_id and cited.n > start.n
    # Unnamed, the reply is the next turn by someone other than the one quoted.
    other = assistant.ask("How did they respond?", history=history)
    assert assistant.turn(other.citations[0].turn_id).speaker != start.speaker
    # A reply to something of its own is a question to search.
    searched = assistant.ask("How did Tokayev react to the sanctions?", history=history)
    assert not any(n.startswith("continues from") for n in searched.notes)


@pytest.mark.parametrize("follow_up", ["When was that?", "Where did they meet?", "And where was this meeting held?"])
def test_when_or_where_was_that_answers_with_the_event_of_the_last_quote(assistant, follow_up: str) -> None:
    first = assistant.ask("How many parties nominated candidates?")
    ans = assistant.ask(follow_up, history=[{"role": "user", "content": first.question}, first.history_message()])
    assert not ans.abstained and ans.citations[0].turn_id == first.citations[0].turn_id
    assert "19 August 2022" in ans.answer and "Sochi" in ans.answer


def test_a_when_question_with_a_topic_of_its_own_is_searched(assistant) -> None:
    first = assistant.ask("How many parties nominated candidates?")
    ans = assistant.ask("When will the CIS summit be held?", history=[{"role": "user", "content": first.question}, first.history_message()])
    assert not any(n.startswith("the event of") for n in ans.notes)


def test_why_asks_the_last_question_again_with_why(assistant) -> None:
    first = assistant.ask("How much did trade between Russia and Kazakhstan grow in the first five months of 2022?")
    ans = assistant.ask("Why?", history=[{"role": "user", "content": first.question}, first.history_message()])
    assert ans.search_question == "Why did trade between Russia and Kazakhstan grow in the first five months of 2022?"


def test_and_another_person_asks_the_last_question_about_them(assistant) -> None:
    first = assistant.ask("What did Pamfilova say about the campaign in August 2022?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    ans = assistant.ask("And Putin?", history=history)
    assert ans.search_question == "What did Putin say about the campaign in August 2022?"
    assert ans.citations and all(c.speaker == "Vladimir Putin" for c in ans.citations)


def test_the_other_side_is_the_other_main_speaker_of_the_event(assistant) -> None:
    first = assistant.ask("How much did trade between Russia and Kazakhstan grow in the first five months of 2022?")
    assert first.citations[0].speaker == "Vladimir Putin"
    ans = assistant.ask("What did the other side say about trade?", history=[{"role": "user", "content": first.question}, first.history_message()])
    assert "Kassym-Jomart Tokayev" in ans.search_question


def test_and_in_another_year_reuses_the_question(assistant) -> None:
    first = assistant.ask("How much did trade between Russia and Kazakhstan grow in 2021?")
    again = assistant.ask("And in 2022?", history=[{"role": "user", "content": first.question}, first.history_message()])
    assert "2022" in again.search_question and "trade" in again.search_question


@pytest.mark.parametrize(("follow_up", "refers"), [
    pytest.param("How many projects had the fund financed?", True, id="the-fund"),
    pytest.param("What did the bank say about it?", False, id="a-new-thing"),
    pytest.param("How many regions held elections?", False, id="no-definite-article"),
])
def test_a_definite_noun_from_the_last_exchange_refers_back(follow_up: str, refers: bool) -> None:
    from assistant.ask.followups import refers_back

    history = [{"role": "user", "content": "How much did Russia invest in the Development Fund?"},
               {"role": "assistant", "content": "“Russia invested $500 million in the fund.” [1] — Vladimir Putin."}]
    assert refers_back(follow_up, history) is refers


@pytest.mark.parametrize(("follow_up", "stays"), [
    pytest.param("Which president was the meeting with?", True, id="names-nothing-of-its-own"),
    pytest.param("What did the president say next about the campaign?", True, id="a-role-is-whoever-holds-it-there"),
    pytest.param("What did Tokayev say about Sochi?", False, id="names-a-person-not-at-the-event"),
    pytest.param("How many candidates registered in 2021?", False, id="names-a-year"),
])
def test_a_follow_up_that_names_nothing_stays_with_the_event(assistant, follow_up: str, stays: bool) -> None:
    from assistant.ask.followups import follow_up_documents

    first = assistant.ask("How many candidates had registered, according to Pamfilova?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    docs = follow_up_documents(follow_up, history, assistant.loaded)
    assert (docs == first.history_message()["documents"] and bool(docs)) is stays


def test_a_follow_up_on_a_turn_no_longer_indexed_says_so(assistant) -> None:
    ans = assistant.engine.answer_event_of("When was that?", "gone-document#3")
    assert ans.abstained and "gone-document#3 is no longer in the index" in ans.answer and not ans.citations


def test_a_pronoun_after_a_person_the_follow_up_names_is_that_person_s(assistant) -> None:
    first = assistant.ask("What did Pamfilova say about the campaign?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    ans = assistant.ask("What did Tokayev say his country was celebrating this year?", history=history)
    assert "Pamfilova" not in ans.search_question, ans.search_question
    # Named nowhere in the follow-up, "he" is still the last question's person; an object pronoun after a person the
    # follow-up names is someone else ("What did Putin tell her?").
    ans = assistant.ask("What did he say about the number of parties?", history=history)
    assert "Pamfilova" in ans.search_question, ans.search_question
    ans = assistant.ask("What did Putin tell her about the elections?", history=history)
    assert "Pamfilova" in ans.search_question, ans.search_question


def test_a_new_question_after_another_event_is_answered_from_the_whole_corpus(assistant) -> None:
    """The last answer's events are searched first for a question that names nothing of its own, but they are no
    limit: a new topic after talk of trade with Kazakhstan is answered from the meeting that holds it."""
    first = assistant.ask("What did Tokayev say about trade between Kazakhstan and Russia?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    ans = assistant.ask("Who is behind the fake news campaign against the elections?", history=history)
    assert not ans.abstained
    assert any("fake news campaign" in c.quote for c in ans.citations)


def test_a_follow_up_that_leans_on_the_last_answer_stays_in_its_events(assistant) -> None:
    from assistant.ask.followups import resolve_follow_up

    first = assistant.ask("What did Tokayev say about trade between Kazakhstan and Russia?")
    history = [{"role": "user", "content": first.question}, first.history_message()]
    leaning = resolve_follow_up("What did he say about the fake news campaign?", history, assistant.loaded, assistant.settings)
    new = resolve_follow_up("Who is behind the fake news campaign against the elections?", history, assistant.loaded, assistant.settings)
    assert leaning.prefer and not leaning.soft
    assert new.prefer and new.soft
