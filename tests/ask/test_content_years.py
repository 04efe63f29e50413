"""A question that dates its event and also names the year it asks about: the sentence must be about that year.

Made-up turns only, after the kremlin.ru Military-Industrial Commission meeting at KAMAZ of February 2016, where
Putin gives the defence procurement figures of 2013, 2014 and "last year", none of 2012, and the Austrian
President's visit of April 2016, counted as the seventh meeting since 2014 in a sentence that names no year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from conftest import rules_assistant

DOCS = [
    {"id": "mic-kamaz-2016", "title": "Meeting of the Military-Industrial Commission", "date": "2016-02-12",
     "place": "Naberezhniye Chelny",
     "turns": [
         {"speaker": "Vladimir Putin", "role": "President of Russia",
          "text": "Colleagues, let us begin. In 2013, the defence procurement programme was 93-percent complete, in "
                  "2014, the figure was 96 percent, and last year, it was 97 percent."},
     ]},
    {"id": "austria-2016", "title": "Meeting with President of Austria Heinz Fischer", "date": "2016-04-06",
     "turns": [
         {"speaker": "Heinz Fischer", "role": "President of Austria",
          "text": "I will return to Austria with a good feeling. This visit was our seventh bilateral meeting with the President."},
     ]},
]

EVENT = "At the Military-Industrial Commission meeting in February 2016, what completion rate did Putin give for"


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    return rules_assistant(docs_dir, docs_dir / "corpus")


def test_a_year_the_sentence_gives_a_figure_for_is_answered(assistant: Assistant) -> None:
    ans = assistant.ask(f"{EVENT} the 2014 defence procurement programme?")
    assert not ans.abstained and "96 percent" in ans.answer
    # "last year", said in 2016, is 2015.
    ans = assistant.ask(f"{EVENT} the 2015 defence procurement programme?")
    assert not ans.abstained and "97 percent" in ans.answer


def test_the_event_year_does_not_stand_in_for_the_year_asked_about(assistant: Assistant) -> None:
    # 2016 dates the meeting; the sentence, said in 2016, gives no figure for 2012.
    ans = assistant.ask(f"{EVENT} the 2012 defence procurement programme?")
    assert ans.abstained


def test_a_year_that_starts_a_period_is_no_year_the_sentence_must_name(assistant: Assistant) -> None:
    # "since 2014" runs up to the visit: what was said at the visit in 2016 is about it.
    ans = assistant.ask("Which bilateral meeting since 2014 did Heinz Fischer say his April 2016 visit was?")
    assert not ans.abstained and "seventh" in ans.answer
