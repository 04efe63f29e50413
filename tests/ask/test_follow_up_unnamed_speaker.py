"""A follow-up's "him" after a question that named its speaker by an office nobody resolved and no one else by
name ("… did the composite-materials specialist say…?"): the person the last answer quoted (the conversation
state), not a name read off the quote's opening words ("Mr President, …").

Made-up turns only, after the kremlin.ru meeting of June 2022 with young entrepreneurs and scientists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "vdnkh-2022", "title": "Meeting with young entrepreneurs, engineers and scientists",
     "date": "2022-06-09",
     "turns": [
         {"speaker": "Yevgeny Trofimenko", "role": "Umatex R&D Centre",
          "text": "Mr President, I have been dealing with composite materials for the past six years."},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Did your team make the carbon wing for the new airliner?"},
         {"speaker": "Yevgeny Trofimenko", "role": "Umatex R&D Centre",
          "text": "Yes, our fibre went into the carbon wing."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_him_is_the_one_the_last_answer_quoted(assistant: Assistant) -> None:
    q1 = "At the meeting with young scientists, how long did the composite-materials specialist say he had been dealing with composite materials?"
    first = assistant.ask(q1)
    assert [c.turn_id for c in first.citations] == ["vdnkh-2022#1"]
    history = [{"role": "user", "content": q1}, first.history_message()]
    ans = assistant.ask("What did Putin ask him his team had made?", history=history)
    # Without the state's speaker, "him" was looked up in the quote ("Mr President, …" → Putin, already named):
    # the question stayed as it was.
    assert "Trofimenko" in ans.search_question
