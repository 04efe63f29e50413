"""Questions and filters checked before anything is searched (issue 12, items 5 and 6)."""

from __future__ import annotations

import pytest

from assistant.ask.validate import check_filters, check_question, clean_question, foreign_script
from assistant.errors import EmptyQuestionError, FilterError, UnsearchableQuestionError
from assistant.types import ABSTAIN_PREFIX


@pytest.mark.parametrize("question", [
    pytest.param("?!?...,;:", id="punctuation"),
    pytest.param("😀🎉👍", id="emoji"),
    pytest.param("\x00\x00\x00", id="nul-bytes"),
    pytest.param("\x1b[;\x07\x1b[", id="escape-codes"),
])
def test_content_free_question_is_a_one_line_error(question: str) -> None:
    with pytest.raises((UnsearchableQuestionError, EmptyQuestionError)) as err:
        check_question(question)
    assert "\n" not in str(err.value)


def test_control_characters_are_removed_from_a_question() -> None:
    assert clean_question("How many\x00 parties\x1b?") == "How many parties ?"
    assert clean_question("Who spoke\udcff?") == "Who spoke ?"  # invalid bytes from argv (surrogate escapes)


def test_foreign_script_is_named_only_when_the_index_lacks_it() -> None:
    assert foreign_script("Сколько партий выдвинули кандидатов?", {"Latin"}) == "Cyrillic"
    assert foreign_script("有多少政党提名了候选人？", {"Latin"}) == "CJK"
    assert foreign_script("What did Путин say?", {"Latin"}) is None
    assert foreign_script("Сколько партий?", {"Latin", "Cyrillic"}) is None


@pytest.mark.parametrize("filters, field", [
    pytest.param({"date_from": "2022-13-45"}, "--date-from", id="impossible-date"),
    pytest.param({"date_from": "yesterday"}, "--date-from", id="words"),
    pytest.param({"date_to": "2022-02-30"}, "--date-to", id="no-such-day"),
    pytest.param({"date_from": "2023-01-01", "date_to": "2022-01-01"}, "--date-from", id="from-after-to"),
    pytest.param({"document": "nonexistent"}, "--document", id="unknown-document"),
    pytest.param({"colour": "red"}, "colour", id="unknown-filter"),
])
def test_bad_filters_are_errors_naming_the_field(filters: dict, field: str) -> None:
    with pytest.raises(FilterError, match=field) as err:
        check_filters(filters, {"004_33c056b68e5d4ba7.2"})
    assert "\n" not in str(err.value)


def test_good_filters_pass_and_blank_ones_are_dropped() -> None:
    got = check_filters({"date_from": " 2022-08-01 ", "date_to": "", "document": "d1", "speaker": None}, {"d1"})
    assert got == {"date_from": "2022-08-01", "document": "d1"}


def test_assistant_abstains_on_a_question_in_another_script(assistant) -> None:
    ans = assistant.ask("Сколько партий выдвинули кандидатов?")
    assert ans.abstained and ans.citations == [] and ans.answer.startswith(ABSTAIN_PREFIX)
    assert "Cyrillic" in ans.answer and "\n" not in ans.answer
    with pytest.raises(UnsearchableQuestionError):
        assistant.ask("?!?...,;:")
    with pytest.raises(FilterError, match="--date-from"):
        assistant.ask("How many parties?", filters={"date_from": "2022-13-45"})
