"""The incremental index: what a re-run embeds, changed/deleted/bad files, interruption, passages, CLI.

Real data: the two seed transcripts, and for the interruption test the first 15 kremlin.ru print
pages of shared/corpora/kremlin_en_2010_2020_mirror (CC BY 4.0, en.kremlin.ru), copied to a tmp folder.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import KREMLIN, NEWS, SEEDS, by_source, copy_seeds, settings_for
from conftest import MIRROR_NEWS as MIRROR

from assistant.api import Assistant
from assistant.cli import cli
from assistant.errors import CorpusError
from assistant.index.build import build_index, open_store
from assistant.index.manifest import MANIFEST
from assistant.index.passages import build_passages, count_tokens, split_turn
from assistant.ingest.corpus import load_corpus
from assistant.text.sentences import sentence_spans


def test_second_run_embeds_nothing(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "store")
    first = build_index(s, [SEEDS])
    assert first.passages > 0 and first.embedded == first.passages and first.unchanged == 0

    second = build_index(s, [SEEDS])
    assert (second.embedded, second.unchanged, second.deleted) == (0, first.passages, 0)
    assert open_store(s).count() == first.passages

    # Without the last run's manifest the hashes come from Chroma itself, with the same result.
    (tmp_path / "store" / "lexical" / MANIFEST).unlink()
    third = build_index(s, [SEEDS])
    assert (third.embedded, third.unchanged, third.deleted) == (0, first.passages, 0)


def test_changed_file_replaces_only_its_changed_turn(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    total = build_index(s, [corpus]).passages
    before = open_store(s).hashes()

    # Same length, so the character offsets (start/end) of every later turn stay put.
    news = corpus / NEWS
    news.write_text(news.read_text(encoding="utf-8").replace("qualitatively new", "fundamentally new"), encoding="utf-8")
    passages = build_passages(load_corpus([corpus]), s.embedding.max_tokens, s.embedding.mode)
    (changed_turn,) = {p.metadata["turn_id"] for p in passages if "fundamentally new" in p.text}
    turn_passages = [p for p in passages if p.metadata["turn_id"] == changed_turn]

    summary = build_index(s, [corpus])
    assert summary.embedded == len(turn_passages) and 0 < summary.embedded < total
    assert (summary.unchanged, summary.deleted) == (total - summary.embedded, 0)

    store = open_store(s)
    after = store.hashes()
    assert set(after) == set(before)
    assert by_source(after, KREMLIN) == by_source(before, KREMLIN)
    moved = {pid for pid in after if after[pid][0] != before[pid][0]}
    assert moved == {p.id for p in turn_passages}
    got = store.collection.get(ids=sorted(moved), include=["documents"])
    assert any("fundamentally new" in d for d in got["documents"])


def test_deleted_file_loses_its_passages(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    news_passages = by_source(open_store(s).hashes(), NEWS)
    kremlin_passages = by_source(open_store(s).hashes(), KREMLIN)
    assert news_passages and kremlin_passages

    (corpus / NEWS).unlink()
    summary = build_index(s, [corpus])
    assert summary.deleted == len(news_passages) > 0
    assert summary.embedded == 0
    after = open_store(s).hashes()
    assert not by_source(after, NEWS)
    assert by_source(after, KREMLIN) == kremlin_passages


CHILD = """
import os, signal, sys
from pathlib import Path

from assistant.index.build import build_index
from assistant.settings import Settings
from assistant.index.store import PassageStore

upsert = PassageStore.upsert
calls = 0


def upsert_then_die(self, *args, **kwargs):
    global calls
    upsert(self, *args, **kwargs)
    calls += 1
    if calls == 2:  # a hard kill, as from the OOM killer or a closed laptop: no cleanup runs
        os.kill(os.getpid(), signal.SIGKILL)


PassageStore.upsert = upsert_then_die
s = Settings.load()
s.paths.store = Path(sys.argv[1])
s.embedding.batch_size = 4  # 32 passages per upsert, so the run takes several
s.embedding.mode = "hashing"  # as settings_for() in the parent
build_index(s, [sys.argv[2]])
print("finished")
"""


@pytest.mark.slow
def test_killed_run_leaves_a_usable_index_and_a_rerun_completes_it(tmp_path: Path) -> None:
    pages = sorted(MIRROR.glob("*/print.html"))[:15]
    if len(pages) < 15:
        pytest.skip(f"kremlin mirror not found under {MIRROR}")
    corpus = copy_seeds(tmp_path / "corpus")
    for page in pages:
        (corpus / "kremlin" / page.parent.name).mkdir(parents=True)
        shutil.copy(page, corpus / "kremlin" / page.parent.name / "print.html")
    clean = build_index(settings_for(tmp_path / "clean"), [corpus])
    assert clean.passages > 4 * 32  # enough for the kill to land mid-way

    store = tmp_path / "store"
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(store), str(corpus)], capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert "finished" not in run.stdout

    s = settings_for(store)
    partial = open_store(s).hashes()
    assert 0 < len(partial) < clean.passages
    # Every passage that made it in is a valid one: the same hash a clean build stores.
    clean_hashes = open_store(settings_for(tmp_path / "clean")).hashes()
    assert all(clean_hashes[pid] == value for pid, value in partial.items())

    # The seeds come first in the corpus, so what is there answers questions about them.
    ans = Assistant.open(corpus=corpus, store=store, settings=settings_for(store)).ask("How many candidates have been registered?")
    assert ans.citations and not ans.abstained
    assert all(c.turn_id + ":1" in partial for c in ans.citations)

    rerun = build_index(s, [corpus])
    assert (rerun.embedded, rerun.unchanged) == (clean.passages - len(partial), len(partial))
    assert open_store(s).count() == clean.passages
    assert open_store(s).hashes() == clean_hashes
    assert build_index(s, [corpus]).embedded == 0


BAD_FILES = [
    pytest.param("empty.txt", b"", "empty file", id="empty"),
    pytest.param("blank.md", b"  \n\n\t\n", "empty file", id="whitespace-only"),
    pytest.param("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file", id="binary"),
    pytest.param("utf16.txt", "Vladimir Putin: Good afternoon.".encode("utf-16-le"), "binary file", id="utf16-reads-as-binary"),
    pytest.param("garbled.txt", b"Vladimir Putin: good \x81\x8d\x8f\x90\x9d afternoon.", "not UTF-8", id="undecodable"),
    pytest.param("shopping.txt", b"Buy milk, eggs and bread.\nCall the plumber on Tuesday.\n", "unrecognised format", id="unrecognised"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES)
def test_bad_file_is_skipped_with_one_line(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    (corpus / name).write_bytes(content)
    s = settings_for(tmp_path / "store")

    summary = build_index(s, [corpus])
    (skipped,) = summary.skipped
    assert Path(skipped.path).name == name
    assert name in skipped.reason and "\n" not in skipped.reason
    assert reason in skipped.reason
    # The good files are indexed all the same.
    assert summary.passages == summary.embedded == len(build_passages(load_corpus([SEEDS]), s.embedding.max_tokens, s.embedding.mode))
    assert {Path(src).name for _, src in open_store(s).hashes().values()} == {NEWS, KREMLIN}

    with pytest.raises(CorpusError, match=re.escape(name)):
        build_index(s, [corpus], strict=True)


def test_all_bad_files_reported_together(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    for p in BAD_FILES:
        name, content, _ = p.values
        (corpus / name).write_bytes(content)
    summary = build_index(settings_for(tmp_path / "store"), [corpus])
    assert sorted(Path(s.path).name for s in summary.skipped) == sorted(p.values[0] for p in BAD_FILES)
    with pytest.raises(CorpusError, match=r"and 5 more"):
        build_index(settings_for(tmp_path / "store"), [corpus], strict=True)


def test_indexed_file_that_turns_empty_keeps_its_passages(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    before = open_store(s).hashes()

    (corpus / NEWS).write_bytes(b"")
    summary = build_index(s, [corpus])
    assert [Path(x.path).name for x in summary.skipped] == [NEWS]
    assert "empty file" in summary.skipped[0].reason
    assert (summary.embedded, summary.deleted) == (0, 0)
    assert open_store(s).hashes() == before


def test_long_turn_splits_at_sentences_with_turn_metadata() -> None:
    corpus = load_corpus([SEEDS])
    max_tokens = 60
    passages = build_passages(corpus, max_tokens, "static")
    turns = {t.id: t for t in corpus.turns}
    split = {p.metadata["turn_id"] for p in passages if p.metadata["passages"] > 1}
    assert len(split) >= 3

    for tid in split:
        turn = turns[tid]
        doc = corpus.document(turn.doc_id)
        assert doc is not None
        pieces = [p for p in passages if p.metadata["turn_id"] == tid]
        assert [p.id for p in pieces] == [f"{tid}:{k}" for k in range(1, len(pieces) + 1)]
        assert [p.text for p in pieces] == split_turn(turn.text, max_tokens)
        sentences = [turn.text[a:b].strip() for a, b in sentence_spans(turn.text)]
        for p in pieces:
            # Each passage is whole sentences of the turn, in order; only a lone sentence may run long.
            taken = []
            while " ".join(taken) != p.text:
                assert sentences, f"{p.id} is not made of the turn's sentences"
                taken.append(sentences.pop(0))
            assert count_tokens(p.text) <= max_tokens or len(taken) == 1
            m = p.metadata
            assert (m["turn_id"], m["speaker"], m["role"], m["kind"]) == (tid, turn.speaker, turn.role or "", turn.kind)
            assert (m["date"], m["source"], m["start"], m["end"]) == (doc.date or "", doc.source, turn.start, turn.end)
            assert (m["passage"], m["passages"]) == (pieces.index(p) + 1, len(pieces))
        assert not sentences  # nothing of the turn is lost


def test_split_turn_short_text_and_long_sentence() -> None:
    assert split_turn("Thank you.", 200) == ["Thank you."]
    long_sentence = "We discussed " + ", ".join(f"item number {i}" for i in range(60)) + "."
    pieces = split_turn(f"Good afternoon. {long_sentence} Thank you.", 40)
    assert pieces == ["Good afternoon.", long_sentence, "Thank you."]


def test_cli_index_prints_the_summary_line(tmp_path: Path) -> None:
    corpus = load_corpus([SEEDS])
    n_passages = len(build_passages(corpus, 200, "static"))
    result = CliRunner().invoke(cli, ["index", str(SEEDS), "--store", str(tmp_path / "store")], catch_exceptions=False)
    assert result.exit_code == 0
    line = result.stdout.strip()
    assert re.fullmatch(
        rf"{len(corpus.documents)} documents, {len(corpus.turns)} turns, {len(corpus.people)} speakers, "
        rf"{n_passages} passages \({n_passages} embedded, 0 unchanged, 0 removed\), 0 files skipped, \d+\.\d s",
        line,
    ), line

    again = CliRunner().invoke(cli, ["index", str(SEEDS), "--store", str(tmp_path / "store")], catch_exceptions=False)
    assert f"{n_passages} passages (0 embedded, {n_passages} unchanged, 0 removed)" in again.stdout


def test_cli_index_names_skipped_files_and_strict_raises(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    (corpus / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["index", str(corpus), "--store", str(tmp_path / "store")], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"skipped: {corpus / 'empty.txt'}: empty file" in result.stderr.splitlines()
    with pytest.raises(CorpusError, match="empty file"):  # ASSISTANT_RAISE=1 lets user errors through
        CliRunner().invoke(cli, ["index", str(corpus), "--strict", "--store", str(tmp_path / "store")], catch_exceptions=False)


def test_cli_corpus_json_lists_turn_ids() -> None:
    result = CliRunner().invoke(cli, ["corpus", str(SEEDS), "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    ids = {t["id"] for d in data["documents"] for t in d["turns"]}
    assert {"004_33c056b68e5d4ba7.2#8", "000_6ddbb2649f756b29#3"} <= ids
    assert data["skipped"] == []


def test_fixtures_seed_store_and_assistant(seed_store: Path, assistant: Assistant) -> None:
    assert assistant.settings.paths.store == seed_store
    ans = assistant.ask("How many candidates have been registered?")
    assert ans.citations and ans.citations[0].turn_id.startswith("004_33c056b68e5d4ba7.2#")


def test_an_open_assistant_sees_a_reindex_run_by_another_process(tmp_path: Path) -> None:
    corpus = copy_seeds(tmp_path / "corpus")
    store = tmp_path / "store"
    serving = Assistant.open(corpus=corpus, store=store, settings=settings_for(store))
    serving.index()
    assert "Narrator" not in {p.name for p in serving.people}
    before = len(serving.loaded.turns)
    # Another process (here: another Assistant) adds a file and re-indexes the same store.
    (corpus / "extra.txt").write_text(
        "Title: Briefing on video surveillance\nDate: 2022-09-01\nPlace: Moscow\n"
        "Ella Pamfilova: The count of polling stations with cameras reached 41,000.\n"
        "Vladimir Putin: Thank you.\n",
        encoding="utf-8",
    )
    Assistant.open(corpus=corpus, store=store, settings=settings_for(store)).index()
    ans = serving.ask("How many polling stations had cameras?")
    assert len(serving.loaded.turns) > before
    assert "41,000" in ans.answer, ans.answer
