"""The vector store: one Chroma collection of passages, embedded or behind a Chroma server.

Everything else talks to :class:`PassageStore`, so moving from the embedded store under
``vectorstore/`` to a Chroma server (``store.chroma_url``) changes nothing upstream.

An embedded store is opened fresh each time (Chroma caches one client per folder, and a cached
client never sees what another process wrote since), and closed when done: open it with
``with PassageStore(...) as store:``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from assistant.errors import NoIndexError, StoreDamagedError, StoreError, StoreUnreachableError

T = TypeVar("T")
REBUILD_COMMAND = "assistant index --rebuild"
# Chroma binds one SQL variable per id: reads and writes go in pages below SQLite's limit.
PAGE = 5000
_open: Counter[str] = Counter()  # embedded folders this process has open, by path
_open_lock = threading.Lock()


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    # Chroma's telemetry would try to reach the network; this product runs offline.
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _drop_cached_system(path: str) -> None:
    """Forget Chroma's cached client for ``path`` when nothing here has it open, so the next open reads the disk."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with SharedSystemClient._refcount_lock:
        system = SharedSystemClient._identifier_to_system.pop(path, None)
        SharedSystemClient._identifier_to_refcount.pop(path, None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a damaged store may fail to stop; it is dropped either way
            pass


def _unreachable(url: str, exc: BaseException) -> StoreUnreachableError:
    return StoreUnreachableError(
        f"the Chroma server at {url} is unreachable ({exc.__class__.__name__}): start it, or unset ASSISTANT_CHROMA_URL "
        "to use the embedded store"
    )


def _client(path: Path, url: str | None, create: bool) -> Any:
    import chromadb

    if url:
        u = urlparse(url)
        if not u.hostname:
            raise StoreError(f"store.chroma_url: not a URL: {url!r} (expected http://host:port)")
        try:
            return chromadb.HttpClient(
                host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                ssl=u.scheme == "https", settings=_chroma_settings(),
            )
        except Exception as exc:  # chromadb raises several types for an unreachable server
            raise _unreachable(url, exc) from exc
    if not create and not (path / "chroma.sqlite3").exists():
        raise NoIndexError(f"no index in {path}: run `assistant index` to build it")
    path.mkdir(parents=True, exist_ok=True)
    key = str(path)
    with _open_lock:
        if _open[key] == 0:
            _drop_cached_system(key)
        try:
            client = chromadb.PersistentClient(path=key, settings=_chroma_settings())
        except Exception as exc:
            _drop_cached_system(key)
            raise damaged(path, exc) from exc
        _open[key] += 1
    return client


def damaged(path: Path | str, exc: BaseException) -> StoreDamagedError:
    """The one-line error for a store whose files Chroma cannot read."""
    detail = str(exc).splitlines()[0][:160] if str(exc) else exc.__class__.__name__
    return StoreDamagedError(f"the store in {path} is damaged ({detail}): rebuild it with `{REBUILD_COMMAND}`")


class PassageStore:
    """Passages with their embeddings and metadata, keyed by passage id."""

    def __init__(self, path: Path, collection: str = "turns", url: str | None = None, create: bool = True) -> None:
        self.path = Path(path)
        self.url = url
        self.name = collection
        self.closed = False
        self.client = _client(self.path, url, create)
        try:
            if create:
                self.collection = self._call(lambda: self.client.get_or_create_collection(
                    collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
                ))
            else:
                try:
                    self.collection = self._call(lambda: self.client.get_collection(collection, embedding_function=None))
                except StoreError:
                    raise
                except Exception as exc:
                    raise NoIndexError(
                        f"no index in {url or self.path} (collection {collection!r}): run `assistant index` to build it"
                    ) from exc
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "PassageStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    def close(self) -> None:
        """Release the client; an embedded folder no one here has open is read afresh next time."""
        if getattr(self, "closed", True) or not hasattr(self, "client"):
            return
        self.closed = True
        if self.url:
            return
        key = str(self.path)
        with _open_lock:
            _open[key] = max(_open[key] - 1, 0)
            try:
                self.client.close()
            except Exception:
                pass

    def _call(self, fn: Callable[[], T]) -> T:
        """Run a Chroma call, turning a dead server or damaged files into one-line store errors."""
        try:
            return fn()
        except StoreError:
            raise
        except Exception as exc:
            if self.url:
                import httpx

                if isinstance(exc, (httpx.TransportError, ConnectionError)) or "connect" in str(exc).lower():
                    raise _unreachable(self.url, exc) from exc
                raise
            from chromadb.errors import ChromaError

            if isinstance(exc, ChromaError) or "malformed" in str(exc) or "database" in str(exc).lower():
                raise damaged(self.path, exc) from exc
            raise

    def count(self) -> int:
        """Number of passages stored."""
        return int(self._call(self.collection.count))

    def hashes(self) -> dict[str, tuple[str, str]]:
        """Passage id → (content hash, source file) for every stored passage."""
        out: dict[str, tuple[str, str]] = {}
        for ids, _, metas, _ in self._pages(include=["metadatas"]):
            for i, m in zip(ids, metas):
                out[i] = (str(m.get("hash", "")), str(m.get("source", "")))
        return out

    def read_all(self) -> tuple[list[str], list[str], list[dict[str, Any]], np.ndarray]:
        """Every passage, read page by page: ids, texts, metadata and vectors (one float32 row each)."""
        ids: list[str] = []
        docs: list[str] = []
        metas: list[dict[str, Any]] = []
        vecs: list[np.ndarray] = []
        for i, d, m, e in self._pages(include=["documents", "metadatas", "embeddings"]):
            ids += i
            docs += d
            metas += m
            vecs.append(np.asarray(e, dtype=np.float32))
        return ids, docs, metas, (np.concatenate(vecs) if vecs else np.zeros((0, 0), dtype=np.float32))

    def ids(self) -> list[str]:
        """Every passage id, read page by page."""
        return [i for ids, _, _, _ in self._pages(include=[]) for i in ids]

    def pages(self, size: int = PAGE, vectors: bool = True) -> Iterator[tuple[list[str], list[str], list[dict[str, Any]], Any]]:
        """Every passage, a page at a time: ids, texts, metadata and (unless ``vectors`` is off) vectors."""
        return self._pages(include=["documents", "metadatas"] + (["embeddings"] if vectors else []), size=size)

    def query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None) -> list[str]:
        """Ids of the ``n`` passages nearest ``vector`` (the store's own HNSW search), nearest first, among those ``where`` admits."""
        got = self._call(lambda: self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()], n_results=max(1, n), where=where or None, include=[],
        ))
        return list(got["ids"][0]) if got.get("ids") else []

    def _pages(self, include: list[str], size: int = PAGE) -> Iterator[tuple[list[str], list[str], list[dict[str, Any]], Any]]:
        offset = 0
        while True:
            got = self._call(lambda: self.collection.get(include=include, limit=size, offset=offset))
            ids = got["ids"]
            if not ids:
                return
            emb = got.get("embeddings")
            yield (ids, got.get("documents") or [""] * len(ids), got.get("metadatas") or [{}] * len(ids),
                   emb if emb is not None else [])
            offset += len(ids)

    def spot_check(self, k: int = 3) -> None:
        """Read a few passages with their vectors, so damaged files fail here, in one line, not mid-question."""
        got = self._call(lambda: self.collection.get(limit=k, include=["embeddings"]))
        if got["ids"]:
            vectors = got.get("embeddings")
            self._call(lambda: self.collection.query(query_embeddings=[list(vectors[0])], n_results=min(k, len(got["ids"])), include=[]))

    def fingerprint(self) -> str | None:
        """The fingerprint of the passages the last completed index run left (kept on a server's collection)."""
        meta = self._call(lambda: self.client.get_collection(self.name, embedding_function=None).metadata) or {}
        return str(meta["fingerprint"]) if meta.get("fingerprint") else None

    def set_fingerprint(self, fingerprint: str) -> None:
        """Record what a completed index run left, so readers elsewhere see that it changed."""
        self._call(lambda: self.collection.modify(metadata={"fingerprint": fingerprint}))

    def upsert(self, ids: list[str], embeddings: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        """Insert or replace passages (in pages Chroma accepts)."""
        if not hasattr(self, "_batch"):
            self._batch = min(PAGE, int(self._call(self.client.get_max_batch_size)))
        size = self._batch
        for s in range(0, len(ids), size):
            e = s + size
            self._call(lambda: self.collection.upsert(
                ids=ids[s:e], embeddings=np.asarray(embeddings[s:e]).tolist(), documents=texts[s:e], metadatas=metadatas[s:e],
            ))

    def delete(self, ids: list[str]) -> None:
        """Remove passages by id."""
        for s in range(0, len(ids), PAGE):
            self._call(lambda: self.collection.delete(ids=ids[s : s + PAGE]))
