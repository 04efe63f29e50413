"""Readers: one module per input format, each turning a file into RawDocuments.

Every reader module exposes ``FORMAT`` (a short name), ``detect(path, text) -> bool``
and ``read(path, text) -> list[RawDocument]``. :func:`read_file` decodes the file,
rejects empty/binary/undecodable input with a :class:`CorpusError` naming the file
and the reason, and asks the readers in order which one recognises it.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from assistant.errors import CorpusError
from assistant.ingest.transcripts import RawDocument

from . import csv_export, html_kremlin, json_turns, kremlin_text, news, plain_text

# Order matters: specific formats before the catch-all prose reader.
READERS: tuple[ModuleType, ...] = (json_turns, csv_export, html_kremlin, kremlin_text, plain_text, news)

SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl", ".csv"}

# Bump when any reader (or RawDocument) changes what a file parses to: index runs keep each
# file's parse in a cache stamped with this, and ignore a cache from another version.
READER_VERSION = 1


def decode(path: Path) -> str:
    """Read a file as text, or raise CorpusError saying why it is not usable text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: unreadable ({exc.strerror or exc})") from exc
    if not data.strip():
        raise CorpusError(f"{path}: empty file")
    if b"\x00" in data[:8192]:
        raise CorpusError(f"{path}: binary file (contains NUL bytes), not a transcript")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
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
