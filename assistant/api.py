"""The Python API: ``Assistant.open(...)``, ``.index()``, ``.ask()`` — what the CLI and UI call."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

from assistant.ask.answerers.extractive import ExtractiveAnswerer
from assistant.ask.answerers.facts import FactsAnswerer
from assistant.ask.answerers.generative import make_generator
from assistant.ask.engine import TranscriptQueryEngine
from assistant.ask.followups import follow_up_documents, rewrite_question
from assistant.ask.retrieve import Retriever
from assistant.errors import NoIndexError, StoreError
from assistant.index.build import IndexSummary, Progress, build_index, open_store, store_stamp
from assistant.index.embedding import get_embedder
from assistant.index.loaded import LoadedIndex, cached_state
from assistant.index.manifest import manifest_path, read_manifest
from assistant.settings import Settings
from assistant.text.tokens import STOPWORDS
from assistant.types import Answer, TurnRecord


class Assistant:
    """A corpus, its index, and the query engine over it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Any = None
        self._loaded: Any = None
        self._lock = threading.Lock()
        self._loaded_version: tuple[int, int] | None = None

    @classmethod
    def open(
        cls,
        corpus: Sequence[str | Path] | str | Path | None = None,
        store: str | Path | None = None,
        settings: Settings | None = None,
    ) -> "Assistant":
        """An assistant over ``corpus`` (default seeds/) with its index in ``store`` (default vectorstore/)."""
        settings = settings.model_copy(deep=True) if settings else Settings.load()
        if corpus is not None:
            settings.paths.corpus = [Path(p) for p in ([corpus] if isinstance(corpus, (str, Path)) else corpus)]
        if store is not None:
            settings.paths.store = Path(store)
        return cls(settings)

    def index(self, progress: Progress | None = None, strict: bool = False, paths: Sequence[str | Path] | None = None) -> IndexSummary:
        """Build or update the index from the corpus; only changed passages are embedded."""
        summary = build_index(self.settings, paths=paths, strict=strict, progress=progress)
        with self._lock:
            self._engine = None  # reload on next question
            self._loaded = None
        return summary

    @property
    def loaded(self) -> Any:
        """The index read into memory (built on first use)."""
        self._ensure()
        return self._loaded

    @property
    def query_engine(self) -> Any:
        """The LlamaIndex query engine (a ``CustomQueryEngine``)."""
        self._ensure()
        return self._engine

    @property
    def people(self) -> Any:
        """The corpus's people and alias table."""
        return self.loaded.people

    def _manifest_version(self) -> tuple[int, int] | None:
        """When and how the last index run left the store (the manifest's mtime and size); None for a server."""
        if self.settings.store.chroma_url:
            return None
        try:
            st = manifest_path(self._cache_dir()).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _stale(self) -> bool:
        """Another process re-indexed since this one loaded, and finished (a run in progress is not read)."""

        version = self._manifest_version()
        if version is None or version == self._loaded_version:
            return False
        manifest = read_manifest(self._cache_dir())
        return bool(manifest and manifest.get("stamp"))

    def _ensure(self) -> None:
        if self._engine is not None and not self._stale():
            return
        with self._lock:
            if self._engine is not None and not self._stale():
                return

            # An embedded store untouched since the last index run loads from the cache without Chroma.
            state = cached_state(self._cache_dir(), store_stamp(self.settings))
            store = None
            if state is None:
                try:
                    store = open_store(self.settings, create=False)
                except StoreError as exc:
                    raise NoIndexError(f"no index in {self.settings.store.chroma_url or self.settings.paths.store}: run `assistant index` to build it") from exc
            loaded = LoadedIndex(store, get_embedder(self.settings.embedding.mode), cache_dir=self._cache_dir(), state=state)
            engine = TranscriptQueryEngine(
                retriever=Retriever(loaded, self.settings.retrieval),
                extractive=ExtractiveAnswerer(loaded, self.settings.answer),
                facts=FactsAnswerer(loaded),
                generator=make_generator(self.settings, loaded),
            )
            self._loaded, self._engine = loaded, engine
            self._loaded_version = self._manifest_version()

    def _cache_dir(self) -> Path:
        return Path(self.settings.paths.store) / "lexical"

    def ask(self, question: str, history: list[dict[str, Any]] | None = None, filters: dict[str, Any] | None = None) -> Answer:
        """Answer a question; with ``history`` a follow-up is first rewritten into a standalone question.

        History messages are ``{"role": "user"|"assistant", "content": str}``; an assistant message may
        carry ``"documents"`` (the ids its citations came from, see :meth:`Answer.history_message`), so a
        follow-up that leans on it ("at that meeting", "he", "else") searches those documents first.
        """

        engine = self.query_engine
        search = rewrite_question(question, history or [], self.loaded, self.settings, engine.generator) if history else question
        prefer = follow_up_documents(question, history, self.loaded) if history else []
        return engine.answer(question, search_question=search, filters=filters, prefer=prefer)

    def turn(self, turn_id: str) -> TurnRecord | None:
        """A turn by id (``<document>#<n>``)."""
        return self.loaded.turns.get(turn_id)

    def neighbours(self, turn_id: str, before: int = 1, after: int = 1) -> list[TurnRecord]:
        """The turn with up to ``before`` turns before and ``after`` after it, in document order."""
        t = self.turn(turn_id)
        if t is None:
            return []
        out = [self.loaded.turn_at(t.doc_id, n) for n in range(t.n - before, t.n + after + 1)]
        return [x for x in out if x is not None]

    def facts(self) -> dict[str, Any]:
        """Corpus facts for a side panel: documents and people with turn counts."""
        ix = self.loaded
        docs = sorted(ix.documents.values(), key=lambda d: (d["date"], d["doc_id"]), reverse=True)
        return {
            "documents": [{k: d[k] for k in ("doc_id", "title", "date", "place", "turns")} for d in docs],
            "people": [
                {"name": p.name, "role": p.role, "turns": p.turns, "aliases": sorted(p.aliases)} for p in ix.people
            ],
        }

    def example_questions(self, n: int = 4) -> list[str]:
        """A few questions drawn from the corpus: what its most-quoted people talked about, and where they met.

        Each person's topic is the two-word phrase they use most that is rare in the corpus as a
        whole ("video surveillance", "diplomatic relations"); labels that are not names ("Question",
        "Narrator") are skipped.
        """
        import math
        import re
        from collections import Counter


        ix = self.loaded
        extractive = self.query_engine.extractive
        people = [
            p for p in ix.people
            if p.kinds != {"narration"} and len(p.name.split()) >= 2 and all(w[:1].isupper() for w in p.name.split()[:2])
        ]
        out: list[str] = []
        by_speaker: dict[str, list[str]] = {}
        for t in ix.turns.values():
            by_speaker.setdefault(t.speaker, []).append(t.text)
        for p in people[: n * 2]:
            pairs: Counter[str] = Counter()
            shown: dict[str, str] = {}  # as first written: "United States", "video surveillance"
            for text in by_speaker.get(p.name, [])[:400]:
                words = re.findall(r"[A-Za-z]+", text)
                for a, b in zip(words, words[1:]):
                    key = f"{a.lower()} {b.lower()}"
                    if len(a) > 3 and len(b) > 3 and a.lower() not in STOPWORDS and b.lower() not in STOPWORDS:
                        pairs[key] += 1
                        shown.setdefault(key, f"{a} {b}")
            scored = [
                (count * sum(extractive.idf(w) for w in pair.split()) / math.log(2 + len(by_speaker[p.name])), pair)
                for pair, count in pairs.items() if count >= 2
            ]
            if scored:
                out.append(f"What did {p.name} say about {shown[max(scored)[1]]}?")
            if len(out) >= n - 1:
                break
        names = [p.name for p in people[:6]]
        for i, a in enumerate(names):
            pair = next((b for b in names[i + 1 :] if any(a in sp and b in sp for sp in ix.doc_speakers.values())), None)
            if pair:
                out.append(f"Where and when did {a.split()[-1]} meet {pair.split()[-1]}?")
                break
        return out[:n]
