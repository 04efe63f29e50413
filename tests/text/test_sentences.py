"""Sentence splitting helpers on made-up sentences."""

from __future__ import annotations

import pytest

from assistant.text.sentences import leans_on_previous, sentence_spans


@pytest.mark.parametrize(("sentence", "pronouns_only", "with_connectives"), [
    pytest.param("It increased by 34.4 percent.", True, True, id="pronoun-subject"),
    pytest.param("Of these, 12 were new.", True, True, id="of-these"),
    pytest.param("However, trade fell in 2015.", False, True, id="connective"),
    pytest.param("“They agreed,” he said.", True, True, id="opening-quote-mark"),
    pytest.param("Trade increased by 34.4 percent.", False, False, id="self-contained"),
    pytest.param("Italy is our partner.", False, False, id="it-inside-a-word"),
    pytest.param("As you know, it was re-endorsed for 2016–2025.", True, True, id="pronoun-after-an-aside"),
    pytest.param("In 2015, they grew by a third.", True, True, id="pronoun-after-a-dated-aside"),
    pytest.param("Russia, it is known, grew.", False, False, id="a-name-is-no-aside"),
    pytest.param("As you know, trade fell in 2015.", False, False, id="aside-without-a-pronoun"),
])
def test_a_sentence_that_needs_the_one_before(sentence: str, pronouns_only: bool, with_connectives: bool) -> None:
    assert leans_on_previous(sentence, connectives=False) is pronouns_only
    assert leans_on_previous(sentence) is with_connectives


@pytest.mark.parametrize(("text", "sentences"), [
    pytest.param("Mr. Chair, the season opens on the 15th of May. It was decided.", 2, id="honorific-with-full-stop"),
    pytest.param("Thank you, Dr. Blaney. Next question.", 2, id="doctor"),
    pytest.param("I met V. Putin in Sochi. He agreed.", 2, id="initial"),
    pytest.param("Moscow school No. 1234 opened. No. Not yet.", 3, id="number-sign-before-a-digit-only"),
    pytest.param("We went to the U.S. Then to Canada.", 2, id="an-acronym-still-ends-a-sentence"),
])
def test_an_abbreviation_ends_no_sentence(text: str, sentences: int) -> None:
    assert len(sentence_spans(text)) == sentences
