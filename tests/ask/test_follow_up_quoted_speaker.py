"""A follow-up's "he" after a question that named its speaker by an office nobody resolved, and someone else by
name ("… did the city's acting governor tell Putin …?"): the person the last answer quoted, not the one told.

Made-up turns only, after the kremlin.ru meeting of March 2020 with Sevastopol's acting governor.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "sevastopol-2020", "title": "Meeting with Acting Governor of Sevastopol Mikhail Razvozhayev",
     "date": "2020-03-10",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Mr Razvozhayev, what about the residents of besieged Sevastopol? What status do they have now?"},
         {"speaker": "Mikhail Razvozhayev", "role": "Acting Governor of Sevastopol",
          "text": "There are 1,217 residents of besieged Sevastopol still alive. I ask you to give them the status "
                  "of Great Patriotic War veterans."},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "I will ask the Government to look at the status of these people and give them support."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_he_is_the_one_the_last_answer_quoted(assistant: Assistant) -> None:
    q1 = "How many residents of besieged Sevastopol did the city's acting governor tell Putin were still alive?"
    first = assistant.ask(q1)
    assert [c.turn_id for c in first.citations] == ["sevastopol-2020#2"]
    history = [{"role": "user", "content": q1}, first.history_message()]
    ans = assistant.ask("What status did he ask Putin to give them?", history=history)
    assert "Razvozhayev" in ans.search_question
    assert [c.speaker for c in ans.citations][:1] == ["Mikhail Razvozhayev"] and "veterans" in ans.answer


def test_a_person_named_as_the_subject_stays_the_one_carried(assistant: Assistant) -> None:
    from assistant.ask.followups import _named_as_subject

    # "did Berdimuhamedov receive": he is the subject, whoever the answer quotes (Putin presented the decoration).
    assert _named_as_subject("Which decoration did Serdar Berdimuhamedov receive in the Kremlin?", ["serdar berdimuhamedov"])
    assert _named_as_subject("Which decoration did the new President of Turkmenistan receive?", ["president of turkmenistan"])
    assert not _named_as_subject("How many did the city's acting governor tell Putin were alive?", ["putin"])
