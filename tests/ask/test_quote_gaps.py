"""Sentences of one turn quoted together that were not said one after the other are joined by "…": the quote
must not read as if the speaker said them in a row.

Made-up turn: the question's two halves are answered two sentences apart.
"""

from __future__ import annotations

from conftest import rules_assistant

from assistant.ask.query import analyse

DOCS = [
    {"id": "harbour-council", "title": "Meeting of the Harbour Council", "date": "2019-03-12",
     "turns": [
         {"speaker": "Maria Holt", "role": "Mayor",
          "text": "This year the shipyard built twelve ferries. The weather was difficult. The crews worked hard. "
                  "Next year the yard will build four tugboats."},
     ]},
]


def test_sentences_apart_are_joined_by_an_ellipsis(docs_dir) -> None:
    a = rules_assistant(docs_dir, docs_dir / "corpus")
    ex = a.engine.extractive
    turn = a.engine.retriever.index.turns["harbour-council#1"]
    qa = analyse("What did the mayor say about ferries and tugboats?", a.engine.retriever.index)
    text, citations = ex.compose(qa, [ex.sentence_at(turn, 0), ex.sentence_at(turn, 3)])
    assert "twelve ferries. … Next year the yard" in text, text
    # Sentences said in a row stay one quote.
    text, _ = ex.compose(qa, [ex.sentence_at(turn, 1), ex.sentence_at(turn, 2)])
    assert "The weather was difficult. The crews worked hard." in text, text
