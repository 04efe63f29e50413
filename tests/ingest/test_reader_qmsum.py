"""QMSum meeting reader: small made-up meetings in QMSum's shape, and the real training meetings.

The made-up files copy the layout of ``shared/corpora/qmsum_train/train/*.json`` (Yale-LILY/QMSum, MIT):
a top-level object with ``topic_list``, ``general_query_list``, ``specific_query_list`` and
``meeting_transcripts`` ([{speaker, content}]), pretty-printed with four spaces as upstream.
Measured on the real split: 162 meetings, 88,336 turns (81 of them empty), 426 distinct labels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import CorpusError
from assistant.ingest.corpus import load_corpus
from assistant.ingest.readers import qmsum, read_file

TRAIN = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "qmsum_train" / "train"


def meeting(*turns: tuple[str, str]) -> dict[str, Any]:
    """A QMSum meeting object with the given (speaker, content) turns."""
    return {
        "topic_list": [{"topic": "Remote control design", "relevant_text_span": [["0", str(len(turns) - 1)]]}],
        "general_query_list": [{"query": "Summarize the whole meeting.", "answer": "They met."}],
        "specific_query_list": [
            {"query": "What did the group decide?", "answer": "A yellow remote.", "relevant_text_span": [["1", "1"]]}
        ],
        "meeting_transcripts": [{"speaker": s, "content": c} for s, c in turns],
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")
    return path


def test_one_document_per_meeting(tmp_path: Path) -> None:
    path = write(tmp_path / "ES2099a.json", meeting(
        ("Project Manager", "Okay . Um {vocalsound} let 's start ."),
        ("Marketing", ""),
        ("Industrial Designer", "  The case will be yellow .  "),
    ))
    (doc,) = read_file(path)
    assert (doc.doc_id, doc.title, doc.format) == ("qmsum-ES2099a", "ES2099a (product meeting)", "qmsum")
    assert (doc.date, doc.time, doc.place) == (None, None, None)  # meetings are undated
    assert [t.label for t in doc.turns] == ["Project Manager", "Marketing", "Industrial Designer"]
    # The empty entry stays, so turn n is transcript index n - 1 (the spans' numbering).
    assert [t.text for t in doc.turns] == ["Okay . Um {vocalsound} let 's start .", "", "The case will be yellow ."]
    text = path.read_text(encoding="utf-8")
    first = doc.turns[0]
    assert json.loads(f'"{text[first.start:first.end]}"') == first.text


@pytest.mark.parametrize(
    ("stem", "title"),
    [
        pytest.param("covid_7", "covid_7 (parliamentary committee)", id="parliament"),
        pytest.param("Bmr031", "Bmr031 (academic meeting)", id="icsi"),
        pytest.param("board-2024", "board-2024", id="unknown-stem-is-the-title"),
    ],
)
def test_title_from_file_stem(tmp_path: Path, stem: str, title: str) -> None:
    (doc,) = read_file(write(tmp_path / f"{stem}.json", meeting(("The Chair", "Good morning."))))
    assert doc.title == title


def test_undated_meetings_resolve_and_keep_labels(tmp_path: Path) -> None:
    write(tmp_path / "covid_99.json", meeting(("Lynne Neagle AM", "Welcome."), ("Kirsty Williams AM", "Thank you.")))
    corpus = load_corpus([tmp_path])
    (doc,) = corpus.documents
    assert [t.id for t in doc.turns] == ["qmsum-covid_99#1", "qmsum-covid_99#2"]
    assert doc.date is None and corpus.skipped == []
    # Post-nominal letters are no part of the name; the label as written still names the person.
    assert {p.name for p in corpus.people} == {"Lynne Neagle", "Kirsty Williams"}
    assert corpus.people.resolve("Kirsty Williams AM") == ["Kirsty Williams"]
    assert corpus.people.resolve("Williams") == ["Kirsty Williams"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"meeting_transcripts": {"speaker": "A"}}, "meeting_transcripts: expected a list, got an object",
                     id="transcripts-not-a-list"),
        pytest.param({"meeting_transcripts": ["hello"]}, "meeting_transcripts[0]: expected an object, got a string",
                     id="turn-not-an-object"),
        pytest.param({"meeting_transcripts": [{"content": "Hi ."}]}, "meeting_transcripts[0].speaker: missing",
                     id="missing-speaker"),
        pytest.param({"meeting_transcripts": [{"speaker": " ", "content": "Hi ."}]},
                     "meeting_transcripts[0].speaker: empty", id="empty-speaker"),
        pytest.param({"meeting_transcripts": [{"speaker": "A", "content": "ok"}, {"speaker": "B", "content": None}]},
                     "meeting_transcripts[1].content: null, expected a string", id="null-content"),
        pytest.param({"meeting_transcripts": [{"speaker": "A", "content": 4}]},
                     "meeting_transcripts[0].content: expected a string, got a number", id="content-not-a-string"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, data: dict[str, Any], message: str) -> None:
    path = write(tmp_path / "Bro099.json", data)
    with pytest.raises(CorpusError) as err:
        read_file(path)
    assert str(err.value) == f"{path}: {message}"


def test_empty_meeting_is_a_skip_naming_the_format(tmp_path: Path) -> None:
    path = write(tmp_path / "IS1099a.json", meeting())
    with pytest.raises(CorpusError, match="recognised as qmsum but holds no speaker turns"):
        read_file(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(json.dumps(meeting(("A", "b"))), True, id="qmsum-meeting"),
        pytest.param(json.dumps({"title": "t", "meeting_transcripts": [], "turns": []}), False,
                     id="object-with-turns-stays-json-turns"),
        pytest.param(json.dumps({"title": "t", "turns": [{"speaker": "A", "text": "the meeting_transcripts key"}]}),
                     False, id="key-only-in-text"),
        pytest.param(json.dumps([meeting(("A", "b"))]), False, id="a-list-of-meetings"),
        pytest.param('{"meeting_transcripts": [', False, id="broken-json-left-to-json-turns"),
    ],
)
def test_detect(text: str, expected: bool) -> None:
    assert qmsum.detect(Path("x.json"), text) is expected


def test_json_turn_file_is_still_read_as_json_turns(tmp_path: Path) -> None:
    data = {"title": "Talk", "meeting_transcripts": "ignored", "turns": [{"speaker": "Vladimir Putin", "text": "Hi."}]}
    (doc,) = read_file(write(tmp_path / "talk.json", data))
    assert doc.format == "json-turns"


@pytest.mark.skipif(not (TRAIN / "Bed004.json").exists(), reason="QMSum training split not present")
def test_real_meeting() -> None:
    (doc,) = read_file(TRAIN / "Bed004.json")
    data = json.loads((TRAIN / "Bed004.json").read_text(encoding="utf-8"))
    assert doc.doc_id == "qmsum-Bed004" and doc.title == "Bed004 (academic meeting)"
    assert len(doc.turns) == len(data["meeting_transcripts"])
    # Span 39-127 of the first query starts at "Let 's get started" (turn 40).
    assert doc.turns[39].text.startswith("Let 's get started")
    assert all((t.start, t.end) != (0, 0) for t in doc.turns if t.text)
