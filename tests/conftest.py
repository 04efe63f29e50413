"""Shared fixtures: a hermetic environment, one seed index per session, and an assistant over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.api import Assistant

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


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
