"""Readers: one module per input format, each turning a file into RawDocuments.

Every reader module exposes ``FORMAT`` (a short name), ``detect(path, text) -> bool``
and ``read(path, text) -> list[RawDocument]``. :func:`read_file` decodes the file,
rejects empty/binary/undecodable input with a :class:`CorpusError` naming the file
and the reason, and asks the readers in order which one recognises it.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from types import ModuleType

from assistant.errors import CorpusError
from assistant.ingest.transcripts import RawDocument

from . import csv_export, friendsqa, html_kremlin, json_turns, kremlin_text, news, plain_text, qmsum

# Order matters: specific formats before the catch-all prose reader, and the JSON datasets before
# json_turns, which takes any other .json file.
READERS: tuple[ModuleType, ...] = (qmsum, friendsqa, json_turns, csv_export, html_kremlin, kremlin_text, plain_text, news)

SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl", ".csv"}

# Bump when any reader (or RawDocument) changes what a file parses to: index runs keep each
# file's parse in a cache stamped with this, and ignore a cache from another version.
READER_VERSION = 10


# Single-byte encodings a transcript that is not UTF-8 is likely in, most likely first (ties go to the earlier).
LEGACY_ENCODINGS = ("cp1252", "cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic", "cp1250")
# Letters a correctly decoded transcript is made of: Latin with Western European accents, and Cyrillic.
_COMMON_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿА-яЁёІіЇїЄєЎў]")
_WORD = re.compile(r"[^\W\d_]+")


def _plausibility(text: str) -> float:
    """How much a decoding looks like real text (1.0 best): common letters, and words cased as words are.

    Mojibake shows as words of accented letters (``Âëàäèìèð``: cp1251 read as cp1252) or as case
    flipping inside words (``бКЮДХЛХП``: cp1251 read as KOI8-R).
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    common = sum(1 for c in letters if _COMMON_LETTER.match(c)) / len(letters)
    words = _WORD.findall(text)
    odd = sum(1 for w in words if _odd_word(w)) / max(len(words), 1)
    # C1 controls, box drawing and other symbols stand where letters were in another code page.
    strange = sum(1 for c in text if "\x80" <= c <= "\x9f" or unicodedata.category(c) in ("So", "Co", "Cn")) / len(letters)
    return common - odd - 5 * strange


def _odd_word(word: str) -> bool:
    """A word no language writes: case flipping inside it, mostly accented Latin letters, or a long run
    of upper-case non-ASCII letters (``БНПРЭ``: control bytes read as cp866)."""
    if any(a.islower() and b.isupper() for a, b in zip(word, word[1:])):
        return True
    if len(word) >= 4 and word.isupper() and not word.isascii():
        return True
    accented = sum(1 for c in word if "À" <= c <= "ÿ")
    return len(word) >= 3 and accented * 2 > len(word)


def decode(path: Path) -> str:
    """Read a file as text, or raise CorpusError saying why it is not usable text.

    UTF-8 (with or without a BOM) and UTF-16 with a BOM are taken as they are; anything else is
    tried in each of :data:`LEGACY_ENCODINGS` and read in the one that looks most like real text.
    A file no encoding reads plausibly is skipped rather than indexed as mojibake.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: unreadable ({exc.strerror or exc})") from exc
    if not data.strip():
        raise CorpusError(f"{path}: empty file")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return _lines(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-16 text although it starts like it ({exc.reason} at byte {exc.start})") from exc
    if b"\x00" in data[:8192]:
        raise CorpusError(f"{path}: binary file (contains NUL bytes), not a transcript")
    try:
        return _lines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    scored: list[tuple[float, int, str]] = []
    for rank, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_plausibility(text), -rank, text))
    best = max(scored, default=None)
    if best is None or best[0] < MIN_PLAUSIBILITY:
        raise CorpusError(
            f"{path}: not UTF-8 text ({utf8_error}), and no other encoding reads it as text "
            f"(tried {', '.join(LEGACY_ENCODINGS)}): save it as UTF-8"
        )
    return _lines(best[2])


# Below this (see _plausibility) a decoding is taken for mojibake and the file is skipped.
MIN_PLAUSIBILITY = 0.9


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_file(path: Path) -> list[RawDocument]:
    """Parse one file into raw documents; raise CorpusError when no reader can."""
    text = decode(path)
    for reader in READERS:
        if reader.detect(path, text):
            docs = reader.read(path, text)
            docs = [d for d in docs if d.turns]
            if not docs:
                raise CorpusError(f"{path}: recognised as {reader.FORMAT} but holds no speaker turns")
            return docs
    raise CorpusError(
        f"{path}: unrecognised format (no speaker labels, quotes or known layout found)"
    )
