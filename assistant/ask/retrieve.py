"""Retrieval that understands transcripts: question analysis, hybrid search, neighbouring turns.

Dense search (Chroma) and BM25 (bm25s) are fused by reciprocal rank. People named in the
question — by name, surname, honorific or role — resolve through the alias table: the
person a question asks about as speaker ("What did Pamfilova say…") becomes a strict
filter, others add weight. A year narrows the search to passages about that year (said in
it, naming it, or "last year" said the year after), and a month the question dates its event by
("at their meeting in January 2018") to the events of that month; other months add weight to turns of matching dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.ask.fusion import rrf, top_order
from assistant.ask.query import QueryAnalysis
from assistant.errors import UnknownSpeakerError
from assistant.index.loaded import LoadedIndex
from assistant.settings import RetrievalSettings
from assistant.text.sentences import sentence_spans
from assistant.text.tokens import STOPWORDS, stem, tokenize
from assistant.types import TurnRecord


@dataclass
class Hit:
    """A retrieved turn with its fused score and why it was brought in."""

    turn: TurnRecord
    score: float
    passage_ids: list[str]
    neighbour_of: str | None = None


class Retriever:
    """Hybrid retrieval over a loaded index."""

    def __init__(self, index: LoadedIndex, settings: RetrievalSettings) -> None:
        self.index = index
        self.settings = settings

    def check_filters(self, filters: dict[str, Any] | None) -> dict[str, Any]:
        """Resolve a speaker filter to canonical names; unknown speakers raise with close matches."""
        filters = dict(filters or {})
        sp = filters.get("speaker")
        if sp:
            names = sp if isinstance(sp, list) else [sp]
            resolved: list[str] = []
            for n in names:
                got = self.index.people.resolve(n)
                if not got:
                    import difflib

                    close = difflib.get_close_matches(n, [p.name for p in self.index.people], n=3, cutoff=0.5)
                    hint = f"; did you mean {', '.join(close)}?" if close else ""
                    raise UnknownSpeakerError(f"unknown speaker {n!r}: nobody in the corpus goes by that name{hint}")
                resolved.append(got[0])
            filters["speaker"] = resolved
        return filters

    def _mask(self, qa: QueryAnalysis, filters: dict[str, Any], by_speaker: bool = True) -> np.ndarray:
        ix = self.index
        mask = np.ones(len(ix.passage_ids), dtype=bool)
        speakers = filters.get("speaker") or qa.speakers
        if speakers and by_speaker:
            # A reporter's paraphrase ("As Putin noted, there are over 20 electronic services") counts as theirs.
            mask &= ix.speaker_mask(speakers) | ix.reported_mask(speakers)
        if filters.get("document"):
            doc = filters["document"]
            mask &= ix.doc_mask([doc] if isinstance(doc, str) else list(doc))
        if filters.get("date_from") or filters.get("date_to"):
            mask &= ix.date_mask(filters.get("date_from"), filters.get("date_to"))
        return mask

    def retrieve(
        self, question: str, qa: QueryAnalysis, filters: dict[str, Any] | None = None, k: int | None = None,
        prefer: list[str] | None = None,
    ) -> list[Hit]:
        """Ranked turns for a question; strict filters that match nothing return nothing.

        ``prefer`` (document ids) narrows the search to those documents when they hold a match:
        a follow-up ("What else did he say at that meeting?") stays with the event being discussed.
        """
        ix = self.index
        s = self.settings
        k = k or s.top_k
        filters = filters or {}
        mask = self._mask(qa, filters)
        if not mask.any():
            return []
        wide = int(mask.sum())
        mask = self._narrow(mask, qa, prefer)
        fused = np.zeros(len(ix.passage_ids), dtype=np.float64)
        bm25: np.ndarray | None = None
        if s.mode in ("hybrid", "lexical"):
            query_tokens = [stem(t) for t in tokenize(question) if t not in STOPWORDS] or [stem(t) for t in tokenize(question)]
            for span in qa.mention_spans:  # names are filters/weights, not words to match
                for t in tokenize(span):
                    if stem(t) in query_tokens and len(query_tokens) > 1:
                        query_tokens.remove(stem(t))
            if int(mask.sum()) < wide:
                query_tokens = self._telling(query_tokens, mask)
            bm25 = ix.bm25_scores(query_tokens)
            scores = np.where(mask, bm25, -1.0)
            order = top_order(scores, s.lexical_k, floor=0.0)
            # Only passages that share a word with the question count as BM25 hits.
            fused += rrf([order], len(fused), s.rrf_k) * (scores > 0)
            if s.exact_weight > 0 and scores[order[0]] > 0:
                # Rank fusion alone lets a rare exact match ("34.4 percent") drown under passages both
                # searches half-like; the BM25 score itself, relative to the best, adds weight.
                rel = np.clip(scores / scores[order[0]], 0.0, 1.0)
                fused += s.exact_weight * rel**2 / (s.rrf_k + 1) * (rel > 0.5)
        if s.mode in ("hybrid", "dense"):
            qv = ix.embed_query(question)
            if ix.remote is not None:  # a Chroma server searches its own vectors
                ranking = ix.remote_dense(qv, mask, s.dense_k)
            else:
                ranking = top_order(np.where(mask, ix.dense_scores(qv), -2.0), s.dense_k, floor=-2.0)
            fused += rrf([ranking], len(fused), s.rrf_k)
        if qa.likely:
            # Probably the person asked about (an unqualified role such as "the president"): weight, not a filter.
            fused += ix.speaker_mask(qa.likely) * (s.speaker_boost / (s.rrf_k + 1)) * (fused > 0)
        if qa.mentioned and not qa.asks_who:  # "Who told Putin…" is not answered by Putin
            fused += ix.speaker_mask(qa.mentioned) * (s.speaker_boost * 0.5 / (s.rrf_k + 1)) * (fused > 0)
        if qa.months or qa.years:
            fused += ix.date_match(qa.years, qa.months).astype(np.float64) * (s.date_boost / (s.rrf_k + 1)) * (fused > 0)
        fused = np.where(mask, fused, 0.0)
        if bm25 is not None and int(mask.sum()) >= wide and s.within_event_weight > 0:
            fused += self._within_event(query_tokens, fused, mask) * s.within_event_weight
        # Passages → turns: a turn scores as its best passage. Only these few passages' ids are read.
        top = [int(i) for i in top_order(fused, max(k * 6, 40), floor=0.0)]
        top = top[: next((j for j, i in enumerate(top) if fused[i] <= 0), len(top))]
        best: dict[str, tuple[float, list[str]]] = {}
        for i, (pid, tid) in zip(top, ix.passages_of(top)):
            score, pids = best.get(tid, (0.0, []))
            best[tid] = (max(score, float(fused[i])), pids + [pid])
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:k]
        hits = [Hit(turn=ix.turns[tid], score=sc, passage_ids=pids) for tid, (sc, pids) in ranked]
        speakers = filters.get("speaker") or qa.speakers
        if speakers and bm25 is not None and s.reply_hits > 0:
            hits += self._replies(qa, filters, prefer, bm25, mask, list(speakers), {h.turn.turn_id for h in hits})
        return hits

    def _within_event(self, tokens: list[str], fused: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Once the search has found its event, the words that tell that event's passages apart rank them. Every
        passage carries its event's title, so the title's words ("Russia Focused on the Future composition contest")
        that find the event also rank its one-line turns ("Yes.") above the long one that answers ("a large
        competition with 437,000 participants"). The passages of the best passage's event get a rank list of their
        own, by BM25 over the question words that fewer than ``shared_word_share`` of them hold (see ``_telling``)."""
        ix = self.index
        best = int(np.argmax(fused))
        if fused[best] <= 0:
            return np.zeros_like(fused)
        (_, turn_id), = ix.passages_of([best])
        event = mask & ix.doc_mask([ix.turns[turn_id].doc_id])
        telling = self._telling(tokens, event)
        if telling == tokens or int(event.sum()) < 2:
            return np.zeros_like(fused)  # no word of the event's own to drop: the search already ranks by its words
        scores = np.where(event, ix.bm25_scores(telling), -1.0)
        order = top_order(scores, self.settings.lexical_k, floor=0.0)
        return rrf([order], len(fused), self.settings.rrf_k) * (scores > 0)

    def _telling(self, tokens: list[str], mask: np.ndarray) -> list[str]:
        """The query words that tell the passages of a narrowed search apart. Narrowed to the events of 27 March
        2018 in Kemerovo, "At Putin's meeting in Kemerovo on 27 March 2018, how many bodies had been recovered?"
        is a search for "bodies recovered": "Kemerovo", "March" and "Putin" stand in most passages left (every
        passage carries its event's title) and would rank the ones that repeat them above the one that answers.
        When the words left match no passage there, all are kept."""
        share = self.settings.shared_word_share
        size = int(mask.sum())
        if share >= 1.0 or size < 2 or len(tokens) < 2:
            return tokens
        held = {t: (self.index.bm25_scores([t]) > 0) & mask for t in dict.fromkeys(tokens)}
        kept = [t for t in tokens if float(held[t].sum()) < share * size]
        if not any(held[t].any() for t in kept):
            return tokens  # what is left matches nothing there: the shared words are all the search has
        return kept

    def _narrow(self, mask: np.ndarray, qa: QueryAnalysis, prefer: list[str] | None) -> np.ndarray:
        """The mask narrowed to the preferred documents, the event's month and the question's years, each when it
        leaves something."""
        ix = self.index
        if prefer:
            within = mask & ix.doc_mask(prefer)
            if within.any():
                mask = within
        if qa.event_months:
            # "At his August 2022 working meeting…": the events of that month, when there are any.
            dated = np.zeros_like(mask)
            for year, month in qa.event_months:
                dated |= ix.date_match([year] if year else [], [month])
            if (mask & dated).any():
                mask = mask & dated
        if qa.event_days and self.settings.event_day_search:
            # "Lavrov's report to Putin on 14 February 2022": that day's events, when there are any (the same
            # month may hold several meetings with the same people).
            day = np.zeros_like(mask)
            for iso in qa.event_days:
                day |= ix.date_mask(iso, iso)
            if (mask & day).any():
                mask = mask & day
        if qa.years:
            # A year in the question narrows the search to passages about that year, when there are any. The
            # passages of an undated document (a committee meeting whose transcript gives no date) stay: the
            # question's year may be its date, which nothing here can rule out.
            about = mask & (ix.year_mask(qa.years) | ix.undated_mask())
            if about.any():
                mask = about
        return mask

    def _replies(self, qa: QueryAnalysis, filters: dict[str, Any], prefer: list[str] | None, bm25: np.ndarray,
                 mask: np.ndarray, speakers: list[str], have: set[str]) -> list[Hit]:
        """Terse replies by ``speakers`` to the questions by anyone else that match best (BM25): "What is your
        favourite food?" - "Kasha [porridge]." Each scores as its question's rank would in the fusion."""
        ix = self.index
        s = self.settings
        others = self._narrow(self._mask(qa, filters, by_speaker=False), qa, prefer) & ~mask
        scores = np.where(others, bm25, -1.0)
        order = [int(i) for i in top_order(scores, 4 * s.reply_hits, floor=0.0) if scores[int(i)] > 0]
        out: list[Hit] = []
        for r, (i, (pid, tid)) in enumerate(zip(order, ix.passages_of(order))):
            asked = ix.turns[tid]
            if not asked.text.rstrip().endswith("?"):
                continue
            reply = ix.turn_at(asked.doc_id, asked.n + 1)
            if reply is None or reply.speaker not in speakers or reply.turn_id in have:
                continue
            opening = sentence_spans(reply.text)[:1]
            if not opening or opening[0][1] - opening[0][0] >= s.reply_opening_chars:
                continue  # a reply that says what it is about is found by its own words
            have.add(reply.turn_id)
            out.append(Hit(turn=reply, score=1.0 / (s.rrf_k + r + 1), passage_ids=[]))
            if len(out) >= s.reply_hits:
                break
        return out

    def neighbours(self, hit: Hit) -> list[TurnRecord]:
        """The turns just before and after a hit, when they help to answer or attribute."""
        out = []
        t = hit.turn
        prev = self.index.turn_at(t.doc_id, t.n - 1)
        nxt = self.index.turn_at(t.doc_id, t.n + 1)
        # A question asked in the previous turn explains what this turn answers.
        if prev and prev.speaker != t.speaker and prev.text.rstrip().endswith("?"):
            out.append(prev)
        # A question in this turn is answered by the next one; a short turn that gives the floor ("Go ahead,
        # please.") is followed by what the next speaker says.
        if nxt and nxt.speaker != t.speaker and (t.text.rstrip().endswith("?") or len(t.text.strip()) < self.settings.floor_turn_chars):
            out.append(nxt)
        return out
