"""Files that must become one-line skips, never an aborted run or mojibake (issue 12, items 4 and 9)."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.corpus import load_corpus
from assistant.ingest.readers import read_file

RUSSIAN = "Title: Пресс-конференция\nDate: 2021-06-04\nВладимир Путин: Добрый день, уважаемые коллеги.\nДмитрий Песков: Спасибо, начнём.\n"


def test_deeply_nested_json_is_one_skip_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "deep.json").write_text("[" * 3000 + "]" * 3000)
    (corpus / "talk.txt").write_text("Vladimir Putin: Good afternoon.\nXi Jinping: Thank you.\n")
    got = load_corpus([corpus])
    assert [d.title or d.doc_id for d in got.documents]  # the good file is indexed
    assert {Path(t.doc_id).name for t in got.turns} and len(got.turns) == 2
    (skip,) = got.skipped
    assert skip.path.endswith("deep.json") and "deep.json" in skip.reason and "\n" not in skip.reason


def test_any_reader_exception_becomes_that_files_skip(tmp_path: Path, monkeypatch) -> None:
    from assistant.ingest import corpus

    def boom(path: Path) -> list:
        raise ZeroDivisionError("a reader bug")

    monkeypatch.setattr(corpus, "read_file", boom)
    (tmp_path / "a.txt").write_text("Vladimir Putin: Good afternoon.\n")
    got = load_corpus([tmp_path])
    (skip,) = got.skipped
    assert "a.txt" in skip.reason and "ZeroDivisionError" in skip.reason and "\n" not in skip.reason


def test_cp1251_russian_file_is_decoded_not_mojibake(tmp_path: Path) -> None:
    f = tmp_path / "ru.txt"
    f.write_bytes(RUSSIAN.encode("cp1251"))
    (doc,) = read_file(f)
    assert doc.turns[0].label == "Владимир Путин"
    assert "Добрый день" in doc.turns[0].text
    assert "Â" not in doc.turns[0].text and "Ð" not in doc.turns[0].text


def test_koi8_and_cp1252_files_are_decoded(tmp_path: Path) -> None:
    (tmp_path / "koi.txt").write_bytes(RUSSIAN.encode("koi8_r"))
    west = "Angela Merkel: Grüße aus München – “danke”.\nEmmanuel Macron: Merci, chère collègue.\n"
    (tmp_path / "west.txt").write_bytes(west.encode("cp1252"))
    assert read_file(tmp_path / "koi.txt")[0].turns[0].label == "Владимир Путин"
    assert "Grüße aus München – “danke”" in read_file(tmp_path / "west.txt")[0].turns[0].text


def test_undecodable_file_is_skipped_naming_what_was_tried(tmp_path: Path) -> None:
    (tmp_path / "noise.txt").write_bytes(bytes(range(128, 256)) * 4)
    got = load_corpus([tmp_path])
    (skip,) = got.skipped
    assert "noise.txt" in skip.reason and "not UTF-8" in skip.reason and "cp1251" in skip.reason


# Issue 12, item 10: folders that can't be read, JSON skip lines, null speakers, documentation, odd file names.

TALK = "Title: Talks\nDate: 2021-06-04\nVladimir Putin: Good afternoon, colleagues.\nXi Jinping: Thank you, Mr President.\n"


def test_unreadable_subfolder_is_one_line_naming_the_folder_and_why(tmp_path: Path, monkeypatch) -> None:
    """Item 10b: not skipped silently."""
    from conftest import make_unreadable

    corpus = tmp_path / "corpus"
    locked = corpus / "2021" / "locked"
    locked.mkdir(parents=True)
    (corpus / "talk.txt").write_text(TALK)
    (locked / "hidden.txt").write_text(TALK)
    make_unreadable(monkeypatch, locked)
    got = load_corpus([corpus])
    assert [d.source for d in got.documents] == [str(corpus / "talk.txt")]
    (skip,) = got.skipped
    assert skip.path == str(locked) and not skip.deliberate
    assert skip.reason.startswith(f"{locked}: folder unreadable (Permission denied)") and "\n" not in skip.reason


def test_json_skip_lines_name_the_files_path_not_its_basename(tmp_path: Path) -> None:
    """Item 10c: two bad data.json in two folders are told apart."""
    for year in ("2019", "2020"):
        (tmp_path / year).mkdir()
        (tmp_path / year / "data.json").write_text('{"title": "a", "turns": [}')
    got = load_corpus([tmp_path])
    reasons = sorted(s.reason for s in got.skipped)
    assert len(reasons) == 2
    for year, reason in zip(("2019", "2020"), reasons):
        assert reason.startswith(f"{tmp_path / year / 'data.json'}: line 1, column 26: invalid JSON")


def test_null_speaker_turn_is_an_unnamed_speaker_not_a_skipped_file(tmp_path: Path) -> None:
    """Item 10d: the mirror's derived JSONL writes "speaker": null for text before a page's first label."""
    import json

    from assistant.ingest.speakers import UNNAMED

    pages = [
        {"title": "Meeting on drug control", "date": "2010-06-09", "turns": [
            {"speaker": None, "text": "The forum brings together the heads of drug control agencies."},
            {"speaker": "Dmitry Medvedev", "text": "This forum's subject is the drugs threat."},
        ]},
        {"title": "Talks", "date": "2017-05-14", "turns": [{"speaker": "Vladimir Putin", "text": "Good afternoon."}]},
    ]
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in pages) + "\n")
    got = load_corpus([tmp_path])
    assert got.skipped == []
    first, second = got.documents
    assert [(t.speaker, t.text[:13]) for t in first.turns] == [
        (UNNAMED, "The forum bri"), ("Dmitry Medvedev", "This forum's "),
    ]
    assert second.turns[0].speaker == "Vladimir Putin"
    assert got.people.get(UNNAMED).aliases == set()  # a question naming nobody does not find the unnamed speaker


SOURCE_MD = (
    "# en.kremlin.ru transcripts (raw HTML from a public mirror)\n\n"
    "- Repo: https://example.org/mirror\n"
    '- License: the repo quotes the site\'s terms ("All content on this site is licensed under CC BY 4.0").\n'
    'Speaker turns in the HTML are "<p><b>Label:</b> text</p>"; the first mention is the full title.\n'
)


def test_documentation_in_a_corpus_folder_is_skipped_with_a_reason_unless_named(tmp_path: Path) -> None:
    """Item 10e: SOURCE.md was indexed as a news report."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "SOURCE.md").write_text(SOURCE_MD)
    (corpus / "README.md").write_text("Transcripts for the project.\n")
    (corpus / "LICENSE.txt").write_text('Licensed under "CC BY 4.0"; see "the terms".\n')
    (corpus / "notes.md").write_text(SOURCE_MD.replace("# en.kremlin.ru", "# Notes on"))  # prose: documentation
    (corpus / "talks.md").write_text(TALK)  # Markdown with speaker turns: a transcript
    got = load_corpus([corpus])
    assert sorted(d.doc_id for d in got.documents) == ["talks"]
    skips = {Path(s.path).name: s for s in got.skipped}
    assert sorted(skips) == ["LICENSE.txt", "README.md", "SOURCE.md", "notes.md"]
    assert all(s.deliberate and "\n" not in s.reason and "name the file to index it" in s.reason for s in skips.values())
    assert "documentation" in skips["SOURCE.md"].reason and "documentation" in skips["notes.md"].reason
    assert got.excluded == {s.path for s in got.skipped}
    # Named explicitly, it is read like any other file.
    named = load_corpus([corpus / "SOURCE.md"])
    assert [d.doc_id for d in named.documents] == ["SOURCE"] and named.skipped == []


def test_file_name_with_a_newline_gives_clean_document_and_turn_ids(tmp_path: Path) -> None:
    """Item 10f: control characters and whitespace runs in a file name become '_' in ids."""
    (tmp_path / "press\nconference \t 2021.txt").write_text(TALK)
    (tmp_path / "bidi\u202eevil.txt").write_text(TALK)
    got = load_corpus([tmp_path])
    assert sorted(d.doc_id for d in got.documents) == ["bidi_evil", "press_conference_2021"]
    for t in got.turns:
        assert not any(c.isspace() or not c.isprintable() for c in t.id), repr(t.id)
