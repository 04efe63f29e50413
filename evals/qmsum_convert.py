"""Convert the QMSum training meetings of the dev and test splits into turn corpora and eval sets.

Input: ``../shared/corpora/qmsum_train/train/*.json`` (Yale-LILY/QMSum, MIT), one meeting per file::

    {"meeting_transcripts": [{"speaker": "Grad A", "content": "Hey , you 're not ..."}, ...],
     "specific_query_list": [{"query": ..., "answer": ..., "relevant_text_span": [["39", "127"], ...]}],
     "general_query_list": [...], "topic_list": [...]}

``relevant_text_span`` holds inclusive ranges of 0-based indices into ``meeting_transcripts``
(checked on Bed004: span 39-127 starts at "Let 's get started" and covers the wizard discussion).

Which meetings go where is decided by ``qmsum_split(filename)`` in ``scripts/data_splits.py`` (a hash
of the file stem: dev, test or train); it is imported by path, so this script never re-implements the
rule. Train meetings are not written.

Outputs (for each of the splits dev and test):

* ``evals/qmsum/corpus_<split>.jsonl``: one JSON object per meeting, in the project's JSON turn format
  ``{"id": "qmsum-<stem>", "title": "<stem> (<kind>)", "turns": [{"speaker", "text"}]}`` where kind is
  ``parliamentary committee`` (``covid_*``, ``education_*``), ``product meeting`` (AMI: ``ES*``, ``IS*``,
  ``TS*``) or ``academic meeting`` (ICSI: ``B*``). Turn *n* (1-based) is transcript index ``n - 1``,
  so a turn id is ``"qmsum-<stem>#<index + 1>"``. Text is kept as in QMSum, tokenised and with its
  markers (``{disfmarker}``, ``{vocalsound}``, ``{pause}``, ...): they are plain text and do not break
  JSON. Empty turns are kept (with empty text) so that the numbering stays aligned with the spans.
* ``evals/qmsum_<split>.yaml``: one case per *specific* query of the split's meetings, in file order.
  QMSum answers are abstractive, so a case has no ``answer_all``; it expects a citation of any turn
  inside any gold span: ``expect: {cite: [{turn: [every turn id in the spans]}]}``. Each case carries
  ``filters: {document: qmsum-<stem>}`` (QMSum asks a query about one given meeting; without the filter
  many queries, "Summarize the discussion about the remote control", would have several right meetings)
  unless ``--no-document-filter`` is given. Tags: ``[qmsum, <kind slug>]``.

Usage: ``.venv/bin/python evals/qmsum_convert.py [--input DIR] [--splits-module scripts/data_splits.py]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import CorpusError
from assistant.ingest.readers import qmsum

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = PROJECT_ROOT.parent / "shared" / "corpora" / "qmsum_train" / "train"
DEFAULT_SPLITS_MODULE = PROJECT_ROOT / "scripts" / "data_splits.py"
DEFAULT_CORPUS_DIR = PROJECT_ROOT / "evals" / "qmsum"
DEFAULT_YAML_DIR = PROJECT_ROOT / "evals"
SPLITS = ("dev", "test")


def meeting_kind(stem: str) -> tuple[str, str]:
    """(kind, tag) of a QMSum meeting from its file stem (the reader's rule), or exit for an unknown stem."""
    kind = qmsum.meeting_kind(stem)
    if kind is None:
        raise SystemExit(f"{stem}: unknown QMSum meeting kind (expected covid_*, education_*, ES*/IS*/TS* or B*)")
    return kind


def load_split_rule(module_path: Path) -> Callable[[str], str]:
    """``qmsum_split`` from the shared split module, imported by path."""
    if not module_path.is_file():
        raise SystemExit(f"{module_path}: split module not found (pass --splits-module)")
    spec = importlib.util.spec_from_file_location("qmsum_data_splits", module_path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{module_path}: cannot import")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rule = getattr(module, "qmsum_split", None)
    if not callable(rule):
        raise SystemExit(f"{module_path}: no qmsum_split(filename) function")
    return rule


def kebab(text: str) -> str:
    """A meeting stem as a kebab-case id part ("covid_10" -> "covid-10", "Bed004" -> "bed004")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def load_meeting(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """One QMSum meeting file: the corpus document (as the QMSum reader parses it) and the raw data."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        raw = qmsum.meeting_document(path, data)
    except (OSError, json.JSONDecodeError, CorpusError) as exc:
        raise SystemExit(f"{path}: cannot read QMSum JSON ({exc})") from exc
    document = {"id": raw.doc_id, "title": raw.title, "turns": [{"speaker": t.label, "text": t.text} for t in raw.turns]}
    return document, data


def convert_meeting(
    stem: str, document: dict[str, Any], data: dict[str, Any], document_filter: bool
) -> list[dict[str, Any]]:
    """One eval case per specific query of the meeting."""
    _, tag = meeting_kind(stem)
    doc_id, turns = document["id"], document["turns"]
    cases = []
    for k, q in enumerate(data.get("specific_query_list") or [], start=1):
        question = re.sub(r"\s+", " ", str(q.get("query") or "")).strip()
        if not question:
            raise SystemExit(f"{stem}: specific query {k} is empty")
        indices: set[int] = set()
        for span in q.get("relevant_text_span") or []:
            lo, hi = int(span[0]), int(span[1])
            if not 0 <= lo <= hi < len(turns):
                raise SystemExit(f"{stem}: query {k}: span {span} outside the {len(turns)} turns")
            indices.update(range(lo, hi + 1))
        if not indices:
            raise SystemExit(f"{stem}: query {k} has no relevant_text_span")
        case: dict[str, Any] = {"id": f"{kebab(stem)}-q{k}", "question": question, "tags": ["qmsum", tag]}
        if document_filter:
            case["filters"] = {"document": doc_id}
        case["expect"] = {"cite": [{"turn": [f"{doc_id}#{i + 1}" for i in sorted(indices)]}]}
        cases.append(case)
    return cases


def corpus_ref(corpus_path: Path) -> str:
    """The corpus path as the YAML should name it: relative to the project root when possible."""
    try:
        return corpus_path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return corpus_path.resolve().as_posix()


def _rel(path: Path) -> str:
    """A path relative to the project root (``../shared/...``) when it can be written so."""
    try:
        return Path(os.path.relpath(path.resolve(), PROJECT_ROOT)).as_posix()
    except ValueError:
        return str(path)


def write_split(
    split: str, documents: list[dict[str, Any]], cases: list[dict[str, Any]], corpus_dir: Path, yaml_dir: Path,
    source: Path, splits_module: Path, kinds: dict[str, int], document_filter: bool,
) -> tuple[Path, Path]:
    """Write one split's JSONL corpus and eval YAML."""
    corpus_path = corpus_dir / f"corpus_{split}.jsonl"
    yaml_path = yaml_dir / f"qmsum_{split}.yaml"
    corpus_path.parent.mkdir(parents=True, exist_ok=True)
    with corpus_path.open("w", encoding="utf-8") as fh:
        for doc in documents:
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    kinds_text = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    doc = {
        "name": f"qmsum_{split}",
        "description": (
            f"QMSum train split (Yale-LILY/QMSum, MIT), the {len(documents)} {split} meetings ({kinds_text}): "
            f"{len(cases)} specific queries, gold = any turn inside the relevant text spans."
        ),
        "split": split,
        "corpus": [corpus_ref(corpus_path)],
        "cases": cases,
    }
    module_ref = _rel(splits_module)
    header = (
        "# GENERATED by evals/qmsum_convert.py; do not edit by hand, re-run the script.\n"
        f"# source: {_rel(source)} ; split rule: qmsum_split() in {module_ref} (hash of the file stem).\n"
        "# One case per specific query; QMSum answers are abstractive, so cases expect only a citation of any\n"
        "# turn inside the gold spans (turn n = transcript index n-1)"
        + ("; each case is filtered to its own meeting.\n" if document_filter else ".\n")
        + ("# split: test -- run and report only, never tune on it.\n" if split == "test" else "")
    )
    body = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=None)
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(header + body, encoding="utf-8")
    return corpus_path, yaml_path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="folder of QMSum meeting JSON files")
    ap.add_argument("--splits-module", type=Path, default=DEFAULT_SPLITS_MODULE, help="file defining qmsum_split()")
    ap.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR, help="where corpus_<split>.jsonl go")
    ap.add_argument("--yaml-dir", type=Path, default=DEFAULT_YAML_DIR, help="where qmsum_<split>.yaml go")
    ap.add_argument("--no-document-filter", action="store_true", help="do not restrict each case to its meeting")
    args = ap.parse_args(argv)

    rule = load_split_rule(args.splits_module)
    files = sorted(args.input.glob("*.json"))
    if not files:
        raise SystemExit(f"{args.input}: no *.json meeting files")
    per_split: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]] = {
        s: ([], [], {}) for s in SPLITS
    }
    for path in files:
        split = rule(path.name)
        if split not in per_split:
            continue
        document, data = load_meeting(path)
        cases = convert_meeting(path.stem, document, data, not args.no_document_filter)
        docs, all_cases, kinds = per_split[split]
        docs.append(document)
        all_cases.extend(cases)
        kind = meeting_kind(path.stem)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    for split, (docs, cases, kinds) in per_split.items():
        ids = [c["id"] for c in cases]
        if len(set(ids)) != len(ids):
            raise SystemExit(f"{split}: duplicate case ids")
        corpus_path, yaml_path = write_split(
            split, docs, cases, args.corpus_dir, args.yaml_dir, args.input, args.splits_module, kinds,
            not args.no_document_filter,
        )
        n_turns = sum(len(d["turns"]) for d in docs)
        print(f"{split}: {len(docs)} meetings / {n_turns} turns -> {corpus_path}; {len(cases)} cases -> {yaml_path}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
