"""Turns → passages: one passage per turn, long turns split at sentence boundaries, each with its metadata."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.ingest.corpus import Corpus, FileCache
from assistant.ingest.transcripts import Document, Turn
from assistant.text.sentences import sentence_spans


def _tiktoken_cache() -> None:
    # llama-index-core ships cl100k_base; tiktoken would otherwise download it.
    if "TIKTOKEN_CACHE_DIR" not in os.environ:
        import llama_index.core

        os.environ["TIKTOKEN_CACHE_DIR"] = str(Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache")


@lru_cache(maxsize=1)
def _encoder() -> Any:
    _tiktoken_cache()
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


def count_tokens(text: str) -> int:
    """cl100k tokens in a text."""
    return len(_encoder().encode(text, disallowed_special=()))


@dataclass
class Passage:
    """A piece of a turn small enough to embed, with the turn's metadata."""

    id: str
    text: str
    embed_text: str
    metadata: dict[str, Any]


# Bump when split_turn or count_tokens would split a text differently: cached splits are then ignored.
SPLIT_VERSION = 2


def split_turn(text: str, max_tokens: int, memo: dict[str, list[str]] | None = None) -> list[str]:
    """Split a turn at sentence boundaries into pieces of at most ``max_tokens`` (a longer sentence stands alone).

    ``memo`` (long text → pieces, for this ``max_tokens``) saves counting tokens again.
    """
    # cl100k averages ~4 characters a token on English prose and never fewer than ~2.5 on
    # numbers-heavy text, so a short turn needs no counting.
    if len(text) <= max_tokens * 2.5:
        return [text]
    if memo is not None and text in memo:
        return memo[text]
    pieces = [text] if count_tokens(text) <= max_tokens else _split_sentences(text, max_tokens)
    if memo is not None:
        memo[text] = pieces
    return pieces


def _split_sentences(text: str, max_tokens: int) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for s, e in sentence_spans(text):
        sent = text[s:e].strip()
        n = count_tokens(sent)
        if current and size + n > max_tokens:
            pieces.append(" ".join(current))
            current, size = [], 0
        current.append(sent)
        size += n
    if current:
        pieces.append(" ".join(current))
    return pieces


def turn_metadata(doc: Document, turn: Turn) -> dict[str, Any]:
    """Metadata stored on every passage of a turn (Chroma needs scalars: None becomes '')."""
    meta: dict[str, Any] = {
        "turn_id": turn.id, "doc_id": doc.doc_id, "title": doc.title, "date": doc.date or "",
        "time": doc.time or "", "place": doc.place or "", "speaker": turn.speaker, "role": turn.role or "",
        "label": turn.label, "turn": turn.n, "kind": turn.kind, "source": doc.source,
        "start": turn.start, "end": turn.end, "quoted_in": turn.quoted_in or "", "format": doc.format,
        "url": doc.url or "", "outlet": doc.outlet or "", "author": doc.author or "", "lead": (doc.lead or "")[:500],
        "persons": "; ".join(doc.persons), "n_turns": len(doc.turns),
    }
    return meta


def build_passages(corpus: Corpus, max_tokens: int, mode: str, cache: FileCache | None = None) -> list[Passage]:
    """Every passage of every turn, with the text to embed and a hash of it (splits memoised in ``cache``)."""
    out: list[Passage] = []
    for doc in corpus.documents:
        memo = cache.splits(doc.source, max_tokens) if cache else None
        for turn in doc.turns:
            base = turn_metadata(doc, turn)
            pieces = split_turn(turn.text, max_tokens, memo)
            for k, piece in enumerate(pieces, start=1):
                who = turn.attribution + (f" ({turn.role})" if turn.role else "")
                embed_text = f"{who}, {doc.title}, {doc.date or ''}: {piece}"
                meta = dict(base, passage=k, passages=len(pieces))
                digest = hashlib.sha1((mode + "\x00" + embed_text + "\x00" + repr(sorted(meta.items()))).encode()).hexdigest()[:16]
                meta["hash"] = digest
                out.append(Passage(id=f"{turn.id}:{k}", text=piece, embed_text=embed_text, metadata=meta))
    return out
