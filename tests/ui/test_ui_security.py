"""The chat UI under hostile use (issue 12): nothing about the corpus before login, no public bind without a
password, no remote fetches from user or corpus text, bounded HTML for huge turns, errors that stay in the chat."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from fake_assistant import FakeAssistant

from assistant.ui import app as ui
from assistant.ui.render import render_answer, render_question

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(assistant: object, password: str | None = None) -> Iterator[str]:
    """The app launched as ``assistant serve`` launches it, on a free loopback port."""
    app = ui.build_app(assistant, private=bool(password))
    port = free_port()
    ui.launch(app, host="127.0.0.1", port=port, password=password, block=False)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        app.close()


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")


def test_password_protected_ui_names_nobody_before_login() -> None:
    fake = FakeAssistant()
    facts = fake.facts()
    secrets = [p["name"] for p in facts["people"]] + [d["doc_id"] for d in facts["documents"]]
    with served(fake, password="s3cret") as url:
        for path in ["/", "/config", "/gradio_api/info", "/info"]:
            _, _, body = get(url + path)
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"GET {path} shows {leaked} before login"
    # Without a password the same page does show the corpus (the test above is not vacuous).
    with served(fake) as url:
        _, _, body = get(url + "/config")
        assert any(s in body for s in secrets)


def test_every_response_carries_a_self_only_content_security_policy() -> None:
    with served(FakeAssistant()) as url:
        _, headers, _ = get(url + "/")
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "img-src 'self' data: blob:" in csp
    assert "http:" not in csp and "https:" not in csp and "*" not in csp


def test_markdown_image_in_a_question_is_shown_as_text() -> None:
    q = "![x](http://127.0.0.1:9/q.png) <img src=http://127.0.0.1:9/a.png> [link](javascript:alert(1))"
    html = render_question(q)
    assert "<img" not in html and "![" not in html and "](" not in html
    assert html.startswith('<div class="ta-question">') and "\n" not in html


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        _Counter.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.browser
def test_markdown_image_in_a_question_fetches_nothing() -> None:
    """Ask with an image URL on a loopback port this test listens on: no request arrives there."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("chromium missing")
    from playwright.sync_api import sync_playwright

    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    bait = f"http://127.0.0.1:{listener.server_address[1]}"
    _Counter.hits.clear()
    try:
        with served(FakeAssistant()) as url, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(url + "/")
            box = page.locator("#ta-question textarea")
            box.fill(f"What did Putin say? ![x]({bait}/q.png) <img src='{bait}/raw.png'>")
            box.press("Enter")
            page.wait_for_selector("#ta-chat .ta-answer:has(.ta-footer), #ta-chat .ta-error", timeout=60_000)
            page.wait_for_timeout(1000)
            assert "![x]" in page.inner_text("#ta-chat")  # shown as typed
            browser.close()
    finally:
        listener.shutdown()
    assert _Counter.hits == []


def test_a_failure_while_fetching_neighbours_stays_in_the_chat() -> None:
    class Flaky(FakeAssistant):
        def neighbours(self, turn_id: str, before: int = 1, after: int = 1) -> list:
            raise RuntimeError("store changed under us")

    steps = list(ui._respond(Flaky(), "What did Putin say about video surveillance?", [], [], {}))
    messages, hist, box = steps[-1]
    assert "ta-error" in messages[-1]["content"] and hist == []


def test_a_10mb_turn_sends_a_window_not_the_turn() -> None:
    fake = FakeAssistant()
    ans = fake.ask("What did Putin say about video surveillance?")
    assert ans.citations
    huge = "Words of a very long turn. " * 400_000  # ~10 MB
    c = ans.citations[0]
    big = replace(c, text=huge[: len(huge) // 2] + c.quote + " " + huge[len(huge) // 2:])
    turn = fake.turn(c.turn_id)
    contexts = {c.turn_id: [replace(turn, text=big.text)]}
    html = render_answer(replace(ans, citations=[big], answer=ans.answer + huge), 1, contexts)
    assert len(html) < 60_000
    assert c.quote.split()[0] in html


def test_public_host_without_password_is_refused(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_RAISE", "ASSISTANT_UI_PASSWORD")}
    run = subprocess.run([str(ROOT / ".venv/bin/assistant"), "serve", "--host", "0.0.0.0", "--no-index", "--store", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert run.returncode == 2
    (line,) = run.stderr.strip().splitlines()
    assert "--allow-public" in line and "password" in line


def test_loopback_hosts_need_no_password() -> None:
    from assistant.cli import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
