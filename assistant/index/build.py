"""The index: turns split into passages, embedded and kept in Chroma, incrementally.

One node per turn; a turn longer than ``embedding.max_tokens`` (cl100k tokens, counted with
tiktoken) is split at sentence boundaries into passages ``<turn-id>:<k>``, each keeping the
turn's metadata. Each passage stores a hash of what was embedded, so re-indexing an
unchanged corpus embeds nothing, a changed file replaces only its own changed passages, and
a run killed mid-way leaves every stored passage valid: the next run embeds what is missing.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from assistant.errors import CorpusError
from assistant.index.embedding import get_embedder
from assistant.index.loaded import LoadedIndex, snapshot_of_store
from assistant.index.lock import store_lock
from assistant.index.manifest import mark_dirty, passages_fingerprint, read_manifest, store_files, write_manifest
from assistant.index.passages import SPLIT_VERSION, Passage, build_passages
from assistant.index.segments import check_segments
from assistant.index.snapshot import open_snapshot
from assistant.index.store import PassageStore
from assistant.ingest.corpus import FILE_CACHE, Corpus, FileCache, Skipped, file_gone, load_corpus
from assistant.ingest.readers import READER_VERSION
from assistant.settings import Settings


@dataclass
class IndexSummary:
    """What an index run did."""

    documents: int = 0
    turns: int = 0
    speakers: int = 0
    passages: int = 0
    embedded: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """One-line human summary."""
        return (
            f"{self.documents} documents, {self.turns} turns, {self.speakers} speakers, "
            f"{self.passages} passages ({self.embedded} embedded, {self.unchanged} unchanged, {self.deleted} removed), "
            f"{len(self.skipped)} files skipped, {self.seconds:.1f} s"
        )


Progress = Callable[[int, int], None]


def open_store(settings: Settings, create: bool = True) -> PassageStore:
    """The store named by the settings; the collection name carries the embedding mode."""
    return PassageStore(
        settings.paths.store, collection=f"{settings.store.collection}-{settings.embedding.mode}",
        url=settings.store.chroma_url, create=create,
    )


def build_index(
    settings: Settings,
    paths: Iterable[Path | str] | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    store: PassageStore | None = None,
    rebuild: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> IndexSummary:
    """Parse the corpus and bring the store in line with it, embedding only what changed.

    Each file's parse (and its long turns' splits) is cached beside the manifest, so only new
    and changed files are parsed again. One index run at a time holds the store (see
    :mod:`assistant.index.lock`): a second fails at once naming the first's pid. ``rebuild``
    deletes the store first and embeds everything again (the way out of a damaged store).
    """
    with store_lock(Path(settings.paths.store), "index", on_wait=on_wait):
        if rebuild:
            wipe_store(settings)
        own = store is None
        if own and not settings.store.chroma_url:
            check_segments(Path(settings.paths.store))  # damaged HNSW files crash Chroma's native code: look first
        store = store or open_store(settings)
        try:
            return _build(settings, store, paths, strict, progress, close=own)
        finally:
            if own:
                store.close()


def _build(
    settings: Settings, store: PassageStore, paths: Iterable[Path | str] | None, strict: bool, progress: Progress | None,
    close: bool = False,
) -> IndexSummary:
    t0 = time.perf_counter()
    roots = list(paths) if paths else list(settings.paths.corpus)
    lexical = Path(settings.paths.store) / "lexical"
    files = FileCache(lexical / FILE_CACHE, version=f"{READER_VERSION}.{SPLIT_VERSION}")
    corpus = load_corpus(roots, files)
    failed = [s for s in corpus.skipped if not s.deliberate]  # documentation left out on purpose is no failure
    if strict and failed:
        raise CorpusError(failed[0].reason + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""))
    passages = build_passages(corpus, settings.embedding.max_tokens, settings.embedding.mode, files)
    files.save()
    existing = _stored_hashes(store, settings)
    todo = [p for p in passages if existing.get(p.id, ("", ""))[0] != p.metadata["hash"]]
    summary = IndexSummary(
        documents=len(corpus.documents), turns=len(corpus.turns), speakers=len(corpus.people),
        passages=len(passages), unchanged=len(passages) - len(todo), skipped=corpus.skipped,
    )
    if todo or set(existing) - {p.id for p in passages}:

        mark_dirty(lexical)  # a run killed from here on leaves readers going back to Chroma
    if todo:
        embedder = get_embedder(settings.embedding.mode)
        batch = max(settings.embedding.batch_size, 1) * 8
        for s in range(0, len(todo), batch):
            chunk = todo[s : s + batch]
            vectors = embedder.encode([p.embed_text for p in chunk], batch_size=settings.embedding.batch_size)
            store.upsert([p.id for p in chunk], vectors, [p.text for p in chunk], [p.metadata for p in chunk])
            summary.embedded += len(chunk)
            if progress:
                progress(summary.embedded, len(todo))
    stale = _remove_stale(store, existing, passages, roots, corpus)
    summary.deleted = len(stale)
    _say_what_is_kept(corpus.skipped, existing, {p.id for p in passages} | stale)

    manifest = read_manifest(lexical) or {}
    stamp = store_stamp(settings)
    if (summary.embedded or summary.deleted or not manifest.get("hashes") or manifest.get("stamp") != stamp
            or (stamp and manifest.get("files") != store_files(Path(settings.paths.store)))):
        stored = store.hashes()
        if settings.store.chroma_url:
            store.set_fingerprint(passages_fingerprint((i, h) for i, (h, _) in stored.items()))
        if stored:
            prepare_snapshot(settings, store, lexical, passages_fingerprint((i, h) for i, (h, _) in stored.items()), len(stored))
        if stamp and close:
            store.close()  # Chroma settles its files on close: their sizes are what readers compare
        write_manifest(
            lexical, passages_fingerprint((i, h) for i, (h, _) in stored.items()),
            len(stored), hashes=stored, stamp=stamp, files=store_files(Path(settings.paths.store)) if stamp else None,
        )
    summary.seconds = time.perf_counter() - t0
    return summary


def prepare_snapshot(settings: Settings, store: PassageStore, lexical: Path, fingerprint: str, count: int) -> None:
    """Write the snapshot questions read, with its BM25 index and years, so the first question after a run needn't.

    A store that cannot be written beside (read-only) is left as it is: readers build what they need.
    """
    remote = store if settings.store.chroma_url and settings.store.server_search else None
    try:
        snap = open_snapshot(lexical, fingerprint, count, vectors=remote is None)
        snap = snap or snapshot_of_store(store, lexical, vectors=remote is None)
        LoadedIndex(None, embedder=None, state=snap, remote=remote).snapshot.close()  # builds BM25 and years
    except OSError:
        pass


def wipe_store(settings: Settings) -> None:
    """Delete the index (Chroma's files or the server's collection, and the caches beside it); the corpus is untouched."""
    root = Path(settings.paths.store)
    if settings.store.chroma_url:
        from assistant.index.store import _client

        client = _client(root, settings.store.chroma_url, create=True)
        try:
            client.delete_collection(f"{settings.store.collection}-{settings.embedding.mode}")
        except Exception:  # noqa: BLE001 - nothing to delete
            pass
    else:
        for f in [root / "chroma.sqlite3", root / "chroma.sqlite3-wal", root / "chroma.sqlite3-shm"]:
            f.unlink(missing_ok=True)
        # Chroma keeps each segment's vectors in a folder named by its UUID.
        for d in root.glob("*-*-*-*-*"):
            if d.is_dir() and len(d.name) == 36:
                shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(root / "lexical", ignore_errors=True)


def store_stamp(settings: Settings) -> bool | None:
    """The manifest mark of a clean embedded store (None for a Chroma server, which others may write).

    Chroma touches its files on every open, so file times can't tell; instead an index run
    marks the manifest dirty before its first write and clean when it completes.
    """
    return None if settings.store.chroma_url else True


def _stored_hashes(store: PassageStore, settings: Settings) -> dict[str, tuple[str, str]]:
    """Passage hashes from the last run's manifest when the store is untouched since; else from Chroma."""
    data = read_manifest(Path(settings.paths.store) / "lexical")
    if data is not None:
        stamp = store_stamp(settings)
        if (stamp is not None and data.get("stamp") == stamp and data.get("hashes") and data.get("count") == store.count()
                and data.get("files") == store_files(Path(settings.paths.store))):
            store.spot_check()  # damaged vector files fail here, not at the next question
            return {k: (v[0], v[1]) for k, v in data["hashes"].items()}
    hashes = store.hashes()
    store.spot_check()  # the ids' metadata can be whole while their vectors are lost
    return hashes


def _remove_stale(
    store: PassageStore, existing: dict[str, tuple[str, str]], passages: list[Passage], roots: list[Path | str], corpus: Corpus
) -> set[str]:
    """Delete passages no longer produced by a file that parsed, or whose file is gone; return their ids.

    Passages of files outside ``roots`` are kept (indexing one more file adds to the index),
    and so are those of files that failed to parse or could not be looked at this time (a folder
    gone unreadable): nothing indexed is lost to a bad read. Documentation a folder holds (README,
    SOURCE.md…) is left out on purpose, so what an older version indexed from it goes.
    """
    current = {p.id for p in passages}
    # Files that parsed, and documentation left out on purpose, lose the passages they no longer give.
    replaced = set(corpus.file_hashes) | corpus.excluded
    stale = [
        pid for pid, (_, source) in existing.items()
        if pid not in current and (source in replaced or file_gone(source))
    ]
    store.delete(stale)
    return set(stale)


def _say_what_is_kept(skipped: list[Skipped], existing: dict[str, tuple[str, str]], accounted: set[str]) -> None:
    """Add to each failed file's or folder's skip line how many passages indexed from it before are kept
    (``accounted``: passages this run produced or deleted)."""
    kept: dict[str, int] = {}
    failed = [s for s in skipped if not s.deliberate]
    if not failed:
        return
    for pid, (_, source) in existing.items():
        if pid in accounted:
            continue
        for s in failed:
            if source == s.path or source.startswith(s.path.rstrip(os.sep) + os.sep):
                kept[s.path] = kept.get(s.path, 0) + 1
    for s in failed:
        n = kept.get(s.path, 0)
        if n:
            s.reason += f"; {n} passage{'s' if n != 1 else ''} indexed from it before {'are' if n != 1 else 'is'} kept"
