"""Names written as a reader writes them, and meetings whose transcript gives no date.

Made-up turns only: an undated committee meeting (as QMSum's are) whose source lost a letter of one
speaker's given name ("Yves-Franois"), beside a dated meeting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ask.query import analyse
from assistant.types import ABSTAIN_PREFIX
from conftest import settings_for

DOCS = [
    {"id": "committee", "title": "Committee on higher education (parliamentary committee)",
     "turns": [
         {"speaker": "Lynne Reed", "role": "Chair", "text": "We now turn to capital funding for universities."},
         {"speaker": "Bethan Owen", "role": "Director of institutional engagement",
          "text": "The funding council has 10 million pounds of capital funding this year. Universities bid for it in the spring."},
         {"speaker": "Yves-Franois Blanchet", "role": "Member",
          "text": "The Bloc wants the old age pension raised by 25 dollars a week. Seniors cannot wait for the autumn."},
     ]},
    {"id": "trust-2021", "title": "Meeting with the head of the Harbour Trust", "date": "2021-06-02",
     "turns": [{"speaker": "Tom Field", "role": "Director General of the Harbour Trust",
                "text": "In its first year the revived trust reached 3 million visitors."}]},
    {"id": "rail-2020", "title": "Meeting with the head of Northern Rail", "date": "2020-02-11",
     "turns": [{"speaker": "Sergei Korov", "role": "Head of Northern Rail",
                "text": "Freight on the northern line grew by 6 percent last year."},
               {"speaker": "Vladimir Tarko", "role": "Mayor of Southport",
                "text": "The port of Southport handled 2 million tonnes of grain."}]},
    {"id": "talks-2019", "title": "Meeting with university rectors", "date": "2019-03-05",
     "turns": [{"speaker": "Olga Lind", "role": "Minister of Science",
                "text": "In 2019 universities received 4 million pounds for new laboratories."}]},
]


@pytest.fixture(scope="module")
def assistant(docs_dir: Path) -> Assistant:
    s = settings_for(docs_dir / "store")
    a = Assistant.open(corpus=[docs_dir / "corpus"], store=s.paths.store, settings=s)
    a.index()
    return a


def test_a_given_name_spelled_a_little_differently_is_the_persons(assistant: Assistant) -> None:
    qa = analyse("What did Yves-François Blanchet say about pensions?", assistant.loaded)
    assert qa.speakers == ["Yves-Franois Blanchet"]
    assert qa.silent == [] and not any("yves" in " ".join(forms) for forms in qa.names)
    # Another given name is another person.
    assert analyse("What did Pierre Blanchet say about pensions?", assistant.loaded).speakers == []


def test_a_given_name_in_another_transliteration_is_the_persons(assistant: Assistant) -> None:
    # "Sergey" and "Sergei" are one Russian name (lexicon/transliteration_variants.txt): the question's full name
    # is the speaker's, not a person who never speaks here.
    qa = analyse("What did Sergey Korov say about freight?", assistant.loaded)
    assert qa.speakers == ["Sergei Korov"] and qa.silent == []
    assert analyse("What did Stepan Korov say about freight?", assistant.loaded).speakers == []
    # The Ukrainian spelling of a given name (lexicon/given_name_variants.txt): "Volodymyr" is "Vladimir".
    assert analyse("What did Volodymyr Tarko say about grain?", assistant.loaded).speakers == ["Vladimir Tarko"]


def test_an_owner_before_a_name_is_not_part_of_it(assistant: Assistant) -> None:
    qa = analyse("What did HEFCW's Bethan Owen say about capital funding?", assistant.loaded)
    assert qa.speakers == ["Bethan Owen"] and qa.silent == []


def test_a_name_in_what_the_speaker_said_is_no_silent_speaker(assistant: Assistant) -> None:
    qa = analyse("By how much did Yves-François Blanchet say the Bloc Québécois wanted the pension raised?", assistant.loaded)
    assert qa.speakers == ["Yves-Franois Blanchet"] and qa.silent == []
    # Asked about as the one who spoke, a name nobody here speaks under still is one.
    assert analyse("What did the Bloc Québécois say about pensions?", assistant.loaded).silent == ["bloc quebecois"]


def test_the_year_of_a_question_does_not_rule_out_a_meeting_that_gives_no_date(assistant: Assistant) -> None:
    ans = assistant.ask("How much capital funding did Bethan Owen say the funding council had in 2020?")
    assert not ans.answer.startswith(ABSTAIN_PREFIX)
    assert "10 million" in ans.answer and ans.citations[0].turn_id == "committee#2"
    # A dated meeting of another year is still no answer about that year.
    ans = assistant.ask("How much did Olga Lind say universities received for laboratories in 2017?")
    assert "4 million" not in ans.answer


def test_whose_event_it_was_is_no_topic_of_the_question(assistant: Assistant) -> None:
    # "At Olga Lind's meeting…" names the event by its host: her turns get no weight, and no word of hers must be matched.
    qa = analyse("At Olga Lind's meeting with rectors in March 2019, how much did universities receive?", assistant.loaded)
    assert qa.mention_spans == ["olga lind's"] and qa.mentioned == [] and qa.speakers == []
    assert not any("lind" in " ".join(forms) for forms in qa.names)
    # A capitalised word after the possessive is what she owns, not more of her name.
    qa = analyse("At Olga Lind's March 2019 meeting, how much did universities receive?", assistant.loaded)
    assert qa.mention_spans == ["olga lind's"] and qa.mentioned == []
    # Someone of hers is still about her.
    assert analyse("What did Olga Lind's deputy say about laboratories?", assistant.loaded).mentioned == ["Olga Lind"]
    assert analyse("What had Olga Lind's deputy told the rectors?", assistant.loaded).mentioned == ["Olga Lind"]


def test_a_body_named_behind_a_modifier_qualifies_the_office_and_is_no_speaker(assistant: Assistant) -> None:
    # "the head of the revived Harbour Trust": the office's qualifier is the body, modifier or not, and the body
    # (after "of") is not a person who never speaks.
    qa = analyse("How many visitors did the head of the revived Harbour Trust say it had reached?", assistant.loaded)
    assert qa.speakers == ["Tom Field"] and qa.silent == []
    # Without the modifier, as before; and the body asked about as the one who spoke is still silent.
    assert analyse("What did the head of the Harbour Trust say about visitors?", assistant.loaded).speakers == ["Tom Field"]
    assert analyse("What did the Harbour Trust say about visitors?", assistant.loaded).silent == ["harbour trust"]
