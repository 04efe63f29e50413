"""What the first part of a multi-part question names frames the whole question: a later part that names only that
again ("…did Russian defence companies show…, and how many international forums did Russia host each year?") is
asked at the first part's event, not wherever else the name occurs.

Made-up turns only, after the kremlin.ru meeting of the Commission for Military Technology Cooperation, December 2012.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "commission-2012", "title": "Meeting of the Commission for Military Technology Cooperation",
     "date": "2012-12-17",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Our defence companies show their products at some twenty major exhibitions abroad. At home we hold "
                  "ten international forums every year."},
     ]},
    {"id": "forum-2015", "title": "Plenary session of an economic forum", "date": "2015-06-19",
     "turns": [
         {"speaker": "Anna Ivanova", "role": "Moderator",
          "text": "Russia hosts some thirty international forums each year, and Russia will host more."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_a_later_part_naming_only_what_the_first_named_stays_at_its_event(assistant: Assistant) -> None:
    ans = assistant.ask(
        "At how many major exhibitions abroad did Russian defence companies show their products, according to Putin "
        "in December 2012, and how many international forums did Russia host each year?"
    )
    assert "twenty" in ans.answer and "ten international forums" in ans.answer and "thirty" not in ans.answer
    assert {c.document for c in ans.citations} == {"commission-2012"}
