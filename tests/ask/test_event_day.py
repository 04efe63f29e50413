"""A whole date the question gives its event narrows the search to that day's events.

Made-up turns: the same minister reports on the same subject at two meetings a week apart in one month.
"""

from __future__ import annotations

import json

import pytest
from conftest import settings_for

from assistant.api import Assistant

DOCS = [
    {"id": "report-14", "title": "Meeting with Foreign Minister Ivo Lamm", "date": "2022-02-14",
     "turns": [{"speaker": "Ivo Lamm", "role": "Foreign Minister", "text": "They sent their written response to our proposals on January 25."}]},
    {"id": "council-21", "title": "Security Council meeting", "date": "2022-02-21",
     "turns": [{"speaker": "Ivo Lamm", "role": "Foreign Minister",
                "text": "As I reported to the President, they sent their written response to our proposals on January 26."}]},
]
QUESTION = "According to Lamm's report to the President on 14 February 2022, when did they send their written response to our proposals?"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("eventday")
    folder = tmp / "corpus"
    folder.mkdir()
    (folder / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in DOCS), encoding="utf-8")
    return tmp, folder


def _ask(corpus, on: bool):
    tmp, folder = corpus
    s = settings_for(tmp / "store")
    s.answer.reader = False
    s.retrieval.mode = "lexical"
    s.retrieval.event_day_search = on
    a = Assistant.open(corpus=[folder], store=s.paths.store, settings=s)
    a.index()
    return a.ask(QUESTION)


def test_the_event_of_the_day_named_answers(corpus) -> None:
    ans = _ask(corpus, True)
    assert ans.citations and ans.citations[0].document == "report-14"


def test_without_it_the_better_worded_report_of_another_day_wins(corpus) -> None:
    ans = _ask(corpus, False)
    assert ans.citations and ans.citations[0].document == "council-21"
