"""FriendsQA reader: small made-up files in FriendsQA's shape, and the real dev file.

The made-up files copy the layout of ``shared/corpora/friendsqa/dat/friendsqa_dev.json``
(emorynlp/FriendsQA, Apache-2.0): ``{"data": [{"title", "paragraphs": [{"utterances:": [{uid, speakers,
utterance}], "qas": [...]}]}], "version"}``, with the key's trailing colon as upstream.
Measured on the real file: 136 scenes, 2,847 utterances, 296 ``#NOTE#`` lines, 28 ``#ALL#``, 10 with
several speakers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import CorpusError
from assistant.ingest.corpus import load_corpus
from assistant.ingest.readers import friendsqa, read_file

DEV = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "friendsqa" / "dat" / "friendsqa_dev.json"


def utterance(uid: int, speakers: Any, text: str) -> dict[str, Any]:
    return {"uid": uid, "speakers": speakers, "utterance": text}


def scene(title: str, *utterances: dict[str, Any], key: str = "utterances:") -> dict[str, Any]:
    """One FriendsQA scene with one question pointing at its first utterance."""
    qa = {"id": f"{title}_Who", "question": "Who breathes ?", "answers": [
        {"answer_text": "Ross Geller", "utterance_id": 0, "inner_start": -1, "inner_end": -1, "is_speaker": True}]}
    return {"title": title, "paragraphs": [{key: list(utterances), "qas": [qa]}]}


def write(path: Path, *scenes: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"version": "0.1", "data": list(scenes)}, indent=2), encoding="utf-8")
    return path


SCENE = scene(
    "s09_e01_c02",
    utterance(0, ["#NOTE#"], "[ Scene : Central Perk , Ross is sitting on the couch . ]"),
    utterance(1, ["Ross Geller"], "Breathe ."),
    utterance(2, ["Chandler Bing", "Joey Tribbiani"], "Hey ."),
    utterance(3, ["#ALL#"], "Happy birthday !"),
    utterance(4, [], "( a phone rings )"),
)


def test_one_document_per_scene(tmp_path: Path) -> None:
    path = write(tmp_path / "friendsqa_dev.json", SCENE, scene("s09_e01_c03", utterance(0, ["Monica Geller"], "Hi .")))
    first, second = read_file(path)
    assert (first.doc_id, first.title, first.format) == ("s09_e01_c02", "Friends s09_e01_c02", "friendsqa")
    assert second.doc_id == "s09_e01_c03" and first.date is None
    assert [(t.label, t.kind) for t in first.turns] == [
        ("Scene", "narration"),  # a stage direction: kept (questions are asked about it), never someone's words
        ("Ross Geller", "speech"),
        ("Chandler Bing and Joey Tribbiani", "speech"),
        ("All", "speech"),
        ("Unnamed speaker", "speech"),
    ]
    text = path.read_text(encoding="utf-8")
    assert all(text[t.start:t.end] == t.text for t in first.turns)


def test_turn_n_is_utterance_n_minus_one_across_paragraphs(tmp_path: Path) -> None:
    two = {"title": "s01_e01_c01", "paragraphs": [
        {"utterances:": [utterance(0, ["Ross Geller"], "One ."), utterance(1, ["Rachel Green"], "Two .")], "qas": []},
        {"utterances:": [utterance(0, ["Ross Geller"], "Three .")], "qas": []},
    ]}
    corpus = load_corpus([write(tmp_path / "f.json", two)])
    (doc,) = corpus.documents
    assert [(t.id, t.text) for t in doc.turns] == [("s01_e01_c01#1", "One ."), ("s01_e01_c01#2", "Two ."),
                                                   ("s01_e01_c01#3", "Three .")]


def test_key_without_the_colon_is_read(tmp_path: Path) -> None:
    (doc,) = read_file(write(tmp_path / "f.json", scene("s02_e02_c02", utterance(0, ["Ross Geller"], "Hi ."), key="utterances")))
    assert doc.turns[0].text == "Hi ."


PARA = 'data[0].paragraphs[0]."utterances:"'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"data": {"title": "x"}}, "data: expected a list, got an object", id="data-not-a-list"),
        pytest.param({"data": [{"paragraphs": []}]}, "data[0].title: missing", id="missing-title"),
        pytest.param({"data": [{"title": "s", "paragraphs": [{"utterances:": None, "qas": []}]}]},
                     f"{PARA}: null, expected a list", id="null-utterances"),
        pytest.param({"data": [scene("s", utterance(0, "Ross Geller", "Hi ."))]},
                     f"{PARA}[0].speakers: expected a list, got a string", id="speakers-not-a-list"),
        pytest.param({"data": [scene("s", utterance(0, ["Ross Geller", 7], "Hi ."))]},
                     f"{PARA}[0].speakers[1]: expected a string, got a number", id="speaker-not-a-string"),
        pytest.param({"data": [scene("s", {"uid": 0, "speakers": ["Ross Geller"]})]},
                     f"{PARA}[0].utterance: missing", id="missing-utterance"),
        pytest.param({"data": [scene("s", utterance(0, ["A"], "a"), utterance(2, ["B"], "b"))]},
                     f"{PARA}[1].uid: 2 out of order (expected 1): turn numbers would not match utterance ids",
                     id="uid-out-of-order"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, data: dict[str, Any], message: str) -> None:
    path = tmp_path / "friendsqa_dev.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        friendsqa.read(path, path.read_text(encoding="utf-8"))
    assert str(err.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(json.dumps({"data": [SCENE]}), True, id="friendsqa"),
        pytest.param(json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "x", "qas": []}]}],
                                 "note": "utterances"}), False, id="squad-is-not-friendsqa"),
        pytest.param(json.dumps({"title": "t", "turns": [{"speaker": "A", "text": '"paragraphs" and "utterances'}]}),
                     False, id="json-turns-mentioning-the-keys"),
        pytest.param(json.dumps({"data": [SCENE], "turns": []}), False, id="object-with-turns-stays-json-turns"),
    ],
)
def test_detect(text: str, expected: bool) -> None:
    assert friendsqa.detect(Path("x.json"), text) is expected


@pytest.mark.skipif(not DEV.exists(), reason="FriendsQA dev file not present")
def test_real_dev_file() -> None:
    docs = read_file(DEV)
    assert len(docs) == 136 and sum(len(d.turns) for d in docs) == 2847
    first = docs[0]
    assert first.doc_id == "s01_e23_c06" and [t.text for t in first.turns[:2]] == ["Breathe .", "Breathe ."]
    assert sum(t.kind == "narration" for d in docs for t in d.turns) == 296
    assert all((t.start, t.end) != (0, 0) for d in docs for t in d.turns)
