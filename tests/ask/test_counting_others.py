"""A number that counts another thing than a how-many question counts does not answer it (made-up sentences)."""

from __future__ import annotations

import pytest

from assistant.ask.answer_types import NUMBER, counted_noun, counting_others, counts_only, states, what_it_counts


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("How many helicopters a year could the plants manufacture?", "helicopters"),
        ("How many Su-57 fighter jets will the air force receive?", "jets"),
        ("How many crews lined up at the start?", "crews"),
        ("How many new schools were built?", "schools"),
        # No plural noun within three words, before a stop word: nothing to check against.
        ("How many people live in the area?", None),
        ("How many Russian servicemen were killed?", None),
        ("How many of them came?", None),
        ("What did the minister say about helicopters?", None),
    ],
)
def test_counted_noun(question: str, noun: str | None) -> None:
    assert counted_noun(question) == noun


def test_what_a_number_counts_is_the_last_word_before_a_stop_word_or_a_mark() -> None:
    text = "Rostec has implemented 72 equipment modernisation projects– primarily aircraft."
    assert what_it_counts(text, text.index("72") + 2) == "projects"
    text = "Over 4,000 of them were neutralised."
    assert what_it_counts(text, text.index("4,000") + 5) is None
    text = "About 360,000."
    assert what_it_counts(text, len("About 360,000")) is None
    # The first plural after the number: a compound's first words are singular, a time after it is no head.
    text = "Our plants carried out 35 modernisation projects last year."
    assert what_it_counts(text, text.index("35") + 2) == "projects"
    # None among the next four words: what it counts is not known.
    text = "We have 12 very large new modern regional hospitals."
    assert what_it_counts(text, text.index("12") + 2) is None


HELICOPTERS = "How many helicopters a year could Rostec's plants manufacture?"


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Rostec has implemented 72 equipment modernisation projects.", False),
        ("The plants produced 2 million tests and 22 preparations.", False),
        ("The plants can make 40 helicopters a year.", True),
        ("The plants can make 40 helicopters and another 160 planes.", True),
        # What the number counts is not said: it may be the count asked for.
        ("About 360,000.", True),
        ("Over 4,000 of them were delivered.", True),
        # A noun that counts anything, or one the question names ("plants"), may count what is asked.
        ("Some 300 units leave the line every year.", True),
        ("The holding has 12 plants.", True),
    ],
)
def test_a_number_counting_another_thing_states_no_count(text: str, stated: bool) -> None:
    assert states(text, NUMBER, HELICOPTERS) is stated
    # Without the question, any amount is a number.
    assert states(text, NUMBER) is True


def test_counting_others_leaves_questions_without_a_counted_noun_alone() -> None:
    text = "Rostec has implemented 72 equipment modernisation projects."
    assert counting_others(text, "How many people work there?") == text
    assert "72" not in counting_others(text, HELICOPTERS)


PLANT = [{"id": "plant", "title": "Meeting with the head of Northern Tractor Works", "date": "2021-04-12",
          "turns": [{"speaker": "Erik Dahl", "role": "Director of Northern Tractor Works",
                     "text": "Our plants that build tractors carried out 35 modernisation projects last year. "
                             "The order book is full until spring."},
                    {"speaker": "Erik Dahl", "role": "Director of Northern Tractor Works",
                     "text": "The works employ 4,000 people in three towns."}]}]


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory):
    from assistant.api import Assistant
    from conftest import settings_for, write_docs

    tmp = tmp_path_factory.mktemp("counting")
    s = settings_for(tmp / "store")
    s.answer.reader = False  # the hand-set rules alone
    a = Assistant.open(corpus=[write_docs(tmp / "corpus", PLANT)], store=s.paths.store, settings=s)
    a.index()
    return a


def test_a_count_of_another_thing_does_not_answer_how_many(plant) -> None:
    # "35 modernisation projects" repeats "plants", "build" and "tractors", but counts projects.
    ans = plant.ask("How many tractors a year do the plants build?")
    assert ans.abstained
    assert any("state no" in n for n in ans.notes)
    # The same sentence does answer a question about the projects.
    ans = plant.ask("How many modernisation projects did the tractor plants carry out?")
    assert not ans.abstained and "35 modernisation projects" in ans.citations[0].quote


def test_counts_only_blanks_multiples_and_spans_of_time_unless_asked_to_keep_spans() -> None:
    text = "In the first eight months trade grew 1.8 times, to 24 billion dollars."
    assert "1.8" not in counts_only(text) and "eight" not in counts_only(text)
    # For the words beside a number, a span stays: "for the first eight" may be the question's own words.
    kept = counts_only(text, spans=False)
    assert "1.8" not in kept and "eight" in kept and "24 billion" in kept
