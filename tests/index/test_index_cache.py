"""The per-file parse cache of an index run: unchanged files are not parsed again, changes still are.

Real data: the two seed transcripts, copied to a tmp folder the tests change.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import KREMLIN, NEWS, by_source, copy_seeds, settings_for

import assistant.index.build as index_module
import assistant.ingest.corpus as corpus_module
from assistant.api import Assistant
from assistant.index.build import build_index, open_store
from assistant.index.passages import build_passages
from assistant.ingest.corpus import FILE_CACHE, FileCache, load_corpus
from assistant.text.tokens import stem, tokenize

Calls = dict[str, list[str]]


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    """Names of the files the corpus loader parses (``read_file``) and hashes (``file_hash``), call by call."""
    seen: Calls = {"read_file": [], "file_hash": []}
    for name in seen:
        real = getattr(corpus_module, name)

        def counted(path: Path, _real: Any = real, _name: str = name) -> Any:
            seen[_name].append(path.name)
            return _real(path)

        monkeypatch.setattr(corpus_module, name, counted)
    return seen


def reset(calls: Calls) -> None:
    """Forget the calls so far."""
    for v in calls.values():
        v.clear()


def aged_seeds(dest: Path) -> Path:
    """The seeds copied into ``dest`` with an mtime an hour back, so size and mtime alone can vouch for them."""
    corpus = copy_seeds(dest)
    old = time.time() - 3600
    for f in corpus.iterdir():
        os.utime(f, (old, old))
    return corpus


def search(store: Path, corpus: Path, words: str) -> str:
    """Text of the best BM25 passage for ``words`` in the index as question time reads it."""
    loaded = Assistant.open(corpus=corpus, store=store, settings=settings_for(store)).loaded
    scores = loaded.bm25_scores([stem(t) for t in tokenize(words)])
    return str(loaded.passage_texts[int(scores.argmax())]) if scores.max() > 0 else ""


def test_unchanged_reindex_parses_and_hashes_nothing(tmp_path: Path, calls: Calls) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    first = build_index(s, [corpus])
    assert sorted(calls["read_file"]) == sorted([NEWS, KREMLIN])
    assert (tmp_path / "store" / "lexical" / FILE_CACHE).is_file()

    reset(calls)
    second = build_index(s, [corpus])
    assert calls == {"read_file": [], "file_hash": []}
    assert (second.documents, second.turns, second.speakers) == (first.documents, first.turns, first.speakers)
    assert (second.embedded, second.unchanged, second.deleted) == (0, first.passages, 0)
    # What the cache gave is what parsing gives: the same passages, to the hash.
    fresh = build_passages(load_corpus([corpus]), s.embedding.max_tokens, s.embedding.mode)
    assert {p.id: p.metadata["hash"] for p in fresh} == {pid: h for pid, (h, _) in open_store(s).hashes().items()}


def test_fresh_or_touched_file_is_hash_checked_not_parsed(tmp_path: Path, calls: Calls) -> None:
    corpus = copy_seeds(tmp_path / "corpus")  # written just now: its mtime can't vouch for it yet
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])

    reset(calls)
    assert build_index(s, [corpus]).embedded == 0
    assert calls["read_file"] == [] and sorted(calls["file_hash"]) == sorted([NEWS, KREMLIN])

    aged_seeds(corpus)
    reset(calls)
    build_index(s, [corpus])
    os.utime(corpus / NEWS)  # touched: a new mtime, the same bytes
    reset(calls)
    summary = build_index(s, [corpus])
    assert calls == {"read_file": [], "file_hash": [NEWS]}
    assert (summary.embedded, summary.deleted) == (0, 0)


@pytest.mark.parametrize("new", ["fundamentally", "zorblatically"], ids=["same-size", "other-size"])
def test_changed_file_is_parsed_again_and_its_text_searchable(tmp_path: Path, calls: Calls, new: str) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    assert "qualitatively new level" in search(s.paths.store, corpus, "qualitatively new level of accessibility")

    news = corpus / NEWS
    news.write_text(news.read_text(encoding="utf-8").replace("qualitatively new", f"{new} new"), encoding="utf-8")
    reset(calls)
    summary = build_index(s, [corpus])
    assert calls["read_file"] == [NEWS]
    assert summary.embedded > 0
    assert f"{new} new level" in search(s.paths.store, corpus, f"{new} new level of accessibility")
    loaded = Assistant.open(corpus=corpus, store=s.paths.store, settings=s).loaded
    assert not any("qualitatively new" in t.text for t in loaded.turns.values())

    # The new parse is cached in turn.
    reset(calls)
    assert build_index(s, [corpus]).embedded == 0
    assert calls["read_file"] == []


def test_removed_file_turns_disappear_and_leave_the_cache(tmp_path: Path, calls: Calls) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    kremlin = by_source(open_store(s).hashes(), KREMLIN)

    (corpus / NEWS).unlink()
    reset(calls)
    summary = build_index(s, [corpus])
    assert calls["read_file"] == [] and summary.deleted > 0
    assert not by_source(open_store(s).hashes(), NEWS)
    assert by_source(open_store(s).hashes(), KREMLIN) == kremlin
    loaded = Assistant.open(corpus=corpus, store=s.paths.store, settings=s).loaded
    assert {Path(t.source).name for t in loaded.turns.values()} == {KREMLIN}
    assert "qualitatively new" not in search(s.paths.store, corpus, "qualitatively new level of accessibility")
    cached = FileCache(s.paths.store / "lexical" / FILE_CACHE, version=f"{index_module.READER_VERSION}.{index_module.SPLIT_VERSION}")
    assert [Path(k).name for k in cached.entries] == [KREMLIN]


def test_file_that_stops_parsing_keeps_its_passages_and_is_parsed_when_fixed(tmp_path: Path, calls: Calls) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    before = open_store(s).hashes()
    good = (corpus / NEWS).read_bytes()

    (corpus / NEWS).write_bytes(b"")
    summary = build_index(s, [corpus])
    assert [(Path(x.path).name, "empty file" in x.reason, "\n" in x.reason) for x in summary.skipped] == [(NEWS, True, False)]
    assert (summary.embedded, summary.deleted) == (0, 0)
    assert open_store(s).hashes() == before

    (corpus / NEWS).write_bytes(good)
    reset(calls)
    summary = build_index(s, [corpus])
    assert calls["read_file"] == [NEWS]
    assert (summary.skipped, summary.embedded, summary.deleted) == ([], 0, 0)


@pytest.mark.parametrize("constant", ["READER_VERSION", "SPLIT_VERSION"])
def test_cache_of_another_version_is_ignored(tmp_path: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch, constant: str) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    first = build_index(s, [corpus])

    monkeypatch.setattr(index_module, constant, getattr(index_module, constant) + 1)
    reset(calls)
    summary = build_index(s, [corpus])
    assert sorted(calls["read_file"]) == sorted([NEWS, KREMLIN])
    assert (summary.passages, summary.embedded) == (first.passages, 0)
    # ... and replaced by one of the new version.
    reset(calls)
    build_index(s, [corpus])
    assert calls["read_file"] == []


def test_damaged_cache_is_rebuilt(tmp_path: Path, calls: Calls) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    s = settings_for(tmp_path / "store")
    first = build_index(s, [corpus])
    cache = s.paths.store / "lexical" / FILE_CACHE
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])

    reset(calls)
    summary = build_index(s, [corpus])
    assert sorted(calls["read_file"]) == sorted([NEWS, KREMLIN])
    assert (summary.passages, summary.embedded) == (first.passages, 0)


def test_other_max_tokens_splits_again_from_cached_parses(tmp_path: Path, calls: Calls) -> None:
    corpus = aged_seeds(tmp_path / "corpus")
    build_index(settings_for(tmp_path / "store"), [corpus])

    s = settings_for(tmp_path / "store", max_tokens=60)
    reset(calls)
    summary = build_index(s, [corpus])
    assert calls["read_file"] == []
    assert summary.passages == len(build_passages(load_corpus([corpus]), 60, s.embedding.mode)) > summary.unchanged
