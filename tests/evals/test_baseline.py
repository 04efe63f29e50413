"""The plain LlamaIndex baseline: its index over the seeds, persistence, and the hit/attribution check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evals.baseline import Baseline, Chunk, Needle, baseline_files, locate

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def chunks(*texts: str) -> list[Chunk]:
    return [Chunk(text=t, score=1.0 - i / 10, file=f"f{i}.txt") for i, t in enumerate(texts)]


PAMFILOVA = Needle("24 parties have nominated their candidates", ["Ella Pamfilova", "Pamfilova"])


@pytest.mark.parametrize(
    "texts, rank, attributed",
    [
        pytest.param(["Putin: hello.", "Ella Pamfilova: Of these, 24 parties have nominated their candidates."], 2, True, id="label-just-before"),
        pytest.param(["Ella Pamfilova: " + "x " * 200 + "Of these, 24 parties have nominated their candidates."], 1, False, id="label-too-far"),
        pytest.param(["Vladimir Putin: Of these, 24 parties  have\nnominated their candidates."], 1, False, id="wrong-speaker-whitespace-normalised"),
        pytest.param(["<p><b>Ella&nbsp;Pamfilova:</b> 24 parties have nominated their candidates</p>"], 1, True, id="html-entities-and-tags"),
        pytest.param(["nothing here", "nor here"], None, False, id="miss"),
    ],
)
def test_locate(texts: list[str], rank: int | None, attributed: bool) -> None:
    assert locate(chunks(*texts), [PAMFILOVA]) == (rank, attributed)


def test_locate_finds_json_escaped_text() -> None:
    needle = Needle("I don’t know, \"Jordie\"", ["Ross Geller"])
    raw = json.dumps({"speaker": "Ross Geller", "text": needle.text})  # ensure_ascii: \u2019 and \" in the raw file
    assert locate(chunks(raw), [needle]) == (1, True)


def test_baseline_files_keep_the_usual_extensions(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.md", "d.jsonl", "e.pdf"):
        (tmp_path / name).write_text("x")
    assert [f.name for f in baseline_files([tmp_path])] == ["a.txt", "b.html", "d.jsonl"]


def test_baseline_over_the_seeds_hits_and_persists(tmp_path: Path) -> None:
    b = Baseline([SEEDS], tmp_path / "baseline")
    first = b.build()
    assert first.files == 2 and first.chunks > 0 and first.embedded
    got = b.retrieve("How many parties nominated candidates in 2022?")
    assert 0 < len(got) <= 5 and all(c.file.endswith(".txt") for c in got)
    rank, _ = locate(got, [PAMFILOVA])
    assert rank is not None
    # Reopening the same corpus embeds nothing and keeps the chunk count.
    again = Baseline([SEEDS], tmp_path / "baseline").build()
    assert not again.embedded and again.chunks == first.chunks
