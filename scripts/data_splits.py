"""Which QMSum meetings train the learned reader and which evaluate it: one rule, shared.

A meeting's split comes from a hash of its file name, so it is fixed before anyone looks at
an answer and never depends on the order files are listed in:
``dev`` (about 20%: tune and choose thresholds), ``test`` (about 20%: report only), ``train`` (the rest).
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def qmsum_split(meeting: str | Path) -> str:
    """'train', 'dev' or 'test' for a QMSum meeting file (``Bed004.json`` or its stem)."""
    stem = Path(str(meeting)).stem
    bucket = int(hashlib.sha1(stem.encode("utf-8")).hexdigest(), 16) % 5
    return {0: "dev", 1: "test"}.get(bucket, "train")


if __name__ == "__main__":
    import collections
    import sys

    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpora/qmsum_train/train")
    counts = collections.Counter(qmsum_split(p) for p in sorted(root.glob("*.json")))
    print(dict(counts))
