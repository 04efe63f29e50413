"""The LlamaIndex query engine: retrieve turns, answer with citations, return a Response.

``TranscriptQueryEngine.query(question)`` returns a LlamaIndex ``Response`` whose
``source_nodes`` are the cited turns (metadata: speaker, role, event, date, turn id…), and
whose ``metadata["answer"]`` is the full :class:`~assistant.types.Answer` as a dict.
"""

from __future__ import annotations

import time
from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode
from pydantic import ConfigDict

from assistant.ask.answerers.extractive import ExtractiveAnswerer
from assistant.ask.answerers.facts import answer_event
from assistant.ask.query import analyse, reports
from assistant.ask.retrieve import Retriever
from assistant.errors import EmptyQuestionError
from assistant.types import Answer, Citation, Retrieved


def citation_node(c: Citation, score: float | None = None) -> NodeWithScore:
    """A cited turn as a LlamaIndex node."""
    meta = {k: v for k, v in vars(c).items() if k not in ("text",)}
    return NodeWithScore(node=TextNode(id_=c.turn_id, text=c.text, metadata=meta), score=score)


class TranscriptQueryEngine(CustomQueryEngine):
    """Hybrid retrieval over speaker-attributed turns, then an extractive or generative answer."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any
    extractive: Any
    generator: Any = None  # optional LLMAnswerer

    def answer(
        self, question: str, search_question: str | None = None, filters: dict[str, Any] | None = None,
        prefer: list[str] | None = None,
    ) -> Answer:
        """Answer a (standalone) question with citations, or abstain."""
        if not question or not question.strip():
            raise EmptyQuestionError("empty question: type a question about the transcripts")
        t0 = time.perf_counter()
        search = (search_question or question).strip()
        retriever: Retriever = self.retriever
        filters = retriever.check_filters(filters)
        qa = analyse(search, retriever.index)
        hits = retriever.retrieve(search, qa, filters, prefer=prefer)
        t1 = time.perf_counter()
        extractive: ExtractiveAnswerer = self.extractive
        extra = [n for h in hits[:3] for n in retriever.neighbours(h)] if retriever.settings.neighbours else []
        scored = extractive.score_sentences(qa, hits, extra)
        chosen = extractive.select(qa, scored)
        strict = filters.get("speaker") or qa.speakers
        if strict:
            # select() may add the reply to a question; under a speaker filter only that speaker is cited.
            chosen = [c for c in chosen if c.turn.speaker in strict or reports(c.turn, strict)]
        support = extractive.support(qa, chosen)
        notes: list[str] = []
        if not hits:
            notes.append("no turn matches the filters" if (filters or qa.speakers) else "nothing retrieved")
        missing = extractive.missing_focus(qa, chosen) if extractive.settings.require_focus else None
        if missing and chosen:
            notes.append(f"no retrieved turn speaks of “{missing}”")
        abstained = not chosen or support < extractive.settings.abstain_threshold or missing is not None
        backend = extractive.name
        related: list[Citation] = []
        citations: list[Citation] = []
        event = answer_event(qa, retriever.index, [h.turn.doc_id for h in hits])
        if event is not None:
            # Where/when an event took place, or who wrote a report: the documents' own facts.
            abstained, text, citations = False, event.text, event.citations
        elif abstained:
            text, related = extractive.abstention(qa, scored)
            citations = []
        else:
            text, citations = extractive.compose(qa, chosen)
            if self.generator is not None:
                try:
                    text, citations, gen_notes = self.generator.answer(search, qa, hits, extra)
                    notes += gen_notes
                    backend = self.generator.name
                except Exception as exc:  # any backend failure falls back to the extractive answer
                    notes.append(f"generative backend failed ({exc.__class__.__name__}: {exc}); extractive answer shown")
        t2 = time.perf_counter()
        return Answer(
            question=question, search_question=search, answer=text, abstained=abstained, backend=backend,
            citations=citations, related=related,
            retrieved=[Retrieved(h.turn.turn_id, h.turn.speaker, round(h.score, 5)) for h in hits],
            timings_ms={"retrieve": round((t1 - t0) * 1000, 1), "answer": round((t2 - t1) * 1000, 1), "total": round((t2 - t0) * 1000, 1)},
            notes=notes + [f"support {support:.2f}"], filters={k: v for k, v in filters.items() if v},
        )

    def custom_query(self, query_str: str) -> Response:
        """LlamaIndex entry point: a Response with the cited turns as source nodes."""
        ans = self.answer(query_str)
        nodes = [citation_node(c, 1.0) for c in ans.citations] or [citation_node(c, 0.0) for c in ans.related]
        return Response(response=ans.answer, source_nodes=nodes, metadata={"answer": ans.to_dict()})
