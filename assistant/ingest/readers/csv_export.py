"""CSV exports of kremlin.ru news (columns link, headline, date, location, summary, body).

The scraper flattened each page into one line, so paragraph breaks are gone and speaker labels
sit inline: ``... informal dinner. President of Kazakhstan Kassym-Jomart Tokayev: Mr Putin, ...``.
Turns are recovered heuristically. The words before a colon are a label when they are
capitalised words and connectors ending in a capitalised word, and either
(1) they fill the whole sentence (``. Vladimir Putin:``),
(2) they start with a role word after an unpunctuated heading (``* * * Beginning of talks with
    the President of Mongolia President of Russia Vladimir Putin:``), or
(3) they end in a name already labelled in the same row (``Vladimir Putin:`` after ``President of
    Russia Vladimir Putin:``).
``The agenda is as follows:`` and ``I asked Mr Peskov:`` pass none of these. Rows without any label
are news items without speech and are skipped; text before the first label and after a ``* * *``
separator is narration, not a turn. The scraper also kept the hidden person tooltips
(``Kassym-Jomart Tokayev Tokayev Kassym-JomartPresident of the Republic of Kazakhstan:``); they
are cut from labels and tidied in turn text.
"""

from __future__ import annotations

import re
from pathlib import Path

from assistant.errors import CorpusError
from assistant.ingest.readers.labels import CONNECTORS, GENERIC_LABELS
from assistant.ingest.transcripts import RawDocument, RawTurn
from assistant.text.dates import parse_date

FORMAT = "kremlin-csv"

_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_PLAIN = re.compile(r"[^,\n]*")
# A label ends in ": ", or runs straight into an interrupted reply ("Petr Fradkov:…we are laying emphasis").
_COLON = re.compile(r": |:(?=…|\.\.\.)")
_WORD = re.compile(r"\S+")
_COLUMN = re.compile(r"[a-z_][\w-]*")
# Where a sentence (or a "* * *" section) ends; closing quotes and brackets included.
_BOUNDARY = re.compile(r"[.!?…;:>]['\"”’»)]*\s+|\*\s?\*\s?\*\s*")
_SEPARATOR = re.compile(r"\s*\*\s?\*\s?\*\s*")
# "First Last Last First<description>": a page's hidden person tooltip, flattened into the text.
_TOOLTIP = re.compile(r"\b((?:[A-Z][\w’'-]+ )?[A-Z][\w’'-]+) ([A-Z][\w’'-]+) \2 \1(?=[A-Z(]|\b)")
_NOTE = re.compile(r"\s*\([^()]*\)$")
_REPEATED_WORD = re.compile(r"\b([A-Z][\w’'-]+) \1\b")
_ID_IN_URL = re.compile(r"/(\d+)/?$")
_TIME = re.compile(r"T(\d{2}:\d{2})")
_MAX_LABEL_WORDS = 30  # tooltip descriptions inflate labels until they are cut
_LOOKBACK = 400
# Words a label can start with when it follows an unpunctuated heading ("... meeting President of").
# fmt: off
_ROLE_START = frozenset({
    "President", "Prime", "Deputy", "Chairman", "Chairperson", "Chairwoman", "Chair", "Head", "Governor",
    "Mayor", "Secretary", "Press", "Director", "Chief", "CEO", "Ambassador", "Commissioner", "Adviser",
    "Advisor", "Aide", "Presidential", "Minister", "First", "Acting", "Senior", "King", "Queen", "Emir",
    "Sheikh", "Sultan", "Chancellor", "Premier", "Leader", "Patriarch", "Metropolitan", "Rector", "Founder",
    "Member", "Representative", "Envoy", "Spokesman", "Spokeswoman", "Speaker", "General"
})
# fmt: on
# A role phrase right after one of these is the object of the sentence, not a label:
# "the institution of the Commissioner for Entrepreneurs' Rights: you signed ...".
# fmt: off
_FUNCTION_WORDS = CONNECTORS | {
    "with", "by", "from", "as", "a", "an", "about", "between", "into", "than",
    "told", "asked", "said", "tell", "ask", "thank", "thanked", "says", "asks", "tells", "replied"
}
# fmt: on


def detect(path: Path, text: str) -> bool:
    """A CSV whose header has ``link`` and ``body`` columns."""
    columns = [c.strip().strip('"').lower() for c in text.split("\n", 1)[0].split(",")]
    # Outside .csv files the first line must read as a header, not as "link, body and soul".
    header_like = path.suffix.lower() == ".csv" or all(_COLUMN.fullmatch(c) for c in columns)
    return header_like and "body" in columns and "link" in columns


def read(path: Path, text: str) -> list[RawDocument]:
    """One RawDocument per row that holds at least one speaker label."""
    rows = _parse_csv(path, text)
    if not rows:
        return []
    header = [value.strip().lower() for _, _, value in rows[0]]
    missing = [c for c in ("link", "body") if c not in header]
    if missing:
        raise CorpusError(f"{path.name}: CSV header lacks column(s) {', '.join(missing)}")
    col = {name: i for i, name in enumerate(header)}
    docs = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise CorpusError(f"{path.name}: row {n}: {len(row)} fields, the header has {len(header)}")
        cells = {name: row[i][2].strip() for name, i in col.items()}
        turns = _turns(*row[col["body"]])
        if not turns:
            continue
        link, stamp = cells["link"], cells.get("date", "")
        kremlin_id, time = _ID_IN_URL.search(link), _TIME.search(stamp)
        docs.append(
            RawDocument(
                doc_id=f"kremlin-{kremlin_id.group(1)}" if kremlin_id else f"{path.stem}-{n}",
                title=cells.get("headline") or link or f"{path.stem} row {n}",
                turns=turns,
                source=str(path),
                format=FORMAT,
                date=parse_date(stamp) if stamp else None,
                time=time.group(1) if time else None,
                place=cells.get("location") or None,
                lead=cells.get("summary") or None,
                url=link or None,
            )
        )
    return docs


def _parse_csv(path: Path, text: str) -> list[list[tuple[int, bool, str]]]:
    """Rows of (offset of the cell in ``text``, quoted?, value): the csv module gives no offsets."""
    rows: list[list[tuple[int, bool, str]]] = []
    row: list[tuple[int, bool, str]] = []
    pos, end = 0, len(text)
    while pos < end:
        m = _QUOTED.match(text, pos)
        if m:
            row.append((m.start(), True, m.group(1).replace('""', '"')))
        else:
            m = _PLAIN.match(text, pos)
            row.append((m.start(), False, m.group(0)))
        pos = m.end()
        if pos >= end or text[pos] == "\n":
            if len(row) > 1 or row[0][2]:
                rows.append(row)
            row, pos = [], pos + 1
        elif text[pos] == ",":
            pos += 1
            if pos == end:
                row.append((pos, False, ""))
        else:
            line = text.count("\n", 0, pos) + 1
            raise CorpusError(f"{path.name}: line {line}: malformed CSV (text after a closing quote)")
    return rows


def _turns(cell_start: int, quoted: bool, body: str) -> list[RawTurn]:
    """Split one flattened body on its inline labels; offsets point into the CSV file."""

    def file_offset(i: int) -> int:
        # Inside a quoted cell every '"' of the value is written '""'.
        return cell_start + 1 + i + body.count('"', 0, i) if quoted else cell_start + i

    labels = _find_labels(body)
    turns = []
    for k, (label, _, text_start) in enumerate(labels):
        stop = labels[k + 1][1] if k + 1 < len(labels) else len(body)
        # After "* * *" comes a heading or narration, not more of this speech.
        sep = _SEPARATOR.search(body, text_start, stop)
        stop = sep.start() if sep else stop
        chunk = body[text_start:stop]
        begin = text_start + len(chunk) - len(chunk.lstrip())
        stop = max(begin, text_start + len(chunk.rstrip()))
        text = " ".join(_TOOLTIP.sub(r"\1 \2 ", body[begin:stop]).split())
        turns.append(RawTurn(label=label, text=text, start=file_offset(begin), end=file_offset(stop)))
    return turns


def _find_labels(body: str) -> list[tuple[str, int, int]]:
    """(label, offset of the label, offset of its text) for every label in the body, in order."""
    found: list[tuple[str, int, int]] = []
    known: set[str] = set()
    pending: list[tuple[int, list[str], list[int]]] = []
    for m in _COLON.finditer(body):
        lo = max(0, m.start() - _LOOKBACK)
        ends = [b.end() for b in _BOUNDARY.finditer(body, lo, m.start())]
        start = ends[-1] if ends else lo
        segment = body[start : m.start()]
        spans = list(_WORD.finditer(segment))
        words, starts = [w.group(0) for w in spans], [start + w.start() for w in spans]
        if not words:
            continue
        # Without a sentence end in reach the words may still end in a label, but not fill one.
        if (ends or lo == 0) and _is_label(words):
            n = len(words)
        else:
            n = _role_suffix(words)
        if n:
            label = _tidy(" ".join(words[-n:]))
            found.append((label, starts[-n], m.end()))
            known.update(_short_forms(label))
        else:
            pending.append((m.end(), words, starts))
    # A shorter label naming someone already labelled in this row.
    for text_start, words, starts in pending:
        for i in range(max(1, len(words) - 6), len(words) - 1):
            if words[i - 1].lower() not in _FUNCTION_WORDS and _is_label(words[i:]):
                label = _tidy(" ".join(words[i:]))
                if label in known:
                    found.append((label, starts[i], text_start))
                    break
    found.sort(key=lambda f: f[1])
    return found


def _is_label(words: list[str]) -> bool:
    """Capitalised words and connectors, ending in a capitalised word; one word only if generic."""
    if len(words) > _MAX_LABEL_WORDS:
        return False
    # A closing note may say anything: "Vladimir Putin (on choosing between research and business)".
    note = _NOTE.search(" ".join(words))
    if note and note.start() > 0:
        words = " ".join(words)[: note.start()].split()
    if len(words) == 1:
        return words[0].lower() in GENERIC_LABELS
    if not words[0][:1].isupper() or not words[-1][:1].isupper() or words[-1].endswith((",", ";")):
        return False
    for w in words:
        bare = w.strip("(),.'\"“”’")
        # A number marks a title or a date ("Executive Order On Awarding the 2021 Prize:").
        if bare and not (bare[0].isupper() or bare.lower() in CONNECTORS or bare in "–—&-"):
            return False
    return True


def _role_suffix(words: list[str]) -> int:
    """Length of the label that ends the words and opens with a role word after a heading, else 0."""
    for i in range(1, len(words) - 2):
        before = words[i - 1]
        # After a number the role word is part of a title ("the 2021 Presidential Prize in ...").
        if (
            words[i] in _ROLE_START
            and before.lower() not in _FUNCTION_WORDS
            and not before[:1].isdigit()
            and _is_label(words[i:])
        ):
            return len(words) - i
    return 0


def _tidy(label: str) -> str:
    """The label as written, cut before a flattened tooltip ("Tokayev Tokayev Kassym-Jomart...")."""
    m = _REPEATED_WORD.search(label)
    return label[: m.end(1)] if m else label


def _short_forms(label: str) -> set[str]:
    """The label and its last two and three words: the forms used later ("Vladimir Putin")."""
    words = label.split()
    return {label, " ".join(words[-2:]), " ".join(words[-3:])}
