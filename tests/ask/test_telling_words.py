"""Within a search narrowed to one event, the words every passage there shares tell nothing apart.

Made-up turns: a meeting held in Ardmore on 27 March 2018, whose title names the town (so every passage
carries it), where one turn repeats the town and the month and another states the figure asked for; and
meetings of other days, where "bodies" and "recovered" are common words, so that over the whole corpus the
town's name is the rarest word of the question.
"""

from __future__ import annotations

from conftest import rules_assistant

DOCS = [
    {"id": "ardmore-27", "title": "Meeting on relief efforts following the fire in Ardmore", "date": "2018-03-27",
     "turns": [
         {"speaker": "Ivo Lamm", "role": "Emergencies Minister",
          "text": "Mr President, the fire in Ardmore broke out in March. Ardmore and its people have our full support, "
                  "and everyone in Ardmore knows that the President is following the work in Ardmore."},
         {"speaker": "Ivo Lamm", "role": "Emergencies Minister",
          "text": "By now we have recovered 58 bodies and keep searching for six persons."},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "What happened in Ardmore this March must never be repeated, in Ardmore or anywhere else."},
     ]},
    *[{"id": f"council-{day}", "title": "Meeting with Government members", "date": f"2018-04-{day:02d}",
       "turns": [{"speaker": "Vladimir Putin", "role": "President of Russia",
                  "text": "The economy has recovered, and the regional bodies have recovered their budgets. "
                          "Public bodies will report on how the industry recovered."}]} for day in range(2, 12)],
    {"id": "council-30", "title": "Security Council meeting", "date": "2018-03-30",
     "turns": [{"speaker": "Vladimir Putin", "role": "President of Russia", "text": "Let us discuss the situation in the region."}]},
]
QUESTION = "At the meeting in Ardmore on 27 March 2018, how many bodies had been recovered?"


def test_the_turn_that_states_what_is_asked_ranks_first(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", shared_word_share=0.5).ask(QUESTION)
    assert ans.retrieved and ans.retrieved[0].turn_id == "ardmore-27#2"
    assert "58 bodies" in ans.answer


def test_with_every_word_kept_the_turn_repeating_the_place_ranks_first(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", shared_word_share=1.0).ask(QUESTION)
    assert ans.retrieved and ans.retrieved[0].turn_id != "ardmore-27#2"
