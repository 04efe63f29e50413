"""Prompt templates from ``prompts/``, checked at load time against the keys the code passes."""

from __future__ import annotations

import string
from pathlib import Path

from assistant.errors import PromptError

# The placeholders each prompt must have: exactly what the code fills in.
PROMPT_KEYS: dict[str, set[str]] = {
    "answer": {"sources", "question", "abstain_prefix"},
    "condense": {"history", "question"},
}




def placeholders(template: str) -> set[str]:
    """Named ``{placeholders}`` in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_prompt(name: str, folder: Path) -> str:
    """Read ``<folder>/<name>.txt`` and check its placeholders."""
    path = Path(folder) / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PromptError(f"{path}: cannot read prompt ({exc.strerror or exc})") from exc
    want = PROMPT_KEYS[name]
    got = placeholders(text)
    if got != want:
        missing, extra = sorted(want - got), sorted(got - want)
        raise PromptError(f"{path}: placeholders differ from what the code passes (missing {missing}, unexpected {extra})")
    return text
