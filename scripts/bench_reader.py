"""Benchmark the learned reader's two ways of using the cores: pairs in turn on N threads each, or N pairs side by side.

    .venv/bin/python scripts/bench_reader.py [--pairs 6] [--repeat 40]

Each question of ``bench_ask.py`` is scored against ``--pairs`` sentences from ``seeds/`` (the same texts for both
ways, at three lengths: one sentence, two, and a turn window cut at 128 word pieces). Prints the median time per
question for each way, their ratio, and the largest difference between the scores (0: the same scores).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from assistant.models.cross_encoder import CrossEncoder, format_text, reader_path
from assistant.text.sentences import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench_ask import ANSWERABLE  # noqa: E402


def in_turn(threads: int) -> CrossEncoder:
    """The reader as it ran before: one pair after another, each on ``threads`` intra-op threads."""
    import onnxruntime as ort

    base = CrossEncoder.load(threads=1)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(str(reader_path() / "model.onnx"), options, providers=["CPUExecutionProvider"])
    return CrossEncoder(session, base._tokenizer, base.config, base.path, threads=1)


def main(argv: list[str] | None = None) -> int:
    """Time both ways and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pairs", type=int, default=6, help="Sentences scored per question (the answerer's default shortlist: 6).")
    p.add_argument("--threads", type=int, default=2, help="Cores to use (default 2).")
    p.add_argument("--repeat", type=int, default=5, help="Times each question is scored per way (default 5).")
    args = p.parse_args(argv)

    texts = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "seeds").iterdir()) if f.is_file()]
    sentences = [t[a:b].strip() for t in texts for a, b in sentence_spans(t)]
    sentences = [s for s in sentences if len(s) > 40]
    questions = [q for q, _ in ANSWERABLE]
    ways = {f"in turn, {args.threads} threads each": in_turn(args.threads), f"{args.threads} side by side, 1 thread each": CrossEncoder.load(threads=args.threads)}
    print(f"{'texts':<34}{'way':<34}{'median ms/question':>20}")
    for label, width in (("one sentence", 1), ("two sentences", 2), ("a window of 128 word pieces", 8)):
        medians: dict[str, float] = {}
        scores: dict[str, list[np.ndarray]] = {}
        for name, reader in ways.items():
            reader.score(questions[0], ["warm-up"])
            times: list[float] = []
            scores[name] = []
            for i, q in enumerate(questions):
                texts = [format_text("Vladimir Putin", " ".join(sentences[(i * args.pairs + k) * width % len(sentences):][:width])) for k in range(args.pairs)]
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    s = reader.score(q, texts)
                    times.append((time.perf_counter() - t0) * 1000)
                scores[name].append(s)
            medians[name] = statistics.median(times)
            print(f"{label:<34}{name:<34}{medians[name]:>20.1f}")
        a, b = (np.concatenate(v) for v in scores.values())
        first, second = medians.values()
        print(f"{'':<34}{'ratio (side by side / in turn)':<34}{second / first:>20.2f}   largest score difference {float(np.abs(a - b).max()):.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
