"""A person the question names but does not ask about anchors the event where they speak.

Made-up turns: a host's many speeches crowd the search with the question's words; the one meeting where the
guest speaks holds the answer.
"""

from __future__ import annotations

from conftest import rules_assistant

CROWD = [
    {"id": f"speech-{i}", "title": f"Meeting on regional policy {i}", "date": f"2022-0{1 + i % 4}-1{i % 9}",
     "turns": [{"speaker": "Maria Holt", "role": "President",
                "text": f"I would like to point out that every deputy prime minister of a regional government must report by March {2000 + i}. "
                        "The region needs new schools."}]}
    for i in range(12)
]
DOCS = CROWD + [
    {"id": "guest", "title": "Meeting with Pavel Rook", "date": "2022-05-10",
     "turns": [{"speaker": "Maria Holt", "role": "President",
                "text": "You served as a deputy prime minister of the Lake Region Government. That is real experience."},
               {"speaker": "Pavel Rook", "text": "Thank you. I will draw up a strategy within a month."}]},
]


QUESTION = "When Holt met Pavel Rook, in which region's government did she point out he had been deputy prime minister?"


def test_the_event_where_the_person_named_speaks_is_searched(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", speaking_search=30).ask(QUESTION)
    assert ans.citations and ans.citations[0].document == "guest"
    assert "Lake Region" in ans.answer


def test_without_it_the_crowd_of_other_speeches_wins(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", speaking_search=0).ask(QUESTION)
    assert not any(c.document == "guest" for c in ans.citations)
