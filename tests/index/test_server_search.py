"""Server mode against a real `chroma run` (loopback, started and stopped by pid): dense search runs on
the server, the local snapshot holds text but no vectors, and a process that starts pulls nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.index.build import build_index
from assistant.index.store import PassageStore
from conftest import SEEDS, settings_for

QUESTIONS = [
    ("How many parties nominated candidates?", None),
    ("What did Tokayev say about trade?", None),
    ("What did Putin say about electronic voting?", None),
    ("What was said about the elections?", {"speaker": "Pamfilova"}),
    ("What did they discuss?", {"date_from": "2022-08-19", "date_to": "2022-08-19"}),
]


def answers(a: Assistant) -> list[tuple[str, list[str], list[str]]]:
    """Each question's answer, its citations and the first ``top_k`` turns retrieved. A discussion question is
    handed more turns (``discussion_top_k``); below the first ``top_k`` the server's approximate (HNSW) search may
    order near ties otherwise than exact search."""
    out = []
    for q, filters in QUESTIONS:
        ans = a.ask(q, filters=filters)
        out.append((ans.answer, [c.turn_id for c in ans.citations], [r.turn_id for r in ans.retrieved[: a.settings.retrieval.top_k]]))
    return out


def test_dense_search_runs_on_the_server_and_a_new_process_pulls_nothing(
    tmp_path: Path, chroma_server: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    s = settings_for(tmp_path / "store")
    s.store.chroma_url = chroma_server
    build_index(s, [SEEDS])
    snapshots = list((tmp_path / "store" / "lexical").glob("snapshot-*"))
    assert [p.name.endswith("-text") for p in snapshots] == [True] and not (snapshots[0] / "vectors.npy").exists()

    queried: list[dict | None] = []
    real_query = PassageStore.query

    def spy(self: PassageStore, vector: object, n: int, where: dict | None = None) -> list[str]:
        queried.append(where)
        return real_query(self, vector, n, where)

    def no_pull(*_: object, **__: object) -> None:
        raise AssertionError("a starting process read the whole collection")

    monkeypatch.setattr(PassageStore, "query", spy)
    monkeypatch.setattr(PassageStore, "pages", no_pull)
    monkeypatch.setattr(PassageStore, "ids", no_pull)
    got = answers(Assistant(s))
    assert len(queried) >= len(QUESTIONS)
    # The speaker filter went to the server as a where (with the narration that may paraphrase her).
    assert any(w and "Ella Pamfilova" in str(w) for w in queried)
    monkeypatch.undo()

    # On this corpus the server's search finds what exact search finds: the same answers as the embedded store.
    embedded = settings_for(tmp_path / "embedded")
    build_index(embedded, [SEEDS])
    assert got == answers(Assistant(embedded))


def test_another_machine_builds_its_snapshot_once_without_vectors(tmp_path: Path, chroma_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_for(tmp_path / "store")
    s.store.chroma_url = chroma_server
    build_index(s, [SEEDS])
    elsewhere = settings_for(tmp_path / "elsewhere")
    elsewhere.store.chroma_url = chroma_server
    includes: list[bool] = []
    real_pages = PassageStore.pages

    def spy(self: PassageStore, size: int = 5000, vectors: bool = True) -> object:
        includes.append(vectors)
        return real_pages(self, size, vectors)

    monkeypatch.setattr(PassageStore, "pages", spy)
    first = Assistant(elsewhere).ask("What did Tokayev say about trade?")
    assert includes == [False]  # one paged read of text and metadata, no vectors
    again = Assistant(elsewhere).ask("What did Tokayev say about trade?")
    assert includes == [False] and again.answer == first.answer


def test_server_search_off_keeps_the_vectors_here(tmp_path: Path, chroma_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings_for(tmp_path / "store")
    s.store.chroma_url = chroma_server
    s.store.server_search = False
    build_index(s, [SEEDS])
    (snapshot,) = (tmp_path / "store" / "lexical").glob("snapshot-*")
    assert (snapshot / "vectors.npy").exists()

    def no_query(*_: object, **__: object) -> None:
        raise AssertionError("searched on the server")

    monkeypatch.setattr(PassageStore, "query", no_query)
    assert Assistant(s).ask("What did Tokayev say about trade?").citations
