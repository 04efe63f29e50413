"""The chat as a person uses it: Debian's Chromium, headless, against the app served on loopback.

Requests to anywhere but the loopback server are blocked and recorded (the network is "off"),
and every test fails if the page tried to make one. Screenshots of the checked states go to
``tests/artifacts/``. Chromium comes from ``scripts/install_browser.sh``; without it these tests
are skipped, except under ``CI=true`` where that is a failure.
"""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.api import Assistant
from assistant.errors import BackendError
from assistant.ui.app import build_app, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:::gradio.queueing"),  # gradio's own pandas deprecations
]

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
    "--no-first-run", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1366, "height": 900}
PAMFILOVA_Q = "How many parties have registered candidates, according to Pamfilova?"
PAMFILOVA_QUOTE = "22 parties have registered candidates"
PAMFILOVA_TURN = "004_33c056b68e5d4ba7.2#8"
TOKAYEV_Q = "What did Tokayev say about trade between Kazakhstan and Russia?"
# A bot message is finished when it shows an answer's footer or an error.
FINISHED = "#ta-chat .ta-answer:has(.ta-footer), #ta-chat .ta-error"


SCROLL_CHAT_TO_BOTTOM = """() => {
  for (const el of document.querySelectorAll('#ta-chat *')) {
    if (el.scrollHeight > el.clientHeight + 10 && getComputedStyle(el).overflowY !== 'visible') el.scrollTop = el.scrollHeight;
  }
}"""


WATCH_FOR_STREAMING = """() => {
  window.taSawPartialAnswer = false;
  new MutationObserver(() => {
    if (document.querySelector('#ta-chat .ta-caret')) window.taSawPartialAnswer = true;
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(assistant: Any, password: str | None = None) -> Iterator[str]:
    """The app over ``assistant``, launched as ``assistant serve`` does, on a free loopback port."""
    app = build_app(assistant)
    port = free_port()
    launch(app, host="127.0.0.1", port=port, password=password, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: run `bash scripts/install_browser.sh`"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seed_assistant(seed_store: Path) -> Assistant:
    """One Assistant over the seed index, shared by every session of the server, as in production."""
    return Assistant.open(corpus=[SEEDS], store=seed_store)


@pytest.fixture(scope="module")
def url(seed_assistant: Assistant) -> Iterator[str]:
    with served(seed_assistant) as u:
        yield u


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[str], Any]]:
    """Open a fresh browser session on a URL; afterwards, check it never reached past loopback."""
    contexts, outside = [], []

    def block_outside(route: Any) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def opener(address: str, wait_for_chat: bool = True) -> Any:
        ctx = browser.new_context(viewport=VIEWPORT)
        ctx.route("**/*", block_outside)
        contexts.append(ctx)
        page = ctx.new_page()
        page.on("request", lambda r: None if urlsplit(r.url).hostname in LOOPBACK or r.url.startswith(("data:", "blob:"))
                else outside.append(r.url))
        page.goto(address)
        if wait_for_chat:
            page.wait_for_selector("#ta-question textarea", timeout=30_000)
        return page

    yield opener
    for ctx in contexts:
        ctx.close()
    assert not outside, f"the page reached past loopback: {sorted(set(outside))}"


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ask(page: Any, question: str) -> Any:
    """Type a question, press Enter, wait for the answer (or error) to finish; return that message."""
    before = page.locator(FINISHED).count()
    box = page.locator("#ta-question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n", arg=[FINISHED, before], timeout=60_000
    )
    return page.locator(FINISHED).last


def test_answer_names_the_speaker_and_cites_the_turn(open_page: Callable, url: str) -> None:
    page = open_page(url)
    shot(page, "00-start")
    page.evaluate(WATCH_FOR_STREAMING)
    message = ask(page, PAMFILOVA_Q)
    assert page.evaluate("window.taSawPartialAnswer"), "the answer arrived in one piece, not streamed"
    assert "Pamfilova" in message.locator(".ta-text").inner_text()
    card = message.locator(".ta-card").first
    assert card.locator(".ta-speaker").inner_text() == "Ella Pamfilova"
    assert PAMFILOVA_QUOTE in card.locator(".ta-turn mark").inner_text()
    text = card.inner_text()
    for fact in ("Meeting with Central Election Commission Chairperson Ella Pamfilova", "19 August 2022", "Sochi", PAMFILOVA_TURN):
        assert fact in text
    shot(page, "01-answer-with-card")

    # The [1] marker leads to its card.
    page.evaluate(SCROLL_CHAT_TO_BOTTOM)  # the card starts out of view
    message.locator("a.ta-ref").first.click()
    assert page.url.endswith("#cite-1-1")
    box = card.bounding_box()
    assert box is not None and 0 <= box["y"] < VIEWPORT["height"]
    shot(page, "02-marker-leads-to-card")


def test_follow_up_is_resolved(open_page: Callable, url: str) -> None:
    page = open_page(url)
    ask(page, PAMFILOVA_Q)
    message = ask(page, "What did she say about video surveillance?")
    assert "Pamfilova" in message.locator(".ta-rewrite").inner_text()
    card = message.locator(".ta-card").first
    assert card.locator(".ta-speaker").inner_text() == "Ella Pamfilova"
    assert "video surveillance" in card.locator(".ta-turn mark").inner_text()
    assert card.get_attribute("id") == "cite-2-1"  # the second answer's [1] has its own card
    shot(page, "03-follow-up")


def test_card_shows_the_turns_before_and_after(open_page: Callable, url: str) -> None:
    page = open_page(url)
    card = ask(page, PAMFILOVA_Q).locator(".ta-card").first
    context = card.locator("details.ta-context")
    assert not context.locator(".ta-ctx-turn").first.is_visible()
    context.locator("summary").click()
    turns = context.locator(".ta-ctx-turn")
    assert turns.count() == 3 and turns.nth(0).is_visible()
    assert "We have 22 parties that have already registered their candidates, right?" in turns.nth(0).inner_text()
    assert "Vladimir Putin" in turns.nth(0).inner_text()
    assert PAMFILOVA_QUOTE in turns.nth(1).locator("mark").inner_text()
    assert "About 4,700 campaigns and referendums are expected?" in turns.nth(2).inner_text()
    context.locator("summary").scroll_into_view_if_needed()
    shot(page, "04-neighbouring-turns")


def test_empty_question_is_an_error_and_the_chat_goes_on(open_page: Callable, url: str) -> None:
    page = open_page(url)
    error = ask(page, "")
    assert "Please type a question" in error.inner_text()
    shot(page, "05-empty-question")
    message = ask(page, PAMFILOVA_Q)
    assert PAMFILOVA_QUOTE in message.locator(".ta-card .ta-turn mark").first.inner_text()


def test_abstention_offers_related_turns_separately(open_page: Callable, url: str) -> None:
    page = open_page(url)
    message = ask(page, "What is the weather forecast on Mars next week?")
    assert "No answer in the transcripts" in message.locator(".ta-abstain").text_content()
    assert message.locator(".ta-card:not(.ta-related)").count() == 0
    related = message.locator("details.ta-related-list")
    assert "not an answer" in related.locator("> summary").inner_text()
    assert not related.locator(".ta-related").first.is_visible()  # offered, not pressed on the reader
    shot(page, "06-abstention")
    related.locator("> summary").click()
    assert related.locator(".ta-related").count() >= 1 and related.locator(".ta-related").first.is_visible()
    shot(page, "06b-abstention-related-open")


def test_speaker_filter_applies_to_the_next_question(open_page: Callable, url: str) -> None:
    page = open_page(url)
    page.locator("#ta-filter-speaker input").click()
    page.get_by_role("option", name="Vladimir Putin").click()
    message = ask(page, "How many candidates have been registered?")
    assert "Filtered by speaker Vladimir Putin" in message.locator(".ta-filters").inner_text()
    # The first source is the filtered speaker's (the engine may bring the reply along as context).
    assert message.locator(".ta-card .ta-speaker").first.inner_text() == "Vladimir Putin"
    shot(page, "07-speaker-filter")


def test_new_chat_forgets_the_conversation(open_page: Callable, url: str) -> None:
    page = open_page(url)
    ask(page, PAMFILOVA_Q)
    page.locator("#ta-new-chat").click()
    page.wait_for_function("() => !document.querySelector('#ta-chat .ta-answer')", timeout=10_000)
    message = ask(page, TOKAYEV_Q)
    assert message.locator(".ta-card").first.get_attribute("id") == "cite-1-1"
    assert not message.locator(".ta-rewrite").count()


def test_concurrent_sessions_do_not_mix(open_page: Callable, url: str) -> None:
    a, b = open_page(url), open_page(url)
    before = [p.locator(FINISHED).count() for p in (a, b)]
    for page, q in ((a, PAMFILOVA_Q), (b, TOKAYEV_Q)):
        page.locator("#ta-question textarea").fill(q)
    for page in (a, b):
        page.locator("#ta-question textarea").press("Enter")
    for page, n in zip((a, b), before):
        page.wait_for_function("([s, n]) => document.querySelectorAll(s).length > n", arg=[FINISHED, n], timeout=60_000)
    assert {s.inner_text() for s in a.locator(".ta-card .ta-speaker").all()} == {"Ella Pamfilova"}
    assert "Kassym-Jomart Tokayev" in {s.inner_text() for s in b.locator(".ta-card .ta-speaker").all()}
    assert "Tokayev" not in a.locator("#ta-chat").inner_text()
    # Each session's follow-up leans on its own history.
    assert "Pamfilova" in ask(a, "What did she say about video surveillance?").locator(".ta-rewrite").inner_text()
    shot(b, "08-second-session")


class FailingOnce:
    """The seed assistant with a backend that fails on the first question."""

    def __init__(self, inner: Assistant) -> None:
        self.inner, self.failed = inner, False

    def ask(self, *args: Any, **kwargs: Any) -> Any:
        if not self.failed:
            self.failed = True
            raise BackendError("the ollama server at http://127.0.0.1:11434 did not answer within 60 s")
        return self.inner.ask(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_backend_failure_is_shown_and_the_chat_recovers(open_page: Callable, seed_assistant: Assistant) -> None:
    with served(FailingOnce(seed_assistant)) as address:
        page = open_page(address)
        error = ask(page, PAMFILOVA_Q)
        assert "backend failed" in error.inner_text() and "11434" in error.inner_text()
        assert page.locator("#ta-question textarea").input_value() == PAMFILOVA_Q  # given back to retry
        shot(page, "09-backend-error")
        message = ask(page, PAMFILOVA_Q)
        assert PAMFILOVA_QUOTE in message.locator(".ta-card .ta-turn mark").first.inner_text()


def test_missing_index_names_the_command_that_builds_it(open_page: Callable) -> None:
    with tempfile.TemporaryDirectory() as empty, served(Assistant.open(corpus=[SEEDS], store=empty)) as address:
        page = open_page(address)
        assert "assistant index" in page.locator("#ta-chat .ta-error").first.inner_text()
        assert "assistant index" in page.locator("#ta-facts").inner_text()
        error = ask(page, PAMFILOVA_Q)
        assert "not indexed" in error.inner_text() and "assistant index" in error.inner_text()
        shot(page, "10-no-index")


def test_password_protects_the_chat(open_page: Callable, seed_assistant: Assistant) -> None:
    with served(seed_assistant, password="correct horse") as address:
        page = open_page(address, wait_for_chat=False)
        page.wait_for_selector("input[type=password]", timeout=30_000)
        assert not page.locator("#ta-question").count()
        shot(page, "11-login")
        page.locator("input[type=text]").first.fill("assistant")
        page.locator("input[type=password]").fill("correct horse")
        page.locator("input[type=password]").press("Enter")
        page.wait_for_selector("#ta-question textarea", timeout=30_000)
        assert PAMFILOVA_QUOTE in ask(page, PAMFILOVA_Q).locator(".ta-card .ta-turn mark").first.inner_text()


@pytest.mark.parametrize("password", [None, "correct horse"])
def test_show_more_appends_the_next_part_of_a_huge_turn(open_page: Callable, tmp_path: Path, password: str | None) -> None:
    """Issue 12, item 16: the card shows a window of a huge turn; "Show more" fetches the next part (logged in too)."""
    from fake_assistant import FakeAssistant
    from test_ui_more import QUESTION, long_turn

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "briefing.txt").write_text(
        "Title: Roads briefing\nDate: 2023-01-05\nPlace: Kazan\nAnna Smirnova: What did the bridge cost?\n"
        f"Ivan Petrov: {long_turn(4000)}\nAnna Smirnova: Thank you.\n"
    )
    with served(FakeAssistant([corpus]), password=password) as address:
        page = open_page(address, wait_for_chat=not password)
        if password:
            page.wait_for_selector("input[type=password]", timeout=30_000)
            page.locator("input[type=text]").first.fill("assistant")
            page.locator("input[type=password]").fill(password)
            page.locator("input[type=password]").press("Enter")
            page.wait_for_selector("#ta-question textarea", timeout=30_000)
        context = ask(page, QUESTION).locator(".ta-card").first.locator("details.ta-context")
        context.locator("summary").click()
        here = context.locator(".ta-ctx-here")
        text = here.locator(".ta-ctx-text")
        before = text.inner_text()
        assert before.endswith(" …") and "Sentence 2080 " not in before
        link = here.locator("a.ta-more")
        start = int(parse_qs(link.get_attribute("href").split("?", 1)[1])["from"][0])
        link.click()
        page.wait_for_function(
            "(n) => document.querySelector('#ta-chat .ta-ctx-here .ta-ctx-text').innerText.length > n", arg=len(before),
            timeout=30_000,
        )
        after = text.inner_text()
        assert after.startswith(before[:-2]) and after.count(" …") == 1  # the old cut's '…' is gone, the new one ends it
        assert len(after) > len(before) + 1000 and "Sentence 2080 " in after
        assert int(parse_qs(here.locator("a.ta-more").get_attribute("href").split("?", 1)[1])["from"][0]) > start  # moved on
        here.locator(".ta-shortened").scroll_into_view_if_needed()
        if not password:
            shot(page, "12-show-more")
