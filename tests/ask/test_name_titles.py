"""A speaker whose name opens with a title ("Patriarch Kirill", which the label parser keeps whole) is named by the title alone:
"What did the Patriarch say?" (``lexicon/name_titles.txt``).

Made-up turns only.
"""

from __future__ import annotations

from assistant.api import Assistant
from assistant.ask.query import analyse

DOCS = [
    {"id": "church-day", "title": "Meeting with Patriarch Anselm", "date": "2021-05-24",
     "turns": [
         {"speaker": "Maria Holt", "role": "President", "text": "Your Holiness, thank you for coming."},
         {"speaker": "Patriarch Anselm", "text": "The restoration of the cathedral will be finished by the autumn."},
     ]},
]


def test_the_title_alone_names_the_speaker(docs_assistant: Assistant) -> None:
    assert analyse("What did the Patriarch say about the cathedral?", docs_assistant.loaded).speakers == ["Patriarch Anselm"]


def test_the_full_name_still_names_them(docs_assistant: Assistant) -> None:
    assert analyse("What did Patriarch Anselm say?", docs_assistant.loaded).speakers == ["Patriarch Anselm"]
