"""kremlin.ru ``print.html`` pages: speaker paragraphs ``<p><b>Label:</b> text</p>`` plus page metadata.

A paragraph whose first element is a bold label ending in ``:`` (or followed by ``:``) opens a
turn; paragraphs without a label continue it (joined with ``"\\n"``). Text before the first
label is the page's narration (``Vladimir Putin met with ...``); it is *not* turned into a
turn because it usually repeats the lead, which is kept in ``RawDocument.lead`` (the derived
JSONL keeps it as a ``speaker=null`` turn instead). ``<…>`` elisions stay in the text.
The footer (tags, publication status and date) fills document fields, never turns.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from assistant.ingest.transcripts import RawDocument, RawTurn
from assistant.text.dates import parse_date

FORMAT = "kremlin-html"

_BODY_MARK = "read__internal_content"
_FOOTER_MARK = "read__bottommeta"
_P_OPEN = re.compile(r"<p\b[^>]*>", re.IGNORECASE)
_P_END = re.compile(r"</p\s*>|<(?:p|div|figure|table|ul|ol|dl|blockquote|h[1-6]|section|hr|pre|form)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# A bold run at the start of a paragraph that ends in a colon, inside the bold or just after it.
# The bold may hold a person_tag link, so allow nested tags but stay within one paragraph.
_LABEL_PARA = re.compile(
    r"<p\b[^>]*>\s*<(b|strong)\b[^>]*>(?:(?!</?p\b).){1,4000}?(?::\s*</\1>|</\1>\s*:)",
    re.IGNORECASE | re.DOTALL,
)
_ID_IN_URL = re.compile(r"/news/(\d+)")
_TOOLTIP = "span.read__tooltip"
# A bold run ending in a colon is a label up to this many words: a former president's titles run to 31 ("Chairman of the
# National Council for the Coordination of Cooperation with … China, President of the Republic of Serbia (2012–2017)
# Tomislav Nikolic"); over the 635 mirror pages 25 lost that one label and 40 changes nothing else.
_MAX_LABEL_WORDS = 40
_COLON_AFTER = re.compile(r"[\s()]*:")
_PARENS = re.compile(r"[\s()]+")
_INITIAL = re.compile(r"[A-Z]")
# A label ends in a capitalised word, optionally followed by a note: "Question (retranslated)".
_NAME_END = re.compile(r"[A-Z][\w’'.-]*(?:\s*\([^)]*\))?$")


def detect(path: Path, text: str) -> bool:
    """An HTML file holding kremlin-style bold speaker labels."""
    head = text.lstrip()[:4000].lower()
    htmlish = path.suffix.lower() in (".html", ".htm") or head.startswith("<") or "<html" in head
    if not htmlish:
        return False
    if _BODY_MARK in text:
        return True
    # Elsewhere one bold "Note:" proves little; two labelled paragraphs look like a transcript.
    return sum(1 for _ in zip(range(2), _LABEL_PARA.finditer(text))) == 2


def read(path: Path, text: str) -> list[RawDocument]:
    """One RawDocument for the page; turns span the paragraphs of each labelled speaker."""
    tree = LexborHTMLParser(text)
    # Tooltips are hidden pop-ups inside person links; their text ("Pamfilova Ella", job title)
    # would otherwise leak into labels and turn text.
    for tip in tree.css(_TOOLTIP):
        tip.decompose()
    kremlin_id = _kremlin_id(tree, path)
    url = _meta(tree, 'meta[property="og:url"]', "content") or (
        f"http://en.kremlin.ru/events/president/news/{kremlin_id}" if kremlin_id.isdigit() else None
    )
    published = tree.css_first("time.read__published")
    date = None
    if published is not None:
        date = parse_date(published.attributes.get("datetime") or "") or parse_date(_clean(published.text()))
    doc = RawDocument(
        doc_id=f"kremlin-{kremlin_id}",
        title=_title(tree, path),
        turns=_turns(tree, text),
        source=str(path),
        format=FORMAT,
        date=date,
        time=_node_text(tree, "div.read__time"),
        place=_node_text(tree, "div.read__place"),
        lead=_node_text(tree, "div.read__lead"),
        url=url,
    )
    _footer(tree, doc)
    return [doc]


def _turns(tree: LexborHTMLParser, text: str) -> list[RawTurn]:
    """Group body paragraphs into turns, pairing each DOM paragraph with its source offsets."""
    body = tree.css_first("div." + _BODY_MARK)
    body = body if body is not None else tree.body
    if body is None:
        return []
    # Empty paragraphs are dropped on both sides: a stray </p> makes an empty DOM paragraph
    # that has no <p> in the source.
    spans = _paragraph_spans(text)
    footer = tree.css_first("div." + _FOOTER_MARK)
    in_footer = {p.mem_id for p in footer.css("p")} if footer is not None else set()
    paras = [p for p in body.css("p") if p.mem_id not in in_footer and p.text().strip()]
    # If a malformed page still breaks the pairing, offsets fall back to 0,0 rather than
    # pointing at the wrong HTML.
    if len(spans) != len(paras):
        spans = [(0, 0)] * len(paras)
    turns: list[RawTurn] = []
    current: RawTurn | None = None
    parts: list[str] = []
    for p, (start, end) in zip(paras, spans):
        label, body_text = _split_label(p)
        if label is not None:
            if current is not None:
                current.text = "\n".join(parts)
            current = RawTurn(label=label, text="", start=start, end=end)
            parts = [body_text] if body_text else []
            turns.append(current)
        elif current is not None:
            parts.append(body_text)
            current.end = end
    if current is not None:
        current.text = "\n".join(parts)
    return turns


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty <p> in the body, in source order, ended as a parser would."""
    lo = max(text.find(_BODY_MARK), 0)
    hi = text.find(_FOOTER_MARK, lo)
    hi = hi if hi >= 0 else len(text)
    spans = []
    for m in _P_OPEN.finditer(text, lo, hi):
        # A paragraph ends at </p>, at the next <p>, or where a block element (a photo <div>)
        # implicitly closes it.
        stop = _P_END.search(text, m.end(), hi)
        end = hi if stop is None else (stop.end() if stop.group(0)[1] == "/" else stop.start())
        inner = text[m.end() : end].lstrip()
        # Most paragraphs open with a letter; only the rest need their tags stripped to tell.
        if inner[:1] not in ("", "<", "&") or html.unescape(_TAG.sub("", inner)).strip():
            spans.append((m.start(), end))
    return spans


def _split_label(p: LexborNode) -> tuple[str | None, str]:
    """(label, text) of a paragraph; label is None when it does not open with a speaker label."""
    full = _clean(p.text())
    # The label is the leading run of bold nodes up to the first colon. Pages split it in odd
    # ways ("<b>Name</b><b>: </b>", "<b>Minister </b><a class=person_tag>Name</a>:",
    # "<b>Name</b><i> (translates): </i>", "<b>Vladimir Putin: I</b>t is"), so walk the run
    # node by node and cut at the colon wherever it falls.
    chunks: list[str] = []
    node, bold_seen = p.child, False
    while node is not None:
        tag = node.tag
        if tag == "-text":
            chunk = node.text_content or ""
            if bold_seen and _COLON_AFTER.match(chunk):
                chunks.append(chunk[: chunk.index(":") + 1])
                break
            # "<b>Question</b> (<i>retranslated</i>):" and "V<b>ladimir Putin:</b>" (a typo
            # that left the first letter outside the bold) still open a label.
            glued_initial = not bold_seen and bool(_INITIAL.fullmatch(chunk)) and _is_bold(node.next)
            if chunk.strip() and not glued_initial and not (bold_seen and _PARENS.fullmatch(chunk)):
                break
        elif _is_bold(node) or (bold_seen and tag in ("i", "em", "a", "sup")):
            bold_seen = True
            chunk = node.text()
            if ":" in chunk:
                chunks.append(chunk[: chunk.index(":") + 1])
                break
        elif tag == "br":
            chunk = " "
        else:
            break
        chunks.append(chunk)
        node = node.next
    if not chunks or not chunks[-1].endswith(":"):
        return None, full  # bold emphasis or a "* * *" separator, not a label
    label = _clean(_join_glued(chunks))[:-1].strip()
    if not label or len(label.split()) > _MAX_LABEL_WORDS:
        return None, full
    prefix = _clean("".join(chunks))
    rest = full.removeprefix(prefix).strip()
    # A wholly bold paragraph is a sub-heading ("Statements following the meeting:", "Speeches at
    # the opening of the Imperial Capitals: St Petersburg – Vienna"), unless it is just a name.
    if _all_bold(p) and (rest or not _NAME_END.search(label)):
        return None, full
    return label, rest


def _all_bold(p: LexborNode) -> bool:
    node = p.child
    while node is not None:
        if node.tag == "-text":
            if (node.text_content or "").strip():
                return False
        elif node.tag not in ("b", "strong", "br"):
            return False
        node = node.next
    return True


def _is_bold(node: LexborNode | None) -> bool:
    if node is None:
        return False
    # "<a class=person_tag><b>Patriarch Kirill</b></a><b>:</b>": the bold sits inside the link.
    return node.tag in ("b", "strong") or (node.tag == "a" and node.css_first("b, strong") is not None)


def _join_glued(chunks: list[str]) -> str:
    # "<b>Vladimir</b><b>PUTIN</b>" has no space in the source; a reader would see one.
    out = ""
    for chunk in chunks:
        if out[-1:].isalnum() and chunk[:1].isupper():
            out += " "
        out += chunk
    return out


def _footer(tree: LexborHTMLParser, doc: RawDocument) -> None:
    """Tags (Persons/Topics/Geography), sections and publication date from read__bottommeta."""
    footer = tree.css_first("div." + _FOOTER_MARK)
    if footer is None:
        return
    fields = {"persons": doc.persons, "topics": doc.topics, "geography": doc.geography}
    for col in footer.css("div.read__tagscol"):
        heading = col.css_first("h3")
        target = fields.get(_clean(heading.text()).lower()) if heading is not None else None
        if target is not None:
            target.extend(_clean(a.text()) for a in col.css("ul.read__taglist li a[rel=tag]"))
    for p in footer.css("div.read__status p"):
        line = _clean(p.text())
        if line.startswith("Published in sections"):
            doc.sections.extend(_clean(a.text()) for a in p.css("a"))
        stamp = p.css_first("time")
        if stamp is not None and line.startswith("Publication date"):
            doc.publication_date = _clean(stamp.text())


def _kremlin_id(tree: LexborHTMLParser, path: Path) -> str:
    """Numeric kremlin id from og:url, the article id or the folder name, else the file stem."""
    for url in (_meta(tree, 'meta[property="og:url"]', "content"), _meta(tree, "div.read", "data-href")):
        m = _ID_IN_URL.search(url or "")
        if m:
            return m.group(1)
    article = tree.css_first("article[id^=event-]")
    if article is not None:
        return (article.attributes.get("id") or "").removeprefix("event-")
    return path.parent.name if path.parent.name.isdigit() else path.stem


def _title(tree: LexborHTMLParser, path: Path) -> str:
    h1 = _node_text(tree, "h1.entry-title") or _node_text(tree, "h1")
    if h1:
        return h1
    title = _node_text(tree, "title") or ""
    return title.split(" • ")[0] or path.stem


def _meta(tree: LexborHTMLParser, selector: str, attr: str) -> str | None:
    node = tree.css_first(selector)
    return node.attributes.get(attr) if node is not None else None


def _node_text(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    return (_clean(node.text()) or None) if node is not None else None


def _clean(s: str) -> str:
    # Source HTML is hard-wrapped mid-sentence; collapse every run of whitespace.
    return " ".join(s.split())
