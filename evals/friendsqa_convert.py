"""Convert the FriendsQA dev set into a turn corpus and an eval set for the runner.

Input: ``friendsqa_dev.json`` (emorynlp/FriendsQA, Apache-2.0), SQuAD-like::

    {"data": [{"title": "s01_e23_c06",
               "paragraphs": [{"utterances:": [{"uid": 0, "speakers": ["Ross Geller"], "utterance": "Breathe ."}],
                               "qas": [{"id": ..., "question": ..., "answers": [
                                   {"answer_text", "utterance_id", "inner_start", "inner_end", "is_speaker"}]}]}]}]}

Note the key is literally ``"utterances:"`` (trailing colon) and the text is tokenised
("do n't", "gon na").

Outputs:

* ``evals/friendsqa/corpus.jsonl``: one JSON object per dialogue (scene), in the project's
  JSON turn format ``{"id": "<title>", "title": "Friends <title>", "turns": [{"speaker", "text"}]}``.
  The scenes are parsed by the FriendsQA reader (``assistant/ingest/readers/friendsqa.py``), so the
  corpus is what indexing the dev file itself gives: turn *n* (1-based) is utterance ``uid = n - 1``, a
  turn id is ``"<title>#<n>"``, several speakers are joined with ``" and "``, and a ``#NOTE#`` line
  (a stage direction) is a ``narration`` turn by "Scene" (``"kind": "narration"``). Utterance text is
  kept as tokenised, so gold answer spans stay exact substrings of their turn.
* ``evals/friendsqa.yaml``: one case per question (a seeded, deterministic sample of ``--limit``
  questions, kept in file order). ``answer_all`` holds one group with every gold answer text as
  alternatives; ``cite`` names the gold turn(s) (a list of alternative turns when the answers point at
  different utterances). Questions with any speaker answer get the tag ``who``; when *all* their
  answers are speaker answers they also get ``expect.speaker``.

Usage: ``.venv/bin/python evals/friendsqa_convert.py [--limit 150] [--seed 0]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import CorpusError
from assistant.ingest.readers import friendsqa

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = PROJECT_ROOT.parent / "shared" / "corpora" / "friendsqa" / "dat" / "friendsqa_dev.json"
DEFAULT_CORPUS = PROJECT_ROOT / "evals" / "friendsqa" / "corpus.jsonl"
DEFAULT_YAML = PROJECT_ROOT / "evals" / "friendsqa.yaml"

# Punctuation tokens that FriendsQA spans often drag along at their edges ("Jordie .", "Guru Saj ,").
_EDGE_PUNCT = re.compile(r"^[\s.,!?;:…\-–—\"'`()\[\]]+|[\s.,!?;:…\-–—\"'`()\[\]]+$")


@dataclass
class Question:
    """One FriendsQA question with the dialogue it belongs to."""

    title: str
    qid: str
    text: str
    answers: list[dict[str, Any]]  # utterance_id already offset to the dialogue's 0-based turn index


def detokenize_question(text: str) -> str:
    """Undo the most visible tokenisation in a question ("Ross 's son ?" -> "Ross's son?")."""
    s = text.replace("``", '"').replace("''", '"')
    s = re.sub(r"\s+([?.!,;:])", r"\1", s)
    s = re.sub(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)
    s = re.sub(r"\b(gon|wan) na\b", r"\1na", s)
    return re.sub(r"\s+", " ", s).strip()


def clean_answer(text: str) -> str:
    """Strip stray punctuation tokens and spaces from the edges of an answer span."""
    cleaned = _EDGE_PUNCT.sub("", text).strip()
    return cleaned or text.strip()


def kebab(text: str) -> str:
    """A FriendsQA question id as a kebab-case case id ("s01_e23_c06_What" -> "s01-e23-c06-what")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def unique(items: list[str]) -> list[str]:
    """Items in first-seen order, duplicates (case-insensitive) dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def load(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The FriendsQA file's scenes in the corpus turn format (parsed by the reader), and the raw data."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        scenes = friendsqa.scene_documents(path, data)
    except (OSError, json.JSONDecodeError, CorpusError) as exc:
        raise SystemExit(f"{path}: cannot read FriendsQA JSON ({exc})") from exc
    dialogues = []
    for doc in scenes:
        turns = [{"speaker": t.label, "text": t.text} | ({"kind": t.kind} if t.kind != "speech" else {}) for t in doc.turns]
        dialogues.append({"id": doc.doc_id, "title": doc.title, "turns": turns})
    return dialogues, data


def questions_of(data: dict[str, Any], dialogues: list[dict[str, Any]]) -> list[Question]:
    """Every answerable question in file order, its answers' utterance ids made turn indices of its scene."""
    questions: list[Question] = []
    for item, dialogue in zip(data["data"], dialogues):
        title, n_turns, offset = dialogue["id"], len(dialogue["turns"]), 0
        for para in item["paragraphs"]:
            for qa in para["qas"]:
                # uids restart at 0 in each paragraph (dev has one per dialogue)
                answers = [dict(a, utterance_id=offset + int(a["utterance_id"])) for a in qa.get("answers") or []]
                if not answers:
                    continue
                for ans in answers:
                    if not 0 <= ans["utterance_id"] < n_turns:
                        raise SystemExit(f"{qa['id']}: answer points at missing utterance {ans['utterance_id']}")
                questions.append(Question(title, str(qa["id"]), str(qa["question"]), answers))
            offset += len(next(para[k] for k in friendsqa.UTTERANCES_KEYS if k in para))
    return questions


def to_case(q: Question) -> dict[str, Any]:
    """One eval case for a FriendsQA question."""
    texts = unique([clean_answer(a["answer_text"]) for a in q.answers])
    turn_ids = unique([f"{q.title}#{int(a['utterance_id']) + 1}" for a in q.answers])
    speaker_answers = [a for a in q.answers if a["is_speaker"]]
    expect: dict[str, Any] = {"answer_all": [texts]}
    if speaker_answers and len(speaker_answers) == len(q.answers):
        expect["speaker"] = unique([a["answer_text"].strip() for a in speaker_answers])
    expect["cite"] = [{"turn": turn_ids[0] if len(turn_ids) == 1 else turn_ids}]
    case: dict[str, Any] = {"id": kebab(q.qid), "question": detokenize_question(q.text)}
    if speaker_answers:
        case["tags"] = ["who"]
    case["expect"] = expect
    return case


def sample(questions: list[Question], limit: int, seed: int) -> list[Question]:
    """A deterministic sample of ``limit`` questions (all when limit <= 0), in file order."""
    if limit <= 0 or limit >= len(questions):
        return list(questions)
    picked = sorted(random.Random(seed).sample(range(len(questions)), limit))
    return [questions[i] for i in picked]


def corpus_ref(corpus_path: Path) -> str:
    """The corpus path as the YAML should name it: relative to the project root when possible."""
    try:
        return corpus_path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return corpus_path.resolve().as_posix()


def write_outputs(
    dialogues: list[dict[str, Any]], cases: list[dict[str, Any]], corpus_path: Path, yaml_path: Path,
    source: Path, limit: int, seed: int, total: int,
) -> None:
    """Write the JSONL corpus and the eval YAML."""
    corpus_path.parent.mkdir(parents=True, exist_ok=True)
    with corpus_path.open("w", encoding="utf-8") as fh:
        for dialogue in dialogues:
            fh.write(json.dumps(dialogue, ensure_ascii=False) + "\n")
    doc = {
        "name": "friendsqa",
        "description": (
            f"FriendsQA dev (emorynlp/FriendsQA, Apache-2.0): {len(cases)} of {total} questions "
            f"(seed {seed}) over {len(dialogues)} Friends scenes; gold turn ids from utterance_id."
        ),
        "corpus": [corpus_ref(corpus_path)],
        "cases": cases,
    }
    header = (
        "# GENERATED by evals/friendsqa_convert.py; do not edit by hand, re-run the script.\n"
        f"# source: {source.name} ({total} answerable questions); --limit {limit} --seed {seed}\n"
        "# Answers and turn text are tokenised as in FriendsQA (\"do n't\"); questions are lightly detokenised.\n"
    )
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=None)
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(header + body, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="friendsqa_dev.json")
    ap.add_argument("--corpus-out", type=Path, default=DEFAULT_CORPUS, help="JSONL turn corpus to write")
    ap.add_argument("--yaml-out", type=Path, default=DEFAULT_YAML, help="eval set YAML to write")
    ap.add_argument("--limit", type=int, default=150, help="questions to sample (0 = all)")
    ap.add_argument("--seed", type=int, default=0, help="random seed for the sample")
    args = ap.parse_args(argv)

    dialogues, data = load(args.input)
    questions = questions_of(data, dialogues)
    chosen = sample(questions, args.limit, args.seed)
    cases = [to_case(q) for q in chosen]
    ids = [c["id"] for c in cases]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate case ids after kebab-casing")
    write_outputs(dialogues, cases, args.corpus_out, args.yaml_out, args.input, args.limit, args.seed, len(questions))
    n_turns = sum(len(d["turns"]) for d in dialogues)
    print(
        f"{len(dialogues)} dialogues / {n_turns} turns -> {args.corpus_out}\n"
        f"{len(cases)} cases ({sum('tags' in c for c in cases)} who) of {len(questions)} questions -> {args.yaml_out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
