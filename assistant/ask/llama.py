"""LlamaIndex's query-engine interface over the answer engine.

``TranscriptQueryEngine.query(question)`` returns a LlamaIndex ``Response`` whose ``source_nodes``
are the cited turns (metadata: speaker, role, event, date, turn id…), and whose
``metadata["answer"]`` is the full :class:`~assistant.types.Answer` as a dict.
"""

from __future__ import annotations

from typing import Any

from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode
from pydantic import ConfigDict

from assistant.ask.engine import AnswerEngine
from assistant.types import Citation


def citation_node(c: Citation, score: float | None = None) -> NodeWithScore:
    """A cited turn as a LlamaIndex node."""
    meta = {k: v for k, v in vars(c).items() if k not in ("text",)}
    return NodeWithScore(node=TextNode(id_=c.turn_id, text=c.text, metadata=meta), score=score)


class TranscriptQueryEngine(CustomQueryEngine):
    """A LlamaIndex ``CustomQueryEngine`` answering with :class:`AnswerEngine`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    engine: Any  # an AnswerEngine

    @classmethod
    def over(cls, engine: AnswerEngine) -> "TranscriptQueryEngine":
        """The query engine over an answer engine."""
        return cls(engine=engine)

    def custom_query(self, query_str: str) -> Response:
        """LlamaIndex entry point: a Response with the cited turns as source nodes."""
        ans = self.engine.answer(query_str)
        nodes = [citation_node(c, 1.0) for c in ans.citations] or [citation_node(c, 0.0) for c in ans.related]
        return Response(response=ans.answer, source_nodes=nodes, metadata={"answer": ans.to_dict()})
