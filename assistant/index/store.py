"""The vector store: one Chroma collection of passages, embedded or behind a Chroma server.

Everything else talks to :class:`PassageStore`, so moving from the embedded store under
``vectorstore/`` to a Chroma server (``store.chroma_url``) changes nothing upstream.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlparse

import numpy as np

from assistant.errors import StoreError


def _client(path: Path, url: str | None) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    # Chroma's telemetry would try to reach the network; this product runs offline.
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if url:
        u = urlparse(url)
        if not u.hostname:
            raise StoreError(f"store.chroma_url: not a URL: {url!r} (expected http://host:port)")
        try:
            return chromadb.HttpClient(
                host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                ssl=u.scheme == "https", settings=chroma_settings,
            )
        except Exception as exc:  # chromadb raises several types for an unreachable server
            raise StoreError(f"Chroma server at {url} is unreachable ({exc.__class__.__name__}: {exc})") from exc
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class PassageStore:
    """Passages with their embeddings and metadata, keyed by passage id."""

    def __init__(self, path: Path, collection: str = "turns", url: str | None = None, create: bool = True) -> None:
        self.path = Path(path)
        self.url = url
        self.client = _client(self.path, url)
        if create:
            self.collection = self.client.get_or_create_collection(
                collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        else:
            try:
                self.collection = self.client.get_collection(collection, embedding_function=None)
            except Exception as exc:
                raise StoreError(f"no index in {url or self.path} (collection {collection!r}): run `assistant index` first") from exc

    def count(self) -> int:
        """Number of passages stored."""
        return int(self.collection.count())

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

    def _pages(self, include: list[str], size: int = 5000) -> Iterator[tuple[list[str], list[str], list[dict[str, Any]], Any]]:
        # Chroma binds one SQL variable per id: unpaged reads fail past ~32k passages.
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=size, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            emb = got.get("embeddings")
            yield (ids, got.get("documents") or [""] * len(ids), got.get("metadatas") or [{}] * len(ids),
                   emb if emb is not None else [])
            offset += len(ids)

    def upsert(self, ids: list[str], embeddings: np.ndarray, texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        """Insert or replace passages."""
        if ids:
            self.collection.upsert(ids=ids, embeddings=embeddings.tolist(), documents=texts, metadatas=metadatas)

    def delete(self, ids: list[str]) -> None:
        """Remove passages by id."""
        for s in range(0, len(ids), 5000):
            self.collection.delete(ids=ids[s : s + 5000])
