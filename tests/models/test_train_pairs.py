"""The training script's sentence-level pairs, on a made-up FriendsQA scene (no torch needed)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import train_reader

SCENE = {
    "data": [
        {
            "title": "s01_e01_c01",
            "paragraphs": [
                {
                    "utterances:": [
                        {"speakers": ["Monica Geller"], "utterance": "Hi . What are you going to call him ?"},
                        {
                            "speakers": ["Ross Geller"],
                            "utterance": "I do n't know yet . I was thinking Jamie . You know , after my grandfather .",
                        },
                        {"speakers": ["#NOTE#"], "utterance": "Ross leaves the coffee house ."},
                    ],
                    "qas": [
                        {
                            "id": "s01_e01_c01_What",
                            "question": "What does Ross want to name his son ?",
                            "answers": [{"answer_text": "Jamie", "utterance_id": 1, "inner_start": 9, "inner_end": 9, "is_speaker": False}],
                        },
                        {
                            "id": "s01_e01_c01_Who",
                            "question": "Who leaves ?",
                            "answers": [{"answer_text": "Ross", "utterance_id": 1, "inner_start": 0, "inner_end": 0, "is_speaker": True}],
                        },
                    ],
                }
            ],
        }
    ]
}


def test_the_answer_span_names_its_sentence_and_its_neighbours_are_the_hard_negatives(tmp_path: Path) -> None:
    path = tmp_path / "friendsqa.json"
    path.write_text(json.dumps(SCENE), encoding="utf-8")
    (scene,) = train_reader.load_friendsqa_sentences(path)
    assert scene.texts[:2] == ["Monica Geller: Hi.", "Monica Geller: What are you going to call him?"]
    assert "Narrator: Ross leaves the coffee house." in scene.texts
    # An answer that is who speaks points at no sentence: only the "What" question is kept.
    (query,) = scene.queries
    assert [scene.texts[i] for i in query.gold] == ["Ross Geller: I was thinking Jamie."]

    pairs = train_reader.friendsqa_sentence_pairs([scene], random.Random(0))
    positives = [p.text for p in pairs if p.label == 1.0]
    same = {p.text for p in pairs if p.source == "friendsqa-sent-same-utterance"}
    assert positives == ["Ross Geller: I was thinking Jamie."]
    assert same == {"Ross Geller: I don't know yet.", "Ross Geller: You know, after my grandfather."}
    assert all(p.label == 0.0 for p in pairs if p.source != "friendsqa-sent-pos")


def test_training_stops_before_training_when_a_package_is_missing(monkeypatch, capsys):
    """Without onnx the export fails; the script says so, naming the extra, before reading any data or training."""
    # Every other package present, whatever this machine has installed.
    monkeypatch.setattr(train_reader.importlib.util, "find_spec", lambda n, *a: None if n == "onnx" else object())
    assert train_reader.missing_packages(("onnx", "numpy")) == ["onnx"]
    # Paths that do not exist: reaching the data would raise, so a return of 2 shows nothing past the check ran.
    code = train_reader.main(["--qmsum", "/nonexistent/qmsum", "--friendsqa", "/nonexistent/friendsqa.json"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err == "train_reader.py: missing onnx: pip install -e '.[train]'"
