"""The Gradio chat: ``assistant serve``. A thin layer over ``Assistant.ask`` and friends.

Each browser session keeps its own chat history in ``gr.State``; the Assistant is shared between
sessions and only read. Rendering lives in :mod:`assistant.ui_render`. Nothing is fetched from
outside the server: analytics are off and the theme uses system fonts.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Must be set before gradio is imported, or it phones home on import.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr

from assistant.ask.validate import check_filters
from assistant.errors import AssistantError
from assistant.ui.render import (
    ANSWER_CHARS,
    more_link,
    render_answer,
    render_error,
    render_facts,
    render_more,
    render_pending,
    render_question,
    render_streaming,
)

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
CSS_PATH = STATIC / "ui.css"
JS_PATH = STATIC / "ui.js"  # scrolls a finished answer to its start and an [n] marker to its card
AUTH_USER = "assistant"
# Questions answered at once across all sessions; each holds one worker thread while it runs.
CONCURRENCY = 4
# Streaming: how many updates the answer text arrives in, and the pause between them.
STREAM_STEPS = 12
STREAM_PAUSE_S = 0.02
_SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
_MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "monospace"]
# Everything the page loads comes from this server: no remote images, scripts, fonts or frames
# (a Markdown image in a question or a transcript cannot make the browser fetch a URL).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' data: blob:; font-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; connect-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
_PLACEHOLDER = (
    "**Ask who said what, when and where.**\n\n"
    "Every answer cites the transcript turns it comes from: click a number like [1] to see the quote in its context."
)


def theme() -> gr.themes.Base:
    """The default theme with system fonts, so the page loads no web fonts."""
    return gr.themes.Default(primary_hue="blue", neutral_hue="slate", font=_SYSTEM_FONTS, font_mono=_MONO_FONTS)


def build_app(assistant: Any, settings: Any = None, private: bool = False) -> gr.Blocks:
    """The chat app over any object with the ``Assistant`` interface (ask, neighbours, facts, example_questions).

    The example questions are read once, here; the corpus facts and filter choices again on every page
    load, so a re-index shows up on reload. ``settings`` is accepted for symmetry
    with ``Assistant.open`` (the UI's own options, host, port and password, are ``serve``'s arguments).
    ``private`` (a password is set): the page as served holds nothing about the corpus; the side
    panel and example questions arrive with the first load, which only a logged-in browser makes.
    """
    if private:
        facts, examples, startup_error = {}, [], None
        hidden_examples = _corpus_overview(assistant)[1]
    else:
        facts, examples, startup_error = _corpus_overview(assistant)
        hidden_examples = []

    with gr.Blocks(title="Transcript assistant") as app:
        history = gr.State([])  # plain-text messages for Assistant.ask, one list per browser session

        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=280, elem_id="ta-side"):
                new_chat = gr.Button("New chat", variant="primary", size="sm", elem_id="ta-new-chat")
                with gr.Accordion("Filters for the next question", open=True, elem_id="ta-filters"):
                    speaker = gr.Dropdown(
                        choices=_people_choices(facts), value="", label="Speaker", elem_id="ta-filter-speaker",
                    )
                    document = gr.Dropdown(
                        choices=_document_choices(facts), value="", label="Document", elem_id="ta-filter-document",
                    )
                    with gr.Row():
                        date_from = gr.Textbox(
                            label="From", placeholder="2022-08-01", max_lines=1, min_width=100, elem_id="ta-date-from",
                        )
                        date_to = gr.Textbox(
                            label="To", placeholder="2022-12-31", max_lines=1, min_width=100, elem_id="ta-date-to",
                        )
                example_buttons = []
                if examples or hidden_examples:
                    with gr.Accordion("Try asking", open=True, elem_id="ta-examples"):
                        example_buttons = [
                            gr.Button(q, size="sm", variant="secondary", elem_classes=["ta-example"]) for q in examples
                        ] + [
                            # Labelled on load, after login: the served page names nobody.
                            gr.Button("", size="sm", variant="secondary", elem_classes=["ta-example"], visible=False)
                            for _ in hidden_examples
                        ]
                with gr.Accordion("In the corpus", open=True, elem_id="ta-corpus"):
                    facts_html = gr.HTML(render_facts(facts), elem_id="ta-facts")

            with gr.Column(scale=3, elem_id="ta-main"):
                gr.Markdown(
                    "# Transcript assistant\n"
                    "Who said what, when and where: answers quote the transcripts and cite the turns.",
                    elem_id="ta-header",
                )
                chat = gr.Chatbot(
                    value=[{"role": "assistant", "content": render_error(startup_error)}] if startup_error else [],
                    elem_id="ta-chat", show_label=False, layout="panel",
                    height="calc(100vh - 230px)", min_height=420,  # the page fits the window; the chat scrolls
                    latex_delimiters=[],  # "US$17 billion … US$4 billion" is not maths
                    feedback_options=None, buttons=["copy"], placeholder=_PLACEHOLDER,
                    autoscroll=False,  # ui.js scrolls to the start of each answer instead of the end of its cards
                )
                question = gr.Textbox(
                    placeholder="e.g. How many parties have registered candidates?", show_label=False, lines=1,
                    max_lines=4, submit_btn="Ask", autofocus=True, elem_id="ta-question",
                )

        # "Show more" on a shortened turn: ui.js puts the link's request where the hidden button's event reads it,
        # the server answers with the next part, and ui.js appends it to the card. An event of this app, so it
        # is behind the app's login like every question; there is no route of its own.
        more_reply = gr.Textbox(visible="hidden", elem_id="ta-more-reply")
        more_go = gr.Button("more", visible="hidden", elem_id="ta-more-go")

        titles = {d["doc_id"]: d.get("title") or d["doc_id"] for d in facts.get("documents", [])}

        def respond(q: str, messages: list, hist: list, spk: str, doc: str, frm: str, to: str) -> Iterator[tuple]:
            raw = {"speaker": spk, "document": doc, "date_from": frm, "date_to": to}
            yield from _respond(assistant, q, messages, hist, raw, titles)

        filters = [speaker, document, date_from, date_to]
        outputs = [chat, history, question]
        ask_options: dict[str, Any] = {
            "outputs": outputs, "concurrency_limit": CONCURRENCY, "concurrency_id": "ask", "show_progress": "hidden",
        }
        question.submit(respond, [question, chat, history, *filters], **ask_options)
        for button in example_buttons:
            button.click(respond, [button, chat, history, *filters], **ask_options)
        new_chat.click(_new_chat, None, outputs, show_progress="hidden")

        def more(request: str) -> str:
            return more_of_turn(assistant, request)

        more_go.click(
            more, [more_reply], [more_reply],
            js="(_) => (window.taMoreQueue || []).shift() || ''", show_progress="hidden", api_visibility="private",
            trigger_mode="multiple", concurrency_limit=CONCURRENCY, concurrency_id="more",
        ).then(None, [more_reply], None, js="(reply) => { if (window.taMoreShow) window.taMoreShow(reply); }")
        # Each page load reads the corpus again: a re-index run by another process shows up on reload.
        app.load(lambda: _side_panel(assistant), None, [facts_html, speaker, document], show_progress="hidden")
        if hidden_examples:
            app.load(lambda: [gr.update(value=q, visible=True) for q in hidden_examples], None, example_buttons,
                     show_progress="hidden")
        chat.clear(_new_chat, None, outputs, show_progress="hidden")
    return app


def _respond(
    assistant: Any, q: str, messages: list, hist: list, raw_filters: dict, titles: dict[str, str] | None = None,
) -> Iterator[tuple]:
    """One exchange, as a stream of (chat, history, textbox) updates; errors become chat messages."""
    q = q or ""
    shown = [*(messages or []), *([{"role": "user", "content": render_question(q)}] if q.strip() else [])]

    def reply(html: str) -> list[dict]:
        return [*shown, {"role": "assistant", "content": html}]

    yield reply(render_pending()), hist, ""
    try:
        filters = _filters(raw_filters)
        answer = assistant.ask(q, history=list(hist), filters=filters or None)
        contexts = {c.turn_id: assistant.neighbours(c.turn_id, 1, 1) for c in [*answer.citations, *answer.related]}
    except Exception as exc:  # every failure is shown in the chat, and the chat goes on
        if not isinstance(exc, AssistantError):
            log.exception("question failed: %r", q)
        yield reply(render_error(exc)), hist, q  # give the question back so it can be fixed
        return
    if not answer.abstained:
        words = answer.answer[:ANSWER_CHARS].split(" ")  # a huge quote streams its shown part only
        step = max(1, len(words) // STREAM_STEPS)
        for i in range(step, len(words), step):
            yield reply(render_streaming(" ".join(words[:i]))), hist, ""
            time.sleep(STREAM_PAUSE_S)
    answer_no = len(hist) // 2 + 1
    hist = [*hist, {"role": "user", "content": q}, answer.history_message()]
    yield reply(render_answer(answer, answer_no, contexts, titles)), hist, ""


def more_of_turn(assistant: Any, request: str) -> str:
    """The next part of a shortened turn, for a card's "Show more" link (see :func:`render.more_link`).

    ``request`` is JSON ``{"id", "turn", "from", "len"}`` as ui.js sends it; the reply is JSON
    ``{"id", "html", "more"}`` (``more``: the link for the part after, or "" at the turn's end), or
    ``{"id", "error"}`` with a message for the card. Never raises: a bad request is a message.
    """
    try:
        req = json.loads(request or "{}")
        key, turn_id, start, total = str(req.get("id", "")), str(req["turn"]), int(req["from"]), int(req["len"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return json.dumps({"id": "", "error": "Could not read that request; ask again."})
    try:
        turn = assistant.turn(turn_id)
    except Exception as exc:  # the index went away or is being rebuilt: say so on the card
        if not isinstance(exc, AssistantError):
            log.exception("show more failed: %r", turn_id)
        return json.dumps({"id": key, "error": f"Could not fetch more of this turn ({exc.__class__.__name__}); ask again."})
    text = turn.text.strip() if turn is not None else None
    if text is None or len(text) != total:
        return json.dumps({"id": key, "error": "The transcripts were re-indexed since this answer: ask again to see this turn."})
    if not 0 <= start < total:
        return json.dumps({"id": key, "error": "Nothing more in this turn."})
    html, following = render_more(text, start)
    return json.dumps({"id": key, "html": html, "more": more_link(turn_id, following, total) if following else ""})


def _filters(raw: dict) -> dict[str, str]:
    """The side panel's filters as ``ask`` takes them; a malformed date is the user's error (the CLI's message)."""
    return check_filters({k: v for k, v in raw.items() if isinstance(v, str)}, documents=None)


def _new_chat() -> tuple[list, list, str]:
    return [], [], ""


def _corpus_overview(assistant: Any) -> tuple[dict, list[str], Exception | None]:
    """Facts and example questions for the side panel; without an index, the error to show instead."""
    try:
        return assistant.facts(), list(assistant.example_questions()), None
    except AssistantError as exc:
        return {}, [], exc


def _side_panel(assistant: Any) -> tuple[str, Any, Any]:
    """The corpus facts and the filter choices as they are now."""
    facts, _, _ = _corpus_overview(assistant)
    return render_facts(facts), gr.update(choices=_people_choices(facts)), gr.update(choices=_document_choices(facts))


def _people_choices(facts: dict) -> list[tuple[str, str]]:
    return [("Anyone", "")] + [(p["name"], p["name"]) for p in facts.get("people", [])]


def _document_choices(facts: dict) -> list[tuple[str, str]]:
    return [("All documents", "")] + [(_doc_label(d), d["doc_id"]) for d in facts.get("documents", [])]


def _doc_label(doc: dict) -> str:
    return f"{doc.get('title') or doc['doc_id']} ({doc.get('date') or 'undated'})"


def launch(
    app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, password: str | None = None, block: bool = True,
) -> Any:
    """Start the server as ``serve`` does; ``block=False`` returns at once (close it with ``app.close()``).

    Gradio 6 takes the theme, CSS and JS at launch, not in ``gr.Blocks``, so launch through here.
    """
    from starlette.middleware import Middleware

    return app.launch(
        server_name=host, server_port=port, auth=(AUTH_USER, password) if password else None,
        app_kwargs={"middleware": [Middleware(_SecurityHeaders)]},
        auth_message=f"Password for the transcript assistant (user: {AUTH_USER})" if password else None,
        theme=theme(), css_paths=[CSS_PATH], js=JS_PATH.read_text(encoding="utf-8"), footer_links=[],
        share=False, ssr_mode=False, pwa=False, enable_monitoring=False, mcp_server=False,
        prevent_thread_lock=not block, quiet=not block,
    )


def serve(assistant: Any, host: str = "127.0.0.1", port: int = 7860, password: str | None = None) -> None:
    """Serve the chat until interrupted; with a password, log in as user "assistant"."""
    launch(build_app(assistant, private=bool(password)), host=host, port=port, password=password, block=True)


class _SecurityHeaders:
    """ASGI middleware: a Content-Security-Policy that allows only this server, on every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                headers += [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                            (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
