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


def _dialogue(name: str, texts: list[str], question: str, gold: set[int]) -> train_reader.Dialogue:
    bodies = [t.split(": ", 1)[1] for t in texts]
    queries = [train_reader.Query(question, gold)]
    return train_reader.Dialogue(name, texts, [train_reader.n_words(b) for b in bodies], queries)


def test_a_perturbed_question_names_someone_or_something_the_dialogue_never_mentions() -> None:
    """The gold turn stays; the question's name or noun is swapped for another dialogue's, and the pair is negative."""
    kitchen = _dialogue(
        "kitchen",
        ["Monica Geller: I burned the lasagna again.", "Ross Geller: Did you call the landlord about the oven?"],
        "What did Monica burn in the oven?",
        {0},
    )
    budget = _dialogue(
        "budget",
        ["Kirsty Williams: The budget for schools rises next year.", "Chair: Thank you."],
        "What did Kirsty Williams say about the budget for schools?",
        {0},
    )
    pairs = train_reader.perturbed_pairs([kitchen, budget], random.Random(0), share=1.0)
    assert [p.label for p in pairs] == [0.0, 0.0]
    for p, d in zip(pairs, (kitchen, budget)):
        assert p.text == d.texts[0] and p.source in {"perturbed-name", "perturbed-word"}
        before, after = d.queries[0].text.split(), p.question.split()
        head = next(i for i, (x, y) in enumerate(zip(before, after)) if x != y)
        tail = next(i for i, (x, y) in enumerate(zip(before[::-1], after[::-1])) if x != y)
        # One name or noun swapped (a two-word name may replace a one-word one) ...
        assert len(before) - head - tail == 1 and len(after) - head - tail in {1, 2}
        # ... for words the dialogue never uses: the turn no longer answers the question.
        dialogue_words = set(" ".join(d.texts).lower().replace(".", " ").replace("?", " ").split())
        new_words = set(p.question.lower().rstrip("?").split()) - set(d.queries[0].text.lower().rstrip("?").split())
        assert new_words and not new_words & dialogue_words


def test_no_perturbed_pair_without_a_name_or_noun_to_swap() -> None:
    """A question with nothing the turn shares and no name gives no pair, rather than a question that is not changed."""
    quiet = _dialogue("quiet", ["Chair: Thank you."], "Why?", {0})
    loud = _dialogue("loud", ["Joey Tribbiani: How you doin?"], "What did Joey ask?", {0})
    pairs = train_reader.perturbed_pairs([quiet, loud], random.Random(0), share=1.0)
    assert all(p.text != "Chair: Thank you." for p in pairs)
