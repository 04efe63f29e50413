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
