"""Issue 12, item 16: a card shows a window of a huge turn, and "Show more" fetches the next part from the
server, through an event of the same (authenticated) Gradio app, never a route of its own."""

from __future__ import annotations

import html as htmllib
import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from fake_assistant import FakeAssistant
from test_ui_security import served

from assistant.ui import app as ui
from assistant.ui.render import CONTEXT_CHARS, MORE_CHARS, render_answer

pytestmark = pytest.mark.filterwarnings("ignore:::gradio.queueing")

QUESTION = "How much did the repairs of the river bridge cost?"
FACT = "The repairs of the river bridge cost 12 million roubles in total."


def long_turn(words: int) -> str:
    """A turn of many numbered sentences, with the fact in the middle and markup that must stay text."""
    half = " ".join(f"Sentence {i} of the report on roads <b>and</b> schools." for i in range(words // 2))
    rest = " ".join(f"Sentence {i} of the report on roads and schools." for i in range(words // 2, words))
    return f"{half} {FACT} {rest} The end of the turn <script>alert(1)</script>."


@pytest.fixture
def fake(tmp_path: Path) -> FakeAssistant:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "briefing.txt").write_text(
        "Title: Roads briefing\nDate: 2023-01-05\nPlace: Kazan\n"
        "Anna Smirnova: What did the bridge cost?\n"
        f"Ivan Petrov: {long_turn(4000)}\n"
        "Anna Smirnova: Thank you.\n"
    )
    return FakeAssistant([corpus])


def plain(fragment: str) -> str:
    """The text a browser shows for an HTML fragment of ours (line breaks, marks and the '…' cut removed)."""
    fragment = re.sub(r'<span class="ta-cut"> …</span>', "", fragment).replace("<br>", "\n")
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def card_for(fake: FakeAssistant) -> tuple[str, str]:
    ans = fake.ask(QUESTION)
    c = ans.citations[0]
    return c.turn_id, render_answer(ans, 1, {c.turn_id: fake.neighbours(c.turn_id)})


def link_request(html: str) -> dict:
    """What ui.js sends for the Show more link in ``html``: the request in the link's fragment."""
    m = re.search(r'<a class="ta-more" href="#ta-more\?([^"]+)"', html)
    assert m, "no Show more link"
    q = parse_qs(htmllib.unescape(m.group(1)))
    return {"id": "ta-more-1", "turn": q["turn"][0], "from": int(q["from"][0]), "len": int(q["len"][0])}


def test_card_of_a_huge_turn_offers_show_more_from_where_its_window_ends(fake: FakeAssistant) -> None:
    turn_id, html = card_for(fake)
    text = fake.turn(turn_id).text.strip()
    assert len(text) > 40 * CONTEXT_CHARS and len(html) < 60_000
    req = link_request(html)
    assert req["turn"] == turn_id and req["len"] == len(text)
    shown = re.search(r'<div class="ta-ctx-turn ta-ctx-here">.*?<div class="ta-ctx-text">(.*?)</div>', html).group(1)
    window = plain(shown)
    assert window.startswith("… ") and FACT in window  # a window around the quote, cut before and after
    assert text[: req["from"]].endswith(window[2:])  # ... that ends where "Show more" starts
    assert f"Show the next {MORE_CHARS:,} of {len(text) - req['from']:,} characters" in html


def test_show_more_returns_the_next_part_and_walks_to_the_end_of_the_turn(fake: FakeAssistant) -> None:
    turn_id, html = card_for(fake)
    text = fake.turn(turn_id).text.strip()
    req = link_request(html)
    first, parts = req["from"], []
    while True:
        reply = json.loads(ui.more_of_turn(fake, json.dumps(req)))
        assert reply["id"] == "ta-more-1" and "error" not in reply
        part = plain(reply["html"])
        assert 0 < len(part) <= MORE_CHARS
        parts.append(part)
        if not reply["more"]:
            assert not reply["html"].endswith('<span class="ta-cut"> …</span>')
            break
        assert reply["html"].endswith('<span class="ta-cut"> …</span>')  # the '…' the next part replaces
        nxt = link_request(reply["more"])
        assert nxt["turn"] == turn_id and nxt["from"] == req["from"] + len(part) and nxt["len"] == len(text)
        req = nxt
    assert "".join(parts) == text[first:]  # every character after the window, once, in order


def test_show_more_escapes_the_turns_text(fake: FakeAssistant) -> None:
    turn_id, html = card_for(fake)
    text = fake.turn(turn_id).text.strip()
    req = {**link_request(html), "from": len(text) - 200}
    reply = json.loads(ui.more_of_turn(fake, json.dumps(req)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply["html"] and "<script" not in reply["html"]
    assert reply["more"] == ""


@pytest.mark.parametrize(("request_text", "message"), [
    ("not json", "Could not read that request"),
    (json.dumps({"id": "k", "turn": "nowhere#1", "from": 0, "len": 10}), "re-indexed since this answer"),
    (json.dumps({"id": "k", "from": 0}), "Could not read that request"),
    (json.dumps([1, 2]), "Could not read that request"),
])
def test_show_more_answers_a_bad_request_with_a_message(fake: FakeAssistant, request_text: str, message: str) -> None:
    reply = json.loads(ui.more_of_turn(fake, request_text))
    assert message in reply["error"] and "html" not in reply


def test_show_more_after_a_reindex_or_past_the_end_says_so(fake: FakeAssistant) -> None:
    _, html = card_for(fake)
    req = link_request(html)
    changed = json.loads(ui.more_of_turn(fake, json.dumps({**req, "len": req["len"] + 1})))
    assert "re-indexed" in changed["error"] and changed["id"] == "ta-more-1"
    past = json.loads(ui.more_of_turn(fake, json.dumps({**req, "from": req["len"]})))
    assert past["error"] == "Nothing more in this turn."

    class Broken(FakeAssistant):
        def turn(self, turn_id: str):
            raise RuntimeError("store changed under us")

    broken = Broken.__new__(Broken)
    broken.__dict__.update(fake.__dict__)
    assert "RuntimeError" in json.loads(ui.more_of_turn(broken, json.dumps(req)))["error"]


def test_show_more_is_an_event_of_the_app_not_a_route(fake: FakeAssistant) -> None:
    """The handler is a private event of the Gradio app (no API endpoint, no route), behind the app's login."""
    app = ui.build_app(fake)
    (more,) = [d for d in app.get_config_file()["dependencies"] if d.get("backend_fn") and "taMoreQueue" in (d.get("js") or "")]
    assert more["api_visibility"] == "private" and more["queue"] and more["trigger_mode"] == "multiple"
    with served(fake, password="s3cret") as url:
        for path in ["/", "/config", "/gradio_api/info"]:
            try:
                with urllib.request.urlopen(url + path, timeout=30) as r:
                    body = r.read().decode()
            except urllib.error.HTTPError as e:
                body = e.read().decode()
            assert "more_of_turn" not in body and "taMoreQueue" not in body
        # Without logging in, the event can't be run.
        join = urllib.request.Request(
            url + "/gradio_api/queue/join", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"data": [json.dumps(link_request(card_for(fake)[1]))], "fn_index": more["id"],
                             "session_hash": "x"}).encode(),
        )
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen(join, timeout=30)
        assert denied.value.code in (401, 403)
