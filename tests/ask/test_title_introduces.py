"""An event title names a person by the office it fits only when those words introduce them: a news headline
("Vladimir Putin held a meeting with Minister of Emergencies …") does not make the President the Emergencies Minister,
nor does a joint meeting's title ("… President of Ruritania … and President of Borduria …") make one guest the other
country's president.

Made-up turns only; the host has a role of his own, the minister and one guest only "Minister" and "President" (the title says of what).
"""

from __future__ import annotations

from assistant.api import Assistant
from assistant.ask.query import analyse

DOCS = [
    {"id": "headline", "title": "Vladimir Petrov held a meeting with Minister of Emergencies Alexander Kurin", "date": "2022-03-01",
     "turns": [
         {"speaker": "Vladimir Petrov", "role": "President of Russia", "text": "Mr Kurin, how is the flood season going?"},
         {"speaker": "Alexander Kurin", "role": "Minister", "text": "The flood season has started; 40 villages are protected by dams."},
     ]},
    {"id": "summit", "title": "Meeting with President of Ruritania Karl Odemar and President of Borduria Boris Vel",
     "date": "2022-04-01",
     "turns": [
         {"speaker": "Karl Odemar", "role": "President", "text": "Ruritania will build the bridge."},
         {"speaker": "Boris Vel", "role": "President of Borduria", "text": "Borduria will pay for the road."},
         {"speaker": "Boris Vel", "role": "President of Borduria", "text": "The road will be ready next year."},
     ]},
]


def test_a_headline_names_the_minister_not_the_host(docs_assistant: Assistant) -> None:
    qa = analyse("What did the Minister of Emergencies say about floods?", docs_assistant.loaded)
    assert qa.speakers == ["Alexander Kurin"], qa.notes


def test_a_joint_title_names_each_guest_by_their_own_office(docs_assistant: Assistant) -> None:
    qa = analyse("What did the President of Ruritania say about the bridge?", docs_assistant.loaded)
    assert qa.speakers == ["Karl Odemar"], qa.notes
