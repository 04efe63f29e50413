"""A later part's "he" or "she" is the person the first part asks about as speaker, also when the first part asks
"who": "Who in the Government did Shokhin say…, and how soon did he expect…" asks what Shokhin expected.

Made-up turns only, after the 2022 meeting with the head of the business union (he says whom they work with, then
when the work will be done; the President's reply also asks how soon).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "lobby-2022", "title": "Meeting with the head of the business union", "date": "2022-03-10",
     "turns": [
         {"speaker": "Alexander Shokhin", "role": "President of the business union",
          "text": "We are working on the formula approach with the Ministry of Economic Development. "
                  "We expect that this work will be done within two weeks."},
         {"speaker": "Vladimir Putin", "role": "President of Russia", "text": "Good. How soon will it be done elsewhere?"},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_he_after_who_did_x_say_is_x(assistant: Assistant) -> None:
    ans = assistant.ask("Who in the Government did Shokhin say the union was working with on the formula approach, "
                        "and how soon did he expect that work to be done?")
    assert not ans.abstained
    assert "two weeks" in ans.answer
    assert {c.speaker for c in ans.citations} == {"Alexander Shokhin"}
