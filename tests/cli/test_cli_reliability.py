"""The CLI under hostile input (issue 12): one-line exit-2 errors, and nothing raw reaches the terminal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from assistant.cli import format_answer, printable
from assistant.types import Answer, Citation


def run(*args: str, store: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_RAISE"}
    return subprocess.run([str(ROOT / ".venv/bin/assistant"), *args, "--store", str(store)], capture_output=True,
                          env=env, cwd=ROOT, timeout=300)


@pytest.mark.parametrize("args, field", [
    pytest.param(["--date-from", "2022-13-45"], b"--date-from", id="bad-date"),
    pytest.param(["--date-from", "yesterday"], b"--date-from", id="words-for-date"),
    pytest.param(["--date-from", "2023-01-01", "--date-to", "2022-01-01"], b"--date-to", id="from-after-to"),
    pytest.param(["--document", "nonexistent"], b"--document", id="unknown-document"),
])
def test_bad_filters_exit_2_with_one_line(seed_store: Path, args: list[str], field: bytes) -> None:
    got = run("ask", "How many parties?", *args, store=seed_store)
    assert got.returncode == 2
    (line,) = got.stderr.strip().splitlines()
    assert line.startswith(b"error: ") and field in line


@pytest.mark.parametrize("question", [b"?!?...,;:", "😀".encode(), b"\xff"])
def test_content_free_or_undecodable_question_exits_2(seed_store: Path, question: bytes) -> None:
    got = subprocess.run([str(ROOT / ".venv/bin/assistant"), "ask", question, "--store", str(seed_store)],
                         capture_output=True, cwd=ROOT, timeout=300, env={k: v for k, v in os.environ.items() if k != "ASSISTANT_RAISE"})
    assert got.returncode == 2 and b"Traceback" not in got.stderr
    assert len(got.stderr.strip().splitlines()) == 1


def test_ask_in_another_script_abstains(seed_store: Path) -> None:
    got = run("ask", "Сколько партий выдвинули кандидатов?", store=seed_store)
    assert got.returncode == 0 and "The transcripts don't say" in got.stdout.decode()


def test_terminal_escape_codes_in_corpus_text_are_stripped() -> None:
    evil = "Hello\x1b[2J\x1b]0;pwned\x07 world\x9b31m\u202eevil"
    c = Citation(marker=1, turn_id="d#1", document="d", title="T\x1b[H", date="2022-01-01", place="", speaker="A\x1b[1m",
                 role="", kind="speech", quote=evil, text=evil, source="x", start=0, end=1, attribution="A\x1b[1m")
    shown = printable(format_answer(Answer(question="q", search_question="q", answer=evil + " [1]", abstained=False,
                                           backend="extractive", citations=[c])))
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert "Hello" in shown and "world" in shown
