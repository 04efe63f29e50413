"""The store under concurrent and hostile use (issue 12): one writer at a time, readers that reopen after a
write, paged reads of a big store, damaged stores that say so, and caches that cannot run code."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import NoIndexError, StoreBusyError, StoreDamagedError, StoreUnreachableError
from assistant.index.build import build_index, open_store
from assistant.index.loaded import LoadedIndex
from assistant.index.snapshot import open_snapshot
from assistant.index.store import PassageStore
from conftest import ROOT, SEEDS, free_port, settings_for

EXTRA = (
    "Title: Bridge repairs briefing\nDate: 2023-01-05\nPlace: Kazan\n"
    "Ivan Petrov: The repairs of the river bridge cost 12 million roubles in total.\n"
    "Anna Smirnova: When will the bridge open again?\n"
    "Ivan Petrov: The bridge opens again in April, after the ice goes.\n"
)
QUESTION = "How much did the repairs of the river bridge cost?"

HOLDER = """
import sys
from pathlib import Path
from assistant.index.lock import store_lock
with store_lock(Path(sys.argv[1]), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.readline()
"""


def small_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "004_33c056b68e5d4ba7.txt", corpus)
    return corpus


def hold_lock(store: Path, role: str) -> subprocess.Popen:
    """A child process that holds the store's lock until its stdin is closed."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store), role], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert child.stdout.readline().strip() == "held"
    return child


def release(child: subprocess.Popen) -> None:
    child.stdin.close()
    child.wait(timeout=30)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "ASSISTANT_RAISE"}
    environ.update(env or {})
    return subprocess.run([str(ROOT / ".venv/bin/assistant"), *args], capture_output=True, text=True, env=environ, cwd=ROOT, timeout=300)


def test_two_concurrent_writers_are_serialised(tmp_path: Path) -> None:
    """A second index run fails at once with one line naming the pid of the run that holds the store."""
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    writer = hold_lock(store, "index")
    try:
        with pytest.raises(StoreBusyError, match=rf"pid {writer.pid}\b"):
            build_index(settings_for(store), [corpus])
        run = cli("index", str(corpus), "--store", str(store), env={"ASSISTANT_EMBEDDING__MODE": "hashing"})
        assert run.returncode == 2
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith("error: ") and f"pid {writer.pid}" in line
    finally:
        release(writer)
    assert build_index(settings_for(store), [corpus]).embedded > 0  # free again once the first run ends


def test_two_index_processes_started_together_leave_a_consistent_store(tmp_path: Path) -> None:
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    env = {"ASSISTANT_EMBEDDING__MODE": "hashing"}
    environ = {**{k: v for k, v in os.environ.items() if k != "ASSISTANT_RAISE"}, **env}
    runs = [subprocess.Popen([str(ROOT / ".venv/bin/assistant"), "index", str(corpus), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ, cwd=ROOT) for _ in range(2)]
    codes = sorted(r.wait(timeout=300) for r in runs)
    assert codes in ([0, 0], [0, 2])  # the second either found the store free afterwards or was told it was busy
    s = settings_for(store)
    with open_store(s) as st:
        assert st.count() == build_index(s, [corpus]).passages
    assert build_index(s, [corpus]).embedded == 0


def test_reader_waits_for_a_writer_then_loads(tmp_path: Path) -> None:
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    s = settings_for(store)
    build_index(s, [corpus])
    (store / "lexical" / "manifest.json").unlink()  # no cache: the reader must open Chroma
    writer = hold_lock(store, "index")
    heard: list[str] = []
    a = Assistant(s)
    a.on_wait = heard.append
    done = threading.Event()
    t = threading.Thread(target=lambda: (a.loaded, done.set()), daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 30
        while not heard and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard and f"pid {writer.pid}" in heard[0]
        assert not done.is_set()  # it does not read a store being written
    finally:
        release(writer)
    t.join(60)
    assert done.is_set() and a.loaded.passage_ids


REINDEX = """
import sys
from pathlib import Path
from assistant.index.build import build_index
from assistant.settings import Settings
s = Settings.load()
s.paths.store = Path(sys.argv[1])
s.embedding.mode = "hashing"  # as settings_for() in the parent
if len(sys.argv) > 3:
    s.store.chroma_url = sys.argv[3]
build_index(s, [sys.argv[2]])
"""


def reindex_in_another_process(store: Path, corpus: Path, url: str | None = None) -> None:
    args = [sys.executable, "-c", REINDEX, str(store), str(corpus), *([url] if url else [])]
    run = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert run.returncode == 0, run.stderr


def test_reader_process_reopens_cleanly_after_a_write(tmp_path: Path) -> None:
    """An open assistant (as in `serve`) keeps answering, and answers from the new index, after each re-index
    run by another process (the embedded Chroma client is opened afresh, never reused stale)."""
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    s = settings_for(store)
    build_index(s, [corpus])
    a = Assistant(s)
    before = a.ask("How many parties nominated candidates?")
    assert before.retrieved
    for k in range(3):
        (corpus / "extra.txt").write_text(EXTRA + "".join(f"Ivan Petrov: Round {i} of talks on roads.\n" for i in range(k + 1)))
        reindex_in_another_process(store, corpus)
        assert any("extra" in t for t in a.loaded.turns)  # the new run's turns are there
        assert len([t for t in a.loaded.turns if t.startswith("extra")]) == 4 + k
        a.ask(QUESTION)  # and asking works: no stale-client "Error finding id"


def test_reader_against_a_chroma_server_sees_a_reindex(tmp_path: Path, chroma_server: str) -> None:
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    s = settings_for(store)
    s.store.chroma_url = chroma_server
    build_index(s, [corpus])
    a = Assistant(s)
    assert not any(t.startswith("extra") for t in a.loaded.turns)
    (corpus / "extra.txt").write_text(EXTRA)
    # Another machine's run: a different local folder, the same server.
    reindex_in_another_process(tmp_path / "elsewhere", corpus, chroma_server)
    deadline = time.monotonic() + 30
    while not any(t.startswith("extra") for t in a.loaded.turns) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert any(t.startswith("extra") for t in a.loaded.turns)
    assert a.ask(QUESTION).retrieved


def test_chroma_server_down_says_unreachable_with_its_url(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    s = settings_for(tmp_path / "store")
    s.store.chroma_url = url
    with pytest.raises(StoreUnreachableError, match=url) as err:
        Assistant(s).ask("How many parties nominated candidates?")
    assert "no index" not in str(err.value) and "\n" not in str(err.value)
    run = cli("ask", "How many parties?", "--store", str(tmp_path / "store"), env={"ASSISTANT_CHROMA_URL": url})
    assert run.returncode == 2 and "unreachable" in run.stderr and url in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_100k_passage_store_reads_in_pages(tmp_path: Path) -> None:
    """Far past SQLite's ~32k bound variables: every read is paged."""
    n = 100_000
    rng = np.random.default_rng(0)
    ids = [f"doc{i // 50}#{i % 50 + 1}:1" for i in range(n)]
    metas = [
        {"turn_id": pid[:-2], "doc_id": f"doc{i // 50}", "turn": i % 50 + 1, "passage": 1, "speaker": f"Speaker {i % 7}",
         "title": f"Meeting {i // 50}", "date": "2022-08-19", "kind": "speech", "hash": f"h{i}", "source": "/x.txt"}
        for i, pid in enumerate(ids)
    ]
    texts = [f"word{i % 997} talk{i % 13}" for i in range(n)]
    with PassageStore(tmp_path / "store", collection="big") as store:
        store.upsert(ids, rng.random((n, 4), dtype=np.float32), texts, metas)
        assert store.count() == n
        assert len(store.hashes()) == n
        loaded = LoadedIndex(store, embedder=None, cache_dir=tmp_path / "store" / "lexical")
    assert len(loaded.passage_ids) == n and loaded.vectors.shape == (n, 4)
    assert loaded.bm25_scores(["word5"]).shape == (n,)
    # ... and read back from its snapshot, which holds data only.
    again = LoadedIndex(None, embedder=None, state=open_snapshot(tmp_path / "store" / "lexical", loaded.fingerprint, n))
    assert list(again.passage_ids) == list(loaded.passage_ids)
    assert again.turns["doc1999#50"].text == texts[-1]


def test_truncated_store_says_damaged_and_rebuild_repairs_it(tmp_path: Path) -> None:
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    s = settings_for(store)
    build_index(s, [corpus])
    Assistant(s).ask("How many parties nominated candidates?")  # leaves the loaded cache
    db = store / "chroma.sqlite3"
    with open(db, "r+b") as fh:
        fh.truncate(db.stat().st_size // 2)
    # The cache no longer matches the store: ask must not answer from it.
    with pytest.raises(StoreDamagedError, match="--rebuild"):
        Assistant(s).ask("How many parties nominated candidates?")
    with pytest.raises(StoreDamagedError, match="--rebuild"):
        build_index(s, [corpus])
    run = cli("index", str(corpus), "--store", str(store), env={"ASSISTANT_EMBEDDING__MODE": "hashing"})
    assert run.returncode == 2 and "damaged" in run.stderr and "Traceback" not in run.stderr
    rebuilt = build_index(s, [corpus], rebuild=True)
    assert rebuilt.embedded == rebuilt.passages > 0
    assert Assistant(s).ask("How many parties nominated candidates?").retrieved


def test_missing_store_is_not_created_by_ask(tmp_path: Path) -> None:
    with pytest.raises(NoIndexError):
        Assistant(settings_for(tmp_path / "nowhere")).ask("How many parties?")
    assert not (tmp_path / "nowhere").exists()


PAYLOAD = """
import os
class Boom:
    def __reduce__(self):
        return (os.system, ("touch {marker}",))
"""


def test_pickle_caches_in_a_store_are_never_loaded(tmp_path: Path) -> None:
    """A crafted pickle dropped into a store's cache folder runs nothing during index or ask."""
    corpus, store = small_corpus(tmp_path), tmp_path / "store"
    s = settings_for(store)
    build_index(s, [corpus])
    marker = tmp_path / "pwned"

    class Boom:
        def __reduce__(self):  # what a crafted cache would carry
            return (os.system, (f"touch {marker}",))

    lexical = store / "lexical"
    fingerprint = json.loads((lexical / "manifest.json").read_text())["fingerprint"]
    for name in ["files.pkl", f"loaded-{fingerprint}.pkl", f"bm25-{fingerprint}-t5.pkl", f"years-{fingerprint}-d1.pkl"]:
        (lexical / name).write_bytes(pickle.dumps(Boom()))
    (lexical / "files.json").write_text('{"version": "x", "files": {"a": {"__class__": "os.system"}}}')
    build_index(s, [corpus])
    a = Assistant(s)
    a.ask("How many parties nominated candidates?")
    a.loaded.p_years
    assert not marker.exists()
    assert not list(lexical.glob("*.pkl")) or all(p.name != "files.pkl" for p in lexical.glob("*.pkl"))


# Chroma writes a collection's HNSW graph to files only past its sync threshold (1,000 records):
# a store this big has a segment folder with header.bin, data_level0.bin, length.bin, link_lists.bin
# and index_metadata.pickle.
HNSW_TURNS = 1200


@pytest.fixture(scope="module")
def hnsw_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(corpus, store) of 1,201 small passages with the HNSW segment on disk; copy it before damaging it."""
    root = tmp_path_factory.mktemp("hnsw")
    corpus = root / "corpus"
    corpus.mkdir()
    turns = [{"speaker": "Ivan Petrov" if i % 2 else "Anna Smirnova", "text": f"Item {i} of the agenda was discussed."}
             for i in range(HNSW_TURNS)]
    turns.append({"speaker": "Ivan Petrov", "text": "The repairs of the river bridge cost 12 million roubles in total."})
    (corpus / "briefing.json").write_text(json.dumps({"title": "Bridge repairs briefing", "date": "2023-01-05", "turns": turns}))
    store = root / "store"
    build_index(settings_for(store), [corpus])
    return corpus, store


def damaged_copy(hnsw_store: tuple[Path, Path], tmp_path: Path, name: str, damage: str) -> tuple[Path, Path]:
    from assistant.index.segments import segment_folders

    corpus, store = hnsw_store
    copy = tmp_path / "store"
    shutil.copytree(store, copy)
    (segment,) = segment_folders(copy)
    f = segment / name
    assert f.stat().st_size > 0
    if damage == "truncate":
        with open(f, "r+b") as fh:
            fh.truncate(f.stat().st_size // 2)
    elif damage == "zero":
        f.write_bytes(bytes(f.stat().st_size))
    else:
        f.unlink()
    return corpus, copy


def test_truncated_hnsw_segment_says_damaged_and_rebuild_repairs_it(hnsw_store: tuple[Path, Path], tmp_path: Path) -> None:
    """Item 7: a truncated data_level0.bin made `index` report "unchanged" and the next `ask` fail with a traceback."""
    corpus, store = damaged_copy(hnsw_store, tmp_path, "data_level0.bin", "truncate")
    # As commands: without the check, Chroma's native code may crash the process reading these files.
    for args in (["index", str(corpus)], ["ask", QUESTION]):
        run = cli(*args, "--store", str(store), env={"ASSISTANT_EMBEDDING__MODE": "hashing"})
        assert run.returncode == 2, (args, run.returncode, run.stderr[-500:])
        (line,) = run.stderr.strip().splitlines()
        assert re.fullmatch(
            rf"error: the store in {re.escape(str(store))} is damaged \(vector segment [0-9a-f-]{{36}}: data_level0\.bin is \d+ bytes, "
            r"expected at least \d+\): rebuild it with `assistant index --rebuild`", line,
        ), line
    s = settings_for(store)
    rebuilt = build_index(s, [corpus], rebuild=True)
    assert rebuilt.embedded == rebuilt.passages == HNSW_TURNS + 1
    assert "12 million roubles" in Assistant(s).ask(QUESTION).answer


@pytest.mark.parametrize(("name", "damage"), [
    ("header.bin", "truncate"),  # Chroma's native code crashed the process (SIGSEGV) on these
    ("link_lists.bin", "zero"),
    ("index_metadata.pickle", "delete"),  # Chroma made the segment an empty one, and every question failed
])
def test_damaged_hnsw_files_are_one_line_from_ask_and_index_never_a_crash(
    hnsw_store: tuple[Path, Path], tmp_path: Path, name: str, damage: str,
) -> None:
    """Run as commands, so that a regression shows as a crashed child (rc -11), not a crashed test run.

    Questions read the snapshot the last completed run left, not Chroma, while the store's files are
    as that run left them (same sizes): damage that keeps a file's size is found by the next index
    run, and meanwhile questions are answered from the snapshot, which is whole.
    """
    corpus, store = damaged_copy(hnsw_store, tmp_path, name, damage)
    env = {"ASSISTANT_EMBEDDING__MODE": "hashing"}
    for args in (["ask", QUESTION], ["index", str(corpus)]):
        run = cli(*args, "--store", str(store), env=env)
        if args[0] == "ask" and damage == "zero":
            assert run.returncode == 0 and "12 million roubles" in run.stdout, (run.returncode, run.stderr[-500:])
            continue
        assert run.returncode == 2, (args, run.returncode, run.stderr[-500:])
        (line,) = run.stderr.strip().splitlines()
        assert f"the store in {store} is damaged" in line and name in line and "`assistant index --rebuild`" in line


def test_hnsw_check_passes_a_store_through_changes_and_deletions(hnsw_store: tuple[Path, Path], tmp_path: Path) -> None:
    """No false alarms: a store re-indexed after edits and deletions keeps files the check accepts."""
    from assistant.index.segments import segment_folders, segment_problem

    copy_corpus, copy = tmp_path / "corpus", tmp_path / "store"
    shutil.copytree(hnsw_store[0], copy_corpus)
    s = settings_for(copy)
    build_index(s, [copy_corpus])
    data = json.loads((copy_corpus / "briefing.json").read_text())
    data["turns"] = [t if i % 3 else {**t, "text": t["text"] + " It was agreed."} for i, t in enumerate(data["turns"][200:])]
    (copy_corpus / "briefing.json").write_text(json.dumps(data))
    summary = build_index(s, [copy_corpus])
    assert summary.embedded > 0 and summary.deleted > 0
    assert [segment_problem(f) for f in segment_folders(copy)] == [None]
    assert "12 million roubles" in Assistant(s).ask(QUESTION).answer
