"""The embedded default answerer: extractive, offline, no model download.

It scores the sentences of the retrieved turns against the question — the question's
words each sentence covers (weighted by rarity), closeness in meaning, and the kind of
fact asked for (a number for "how many", a date for "when", a place for "where") — and
composes a short answer that names the speaker and the event, quoting the best sentences
with numbered markers. When no sentence covers enough of the question it abstains.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from assistant.ask.answer_types import MONEY, NUMBER, NUMBER_WORDS, TIMES, asked_kind, money_only, counted_noun, counts_only, asks_duration, has_quantity, number_context, states, states_duration
from assistant.ask.answerers.base import AnswerContext, Draft
from assistant.ask.answerers.compose import Quoted, compose
from assistant.ask.names import naming_documents, unmentioned
from assistant.ask.people import introduced_at, one_spelling
from assistant.ask.query import REPLY, QueryAnalysis, asks_who_spoke, main_clause, place_forms, reports
from assistant.ask.reader import Calibrator, Scorer, reader_text, speaker_label
from assistant.ask.retrieve import Hit
from assistant.index.loaded import LoadedIndex
from assistant.models.cross_encoder import format_text
from assistant.settings import AnswerSettings
from assistant.text import lexicon
from assistant.text.dates import MONTH_FULL, MONTH_NAMES, MONTH_PATTERN, doc_year, years_named
from assistant.text.sentences import is_question, leans_on_previous, sentence_spans
from assistant.text.tokens import STOPWORDS, fold_latin, stem, tokenize, words_only
from assistant.types import ABSTAIN_PREFIX, Citation, TurnRecord

# What a sentence answering "when" names: a year, a month, a day, a week, a season or a quarter ("in summer", "on
# Monday", "in the first quarter").
_DATEISH = re.compile(r"\b(19|20)\d\d\b|" + MONTH_PATTERN + r"|\b(yesterday|today|tomorrow|week|month|year|quarter|decade|"
                      r"spring|summer|autumn|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
# A number, a number written out (text/lexicon/number_words.txt), or a word that hedges one ("about 40 parties").
_NUMBER_WORD = re.compile(r"^(\d[\d.,]*|" + "|".join(lexicon.ordered("number_words")) + r"|several|some|about|over|almost|nearly)$")
# The word after "how many", past a designation with a number ("how many Tu-160 aircraft", "how many S-400
# systems") and an adverb ("how many fully assembled rockets").
_FOCUS = re.compile(r"\bhow many\s+(?:more\s+|other\s+|new\s+)?(?:[a-z]+-?\d[\w-]*\s+|[a-z]+ly\s+)*([a-z]+)\b(?!-\d)")
# A year that starts or ends a period: "since 2014", "from 2016 to 2025", "in 2016-2025", "through 2020".
_PERIOD_YEAR = re.compile(r"\b(?:since|from|between|through|until|till|to)\s+(?:the\s+)?(?:end\s+of\s+)?(?:year\s+)?"
                          r"((?:19|20)\d\d)\b|\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)?\d\d)\b", re.I)
# A sentence that leans on the one before it ("Of these, 24 parties…") is quoted with it.
# "By how much did trade grow?" asks for an amount of change: "by 19.7 percent", "up 9%", "doubled".
_ASKS_CHANGE = re.compile(r"\bby how much\b|\bhow much (?:did|has|have|had|does|do|will)\b.*\b(?:grow|grew|grown|increase|rise|rose|fall|fell|drop|decline|go up|went up|go down|change)", re.I)
_CHANGE = re.compile(r"\bby (?:almost |about |over |nearly |more than |some |around |roughly )?(?:us)?\$?\d|\d(?:[.,]\d+)? ?(?:percent|per cent|%)|\b(?:doubled|tripled|halved|\w+fold)\b", re.I)
_ASKS_ASKER = re.compile(r"\b(?:who|which\s+[\w'-]+)\s+(?:asked|questioned|queried|pressed|challenged)\b", re.I)
_CAUSE = re.compile(r"\b(because|due to|owing to|as a result|the reasons?|since|failed to|so that|caused|led to|that is why|therefore)\b", re.I)


# How an answer's notes say that a key part of the question is missing (one feature of the calibrated confidence;
# scripts/calibrate.py reads them back from the notes). The event notes (UNNAMED, ELSEWHERE) also abstain by rule.
UNFOCUSED = "no retrieved turn speaks of"
UNNAMED = "the event quoted never mentions"
ELSEWHERE = "the event quoted was not held in"
OTHER_MONTH = "the quoted event is not the one of"
UNTYPED = "the quoted sentences state no"
# The note that carries the number-context evidence (read back by scripts/calibrate.py).
NUMBER_CONTEXT = "question words beside the number"
# "How many helicopters…" answered by a quote whose numbers count something else (read back by scripts/calibrate.py).
UNCOUNTED = "the quote never counts"
KEY_PART_MISSING = (UNFOCUSED, UNNAMED, ELSEWHERE, OTHER_MONTH, UNTYPED)


@dataclass
class Scored:
    """A candidate sentence with its score and the question terms it covers."""

    turn: TurnRecord
    text: str
    score: float
    covered: frozenset[str]
    rank: int
    order: int
    hedge: bool = False  # quoted beside the best sentence as a near tie (see ``select``), never evidence


# "did he say …", "according to Lavrov": a when/where question about what someone said, not about the event.
_ASKS_WHAT_WAS_SAID = re.compile(
    r"\b(?:did|does|do|will|would|has|have|had)\s+(?:[\w'’.-]+\s+){1,6}?(?:" + "|".join(lexicon.ordered("reporting_verbs"))
    + r")\b|\baccording to\b", re.I)


def states_amount(text: str, kind: str | None, duration: bool = False, question: str = "") -> bool:
    """Whether a sentence states the amount a question asks for: of its kind (a share, a sum of money; a count of
    what the ``question`` counts) when the question asks for one, else any amount; for "how long", a duration too
    ("about a month")."""
    return states(text, kind, question) if kind else has_quantity(text) or (duration and states_duration(text))


def focus_noun(qa: QueryAnalysis) -> str | None:
    """The stemmed noun a "how many" question counts ("How many parties…" → 'parti')."""
    m = _FOCUS.search(qa.question.lower())
    if not m or m.group(1) in STOPWORDS:
        return None
    # The counted noun is plural: "how many Russian regions" counts regions, not Russians ("how many people": the
    # word itself).
    return stem(counted_noun(qa.question) or m.group(1))


def counts(words: list[str], focus: str) -> bool:
    """Whether a number stands just before the counted noun ("29 parties", "18 regions")."""
    for i, w in enumerate(words):
        if stem(w) == focus and any(_NUMBER_WORD.match(x) for x in words[max(0, i - 3) : i]):
            return True
    return False


_DETERMINER = frozenset("the a an his her their its our your this that these those my s".split())  # s: "Pamfilova's"


def _noun_like(question: str, term: str) -> bool:
    """Whether a question word reads as a thing ("the voter turnout") rather than an action ("did she reach")."""
    words = tokenize(question)
    for i, w in enumerate(words):
        if stem(w) == term and _DETERMINER & set(words[max(0, i - 2) : i]):
            return True
    return False


# The meeting's chair or moderator: the office alone ("Chair", "Acting Chair", "Moderator"), not the chair of a body
# ("Chairperson of the Central Election Commission" answers questions like anyone else).
_PRESIDING = re.compile(r"^(?:the\s+)?(?:(?:acting|deputy|vice|co-)\s*)?(?:chair|chairman|chairwoman|chairperson|moderator|speaker|presiding officer)$", re.I)


def presides(turn: TurnRecord) -> bool:
    """Whether a turn is the chair's or moderator's (who gives the floor, not the reply)."""
    return bool(_PRESIDING.match((turn.role or "").strip()) or _PRESIDING.match(turn.speaker.strip()))


def asks_who_asked(qa: QueryAnalysis) -> bool:
    """"Who asked about X?", "Which MP asked…": the answer is a question and the one who asked it."""
    return qa.wh == "who" and bool(_ASKS_ASKER.search(qa.question))


def asks_count(question: str, focus: str) -> bool:
    """Whether a question asked in the transcript counts the noun ``focus`` ("How many people live in this area?")."""
    m = _FOCUS.search(question.lower())
    return bool(m) and focus in {stem(w) for w in re.findall(r"[a-z]+", question.lower()[m.start(1):])[:3]}


# A reply that opens by agreeing ("Exactly, …", "Yes, …") with what was said before it (text/lexicon/agreement_words.txt).
_AGREES = re.compile(r"^(?:" + "|".join(re.escape(w) for w in sorted(lexicon.ordered("agreement_words"), key=len, reverse=True))
                     + r")\b(?:\s+(?:so|it is|it was))?\s*[,.!;:–-]", re.I)


def confirms(text: str) -> bool:
    """Whether a sentence opens by agreeing with what was said before it ("Exactly, it is right around the corner,
    on January 24.")."""
    return bool(_AGREES.match(text.strip().replace("’", "'")))


def terse_reply(text: str, order: int, lead: str, limit: int) -> bool:
    """Whether a sentence is a reply's short opening ("About 360,000.", "Yes, in Kazan.") to a question
    asked just before it (``lead`` ends with "?"), or to a statement it agrees with ("Your corporation is marking its
    20th anniversary in January." - "Exactly, it is right around the corner, on January 24."): it means what that
    question asks, or what that statement says."""
    if order != 0 or not 0 < limit or len(text) >= limit or not lead.strip() or text.rstrip().endswith("?"):
        return False
    return lead.rstrip().endswith("?") or confirms(text)


def month_named(text: str, months: list[int]) -> bool:
    """Whether a text names one of ``months`` (May where a date has it, not the verb)."""
    return any(MONTH_NAMES[m.group(1).lower()] in months for m in re.finditer(MONTH_PATTERN, text, re.I))


def best_by_turn(scored: list[Scored]) -> dict[str, Scored]:
    """Each turn's best-scoring sentence, by turn id (``scored`` is sorted best first)."""
    first: dict[str, Scored] = {}
    for c in scored:
        first.setdefault(c.turn.turn_id, c)
    return first


class ExtractiveAnswerer:
    """Quotes the sentences that answer the question, naming the speaker, with citations."""

    name = "extractive"

    def __init__(self, index: LoadedIndex, settings: AnswerSettings, reader: Scorer | None = None,
                 calibrator: Calibrator | None = None) -> None:
        self.index = index
        self.settings = settings
        self.reader = reader
        self.calibrator = calibrator or Calibrator()
        self._df = index.doc_freq()

    def idf(self, term: str) -> float:
        """Rarity weight of a stemmed term in the corpus."""
        n = len(self.index.passage_ids)
        return math.log(1.0 + n / (1.0 + self._df.get(term, 0)))

    def answer(self, qa: QueryAnalysis, hits: list[Hit], context: AnswerContext) -> Draft:
        """Quote the best sentences, or abstain when they do not cover the question."""
        scored = self.score_sentences(qa, hits, context.neighbours)
        if context.said:
            # "What else did he say?": what the conversation already quoted is not an answer again.
            said = [" ".join(q.split()) for q in context.said]
            scored = [c for c in scored if not any(" ".join(c.text.split()) in q for q in said)]
        strict = context.filters.get("speaker") or qa.speakers
        if strict:
            # Under a speaker filter only that speaker's sentences can answer; a neighbouring turn by someone
            # else (the reply brought along as context) must not become the best candidate and leave nothing.
            scored = [c for c in scored if c.turn.speaker in strict or reports(c.turn, strict)]
        if qa.silent and not strict:
            # What a person who never speaks here said can only be reported: by a reporter's narration.
            surnames = [re.compile(rf"\b{re.escape(n.split()[-1])}\b") for n in qa.silent]
            scored = [c for c in scored if c.turn.kind == "narration" and any(s.search(c.turn.text.lower()) for s in surnames)]
        if qa.names and self.settings.require_names:
            # Only events that mention the question's names can answer it: when some do, the others drop out.
            naming = self.naming_events(qa, scored)
            if naming:
                hits = [h for h in hits if h.turn.doc_id in naming]
                scored = [c for c in scored if c.turn.doc_id in naming]
        logits: dict[tuple[str, int], float] = {}
        widened: list[Scored] | None = None
        notes: list[str] = []
        if self.reader is not None and self.reads_turns(qa):
            # A discussion is chosen turn by turn: the reader reads each retrieved turn (as it was trained).
            turn_logits = self.read_turns(qa, hits, scored)
            chosen = self.discussion(qa, scored, turn_logits)
            logits = {(c.turn.turn_id, c.order): turn_logits[c.turn.turn_id] for c in chosen if c.turn.turn_id in turn_logits}
        else:
            logits = self.read(qa, scored) if self.reader is not None else {}
            chosen = self.exchange(qa, self.select(qa, scored), scored)
            if self.reader is not None and chosen and self.in_dialogue(qa, hits):
                # Quoted too, but the answer's evidence (and so its confidence) stays the sentences chosen.
                widened = self.widen(qa, chosen, scored, self.read_turns(qa, hits, scored))
        if strict:
            # select() may add the reply to a question; under a speaker filter only that speaker is cited.
            chosen = [c for c in chosen if c.turn.speaker in strict or reports(c.turn, strict)]
        # A near tie quoted beside the best sentence is no evidence: the confidence rests on what was chosen.
        quoted, chosen = chosen, [c for c in chosen if not c.hedge]
        support = self.support(qa, chosen)
        if not hits:
            notes.append("no turn matches the filters" if (context.filters or qa.speakers) else "nothing retrieved")
        missing = self.missing_focus(qa, chosen)
        if missing and chosen:
            notes.append(f"{UNFOCUSED} “{missing}”")
        unnamed = self.unnamed(qa, chosen)
        if unnamed:
            notes.append(f"{UNNAMED} “{unnamed}”")
        elsewhere = self.held_elsewhere(qa, chosen)
        if elsewhere:
            # "What did they discuss when they met in Paris?" is not answered by their meeting in Moscow.
            notes.append(f"{ELSEWHERE} “{elsewhere}”")
            unnamed = unnamed or elsewhere
        other_event = self.other_event(qa, chosen)
        if other_event:
            notes.append(f"{OTHER_MONTH} {other_event}")
        kind = asked_kind(qa.question)
        untyped = kind if kind and chosen and not any(states(c.text, kind, qa.question) for c in chosen) else None
        if untyped:
            notes.append(f"{UNTYPED} {untyped}")
        if qa.silent and not strict and not chosen:
            notes.append(f"“{qa.silent[0]}” never speaks in the transcripts")
        # A number, share or sum asked for: how much of the question stands beside the number quoted.
        near = self.number_context(qa, chosen, kind) if kind and chosen and not qa.discussion else None
        if near is not None:
            notes.append(f"{NUMBER_CONTEXT} {near:.2f}")
        # "How many helicopters a year…" is answered by a number of helicopters ("29 parties", "18 regions"): a
        # quote whose numbers count other things is evidence against it (a feature of the calibrated confidence).
        focus = focus_noun(qa) if near is not None and qa.wh == "how_many" else None
        uncounted = bool(focus) and not any(counts(tokenize(c.text), focus) for c in chosen)
        if uncounted:
            notes.append(f"{UNCOUNTED} “{focus}”")
        confidence = None
        if self.reader is not None:
            logit = max((logits.get((c.turn.turn_id, c.order), -10.0) for c in chosen), default=-10.0)
            # A focus word or a proper name the answer never touches, no share / sum of money where one is asked
            # for, or an event of another month than the one the question dates: one feature, a key part is missing.
            evidence = (logit, support, missing is not None or unnamed is not None or untyped is not None or other_event is not None, qa.discussion, near,
                        uncounted)
            confidence = self.calibrator.probability(*evidence)
            notes.append(f"reader {logit:.2f}")
            if qa.discussion:
                notes.append("asks for a discussion")
        if confidence is not None:
            # With the reader, support is a feature of the calibrated confidence.
            threshold = self.calibrator.threshold_for(qa.discussion, near is not None) if self.settings.min_confidence is None else self.settings.min_confidence
            doubtful = confidence < threshold
        else:
            doubtful = support < self.settings.abstain_threshold
        # A missing focus word is a feature of the calibrated confidence; without the reader it is a rule.
        unfocused = (missing is not None or untyped is not None or other_event is not None) and self.settings.require_focus and confidence is None
        if not chosen or doubtful or (unnamed and self.settings.require_names) or unfocused:
            text, related = self.abstention(qa, scored)
            # The confidence of an abstention: that the transcripts do not answer.
            conf = None if confidence is None else self.calibrator.reported(self.calibrator.abstention(*evidence))
            return Draft(text, [], True, self.name, related=related, notes=notes, support=support, confidence=conf)
        chosen = quoted
        if widened is not None:
            chosen = [c for c in widened if not strict or c.turn.speaker in strict or reports(c.turn, strict)]
        text, citations = self.compose(qa, self.continued(chosen, scored))
        reported = None if confidence is None else self.calibrator.reported(confidence)
        return Draft(text, citations, False, self.name, notes=notes, support=support, confidence=reported)

    def read(self, qa: QueryAnalysis, scored: list[Scored]) -> dict[tuple[str, int], float]:
        """Re-score the best candidate sentences with the learned reader; re-sort ``scored`` in place.

        Returns each shortlisted sentence's reader logit by (turn id, sentence number).
        """
        assert self.reader is not None
        by_pos = {(s.turn.turn_id, s.order): s for s in scored}
        shortlist: list[Scored] = []
        seen: set[str] = set()
        for c in scored:
            key = " ".join(c.text.split()).lower()
            if key in seen or (len(c.text) < self.settings.short_sentence_chars and not self.is_terse_reply(c)):
                continue
            seen.add(key)
            shortlist.append(c)
            if len(shortlist) >= self.settings.reader_candidates:
                break
        if not shortlist:
            return {}
        texts = []
        for c in shortlist:
            prev = by_pos.get((c.turn.turn_id, c.order - 1))
            if prev is not None:
                texts.append(reader_text(self.label(qa, c.turn), c.text, prev.text))
                continue
            # A turn's first sentence is read with what introduces it: a reporter's lead-in for a quote
            # ("He touched on electronic voting too:"), or the question a reply answers.
            lead = self.index.lead_in(c.turn) or self.previous_words(c.turn)
            lead = lead[-300:] if lead and (c.turn.kind == "quote" or lead.rstrip().endswith("?") or self.is_terse_reply(c)) else ""
            texts.append(format_text(self.label(qa, c.turn), f"{lead} {c.text}" if lead else c.text))
        logits = [float(x) for x in self.reader.score(qa.question, texts)]
        out: dict[tuple[str, int], float] = {}
        listed = {id(c) for c in shortlist}
        for c, logit in zip(shortlist, logits):
            out[(c.turn.turn_id, c.order)] = logit
            c.score += self.settings.reader_weight / (1.0 + math.exp(-logit))
        # Sentences the reader did not read rank below those it did.
        scored.sort(key=lambda s: (id(s) not in listed, -s.score))
        return out

    @staticmethod
    def label(qa: QueryAnalysis, turn: TurnRecord) -> str:
        """Who speaks, as the reader reads it: the way the question names the person asked about. A question that
        names them by role ("What did the acting governor of the Tomsk Region tell…") is read against the name
        and the role; one that names them, or nobody, against the name alone."""
        return speaker_label(turn.speaker, turn.role) if qa.by_role else turn.speaker

    def is_terse_reply(self, c: Scored) -> bool:
        """Whether a sentence is the short opening of a reply to a question asked just before it."""
        return c.order == 0 and terse_reply(c.text, 0, self.index.lead_in(c.turn) or self.previous_words(c.turn), self.settings.reply_chars)

    def reads_turns(self, qa: QueryAnalysis) -> bool:
        """Whether the reader reads whole turns rather than sentences: for a question asking for a
        discussion or a stance, whose answer runs over turns (see ``read_turns``)."""
        return self.settings.read_turns in ("discussion", "dialogue") and qa.discussion

    def in_dialogue(self, qa: QueryAnalysis, hits: list[Hit]) -> bool:
        """An open what/why question over a dialogue (the retrieved turns are short speeches): see ``read_turns``."""
        if self.settings.read_turns != "dialogue" or qa.wh not in ("what", "why") or not hits:
            return False
        top = [h.turn for h in hits[: self.settings.reader_turns]]
        sizes = sorted(len(t.text) for t in top)
        return all(t.kind == "speech" for t in top) and sizes[len(sizes) // 2] <= self.settings.turn_window_chars

    def widen(self, qa: QueryAnalysis, chosen: list[Scored], scored: list[Scored], turn_logits: dict[str, float]) -> list[Scored]:
        """The chosen answer, followed by the turns of its event the reader rates best (within
        ``discussion_margin`` of the best, up to ``discussion_turns`` turns in all), each by its best sentence.

        In a dialogue what was said about something runs over several short turns; the answer and its
        confidence stay those of the sentence chosen first."""
        w = self.settings
        first = best_by_turn(scored)
        doc = chosen[0].turn.doc_id
        have = {c.turn.turn_id for c in chosen}
        ranked = sorted((t for t in turn_logits if t in first and first[t].turn.doc_id == doc), key=lambda t: -turn_logits[t])
        if not ranked:
            return chosen
        top = turn_logits[ranked[0]]
        extra = [first[t] for t in ranked if t not in have and turn_logits[t] >= top - w.discussion_margin]
        return chosen + extra[: max(0, w.discussion_turns - len(have))]

    def turn_window(self, turn: TurnRecord, scored: list[Scored]) -> str:
        """What the reader reads of a turn: all of it when short, else from its best sentence on.

        The reader was trained on whole turns cut at 128 word pieces; a long turn (a speech) would be
        read only from its opening, so it is read from the sentence that scores best in it instead,
        with the sentences after it, up to ``turn_window_chars``.
        """
        limit = self.settings.turn_window_chars
        text = turn.text.strip()
        if len(text) <= limit:
            return text
        spans = sentence_spans(turn.text)
        best = next((c for c in scored if c.turn.turn_id == turn.turn_id), None)
        j = best.order if best is not None and best.order < len(spans) else 0
        start, end = spans[j][0], spans[j][1]
        for s_, e_ in spans[j + 1 :]:
            if e_ - start > limit:
                break
            end = e_
        return turn.text[start:end].strip()

    def read_turns(self, qa: QueryAnalysis, hits: list[Hit], scored: list[Scored]) -> dict[str, float]:
        """Reader logits for the best ``reader_turns`` retrieved turns, each read whole (or its best window)."""
        assert self.reader is not None
        turns = [h.turn for h in hits[: self.settings.reader_turns] if h.neighbour_of is None]
        turns = [t for t in turns if len(t.text.strip()) >= self.settings.short_sentence_chars]
        if not turns:
            return {}
        texts = [format_text(self.label(qa, t), self.turn_window(t, scored)) for t in turns]
        return {t.turn_id: float(x) for t, x in zip(turns, self.reader.score(qa.question, texts))}

    def discussion(self, qa: QueryAnalysis, scored: list[Scored], turn_logits: dict[str, float]) -> list[Scored]:
        """The exchange that answers a question asking for a discussion or a stance, chosen turn by turn.

        The turn the reader rates best, and up to ``discussion_turns`` - 1 more of the same event that
        it rates within ``discussion_margin`` (logits) of it, by the person asked about when there is
        one; each is quoted by its best sentence (the best turn with the sentences after it). The best
        turn leads; the others follow in the order they were spoken.
        """
        w = self.settings
        first = best_by_turn(scored)
        ranked = sorted((tid for tid in turn_logits if tid in first), key=lambda tid: -turn_logits[tid])
        if qa.speakers:
            ranked = [tid for tid in ranked if first[tid].turn.speaker in qa.speakers or reports(first[tid].turn, qa.speakers)]
        if not ranked:
            return self.exchange(qa, self.select(qa, scored), scored)
        top = first[ranked[0]]
        picks = [tid for tid in ranked if first[tid].turn.doc_id == top.turn.doc_id and turn_logits[tid] >= turn_logits[ranked[0]] - w.discussion_margin]
        picks = picks[: w.discussion_turns]
        # The turn is what the reader read and what is cited: the question's words it covers anywhere
        # count (as context, at half weight, where the quoted sentence lacks them).
        in_turn: dict[str, frozenset[str]] = {}
        for c in scored:
            if c.turn.turn_id in picks:
                in_turn[c.turn.turn_id] = in_turn.get(c.turn.turn_id, frozenset()) | c.covered
        chosen: list[Scored] = []
        for tid in sorted(picks, key=lambda t: first[t].turn.n):
            best = replace(first[tid], covered=in_turn[tid])
            chosen.append(best)
            if tid == top.turn.turn_id:
                chosen += self.following(best, scored)
        chosen.sort(key=lambda c: (c.turn.turn_id != top.turn.turn_id, c.turn.n, c.order))
        return self.with_context(chosen, scored)

    def score_sentences(self, qa: QueryAnalysis, hits: list[Hit], extra: list[TurnRecord]) -> list[Scored]:
        """Every sentence of the candidate turns, scored against the question."""
        w = self.settings
        terms = list(dict.fromkeys(qa.terms))
        weights = {t: self.idf(t) for t in terms}
        total = sum(weights.values()) or 1.0
        # "At the February 2016 meeting, what rate did Putin give for 2012?": the years that date the event say
        # where to look, not what the sentence is about; the other years (2012) are what it must be about.
        # A year that bounds a period ("since 2014", "in 2016-2025") is no year of its own either: the period may
        # run up to the event.
        event_years = {y for y, _ in qa.event_months if y} | {int(d[:4]) for d in qa.event_days}
        bounds = {int(y) for m in _PERIOD_YEAR.findall(qa.question) for y in m if len(y) == 4}
        # A year given relative to a named one ("in March 2018, how much had Russia exported the previous year?") is
        # a year the sentence must be about too; when the named year only dates the event, the relative one alone.
        wanted_years = ((set(qa.years) - event_years - bounds) | {y for _, y in qa.relative_years}) or set(qa.years)
        focus = focus_noun(qa)
        duration = asks_duration(qa.question)
        change = bool(_ASKS_CHANGE.search(qa.question))
        qv = self.index.embed_query(qa.question)
        cands: list[tuple[TurnRecord, str, int, int, str]] = []
        about: dict[tuple[str, int], frozenset[int] | None] = {}  # None: no year known (an undated turn naming none)
        turns = [(h.turn, r) for r, h in enumerate(hits)] + [(t, len(hits)) for t in extra]
        seen: set[str] = set()
        for turn, rank in turns:
            if turn.turn_id in seen:
                continue
            seen.add(turn.turn_id)
            turn_lead = self.index.lead_in(turn) or self.previous_words(turn)
            lead = turn_lead
            # A sentence that names no year is also about the years the speaker named before it: "…the floods
            # that hit Altai Territory in 2014. … In 2015, we completed … In total, the state spent 7.7 billion
            # rubles" is about 2014 too. A sentence that names its own years is about those.
            named_before: frozenset[int] = frozenset()
            said_in = frozenset({doc_year(turn.date)} - {None})  # a sentence is about the year it was said in
            for j, (s, e) in enumerate(sentence_spans(turn.text)):
                text = turn.text[s:e].strip()
                named = years_named(text, turn.date)
                cands.append((turn, text, rank, j, lead))
                years = named | said_in | (frozenset() if named else named_before)
                about[(turn.turn_id, j)] = years if years or turn.date else None
                named_before |= named
                # After a bare "Yes." the reply still answers the question before it.
                lead = f"{text} {turn_lead}" if j == 0 and len(text) < 25 else text
        if not cands:
            return []
        # A terse reply ("About 360,000.") means what the question it answers asks ("How many people live
        # in this area?"): it is read, and its words counted, together with that question.
        read_as = [f"{lead} {text}" if terse_reply(text, j, lead, w.reply_chars) else text for _, text, _, j, lead in cands]
        vecs = self.index.embedder.encode(read_as)
        sims = vecs @ qv
        out = []
        for (turn, text, rank, j, lead), meant, sim in zip(cands, read_as, sims):
            known = about[(turn.turn_id, j)]
            if wanted_years and known is not None and not known & wanted_years:
                continue  # "in 2022" is not answered by what was said of 2017 (nor ruled out by a date nobody gave)
            words = tokenize(text)
            toks = {stem(t) for t in tokenize(meant)}
            # The event, the speaker and the sentence before ("He touched on electronic voting too:")
            # tell what a sentence is about; words found only there count half.
            context = {stem(t) for t in tokenize(f"{turn.speaker} {turn.role} {turn.title} {turn.place} {lead}")}
            covered = frozenset(t for t in terms if t in toks or t in context)
            in_sentence = sum(weights[t] for t in covered if t in toks)
            coverage = (in_sentence + w.context_weight * sum(weights[t] for t in covered if t not in toks)) / total
            bonus = 0.0
            if qa.wh == "how_many" and (NUMBER_WORDS.search(text) or (duration and states_duration(text))):
                bonus = w.number_bonus
                if change and _CHANGE.search(text):  # "by how much did it grow" → "grew by 19.7 percent"
                    bonus += w.change_bonus
                if focus and (counts(words, focus) or (meant != text and asks_count(lead, focus))):
                    # "how many parties" → "29 parties"; "How many people live there?" → "About 360,000."
                    bonus += w.counted_noun_bonus
            elif qa.wh == "when" and _DATEISH.search(text):
                bonus = w.date_bonus
            elif qa.wh == "why":
                # "because", "due to", "failed to"; or the reply to "What are the reasons?"
                bonus = w.reason_bonus if _CAUSE.search(text) or ("?" in lead and _CAUSE.search(lead)) else -w.no_reason_penalty
            if qa.months and (turn.date[5:7].isdigit() and int(turn.date[5:7]) in qa.months or month_named(text, qa.months)):
                bonus += w.month_bonus
            if turn.kind == "narration" and text.endswith(":"):
                bonus -= w.lead_in_penalty  # a reporter's lead-in ("He touched on electronic voting too:"): the quote after it answers
            elif turn.kind == "narration" and (qa.speakers or qa.likely):
                bonus -= w.paraphrase_penalty  # "What did Putin say…": his own words before a reporter's paraphrase
            if len(text) < w.short_sentence_chars and meant == text:  # "Thank you." answers nothing
                bonus -= w.short_sentence_penalty
            score = coverage + w.meaning_weight * float(sim) + bonus + w.rank_weight / (rank + 1)
            out.append(Scored(turn, text, score, covered, rank, j))
        out.sort(key=lambda s: -s.score)
        return out

    def previous_words(self, turn: TurnRecord) -> str:
        """The last sentence of the turn before: in a dialogue, what a reply answers ("Where's the vent?")."""
        prev = self.index.turn_at(turn.doc_id, turn.n - 1)
        if prev is None:
            return ""
        spans = sentence_spans(prev.text)
        if not spans:
            return ""
        start = spans[-1][0]
        if prev.text.rstrip().endswith("?"):
            # A question takes a few sentences to ask ("…who were refused registration. What are the
            # reasons for this? Could it be due to improper documentation?"): take up to 400 characters.
            for s, _ in reversed(spans[:-1]):
                if spans[-1][1] - s > 400:
                    break
                start = s
        return prev.text[start : spans[-1][1]]

    def support(self, qa: QueryAnalysis, chosen: list[Scored]) -> float:
        """Share of the question's (rarity-weighted) words the chosen sentences cover."""
        terms = list(dict.fromkeys(qa.terms))
        if not terms:
            return 1.0 if chosen else 0.0
        said: set[str] = set()
        context: set[str] = set()
        for c in chosen:
            toks = {stem(t) for t in tokenize(c.text)}
            said |= {t for t in c.covered if t in toks}
            context |= c.covered
        weights = {t: self.idf(t) for t in terms}
        # A word matched only by the event's title or the speaker's name counts half.
        got = sum(weights[t] for t in said) + self.settings.context_weight * sum(weights[t] for t in context - said)
        return got / (sum(weights.values()) or 1.0)

    def number_context(self, qa: QueryAnalysis, chosen: list[Scored], kind: str) -> float:
        """How much of the question (rarity-weighted) stands within ``number_window`` words of a number the chosen
        sentences state (see :func:`answer_types.number_context`). Words the quoted turns' speaker, role, event title
        or place already carry are left out: they say nothing of what the number counts. ``kind``: what the question
        asks for (``asked_kind``); for how many times, an ordinal counts ("our 37th meeting")."""
        known: set[str] = set()
        for c in chosen:
            known |= {stem(w) for w in tokenize(" ".join(x or "" for x in (c.turn.speaker, c.turn.role, c.turn.title, c.turn.place)))}
        weights = {t: self.idf(t) for t in dict.fromkeys(qa.terms) if t not in known}
        # For a count, what states none is no number here either: "72 projects" for how many helicopters, a
        # multiple ("three-fold"). A span of time stays: its words may be the question's ("the first eight months").
        # For a sum of money, an amount that counts a thing ("400 million views") or is another thing's value or total
        # ("rubles worth of orders", "losses, which total …") states none either.
        texts = [counts_only(c.text, qa.question, spans=False) if kind == NUMBER else money_only(c.text, qa.question) if kind == MONEY
                 else c.text for c in chosen]
        return number_context(texts, weights, self.settings.number_window, ordinals=kind == TIMES)

    def missing_focus(self, qa: QueryAnalysis, chosen: list[Scored]) -> str | None:
        """What the question is about that the chosen sentences never touch, if anything.

        The topic of "about X" must be covered; so must a word that carries most of the
        question's weight on its own ("What was the voter *turnout*…").
        """
        covered = set().union(*(c.covered for c in chosen)) if chosen else set()
        if qa.topic and not covered & set(qa.topic):
            return " ".join(qa.topic)
        terms = list(dict.fromkeys(qa.terms))
        if len(terms) >= 2:
            weights = {t: self.idf(t) for t in terms}
            key = max(terms, key=lambda t: weights[t])
            if key not in covered and weights[key] >= self.settings.focus_share * sum(weights.values()) and _noun_like(qa.question, key):
                return key
        return None

    def other_event(self, qa: QueryAnalysis, chosen: list[Scored]) -> str | None:
        """The month the question dates its event by ("at their meeting in January 2018") when no quoted turn's
        event is of that month, else None."""
        if not qa.event_months or not chosen:
            return None
        dated = {(int(c.turn.date[:4]), int(c.turn.date[5:7])) for c in chosen if re.match(r"\d{4}-\d{2}", c.turn.date or "")}
        if not dated or any((y, m) in dated or (not y and m in {d[1] for d in dated}) for y, m in qa.event_months):
            return None
        year, month = qa.event_months[0]
        return f"{MONTH_FULL[month - 1]} {year}" if year else MONTH_FULL[month - 1]

    def held_elsewhere(self, qa: QueryAnalysis, chosen: list[Scored]) -> str | None:
        """The place the question says its event was held in ("when they met in Paris") when every quoted event was
        held somewhere else (its place and title say where), else None."""
        held = [f" {words_only(fold_latin(f'{c.turn.place} {c.turn.title}'))} " for c in chosen if c.turn.place]
        if not qa.event_places or not held or len(held) < len(chosen):
            return None
        # A place by any of its names, as words: "St Petersburg" is held in "Saint Petersburg", "Kyiv" in "Kiev".
        if any(f" {form} " in h for p in qa.event_places for form in place_forms(p) for h in held):
            return None
        return qa.event_places[0]

    def naming_events(self, qa: QueryAnalysis, scored: list[Scored]) -> set[str]:
        """The candidate events (documents) that mention every proper name of the question."""
        return naming_documents(self.index, qa.names, (c.turn.doc_id for c in scored))

    def unnamed(self, qa: QueryAnalysis, chosen: list[Scored]) -> str | None:
        """A proper name of the question ("Portugal", "Wagner") that no event quoted ever mentions, if any."""
        return unmentioned(self.index, qa.names, (c.turn.doc_id for c in chosen))

    def select(self, qa: QueryAnalysis, scored: list[Scored]) -> list[Scored]:
        """The best sentence, plus sentences that cover what it leaves out (multi-part questions), plus a near tie."""
        chosen = self.choose(qa, scored)
        share = self.settings.runner_up_share
        if share and chosen and len(scored) > 1:
            # The next-best sentence, by the same speaker at the same event, scores nearly as well: the scores
            # cannot tell the two apart, so both are quoted rather than a guess (the confidence stays the best's).
            best, second = scored[0], scored[1]
            have = {(c.turn.turn_id, c.order) for c in chosen}
            if ((best.turn.turn_id, best.order) in have and (second.turn.turn_id, second.order) not in have
                    and second.turn.doc_id == best.turn.doc_id and second.turn.speaker == best.turn.speaker
                    and second.score >= share * best.score):
                chosen = chosen + [replace(second, hedge=True)]
        return chosen

    def choose(self, qa: QueryAnalysis, scored: list[Scored]) -> list[Scored]:
        """The best sentence, plus sentences that cover what it leaves out (multi-part questions)."""
        if not scored:
            return []
        best = scored[0]
        chosen = [best]
        covered = set(best.covered)
        if asks_who_asked(qa) and not is_question(best.text):
            # "Who asked about the cost of ferry tickets?": the best sentence is a reply; its question answers.
            asked = self.question_before(best)
            if asked is not None:
                return [asked, best]
        if best.text.rstrip().endswith("?") or self.asked_for_reply(qa, best):
            # A question asked in a turn is answered by the next speaker: quote the reply too (not the chair's
            # "The hon. minister, in 30 seconds or less, please." between them).
            nxt = self.index.turn_at(best.turn.doc_id, best.turn.n + 1)
            for step in (2, 3):
                if nxt is None or not presides(nxt):
                    break
                nxt = self.index.turn_at(best.turn.doc_id, best.turn.n + step)
            if nxt and nxt.speaker != best.turn.speaker and not presides(nxt):
                spans = sentence_spans(nxt.text)
                if spans:
                    s, e = spans[0]
                    reply = nxt.text[s:e].strip()
                    if len(reply) < 40 and len(spans) > 1:  # "Yes." alone says little
                        reply = nxt.text[s:spans[1][1]].strip()
                    chosen.append(Scored(nxt, reply, best.score, frozenset(), best.rank, 0))
                    return chosen
        kind = asked_kind(qa.question)
        duration = asks_duration(qa.question)
        if (qa.wh == "how_many" or kind) and not states_amount(best.text, kind, duration, qa.question):
            # A quantity question is answered by a sentence that states one (for "how much did the state spend",
            # a sum of money; for "what share", a share): a close runner-up that does wins.
            alt = next((c for c in scored[1 : self.settings.reader_candidates] if states_amount(c.text, kind, duration, qa.question)), None)
            if alt is not None and alt.score >= self.settings.quantity_alternative * best.score:
                if alt.turn.turn_id == best.turn.turn_id and alt.order == best.order + 1:
                    # The amount comes right after the sentence that names its subject ("…we began the
                    # M-12 Motorway, Moscow–Kazan. The start was signalled last July; 800 kilometres."): both.
                    chosen = [best, alt]
                    covered |= alt.covered
                else:
                    best = alt
                    chosen = [best]
                    covered = set(best.covered)
        context = 0
        if qa.wh in ("what", "why"):
            # "What did she say about X?" wants the passage, not one sentence: the sentences that follow
            # (context: they take no place from a sentence that covers what the best one misses).
            after = self.following(best, scored)
            chosen += after
            context = len(after)
            covered = set().union(*(c.covered for c in chosen))
        if self.support(qa, chosen) >= self.settings.complete_support:
            return self.with_context(chosen, scored)
        for cand in scored[1:]:
            if any(cand.turn.turn_id == c.turn.turn_id and cand.order == c.order for c in chosen):
                continue
            if len(chosen) - context >= self.settings.max_sentences:
                break
            if cand.turn.doc_id != best.turn.doc_id:
                continue  # the parts of one question come from one event, not a patchwork of meetings
            new = cand.covered - covered
            if new and (cand.score >= self.settings.part_share * best.score) and sum(self.idf(t) for t in new) >= self.settings.part_min_idf:
                chosen.append(cand)
                covered |= cand.covered
        return self.with_context(chosen, scored)

    def asked_for_reply(self, qa: QueryAnalysis, best: Scored) -> bool:
        """Whether the question asks what someone answered ("When a journalist asked Putin about the car, what did
        he answer?") and the best sentence is the asking, not the answer: its turn ends in a question, or it is by
        nobody the question names while the next turn is by someone it names."""
        if not REPLY.search(main_clause(qa.question)):
            return False
        if best.turn.text.rstrip().endswith("?"):
            return True
        named = set(qa.speakers) | set(qa.likely) | set(qa.mentioned)
        nxt = self.index.turn_at(best.turn.doc_id, best.turn.n + 1)
        return best.turn.speaker not in named and nxt is not None and nxt.speaker in named

    def question_before(self, reply: Scored) -> Scored | None:
        """The question a reply's turn answers (the last sentences of the turn before, by someone else), if any."""
        prev = self.index.turn_at(reply.turn.doc_id, reply.turn.n - 1)
        if prev is None or prev.speaker == reply.turn.speaker or not prev.text.rstrip().endswith("?"):
            return None
        words = self.previous_words(reply.turn)
        spans = sentence_spans(prev.text)
        start = prev.text.rfind(words)
        order = next((j for j, (s, _) in enumerate(spans) if s >= start), len(spans) - 1) if start >= 0 else len(spans) - 1
        return Scored(prev, words, reply.score, reply.covered, reply.rank, order)

    def exchange(self, qa: QueryAnalysis, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
        """A question asking for a discussion or a stance gets the exchange, not one remark.

        The best sentences of up to ``discussion_turns`` turns of the best one's event are quoted
        (by the person asked about, when there is one), each scoring at least ``discussion_share``
        of the best: a meeting's discussion of a topic runs over several turns, and one sentence
        that mentions the topic in passing is a poor summary of it.
        """
        if not qa.discussion or not chosen:
            return chosen
        w = self.settings
        best = chosen[0]
        turns = {c.turn.turn_id for c in chosen}
        for cand in scored[1:]:
            if len(turns) >= w.discussion_turns:
                break
            if cand.turn.turn_id in turns or cand.turn.doc_id != best.turn.doc_id or len(cand.text) < w.short_sentence_chars:
                continue
            if qa.speakers and cand.turn.speaker not in qa.speakers:
                continue
            if cand.score >= w.discussion_share * best.score:
                chosen.append(cand)
                turns.add(cand.turn.turn_id)
        return chosen

    def following(self, best: Scored, scored: list[Scored], limit: int | None = None) -> list[Scored]:
        """Up to two sentences after ``best`` in its turn, while the quote stays short."""
        limit = limit or self.settings.passage_chars
        by_pos = {(s.turn.turn_id, s.order): s for s in scored}
        out: list[Scored] = []
        size = len(best.text)
        for k in (1, 2):
            # A sentence the candidates left out (it never names the year asked about) still continues the passage.
            nxt = by_pos.get((best.turn.turn_id, best.order + k)) or self.sentence_at(best.turn, best.order + k)
            if nxt is None or size + len(nxt.text) > limit:
                break
            out.append(Scored(nxt.turn, nxt.text, best.score, nxt.covered, best.rank, nxt.order))
            size += len(nxt.text)
        return out

    @staticmethod
    def sentence_at(turn: TurnRecord, order: int) -> Scored | None:
        """Sentence ``order`` of a turn as an unscored candidate (None past its end)."""
        spans = sentence_spans(turn.text)
        if order < 0 or order >= len(spans):
            return None
        s, e = spans[order]
        return Scored(turn, turn.text[s:e].strip(), 0.0, frozenset(), 0, order)

    def with_context(self, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
        """Add the sentence before any chosen sentence that leans on it ("Of these, …", "It increased…")."""
        by_pos = {(s.turn.turn_id, s.order): s for s in scored}
        have = {(c.turn.turn_id, c.order) for c in chosen}
        out: list[Scored] = []
        for c in chosen:
            prev = by_pos.get((c.turn.turn_id, c.order - 1))
            if c.order > 0 and leans_on_previous(c.text) and prev is not None and (c.turn.turn_id, c.order - 1) not in have:
                out.append(Scored(prev.turn, prev.text, c.score, prev.covered, c.rank, prev.order, c.hedge))
                have.add((c.turn.turn_id, c.order - 1))
            out.append(c)
        return out

    def continued(self, chosen: list[Scored], scored: list[Scored]) -> list[Scored]:
        """Add the sentence after a quoted run when it carries on its subject ("I would like to present you
        with a book. It is called the Government Inspector."): what the quote introduces is then said.

        Only the quote grows; the sentences chosen, and so the confidence, stay as they were.
        """
        by_pos = {(s.turn.turn_id, s.order): s for s in scored}
        have = {(c.turn.turn_id, c.order) for c in chosen}
        out = list(chosen)
        for c in chosen:
            key = (c.turn.turn_id, c.order + 1)
            nxt = by_pos.get(key) or self.sentence_at(c.turn, c.order + 1)
            if nxt is None and c.turn.kind == "narration":
                # A reporter's paraphrase ("As Putin noted, there are over 20 electronic services…") goes on in
                # the quote that follows it ("They provide a new level of accessibility…").
                after = self.index.turn_at(c.turn.doc_id, c.turn.n + 1)
                if after is not None and after.kind == "quote":
                    nxt = self.sentence_at(after, 0)
                    key = (after.turn_id, 0)
            if key in have or nxt is None or not leans_on_previous(nxt.text, connectives=False) or is_question(nxt.text):
                continue
            out.append(Scored(nxt.turn, nxt.text, c.score, nxt.covered, c.rank, nxt.order))
            have.add(key)
        return out

    def compose(self, qa: QueryAnalysis, chosen: list[Scored]) -> tuple[str, list[Citation]]:
        """Answer text with [n] markers, one citation per turn quoted (see :mod:`compose`)."""
        by_turn: dict[str, list[Scored]] = {}
        for c in chosen:
            by_turn.setdefault(c.turn.turn_id, []).append(c)
        parts = []
        for sents in by_turn.values():
            sents = sorted(sents, key=lambda x: x.order)
            # Sentences of one turn that were not said one after the other are quoted with "…" between them.
            texts = [t for i, x in enumerate(sents) for t in ((["…"] if i and x.order > sents[i - 1].order + 1 else []) + [x.text])]
            parts.append(Quoted(self.introduced(sents[0].turn), texts, self.asked(sents[0], quoted=set(by_turn))))
        # A who-question leads with the person only when it asks who spoke; "Who is chairing the CIS?" is answered
        # by what the quote says, so the quote leads. So is a when/where question about what someone said
        # ("Where did he say he would like to go?", "On what date, according to Lavrov, did they reply?"): the
        # event's own date and place are no answer to it.
        wh = qa.wh
        if (wh == "who" and not asks_who_spoke(qa.question)) or (wh in ("when", "where") and _ASKS_WHAT_WAS_SAID.search(qa.question)):
            wh = "what"
        return compose(parts, wh)

    def introduced(self, turn: TurnRecord) -> TurnRecord:
        """The turn with the role its speaker introduced themselves by at the event, when the record gives none
        ("Alexander Yunashev, Life. Mr President, …" opening their first turn: a journalist's outlet), for the
        attribution and the citation."""
        if turn.role or turn.kind != "speech":
            return turn
        said = introduced_at(self.index, turn.doc_id, turn.speaker)
        return replace(turn, role=said) if said else turn

    def asked(self, c: Scored, quoted: set[str]) -> str:
        """For a terse reply, the question it answers and who asked it ('by Eva Stone “How many…?”'); '' when
        it is no terse reply or the question is quoted already (``quoted``: the turn ids quoted)."""
        if self.index.lead_in(c.turn) or not self.is_terse_reply(c):
            return ""
        question = self.question_before(c)
        if question is None or question.turn.turn_id in quoted:
            return ""
        spans = sentence_spans(question.text)
        # The question itself, not the small talk before it ("Okay. Could I ask about …? What are they?").
        start = next((s for s, e in spans if question.text[s:e].rstrip().endswith("?")), 0)
        return f"by {question.turn.speaker} “{question.text[start:].strip()}”"

    def abstention(self, qa: QueryAnalysis, scored: list[Scored]) -> tuple[str, list[Citation]]:
        """The abstention text and the closest turns, offered as related (not support)."""
        subject = qa.question.strip().rstrip("?")
        people = one_spelling(qa.speakers)
        who = f" {', '.join(people[:3])}{' or others' if len(people) > 3 else ''}" if people else ""
        text = f"{ABSTAIN_PREFIX} this: nothing in the indexed turns{(' by' + who) if who else ''} answers “{subject}?”"
        related: list[Citation] = []
        seen: set[str] = set()
        for s in scored:
            if s.turn.turn_id in seen:
                continue
            seen.add(s.turn.turn_id)
            related.append(Citation.from_turn(len(related) + 1, s.turn, s.text))
            if len(related) >= 3:
                break
        return text, related
