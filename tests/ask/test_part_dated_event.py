"""A later part of a multi-part question that dates nothing of its own asks about the event the first part dates by
its day, even when the first part found no answer there ("How many …, in his press statement on 5 March 2020, and
how many refugees did he cite from the UN?": not the refugees he cited at another event).

Made-up turns only, after the kremlin.ru press statements following Russian-Turkish talks of 5 March 2020.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "ankara-2018", "title": "News conference following talks of Russia, Turkey and Iran", "date": "2018-04-04",
     "turns": [
         {"speaker": "Recep Tayyip Erdogan", "role": "President of the Republic of Turkey",
          "text": "Now 160,000 refugees have returned to northern Syria, according to the UN figures we have."},
     ]},
    {"id": "moscow-2020", "title": "Press statements following Russian-Turkish talks", "date": "2020-03-05",
     "turns": [
         {"speaker": "Recep Tayyip Erdogan", "role": "President of the Republic of Turkey",
          "text": "The regime breached the agreement. People are leaving their homes: according to the UN there are "
                  "about 1.5 million refugees near our borders."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_a_later_part_keeps_the_first_part_s_event_day(assistant: Assistant) -> None:
    ans = assistant.ask(
        "How many tanks did Erdogan say the regime had lost, in his press statement in Moscow on 5 March 2020, and how "
        "many refugees did he cite from the UN?"
    )
    assert "1.5 million" in ans.answer and "160,000" not in ans.answer
    assert [c.document for c in ans.citations] == ["moscow-2020"]
