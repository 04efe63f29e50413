"""A short turn that gives the floor ("Go ahead, please.") brings the report that follows it.

Made-up turns: every passage is indexed with its event's title, so the host's one-line turns match a question
about the event on the title's words alone and crowd out the long report that holds the answer.
"""

from __future__ import annotations

from conftest import rules_assistant

TITLE = "Ceremony for the first shipment of liquefied gas from the Northport gas terminal complex"
DOCS = [
    {"id": "northport", "title": TITLE, "date": "2019-04-04",
     "turns": [
         {"speaker": "Maria Holt", "role": "President", "text": "Good afternoon. Today we begin loading at the new terminal in Northport."},
         {"speaker": "Leon Marsh", "role": "Chairman of Gasco", "text": "Thank you. We built the first stage together with a bank."},
         {"speaker": "Maria Holt", "role": "President", "text": "Go ahead, please."},
         {"speaker": "Leon Marsh", "role": "Chairman of Gasco",
          "text": "The volume of investment in this complex exceeded 57 billion rubles. We attracted only local contractors and many "
                  "local equipment makers, which was important for the region and for the workers who came from other regions to "
                  "build the site over three winters, and the second stage will be larger still."},
         {"speaker": "Maria Holt", "role": "President", "text": "Please do."},
         {"speaker": "Leon Marsh", "role": "Chairman of Gasco", "text": "The loading has begun."},
         {"speaker": "Maria Holt", "role": "President", "text": "Thank you, colleagues."},
     ]},
]
# Elsewhere investment is everyday talk: the word weighs little, the title's rare names much.
DOCS += [
    {"id": f"forum-{i}", "title": f"Investment forum session {i}", "date": f"2019-06-0{1 + i % 8}",
     "turns": [{"speaker": "Maria Holt", "role": "President", "text": f"Investment in the regions grew again, and investors invested in {sector}."}]}
    for i, sector in enumerate(["roads", "ports", "farms", "schools", "hospitals", "railways", "airports", "bridges", "housing", "mines"])
]
QUESTION = "How much had been invested in the Northport gas terminal complex by its first shipment of liquefied gas?"


def test_the_report_after_go_ahead_comes_along(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", top_k=3, floor_turn_chars=60).ask(QUESTION)
    assert "57 billion" in ans.answer, ans.answer


def test_without_it_the_one_line_turns_crowd_it_out(docs_dir) -> None:
    # The within-event ranking (test_within_event.py) meets the same crowding from the other side: off here too.
    ans = rules_assistant(docs_dir, docs_dir / "corpus", top_k=3, floor_turn_chars=0, within_event_weight=0.0).ask(QUESTION)
    assert "57 billion" not in ans.answer


def test_the_within_event_ranking_alone_reaches_the_report(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", top_k=3, floor_turn_chars=0).ask(QUESTION)
    assert "57 billion" in ans.answer, ans.answer
