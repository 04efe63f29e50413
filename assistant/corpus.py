"""The parsed corpus: files → documents with resolved speakers, plus what was skipped and why."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from assistant.readers import SUPPORTED_SUFFIXES, read_file
from assistant.speakers import People, resolve_people
from assistant.transcripts import CorpusError, Document, RawDocument, Turn


@dataclass
class Skipped:
    """A file that was not indexed, and the one-line reason."""

    path: str
    reason: str


@dataclass
class Corpus:
    """Documents, their people, and the files that could not be read."""

    documents: list[Document]
    people: People
    skipped: list[Skipped] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)

    @property
    def turns(self) -> list[Turn]:
        """All turns, in document order."""
        return [t for d in self.documents for t in d.turns]

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return next((d for d in self.documents if d.doc_id == doc_id), None)


def iter_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Skipped]]:
    """Expand folders (recursively, supported suffixes only, sorted) and keep files as given."""
    files: list[Path] = []
    missing: list[Skipped] = []
    for p in map(Path, paths):
        # Absolute paths: stored sources must mean the same file whatever the working directory.
        p = p.expanduser().resolve()
        if p.is_dir():
            files.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and not f.name.startswith("."))
            )
        elif p.is_file():
            files.append(p)
        else:
            missing.append(Skipped(str(p), f"{p}: no such file or folder"))
    return files, missing


def file_hash(path: Path) -> str:
    """Content hash of a file, for change detection."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]


def load_corpus(paths: Iterable[Path | str]) -> Corpus:
    """Parse every file; a bad file is skipped with its reason and the rest goes on."""
    files, skipped = iter_files(paths)
    raw: list[RawDocument] = []
    hashes: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for f in files:
        try:
            docs = read_file(f)
        except CorpusError as exc:
            skipped.append(Skipped(str(f), str(exc)))
            continue
        hashes[str(f)] = file_hash(f)
        for d in docs:
            # Two files with the same stem (e.g. many print.html) must not share a document id.
            base, k = d.doc_id, 2
            while d.doc_id in seen_ids:
                d.doc_id = f"{base}-{k}"
                k += 1
            seen_ids[d.doc_id] = str(f)
        raw.extend(docs)
    people = resolve_people(raw)
    return Corpus(documents=[_resolve(d) for d in raw], people=people, skipped=skipped, file_hashes=hashes)


def _resolve(d: RawDocument) -> Document:
    turns = [
        Turn(
            doc_id=d.doc_id, n=i, speaker=t.speaker or t.label, role=t.role, label=t.label,
            text=t.text, kind=t.kind, start=t.start, end=t.end, quoted_in=t.quoted_in,
        )
        for i, t in enumerate(d.turns, start=1)
    ]
    return Document(
        doc_id=d.doc_id, title=d.title, turns=turns, source=d.source, format=d.format, date=d.date,
        time=d.time, place=d.place, lead=d.lead, url=d.url, outlet=d.outlet, author=d.author,
        persons=d.persons, topics=d.topics, geography=d.geography, sections=d.sections,
        publication_date=d.publication_date,
    )
