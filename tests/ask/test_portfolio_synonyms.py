"""A portfolio named the way a journalist names it finds the minister whose role names it otherwise: "the Health
Minister" is the Healthcare Minister, "the Economy Minister" the Minister of Economic Development
(``lexicon/portfolio_synonyms.txt``), and "the human rights ombudsman" the Human Rights Commissioner.

Made-up turns only: two ministers whose roles use the transcripts' words, a third minister and a commissioner.
"""

from __future__ import annotations

from assistant.api import Assistant
from assistant.ask.query import analyse

DOCS = [
    {"id": "government-2020", "title": "Meeting with Government members", "date": "2020-06-10",
     "turns": [
         {"speaker": "Irina Dolgova", "role": "Healthcare Minister",
          "text": "Vaccination of medical workers began this week in all regions."},
         {"speaker": "Pavel Resnik", "role": "Minister of Economic Development",
          "text": "Inflation slowed to four percent in May."},
         {"speaker": "Oleg Tarasov", "role": "Minister of Transport",
          "text": "Rail freight grew by two percent."},
         {"speaker": "Nina Belova", "role": "Human Rights Commissioner",
          "text": "We received 40,000 complaints this year."},
     ]},
]


def test_the_health_minister_is_the_healthcare_minister(docs_assistant: Assistant) -> None:
    for q in ("What did the Health Minister say about vaccination?", "What did the Minister of Health say about vaccination?"):
        assert analyse(q, docs_assistant.loaded).speakers == ["Irina Dolgova"], q


def test_the_economy_minister_is_the_minister_of_economic_development(docs_assistant: Assistant) -> None:
    assert analyse("What did the Economy Minister say about inflation?", docs_assistant.loaded).speakers == ["Pavel Resnik"]


def test_the_ombudsman_is_the_commissioner(docs_assistant: Assistant) -> None:
    # "ombudsman" is a role word (lexicon/role_words.txt) and the Commissioner's office (lexicon/office_synonyms.txt).
    assert analyse("What did the human rights ombudsman say about complaints?", docs_assistant.loaded).speakers == ["Nina Belova"]


def test_the_roles_own_words_still_find_them(docs_assistant: Assistant) -> None:
    assert analyse("What did the Healthcare Minister say?", docs_assistant.loaded).speakers == ["Irina Dolgova"]
    assert analyse("What did the Transport Minister say?", docs_assistant.loaded).speakers == ["Oleg Tarasov"]
