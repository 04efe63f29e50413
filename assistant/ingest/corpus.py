"""The parsed corpus: files → documents with resolved speakers, plus what was skipped and why.

An index run keeps a :class:`FileCache` of what each file parsed to, so a re-run parses only
the files that changed; speakers are still resolved over all documents every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from assistant.errors import CorpusError
from assistant.ingest.readers import SUPPORTED_SUFFIXES, read_file
from assistant.ingest.readers.news import FORMAT as PROSE_FORMAT
from assistant.ingest.speakers import People, resolve_people
from assistant.ingest.transcripts import Document, RawDocument, RawTurn, Turn


@dataclass
class Skipped:
    """A file or folder that was not indexed, and the one-line reason.

    ``deliberate``: left out on purpose (documentation found in a folder), not a failure: ``--strict``
    lets it pass, and what was indexed from it before is removed rather than kept.
    """

    path: str
    reason: str
    deliberate: bool = False


@dataclass
class Corpus:
    """Documents, their people, and the files that could not be read."""

    documents: list[Document]
    people: People
    skipped: list[Skipped] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)
    # Files left out on purpose (documentation): their passages from earlier runs go.
    excluded: set[str] = field(default_factory=set)

    @property
    def turns(self) -> list[Turn]:
        """All turns, in document order."""
        return [t for d in self.documents for t in d.turns]

    def document(self, doc_id: str) -> Document | None:
        """The document with this id, or None."""
        return next((d for d in self.documents if d.doc_id == doc_id), None)


# Files in a corpus folder that document it rather than record an event: skipped unless named explicitly.
_DOC_PREFIXES = ("readme", "license", "licence", "copying", "changelog", "contributing")
_DOC_STEMS = {"source", "sources", "notice", "authors", "citation", "changes"}


def documentation_name(path: Path) -> bool:
    """A README, LICENSE, SOURCE.md and the like, by its name."""
    name = path.name.lower()
    stem = name.split(".", 1)[0]
    return name.startswith(_DOC_PREFIXES) or (stem in _DOC_STEMS and path.suffix.lower() in (".md", ".txt", ".text"))


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def file_gone(path: Path | str) -> bool:
    """Whether a file no longer exists. One that can't be looked at (its folder unreadable) is not gone."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):
        return False
    return False


def _listed_file(path: str) -> bool:
    """A regular file found in a folder listing; one that can't be looked at is kept for read_file to report."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False


def iter_files(paths: Iterable[Path | str]) -> tuple[list[tuple[Path, bool]], list[Skipped]]:
    """Expand folders (recursively, supported suffixes only, sorted) and keep files as given.

    Returns ``(path, given explicitly)`` pairs and one skip for each path that is missing or
    unreadable, each unreadable subfolder, and each documentation file found in a folder
    (README*, LICENSE*, SOURCE.md…; see :func:`documentation_name`).
    """
    files: list[tuple[Path, bool]] = []
    skipped: list[Skipped] = []
    for p in map(Path, paths):
        # Absolute paths: stored sources must mean the same file whatever the working directory.
        p = p.expanduser().resolve()
        try:
            mode = os.stat(p).st_mode
        except (FileNotFoundError, NotADirectoryError):
            skipped.append(Skipped(str(p), f"{p}: no such file or folder"))
            continue
        except OSError as exc:
            skipped.append(Skipped(str(p), f"{p}: unreadable ({_why(exc)})"))
            continue
        if stat.S_ISDIR(mode):
            found, skips = _walk(p)
            files.extend((f, False) for f in found)
            skipped.extend(skips)
        elif stat.S_ISREG(mode):
            files.append((p, True))
        else:
            skipped.append(Skipped(str(p), f"{p}: not a file or folder"))
    return files, skipped


def _walk(root: Path) -> tuple[list[Path], list[Skipped]]:
    """Supported files under ``root``, sorted; a folder that can't be listed, and documentation, become skips."""
    found: list[Path] = []
    skipped: list[Skipped] = []

    def unreadable(exc: OSError) -> None:
        folder = exc.filename or str(root)
        skipped.append(Skipped(str(folder), f"{folder}: folder unreadable ({_why(exc)}), its files were not read"))

    for folder, _, names in os.walk(root, onerror=unreadable):
        for name in names:
            f = Path(folder) / name
            if f.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith(".") and _listed_file(str(f)):
                found.append(f)
    docs = {f for f in found if documentation_name(f)}
    skipped += [
        Skipped(str(f), f"{f}: documentation, not a transcript (a README, LICENSE or SOURCE file); name the file to index it",
                deliberate=True)
        for f in sorted(docs)
    ]
    return sorted(f for f in found if f not in docs), sorted(skipped, key=lambda s: s.path)


# Characters that must not reach a document id (they become part of turn and passage ids): control
# and format characters, and whitespace; a run of them becomes one '_'.
_ID_JUNK = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")


def clean_id(doc_id: str) -> str:
    """A document id with control characters and whitespace runs replaced by '_' (a file name may hold a newline)."""
    doc_id = "".join("\x00" if unicodedata.category(c)[0] == "C" else c for c in doc_id)
    return _ID_JUNK.sub("_", doc_id) or "_"


def file_hash(path: Path) -> str:
    """Content hash of a file, for change detection."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:16]


FILE_CACHE = "files.json"
# A file unmodified for this long before it was read cannot change again within the same mtime
# tick unnoticed, so its size and mtime alone can vouch for it; a fresher one is hash-checked.
_SETTLED_NS = 2_000_000_000
# What reading a damaged cache, or one written by other code, may raise.
_CACHE_ERRORS = (OSError, AttributeError, KeyError, IndexError, TypeError, ValueError)


def documents_to_json(docs: list[RawDocument]) -> list[dict[str, Any]]:
    """Raw documents as plain JSON data (the file cache holds data only, never code)."""
    return [asdict(d) for d in docs]


def documents_from_json(data: Any) -> list[RawDocument]:
    """Raw documents back from :func:`documents_to_json`; raises ValueError/TypeError on anything else."""
    if not isinstance(data, list):
        raise ValueError("not a list of documents")
    out = []
    for d in data:
        d = dict(d)
        d["turns"] = [RawTurn(**t) for t in d["turns"]]
        out.append(RawDocument(**d))
    return out


@dataclass
class CachedFile:
    """What one file parsed to, with the file's size, mtime and content hash when it was read."""

    size: int
    mtime_ns: int
    seen_ns: int  # when the size and mtime were taken, just before the file was read
    digest: str
    docs: list[dict[str, Any]]  # the reader's documents as JSON data, before speaker resolution and id deduplication
    splits: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # max tokens → long turn text → passages

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "CachedFile":
        """An entry as :meth:`to_json` wrote it; raises on anything else."""
        return cls(
            size=int(data["size"]), mtime_ns=int(data["mtime_ns"]), seen_ns=int(data["seen_ns"]), digest=str(data["digest"]),
            docs=list(data["docs"]),
            splits={int(k): {str(t): [str(p) for p in ps] for t, ps in v.items()} for k, v in data.get("splits", {}).items()},
        )

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"size": self.size, "mtime_ns": self.mtime_ns, "seen_ns": self.seen_ns, "digest": self.digest,
                "docs": self.docs, "splits": {str(k): v for k, v in self.splits.items()}}

    def settled(self) -> bool:
        """Whether the recorded size and mtime alone can vouch for the content."""
        return self.seen_ns - self.mtime_ns > _SETTLED_NS


class FileCache:
    """Parsed files by absolute path, kept in one JSON file, so an unchanged file is not parsed again.

    A file is taken from the cache when its size and mtime_ns are those recorded, and the content
    hash is compared only where they can't tell (a touched file, or one read within moments of
    being written). ``version`` names the readers and splitter that wrote the cache: a cache of
    another version is ignored. It is plain JSON, so a store copied from someone else cannot run code.
    """

    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self.entries: dict[str, CachedFile] = {}
        self.read_now: set[str] = set()  # files this run asked for
        self.parsed_now: set[str] = set()  # ... and got documents from
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == version:
                self.entries = {str(k): CachedFile.from_json(e) for k, e in data["files"].items()}
        except _CACHE_ERRORS:
            self.entries = {}

    def read(self, f: Path) -> tuple[list[RawDocument], str]:
        """The file's documents as its reader gives them and its content hash; parsed only when changed."""
        key = str(f)
        self.read_now.add(key)
        seen = time.time_ns()
        try:
            st = f.stat()
        except OSError:
            return read_file(f), file_hash(f)  # read_file says what is wrong with it
        entry = self.entries.get(key)
        if entry is not None and entry.size == st.st_size:
            same = entry.mtime_ns == st.st_mtime_ns and entry.settled()
            if same or file_hash(f) == entry.digest:
                try:
                    docs = documents_from_json(entry.docs)
                except _CACHE_ERRORS:
                    docs = []
                if docs:
                    if not same:
                        entry.mtime_ns, entry.seen_ns, self.changed = st.st_mtime_ns, seen, True
                    self.parsed_now.add(key)
                    return docs, entry.digest
        docs = read_file(f)
        entry = CachedFile(st.st_size, st.st_mtime_ns, seen, file_hash(f), documents_to_json(docs))
        self.entries[key], self.changed = entry, True
        self.parsed_now.add(key)
        return docs, entry.digest

    def splits(self, source: str, max_tokens: int) -> dict[str, list[str]]:
        """The file's memo of long turn texts split into passages of at most ``max_tokens`` (the caller fills it)."""
        entry = self.entries.get(source)
        if entry is None:
            return {}
        if max_tokens not in entry.splits:
            entry.splits, self.changed = {max_tokens: {}}, True
        return entry.splits[max_tokens]

    def save(self) -> None:
        """Write the cache when anything changed: files read this run that parsed, and files outside it that still exist."""
        keep = {
            k: e for k, e in self.entries.items()
            if k in self.parsed_now or (k not in self.read_now and not file_gone(k))
        }
        if not self.changed and len(keep) == len(self.entries):
            return
        self.entries = keep
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        data = {"version": self.version, "files": {k: e.to_json() for k, e in keep.items()}}
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)
        for old in self.path.parent.glob("files.pkl"):  # the pickle an older version kept
            old.unlink(missing_ok=True)
        self.changed = False


def load_corpus(paths: Iterable[Path | str], cache: FileCache | None = None) -> Corpus:
    """Parse every file (through ``cache`` when given); a bad file is skipped with its reason and the rest goes on.

    Documentation found in a folder is skipped (named explicitly, it is read like any file): by its
    name (README, LICENSE, SOURCE.md…), or a Markdown file that reads only as prose (no speaker turns).
    """
    files, skipped = iter_files(paths)
    raw: list[RawDocument] = []
    hashes: dict[str, str] = {}
    excluded = {s.path for s in skipped if s.deliberate}
    seen_ids: dict[str, str] = {}
    for f, explicit in files:
        try:
            docs, digest = cache.read(f) if cache else (read_file(f), file_hash(f))
        except CorpusError as exc:
            skipped.append(Skipped(str(f), str(exc)))
            continue
        except RecursionError:
            skipped.append(Skipped(str(f), f"{f}: nested too deeply to read (a reader gave up)"))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must never stop the run
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            skipped.append(Skipped(str(f), f"{f}: could not be read ({exc.__class__.__name__}{': ' + detail if detail else ''})"))
            continue
        if not explicit and f.suffix.lower() == ".md" and all(d.format == PROSE_FORMAT for d in docs):
            skipped.append(Skipped(
                str(f), f"{f}: Markdown without speaker turns, taken for documentation; name the file to index it",
                deliberate=True,
            ))
            excluded.add(str(f))
            continue
        hashes[str(f)] = digest
        for d in docs:
            # Ids end up in turn and passage ids: no newlines or spaces from a file name.
            d.doc_id = clean_id(d.doc_id)
            # Two files with the same stem (e.g. many print.html) must not share a document id.
            base, k = d.doc_id, 2
            while d.doc_id in seen_ids:
                d.doc_id = f"{base}-{k}"
                k += 1
            seen_ids[d.doc_id] = str(f)
        raw.extend(docs)
    people = resolve_people(raw)
    return Corpus(
        documents=[_resolve(d) for d in raw], people=people, skipped=skipped, file_hashes=hashes, excluded=excluded,
    )


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
