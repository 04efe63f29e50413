"""Shared fixtures: a hermetic environment, one seed index per session, and an assistant over it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
MIRROR = SHARED / "corpora" / "kremlin_en_2010_2020_mirror"
MIRROR_NEWS = MIRROR / "var/extract/en.kremlin.ru/events/president/news"
NEWS = "000_6ddbb2649f756b29.txt"  # seed: Realnoe Vremya report, narration and quotes
KREMLIN = "004_33c056b68e5d4ba7.txt"  # seed: two kremlin.ru meetings


def settings_for(store: Path, **embedding: object) -> Settings:
    """Default settings with the store in ``store`` and optional embedding overrides.

    Index tests measure what is parsed, embedded, cached and stored, not retrieval quality, so the
    embedder is the deterministic, model-free ``hashing`` one unless a test asks for another mode.
    """
    embedding.setdefault("mode", "hashing")
    s = Settings.load()
    s.paths.store = store
    for k, v in embedding.items():
        setattr(s.embedding, k, v)
    return s


def write_docs(folder: Path, docs: list[dict]) -> Path:
    """Made-up documents written as one JSON-lines corpus file in ``folder`` (created); returns the folder."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "docs.jsonl").write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def docs_dir(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A folder whose ``corpus/`` holds the test module's made-up ``DOCS`` (a store may go beside it)."""
    tmp = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    write_docs(tmp / "corpus", request.module.DOCS)
    return tmp


@pytest.fixture(scope="module")
def docs_assistant(docs_dir: Path) -> Assistant:
    """An assistant over the test module's made-up ``DOCS``, indexed with the default settings (``settings_for``)."""
    s = settings_for(docs_dir / "store")
    a = Assistant.open(corpus=[docs_dir / "corpus"], store=s.paths.store, settings=s)
    a.index()
    return a


def rules_assistant(tmp: Path, corpus: Path, **retrieval: object) -> Assistant:
    """An assistant over a made-up corpus with the hand-set rules alone (no reader), words-only retrieval and
    the given retrieval settings: what a rule changes is then visible in one question."""
    s = settings_for(tmp / "store")
    s.answer.reader = False
    s.retrieval.mode = "lexical"
    for k, v in retrieval.items():
        setattr(s.retrieval, k, v)
    a = Assistant.open(corpus=[corpus], store=s.paths.store, settings=s)
    a.index()
    return a


def copy_seeds(dest: Path) -> Path:
    """The seed files copied into ``dest`` (a corpus the test may change)."""
    dest.mkdir(parents=True, exist_ok=True)
    for f in SEEDS.iterdir():
        shutil.copy(f, dest / f.name)
    return dest


def by_source(hashes: dict[str, tuple[str, str]], name: str) -> dict[str, str]:
    """Passage id → hash for the stored passages of the file called ``name``."""
    return {pid: h for pid, (h, source) in hashes.items() if Path(source).name == name}


def make_unreadable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` behave, in this process, like a folder its owner chmod'ed to 000.

    Tests run as root, whom permissions don't stop, so listing the folder, and looking at or opening
    anything inside it, raise PermissionError (EACCES) as they would for any other user.
    """
    import builtins
    import errno
    import io

    folder = Path(folder).resolve()

    def inside(path: object, itself: bool) -> bool:
        try:
            p = Path(os.fsdecode(path)).absolute()
        except TypeError:  # a file descriptor
            return False
        return p == folder if itself else folder in p.parents

    def denied(path: object) -> PermissionError:
        return PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fsdecode(path))

    real_scandir, real_stat, real_open = os.scandir, os.stat, io.open

    def scandir(path: object = ".") -> object:
        if inside(path, True) or inside(path, False):
            raise denied(path)
        return real_scandir(path)

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if inside(path, False):
            raise denied(path)
        return real_stat(path, *args, **kwargs)

    def open_(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, (str, bytes, os.PathLike)) and inside(file, False):
            raise denied(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(io, "open", open_)
    monkeypatch.setattr(builtins, "open", open_)


@pytest.fixture(scope="session", autouse=True)
def assistant_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point the model cache at one folder for the session and keep the user's store settings out.

    An ``ASSISTANT_CACHE`` already set is kept, so CI (or a developer) builds the distilled
    embedding table once and reuses it across runs. ``ASSISTANT_RAISE`` makes the CLI let user
    errors raise, so tests see the real traceback.
    """
    cache = os.environ.get("ASSISTANT_CACHE") or str(tmp_path_factory.getbasetemp().parent / "assistant-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSISTANT_CACHE", cache)
        mp.setenv("ASSISTANT_RAISE", "1")
        # Settings from the developer's shell (a store elsewhere, a Chroma server, ASSISTANT_GROUP__FIELD
        # overrides) must not change what the tests see.
        for key in list(os.environ):
            if key in ("ASSISTANT_STORE", "ASSISTANT_CHROMA_URL") or (key.startswith("ASSISTANT_") and "__" in key):
                mp.delenv(key)
        yield Path(cache)


@pytest.fixture(scope="session")
def seed_store(assistant_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the index of ``seeds/``, built once per session; treat it as read-only."""
    from assistant.index.build import build_index
    from assistant.settings import Settings

    store = tmp_path_factory.mktemp("seed-store")
    settings = Settings.load()
    settings.paths.store = store
    build_index(settings, [SEEDS])
    return store


@pytest.fixture
def assistant(seed_store: Path) -> Assistant:
    """An :class:`Assistant` over the seed index (default settings, extractive answers)."""
    return Assistant.open(corpus=SEEDS, store=seed_store)


def stop_by_pid(proc: subprocess.Popen) -> None:
    """Stop a server a test started: SIGTERM to its pid, SIGKILL when it has not exited in 20 s."""
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A real `chroma run` on a free loopback port, stopped by its pid."""
    port = free_port()
    proc = subprocess.Popen(
        [str(ROOT / ".venv/bin/chroma"), "run", "--path", str(tmp_path / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.skip("chroma run did not start")
    yield f"http://127.0.0.1:{port}"
    stop_by_pid(proc)
