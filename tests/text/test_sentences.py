"""Sentence splitting helpers on made-up sentences."""

from __future__ import annotations

import pytest

from assistant.text.sentences import leans_on_previous


@pytest.mark.parametrize(("sentence", "pronouns_only", "with_connectives"), [
    pytest.param("It increased by 34.4 percent.", True, True, id="pronoun-subject"),
    pytest.param("Of these, 12 were new.", True, True, id="of-these"),
    pytest.param("However, trade fell in 2015.", False, True, id="connective"),
    pytest.param("“They agreed,” he said.", True, True, id="opening-quote-mark"),
    pytest.param("Trade increased by 34.4 percent.", False, False, id="self-contained"),
    pytest.param("Italy is our partner.", False, False, id="it-inside-a-word"),
])
def test_a_sentence_that_needs_the_one_before(sentence: str, pronouns_only: bool, with_connectives: bool) -> None:
    assert leans_on_previous(sentence, connectives=False) is pronouns_only
    assert leans_on_previous(sentence) is with_connectives
