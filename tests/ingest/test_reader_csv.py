"""kremlin.ru CSV export reader, on the real putin.csv (shared/corpora/kremlin_en_2021_2022_peiyizhuo).

Measured on the whole file: 816 rows, 258 with speaker labels (the other 558 are news items
without speech and are skipped), 2,090 turns, 320 distinct labels; parsing takes about 0.6 s.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.readers import csv_export
from assistant.ingest.transcripts import RawDocument

CSV = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "corpora"
    / "kremlin_en_2021_2022_peiyizhuo"
    / "press_release_data"
    / "putin.csv"
)

needs_corpus = pytest.mark.skipif(not CSV.exists(), reason="kremlin CSV corpus not present")


@cache
def parsed() -> tuple[str, dict[str, RawDocument]]:
    """(file text, documents by id)."""
    text = CSV.read_text(encoding="utf-8")
    assert csv_export.detect(CSV, text)
    docs = csv_export.read(CSV, text)
    return text, {d.doc_id: d for d in docs}


@needs_corpus
def test_whole_file_counts() -> None:
    # Parse time is a benchmark figure (scripts/bench_index.py), not a test: the machine is shared.
    _, docs = parsed()
    turns = sum(len(d.turns) for d in docs.values())
    assert 240 <= len(docs) <= 280
    assert 1900 <= turns <= 2300
    assert all(t.text for d in docs.values() for t in d.turns)


@needs_corpus
def test_tokayev_meeting() -> None:
    text, docs = parsed()
    doc = docs["kremlin-68670"]
    assert doc.title == "Meeting with President of Kazakhstan Kassym-Jomart Tokayev"
    assert (doc.date, doc.time, doc.place) == ("2022-06-17", "19:45", "St Petersburg")
    assert doc.url == "http://en.kremlin.ru/events/president/news/68670"
    assert doc.lead.startswith("Vladimir Putin met with President of Kazakhstan Kassym-Jomart Tokayev")
    assert [t.label for t in doc.turns] == [
        "President of Russia Vladimir Putin",
        # The flattened tooltip ("Tokayev Kassym-JomartPresident of the Republic of Kazakhstan") is cut.
        "President of Kazakhstan Kassym-Jomart Tokayev",
    ]
    first = doc.turns[0]
    assert first.text.startswith("Mr Tokayev, Once again, good afternoon. Thank you very much for coming")
    assert first.text.endswith("both here during the talks and informally at the informal dinner.")
    assert doc.turns[1].text.endswith("Thank you again for your invitation. <…>")
    # Offsets point at the turn's text inside the body cell of the CSV file.
    assert text[first.start : first.end] == first.text


@needs_corpus
def test_news_conference_labels() -> None:
    _, docs = parsed()
    doc = docs["kremlin-67438"]  # Vladimir Putin's annual news conference, 2021-12-23
    labels = [t.label for t in doc.turns]
    assert labels[:4] == [
        "President of Russia Vladimir Putin",
        "Deputy Chief of Staff of the Presidential Executive Office– Presidential Press Secretary Dmitry Peskov",
        "Vyacheslav Terekhov",
        "Vladimir Putin",
    ]
    assert len(doc.turns) > 200
    # "And the most important question, of course: how do you assess ..." stays inside the question.
    assert "And the most important question, of course: how do you assess" in doc.turns[2].text


@needs_corpus
def test_heading_and_narration_are_not_turns() -> None:
    _, docs = parsed()
    doc = docs["kremlin-68700"]  # BRICS+ meeting: narration, "* * *", a heading, then the speech
    assert [t.label for t in doc.turns] == ["President of Russia Vladimir Putin"]
    assert doc.turns[0].text.startswith("Colleagues, friends, First, I would like to welcome")
    assert not any("* * *" in t.text for d in docs.values() for t in d.turns)


@needs_corpus
def test_rows_without_labels_are_skipped() -> None:
    _, docs = parsed()
    assert "kremlin-68699" not in docs  # a news item with no speech


@needs_corpus
def test_offsets_cover_turn_text_everywhere() -> None:
    text, docs = parsed()
    for doc in docs.values():
        for turn in doc.turns:
            raw = text[turn.start : turn.end].replace('""', '"')
            assert raw[:20] == turn.text[:20] or raw.split()[:3] == turn.text.split()[:3]


HEADER = "link,headline,date,location,summary,body\n"


def row(body: str, link: str = "http://en.kremlin.ru/events/president/news/1") -> str:
    return f'{link},Talks,2022-06-24T17:30:00Z,Moscow,Summary,"{body.replace(chr(34), chr(34) * 2)}"\n'


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        pytest.param(
            "President of Russia Vladimir Putin: The agenda is as follows: budget. Anton Siluanov: Yes. "
            "Vladimir Putin: Good.",
            ["President of Russia Vladimir Putin", "Anton Siluanov", "Vladimir Putin"],
            id="colon-in-sentence-is-not-a-label",
        ),
        pytest.param(
            'Vladimir Putin: I told Ella Pamfilova: "go ahead". Ella Pamfilova: Thank you.',
            ["Vladimir Putin", "Ella Pamfilova"],
            id="name-after-verb-is-not-a-label",
        ),
        pytest.param(
            "Beginning of talks President of Russia Vladimir Putin: Welcome. Question: Why? Vladimir Putin: Because.",
            ["President of Russia Vladimir Putin", "Question", "Vladimir Putin"],
            id="label-after-unpunctuated-heading",
        ),
        pytest.param("The President met the Governor. No statements were made.", [], id="no-labels"),
    ],
)
def test_inline_label_splitting(tmp_path: Path, body: str, labels: list[str]) -> None:
    path = tmp_path / "export.csv"
    content = HEADER + row(body)
    docs = csv_export.read(path, content)
    assert [t.label for d in docs for t in d.turns] == labels
    for turn in (t for d in docs for t in d.turns):
        assert content[turn.start : turn.end].replace('""', '"') == turn.text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "link,headline\nhttp://x/1,Talks\n", "export.csv: CSV header lacks column(s) body", id="missing-body-column"
        ),
        pytest.param(
            HEADER + 'http://x/1,Talks,2022-01-01,Moscow,S,"A B: hi"x\n',
            "export.csv: line 2: malformed CSV",
            id="text-after-closing-quote",
        ),
        pytest.param(HEADER + "http://x/1,Talks\n", "export.csv: row 2: 2 fields, the header has 6", id="short-row"),
    ],
)
def test_errors(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(CorpusError) as err:
        csv_export.read(tmp_path / "export.csv", content)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("x.csv", HEADER, True, id="kremlin-header"),
        pytest.param("x.txt", '"link","headline","body"\n', True, id="quoted-header"),
        pytest.param("x.csv", "name,score\nA,1\n", False, id="other-csv"),
        pytest.param("x.txt", "Vladimir Putin: Hello, link and body.\n", False, id="plain-text"),
        pytest.param("x.txt", "link, body, and soul\n", False, id="prose-naming-the-columns"),
    ],
)
def test_detect(name: str, text: str, expected: bool) -> None:
    assert csv_export.detect(Path(name), text) is expected


@needs_corpus
def test_a_label_straight_before_an_ellipsis_starts_a_turn() -> None:
    # Promsvyazbank meeting, 20 Dec 2021: "… Petr Fradkov:…we are laying emphasis on this as well."
    _, docs = parsed()
    doc = docs["kremlin-67389"]
    turn = next(t for t in doc.turns if "we are laying emphasis on this as well" in t.text)
    assert turn.label == "Petr Fradkov"
    assert turn.text.startswith("…we are laying emphasis")
