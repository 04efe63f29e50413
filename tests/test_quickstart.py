"""The README's quick-start commands, run as written (set-up already done), on the seeds.

The main command is ``bash scripts/setup.sh && .venv/bin/assistant serve``: the test runs
``.venv/bin/assistant serve`` (which indexes seeds/ first) with the store in a temporary folder,
on a free loopback port, waits for the page, asks a question through the same CLI, and stops
the server by its PID.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, stop_by_pid

README = ROOT / "README.md"
CLI = Path(sys.executable).with_name("assistant")


def readme_commands() -> list[str]:
    """The shell commands in the README's Quick start section, in order."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [ln.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S) for ln in block.splitlines() if ln.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_readme_names_one_command_to_run_and_one_to_test() -> None:
    cmds = readme_commands()
    assert cmds == ["bash scripts/setup.sh && .venv/bin/assistant serve", "bash scripts/setup.sh && .venv/bin/pytest"]


@pytest.mark.skipif(not CLI.exists(), reason="the assistant CLI is not installed next to this Python")
def test_readme_main_command_serves_the_seeds(tmp_path: Path) -> None:
    serve_cmd = readme_commands()[0].split("&&", 1)[1].split()
    assert serve_cmd == [".venv/bin/assistant", "serve"]
    port = free_port()
    env = {**os.environ, "ASSISTANT_STORE": str(tmp_path / "store"), "ASSISTANT_UI__PORT": str(port)}
    env.pop("ASSISTANT_UI_PASSWORD", None)
    proc = subprocess.Popen([str(CLI), "serve"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 180
        page = ""
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    page = r.read().decode("utf-8", "replace")
                    break
            except OSError:
                time.sleep(1)
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        assert "<html" in page.lower()
        ask = subprocess.run(
            [str(CLI), "ask", "How many parties nominated candidates?", "--json"], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert ask.returncode == 0, ask.stderr
        assert '"turn_id": "004_33c056b68e5d4ba7.2#8"' in ask.stdout
    finally:
        stop_by_pid(proc)
