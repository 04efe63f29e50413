"""Issue 12, item 10: an index run over a corpus whose folders can't be read, or that holds documentation.

Tests run as root, whom permissions don't stop, so ``make_unreadable`` makes a folder fail in-process
as a chmod 000 folder fails for anyone else (listing it, and looking at or opening what is inside).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import by_source, make_unreadable, settings_for

from assistant.errors import CorpusError
from assistant.index.build import build_index, open_store

TALK = "Title: Talks\nDate: 2021-06-04\nVladimir Putin: Good afternoon, colleagues.\nXi Jinping: Thank you, Mr President.\n"
BRIDGE = (
    "Title: Bridge repairs briefing\nDate: 2023-01-05\nPlace: Kazan\n"
    "Ivan Petrov: The repairs of the river bridge cost 12 million roubles in total.\n"
    "Anna Smirnova: When will the bridge open again?\n"
)


def corpus_with_subfolder(tmp_path: Path) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus"
    sub = corpus / "2023"
    sub.mkdir(parents=True)
    (corpus / "talk.txt").write_text(TALK)
    (sub / "bridge.txt").write_text(BRIDGE)
    return corpus, sub


def stored(settings) -> dict[str, tuple[str, str]]:
    with open_store(settings, create=False) as store:
        return store.hashes()


def test_previously_indexed_file_whose_folder_becomes_unreadable_keeps_its_passages(tmp_path: Path, monkeypatch) -> None:
    """Item 10a: was a PermissionError traceback; now the passages stay and one line says so."""
    corpus, sub = corpus_with_subfolder(tmp_path)
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    before = by_source(stored(s), "bridge.txt")
    assert before
    make_unreadable(monkeypatch, sub)
    summary = build_index(s, [corpus])
    (skip,) = summary.skipped
    assert skip.path == str(sub) and "\n" not in skip.reason
    assert skip.reason == (
        f"{sub}: folder unreadable (Permission denied), its files were not read; "
        f"{len(before)} passage{'s' if len(before) > 1 else ''} indexed from it before {'are' if len(before) > 1 else 'is'} kept"
    )
    assert summary.deleted == 0
    assert by_source(stored(s), "bridge.txt") == before
    # The same through the command: exit 0, one skip line, no traceback.
    monkeypatch.setenv("ASSISTANT_EMBEDDING__MODE", "hashing")
    from assistant.cli import cli

    run = CliRunner().invoke(cli, ["index", str(corpus), "--store", str(tmp_path / "store")])
    assert run.exit_code == 0, run.output
    assert [line for line in run.stderr.splitlines() if line.startswith("skipped:")] == [f"skipped: {skip.reason}"]
    assert "Traceback" not in run.output


def test_previously_indexed_corpus_folder_that_becomes_unreadable_keeps_everything(tmp_path: Path, monkeypatch) -> None:
    """Item 10a, the corpus folder itself (and a file named explicitly inside it)."""
    corpus, _ = corpus_with_subfolder(tmp_path)
    s = settings_for(tmp_path / "store")
    build_index(s, [corpus])
    before = stored(s)
    make_unreadable(monkeypatch, corpus)
    summary = build_index(s, [corpus])
    (skip,) = summary.skipped
    assert skip.reason.startswith(f"{corpus}: folder unreadable (Permission denied)")
    assert skip.reason.endswith(f"{len(before)} passages indexed from it before are kept")
    named = build_index(s, [corpus / "talk.txt"])
    (skip,) = named.skipped
    assert skip.reason.startswith(f"{corpus / 'talk.txt'}: unreadable (Permission denied)") and "kept" in skip.reason
    assert stored(s) == before
    with pytest.raises(CorpusError, match="unreadable"):
        build_index(s, [corpus], strict=True)


def test_documentation_indexed_by_an_older_version_is_removed_and_strict_allows_it(tmp_path: Path, monkeypatch) -> None:
    """Item 10e: SOURCE.md indexed as a news report before is dropped from the index; --strict does not fail on it."""
    from assistant.ingest import corpus as corpus_module

    corpus, _ = corpus_with_subfolder(tmp_path)
    (corpus / "SOURCE.md").write_text(
        '# Mirror of en.kremlin.ru\n\nThe repo quotes the terms ("All content is licensed under CC BY 4.0") and '
        'says "reproduction is allowed with a reference to the source".\n'
    )
    s = settings_for(tmp_path / "store")
    with monkeypatch.context() as m:  # how an older version read the folder
        m.setattr(corpus_module, "documentation_name", lambda path: False)
        m.setattr(corpus_module, "PROSE_FORMAT", "no such format")
        build_index(s, [corpus])
    assert by_source(stored(s), "SOURCE.md")
    summary = build_index(s, [corpus], strict=True)
    (skip,) = summary.skipped
    assert skip.deliberate and "documentation" in skip.reason
    assert summary.deleted > 0 and by_source(stored(s), "SOURCE.md") == {}
    assert by_source(stored(s), "bridge.txt") and by_source(stored(s), "talk.txt")
