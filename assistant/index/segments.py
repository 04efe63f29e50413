"""A look at Chroma's vector segment files before Chroma reads them.

An embedded store keeps each collection's HNSW graph in a folder named by the segment's UUID:
``header.bin`` (the graph's parameters), ``data_level0.bin`` (one fixed-size record per element:
its level-0 neighbours, vector and label), ``length.bin`` (each vector's norm, float32),
``link_lists.bin`` (each element's upper-level neighbours, a uint32 byte count then the lists) and
``index_metadata.pickle`` (labels to ids). Chroma's native HNSW code trusts these files: a truncated
header or out-of-range neighbour ids crash the process (SIGSEGV) instead of raising, and a
truncated data file fails only at the question that reaches a lost vector. So every read of a
store that the last index run's manifest does not vouch for, and every index run, checks the
files here first, with numpy over memory maps (a fraction of a second for 100k passages), and a
damaged segment is one :class:`StoreDamagedError` line with the rebuild command.

The pickle is never unpickled: :mod:`pickletools` only walks its opcodes.
"""

from __future__ import annotations

import pickletools
import struct
from pathlib import Path

import numpy as np

from assistant.errors import StoreDamagedError

HEADER = "header.bin"
# int32 format version, then hnswlib's saveIndex header: offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData (size_t each), maxlevel (int), enterpoint_node (uint),
# maxM, maxM0, M (size_t), mult (double), ef_construction (size_t).
_HEADER = struct.Struct("<i6QiI3QdQ")
_VERSION = 1
_MAX_LEVEL = 64  # mult = 1/ln(M) puts any real graph far below this
_MAX_NORM = 1e6  # embeddings are unit length (or close): a norm beyond this is garbage


_FILES = (HEADER, "data_level0.bin", "length.bin", "link_lists.bin")


def segment_folders(store: Path) -> list[Path]:
    """The vector segment folders of an embedded store (named by UUID, holding HNSW files)."""
    try:
        return sorted(
            d for d in Path(store).iterdir()
            if len(d.name) == 36 and d.is_dir() and any((d / name).exists() for name in _FILES)
        )
    except OSError:
        return []


def check_segments(store: Path) -> None:
    """Raise StoreDamagedError naming the first problem found in any vector segment of ``store``."""
    from assistant.index.store import REBUILD_COMMAND

    for folder in segment_folders(store):
        problem = segment_problem(folder)
        if problem:
            raise StoreDamagedError(
                f"the store in {store} is damaged (vector segment {folder.name}: {problem}): "
                f"rebuild it with `{REBUILD_COMMAND}`"
            )


def segment_problem(folder: Path) -> str | None:
    """What is wrong with one segment folder's files, in a few words; None when they hold together."""
    try:
        return _problem(folder)
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc.__class__.__name__})"


def _problem(folder: Path) -> str | None:
    if not (folder / HEADER).exists():
        return f"{HEADER} is missing"
    raw = (folder / HEADER).read_bytes()
    if len(raw) != _HEADER.size:
        return f"{HEADER} is {len(raw)} bytes, expected {_HEADER.size}"
    (version, offset0, max_elements, count, size_el, label_off, data_off, maxlevel, enter, max_m, max_m0, m, mult,
     _) = _HEADER.unpack(raw)
    links0 = 4 + 4 * max_m0  # level-0 list: uint32 count, then maxM0 ids
    dim4 = label_off - data_off
    if not (
        offset0 == 0 and 0 <= count <= max_elements and 0 < m <= max_m <= max_m0 < 1 << 16 and data_off == links0
        and dim4 > 0 and dim4 % 4 == 0 and size_el == label_off + 8 and 0 < mult < 10
        and ((count == 0 and maxlevel == -1) or (0 <= maxlevel < _MAX_LEVEL and enter < count))
    ):
        return f"{HEADER} holds impossible values" + (f" (format version {version})" if version != _VERSION else "")
    sizes = {name: _size(folder / name) for name in ("data_level0.bin", "length.bin", "link_lists.bin")}
    for name, expected in (("data_level0.bin", count * size_el), ("length.bin", count * 4)):
        if sizes[name] is None:
            return f"{name} is missing"
        if sizes[name] < expected:
            return f"{name} is {sizes[name]} bytes, expected at least {expected}"
    if count == 0:
        return None
    if sizes["link_lists.bin"] is None:
        return "link_lists.bin is missing"
    pickle_problem = _pickle_problem(folder / "index_metadata.pickle")
    if pickle_problem:
        return pickle_problem

    # Level 0: each record's neighbour count within maxM0, its neighbours existing elements, labels distinct.
    records = np.memmap(folder / "data_level0.bin", dtype="<u4", mode="r", shape=(count, size_el // 4))
    counts = records[:, 0] & 0xFFFF
    if int(counts.max()) > max_m0:
        return "data_level0.bin: a neighbour list longer than the graph allows"
    width = int(counts.max())
    if width:
        ids = np.asarray(records[:, 1 : 1 + width])
        used = np.arange(width)[None, :] < counts[:, None]
        if int(ids[used].max(initial=0)) >= count:
            return "data_level0.bin: a neighbour that does not exist"
    labels = np.ascontiguousarray(records[:, label_off // 4 : label_off // 4 + 2]).view("<u8").ravel()
    if len(np.unique(labels)) != count:
        return "data_level0.bin: two elements with one label"
    vectors = records[:, data_off // 4 : label_off // 4].view("<f4")
    if not np.isfinite(vectors).all():
        return "data_level0.bin: vectors that are not numbers"
    del records, vectors

    norms = np.fromfile(folder / "length.bin", dtype="<f4", count=count)
    if not (np.isfinite(norms).all() and (norms >= 0).all() and (norms < _MAX_NORM).all()) or (
        count > 1 and not norms.any()
    ):
        return "length.bin: vector lengths that are not lengths"

    # Upper levels: for each element a uint32 byte count, then that many bytes of maxM-wide lists.
    per_level = 4 + 4 * max_m
    data = (folder / "link_lists.bin").read_bytes()
    pos, starts, ends = 0, [], []
    size_of = struct.Struct("<I").unpack_from
    for _ in range(count):
        if pos + 4 > len(data):
            return "link_lists.bin is shorter than its lists"
        (n,) = size_of(data, pos)
        pos += 4
        if n % per_level or n // per_level > maxlevel or pos + n > len(data):
            return "link_lists.bin holds impossible list sizes"
        if n:
            starts.append(pos)
            ends.append(pos + n)
        pos += n
    if pos != len(data):
        return "link_lists.bin is longer than its lists"
    if starts:
        words = np.frombuffer(data, dtype="<u1")
        lists = np.concatenate([words[a:b] for a, b in zip(starts, ends)]).view("<u4").reshape(-1, max_m + 1)
        sizes_ = lists[:, 0] & 0xFFFF
        if int(sizes_.max()) > max_m:
            return "link_lists.bin: a neighbour list longer than the graph allows"
        used = np.arange(max_m)[None, :] < sizes_[:, None]
        if int(lists[:, 1:][used].max(initial=0)) >= count:
            return "link_lists.bin: a neighbour that does not exist"
    return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _pickle_problem(path: Path) -> str | None:
    """Whether the labels file is a whole pickle (its opcodes walked, nothing built or run)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"{path.name} is missing"
    try:
        whole = any(opcode.name == "STOP" for opcode, _, _ in pickletools.genops(data))
    except Exception:  # noqa: BLE001 - any parse failure means a damaged file
        whole = False
    return None if whole else f"{path.name} is not a whole pickle"
