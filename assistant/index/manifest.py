"""The manifest a completed index run leaves beside the store, so readers know when to trust their cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def passages_fingerprint(pairs: Any) -> str:
    """A key for a set of stored passages: their ids and content hashes, in id order."""
    return hashlib.sha1("".join(f"{i}{h}" for i, h in sorted(pairs)).encode()).hexdigest()[:16]


MANIFEST = "manifest.json"


def store_files(store: Path) -> dict[str, int]:
    """The size of every file Chroma keeps in an embedded store (relative path → bytes).

    Chroma rewrites its files' times on every open, but not their sizes: a store truncated or
    replaced since the manifest was written shows up here.
    """
    out: dict[str, int] = {}
    for f in Path(store).rglob("*"):
        rel = f.relative_to(store)
        if rel.parts[0] == "lexical" or rel.name.startswith(".assistant.lock"):
            continue
        try:
            if f.is_file():
                out[rel.as_posix()] = f.stat().st_size
        except OSError:
            continue
    return out


def write_manifest(
    cache_dir: Path, fingerprint: str, count: int, hashes: Any = None, stamp: Any = None, files: dict[str, int] | None = None,
) -> None:
    """Record what a completed index run left in the store (and the store's file sizes), so a reader can trust its cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    old: dict[str, Any] = {}
    if (cache_dir / MANIFEST).exists():
        try:
            old = json.loads((cache_dir / MANIFEST).read_text())
        except ValueError:
            old = {}
    data = {"fingerprint": fingerprint, "count": count,
            "hashes": hashes if hashes is not None else (old.get("hashes") if old.get("fingerprint") == fingerprint else None),
            "stamp": stamp if stamp is not None else old.get("stamp"),
            "files": files if files is not None else old.get("files")}
    tmp = cache_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.replace(cache_dir / MANIFEST)


def mark_dirty(cache_dir: Path) -> None:
    """Say the store is being written: until the run completes, nobody trusts the cache."""
    manifest = read_manifest(cache_dir)
    if manifest is not None:
        manifest["stamp"] = False
        manifest["hashes"] = None
        tmp = cache_dir / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest))
        tmp.replace(cache_dir / MANIFEST)


def manifest_path(cache_dir: Path) -> Path:
    """Where the manifest of a store's lexical cache lives."""
    return cache_dir / MANIFEST


def read_manifest(cache_dir: Path | None) -> dict[str, Any] | None:
    """The manifest the last index run wrote, or None."""
    if cache_dir is None:
        return None
    try:
        return json.loads((cache_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
