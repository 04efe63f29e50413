"""The Python API: ``Assistant.open(...)``, ``.index()``, ``.ask()`` — what the CLI and UI call."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from assistant.ask.answerers.extractive import ExtractiveAnswerer
from assistant.ask.answerers.facts import FactsAnswerer
from assistant.ask.answerers.generative import make_generator
from assistant.ask.engine import AnswerEngine
from assistant.ask.followups import resolve_follow_up
from assistant.ask.reader import Calibrator, load_reader
from assistant.ask.retrieve import Retriever
from assistant.ask.validate import check_filters, check_question, foreign_script, scripts_of
from assistant.errors import ModelError, NoIndexError
from assistant.index.build import IndexSummary, Progress, build_index, open_store, store_stamp
from assistant.index.embedding import get_embedder
from assistant.index.loaded import LoadedIndex, cached_state
from assistant.index.lock import store_lock
from assistant.index.manifest import manifest_path, read_manifest, store_files, write_manifest
from assistant.index.segments import check_segments
from assistant.models.cross_encoder import ModelFileMissing
from assistant.settings import Settings
from assistant.text.tokens import STOPWORDS
from assistant.types import ABSTAIN_PREFIX, Answer, TurnRecord

# How often a long-running process asks a Chroma server whether the index changed.
_SERVER_CHECK_S = 2.0


def load_reader_parts(settings: Settings) -> tuple[Any, Calibrator | None]:
    """The learned reader and its calibration, when ``answer.reader`` is on (loaded once per process)."""
    if not settings.answer.reader:
        return None, None
    try:
        return load_reader(settings.answer.reader_threads), Calibrator.load()
    except ModelFileMissing as exc:
        raise ModelError(f"{exc}; or set answer.reader = false (ASSISTANT_ANSWER__READER=false) to answer without it") from exc


class Assistant:
    """A corpus, its index, and the query engine over it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Any = None
        self._query_engine: Any = None  # the LlamaIndex wrapper, built on first use
        self._loaded: Any = None
        self._lock = threading.Lock()
        self._loaded_version: tuple[int, int] | None = None
        self._checked_at = 0.0
        self._scripts: tuple[Any, set[str]] = (None, set())
        # Told once when a question waits for another process's index run to finish.
        self.on_wait: Callable[[str], None] | None = None

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

    def index(
        self, progress: Progress | None = None, strict: bool = False, paths: Sequence[str | Path] | None = None,
        rebuild: bool = False, on_wait: Callable[[str], None] | None = None,
    ) -> IndexSummary:
        """Build or update the index from the corpus; only changed passages are embedded.

        ``rebuild`` deletes the index first; ``on_wait`` hears once when the run waits for a reader.
        """
        summary = build_index(self.settings, paths=paths, strict=strict, progress=progress, rebuild=rebuild, on_wait=on_wait)
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
    def engine(self) -> AnswerEngine:
        """The answer engine: retriever and answerers (see :mod:`assistant.ask.engine`)."""
        self._ensure()
        return self._engine

    @property
    def query_engine(self) -> Any:
        """The LlamaIndex query engine (a ``CustomQueryEngine``) over :attr:`engine`; LlamaIndex is
        imported on first use only, so a process that just asks does not pay for it."""
        from assistant.ask.llama import TranscriptQueryEngine

        engine = self.engine
        if self._query_engine is None or self._query_engine.engine is not engine:
            self._query_engine = TranscriptQueryEngine.over(engine)
        return self._query_engine

    @property
    def people(self) -> Any:
        """The corpus's people and alias table."""
        return self.loaded.people

    def _manifest_version(self) -> tuple[int, int] | None:
        """When and how the last index run left the store (the manifest's mtime and size); None without one."""
        try:
            st = manifest_path(self._cache_dir()).stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _stale(self) -> bool:
        """Another process re-indexed since this one loaded, and finished (a run in progress is not read).

        For a Chroma server, which other machines may write, the passage count is compared too
        (at most every ``_SERVER_CHECK_S`` seconds).
        """
        if self._loaded is not None and not self._loaded.snapshot.path.is_dir():
            return True  # its snapshot was removed (found damaged): build it again
        version = self._manifest_version()
        if version != self._loaded_version:
            manifest = read_manifest(self._cache_dir())
            if manifest and (manifest.get("stamp") or self.settings.store.chroma_url):
                return True
        if self.settings.store.chroma_url and self._loaded is not None:
            now = time.monotonic()
            if now - self._checked_at < _SERVER_CHECK_S:
                return False
            with open_store(self.settings, create=False) as store:
                changed = store.count() != len(self._loaded.passage_ids) or store.fingerprint() not in (None, self._loaded.fingerprint)
            if not changed:  # a change found stays found until the reload (the check under the lock sees it too)
                self._checked_at = now
            return changed
        return False

    def _ensure(self) -> None:
        if self._engine is not None and not self._stale():
            return
        with self._lock:
            if self._engine is not None and not self._stale():
                return
            loaded = self._load()
            engine = AnswerEngine(
                retriever=Retriever(loaded, self.settings.retrieval),
                extractive=ExtractiveAnswerer(loaded, self.settings.answer, *load_reader_parts(self.settings)),
                facts=FactsAnswerer(loaded),
                generator=make_generator(self.settings, loaded),
            )
            self._loaded, self._engine = loaded, engine
            self._checked_at = time.monotonic()

    def _load(self) -> LoadedIndex:
        """The index read into memory: from the cache a completed run left, or else from Chroma.

        An embedded store is read only while no index run writes it (the store lock), and closed
        at once, so the next load after another process's run sees that run's writes.
        """
        embedder = get_embedder(self.settings.embedding.mode)
        root = Path(self.settings.paths.store)
        stamp = store_stamp(self.settings)
        if stamp is None:  # a Chroma server: ask it what it holds (its snapshot here is keyed by its fingerprint)
            if self.settings.store.server_search:
                # Kept open: dense search runs on the server.
                store = open_store(self.settings, create=False)
                loaded = LoadedIndex(store, embedder, cache_dir=self._cache_dir(), remote=store)
            else:
                with open_store(self.settings, create=False) as store:
                    loaded = LoadedIndex(store, embedder, cache_dir=self._cache_dir())
            # After the load, which may have written the manifest itself; the server's count and fingerprint
            # (checked in _stale) catch runs elsewhere.
            self._loaded_version = self._manifest_version()
            return loaded
        if not root.is_dir():
            raise NoIndexError(f"no index in {root}: run `assistant index` to build it")
        # Untouched since the last index run, with its files as that run left them: no need to open Chroma.
        version = self._manifest_version()
        state = cached_state(self._cache_dir(), stamp, store_files(root))
        if state is not None:
            self._loaded_version = version
            return LoadedIndex(None, embedder, cache_dir=self._cache_dir(), state=state)
        with store_lock(root, "read", on_wait=self.on_wait):
            version = self._manifest_version()
            state = cached_state(self._cache_dir(), stamp, store_files(root))
            if state is not None:
                loaded = LoadedIndex(None, embedder, cache_dir=self._cache_dir(), state=state)
            else:
                check_segments(root)  # damaged HNSW files crash Chroma's native code: look first
                with open_store(self.settings, create=False) as store:
                    store.spot_check()
                    loaded = LoadedIndex(store, embedder, cache_dir=self._cache_dir())
                manifest = read_manifest(self._cache_dir())
                if manifest and manifest.get("stamp") == stamp and manifest.get("fingerprint") == loaded.fingerprint:
                    # Checked just now: the files as they are hold what the manifest says.
                    write_manifest(self._cache_dir(), loaded.fingerprint, len(loaded.passage_ids), files=store_files(root))
                version = self._manifest_version()
            self._loaded_version = version
            return loaded

    def _cache_dir(self) -> Path:
        return Path(self.settings.paths.store) / "lexical"

    def ask(self, question: str, history: list[dict[str, Any]] | None = None, filters: dict[str, Any] | None = None) -> Answer:
        """Answer a question; with ``history`` a follow-up is first rewritten into a standalone question.

        History messages are ``{"role": "user"|"assistant", "content": str}``; an assistant message may
        carry ``"documents"`` (the ids its citations came from, see :meth:`Answer.history_message`), so a
        follow-up that leans on it ("at that meeting", "he", "else") searches those documents first.
        """

        question = check_question(question)
        engine = self.engine
        filters = check_filters(filters, self.loaded.documents)
        foreign = foreign_script(question, self._index_scripts())
        if foreign:
            return self._foreign(question, foreign, filters)
        if not history:
            return engine.answer(question, filters=filters)
        follow = resolve_follow_up(question, history, self.loaded, self.settings, engine.generator)
        if follow.event_of:
            return engine.answer_event_of(question, follow.event_of, filters)
        if follow.next_of:
            return engine.answer_next(question, follow.next_of, follow.same_speaker, filters,
                                      reply=follow.reply, reply_by=follow.reply_by)
        answer = engine.answer(question, search_question=follow.search, filters=filters, prefer=follow.prefer, said=follow.said)
        if answer.abstained and follow.prefer and follow.soft:
            # A new question that names nothing of its own is searched in the last answer's events first, but
            # they are no limit: "Who is behind the fake news campaign?" after a question about trade.
            anywhere = engine.answer(question, search_question=follow.search, filters=filters, said=follow.said)
            if not anywhere.abstained:
                return anywhere
        return answer

    def _index_scripts(self) -> set[str]:
        """The writing systems the transcripts are in (each at least 2% of the letters of a sample of passages)."""
        loaded = self.loaded
        if self._scripts[0] is not loaded:
            texts = loaded.passage_texts
            step = max(1, len(texts) // 400)
            counts = scripts_of(" ".join(texts[::step]))
            total = sum(counts.values()) or 1
            self._scripts = (loaded, {k for k, n in counts.items() if n / total >= 0.02})
        return self._scripts[1]

    def _foreign(self, question: str, script: str, filters: dict[str, Any]) -> Answer:
        """The abstention for a question in a script the transcripts don't use."""
        held = " and ".join(sorted(self._index_scripts()))
        text = (f"{ABSTAIN_PREFIX} anything in answer to a question in {script} script: the transcripts indexed here "
                f"are in {held} script. Ask in their language.")
        return Answer(question=question, search_question=question, answer=text, abstained=True, backend="extractive",
                      notes=[f"question in {script} script; transcripts in {held}"], filters=filters)

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
        extractive = self.engine.extractive
        people = [
            p for p in ix.people
            if p.kinds != {"narration"} and len(p.name.split()) >= 2 and all(w[:1].isupper() for w in p.name.split()[:2])
        ]
        out: list[str] = []
        for p in people[: n * 2]:
            pairs: Counter[str] = Counter()
            shown: dict[str, str] = {}  # as first written: "United States", "video surveillance"
            said, texts = ix.speaker_turns(p.name, 400)  # their first 400 turns, read from the turn store
            for text in texts:
                words = re.findall(r"[A-Za-z]+", text)
                for a, b in zip(words, words[1:]):
                    key = f"{a.lower()} {b.lower()}"
                    if len(a) > 3 and len(b) > 3 and a.lower() not in STOPWORDS and b.lower() not in STOPWORDS:
                        pairs[key] += 1
                        shown.setdefault(key, f"{a} {b}")
            scored = [
                (count * sum(extractive.idf(w) for w in pair.split()) / math.log(2 + said), pair)
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
