"""HTML for the chat UI: answers with linked ``[n]`` markers, citation cards, errors, corpus facts.

Everything here is a pure function of the answer and the turns, so it is tested without a
browser. All corpus and user text passes through :func:`html.escape`. The chat pane renders
messages as Markdown, so every fragment is one line of HTML with no blank lines in it (a
blank line would end the HTML block and let Markdown rewrite the rest).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import PurePath
from typing import Any
from urllib.parse import quote, urlencode

from assistant.errors import AssistantError, BackendError, EmptyQuestionError, NoIndexError, UnknownSpeakerError
from assistant.text.dates import human_date
from assistant.types import Citation, TurnRecord

INDEX_COMMAND = "assistant index"
_MARKER = re.compile(r"\[(\d+)\]")
_KIND_LABELS = {"quote": "quoted in a report", "narration": "reporter's narration"}


def cite_anchor(answer_no: int, marker: int, related: bool = False) -> str:
    """The element id of a card: unique per answer, so every answer's ``[1]`` finds its own card."""
    return f"{'related' if related else 'cite'}-{answer_no}-{marker}"


def fmt_date(iso: str | None) -> str:
    """'2022-08-19' as '19 August 2022'; anything else unchanged."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return iso or ""
    return human_date(iso or "")


_SENTENCE_GAP = re.compile(r"(?<=[.!?…:;”»\"])\s+")
EXCERPT_CHARS = 240


def _find(text: str, quote: str) -> tuple[int, int] | None:
    words = quote.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text) or re.search(pattern, text, re.IGNORECASE)
    return (m.start(), m.end()) if m else None


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where ``quote`` lies in ``text``, ignoring whitespace (then case): one span, or one per sentence when
    the quote joins sentences that are apart in the turn (the answerer puts "…" between them); [] when it is not
    there."""
    whole = _find(text, quote)
    if whole:
        return [whole]
    spans: list[tuple[int, int]] = []
    for span in sorted(filter(None, (_find(text, part) for part in _SENTENCE_GAP.split(quote.strip()) if part.strip(" …")))):
        if spans and span[0] >= spans[-1][1] and not text[spans[-1][1]:span[0]].strip():
            spans[-1] = (spans[-1][0], span[1])  # adjacent sentences: one highlight
        elif not spans or span[0] >= spans[-1][1]:
            spans.append(span)
    return spans


# How much of one text a message carries: a 10 MB turn must not become 10 MB of HTML per answer.
ANSWER_CHARS = 4000
CONTEXT_CHARS = 3000


def _clip(text: str, limit: int) -> str:
    """At most ``limit`` characters of a text, cut at a word, with '…' when cut."""
    cut = clip_end(text, limit)
    return text if cut == len(text) else text[:cut] + " …"


def clip_end(text: str, limit: int, start: int = 0) -> int:
    """Where a part of at most ``limit`` characters from ``start`` ends: at a word break, or the text's end."""
    if len(text) - start <= limit:
        return len(text)
    cut = text.rfind(" ", start, start + limit)
    return cut if cut > start + limit // 2 else start + limit


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept; Markdown image syntax is defused (the chat renders Markdown)."""
    return "<br>".join(escape(line).replace("![", "&#33;[") for line in text.split("\n"))


def _marked(text: str, spans: list[tuple[int, int]], css_class: str) -> str:
    out, pos = [], 0
    for s, e in spans:
        out.append(f'{_lines(text[pos:s]) if s > pos else ""}<mark class="{css_class}">{_lines(text[s:e])}</mark>')
        pos = e
    return "".join(out) + (_lines(text[pos:]) if pos < len(text) else "")


def highlight(text: str, quote: str, css_class: str = "ta-mark") -> str:
    """The whole text, escaped, with the quote wrapped in ``<mark>``."""
    text = text.strip()
    return _marked(text, quote_spans(text, quote) if quote else [], css_class)


def excerpt(text: str, quote: str, css_class: str = "ta-mark", width: int = EXCERPT_CHARS) -> str:
    """The quote with up to ``width`` characters of its paragraph either side, cut at sentence ends, '…' for cuts."""
    text = text.strip()
    start, end, spans = window(text, quote, width)
    body = _marked(text[start:end], [(a - start, b - start) for a, b in spans], css_class)
    return f'{"… " if start > 0 else ""}{body}{" …" if end < len(text) else ""}'


def window(text: str, quote: str, width: int = EXCERPT_CHARS) -> tuple[int, int, list[tuple[int, int]]]:
    """(start, end, quote spans) of what :func:`excerpt` shows of the stripped ``text``."""
    spans = quote_spans(text, quote) if quote else []
    if not spans:
        if len(text) <= 3 * width:
            return 0, len(text), []
        cut = max((m.start() for m in _SENTENCE_GAP.finditer(text, 0, 2 * width)), default=2 * width)
        return 0, cut, []
    s, e = spans[0][0], spans[-1][1]
    start = text.rfind("\n", 0, s) + 1
    end = text.find("\n", e)
    end = len(text) if end == -1 else end
    if s - start > width:
        # First sentence that starts no more than `width` before the quote (or the quote itself).
        start = next((m.end() for m in _SENTENCE_GAP.finditer(text, s - width, s)), s)
    if end - e > width:
        end = max((m.start() for m in _SENTENCE_GAP.finditer(text, e, e + width + 1)), default=e)
    if end - start > 2 * width + ANSWER_CHARS:  # a quote that is itself huge
        end = start + 2 * width + ANSWER_CHARS
        spans = [(a, min(b, end)) for a, b in spans if a < end]
    return start, end, spans


# "Show more" on a shortened turn fetches the next part of this many characters from the server.
MORE_CHARS = CONTEXT_CHARS
_CUT = '<span class="ta-cut"> …</span>'  # where a shown part ends short of the turn's end; "Show more" removes it


def more_link(turn_id: str, start: int, total: int) -> str:
    """The "Show more" link of a shortened turn: which turn, where the next part starts, and the turn's length.

    The browser asks the app for that part (an event of the same Gradio app, so behind its login)
    and appends it; ``total`` lets the server tell a turn that was re-indexed since.
    """
    left = total - start
    # In the link's fragment, not data- attributes: the chat's HTML sanitiser drops those.
    query = urlencode({"turn": turn_id, "from": start, "len": total}, quote_via=quote)
    return (
        f'<a class="ta-more" href="#ta-more?{escape(query)}" role="button">'
        f'Show the next {min(left, MORE_CHARS):,} of {left:,} characters</a>'
    )


def render_more(text: str, start: int) -> tuple[str, int | None]:
    """The part of a (stripped) turn from ``start`` as HTML, and where the part after it starts (None at the end)."""
    end = clip_end(text, MORE_CHARS, start)
    return _lines(text[start:end]) + (_CUT if end < len(text) else ""), (end if end < len(text) else None)


# Every character Markdown could act on, as an HTML entity: the question shows as typed, and
# "![x](http://host/q.png)" stays text instead of an image the browser would fetch.
_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'\\`*_{}[]()#+-.!|~:"})


def render_question(question: str) -> str:
    """The user's message as the chat shows it: plain text, never Markdown or HTML."""
    body = "<br>".join(line.translate(_LITERAL) for line in _clip(question, ANSWER_CHARS).split("\n"))
    return f'<div class="ta-question">{body}</div>'


def render_pending(search_note: str = "Searching the transcripts…") -> str:
    """What the chat shows while the question is being answered."""
    return f'<div class="ta-answer ta-pending"><span class="ta-spinner"></span>{escape(search_note)}</div>'


def render_streaming(text: str) -> str:
    """A partly written answer."""
    caret = '<span class="ta-caret">▍</span>'
    return f'<div class="ta-answer"><div class="ta-text">{_lines(_clip(text.strip(), ANSWER_CHARS))}{caret}</div></div>'


def render_error(exc: BaseException) -> str:
    """An error as a chat message: what went wrong and what to do about it."""
    message = str(exc).strip() or exc.__class__.__name__
    if isinstance(exc, AssistantError):
        message = message[0].upper() + message[1:]  # it follows a bold title sentence
    if isinstance(exc, EmptyQuestionError):
        title = "Please type a question"
        message = "Ask who said what, when or where, or pick one of the suggested questions."
    elif isinstance(exc, NoIndexError):
        title = "The transcripts are not indexed yet"
        if INDEX_COMMAND not in message:
            message = f"{message.rstrip('.')}. Build the index with `{INDEX_COMMAND}`."
    elif isinstance(exc, UnknownSpeakerError):
        title = "Unknown speaker"
    elif isinstance(exc, BackendError):
        title = "The answer backend failed"
    elif isinstance(exc, AssistantError):
        title = "Could not answer"
    else:
        title = "Something went wrong"
        message = f"{exc.__class__.__name__}: {message}. The chat still works; try again or rephrase."
    # Backticks mark commands; show them as code.
    body = re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(message))
    return f'<div class="ta-answer ta-error" role="alert"><strong>{escape(title)}.</strong> {body}</div>'


def _answer_text(text: str, answer_no: int, markers: set[int]) -> str:
    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in markers:
            return m.group(0)
        return f'<a class="ta-ref" href="#{cite_anchor(answer_no, n)}" title="Go to source {n}">[{n}]</a>'

    return _MARKER.sub(link, _lines(_clip(text.strip(), ANSWER_CHARS)))


def _filter_value(key: str, value: Any, titles: Mapping[str, str]) -> str:
    values = value if isinstance(value, (list, tuple, set)) else [value]
    if key.startswith("date"):
        return ", ".join(fmt_date(str(v)) for v in values)
    if key == "document":
        return ", ".join(titles.get(str(v), str(v)) for v in values)
    return ", ".join(str(v) for v in values)


def _filters_line(filters: Mapping[str, Any], titles: Mapping[str, str]) -> str:
    names = {"speaker": "speaker", "document": "document", "date_from": "from", "date_to": "to"}
    parts = [
        f"{label} <b>{escape(_filter_value(key, filters[key], titles))}</b>"
        for key, label in names.items() if filters.get(key)
    ]
    return f'<div class="ta-meta ta-filters">Filtered by {" · ".join(parts)}</div>' if parts else ""


def _shown(t: TurnRecord, quote: str | None, css_class: str) -> str:
    """A window of a turn: around the quote in the cited turn, its start in the others, and "Show more" when cut."""
    text = t.text.strip()
    if quote is not None:
        start, end, spans = window(text, quote, width=CONTEXT_CHARS // 2)
    else:
        start, end, spans = 0, clip_end(text, CONTEXT_CHARS), []
    body = _marked(text[start:end], [(a - start, b - start) for a, b in spans], css_class)
    html = f'<div class="ta-ctx-text">{"… " if start > 0 else ""}{body}{_CUT if end < len(text) else ""}</div>'
    if start > 0 or end < len(text):
        more = f" {more_link(t.turn_id, end, len(text))}" if end < len(text) else ""
        html += f'<div class="ta-muted ta-shortened">Shortened: the turn runs to {len(text):,} characters.{more}</div>'
    return html


def _context(turns: Iterable[TurnRecord], cited: Citation, css_class: str) -> str:
    rows = []
    for t in turns:
        here = t.turn_id == cited.turn_id
        # A window around the quote, not the whole of a long turn (the rest comes on demand, and is in ask --json).
        text = _shown(t, cited.quote if here else None, css_class)
        who = escape(t.attribution) + (f' <span class="ta-role">{escape(t.role)}</span>' if t.role else "")
        rows.append(
            f'<div class="ta-ctx-turn{" ta-ctx-here" if here else ""}"><div class="ta-ctx-who">{who}'
            f'<code class="ta-id">{escape(t.turn_id)}</code></div>{text}</div>'
        )
    return "".join(rows)


def _cut_short(c: Citation) -> bool:
    """Whether the card's quote window leaves out part of the turn."""
    text = c.text.strip()
    start, end, _ = window(text, c.quote or "", EXCERPT_CHARS)
    return start > 0 or end < len(text)


def render_card(c: Citation, anchor: str, context: list[TurnRecord] | None = None, related: bool = False) -> str:
    """One numbered citation card: who, where, when, the turn id, the quote inside its turn, and its neighbours."""
    css_class = "ta-mark-weak" if related else "ta-mark"
    who = escape(c.attribution or c.speaker)
    role = f'<span class="ta-role">{escape(c.role)}</span>' if c.role else ""
    kind = f'<span class="ta-kind">{escape(_KIND_LABELS[c.kind])}</span>' if c.kind in _KIND_LABELS else ""
    when = " · ".join(escape(x) for x in (fmt_date(c.date), c.place) if x)
    source = escape(PurePath(c.source).name) if c.source else ""
    context_html = ""
    neighbours = any(t.turn_id != c.turn_id for t in context or [])
    if context and (neighbours or _cut_short(c)):
        # With no neighbours, a long turn still opens here: its wider window and "Show more".
        summary = "Whole turn, with the turns before and after" if neighbours else "Whole turn"
        context_html = (
            f'<details class="ta-context"><summary>{summary}</summary>'
            f"{_context(context, c, css_class)}</details>"
        )
    return (
        f'<div class="ta-card{" ta-related" if related else ""}" id="{anchor}">'
        f'<div class="ta-card-head"><span class="ta-num">{c.marker}</span>'
        f'<span class="ta-who"><span class="ta-speaker">{who}</span>{role}{kind}</span></div>'
        f'<div class="ta-event">{escape(c.title)}</div>'
        f'<div class="ta-where">{when}<code class="ta-id" title="{source}">{escape(c.turn_id)}</code></div>'
        f'<blockquote class="ta-turn">{excerpt(c.text, c.quote, css_class)}</blockquote>'
        f"{context_html}</div>"
    )


def render_answer(
    answer: Any, answer_no: int, contexts: Mapping[str, list[TurnRecord]] | None = None,
    titles: Mapping[str, str] | None = None,
) -> str:
    """A finished answer: text with linked markers, the rewritten question, filters, the cards, then a footer.

    ``contexts`` maps a cited turn id to its neighbours (with itself); ``titles`` maps document ids to titles.
    """
    contexts = contexts or {}
    parts = []
    if answer.abstained:
        parts.append(f'<div class="ta-abstain"><span class="ta-abstain-label">No answer in the transcripts</span>'
                     f'{_lines(_clip(answer.answer.strip(), ANSWER_CHARS))}</div>')
    else:
        markers = {c.marker for c in answer.citations}
        parts.append(f'<div class="ta-text">{_answer_text(answer.answer, answer_no, markers)}</div>')
    if answer.search_question and " ".join(answer.search_question.split()) != " ".join(answer.question.split()):
        parts.append(f'<div class="ta-meta ta-rewrite">Searched for: “{escape(answer.search_question)}”</div>')
    parts.append(_filters_line(answer.filters or {}, titles or {}))
    if answer.citations and not answer.abstained:
        label = "Source" if len(answer.citations) == 1 else "Sources"
        cards = "".join(
            render_card(c, cite_anchor(answer_no, c.marker), contexts.get(c.turn_id)) for c in answer.citations
        )
        parts.append(f'<div class="ta-cards"><div class="ta-cards-label">{label}</div>{cards}</div>')
    if answer.related:
        cards = "".join(
            render_card(c, cite_anchor(answer_no, c.marker, related=True), contexts.get(c.turn_id), related=True)
            for c in answer.related
        )
        n = len(answer.related)
        parts.append(
            f'<details class="ta-related-list"><summary>Show the {n} closest turn{"s" if n > 1 else ""} found '
            '<span class="ta-muted">(related, not an answer)</span></summary>'
            f'<div class="ta-cards">{cards}</div></details>'
        )
    total = (answer.timings_ms or {}).get("total")
    footer = [answer.support_label, answer.backend, f"{total / 1000:.1f} s" if total else "", *answer.display_notes]
    parts.append(f'<div class="ta-meta ta-footer">{escape(" · ".join(x for x in footer if x))}</div>')
    return f'<div class="ta-answer">{"".join(parts)}</div>'


def render_facts(facts: Mapping[str, Any]) -> str:
    """The side panel's corpus summary: documents and people with their turn counts."""
    docs = facts.get("documents") or []
    people = facts.get("people") or []
    if not docs and not people:
        return f'<div class="ta-facts ta-muted">No documents indexed yet. Run <code>{INDEX_COMMAND}</code>.</div>'
    doc_rows = "".join(
        f'<li><span class="ta-fact-title">{escape(d.get("title") or d.get("doc_id", ""))}</span>'
        f'<span class="ta-muted">{" · ".join(escape(x) for x in (fmt_date(d.get("date")), d.get("place") or "") if x)}'
        f' · {int(d.get("turns") or 0)} turns</span></li>'
        for d in docs
    )
    people_rows = "".join(
        f'<li><span class="ta-fact-title">{escape(p["name"])}</span>'
        f'<span class="ta-muted">{escape(p.get("role") or "")}{" · " if p.get("role") else ""}'
        f'{int(p.get("turns") or 0)} turns</span></li>'
        for p in people
    )
    return (
        f'<div class="ta-facts"><h4>{len(docs)} documents</h4><ul>{doc_rows}</ul>'
        f'<h4>{len(people)} people</h4><ul>{people_rows}</ul></div>'
    )
