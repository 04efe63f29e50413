"""The optional generative answerer, through LlamaIndex's LLM interface.

Backends: a local GGUF file via llama.cpp, Ollama, any OpenAI-compatible server, or
LlamaIndex's ``MockLLM`` (tests). Turns go to the model as numbered, delimited sources;
after generation every ``[n]`` marker is checked: markers that point at no given source
are removed and reported, and a quotation that does not occur in the cited turn is flagged.
"""

from __future__ import annotations

import concurrent.futures
import re
from typing import Any

from assistant.ask.answerers.base import AnswerContext, Draft
from assistant.ask.query import QueryAnalysis
from assistant.ask.retrieve import Hit
from assistant.errors import BackendError
from assistant.prompts import load_prompt
from assistant.settings import Settings
from assistant.text.dates import human_date
from assistant.text.sentences import sentence_spans
from assistant.types import ABSTAIN_PREFIX, Citation, TurnRecord

_MARKER = re.compile(r"\[(\d+)\]")
_QUOTE = re.compile(r"“([^”]{12,})”")


def make_llm(settings: Settings) -> Any:
    """The LlamaIndex LLM the settings name, or None for the extractive default."""
    a = settings.answer
    if a.backend == "extractive":
        return None
    if a.backend == "mock":
        from llama_index.core.llms import MockLLM

        return MockLLM(max_tokens=a.max_new_tokens)
    try:
        if a.backend == "openai-like":
            from llama_index.llms.openai_like import OpenAILike

            return OpenAILike(model=a.model or "local", api_base=a.api_base, api_key=a.api_key or "none",
                              is_chat_model=True, timeout=a.timeout_s, temperature=a.temperature, max_tokens=a.max_new_tokens)
        if a.backend == "ollama":
            from llama_index.llms.ollama import Ollama

            return Ollama(model=a.model or "llama3.2", base_url=a.api_base or "http://127.0.0.1:11434",
                          request_timeout=a.timeout_s, temperature=a.temperature)
        if a.backend == "llama-cpp":
            from llama_index.llms.llama_cpp import LlamaCPP

            if not a.model:
                raise BackendError("answer.model: set the path of a local GGUF file for the llama-cpp backend")
            return LlamaCPP(model_path=a.model, temperature=a.temperature, max_new_tokens=a.max_new_tokens, verbose=False)
    except ImportError as exc:
        raise BackendError(f"answer.backend={a.backend!r} needs its package: pip install -e '.[llm]' ({exc.name} missing)") from exc
    raise BackendError(f"answer.backend: unknown backend {a.backend!r}")


def format_sources(turns: list[TurnRecord]) -> str:
    """Numbered, delimited sources: who, role, event, date, then the turn's text."""
    blocks = []
    for i, t in enumerate(turns, start=1):
        head = f"[{i}] {t.attribution}" + (f", {t.role}" if t.role else "") + f" — {t.title}, {human_date(t.date) or 'date unknown'}"
        blocks.append(f"<source id=\"{i}\">\n{head}\n{t.text}\n</source>")
    return "\n".join(blocks)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").replace("‘", "'")).strip().lower()


def check_answer(text: str, turns: list[TurnRecord]) -> tuple[str, list[Citation], list[str]]:
    """Keep markers that point at a given turn, renumbered; flag quotes not found in the cited turn."""
    notes: list[str] = []
    used: dict[int, int] = {}
    citations: list[Citation] = []

    def renumber(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(turns):
            notes.append(f"removed marker [{n}]: it points at no source given to the model")
            return ""
        if n not in used:
            used[n] = len(used) + 1
            t = turns[n - 1]
            citations.append(Citation.from_turn(used[n], t, _best_sentence(text, t)))
        return f"[{used[n]}]"

    text = _MARKER.sub(renumber, text).strip()
    for q in _QUOTE.findall(text):
        if not any(_norm(q).strip(".,") in _norm(c.text) for c in citations):
            notes.append(f"quotation not found in the cited turns: “{q[:80]}”")
    return text, citations, notes


def _best_sentence(answer: str, turn: TurnRecord) -> str:
    words = set(re.findall(r"\w+", answer.lower()))
    best, score = turn.text[:300], -1
    for s, e in sentence_spans(turn.text):
        sent = turn.text[s:e]
        overlap = len(words & set(re.findall(r"\w+", sent.lower())))
        if overlap > score:
            best, score = sent.strip(), overlap
    return best


class LLMAnswerer:
    """Writes the answer with a generative model, then checks its citations."""

    def __init__(self, llm: Any, settings: Settings) -> None:
        self.llm = llm
        self.settings = settings
        self.template = load_prompt("answer", settings.paths.prompts)
        self.name = settings.answer.backend

    def prompt(self, question: str, turns: list[TurnRecord]) -> str:
        """The filled answer prompt."""
        return self.template.format(sources=format_sources(turns), question=question, abstain_prefix=ABSTAIN_PREFIX)

    def complete(self, prompt: str) -> str:
        """Generate, within the configured time limit."""
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            fut = pool.submit(lambda: self.llm.complete(prompt).text)
            return str(fut.result(timeout=self.settings.answer.timeout_s))
        except concurrent.futures.TimeoutError as exc:
            raise BackendError(f"timed out after {self.settings.answer.timeout_s:.0f} s") from exc
        finally:
            pool.shutdown(wait=False)

    def answer(self, qa: QueryAnalysis, hits: list[Hit], context: AnswerContext) -> Draft:
        """The model's answer with its citations checked; "the sources don't say" is an abstention.

        Markers that point at no given turn are removed; an answer left citing nothing that is not
        an abstention raises :class:`BackendError`, and so does a timeout (the engine then shows the
        extractive draft).
        """
        top = [h.turn for h in hits[:6]]
        turns = top + [t for t in context.neighbours if t.turn_id not in {t.turn_id for t in top}]
        raw = self.complete(self.prompt(qa.question, turns))
        text, citations, notes = check_answer(raw, turns)
        if text.startswith(ABSTAIN_PREFIX):
            # The closest turns are still worth showing, as related reading rather than support.
            related = (context.fallback.related or context.fallback.citations) if context.fallback else []
            return Draft(text, [], True, self.name, related=related, notes=notes)
        if not citations:
            raise BackendError("the model's answer cites no source")
        return Draft(text, citations, False, self.name, notes=notes, support=context.fallback.support if context.fallback else 0.0)


def make_generator(settings: Settings, loaded: Any) -> LLMAnswerer | None:
    """The generative answerer the settings ask for, or None."""
    llm = make_llm(settings)
    return LLMAnswerer(llm, settings) if llm is not None else None
