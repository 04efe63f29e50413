"""Retrieval that understands transcripts: question analysis, hybrid search, neighbouring turns.

Dense search (Chroma) and BM25 (bm25s) are fused by reciprocal rank. People named in the
question — by name, surname, honorific or role — resolve through the alias table: the
person a question asks about as speaker ("What did Pamfilova say…") becomes a strict
filter, others add weight. A year narrows the search to passages about that year (said in
it, naming it, or "last year" said the year after); months add weight to turns of matching dates.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.loaded import LoadedIndex
from assistant.settings import RetrievalSettings
from assistant.speakers import normalise
from assistant.transcripts import MONTH_NAMES
from assistant.types import TurnRecord, UnknownSpeakerError

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from about as into over under is are was were be been being
    do does did done have has had having it its this that these those there here i you he she we they me him her us them
    my your his our their what which who whom whose when where why how whether not no yes so than too very can could would
    should will shall may might must just also any all some more most much many such only own same other again further
    then once s t don say says said saying tell told mention mentioned mentions talk talked speak spoke speaking
    think thought according state stated note noted describe described explain explained ask asked reply replied answer
    answered claim claimed comment commented discuss discussed meeting meet met did does else""".split()
)
# Verbs that make the person before them the speaker the question asks about.
SPEECH_VERBS = (
    "say|says|said|mention|mentioned|mentions|tell|told|note|noted|ask|asked|claim|claimed|think|thought|talk|talked|"
    "speak|spoke|describe|described|explain|explained|reply|replied|answer|answered|respond|responded|invite|invited|"
    "thank|thanked|propose|proposed|suggest|suggested|announce|announced|report|reported|warn|warned|stress|stressed|"
    "emphasise|emphasised|emphasize|emphasized|promise|promised|argue|argued|call|called|want|wanted|hope|hoped|"
    "believe|believed|offer|offered|remark|remarked|add|added|raise|raised|point|pointed|recall|recalled|express|"
    "expressed|praise|praised|complain|complained|insist|insisted|admit|admitted|agree|agreed|cite|cited|give|gave|"
    "quote|quoted|list|listed|highlight|highlighted|brief|briefed|check|checked|expect|expected|compare|compared"
)
_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


# Bumped whenever tokenize(), stem() or what BM25 indexes change: cached BM25 indexes are rebuilt.
TOKENIZER_VERSION = 4

# Irregular past forms, so "held" meets "hold" and "grew" meets "grow".
IRREGULAR = {
    "held": "hold", "grew": "grow", "grown": "grow", "went": "go", "gone": "go", "made": "make", "gave": "give",
    "given": "give", "took": "take", "taken": "take", "won": "win", "ran": "run", "rose": "rise", "risen": "rise",
    "fell": "fall", "fallen": "fall", "began": "begin", "begun": "begin", "brought": "bring", "bought": "buy",
    "paid": "pay", "sold": "sell", "built": "build", "sent": "send", "spent": "spend", "kept": "keep", "left": "leave",
    "led": "lead", "chose": "choose", "chosen": "choose", "wrote": "write", "written": "write", "knew": "know",
    "known": "know", "showed": "show", "shown": "show", "saw": "see", "seen": "see", "came": "come", "became": "become",
    "felt": "feel", "found": "find", "lost": "lose", "stood": "stand", "understood": "understand", "met": "meet",
    "signed": "sign", "drew": "draw", "drawn": "draw", "cut": "cut", "set": "set", "put": "put", "hit": "hit",
    "bore": "bear", "borne": "bear", "fought": "fight", "sought": "seek", "taught": "teach", "caught": "catch",
    "meant": "mean", "dealt": "deal", "lent": "lend", "struck": "strike", "spoke": "speak", "spoken": "speak",
    "told": "tell", "said": "say", "thought": "think", "better": "good", "best": "good", "worse": "bad", "worst": "bad",
}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light suffix stripper so 'growing', 'grew'… meet 'grow' often enough for matching."""
    word = IRREGULAR.get(word, word)
    for suf in ("ational", "ations", "ation", "ions", "ion", "ings", "ing", "edly", "ies", "ied", "ness", "ment", "ers", "ed", "es", "er", "ly", "s"):
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            word = word[: -len(suf)]
            break
    if len(word) > 4 and word.endswith("e"):  # invite/invitation, increase/increased
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case word and number tokens; '4,700' also yields '4700'."""
    text = text.lower().replace("’", "'")
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if "," in tok:
            out.append(tok.replace(",", ""))
        out.append(tok.rstrip(".,"))
    return out


def content_terms(text: str) -> list[str]:
    """Stemmed tokens that carry meaning (no stopwords)."""
    return [stem(t) for t in tokenize(text) if t not in STOPWORDS and len(t) > 1 or t.isdigit()]


@dataclass
class QueryAnalysis:
    """What a question asks: people, dates, the kind of fact, and the words that matter."""

    question: str
    speakers: list[str] = field(default_factory=list)  # people asked about as speakers (filter)
    mentioned: list[str] = field(default_factory=list)  # other people named (weight)
    mention_spans: list[str] = field(default_factory=list)
    people: dict[str, list[str]] = field(default_factory=dict)  # each span → everyone it may name
    months: list[int] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    wh: str = "what"
    quoted: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)  # terms of "about X": an answer must touch one


_WH = [
    ("how_many", r"\bhow (many|much)\b|\bwhat (number|percentage|share|amount|sum)\b|\bby how\b|\bwhat percent"),
    ("who", r"^\s*who\b|\bwho (said|says|spoke|mentioned|asked|noted|stressed|thanked|invited|called)\b|\bwhich (person|official|speaker|participant)\b"),
    ("when", r"^\s*when\b|\bwhat (date|day|time|year|month)\b|\bon which (date|day)\b"),
    ("where", r"^\s*where\b|\bin which (city|place|town|country)\b|\bwhat (city|place|venue)\b"),
    ("why", r"^\s*why\b|\bwhat (is|are|was|were) the reasons?\b|\bfor what reasons?\b|\bwhat (caused|led to)\b"),
    ("yesno", r"^\s*(did|does|do|is|was|were|are|has|have|had|will|can)\b"),
]


def analyse(question: str, index: LoadedIndex) -> QueryAnalysis:
    """People, dates, wh-type, quoted words and content terms of a question."""
    qa = QueryAnalysis(question=question)
    low = question.lower().replace("’", "'")
    for name, pattern in _WH:
        if re.search(pattern, low):
            qa.wh = name
            break
    qa.quoted = [q for q in re.findall(r"[“\"']([^”\"']{3,})[”\"']", question)]
    covered = _find_people(question, index, qa)
    for m in re.finditer(r"\b(" + "|".join(k for k in MONTH_NAMES if len(k) > 3) + r")\b", low):
        qa.months.append(MONTH_NAMES[m.group(1)])
    qa.years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", low)]
    rest = low
    for span in covered:
        rest = rest.replace(span.lower(), " ")
    # Months and years weight dates (see Retriever); as words to match they drag in any turn
    # that mentions "2022".
    rest = re.sub(r"\b(" + "|".join(k for k in MONTH_NAMES if len(k) > 3) + r")\b", " ", rest)
    rest = re.sub(r"\b(19[5-9]\d|20[0-4]\d)\b", " ", rest)
    qa.terms = content_terms(rest)
    m = _ABOUT.search(rest)
    if m:
        qa.topic = [t for t in content_terms(m.group(1)) if t in qa.terms]
    return qa


# "about X" up to where the question moves on to time, place or event.
_ABOUT = re.compile(r"\babout\s+(.+?)(?=\s+(?:at|in|on|during|with|when|while|after|before|to|from|for|and)\b|[?,.;]|$)")


_NGRAM_WORD = re.compile(r"[\w’'.-]+")


def _find_people(question: str, index: LoadedIndex, qa: QueryAnalysis) -> list[str]:
    """Match alias-table entries in the question (word n-grams looked up, longest first); return the spans."""
    low = normalise(question.replace("’", "'"))
    words = [(m.start(), m.end()) for m in _NGRAM_WORD.finditer(low)]
    taken = [False] * len(words)
    found: list[tuple[int, int, list[str]]] = []
    table = index.alias_table
    for size in range(min(8, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i : i + size]):
                continue
            start, end = words[i][0], words[i + size - 1][1]
            span = low[start:end].strip(".")
            key = span[:-2] if span.endswith("'s") else span
            names = table.get(key)
            if not names:
                continue
            for j in range(i, i + size):
                taken[j] = True
            found.append((start, start + len(span), names))
    spans = []
    for start, end, names in sorted(found):
        span = low[start:end]
        spans.append(span)
        # An ambiguous role ("the president") means its best-known holder; a full name is exact.
        chosen = names[:1]
        after = low[end:end + 40]
        before = low[max(0, start - 30):start]
        is_speaker = bool(
            re.match(r"^(?:'s)?\s*(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b", after)
            or re.search(r"\b(?:did|does|do|has|had|will|would|according to|from|by)\s*(?:the\s+)?$", before)
            or re.match(r"^'s\s+(?:words|remarks|speech|statement|view|views|answer|question|position|comments?|opinion|reply|address)", after)
        )
        target = qa.speakers if is_speaker else qa.mentioned
        for n in chosen:
            if n not in target:
                target.append(n)
        qa.mention_spans.append(span)
        qa.people[span] = list(names)
    return spans


def reports(turn: TurnRecord, speakers: list[str]) -> bool:
    """Whether a reporter's narration turn paraphrases one of ``speakers`` (names their surname)."""
    return turn.kind == "narration" and any(re.search(rf"\b{re.escape(n.split()[-1])}\b", turn.text) for n in speakers)


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

    def _mask(self, qa: QueryAnalysis, filters: dict[str, Any]) -> np.ndarray:
        ix = self.index
        mask = np.ones(len(ix.passage_ids), dtype=bool)
        speakers = filters.get("speaker") or qa.speakers
        if speakers:
            # A reporter's paraphrase ("As Putin noted, there are over 20 electronic services") counts as theirs.
            mask &= np.isin(ix.p_speaker, speakers) | ix.reported_mask(speakers)
        if filters.get("document"):
            mask &= ix.p_doc == filters["document"]
        if filters.get("date_from"):
            mask &= ix.p_date >= filters["date_from"]
        if filters.get("date_to"):
            mask &= (ix.p_date <= filters["date_to"]) & (ix.p_date != "")
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
        if prefer:
            within = mask & np.isin(ix.p_doc, prefer)
            if within.any():
                mask = within
        if qa.years:
            # A year in the question narrows the search to passages about that year, when there are any.
            about = mask & ix.year_mask(qa.years)
            if about.any():
                mask = about
        fused = np.zeros(len(ix.passage_ids), dtype=np.float64)
        if s.mode in ("hybrid", "lexical"):
            query_tokens = [stem(t) for t in tokenize(question) if t not in STOPWORDS] or [stem(t) for t in tokenize(question)]
            for span in qa.mention_spans:  # names are filters/weights, not words to match
                for t in tokenize(span):
                    if stem(t) in query_tokens and len(query_tokens) > 1:
                        query_tokens.remove(stem(t))
            scores = ix.bm25_scores(query_tokens)
            scores = np.where(mask, scores, -1.0)
            order = np.argsort(-scores)[: s.lexical_k]
            for rank, i in enumerate(order):
                if scores[i] > 0:
                    fused[i] += 1.0 / (s.rrf_k + rank + 1)
            if s.exact_weight > 0 and scores[order[0]] > 0:
                # Rank fusion alone lets a rare exact match ("34.4 percent") drown under passages both
                # searches half-like; the BM25 score itself, relative to the best, adds weight.
                rel = np.clip(scores / scores[order[0]], 0.0, 1.0)
                fused += s.exact_weight * rel**2 / (s.rrf_k + 1) * (rel > 0.5)
        if s.mode in ("hybrid", "dense"):
            qv = ix.embed_query(question)
            sims = ix.dense_scores(qv)
            sims = np.where(mask, sims, -2.0)
            order = np.argsort(-sims)[: s.dense_k]
            for rank, i in enumerate(order):
                fused[i] += 1.0 / (s.rrf_k + rank + 1)
        if qa.mentioned:
            fused += np.isin(ix.p_speaker, qa.mentioned) * (s.speaker_boost * 0.5 / (s.rrf_k + 1)) * (fused > 0)
        if qa.months or qa.years:
            fused += self._date_match(qa) * (s.date_boost / (s.rrf_k + 1)) * (fused > 0)
        fused = np.where(mask, fused, 0.0)
        # Passages → turns: a turn scores as its best passage.
        best: dict[str, tuple[float, list[str]]] = {}
        for i in np.argsort(-fused)[: max(k * 6, 40)]:
            if fused[i] <= 0:
                break
            tid = ix.p_turn[i]
            score, pids = best.get(tid, (0.0, []))
            best[tid] = (max(score, float(fused[i])), pids + [ix.passage_ids[i]])
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])[:k]
        return [Hit(turn=ix.turns[tid], score=sc, passage_ids=pids) for tid, (sc, pids) in ranked]

    def _date_match(self, qa: QueryAnalysis) -> np.ndarray:
        d = self.index.p_date
        ok = np.ones(len(d), dtype=bool)
        if qa.years:
            ok &= np.isin(np.array([x[:4] for x in d]), [f"{y:04d}" for y in qa.years])
        if qa.months:
            ok &= np.isin(np.array([x[5:7] for x in d]), [f"{m:02d}" for m in qa.months])
        return ok.astype(np.float64)

    def neighbours(self, hit: Hit) -> list[TurnRecord]:
        """The turns just before and after a hit, when they help to answer or attribute."""
        out = []
        t = hit.turn
        prev = self.index.turn_at(t.doc_id, t.n - 1)
        nxt = self.index.turn_at(t.doc_id, t.n + 1)
        # A question asked in the previous turn explains what this turn answers.
        if prev and prev.speaker != t.speaker and prev.text.rstrip().endswith("?"):
            out.append(prev)
        # A question in this turn is answered by the next one.
        if nxt and nxt.speaker != t.speaker and t.text.rstrip().endswith("?"):
            out.append(nxt)
        return out
