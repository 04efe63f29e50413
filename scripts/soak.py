"""Soak test (a benchmark, not a test): N chat sessions against a running ``assistant serve`` while another
process re-indexes a changing corpus.

    .venv/bin/python scripts/soak.py                     # 8 sessions, 120 s, seeds + a churning extra file
    .venv/bin/python scripts/soak.py --sessions 16 --seconds 300 --mode static

It copies seeds/ into a temp corpus, indexes it into a temp store, starts ``assistant serve --no-index``
on a free 127.0.0.1 port (stopped by its pid at the end), and runs:

- N sessions, each a separate Gradio client (its own chat history), asking questions about the seeds
  in turn, each a follow-up in the session's own conversation;
- one writer re-running ``assistant index`` every few seconds while an extra file changes
  (added, grown, removed), so the server reloads under load.

It prints questions answered, errors, p50/p95 latency, and two checks: a *crossed* answer is one whose
chat shows another session's question, or whose citations are those of a different question and not
of its own (each question's citations are first taken in a quiet moment, before the load starts).
Zero errors and zero crossed answers is the bar. Nothing connects outside 127.0.0.1.
"""

from __future__ import annotations

import argparse
import html
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSISTANT = ROOT / ".venv" / "bin" / "assistant"
QUESTIONS = [
    "How many parties have registered candidates, according to Pamfilova?",
    "What did Tokayev say about trade between Kazakhstan and Russia?",
    "What did Putin say about video surveillance at elections?",
    "How many candidates have been registered for the September elections?",
    "Who is behind the fake news campaign against the elections?",
    "When do Russia and Kazakhstan celebrate 30 years of diplomatic relations?",
]
EXTRA = "Title: Bridge repairs briefing {k}\nDate: 2023-01-05\nPlace: Kazan\n"
_TURN_ID = re.compile(r'<code class="ta-id"[^>]*>([^<]+)</code>')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def text_of(message: dict) -> str:
    """A chat message's HTML (Gradio 6 sends content as a list of parts)."""
    content = message["content"]
    return content if isinstance(content, str) else "".join(p.get("text", "") for p in content if isinstance(p, dict))


def cited(html: str) -> set[str]:
    """Turn ids on the citation cards of a rendered answer."""
    return set(_TURN_ID.findall(html))


def _same(shown: list[str], asked: list[str]) -> bool:
    """Whether the chat's user messages are this session's questions, in order (compared as plain text)."""
    plain = [html.unescape(re.sub("<[^>]+>", "", x)) for x in shown]
    return plain == asked


def wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"serve did not start on port {port}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--reindex-every", type=float, default=4.0, help="Seconds between index runs.")
    ap.add_argument("--mode", default="hashing", choices=["hashing", "static", "contextual"],
                    help="Embedding mode (hashing: no model, fast; answers are from BM25 mostly).")
    args = ap.parse_args()

    from gradio_client import Client

    work = Path(tempfile.mkdtemp(prefix="soak-"))
    corpus, store = work / "corpus", work / "store"
    shutil.copytree(ROOT / "seeds", corpus)
    env = {**os.environ, "ASSISTANT_EMBEDDING__MODE": args.mode, "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("ASSISTANT_CHROMA_URL", None)
    env.pop("ASSISTANT_UI_PASSWORD", None)
    subprocess.run([str(ASSISTANT), "index", str(corpus), "--store", str(store)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [str(ASSISTANT), "serve", "--no-index", "--host", "127.0.0.1", "--port", str(port), "--store", str(store)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(port, 120)
        # Each question's citations, asked alone before any load.
        probe = Client(url, verbose=False)
        expected = {q: cited(text_of(probe.predict(q, [], "", "", "", "", api_name="/respond")[0][-1])) for q in QUESTIONS}

        stop = time.monotonic() + args.seconds
        lock = threading.Lock()
        latencies: list[float] = []
        errors: list[str] = []
        crossed: list[str] = []
        reindexes = [0, 0]  # runs, failed runs

        def writer() -> None:
            k = 0
            while time.monotonic() < stop:
                k += 1
                extra = corpus / "extra.txt"
                if k % 4 == 0:
                    extra.unlink(missing_ok=True)
                else:
                    lines = "".join(f"Ivan Petrov: Round {i} of the talks on roads and the bridge went well.\n" for i in range(k))
                    extra.write_text(EXTRA.format(k=k) + lines + "Anna Smirnova: Thank you.\n")
                run = subprocess.run([str(ASSISTANT), "index", str(corpus), "--store", str(store)], env=env,
                                     capture_output=True, text=True)
                with lock:
                    reindexes[0] += 1
                    if run.returncode != 0:
                        reindexes[1] += 1
                        errors.append(f"index: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}")
                time.sleep(args.reindex_every)

        def session(i: int) -> None:
            client = Client(url, verbose=False)
            rng = random.Random(i)
            asked: list[str] = []
            chat: list = []
            while time.monotonic() < stop:
                q = rng.choice(QUESTIONS)
                t0 = time.perf_counter()
                try:
                    chat = client.predict(q, chat, "", "", "", "", api_name="/respond")[0]
                except Exception as exc:  # noqa: BLE001 - counted, the session goes on
                    with lock:
                        errors.append(f"session {i}: {exc.__class__.__name__}: {str(exc)[:120]}")
                    continue
                dt = time.perf_counter() - t0
                asked.append(q)
                reply = text_of(chat[-1])
                shown = [text_of(m) for m in chat if m["role"] == "user"]
                with lock:
                    latencies.append(dt)
                    if "ta-error" in reply:
                        errors.append(f"session {i}: error shown: {re.sub('<[^>]+>', '', reply)[:160]}")
                    if [re.sub("<[^>]+>", "", x) for x in shown] != [html.escape(a) for a in asked] and not _same(shown, asked):
                        crossed.append(f"session {i}: its chat shows other questions than it asked")
                    got = cited(reply)
                    if got and got != expected[q] and any(got == v for k2, v in expected.items() if k2 != q):
                        crossed.append(f"session {i}: {q!r} cited {sorted(got)}, another question's citations")

        threads = [threading.Thread(target=writer, daemon=True)] + [
            threading.Thread(target=session, args=(i,), daemon=True) for i in range(args.sessions)
        ]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 300)
        elapsed = time.monotonic() - t0

        lat = sorted(latencies)
        p = (lambda f: lat[min(len(lat) - 1, int(f * len(lat)))] * 1000) if lat else (lambda f: float("nan"))
        print(f"sessions: {args.sessions}, {elapsed:.0f} s, embedding mode {args.mode}")
        print(f"questions answered: {len(lat)}; index runs during the soak: {reindexes[0]} ({reindexes[1]} failed)")
        print(f"errors: {len(errors)}; crossed answers: {len(crossed)}")
        if lat:
            print(f"latency: p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, mean {statistics.mean(lat) * 1000:.0f} ms")
        for line in (errors + crossed)[:20]:
            print("  " + line)
    finally:
        os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if errors or crossed else 0)


if __name__ == "__main__":
    main()
