"""A later part naming a year before the first part's event asks what was said at that event about the past.

Made-up turns only, after the kremlin.ru Military-Industrial Commission meeting of September 2016 in Izhevsk,
where Putin recalls how far the 2015 armament programme was fulfilled, and a December 2015 meeting elsewhere where
he speaks of the same programme in nearly the question's words.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.text.dates import looks_back
from conftest import rules_assistant

DOCS = [
    {"id": "mic-2016", "title": "Meeting of the Military-Industrial Commission", "date": "2016-09-20",
     "place": "Izhevsk",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Colleagues, we are holding this meeting of the Military-Industrial Commission in Izhevsk. "
                  "I would like to recall that in 2015 the armament programme was 97 percent complete."},
     ]},
    {"id": "defence-2015", "title": "Meeting on the defence industry", "date": "2015-12-10", "place": "Sochi",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "The state armament programme for 2015 has been fulfilled by 98 percent so far, and the state "
                  "armament programme will be fulfilled in full in 2015."},
     ]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_looks_back() -> None:
    assert looks_back([2015], [2016])
    assert not looks_back([2018], [2016])  # a later year is another event
    assert not looks_back([2015], []) and not looks_back([], [2016])


def test_a_part_asking_about_an_earlier_year_is_answered_from_the_first_parts_event(assistant: Assistant) -> None:
    ans = assistant.ask("Where did Putin hold the Military-Industrial Commission meeting of September 2016, "
                        "and how far had the state armament programme been fulfilled in 2015?")
    second = ans.answer.split("\n\n")[-1]
    # Not the 2015 meeting that speaks of the programme in the question's words: what was said at Izhevsk.
    assert "97 percent" in second and "98 percent" not in second
    assert {c.document for c in ans.citations} == {"mic-2016"}


def test_a_follow_up_about_an_earlier_year_stays_in_the_event_discussed(assistant: Assistant) -> None:
    q1 = "At the Military-Industrial Commission meeting of September 2016, what did Putin say about the armament programme?"
    first = assistant.ask(q1)
    assert [c.document for c in first.citations] == ["mic-2016"]
    history = [{"role": "user", "content": q1}, first.history_message()]
    ans = assistant.ask("And how far had it been fulfilled in 2015?", history=history)
    # 2015 comes before the meeting asked about: what Putin recalled there, not the 2015 meeting's figure.
    assert "97 percent" in ans.answer and "98 percent" not in ans.answer
