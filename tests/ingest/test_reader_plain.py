"""Plain-text ``Name: text`` transcript reader.

Fixture fixtures/putin_beijing_2017_press.txt: the first seven turns of "Replies to journalists'
questions" (Beijing, May 15, 2017; en.kremlin.ru/events/president/news/54499, from
shared/corpora/kremlin_en_2010_2020_mirror), rewritten as a title line, Date/Time/Place/URL
headers and one ``Label: text`` line per turn with its further paragraphs on their own lines.
CC BY 4.0, en.kremlin.ru.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.readers import plain_text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "putin_beijing_2017_press.txt"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def read_text(tmp_path: Path, content: str, name: str = "talk.txt") -> list:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert plain_text.detect(path, content)
    return plain_text.read(path, content)


def test_press_statements_fixture() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert plain_text.detect(FIXTURE, text)
    (doc,) = plain_text.read(FIXTURE, text)
    assert doc.doc_id == "putin_beijing_2017_press"
    assert doc.format == "plain-text"
    assert doc.title == "Replies to journalists’ questions"
    assert (doc.date, doc.time, doc.place) == ("2017-05-15", "13:20", "Beijing")
    assert doc.url == "http://en.kremlin.ru/events/president/news/54499"
    assert [t.label for t in doc.turns] == [
        "President of Russia Vladimir Putin",
        "Question",
        "Vladimir Putin",
        "Question",
        "Vladimir Putin",
        "Question",
        "Vladimir Putin",
    ]
    first, question = doc.turns[0], doc.turns[1]
    assert first.text == (
        "Good afternoon.\nLet me dispense with opening remarks and get straight on with answering any "
        "questions you may have. Please, go ahead."
    )
    assert question.text.endswith("in practical terms?\nThank you.")
    assert doc.turns[-1].text.startswith("Firstly, I would like to reiterate")


def test_offsets_span_label_line_to_last_continuation() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    (doc,) = plain_text.read(FIXTURE, text)
    for turn in doc.turns:
        span = text[turn.start : turn.end]
        assert span.startswith(f"{turn.label}: ")
        assert span.endswith(turn.text.split("\n")[-1])


def test_title_header_key_label_alone_and_intro(tmp_path: Path) -> None:
    (doc,) = read_text(
        tmp_path,
        "TITLE: Budget briefing\nlocation: Moscow\n\n"
        "The minister opened the briefing.\n"  # before the first label: narration, not a turn
        "Finance Minister Anton Siluanov:\nThe deficit is shrinking.\n"
        "Anton Siluanov: Next year it will be smaller.\n"
        "Reporter Ivan Petrov: By how much?\n",
    )
    assert (doc.title, doc.place) == ("Budget briefing", "Moscow")
    assert [(t.label, t.text) for t in doc.turns] == [
        ("Finance Minister Anton Siluanov", "The deficit is shrinking."),
        ("Anton Siluanov", "Next year it will be smaller."),
        ("Reporter Ivan Petrov", "By how much?"),
    ]


def test_single_word_labels_need_two_uses(tmp_path: Path) -> None:
    (doc,) = read_text(
        tmp_path,
        "Ross: Breathe.\nSusan: Breathe.\nRoss: Breathe.\nFirstly: this line goes on Ross's turn.\n"
        "Susan: Fifteen more seconds.\n",
    )
    assert [t.label for t in doc.turns] == ["Ross", "Susan", "Ross", "Susan"]
    assert doc.turns[2].text == "Breathe.\nFirstly: this line goes on Ross's turn."


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("x.txt", "Vladimir Putin: Hello.\nElla Pamfilova: Good afternoon.\n", True, id="two-labels"),
        pytest.param("x.txt", "Q: Why?\nA: Because.\nQ: When?\nA: Soon.\n", True, id="q-and-a"),
        pytest.param(
            "x.txt",
            "Events\nMeeting\nAugust 19, 2022\nVladimir Putin: Hi.\nKassym-Jomart Tokayev: Hi.\n",
            False,
            id="kremlin-text-layout",
        ),
        pytest.param("x.txt", "Vladimir Putin: Hello.\nVladimir Putin: Again.\n", False, id="one-speaker-only"),
        pytest.param(
            "x.txt",
            "Putin visits Kazan\nPhoto: TASS\nSource: Kremlin press service\nHe said it went well.\n",
            False,
            id="news-with-photo-credit",
        ),
        pytest.param(
            "x.txt",
            "The agenda is as follows: budget.\nSpeaking of parties: there are three.\n",
            False,
            id="prose-with-colons",
        ),
        pytest.param("x.txt", "Title: A talk\nDate: 2022-01-01\nPlace: Moscow\n", False, id="headers-only"),
        pytest.param("x.json", '{"turns": [{"speaker": "A B", "text": "x"}]}', False, id="json"),
    ],
)
def test_detect(name: str, text: str, expected: bool) -> None:
    assert plain_text.detect(Path(name), text) is expected


@pytest.mark.parametrize(
    "seed",
    [
        pytest.param("000_6ddbb2649f756b29.txt", id="news-article-seed"),
        pytest.param("004_33c056b68e5d4ba7.txt", id="kremlin-text-seed"),
    ],
)
def test_detect_leaves_seed_files_to_their_readers(seed: str) -> None:
    path = SEEDS / seed
    if not path.exists():
        pytest.skip("seed file not present")
    assert not plain_text.detect(path, path.read_text(encoding="utf-8"))
