"""Once a search has found its event, the words its title does not hold rank the event's turns.

Made-up turns: a meeting whose long title holds most of the question's words, many one-line turns, and one
long turn that answers. Every passage carries the title, so without the within-event ranking the one-line turns
(short, all title) outrank the turn that answers.
"""

from __future__ import annotations

from pathlib import Path

from conftest import rules_assistant

from assistant.ask.query import analyse

TITLE = "Meeting with winners of the national composition contest Looking to the Future"
SHORT = ["Yes.", "Go ahead, please.", "Thank you.", "Really?", "I see."]
DOCS = [
    {"id": "contest-2018", "title": TITLE, "date": "2018-01-11",
     "turns": [{"speaker": "Ivan Petrov", "role": "President", "text": s} for s in SHORT]
     + [{"speaker": "Ivan Petrov", "role": "President",
         "text": "Please accept my congratulations on your results. It was a large competition with 437,000 participants, "
                 "and 35 reached the final round. I was unable to read everything, but I looked at excerpts of your work, "
                 "and what I saw was beautifully written and interesting, with a great deal of thought in it."}]},
] + [  # other events, where "participants" is a common word and the contest's title words are rare
    {"id": f"forum-{i}", "title": f"Regional forum number {i}", "date": "2018-03-01",
     "turns": [{"speaker": "Anna Smirnova", "role": "Governor", "text": f"The forum had many participants from district {i}."}]}
    for i in range(40)
]
QUESTION = "How many participants did Petrov say the national composition contest Looking to the Future had?"


def rank_of_answer(docs_dir: Path, name: str, **retrieval: object) -> int:
    a = rules_assistant(docs_dir / name, docs_dir / "corpus", mode="hybrid", **retrieval)
    hits = a.engine.retriever.retrieve(QUESTION, analyse(QUESTION, a.loaded))
    return next(i for i, h in enumerate(hits) if "437,000 participants" in h.turn.text)


def test_the_words_the_title_does_not_hold_rank_the_events_turns(docs_dir: Path) -> None:
    off = rank_of_answer(docs_dir, "off", within_event_weight=0.0)
    assert off == len(SHORT)  # below every one-line turn: they are all title
    assert rank_of_answer(docs_dir, "default") < off
    assert rank_of_answer(docs_dir, "weighted", within_event_weight=2.0) == 0
