"""The answer engine: retrieve turns, compose the answerers, return an :class:`~assistant.types.Answer`.

:class:`AnswerEngine` is plain Python; LlamaIndex's query-engine interface over it is
:class:`assistant.ask.llama.TranscriptQueryEngine`, built only when asked for (importing
``llama_index.core`` costs about a second, which a new process answering one question need not pay).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, replace
from typing import Any

from assistant.ask.answer_types import amounts, asked_kind
from assistant.ask.answerers.base import AnswerContext, Draft
from assistant.ask.answerers.compose import Quoted, compose
from assistant.ask.answerers.extractive import focus_noun
from assistant.ask.answerers.facts import event_line
from assistant.ask.names import naming_documents
from assistant.ask.parts import split_question, with_counted_noun, with_person
from assistant.ask.query import QueryAnalysis, analyse
from assistant.ask.retrieve import Hit, Retriever
from assistant.ask.spelling import in_corpus_spelling, spelled_out_dates
from assistant.errors import EmptyQuestionError
from assistant.index.loaded import LoadedIndex
from assistant.text.dates import looks_back
from assistant.text.sentences import sentence_spans
from assistant.types import ABSTAIN_PREFIX, Answer, Citation, Retrieved

_MARKER = re.compile(r"\[(\d+)\]")
_LEANS = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she|his|her|there)\b", re.I)


@dataclass
class AnswerEngine:
    """Hybrid retrieval over speaker-attributed turns, then answerers composed in order.

    Document facts answer where/when-did-they-meet questions; otherwise the extractive answerer
    writes a draft, and a configured generative backend is tried with that draft as its fallback.
    """

    retriever: Any
    extractive: Any  # an Answerer that always answers or abstains
    facts: Any = None  # an Answerer for document facts, or None
    generator: Any = None  # an optional generative Answerer

    def answer(
        self, question: str, search_question: str | None = None, filters: dict[str, Any] | None = None,
        prefer: list[str] | None = None, said: list[str] | None = None,
    ) -> Answer:
        """Answer a (standalone) question with citations, or abstain; a multi-part question part by part."""
        if not question or not question.strip():
            raise EmptyQuestionError("empty question: type a question about the transcripts")
        # Searched, read and resolved in the transcripts' own spelling ("Defense Minister" → "Defence Minister", "Dec. 7"
        # → "December 7").
        search = in_corpus_spelling(spelled_out_dates((search_question or question).strip()), self.retriever.index.doc_freq())
        filters = self.retriever.check_filters(filters)
        parts = split_question(search)
        if len(parts) == 1:
            return self._answer_one(question, search, filters, prefer, said)
        answers: list[Answer] = []
        first_docs: list[str] = []
        index = self.retriever.index
        analysed = [analyse(p, index) for p in parts]  # each part read once, for what it names
        subject = _subject(analysed[0])
        # "How many lived below the poverty line then, and how many now?": a quote whose one amount answered an
        # earlier part asking for an amount has no amount left for a later one (a quote with two may answer both).
        spent: list[str] = []
        for part, pa in zip(parts, analysed):
            part_search = part
            if pa is not analysed[0] and subject and not (pa.speakers or pa.likely or pa.mentioned):
                # "How much gas did Miller say Gazprom took out, and how much did he say Europe withdrew?": "he" in
                # a later part is the person the first part asks about.
                part_search = with_person(part, subject)
            if pa is not analysed[0] and set(pa.terms) <= set(analysed[0].terms):
                # "…, and how many was it to have by 2025?": a part with no word of its own (beyond an opening that
                # frames every part) counts what the first part counts.
                part_search = with_counted_noun(part_search, parts[0], focus_noun(pa))
            # A later part that leans on the first ("… and what must be adhered to for them to be lifted?"), or
            # names no person, name or date of its own ("…, and by how much had profits grown?"), is searched
            # in the documents the first part cited.
            # A year before the first part's ("…, and how far had it been fulfilled in 2015?") is one spoken of
            # at the first part's event, no anchor of its own.
            own_years = bool(pa.years) and not looks_back(pa.years, analysed[0].years)
            # What the first part names too ("…did Russian defence companies show…, and how many forums did Russia
            # host?") frames the whole question; only what a later part names on its own anchors it elsewhere.
            first = analysed[0]
            own_people = set(pa.speakers + pa.likely + pa.mentioned) - set(first.speakers + first.likely + first.mentioned)
            own_names = [n for n in pa.names if n not in first.names]
            anchored = bool(own_people or own_names or own_years or pa.months)
            leans = bool(first_docs) and (bool(_LEANS.search(part)) or not anchored)
            docs = first_docs
            if not first_docs and pa is not analysed[0] and not (own_years or pa.months or pa.event_days):
                # "How many people did he say lived in Idlib, in his press statement on 5 March 2020, and how many
                # refugees did he cite from the UN?": when the first part found no answer, a later part that dates
                # nothing of its own still asks about the event the first part dates by its day.
                docs = dated_documents(index.documents, analysed[0].event_days)
                leans = bool(docs)
            kind = asked_kind(part)
            ans = self._answer_one(part, part_search, filters, docs if leans and not prefer else prefer,
                                   list(said or []) + spent if kind else said)
            answers.append(ans)
            if kind and not ans.abstained and ans.citations and len(amounts(ans.citations[0].quote)) == 1:
                spent.append(ans.citations[0].quote)
            if not first_docs and not ans.abstained:
                first_docs = list(dict.fromkeys(c.document for c in ans.citations))
        return merge_parts(question, search, answers, filters)

    def answer_next(self, question: str, turn_id: str, same_speaker: bool = True, filters: dict[str, Any] | None = None,
                    reply: bool = False, reply_by: str | None = None) -> Answer:
        """'What did she say next?': the next turn after ``turn_id`` (by the same speaker), quoted and cited;
        ``reply``: 'What did Putin reply?', the next turn by ``reply_by`` (or, unnamed, by anyone else)."""
        t0 = time.perf_counter()
        ix = self.retriever.index
        start = ix.turns.get(turn_id)
        nxt = None
        if start is not None:
            for n in range(start.n + 1, start.n + 60):
                cand = ix.turn_at(start.doc_id, n)
                if cand is None:
                    break
                if reply:
                    fits = cand.speaker == reply_by if reply_by else cand.speaker != start.speaker
                    fits = fits and cand.kind != "narration"
                else:
                    fits = not same_speaker or cand.speaker == start.speaker
                if fits and len(cand.text.strip()) >= (1 if reply else 25):
                    nxt = cand
                    break
        if nxt is None:
            by = f" by {reply_by}" if reply and reply_by else (" by that speaker" if same_speaker and not reply else "")
            text = f"{ABSTAIN_PREFIX} what came next: the last answer's turn is followed by no turn{by} in its event."
            draft = Draft(text, [], True, "extractive")
        else:
            spans = sentence_spans(nxt.text)
            quote = nxt.text[spans[0][0] : spans[min(2, len(spans)) - 1][1]].strip() if spans else nxt.text.strip()
            text, citations = compose([Quoted(nxt, [quote])], "what")
            draft = Draft(text, citations, False, "extractive", support=1.0)
        return _from_state(question, draft, t0, f"continues from {turn_id}", filters)

    def answer_event_of(self, question: str, turn_id: str, filters: dict[str, Any] | None = None) -> Answer:
        """'When was that?', 'Where did they meet?': the date, time and place of the event ``turn_id`` is from."""
        t0 = time.perf_counter()
        ix = self.retriever.index
        turn = ix.turns.get(turn_id)
        doc = ix.documents.get(turn.doc_id) if turn is not None else None
        if turn is None or doc is None:
            draft = Draft(f"{ABSTAIN_PREFIX} when or where: the last answer's turn {turn_id} is no longer in the index.", [], True, "facts")
        elif not (doc.get("date") or doc.get("place")):
            draft = Draft(f"{ABSTAIN_PREFIX} when or where: the last answer's event records no date or place.", [], True, "facts")
        else:
            draft = Draft(event_line(doc, 1), [Citation.from_turn(1, turn, turn.text[:200])], False, "facts", support=1.0)
        return _from_state(question, draft, t0, f"the event of {turn_id}", filters)

    def _answer_one(self, question: str, search: str, filters: dict[str, Any], prefer: list[str] | None,
                    said: list[str] | None = None) -> Answer:
        t0 = time.perf_counter()
        retriever: Retriever = self.retriever
        qa = analyse(search, retriever.index)
        # A discussion runs over many turns, each of which the reader reads: it may be handed more of them.
        k = retriever.settings.discussion_top_k if qa.discussion else None
        hits = retriever.retrieve(search, qa, filters, k=k, prefer=prefer)
        if qa.names and not prefer and retriever.settings.naming_search and hits:
            # The events the question names (those that mention its proper names) hold its answer: when
            # other events crowd them in the ranking, search again within the named ones.
            naming = naming_documents(retriever.index, qa.names, (h.turn.doc_id for h in hits))
            if naming and any(h.turn.doc_id not in naming for h in hits):
                hits = retriever.retrieve(search, qa, filters, k=k, prefer=sorted(naming))
            elif not naming:
                # No retrieved event names them; a person named (not asked about) anchors the event where they speak.
                named = [n for n in qa.mentioned if any(n.lower() in forms for forms in qa.names)]  # by name, not by role
                speaking = _speaking_documents(retriever.index, named, retriever.settings.speaking_search)
                if speaking:
                    hits = retriever.retrieve(search, qa, filters, k=k, prefer=speaking)
        t1 = time.perf_counter()
        neighbours = [n for h in hits[: retriever.settings.neighbour_hits] for n in retriever.neighbours(h)] if retriever.settings.neighbours else []
        context = AnswerContext(filters=filters, neighbours=neighbours, said=list(said or []))
        draft = self._draft(qa, hits, context)
        t2 = time.perf_counter()
        return Answer(
            question=question, search_question=search, answer=draft.text, abstained=draft.abstained,
            backend=draft.backend, citations=draft.citations, related=draft.related, confidence=draft.confidence,
            retrieved=[Retrieved(h.turn.turn_id, h.turn.speaker, round(h.score, 5)) for h in hits],
            timings_ms={"retrieve": round((t1 - t0) * 1000, 1), "answer": round((t2 - t1) * 1000, 1), "total": round((t2 - t0) * 1000, 1)},
            notes=qa.notes + draft.notes + [f"support {draft.support:.2f}"], filters={k: v for k, v in filters.items() if v},
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


def _subject(qa: QueryAnalysis) -> str | None:
    """The person a later part's "he" or "she" means: the one the first part asks about as speaker ("How much gas
    did Miller say…"). None when it asks about nobody as speaker ("Which decoration did the President of Turkmenistan
    receive…, and what did he say…": not the one its answer quotes, who presented it), or asks who and names nobody
    as speaker ("Who represented the region…, and how big a council did he say…": "he" is the answer, whoever it
    names). "Who in the Government did Shokhin say…, and how soon did he expect…": "he" is Shokhin."""
    if qa.wh == "who" and not qa.speakers:
        return None
    return (qa.speakers or qa.likely or [None])[0]


def _from_state(question: str, draft: Draft, started: float, note: str, filters: dict[str, Any] | None) -> Answer:
    """The answer to a follow-up read from the conversation state (no search): timed from ``started``."""
    ms = round((time.perf_counter() - started) * 1000, 1)
    return Answer(question=question, search_question=question, answer=draft.text, abstained=draft.abstained,
                  backend=draft.backend, citations=draft.citations, timings_ms={"retrieve": 0.0, "answer": ms, "total": ms},
                  notes=[note], filters={k: v for k, v in (filters or {}).items() if v})


def _speaking_documents(index: LoadedIndex, people: list[str], most: int) -> list[str]:
    """The events where all the people named who speak somewhere speak together ("When Putin met Pavel Malkov"),
    when there are at most ``most`` of them (people who speak everywhere anchor nothing)."""
    docs: set[str] | None = None
    for name in people:
        person = index.people.find(name)
        if person is not None and person.documents:
            docs = set(person.documents) if docs is None else docs & set(person.documents)
    return sorted(docs) if docs and len(docs) <= most else []



def dated_documents(documents: dict[str, dict[str, Any]], days: list[str]) -> list[str]:
    """The documents dated on any of ``days`` (ISO dates a question dates its event by)."""
    wanted = set(days)
    return [d for d, info in documents.items() if str(info.get("date") or "")[:10] in wanted] if wanted else []

def merge_parts(question: str, search: str, answers: list[Answer], filters: dict[str, Any]) -> Answer:
    """One answer from the answers to each part: every part its own paragraph and citations, markers renumbered."""
    lines: list[list[str]] = []  # each: the part questions it answers, then the answer
    citations: list[Citation] = []
    related: list[Citation] = []
    same: dict[str, list[str]] = {}  # an answer already given -> its line
    for ans in answers:
        offset = len(citations)
        if ans.abstained:
            lines.append([ans.question, f"{ABSTAIN_PREFIX}."])
            related += ans.related[:1]
            continue
        if ans.answer in same:
            # "On what date and at what time did the meeting take place?": both parts answered by the same
            # quote are asked together and answered once.
            same[ans.answer].insert(-1, ans.question)
            continue
        text = _MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", ans.answer)
        lines.append([ans.question, text])
        same[ans.answer] = lines[-1]
        citations += [replace(c, marker=c.marker + offset) for c in ans.citations]
    answered = [a for a in answers if not a.abstained]
    # The whole answer is right when every part is: an answered part right, a part said not to be answered truly
    # unanswered (its confidence is that). It is no likelier than its least likely part.
    confidences = [a.confidence for a in answers if a.confidence is not None]
    retrieved: dict[str, Retrieved] = {}
    for a in answers:
        for r in a.retrieved:
            retrieved.setdefault(r.turn_id, r)
    timings = {k: round(sum(a.timings_ms.get(k, 0.0) for a in answers), 1) for k in ("retrieve", "answer", "total")}
    return Answer(
        question=question, search_question=search, answer="\n\n".join(" ".join(line) for line in lines), abstained=not answered,
        backend=answers[0].backend, citations=citations, related=[] if answered else related,
        confidence=min(confidences) if confidences else None,
        retrieved=list(retrieved.values()), timings_ms=timings,
        notes=[f"multi-part question answered in {len(answers)} parts"] + [n for a in answers for n in a.notes],
        filters={k: v for k, v in filters.items() if v},
    )
