"""Multi-part questions split into standalone parts; each part answered and cited on its own."""

from __future__ import annotations

import pytest

from assistant.ask.parts import split_question, with_counted_noun, with_person
from assistant.types import ABSTAIN_PREFIX


@pytest.mark.parametrize(("question", "parts"), [
    pytest.param(
        "How many French companies operate in Russia and how much has France invested, according to Putin in February 2022?",
        ["How many French companies operate in Russia, according to Putin in February 2022?",
         "How much has France invested, according to Putin in February 2022?"], id="closing-context-goes-to-every-part"),
    pytest.param(
        "When he met Putin in April 2016, which initiative did the President of Palestine want to discuss, and after "
        "which conference had a Moscow conference been planned?",
        ["When he met Putin in April 2016, which initiative did the President of Palestine want to discuss?",
         "When he met Putin in April 2016, after which conference had a Moscow conference been planned?"],
        id="a-preposition-before-the-later-part-s-question-word"),
    pytest.param(
        "At the forum in Kolomna, how much money did Putin say the project would get, and to towns of what size had "
        "the programme been extended?",
        ["At the forum in Kolomna, how much money did Putin say the project would get?",
         "At the forum in Kolomna, to towns of what size had the programme been extended?"],
        id="a-question-word-inside-the-later-part-s-first-phrase"),
    pytest.param(
        "At the 2016 news conference, who imposes the sanctions, and what must be done to lift them?",
        ["At the 2016 news conference, who imposes the sanctions?", "At the 2016 news conference, what must be done to lift them?"],
        id="opening-context-goes-to-every-part"),
    pytest.param(
        "At the Supreme State Council of the Union State on 4 November 2021, what figure did Lukashenko give, and what figure did Putin give?",
        ["At the Supreme State Council of the Union State on 4 November 2021, what figure did Lukashenko give?",
         "At the Supreme State Council of the Union State on 4 November 2021, what figure did Putin give?"],
        id="an-opening-that-names-its-event-at-length"),
    pytest.param("What did Putin and Xi discuss?", ["What did Putin and Xi discuss?"], id="and-between-names-is-one-question"),
    pytest.param("Who won and why?", ["Who won and why?"], id="one-word-part-is-not-a-question"),
    pytest.param(
        "How many Syrians and how many Iraqis did Erdogan say Turkey had taken in, at his news conference?",
        ["How many Syrians did Erdogan say Turkey had taken in, at his news conference?",
         "How many Iraqis did Erdogan say Turkey had taken in, at his news conference?"], id="a-bare-part-borrows-the-predicate"),
    pytest.param("What was the trade turnover in 2021 and by how much did it grow?",
                 ["What was the trade turnover in 2021?", "By how much did it grow?"], id="a-question-word-behind-a-preposition"),
    pytest.param(
        "How many children did the ombudsman say she had, when the President met her, and how many of them had she adopted?",
        ["How many children did the ombudsman say she had, when the President met her?", "How many of them had she adopted?"],
        id="a-clause-that-asks-is-no-opening"),
    pytest.param(
        "When the leaders met in Osaka, where and when did he say their previous meeting had been?",
        ["When the leaders met in Osaka, where did he say their previous meeting had been?",
         "When the leaders met in Osaka, when did he say their previous meeting had been?"], id="bare-question-words-borrow-the-predicate"),
    pytest.param(
        "By how much did trade decrease in 2015, and to what level, according to the President?",
        ["By how much did trade decrease in 2015, according to the President?",
         "To what level did trade decrease in 2015, according to the President?"], id="a-last-bare-part-borrows-the-predicate-before-it"),
    pytest.param("Which two regions did the President mention, and why?", ["Which two regions did the President mention, and why?"],
                 id="no-borrowing-when-the-question-phrase-holds-the-object"),
    pytest.param("How many tourists came in 2010, and how many in 2017?", ["How many tourists came in 2010, and how many in 2017?"],
                 id="a-part-with-no-predicate-to-borrow-stays-whole"),
    pytest.param("How many parties nominated candidates, and how many registered them?",
                 ["How many parties nominated candidates?", "How many registered them?"], id="a-verb-after-how-many-is-a-predicate"),
    pytest.param(
        "At the May meeting, how many people did the minister say had died, how many had been rescued, and how many were missing?",
        ["At the May meeting, how many people did the minister say had died?", "At the May meeting, how many had been rescued?",
         "At the May meeting, how many were missing?"], id="parts-listed-by-commas-before-the-last-and"),
    pytest.param(
        "How many ferries did the governor say the contract would cover, for how much in total, and when would the first sail?",
        ["How many ferries did the governor say the contract would cover?", "For how much in total did the governor say the contract would cover?",
         "When would the first sail?"], id="a-listed-part-with-no-verb-takes-the-predicate-before-it"),
])
def test_split_question(question: str, parts: list[str]) -> None:
    assert split_question(question) == parts


def test_each_part_gets_its_own_citation(assistant) -> None:
    ans = assistant.ask("How many parties nominated candidates and how much did trade between Russia and Kazakhstan grow in the past year?")
    assert not ans.abstained
    assert {c.turn_id for c in ans.citations} >= {"004_33c056b68e5d4ba7.2#8"}
    assert "[1]" in ans.answer and "[2]" in ans.answer and "34.4" in ans.answer and "24" in ans.answer


def test_a_part_the_transcripts_do_not_answer_is_named(assistant) -> None:
    ans = assistant.ask("How many parties nominated candidates and what is Pamfilova's favourite food?")
    assert not ans.abstained
    assert f"What is Pamfilova's favourite food? {ABSTAIN_PREFIX}" in ans.answer


def test_parts_answered_by_the_same_quote_are_answered_once(assistant) -> None:
    ans = assistant.ask("On what date and at what time did Putin's working meeting with the CEC chairperson in Sochi take place?")
    assert not ans.abstained
    assert ans.answer.startswith("On what date did Putin's working meeting with the CEC chairperson in Sochi take place? At what time did")
    assert "[1]" in ans.answer and "[2]" not in ans.answer and len(ans.citations) == 1


@pytest.mark.parametrize(("part", "expected"), [
    pytest.param("How much did he say Europe withdrew?", "How much did Miller say Europe withdrew?", id="he"),
    pytest.param("What did his deputy report?", "What did Miller's deputy report?", id="his"),
    pytest.param("How much gas was in them?", "How much gas was in them?", id="no-person-pronoun"),
])
def test_a_later_part_names_the_person_the_first_asks_about(part: str, expected: str) -> None:
    assert with_person(part, "Alexei Miller") == expected


@pytest.mark.parametrize(("question", "earlier", "focus", "expected"), [
    pytest.param("How many of them had she adopted?", "How many orphans did she take in?", None,
                 "How many orphans had she adopted?", id="of-them"),
    pytest.param("How many was it to have by 2025?", "How many satellites did he say the group had?", None,
                 "How many satellites was it to have by 2025?", id="was-it"),
    pytest.param("How many registered them?", "How many parties nominated candidates?", None,
                 "How many parties registered them?", id="a-verb"),
    pytest.param("How many were killed in the attack?", "How many soldiers served there?", "attack",
                 "How many were killed in the attack?", id="a-noun-of-its-own-is-kept"),
    pytest.param("How many was it to have by 2025?", "What did he say about the group?", None,
                 "How many was it to have by 2025?", id="nothing-counted-before"),
])
def test_a_count_with_no_noun_counts_what_the_earlier_question_counted(question: str, earlier: str, focus: str | None, expected: str) -> None:
    assert with_counted_noun(question, earlier, focus) == expected


def _part(question: str, abstained: bool, confidence: float | None):
    from assistant.types import Answer, Citation

    cites = [] if abstained else [Citation(marker=1, turn_id=f"t#{len(question)}", document="t", title="", date="", place="",
                                           speaker="A", role="", kind="speech", quote="q", text="q", source="", start=0, end=1)]
    text = f"{ABSTAIN_PREFIX}." if abstained else "“q” [1]"
    return Answer(question=question, search_question=question, answer=text, abstained=abstained, backend="extractive",
                  citations=cites, confidence=confidence)


def test_a_multi_part_answer_is_no_likelier_than_its_least_likely_part() -> None:
    from assistant.ask.engine import merge_parts

    both = merge_parts("A and b?", "A and b?", [_part("A?", False, 0.9), _part("Bb?", False, 0.7)], {})
    assert both.confidence == 0.7
    # A part said not to be answered counts with its own confidence: that the transcripts truly do not answer it.
    one = merge_parts("A and b?", "A and b?", [_part("A?", False, 0.9), _part("Bb?", True, 0.8)], {})
    assert not one.abstained and one.confidence == 0.8
    assert merge_parts("A and b?", "A and b?", [_part("A?", False, None), _part("Bb?", True, None)], {}).confidence is None
