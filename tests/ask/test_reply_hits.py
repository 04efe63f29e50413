"""A question put to the person asked about carries the words; their terse reply does not.

Made-up turns: a quick-fire round where the interviewer asks and the minister answers in a word or two.
"""

from __future__ import annotations

from pathlib import Path

from conftest import rules_assistant

from assistant.api import Assistant

DOCS = [
    {"id": "quick-fire", "title": "Interview with Minister Eva Stone", "date": "2017-04-03",
     "turns": [
         {"speaker": "Carl Moss", "role": "Moderator", "text": "Tea or coffee in the morning?"},
         {"speaker": "Eva Stone", "role": "Minister of Culture", "text": "Tea."},
         {"speaker": "Carl Moss", "role": "Moderator", "text": "What is your favourite food?"},
         {"speaker": "Eva Stone", "role": "Minister of Culture", "text": "Porridge."},
         {"speaker": "Carl Moss", "role": "Moderator", "text": "Where would you like to travel next?"},
         {"speaker": "Eva Stone", "role": "Minister of Culture",
          "text": "I have never been to the far north, so I would go there first, perhaps in summer."},
     ]},
    {"id": "budget", "title": "Meeting on the culture budget", "date": "2017-05-10",
     "turns": [{"speaker": "Eva Stone", "role": "Minister of Culture", "text": text} for text in [
         "Theatres will get more money next year.", "Food prices at the opera canteen will not rise.",
         "Twelve museums will be renovated.", "The library network is growing in every district.",
         "Film studios asked for tax relief.", "Concert halls need new roofs.", "Ticket sales rose by a fifth.",
         "Young artists will get grants.", "The national orchestra will tour abroad.", "Archives are being digitised.",
     ]]},
]


def _assistant(docs_dir: Path, reply_hits: int) -> Assistant:
    # Words only: a one-word reply shares none with the question.
    return rules_assistant(docs_dir, docs_dir / "corpus", reply_hits=reply_hits)


def test_a_terse_reply_to_a_question_put_to_the_speaker_answers(docs_dir) -> None:
    ans = _assistant(docs_dir, reply_hits=3).ask("What did Eva Stone say was her favourite food?")
    assert not ans.abstained
    assert ans.citations[0].quote == "Porridge."


def test_without_reply_hits_only_her_own_words_are_searched(docs_dir) -> None:
    ans = _assistant(docs_dir, reply_hits=0).ask("What did Eva Stone say was her favourite food?")
    assert all(c.quote != "Porridge." for c in ans.citations)


def test_a_reply_that_says_what_it_is_about_is_not_brought_along(docs_dir) -> None:
    a = _assistant(docs_dir, reply_hits=3)
    from assistant.ask.query import analyse

    r = a.engine.retriever
    q = "Where did Eva Stone say she would like to travel next?"
    hits = r.retrieve(q, analyse(q, r.index), {})
    # Her long reply is found by its own words or not at all; the rule only adds terse ones.
    assert all(h.passage_ids or len(h.turn.text) < 60 for h in hits)
