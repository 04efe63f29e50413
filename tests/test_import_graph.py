"""The stage folders import downwards only: scripts/check_imports.py on the package and on made-up trees."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "check_imports.py"


def run(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(package)], capture_output=True, text=True, check=False)


def make(tmp: Path, files: dict[str, str]) -> Path:
    pkg = tmp / "assistant"
    for rel, body in files.items():
        f = pkg / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(body, encoding="utf-8")
    return pkg


def test_the_package_has_no_upward_imports_and_no_cycles() -> None:
    out = run(ROOT / "assistant")
    assert out.returncode == 0, out.stdout
    assert "ask -> index" in out.stdout


def test_an_upward_import_fails(tmp_path: Path) -> None:
    pkg = make(tmp_path, {"__init__.py": "", "text/__init__.py": "", "ask/__init__.py": "",
                          "text/tokens.py": "def f():\n    from assistant.ask.query import x\n", "ask/query.py": "x = 1\n"})
    out = run(pkg)
    assert out.returncode == 1
    assert "upward import: assistant.text.tokens (text) imports assistant.ask.query (ask)" in out.stdout


def test_a_module_cycle_fails(tmp_path: Path) -> None:
    pkg = make(tmp_path, {"__init__.py": "", "ask/__init__.py": "", "ask/a.py": "from assistant.ask import b\n",
                          "ask/b.py": "from assistant.ask.a import x\n"})
    out = run(pkg)
    assert out.returncode == 1 and "module import cycle" in out.stdout
