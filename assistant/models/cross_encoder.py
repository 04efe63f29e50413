"""A (question, text) relevance scorer: the int8 MiniLM cross-encoder in ``models/reader``, run with onnxruntime.

The model was fine-tuned by ``scripts/train_reader.py`` (see ``reader/MODEL_CARD.md``); this module
needs only ``onnxruntime``, ``tokenizers`` and ``numpy`` at run time. The training script encodes its
pairs with :class:`PairTokenizer` below, so training and serving tokenise identically.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"
DEFAULT_MAX_LENGTH = 128
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")


class ModelFileMissing(FileNotFoundError):
    """A file the reader model needs is not where it should be."""


def reader_path() -> Path:
    """The packaged ``assistant/models/reader`` directory."""
    return Path(__file__).resolve().parent / "reader"


def format_text(speaker: str, text: str) -> str:
    """The text side of a pair exactly as trained: ``"Speaker: text"`` (just the text when there is no speaker)."""
    body = " ".join(str(text).split())
    name = " ".join(str(speaker or "").split())
    return f"{name}: {body}" if name else body


class PairTokenizer:
    """Word pieces for (question, text) pairs: question first and kept whole, only the text truncated.

    A question longer than half of ``max_length`` is cut first (only-second truncation would otherwise have
    nothing left to cut); the training script encodes its pairs with this class too.
    """

    def __init__(self, path: Path, max_length: int) -> None:
        """Load the fast tokenizer at ``path`` (a ``tokenizer.json``)."""
        from tokenizers import Tokenizer

        self.max_length = int(max_length)
        self.question_max = max(1, self.max_length // 2)
        self._pairs = Tokenizer.from_file(str(path))
        # The packaged tokenizer.json pads every pair to 128; padding to the longest is much cheaper.
        self._pairs.enable_truncation(self.max_length, strategy="only_second")
        pad_id = self._pairs.token_to_id("[PAD]")
        self._pairs.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="[PAD]")
        self._plain = Tokenizer.from_file(str(path))
        self._plain.no_truncation()
        self._plain.no_padding()

    def clip_question(self, question: str) -> str:
        """The question cut to ``question_max`` word pieces."""
        enc = self._plain.encode(question, add_special_tokens=False)
        if len(enc.ids) <= self.question_max:
            return question
        return question[: enc.offsets[self.question_max - 1][1]]

    def encode(self, pairs: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
        """Model inputs (int64 arrays named as the model's inputs) for the pairs, padded to the longest."""
        questions = {q: self.clip_question(q) for q in {q for q, _ in pairs}}
        encodings = self._pairs.encode_batch([(questions[q], t) for q, t in pairs])
        return {
            "input_ids": np.asarray([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.asarray([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.asarray([e.type_ids for e in encodings], dtype=np.int64),
        }


class CrossEncoder:
    """A (question, text) relevance scorer: int8 MiniLM cross-encoder run with onnxruntime."""

    def __init__(self, session: Any, tokenizer: Any, config: dict[str, Any], path: Path, threads: int = 1) -> None:
        """Wrap a ready session and tokenizer; use :meth:`load` instead. ``threads`` pairs run at once."""
        self._session = session
        self._tokenizer = tokenizer
        self.config = config
        self.path = path
        self.max_length = int(config.get("max_length", DEFAULT_MAX_LENGTH))
        self._inputs = [i.name for i in session.get_inputs()]
        self.threads = max(1, int(threads))
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0

    @classmethod
    def load(cls, path: Path | None = None, threads: int = 2) -> CrossEncoder:
        """The model in ``path`` (default: the packaged reader directory), loaded once per process."""
        return _load_cached(Path(path or reader_path()).resolve(), int(threads))

    def score(self, question: str, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Raw relevance logits (float32), one per text; higher means more likely to answer ``question``.

        ``batch_size`` texts are tokenised together, but each pair then runs through the model on its own:
        int8 dynamic quantisation picks its activation scale from the whole input tensor, so batching
        pairs together would make a text's score depend on its neighbours. The pairs run ``threads`` at a
        time, each on one core (onnxruntime releases the GIL): a pair of 30-60 word pieces is too small a
        product to split across cores, so two pairs side by side finish sooner than two in turn on two
        threads each (scripts/bench_reader.py). The scores are the same either way.
        """
        texts = list(texts)
        out = np.zeros(len(texts), dtype=np.float32)
        if not texts:
            return out
        step = max(1, int(batch_size))
        for start in range(0, len(texts), step):
            chunk = texts[start : start + step]
            batch = self._tokenizer.encode([(question, t) for t in chunk])
            lengths = batch["attention_mask"].sum(axis=1)
            # Padding is on the right, so the first `length` positions are the pair unpadded.
            feeds = [{name: batch[name][row : row + 1, :length] for name in self._inputs} for row, length in enumerate(lengths)]
            pool = self._executor() if len(feeds) > 1 else None
            runs = pool.map(self._run, feeds) if pool is not None else map(self._run, feeds)
            for row, logit in enumerate(runs):
                out[start + row] = logit
        return out

    def _executor(self) -> ThreadPoolExecutor | None:
        """The threads that run pairs side by side (None with one thread), made in this process: a pool's threads
        do not survive a fork, so a forked child makes its own."""
        if self.threads == 1:
            return None
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="reader")
            self._pool_pid = os.getpid()
        return self._pool

    def _run(self, feeds: dict[str, np.ndarray]) -> float:
        """The logit of one unpadded pair."""
        logits = self._session.run(["logits"], feeds)[0]
        return float(np.asarray(logits).reshape(-1)[0])


@functools.lru_cache(maxsize=8)
def _load_cached(path: Path, threads: int) -> CrossEncoder:
    """Build the session and tokenizer for the model directory ``path``."""
    import onnxruntime as ort

    for name in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE):
        if not (path / name).is_file():
            raise ModelFileMissing(
                f"cross-encoder file missing: {path / name} (train and export it with scripts/train_reader.py)"
            )
    config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
    tokenizer = PairTokenizer(path / TOKENIZER_FILE, int(config.get("max_length", DEFAULT_MAX_LENGTH)))
    options = ort.SessionOptions()
    # One core per pair; `threads` pairs run side by side (see CrossEncoder.score).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path / MODEL_FILE), options, providers=["CPUExecutionProvider"])
    return CrossEncoder(session, tokenizer, config, path, threads)
