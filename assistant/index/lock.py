"""One process at a time inside an embedded store: a lock file in the store folder, naming who holds it.

Chroma's embedded mode is single-process: two index runs writing at once corrupt the HNSW
segment, and a process that opens the store while another writes can read half a write.
An index run holds the lock for its whole run; a reader holds it only while it reads the
store into memory. A second index run fails at once, naming the pid that holds the store;
a reader (or an index run that finds a reader there) waits.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from assistant.errors import StoreBusyError

LOCK_FILE = ".assistant.lock"
HOLDER_FILE = ".assistant.lock.json"
# How long an index run waits for a reader, which only holds the lock while it loads the store.
READER_WAIT_S = 120.0
# How long a reader waits for an index run before giving up with a one-line error.
WRITER_WAIT_S = 3600.0


def holder(store: Path) -> dict[str, Any]:
    """Who holds (or last held) the store: ``{"pid", "role", "since"}``, or {} when unknown."""
    try:
        got = json.loads((Path(store) / HOLDER_FILE).read_text())
        return got if isinstance(got, dict) else {}
    except (OSError, ValueError):
        return {}


def describe(info: dict[str, Any]) -> str:
    """'an index run (pid 123, since 10:04:05)' for a holder record."""
    what = "an index run" if info.get("role") == "index" else "a process reading it" if info.get("role") == "read" else "another process"
    since = time.strftime("%H:%M:%S", time.localtime(info["since"])) if isinstance(info.get("since"), (int, float)) else "?"
    return f"{what} (pid {info.get('pid', '?')}, since {since})"


@contextmanager
def store_lock(store: Path, role: str, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's lock as ``role`` ("index" or "read").

    An index run that finds another index run there raises :class:`StoreBusyError` at once; it
    waits for a reader. A reader waits for anyone, calling ``on_wait`` once with who it waits for.
    """
    store = Path(store)
    store.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(store / LOCK_FILE), thread_local=False)
    deadline: float | None = None
    told = False
    while True:
        try:
            lock.acquire(timeout=0.2 if deadline is not None else 0)
            break
        except Timeout:
            info = holder(store)
            if role == "index" and info.get("role") != "read":
                raise StoreBusyError(
                    f"{store} is being written by {describe(info)}: wait for it to finish, then run this again"
                ) from None
            if deadline is None:
                deadline = time.monotonic() + (READER_WAIT_S if role == "index" else WRITER_WAIT_S)
            if not told and on_wait is not None:
                on_wait(f"waiting for {describe(info)} to finish with {store}")
                told = True
            if time.monotonic() > deadline:
                raise StoreBusyError(f"{store} has been held by {describe(info)} too long: try again later") from None
    try:
        tmp = store / (HOLDER_FILE + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "role": role, "since": time.time()}))
        tmp.replace(store / HOLDER_FILE)
        yield
    finally:
        (store / HOLDER_FILE).unlink(missing_ok=True)
        lock.release()
