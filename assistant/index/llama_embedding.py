"""The packaged MiniLM as a LlamaIndex embedding, for LlamaIndex pipelines (the eval baseline).

Kept apart from :mod:`assistant.index.embedding` so that asking a question never imports LlamaIndex's
embedding stack (importing ``llama_index.core`` costs about a second of a new process's start).
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.index.embedding import get_embedder


class PackagedEmbedding(BaseEmbedding):
    """LlamaIndex embedding over the packaged MiniLM, so LlamaIndex pipelines can share it."""

    model_name: str = "all-MiniLM-L6-v2"
    mode: str = "static"
    _model: Any = PrivateAttr()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._model = get_embedder(self.mode)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.encode([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.encode([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, batch_size=self.embed_batch_size).tolist()
