"""Multi-part questions split into standalone parts; each part answered and cited on its own."""

from __future__ import annotations

import pytest

from assistant.ask.parts import split_question
from assistant.types import ABSTAIN_PREFIX


@pytest.mark.parametrize(("question", "parts"), [
    pytest.param(
        "How many French companies operate in Russia and how much has France invested, according to Putin in February 2022?",
        ["How many French companies operate in Russia, according to Putin in February 2022?",
         "How much has France invested, according to Putin in February 2022?"], id="closing-context-goes-to-every-part"),
    pytest.param(
        "At the 2016 news conference, who imposes the sanctions, and what must be done to lift them?",
        ["At the 2016 news conference, who imposes the sanctions?", "At the 2016 news conference, what must be done to lift them?"],
        id="opening-context-goes-to-every-part"),
    pytest.param("What did Putin and Xi discuss?", ["What did Putin and Xi discuss?"], id="and-between-names-is-one-question"),
    pytest.param("Who won and why?", ["Who won and why?"], id="one-word-part-is-not-a-question"),
    pytest.param(
        "How many Syrians and how many Iraqis did Erdogan say Turkey had taken in, at his news conference?",
        ["How many Syrians did Erdogan say Turkey had taken in, at his news conference?",
         "How many Iraqis did Erdogan say Turkey had taken in, at his news conference?"], id="a-bare-part-borrows-the-predicate"),
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
