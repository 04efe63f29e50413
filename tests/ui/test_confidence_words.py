"""Confidence is shown in words, never as a bare score; internal scores stay out of what people read."""

from __future__ import annotations

import pytest

from assistant.types import Answer
from assistant.ui.render import render_answer


def make(confidence: float | None) -> Answer:
    return Answer(question="q", search_question="q", answer="“x” [1]", abstained=False, backend="extractive",
                  confidence=confidence, notes=["support 1.00", "reader 2.31", "removed marker [9]"])


@pytest.mark.parametrize(("confidence", "words"), [(0.93, "strong support"), (0.6, "partial support"), (0.2, "weak support"), (None, "")])
def test_support_in_words(confidence: float | None, words: str) -> None:
    assert make(confidence).support_label == words


def test_the_rendered_answer_says_it_in_words_without_internal_scores() -> None:
    html = render_answer(make(0.93), 1)
    assert "strong support" in html and "removed marker [9]" in html
    assert "support 1.00" not in html and "reader 2.31" not in html
