"""A "how many" answer counts what the question counts, or a key part of the question is missing.

Made-up turns: "How many helicopters a year can the plants build?" is not answered by "72 modernisation projects
… at the plants that build helicopters": the quote states a number and repeats the question's words, but the
number counts projects. The calibrated confidence weighs that as it weighs a focus word the quote never touches.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import rules_assistant

from assistant.ask.answerers.base import AnswerContext
from assistant.ask.answerers.extractive import UNCOUNTED, ExtractiveAnswerer, counted_words, counts_any
from assistant.ask.query import analyse
from assistant.ask.reader import Calibrator
from assistant.text.tokens import stem

DOCS = [
    {"id": "aerotech", "title": "Meeting with Aerotech CEO Ivan Korin", "date": "2022-05-18",
     "turns": [
         {"speaker": "Maria Holt", "role": "President", "text": "Mr Korin, how are things at the plants?"},
         {"speaker": "Ivan Korin", "role": "CEO of Aerotech",
          "text": "Aerotech has carried out 72 equipment modernisation projects at the plants that build helicopters and planes."},
         {"speaker": "Ivan Korin", "role": "CEO of Aerotech",
          "text": "The Kazan plant now builds 240 passenger carriages a year for the railways."},
     ]},
    {"id": "rivermed", "title": "Meeting with Rivermed director Olga Sand", "date": "2022-06-02",
     "turns": [
         {"speaker": "Olga Sand", "role": "Director of Rivermed",
          "text": "Last year we received an unprecedented number of applications, 59,500, most of them online."},
         {"speaker": "Olga Sand", "role": "Director of Rivermed", "text": "Our team won nine golds at the championship in Lyon."},
     ]},
]


class FakeScorer:
    """A high logit for texts holding ``word``, a low one otherwise."""

    def __init__(self, word: str) -> None:
        self.word = word

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        return np.array([4.0 if self.word in t else -4.0 for t in texts], dtype=np.float32)


def _phrase(question: str) -> frozenset[str]:
    return frozenset(stem(w) for w in counted_words(question))


def test_the_counted_words_run_up_to_the_first_function_word() -> None:
    assert counted_words("How many helicopters a year can the plants build?") == ["helicopters"]
    assert counted_words("How many gold medals did the team win?") == ["gold", "medals"]
    assert counted_words("How many registered coronavirus cases were there?") == ["registered", "coronavirus", "cases"]
    assert counted_words("How many of them came?") == []


@pytest.mark.parametrize(("text", "question", "counted"), [
    ("Aerotech has carried out 72 equipment modernisation projects at the plants that build helicopters.",
     "How many helicopters a year can the plants build?", False),
    ("The plants build 300 helicopters a year.", "How many helicopters a year can the plants build?", True),
    ("Our team won nine golds at the championship.", "How many gold medals did the team win?", True),
    ("We received an unprecedented number of applications, 59,500.", "How many applications did they receive?", True),
    ("The number of applications grew in 2021.", "How many applications did they receive?", False),
])
def test_a_number_counts_the_question_s_noun_when_it_stands_before_it_or_after_the_number_of_it(text: str, question: str, counted: bool) -> None:
    assert counts_any(text, _phrase(question)) is counted


def _answer(assistant, question: str, word: str):
    loaded = assistant.loaded
    cal = Calibrator(w_logit=1.0, w_missing=-6.0, threshold=0.5)
    ex = ExtractiveAnswerer(loaded, assistant.settings.answer.model_copy(), reader=FakeScorer(word), calibrator=cal)
    qa = analyse(question, loaded)
    return ex.answer(qa, assistant.engine.retriever.retrieve(question, qa, {}), AnswerContext())


def test_a_number_of_something_else_is_a_key_part_missing(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    draft = _answer(a, "How many helicopters a year can the Aerotech plants build?", "72 equipment")
    assert any(n.startswith(f"{UNCOUNTED} “helicopters”") for n in draft.notes), draft.notes
    assert draft.abstained  # the reader is sure (logit 4), but what it quotes counts projects


def test_a_number_of_what_is_asked_is_no_missing_part(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    draft = _answer(a, "How many carriages a year does the Kazan plant build?", "240 passenger")
    assert not draft.abstained and "240" in draft.text
    assert not any(n.startswith(UNCOUNTED) for n in draft.notes), draft.notes
    draft = _answer(a, "How many applications did Rivermed receive last year?", "59,500")
    assert not draft.abstained and "59,500" in draft.text, draft.notes
