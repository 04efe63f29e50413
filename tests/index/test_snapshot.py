"""The snapshot question time reads: column codes, the turn store behind lazy mappings, and rebuilding
a damaged or missing snapshot. Small made-up passages throughout (no embedding model, no corpus)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import StoreDamagedError
from assistant.index.build import build_index
from assistant.index.columns import Columns, Years, encode
from assistant.index.loaded import LoadedIndex
from assistant.index.snapshot import open_snapshot, snapshot_path
from assistant.index.store import PassageStore
from assistant.index.turnstore import TurnStore
from assistant.text.dates import years_about
from conftest import SEEDS, settings_for


def meta(doc: str, n: int, k: int, speaker: str, date: str, kind: str = "speech", **extra: object) -> dict:
    return {"turn_id": f"{doc}#{n}", "doc_id": doc, "turn": n, "passage": k, "speaker": speaker, "role": "",
            "label": speaker, "kind": kind, "title": f"Meeting {doc}", "date": date, "time": "", "place": "Sochi",
            "source": f"/c/{doc}.txt", "start": 0, "end": 10, "n_turns": 4, "hash": f"h-{doc}-{n}-{k}", **extra}


# Turn b#1 has 11 passages: by id ":10" and ":11" sort before ":2", by number they come last.
PASSAGES = [
    (f"b#1:{k}", f"piece{k}.", meta("b", 1, k, "Ella Pamfilova", "2022-08-19")) for k in range(1, 12)
] + [
    ("a#1:1", "Good afternoon, Mr Tokayev. Trade grew in 2021.", meta("a", 1, 1, "Vladimir Putin", "2022-08-19")),
    ("a#2:1", "Thank you. Last year we signed the treaty.", meta("a", 2, 1, "Kassym-Jomart Tokayev", "2022-08-19")),
    ("c#1:1", "As Putin noted, voting is electronic. Putinism aside.", meta("c", 1, 1, "Realnoe Vremya", "", "narration")),
    ("c#2:1", "We will see.", meta("c", 2, 1, "Vladimir Putin", "", "quote", quoted_in="Realnoe Vremya")),
    ("c#3:1", "Putinesque remarks only.", meta("c", 3, 1, "Realnoe Vremya", "", "narration")),
]


def state(dim: int = 8) -> tuple:
    rng = np.random.default_rng(1)
    ids, texts, metas = (list(x) for x in zip(*PASSAGES))
    return ids, texts, metas, rng.normal(size=(len(ids), dim)).astype(np.float32)


@pytest.fixture
def loaded(tmp_path: Path) -> LoadedIndex:
    return LoadedIndex(None, embedder=None, cache_dir=tmp_path / "lexical", state=state())


def test_rows_are_passages_in_id_order_with_vectors_normalised(loaded: LoadedIndex) -> None:
    ids, _, _, vectors = state()
    order = sorted(range(len(ids)), key=ids.__getitem__)
    assert list(loaded.passage_ids) == [ids[i] for i in order]
    expected = vectors[order] / np.maximum(np.linalg.norm(vectors[order], axis=1, keepdims=True), 1e-12)
    np.testing.assert_array_equal(np.asarray(loaded.vectors), expected)
    q = np.ones(8, dtype=np.float32)
    np.testing.assert_array_equal(loaded.dense_scores(q), expected @ q)
    assert loaded.passage_texts[0] == dict(PASSAGES_BY_ID)[loaded.passage_ids[0]]
    assert loaded.passage_texts[-1] == dict(PASSAGES_BY_ID)[loaded.passage_ids[-1]]
    assert loaded.meta[3]["turn_id"] == loaded.p_turn[3]


PASSAGES_BY_ID = [(pid, text) for pid, text, _ in PASSAGES]


def test_turns_join_passages_in_number_order(loaded: LoadedIndex) -> None:
    t = loaded.turns["b#1"]
    assert t.text == " ".join(f"piece{k}." for k in range(1, 12))
    assert (t.speaker, t.doc_id, t.n, t.place) == ("Ella Pamfilova", "b", 1, "Sochi")
    assert "b#9" not in loaded.turns and loaded.turns.get("b#9") is None
    assert len(loaded.turns) == 6 and set(loaded.turns) == {"a#1", "a#2", "b#1", "c#1", "c#2", "c#3"}
    assert loaded.turn_at("a", 2).speaker == "Kassym-Jomart Tokayev"
    assert loaded.turn_at("a", 3) is None and loaded.turn_at("zz", 1) is None
    assert loaded.doc_turns["a"] == {1: "a#1", 2: "a#2"} and loaded.doc_turns.get("zz", {}) == {}
    assert loaded.lead_in(loaded.turns["c#2"]) == "As Putin noted, voting is electronic. Putinism aside."


def test_documents_people_and_speakers_come_from_the_snapshot(loaded: LoadedIndex) -> None:
    # Documents in the order their first turn appears among passages sorted by id (a, b, c).
    assert list(loaded.documents) == ["a", "b", "c"]
    assert loaded.documents["b"]["title"] == "Meeting b" and loaded.documents["b"]["turns"] == 4
    assert loaded.doc_speakers["c"] == {"Realnoe Vremya", "Vladimir Putin"}
    assert loaded.people.resolve("Mr Tokayev") == ["Kassym-Jomart Tokayev"]  # an honorific read from a turn's text
    assert loaded.people.find("Vladimir Putin").turns == 2
    assert loaded.speaker_turns("Vladimir Putin") == (2, [loaded.turns["a#1"].text, "We will see."])


def test_column_codes_filter_like_the_strings_they_code() -> None:
    rng = np.random.default_rng(0)
    dates = ["", "2021-12-31", "2022-01-01", "2022-08-19", "2023-02-03"]
    values = [dates[i] for i in rng.integers(0, len(dates), 200)]
    table, codes = encode(values)
    assert table == sorted(set(values)) and [table[c] for c in codes] == values
    cols = Columns({"date": codes, "speaker": codes, "doc": codes, "kind": codes.astype(np.int8), "turn": codes}, {
        "date": table, "speaker": table, "doc": table, "kind": table})
    p = np.array(values, dtype="U10")
    for lo, hi in [("2022-01-01", None), (None, "2022-08-19"), ("2021-06-01", "2022-12-31"), ("2030-01-01", None), (None, "2000-01-01")]:
        expect = np.ones(len(p), dtype=bool)
        if lo:
            expect &= p >= lo
        if hi:
            expect &= (p <= hi) & (p != "")
        np.testing.assert_array_equal(cols.date_range(lo, hi), expect)
    expect = np.isin(np.array([x[:4] for x in p]), ["2022"]) & np.isin(np.array([x[5:7] for x in p]), ["08", "01"])
    np.testing.assert_array_equal(cols.date_match([2022], [8, 1]), expect)
    np.testing.assert_array_equal(cols.isin("speaker", ["2022-08-19", "nobody"]), p == "2022-08-19")


def test_years_and_masks_match_the_text(loaded: LoadedIndex) -> None:
    texts = list(loaded.passage_texts)
    dates = list(loaded.p_date)
    assert loaded.p_years == [years_about(t, d) for t, d in zip(texts, dates)]
    np.testing.assert_array_equal(loaded.year_mask([2021]), [2021 in ys for ys in loaded.p_years])
    assert Years.from_sets([{2020}, set(), {2019, 2021}]).sets(3) == [frozenset({2020}), frozenset(), frozenset({2019, 2021})]
    # A reporter's paraphrase names Putin; "Putinism" and "Putinesque" are other words.
    pattern = re.compile(r"\bPutin\b")
    expect = [m["kind"] == "narration" and bool(pattern.search(t)) for t, m in zip(texts, loaded.meta)]
    np.testing.assert_array_equal(loaded.reported_mask(["Vladimir Putin"]), expect)
    assert loaded.reported_mask(["Vladimir Putin"]).sum() == 1
    np.testing.assert_array_equal(loaded.speaker_mask(["Ella Pamfilova"]), np.array(loaded.p_speaker) == "Ella Pamfilova")
    assert loaded.bm25_scores(["piec"]).shape == (len(PASSAGES),)


def test_a_reopened_snapshot_reads_no_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = LoadedIndex(None, embedder=None, cache_dir=tmp_path / "lexical", state=state())
    snap = open_snapshot(tmp_path / "lexical", first.fingerprint, len(PASSAGES))
    assert snap is not None

    def no_text(*_: object, **__: object) -> None:
        raise AssertionError("opening the index read text")

    monkeypatch.setattr(TurnStore, "passage_column", no_text)
    monkeypatch.setattr(TurnStore, "records", no_text)
    again = LoadedIndex(None, embedder=None, state=snap)
    assert again.fingerprint == first.fingerprint and len(again.passage_ids) == len(PASSAGES)
    assert again.turns["a#1"].speaker == "Vladimir Putin"  # turns are fetched by id


def build_store(tmp_path: Path) -> tuple[PassageStore, Path]:
    ids, texts, metas, vectors = state()
    store = PassageStore(tmp_path / "store", collection="snap")
    store.upsert(ids, vectors, texts, metas)
    return store, tmp_path / "store" / "lexical"


def damage_truncate(path: Path) -> None:
    with open(path / "vectors.npy", "r+b") as fh:
        fh.truncate(100)


def damage_sqlite_missing(path: Path) -> None:
    (path / "turns.sqlite3").unlink()


def damage_tables(path: Path) -> None:
    (path / "tables.json").write_text("{not json")


def damage_array(path: Path) -> None:
    np.save(path / "speaker.npy", np.zeros(3, dtype=np.int64))


def damage_folder_gone(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


@pytest.mark.parametrize("damage", [
    pytest.param(damage_truncate, id="truncated-vectors"),
    pytest.param(damage_sqlite_missing, id="turn-store-missing"),
    pytest.param(damage_tables, id="tables-not-json"),
    pytest.param(damage_array, id="column-of-wrong-shape"),
    pytest.param(damage_folder_gone, id="snapshot-deleted"),
])
def test_a_damaged_or_missing_snapshot_is_rebuilt_from_the_store(tmp_path: Path, damage) -> None:
    store, cache = build_store(tmp_path)
    with store:
        first = LoadedIndex(store, embedder=None, cache_dir=cache)
        path = snapshot_path(cache, first.fingerprint)
        assert path.is_dir() and json.loads((cache / "manifest.json").read_text())["fingerprint"] == first.fingerprint
        vectors = np.array(first.vectors)
        first.snapshot.close()
        damage(path)
        assert open_snapshot(cache, first.fingerprint, len(PASSAGES)) is None
        again = LoadedIndex(store, embedder=None, cache_dir=cache)
    assert again.fingerprint == first.fingerprint
    assert again.turns["b#1"].text.startswith("piece1. piece2.")
    np.testing.assert_array_equal(np.asarray(again.vectors), vectors)
    assert open_snapshot(cache, first.fingerprint, len(PASSAGES)) is not None


def test_missing_years_are_computed_again(loaded: LoadedIndex) -> None:
    years = loaded.p_years
    for f in loaded.snapshot.path.glob("years-*"):
        f.unlink()
    again = LoadedIndex(None, embedder=None, state=open_snapshot(loaded.snapshot.path.parent, loaded.fingerprint))
    assert again.p_years == years
    assert list(loaded.snapshot.path.glob("years-*"))  # and written back


def test_a_read_only_cache_folder_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "lexical"
    cache.mkdir()
    real = Path.write_bytes

    def read_only(self: Path, data: bytes) -> int:  # tests run as root, whom permissions don't stop
        if cache in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", read_only)
    got = LoadedIndex(None, embedder=None, cache_dir=cache, state=state())
    assert got.turns["a#2"].text.startswith("Thank you")
    assert not list(cache.iterdir()) and cache not in got.snapshot.path.parents


def test_a_turn_store_damaged_in_place_fails_in_one_line_then_is_rebuilt(tmp_path: Path) -> None:
    s = settings_for(tmp_path / "store")
    build_index(s, [SEEDS])
    a = Assistant(s)
    assert not a.ask("How many parties nominated candidates?").abstained
    path = a.loaded.snapshot.path
    a.loaded.snapshot.turns._turns._items.clear()  # nothing answered from memory
    db = path / "turns.sqlite3"
    size = db.stat().st_size
    with open(db, "r+b") as fh:  # same size, garbage inside: only a read finds it
        fh.seek(4096)
        fh.write(b"\xff" * (size - 4096))
    with pytest.raises(StoreDamagedError, match="rebuilt") as err:
        a.ask("What did Tokayev say about trade?")
    assert "\n" not in str(err.value) and not path.exists()
    assert not a.ask("What did Tokayev say about trade?").abstained
    assert path.is_dir()
