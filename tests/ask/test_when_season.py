"""A "when" question is answered by a sentence that names a season, a weekday or a quarter as well as one that names
a year or a month: "Construction will begin in summer" tells when, "Construction will begin after the review" does not.

Made-up turns only, after the kremlin.ru meeting on the Kerch Strait Bridge of March 2016.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse
from conftest import rules_assistant

DOCS = [
    {"id": "tuzla-2016", "title": "Meeting on the Kerch Strait Bridge", "date": "2016-03-18",
     "turns": [
         {"speaker": "Sergei Aksyonov", "role": "Head of the Republic of Crimea",
          "text": "Construction will begin after the review. Construction will begin in summer."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_a_season_answers_when(assistant: Assistant) -> None:
    engine = assistant.engine
    question = "When did Aksyonov say construction would begin?"
    qa = analyse(question, engine.retriever.index)
    hits = engine.retriever.retrieve(question, qa, {})
    scored = sorted(engine.extractive.score_sentences(qa, hits, []), key=lambda c: -c.score)
    assert [c.text for c in scored] == ["Construction will begin in summer.", "Construction will begin after the review."]


@pytest.mark.parametrize("text", ["in summer", "next spring", "on Monday", "in the first quarter", "by winter"])
def test_seasons_weekdays_and_quarters_are_times(text: str) -> None:
    from assistant.ask.answerers.extractive import _DATEISH

    assert _DATEISH.search(f"The work will start {text}.")
