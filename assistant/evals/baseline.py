"""The plain LlamaIndex pipeline a user builds in ten minutes: the evals' point of comparison.

``SimpleDirectoryReader`` over the corpus files (HTML and JSON read as raw text, as a new
user gets them), the default ``SentenceSplitter``, a ``VectorStoreIndex`` on a Chroma
collection, the product's packaged embedding model, top-5 retrieval. It knows nothing of
speakers, so the evals ask two things of it: did a retrieved chunk hold the expected text
(retrieval hit), and does that chunk alone name the right speaker just before the text
(attribution)?
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.evals.sets import normalise_text

BASELINE_EXTS = (".txt", ".html", ".json", ".jsonl", ".csv")
TOP_K = 5
# How far before the expected text a speaker label may sit and still attribute it ("Ella Pamfilova: ...").
WINDOW = 300
COLLECTION = "baseline"


@dataclass
class Chunk:
    """One retrieved chunk."""

    text: str
    score: float
    file: str


@dataclass
class Needle:
    """Text a correct retrieval must surface, and the names that attribute it to its speaker."""

    text: str
    names: list[str] = field(default_factory=list)


@dataclass
class BaselineSummary:
    """What building (or reopening) the baseline index did."""

    files: int = 0
    chunks: int = 0
    embedded: bool = False
    seconds: float = 0.0

    def line(self) -> str:
        """One-line human summary."""
        how = "embedded" if self.embedded else "reused"
        return f"{self.files} files, {self.chunks} chunks ({how}), {self.seconds:.1f} s"


def baseline_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files the baseline reads: folders expanded recursively, the usual text extensions only."""
    out: list[Path] = []
    for p in (Path(x).expanduser().resolve() for x in paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in BASELINE_EXTS))
        elif p.is_file() and p.suffix.lower() in BASELINE_EXTS:
            out.append(p)
    return out


class Baseline:
    """SimpleDirectoryReader → SentenceSplitter → VectorStoreIndex (Chroma) → top-5 retriever."""

    def __init__(self, corpus: Iterable[Path | str], store: Path, mode: str = "static", top_k: int = TOP_K) -> None:
        self.files = baseline_files(corpus)
        self.store = Path(store)
        self.mode = mode
        self.top_k = top_k
        self._index: Any = None

    def _manifest(self) -> dict[str, Any]:
        # Size and mtime are enough to notice an edited corpus; the baseline has no incremental update.
        files = {str(f): [f.stat().st_size, int(f.stat().st_mtime)] for f in self.files}
        return {"mode": self.mode, "files": files}

    def build(self, progress: Callable[[str], None] | None = None) -> BaselineSummary:
        """Open the persisted index, or build it when missing or the corpus changed."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from llama_index.core import Settings as LlamaSettings
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
        from llama_index.core.llms import MockLLM
        from llama_index.vector_stores.chroma import ChromaVectorStore

        from assistant.index.llama_embedding import PackagedEmbedding

        t0 = time.perf_counter()
        if not self.files:
            raise ValueError("baseline: no .txt/.html/.json/.jsonl/.csv files in the corpus")
        # Nothing in a retrieval-only pipeline needs an LLM; MockLLM makes sure nothing reaches for OpenAI.
        LlamaSettings.llm = MockLLM()
        embed = PackagedEmbedding(mode=self.mode)
        self.store.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(self.store), settings=ChromaSettings(anonymized_telemetry=False))
        manifest_path = self.store / "manifest.json"
        manifest = self._manifest()
        collection = client.get_or_create_collection(COLLECTION)
        old = json.loads(manifest_path.read_text()) if manifest_path.exists() else None
        summary = BaselineSummary(files=len(self.files))
        if old == manifest and collection.count() > 0:
            vector_store = ChromaVectorStore(chroma_collection=collection)
            self._index = VectorStoreIndex.from_vector_store(vector_store, embed_model=embed)
        else:
            client.delete_collection(COLLECTION)
            collection = client.get_or_create_collection(COLLECTION)
            if progress:
                progress(f"baseline: reading {len(self.files)} files")
            docs = SimpleDirectoryReader(input_files=[str(f) for f in self.files], required_exts=list(BASELINE_EXTS)).load_data()
            if progress:
                progress(f"baseline: splitting and embedding {len(docs)} documents")
            storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
            self._index = VectorStoreIndex.from_documents(
                docs, storage_context=storage, embed_model=embed, show_progress=progress is not None
            )
            manifest_path.write_text(json.dumps(manifest))
            summary.embedded = True
        summary.chunks = collection.count()
        summary.seconds = time.perf_counter() - t0
        return summary

    def retrieve(self, question: str) -> list[Chunk]:
        """Top-k chunks for a question, best first."""
        if self._index is None:
            self.build()
        nodes = self._index.as_retriever(similarity_top_k=self.top_k).retrieve(question)
        return [Chunk(text=n.node.get_content(), score=float(n.score or 0.0), file=str(n.node.metadata.get("file_path", ""))) for n in nodes]


def store_key(corpus: Iterable[Path | str], mode: str) -> str:
    """Folder name for a baseline index of this corpus and embedding mode."""
    files = sorted(str(Path(p).expanduser().resolve()) for p in corpus)
    return "baseline-" + hashlib.sha1(json.dumps([files, mode]).encode()).hexdigest()[:12]


def chunk_text(raw: str) -> str:
    """A chunk as the evals compare it: HTML entities decoded, then normalised like answers."""
    return normalise_text(html.unescape(raw))


def locate(chunks: list[Chunk], needles: list[Needle], window: int = WINDOW) -> tuple[int | None, bool]:
    """(1-based rank of the first chunk holding a needle, whether some holding chunk names its speaker before it)."""
    rank: int | None = None
    attributed = False
    for r, chunk in enumerate(chunks, start=1):
        text = chunk_text(chunk.text)
        for needle in needles:
            want = normalise_text(needle.text)
            # JSON files keep their escapes in raw text ("\u2019", "\""); look for the escaped form too.
            escaped = normalise_text(json.dumps(needle.text)[1:-1])
            pos = text.find(want)
            if pos < 0 and escaped != want:
                pos = text.find(escaped)
            if pos < 0 or not want:
                continue
            rank = rank or r
            before = text[max(0, pos - window) : pos]
            if any(normalise_text(name) in before for name in needle.names if name.strip()):
                attributed = True
        if attributed:
            break
    return rank, attributed
