"""A whole date the question gives its event narrows the search to that day's events.

Made-up turns: the same minister reports on the same subject at two meetings a week apart in one month.
"""

from __future__ import annotations

from conftest import rules_assistant

DOCS = [
    {"id": "report-14", "title": "Meeting with Foreign Minister Ivo Lamm", "date": "2022-02-14",
     "turns": [{"speaker": "Ivo Lamm", "role": "Foreign Minister", "text": "They sent their written response to our proposals on January 25."}]},
    {"id": "council-21", "title": "Security Council meeting", "date": "2022-02-21",
     "turns": [{"speaker": "Ivo Lamm", "role": "Foreign Minister",
                "text": "As I reported to the President, they sent their written response to our proposals on January 26."}]},
]
QUESTION = "According to Lamm's report to the President on 14 February 2022, when did they send their written response to our proposals?"


def test_the_event_of_the_day_named_answers(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", event_day_search=True).ask(QUESTION)
    assert ans.citations and ans.citations[0].document == "report-14"


def test_without_it_the_better_worded_report_of_another_day_wins(docs_dir) -> None:
    ans = rules_assistant(docs_dir, docs_dir / "corpus", event_day_search=False).ask(QUESTION)
    assert ans.citations and ans.citations[0].document == "council-21"
