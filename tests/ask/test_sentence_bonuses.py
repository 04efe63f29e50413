"""Each hand-set bonus of the extractive answerer's sentence score, on made-up turns.

``score = coverage + meaning_weight * cosine + bonuses + rank_weight / (rank + 1)``. For every bonus the test
scores the same candidates twice, with the bonus at its default and at 0: the sentence the rule is for moves by
exactly that weight, the sentence it is not for does not move, and at the default the first outranks the second.
The embedder is the deterministic hashing one; no eval question stands behind these turns.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from assistant.api import Assistant
from assistant.ask.answerers.extractive import ExtractiveAnswerer
from assistant.ask.query import analyse
from assistant.ask.retrieve import Hit
from conftest import settings_for

DOCS = [
    {"id": "port", "title": "Meeting with Governor of Bay Region Mila Sand", "date": "2019-05-14", "place": "Bayton",
     "turns": [
         {"speaker": "Mila Sand", "role": "Governor of Bay Region",
          "text": "The port is our pride. The region has 14 ports and 3 shipyards. Cargo through the port keeps rising."},
         {"speaker": "Mila Sand", "role": "Governor of Bay Region",
          "text": "Cargo through the port grew strongly last year. Cargo through the port grew by 12 percent last year."},
         {"speaker": "Jon Hale", "role": "Minister of Transport",
          "text": "The ferry to the cape stopped running last winter. The ferry to the cape stopped because the pier collapsed."},
         {"speaker": "Mila Sand", "role": "Governor of Bay Region",
          "text": "The new bridge opened to traffic. The new bridge opened to traffic in July."},
         {"speaker": "Jon Hale", "role": "Minister of Transport", "text": "Thank you. Thank you for the new ferries, colleagues."},
     ]},
    {"id": "port-march", "title": "Meeting on the Bay Region ports", "date": "2020-03-03", "place": "Bayton",
     "turns": [{"speaker": "Mila Sand", "role": "Governor of Bay Region", "text": "The region now runs new ferry lines to the cape."}]},
    {"id": "port-news", "title": "Governor Sand on the ferry lines", "date": "2021-09-09", "format": "news",
     "turns": [
         {"speaker": "Bay Herald", "kind": "narration", "text": "Sand spoke about the new ferry lines to the cape:"},
         {"speaker": "Bay Herald", "kind": "narration", "text": "Sand said the new ferry lines to the cape are busy."},
         {"speaker": "Mila Sand", "kind": "quote", "quoted_in": "Bay Herald", "text": "The new ferry lines to the cape are busy."},
     ]},
]


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    tmp = tmp_path_factory.mktemp("bonuses")
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS), encoding="utf-8")
    s = settings_for(tmp / "store")
    s.answer.reader = False
    a = Assistant.open(corpus=[corpus], store=s.paths.store, settings=s)
    a.index()
    return a


def scores(made_up: Assistant, question: str, turns: list[tuple[str, int]], **weights: float) -> dict[str, float]:
    """Each sentence of the given turns (doc id, turn number), scored as if all were retrieved at rank 0."""
    index = made_up.engine.retriever.index
    settings = made_up.engine.extractive.settings.model_copy(update=weights)
    answerer = ExtractiveAnswerer(index, settings)
    qa = analyse(question, index)
    # Every turn at the same rank: what separates the sentences is the text, not the retrieval order.
    hits = [Hit(index.turns[index.doc_turns[d][n]], 1.0, []) for d, n in turns]
    out: dict[str, float] = {}
    for s in answerer.score_sentences(qa, hits, []):
        out.setdefault(s.text, s.score)
    return out


# (bonus setting, question, turns scored, the sentence the rule is for, a sentence it is not for, sign)
CASES = [
    ("number_bonus", "How many ports are there in the region?", [("port", 1)],
     "The region has 14 ports and 3 shipyards.", "The port is our pride.", +1),
    ("counted_noun_bonus", "How many shipyards are there in the region?", [("port", 1), ("port", 2)],
     "The region has 14 ports and 3 shipyards.", "Cargo through the port grew by 12 percent last year.", +1),
    ("change_bonus", "By how much did cargo through the port grow?", [("port", 1), ("port", 2)],
     "Cargo through the port grew by 12 percent last year.", "The region has 14 ports and 3 shipyards.", +1),
    ("date_bonus", "When did the new bridge open to traffic?", [("port", 4)],
     "The new bridge opened to traffic in July.", "The new bridge opened to traffic.", +1),
    ("reason_bonus", "Why did the ferry to the cape stop running?", [("port", 3)],
     "The ferry to the cape stopped because the pier collapsed.", "The ferry to the cape stopped running last winter.", +1),
    ("no_reason_penalty", "Why did the ferry to the cape stop running?", [("port", 3)],
     "The ferry to the cape stopped running last winter.", "The ferry to the cape stopped because the pier collapsed.", -1),
    ("month_bonus", "What did Mila Sand say about ferry lines to the cape in March?", [("port-march", 1), ("port-news", 3)],
     "The region now runs new ferry lines to the cape.", "The new ferry lines to the cape are busy.", +1),
    ("lead_in_penalty", "What about the new ferry lines to the cape?", [("port-news", 1), ("port-news", 3)],
     "Sand spoke about the new ferry lines to the cape:", "The new ferry lines to the cape are busy.", -1),
    ("paraphrase_penalty", "What did Mila Sand say about the new ferry lines to the cape?", [("port-news", 2), ("port-news", 3)],
     "Sand said the new ferry lines to the cape are busy.", "The new ferry lines to the cape are busy.", -1),
    ("short_sentence_penalty", "Who said thank you for the new ferries?", [("port", 5)],
     "Thank you.", "Thank you for the new ferries, colleagues.", -1),
]


@pytest.mark.parametrize(("bonus", "question", "turns", "target", "other", "sign"), CASES, ids=[c[0] for c in CASES])
def test_each_sentence_bonus_moves_only_the_sentence_it_is_for(made_up: Assistant, bonus: str, question: str,
                                                                turns: list[tuple[str, int]], target: str, other: str,
                                                                sign: int) -> None:
    weight = getattr(made_up.engine.extractive.settings, bonus)
    on = scores(made_up, question, turns)
    off = scores(made_up, question, turns, **{bonus: 0.0})
    assert on[target] - off[target] == pytest.approx(sign * weight)
    assert on[other] == pytest.approx(off[other])
    # A bonus lifts its sentence above the other; a penalty drops it below.
    assert (on[target] > on[other]) == (sign > 0)


def test_the_rank_weight_favours_sentences_of_higher_ranked_turns(made_up: Assistant) -> None:
    index = made_up.engine.retriever.index
    ex = made_up.engine.extractive
    qa = analyse("What did Mila Sand say about ferry lines to the cape?", index)
    turn = index.turns[index.doc_turns["port-march"][1]]
    other = index.turns[index.doc_turns["port-news"][3]]
    first = {s.turn.turn_id: s.score for s in ex.score_sentences(qa, [Hit(turn, 1.0, []), Hit(other, 1.0, [])], [])}
    second = {s.turn.turn_id: s.score for s in ex.score_sentences(qa, [Hit(other, 1.0, []), Hit(turn, 1.0, [])], [])}
    # Rank 0 earns rank_weight, rank 1 half of it.
    assert first[turn.turn_id] - second[turn.turn_id] == pytest.approx(ex.settings.rank_weight / 2)


# ---- choosing among the scored sentences: each threshold, at its default and switched off -------------------

def sentence(made_up: Assistant, doc: str, n: int, order: int, score: float, covered: set[str]):
    """Sentence ``order`` of turn ``n`` of ``doc`` as a scored candidate."""
    from assistant.ask.answerers.extractive import Scored
    from assistant.text.sentences import sentence_spans

    turn = made_up.engine.retriever.index.turns[made_up.engine.retriever.index.doc_turns[doc][n]]
    s, e = sentence_spans(turn.text)[order]
    return Scored(turn, turn.text[s:e].strip(), score, frozenset(covered), 0, order)


def chooser(made_up: Assistant, **update: float) -> ExtractiveAnswerer:
    settings = made_up.engine.extractive.settings.model_copy(update=update)
    return ExtractiveAnswerer(made_up.engine.retriever.index, settings)


def test_a_quantity_question_takes_a_close_runner_up_that_states_an_amount(made_up: Assistant) -> None:
    qa = analyse("How many ports are there in the region?", made_up.engine.retriever.index)
    best = sentence(made_up, "port", 1, 2, 1.0, {"port"})  # "Cargo through the port keeps rising." states no amount
    amount = sentence(made_up, "port", 1, 1, 0.7, {"port", "region"})  # "…has 14 ports…", 0.7 of the best
    assert [c.text for c in chooser(made_up).choose(qa, [best, amount])][0] == amount.text
    assert [c.text for c in chooser(made_up, quantity_alternative=0.8).choose(qa, [best, amount])][0] == best.text
    # Right after the sentence naming its subject, the amount is quoted with it.
    subject = sentence(made_up, "port", 1, 0, 1.0, {"port"})  # "The port is our pride."
    assert [c.text for c in chooser(made_up).choose(qa, [subject, amount])] == [subject.text, amount.text]


def test_a_part_the_best_sentence_misses_is_answered_by_another_sentence_of_its_event(made_up: Assistant) -> None:
    index = made_up.engine.retriever.index
    qa = analyse("How many ports does the region have, and why did the ferry to the cape stop?", index)
    best = sentence(made_up, "port", 1, 1, 1.0, {"port", "region"})
    part = sentence(made_up, "port", 3, 1, 0.5, {"ferri", "cape", "stop"})  # "…stopped because the pier collapsed."
    elsewhere = replace(part, turn=index.turns[index.doc_turns["port-march"][1]])  # the same words at another event
    assert part.text in [c.text for c in chooser(made_up).choose(qa, [best, part])]
    assert part.text not in [c.text for c in chooser(made_up, part_share=0.6).choose(qa, [best, part])]
    assert elsewhere.text not in [c.text for c in chooser(made_up).choose(qa, [best, elsewhere])]


def test_a_discussion_adds_the_close_best_sentences_of_other_turns_of_its_event(made_up: Assistant) -> None:
    qa = analyse("What did they discuss about the port and the ferries?", made_up.engine.retriever.index)
    assert qa.discussion
    best = sentence(made_up, "port", 1, 0, 1.0, {"port"})
    other = sentence(made_up, "port", 3, 0, 0.8, {"ferri"})
    assert [c.text for c in chooser(made_up).exchange(qa, [best], [best, other])] == [best.text, other.text]
    assert [c.text for c in chooser(made_up, discussion_share=0.9).exchange(qa, [best], [best, other])] == [best.text]


def test_a_word_that_carries_most_of_the_question_must_be_covered(made_up: Assistant) -> None:
    qa = analyse("What was the tonnage of the port?", made_up.engine.retriever.index)
    chosen = [sentence(made_up, "port", 1, 0, 1.0, {"port"})]  # "The port is our pride." never says tonnage
    assert chooser(made_up).missing_focus(qa, chosen) == "tonnag"
    assert chooser(made_up, focus_share=1.01).missing_focus(qa, chosen) is None
