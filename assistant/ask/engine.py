"""The LlamaIndex query engine: retrieve turns, answer with citations, return a Response.

``TranscriptQueryEngine.query(question)`` returns a LlamaIndex ``Response`` whose
``source_nodes`` are the cited turns (metadata: speaker, role, event, date, turn id…), and
whose ``metadata["answer"]`` is the full :class:`~assistant.types.Answer` as a dict.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode
from pydantic import ConfigDict

from assistant.ask.answerers.base import AnswerContext, Draft
from assistant.ask.query import QueryAnalysis, analyse
from assistant.ask.retrieve import Hit, Retriever
from assistant.errors import EmptyQuestionError
from assistant.types import Answer, Citation, Retrieved


def citation_node(c: Citation, score: float | None = None) -> NodeWithScore:
    """A cited turn as a LlamaIndex node."""
    meta = {k: v for k, v in vars(c).items() if k not in ("text",)}
    return NodeWithScore(node=TextNode(id_=c.turn_id, text=c.text, metadata=meta), score=score)


class TranscriptQueryEngine(CustomQueryEngine):
    """Hybrid retrieval over speaker-attributed turns, then answerers composed in order.

    Document facts answer where/when-did-they-meet questions; otherwise the extractive answerer
    writes a draft, and a configured generative backend is tried with that draft as its fallback.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Any
    extractive: Any  # an Answerer that always answers or abstains
    facts: Any = None  # an Answerer for document facts, or None
    generator: Any = None  # an optional generative Answerer

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
        neighbours = [n for h in hits[:3] for n in retriever.neighbours(h)] if retriever.settings.neighbours else []
        context = AnswerContext(filters=filters, neighbours=neighbours)
        draft = self._draft(qa, hits, context)
        t2 = time.perf_counter()
        return Answer(
            question=question, search_question=search, answer=draft.text, abstained=draft.abstained,
            backend=draft.backend, citations=draft.citations, related=draft.related,
            retrieved=[Retrieved(h.turn.turn_id, h.turn.speaker, round(h.score, 5)) for h in hits],
            timings_ms={"retrieve": round((t1 - t0) * 1000, 1), "answer": round((t2 - t1) * 1000, 1), "total": round((t2 - t0) * 1000, 1)},
            notes=draft.notes + [f"support {draft.support:.2f}"], filters={k: v for k, v in filters.items() if v},
        )

    def _draft(self, qa: QueryAnalysis, hits: list[Hit], context: AnswerContext) -> Draft:
        """Facts first; then the extractive draft; then the generative backend with that draft as fallback."""
        if self.facts is not None:
            facts = self.facts.answer(qa, hits, context)
            if facts is not None:
                return facts
        draft: Draft = self.extractive.answer(qa, hits, context)
        if self.generator is None:
            return draft
        try:
            generated = self.generator.answer(qa, hits, replace(context, fallback=draft))
        except Exception as exc:  # any backend failure falls back to the extractive answer
            draft.notes.append(f"generative backend failed ({exc.__class__.__name__}: {exc}); extractive answer shown")
            return draft
        return generated or draft

    def custom_query(self, query_str: str) -> Response:
        """LlamaIndex entry point: a Response with the cited turns as source nodes."""
        ans = self.answer(query_str)
        nodes = [citation_node(c, 1.0) for c in ans.citations] or [citation_node(c, 0.0) for c in ans.related]
        return Response(response=ans.answer, source_nodes=nodes, metadata={"answer": ans.to_dict()})
