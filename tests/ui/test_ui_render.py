"""The chat's HTML and its event handler, without a browser.

Turn texts and ids are the seeds' (Pamfilova's turn 004_33c056b68e5d4ba7.2#8, CEC meeting, Sochi, 2022-08-19).
"""

from __future__ import annotations

import re
import threading
import time

import pytest
from fake_assistant import FakeAssistant, failing

from assistant.errors import AssistantError, BackendError, EmptyQuestionError, NoIndexError, UnknownSpeakerError
from assistant.types import ABSTAIN_PREFIX, Answer, Citation, TurnRecord
from assistant.ui import app as ui
from assistant.ui.render import (
    cite_anchor,
    excerpt,
    fmt_date,
    highlight,
    quote_spans,
    render_answer,
    render_card,
    render_error,
    render_facts,
)

PAMFILOVA_8 = (
    "In fact, there are 29 parties that have the right to do this. Of these, 24 parties have nominated their "
    "candidates, 22 parties have registered candidates. I would like to note that this campaign has been special. "
    "During my tenure, I cannot recall any other elections that went so smoothly at the current stage. And not only "
    "smoothly, but in a very proper and responsible manner, and this is worth a lot. And yet, the current elections "
    "are not a swamp of some sort. We have a fairly high level of competition: there are five candidates in the "
    "regions that elect their governors, and an average of six candidates in the regions that elect deputies to "
    "legislative assemblies."
)
QUOTE = "Of these, 24 parties have nominated their candidates, 22 parties have registered candidates."
TITLE = "Meeting with Central Election Commission Chairperson Ella Pamfilova"


def turn(n: int, speaker: str, text: str, role: str = "") -> TurnRecord:
    return TurnRecord(
        turn_id=f"004_33c056b68e5d4ba7.2#{n}", doc_id="004_33c056b68e5d4ba7.2", n=n, speaker=speaker, role=role,
        label=speaker, kind="speech", text=text, title=TITLE, date="2022-08-19", time="20:00", place="Sochi",
        source="/work/main/seeds/004_33c056b68e5d4ba7.txt", start=0, end=len(text),
    )


T7 = turn(7, "Vladimir Putin", "We have 22 parties that have already registered their candidates, right?", "President of Russia")
T8 = turn(8, "Ella Pamfilova", PAMFILOVA_8, "Chairperson of the Central Election Commission")
T9 = turn(9, "Vladimir Putin", "About 4,700 campaigns and referendums are expected?", "President of Russia")


def citation(marker: int = 1, t: TurnRecord = T8, quote: str = QUOTE) -> Citation:
    return Citation.from_turn(marker, t, quote)


def answer(**kw) -> Answer:
    base = {
        "question": "How many parties have registered candidates?",
        "search_question": "How many parties have registered candidates?",
        "answer": f"Ella Pamfilova said [1]: “{QUOTE}”", "abstained": False, "backend": "extractive",
        "citations": [citation()], "timings_ms": {"total": 80.0},
    }
    return Answer(**{**base, **kw})


# --- quotes inside turns ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, quote, found",
    [
        pytest.param("a b  c\nd e", "b c d", ["b  c\nd"], id="whitespace-differs"),
        pytest.param("Of THESE, 24", "of these, 24", ["Of THESE, 24"], id="case-fallback"),
        pytest.param("nothing here", "absent quote", [], id="absent"),
        pytest.param("text", "   ", [], id="empty-quote"),
        pytest.param("US$4 (about) [1]", "US$4 (about) [1]", ["US$4 (about) [1]"], id="regex-characters"),
        # Seen from the extractive answerer: two sentences of Tokayev's turn that are apart, joined.
        pytest.param("In 2013, a treaty. So, a foundation. Our trade reached US$24.5 billion.",
                     "In 2013, a treaty. Our trade reached US$24.5 billion.",
                     ["In 2013, a treaty.", "Our trade reached US$24.5 billion."], id="sentences-apart"),
        pytest.param("A b; c d. E f.", "A b; c d.", ["A b; c d."], id="split-at-semicolon-still-whole"),
        pytest.param("One. Two. Three. Four.", "Two. Four.", ["Two.", "Four."], id="apart-stay-apart"),
        pytest.param("One. Two. Three. Four.", "Four. Two. Three.", ["Two. Three. Four."], id="adjacent-merged"),
        # The answerer marks sentences that are apart with "…"; a "…" elsewhere in the turn is not highlighted.
        pytest.param("One. Wait… Two. Three. Four.", "Two. … Four.", ["Two.", "Four."], id="ellipsis-between-apart"),
    ],
)
def test_quote_spans(text: str, quote: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in quote_spans(text, quote)] == found


def test_highlight_marks_the_quote_and_escapes_the_rest() -> None:
    html = highlight("Before <b>bold</b> & “quoted part”.\nAfter", "quoted part")
    assert '<mark class="ta-mark">quoted part</mark>' in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in html
    assert html.endswith("<br>After")


def test_highlight_across_a_line_break_keeps_the_break() -> None:
    assert highlight("one two\nthree", "two three") == 'one <mark class="ta-mark">two<br>three</mark>'


def test_excerpt_cuts_a_long_turn_at_sentences_around_the_quote() -> None:
    html = excerpt(PAMFILOVA_8, QUOTE)
    assert f'<mark class="ta-mark">{QUOTE}</mark>' in html
    assert html.startswith("In fact, there are 29 parties")  # the sentence before fits
    assert html.endswith(" …") and "legislative assemblies" not in html


def test_excerpt_marks_each_sentence_of_a_quote_joined_from_apart() -> None:
    quote = "In fact, there are 29 parties that have the right to do this. I would like to note that this campaign has been special."
    html = excerpt(PAMFILOVA_8, quote)
    assert html.count("<mark") == 2 and f"</mark> {QUOTE} <mark" in html


def test_excerpt_of_a_short_turn_is_the_whole_turn() -> None:
    assert excerpt(T7.text, "right?") == 'We have 22 parties that have already registered their candidates, <mark class="ta-mark">right?</mark>'


def test_excerpt_without_the_quote_shows_the_start() -> None:
    html = excerpt(PAMFILOVA_8, "a sentence nobody said", width=100)
    assert "<mark" not in html and html.startswith("In fact") and html.endswith(" …")


@pytest.mark.parametrize("iso, shown", [("2022-08-19", "19 August 2022"), ("2022", "2022"), ("", ""), (None, "")])
def test_fmt_date(iso: str | None, shown: str) -> None:
    assert fmt_date(iso) == shown


# --- answers and cards -----------------------------------------------------------------


def test_answer_markers_link_to_their_cards() -> None:
    html = render_answer(answer(answer="Pamfilova said so [1]. Nothing backs [3]."), answer_no=2)
    assert '<a class="ta-ref" href="#cite-2-1"' in html
    assert 'id="cite-2-1"' in html
    assert "[3]" in html and 'href="#cite-2-3"' not in html  # a marker that points nowhere is not a link


def test_card_shows_who_what_when_where_and_the_turn_id() -> None:
    html = render_card(citation(), cite_anchor(1, 1), [T7, T8, T9])
    for expected in ("Ella Pamfilova", "Chairperson of the Central Election Commission", TITLE, "19 August 2022",
                     "Sochi", "004_33c056b68e5d4ba7.2#8", f'<mark class="ta-mark">{QUOTE}</mark>'):
        assert expected in html
    context = html[html.index("<details"):]
    assert context.index("004_33c056b68e5d4ba7.2#7") < context.index("004_33c056b68e5d4ba7.2#8") < context.index(
        "004_33c056b68e5d4ba7.2#9")
    assert "legislative assemblies" in context  # the whole turn is in the context view


def test_card_has_no_context_control_without_neighbours() -> None:
    """... unless the card shows only part of the turn: then "Whole turn" opens the rest (issue 12, item 16)."""
    short = citation(t=T7, quote="right?")
    assert "<details" not in render_card(short, "cite-1-1", [T7])
    assert "<details" not in render_card(citation(), "cite-1-1", None)
    html = render_card(citation(), "cite-1-1", [T8])  # the quote window leaves out the rest of turn 8
    assert "<summary>Whole turn</summary>" in html and "legislative assemblies" in html[html.index("<details"):]


def test_quoted_in_report_is_attributed() -> None:
    t = turn(13, "Vladimir Putin", "CCTV cameras here are installed at most polling stations.", "President of Russia")
    t.kind, t.quoted_in = "quote", "Realnoe Vremya"
    html = render_card(Citation.from_turn(1, t, "CCTV cameras"), "cite-1-1")
    assert "Vladimir Putin (quoted in Realnoe Vremya)" in html and "quoted in a report" in html


def test_all_corpus_and_user_text_is_escaped() -> None:
    evil = '<img src=x onerror="alert(1)">'
    t = turn(1, evil, f"Text {evil} here.", evil)
    t.title = t.place = evil
    a = answer(question=evil, search_question=evil + " rewritten", answer=f"{evil} [1]",
               citations=[Citation.from_turn(1, t, "here.")], notes=[evil], filters={"speaker": evil})
    html = render_answer(a, 1, {t.turn_id: [t, T9]})
    assert "<img" not in html and "onerror=\"" not in html
    assert "&lt;img" in html


def test_rendered_html_has_no_line_breaks() -> None:
    # A blank line would end Markdown's HTML block and let Markdown rewrite the rest of the message.
    t = turn(2, "Ella Pamfilova", "First paragraph.\n\nSecond paragraph with the quote.\nThird.")
    a = answer(answer="Line one.\n\nLine two [1].", citations=[Citation.from_turn(1, t, "the quote.")])
    assert "\n" not in render_answer(a, 1, {t.turn_id: [T7, t, T9]})


def test_follow_up_shows_the_rewritten_question() -> None:
    a = answer(question="What did she say about video surveillance?",
               search_question="What did Pamfilova say about video surveillance?")
    assert "Searched for: “What did Pamfilova say about video surveillance?”" in render_answer(a, 2)
    same = answer(search_question="How many  parties have registered candidates? ")
    assert "Searched for" not in render_answer(same, 1)


def test_abstention_is_labelled_and_related_turns_are_not_support() -> None:
    a = answer(answer=f"{ABSTAIN_PREFIX} this: nothing answers it.", abstained=True, citations=[],
               related=[citation(1, T7, T7.text), citation(2, T9, T9.text)])
    html = render_answer(a, 3)
    assert "No answer in the transcripts" in html and ABSTAIN_PREFIX.replace("'", "&#x27;") in html
    assert "Sources" not in html and 'id="cite-3-' not in html
    assert 'id="related-3-1"' in html and 'id="related-3-2"' in html
    assert '<details class="ta-related-list"><summary>Show the 2 closest turns found' in html
    assert "related, not an answer" in html
    assert 'class="ta-mark"' not in html and 'class="ta-mark-weak"' in html


@pytest.mark.parametrize(
    "filters, shown",
    [
        pytest.param({"speaker": "Ella Pamfilova", "date_from": "2022-08-01"},
                     "Filtered by speaker <b>Ella Pamfilova</b> · from <b>1 August 2022</b>", id="as-asked"),
        pytest.param({"speaker": ["Ella Pamfilova", "Vladimir Putin"]},
                     "Filtered by speaker <b>Ella Pamfilova, Vladimir Putin</b>", id="resolved-list"),
        pytest.param({"document": "004_33c056b68e5d4ba7.2", "date_to": "2022-12-31"},
                     f"Filtered by document <b>{TITLE}</b> · to <b>31 December 2022</b>", id="document-title"),
    ],
)
def test_filters_are_shown_under_the_answer(filters: dict, shown: str) -> None:
    html = render_answer(answer(filters=filters), 1, titles={"004_33c056b68e5d4ba7.2": TITLE})
    assert shown in html


# --- errors and the side panel ----------------------------------------------------------


@pytest.mark.parametrize(
    "exc, title, text",
    [
        pytest.param(EmptyQuestionError("empty question"), "Please type a question", "suggested questions", id="empty"),
        pytest.param(NoIndexError("no index in vectorstore/"), "not indexed", "No index in vectorstore/. Build the index with <code>assistant index</code>", id="no-index-hint"),
        pytest.param(NoIndexError("no index: run `assistant index` to build it"), "not indexed", "run <code>assistant index</code>", id="no-index-own"),
        pytest.param(UnknownSpeakerError("nobody called Smith"), "Unknown speaker", "Nobody called Smith", id="speaker"),
        pytest.param(BackendError("ollama did not respond"), "backend failed", "Ollama did not respond", id="backend"),
        pytest.param(RuntimeError("boom <b>"), "Something went wrong", "RuntimeError: boom &lt;b&gt;", id="unexpected"),
    ],
)
def test_render_error(exc: Exception, title: str, text: str) -> None:
    html = render_error(exc)
    assert 'class="ta-answer ta-error"' in html and title in html and text in html
    assert html.count("assistant index") <= 1


def test_render_facts() -> None:
    facts = FakeAssistant().facts()
    html = render_facts(facts)
    assert "3 documents" in html and "4 people" in html
    assert "Meeting with Central Election Commission Chairperson Ella Pamfilova" in html
    assert re.search(r"Ella Pamfilova</span><span class=\"ta-muted\">Chairperson of the Central Election Commission · 9 turns", html)
    assert "assistant index" in render_facts({})


def test_side_panel_reads_the_corpus_again_on_each_page_load() -> None:
    helper = FakeAssistant()
    html, people, documents = ui._side_panel(helper)
    assert "3 documents" in html
    assert ("Ella Pamfilova", "Ella Pamfilova") in people["choices"] and documents["choices"][0] == ("All documents", "")
    helper.facts = lambda: {"documents": [], "people": []}  # type: ignore[method-assign]  # re-indexed: empty now
    html, people, _ = ui._side_panel(helper)
    assert "3 documents" not in html and people["choices"] == [("Anyone", "")]


# --- the chat handler -----------------------------------------------------------------


def run(helper, q: str, messages=None, hist=None, **filters) -> list[tuple]:
    return list(ui._respond(helper, q, messages or [], hist or [], filters))


def test_respond_streams_then_shows_the_cards() -> None:
    updates = run(FakeAssistant(), "How many parties have registered candidates, according to Pamfilova?")
    first, *middle, last = [u[0][-1]["content"] for u in updates]
    assert "ta-pending" in first
    assert middle and all("ta-caret" in m for m in middle)
    assert 'id="cite-1-1"' in last and "22 parties have registered candidates" in last
    messages, hist, box = updates[-1]
    assert [m["role"] for m in messages] == ["user", "assistant"] and box == ""
    assert hist[0] == {"role": "user", "content": "How many parties have registered candidates, according to Pamfilova?"}
    assert hist[1]["role"] == "assistant" and "[1]" in hist[1]["content"] and "<" not in hist[1]["content"]


def test_follow_up_uses_the_session_history() -> None:
    fake = FakeAssistant()
    messages, hist, _ = run(fake, "How many parties have registered candidates, according to Pamfilova?")[-1]
    messages, hist, _ = run(fake, "What did she say about video surveillance?", messages, hist)[-1]
    last = messages[-1]["content"]
    assert "Searched for: “What did Ella Pamfilova say about video surveillance?”" in last
    assert 'id="cite-2-1"' in last and len(hist) == 4


@pytest.mark.parametrize(
    "fake, q, filters, expected",
    [
        pytest.param(FakeAssistant(), "  ", {}, "Please type a question", id="empty"),
        pytest.param(failing("no_index"), "Who spoke?", {}, "assistant index", id="no-index"),
        pytest.param(failing("backend"), "Who spoke?", {}, "backend failed", id="backend"),
        pytest.param(FakeAssistant(), "Who spoke?", {"speaker": "Nobody"}, "Unknown speaker", id="unknown-speaker"),
        pytest.param(FakeAssistant(), "Who spoke?", {"date_from": "19/08/2022"}, "2022-08-19", id="bad-date"),
    ],
)
def test_errors_become_chat_messages_and_the_chat_goes_on(fake: FakeAssistant, q: str, filters: dict, expected: str) -> None:
    before = [{"role": "user", "content": "earlier"}, {"role": "assistant", "content": "answer"}]
    messages, hist, box = run(fake, q, list(before), list(before), **filters)[-1]
    assert expected in messages[-1]["content"] and "ta-error" in messages[-1]["content"]
    assert hist == before  # a failed exchange leaves the history alone
    assert box == q  # the question comes back to be fixed
    if q.strip():
        assert messages[-2]["role"] == "user"
    else:
        assert messages[:-1] == before  # no empty bubble for an empty question


def test_unexpected_exception_is_shown_not_raised() -> None:
    class Broken(FakeAssistant):
        def ask(self, *a, **k):
            raise KeyError("turns")

    messages, _, _ = run(Broken(), "Who spoke?")[-1]
    assert "Something went wrong" in messages[-1]["content"]


def test_filters_reach_ask() -> None:
    seen = {}

    class Spy(FakeAssistant):
        def ask(self, question, history=None, filters=None):
            seen.update(filters or {})
            return super().ask(question, history, filters)

    run(Spy(), "What did Putin say about trade?", speaker="Vladimir Putin", document="", date_from=" 2022-08-01 ", date_to="")
    assert seen == {"speaker": "Vladimir Putin", "date_from": "2022-08-01"}


def test_concurrent_sessions_keep_their_own_history() -> None:
    class Slow(FakeAssistant):
        def ask(self, question, history=None, filters=None):
            time.sleep(0.05)
            return super().ask(question, history, filters)

    shared = Slow()
    questions = {
        "a": "How many parties have registered candidates, according to Pamfilova?",
        "b": "What did Tokayev say about trade between Kazakhstan and Russia?",
    }
    results: dict[str, tuple] = {}
    threads = [threading.Thread(target=lambda k=k: results.__setitem__(k, run(shared, questions[k])[-1])) for k in questions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert "Ella Pamfilova" in results["a"][0][-1]["content"] and "Tokayev" not in results["a"][1][1]["content"]
    assert "Kassym-Jomart Tokayev" in results["b"][1][1]["content"]
    assert results["a"][1][0]["content"] == questions["a"] and results["b"][1][0]["content"] == questions["b"]


# --- the app ---------------------------------------------------------------------------


def test_build_app_reads_the_corpus_overview() -> None:
    app = ui.build_app(FakeAssistant())
    config = app.get_config_file()
    html = next(c["props"]["value"] for c in config["components"] if c["props"].get("elem_id") == "ta-facts")
    assert "Ella Pamfilova" in html
    labels = [c["props"].get("value") for c in config["components"] if c["type"] == "button"]
    assert "How many parties have registered candidates, according to Pamfilova?" in labels


def test_build_app_without_an_index_says_how_to_build_one() -> None:
    config = ui.build_app(failing("no_index")).get_config_file()
    chat = next(c for c in config["components"] if c["props"].get("elem_id") == "ta-chat")
    assert "assistant index" in str(chat["props"]["value"])


def test_filters_reject_a_malformed_date() -> None:
    with pytest.raises(AssistantError, match="2022-08-19"):
        ui._filters({"date_to": "August 2022"})
