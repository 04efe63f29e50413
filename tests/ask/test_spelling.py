"""A question is read in its transcripts' spelling: American or British, whichever more indexed passages use."""

from __future__ import annotations

from assistant.ask.spelling import in_corpus_spelling, other_spelling
from assistant.text.tokens import stem


def _df(**counts: int) -> dict[str, int]:
    return {stem(word): n for word, n in counts.items()}


def test_the_other_spelling_of_a_word() -> None:
    assert other_spelling("Defense") == "defence"
    assert other_spelling("programme") == "program"
    assert other_spelling("modernization") == "modernisation"
    assert other_spelling("organised") == "organized"
    assert other_spelling("size") is None and other_spelling("minister") is None


def test_a_question_takes_the_spelling_the_passages_clearly_use() -> None:
    british = _df(defence=300, defense=2, modernisation=40, centre=90)
    assert (in_corpus_spelling("What did the Russian Defense Minister say about modernization?", british)
            == "What did the Russian Defence Minister say about modernisation?")
    # Meetings that spell American keep an American question as it is, and turn a British one round.
    american = _df(program=50, programme=0, center=12)
    assert in_corpus_spelling("What did they say about the program?", american) == "What did they say about the program?"
    assert in_corpus_spelling("What did they say about the programme centre?", american) == "What did they say about the program center?"
    # A corpus that spells both ways (British committees beside American meetings) keeps the question's own.
    mixed = _df(programme=40, program=50)
    assert in_corpus_spelling("What did the minister say about the programme?", mixed) == "What did the minister say about the programme?"


def test_a_form_the_index_does_not_know_is_left_as_written() -> None:
    # "promise" read by the -ise rule would be "promize": no passage has it.
    assert in_corpus_spelling("Did he promise to realize it?", _df(promise=10, realise=3)) == "Did he promise to realise it?"
    assert in_corpus_spelling("Did he keep his promise?", {}) == "Did he keep his promise?"


def test_dates_are_written_out_as_the_transcripts_write_them() -> None:
    from assistant.ask.spelling import spelled_out_dates
    from assistant.text.dates import event_days

    news = spelled_out_dates("What did Putin say at the meeting on Dec. 7, 2021?")
    assert news == "What did Putin say at the meeting on December 7, 2021?" and event_days(news) == ["2021-12-07"]
    assert spelled_out_dates("What did he say in Sept. 2016?") == "What did he say in September 2016?"
    assert spelled_out_dates("at the meeting on the 7th of December 2021") == "at the meeting on 7 December 2021"
    # An abbreviation with no day or year after it is left alone.
    assert spelled_out_dates("What did the Dec report say?") == "What did the Dec report say?"
    # "PM" the office, written out; not a time.
    assert spelled_out_dates("What did the Russian PM say?") == "What did the Russian Prime Minister say?"
    assert spelled_out_dates("What did he say at 5:30 PM?") == "What did he say at 5:30 PM?"
