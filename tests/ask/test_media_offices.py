"""A journalist at a press conference, named by outlet and office ("the Kommersant correspondent"): the record gives
them no role, only the self-introduction that opens their turn.

Made-up turns only, after the kremlin.ru record of Putin's answers to the media of 22 February 2022, where the
labels are bare names and each journalist opens with "Name, Outlet."
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse
from conftest import rules_assistant

DOCS = [
    {"id": "media-2022", "title": "Vladimir Putin answered media questions", "date": "2022-02-22",
     "turns": [
         {"speaker": "Andrei Kolesnikov",
          "text": "Andrei Kolesnikov, Kommersant newspaper. Mr President, how far might the troops advance: up to the "
                  "contact line or to the administrative borders?"},
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "I have already answered that question about the troops."},
         {"speaker": "Alexander Yunashev",
          "text": "Alexander Yunashev, Life. Mr President, are the statements about the troops just statements?"},
         {"speaker": "Vladimir Putin", "role": "President of Russia", "text": "We take them seriously."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_the_outlet_and_office_name_the_journalist_who_introduced_himself(assistant: Assistant) -> None:
    qa = analyse("What did the Kommersant correspondent ask Putin about the troops?", assistant.loaded)
    assert qa.speakers == ["Andrei Kolesnikov"]
    qa = analyse("What did a reporter from Life ask about the troops?", assistant.loaded)
    assert qa.speakers == ["Alexander Yunashev"]
    # The article may open the question.
    qa = analyse("The Kommersant correspondent asked Putin what about the troops?", assistant.loaded)
    assert qa.speakers == ["Andrei Kolesnikov"]


def test_what_the_correspondent_asked_is_his_question(assistant: Assistant) -> None:
    ans = assistant.ask("What did the Kommersant correspondent ask Putin about the troops?")
    assert not ans.abstained and "contact line" in ans.answer
    assert [c.speaker for c in ans.citations][:1] == ["Andrei Kolesnikov"]


def test_an_outlet_nobody_introduced_himself_by_names_nobody(assistant: Assistant) -> None:
    qa = analyse("What did the Izvestia correspondent ask about the troops?", assistant.loaded)
    assert qa.speakers == [] and "Kolesnikov" not in " ".join(qa.likely + qa.mentioned)
