"""Conversation: follow-ups resolved against the conversation's state.

Each answer leaves structured state in its history message (:meth:`Answer.history_message`): the
standalone question it answered, the people and documents it cited, the years, the cited turns.
A follow-up applies it: an elliptical one ("And in 2017?", "What was it the year before?") is the
last question with its time changed; "What did she say next?" asks for the turn after the last
cited one; one that leans on a person or topic ("he", "it", "what else") carries them over, and
"what else" / "besides that" asks for something the last answer did not already quote.
With a generative model, LlamaIndex-style condensing runs with ``prompts/condense.txt``; its
output is checked to keep the people and dates of the heuristic rewrite, and dropped when it drifts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.ask.answerers.extractive import focus_noun
from assistant.ask.parts import PERSON_PRONOUN, with_counted_noun, with_person
from assistant.ask.query import AUXILIARY, REPLY, analyse
from assistant.prompts import load_prompt
from assistant.settings import Settings
from assistant.text.dates import MONTH_PATTERN, YEAR_PATTERN, looks_back, question_years, year_offset
from assistant.text.tokens import STOPWORDS, content_terms, stem

_PRONOUN_THING = re.compile(r"\b(it|this|that|them|these|those)\b(?!\s+(?:is|was|the)\b)", re.I)
_LEANS = re.compile(r"^\s*(and|also|what else|anything else|what about|how about|and what|but|so)\b|\belse\b|\bthere\b|\bthen\b", re.I)
_ABOUT = re.compile(r"\babout (.+?)(?=\?|$|\s+in (?:19|20)\d\d|\s+in (?:january|february|march|april|may|june|july|august|september|october|november|december)\b)", re.I)


@dataclass
class ConversationState:
    """What the last answer was about, as its history message recorded it."""

    question: str
    people: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    turns: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    abstained: bool = False

    @classmethod
    def last(cls, history: list[dict[str, Any]]) -> "ConversationState | None":
        """The state of the last assistant message that carries one."""
        for m in reversed(history):
            if m.get("role") == "assistant" and isinstance(m.get("state"), dict):
                st = m["state"]
                return cls(question=str(st.get("question", "")), people=list(st.get("people") or []),
                           documents=list(m.get("documents") or []), turns=list(st.get("turns") or []),
                           quotes=[str(q) for q in st.get("quotes") or []],
                           years=[int(y) for y in st.get("years") or []], abstained=bool(st.get("abstained")))
            if m.get("role") == "assistant":
                return None
        return None


@dataclass
class FollowUp:
    """A follow-up resolved: the standalone question to search, documents to prefer, or a turn to continue."""

    search: str
    prefer: list[str] = field(default_factory=list)
    next_of: str | None = None  # "what did she say next": the turn whose successor answers
    same_speaker: bool = True
    reply_by: str | None = None  # "What did Putin reply?": the next turn by this person (None: by anyone else)
    reply: bool = False  # the next turn answers as a reply: by reply_by, or by someone other than the last speaker
    event_of: str | None = None  # "When was that?", "Where did they meet?": the event of this turn answers
    said: list[str] = field(default_factory=list)  # "what else": what the last answer quoted, not to be quoted again
    # The documents are preferred only because the question names nothing of its own, not because it leans on the
    # last answer (no pronoun, no "that meeting", nothing rewritten): when they do not answer, the whole corpus may.
    soft: bool = False


# What is left of an elliptical follow-up once its time is taken out: nothing that says what is asked.
_ELLIPSIS_WORDS = re.compile(r"\b(and|what|about|how|many|much|was|were|is|it|that|this|then|in|the|year|before|after|earlier|later|previous|preceding|prior|last|next|following|so|for|of|a)\b", re.I)
# "What else did he say about trade?", "Anything besides that?": more than the last answer quoted.
_MORE = re.compile(r"\b(?:else|besides|apart from (?:that|this)|other than (?:that|this)|in addition)\b", re.I)
_NEXT = re.compile(r"\b(next|after that|afterwards|then|go on|continue|add)\b", re.I)
# What a when/where follow-up may say besides its question word and still ask only when or where the last
# answer's event was ("When was that?", "Where did they meet?", "When did this meeting take place?").
_EVENT_TALK = re.compile(r"\b(?:that|this|it|they|he|she|the|and|was|were|is|did|does|do|meet|met|meeting|talks?|conversation|"
                         r"event|take|took|place|happen(?:ed)?|held|hold|interview|conference|exchange|so)\b", re.I)
# "Why?", "How?": the last question asked again with this question word.
_BARE_WH = re.compile(r"^\s*(?:(?:and|but|so)\s+)?(why|how)\s*\??\s*$", re.I)
_PREDICATE = re.compile(r"\b" + AUXILIARY + r".*$", re.I)
# "What did the other side say?", "And his counterpart?": the other main speaker of the event last quoted.
_OTHER_SIDE = re.compile(r"\b(?:the other (?:side|party|leader|president)|(?:his|her|their|the) counterpart)\b", re.I)
_EVENT_ASK = re.compile(r"^\s*(?:and\s+)?(?:when|where|on what date|what date|in which city|in what city)\b", re.I)


def elliptical(question: str, last: str = "") -> bool:
    """Whether a question only changes the time of the last one ("And in 2017?", "What was it the year before?"),
    naming nothing the last question did not ("What was the programme the year before?" after a question about
    the investment programme)."""
    rest = re.sub(YEAR_PATTERN, " ", question)
    rest = _ELLIPSIS_WORDS.sub(" ", rest)
    has_time = bool(re.search(YEAR_PATTERN, question)) or year_offset(question) is not None
    said = set(content_terms(last))
    return has_time and not any(stem(w.lower()) not in said for w in re.findall(r"[A-Za-z]{3,}", rest))


# "… tell Putin in May 2020 the company had planned to spend that year?": the year spoken of, apart from the event's.
_SAME_YEAR = re.compile(r"\b(?:(?:in|during|for|over)\s+)?(?:that|this|the same|the current)\s+year\b", re.I)
# "In September 2016, ", " in May 2020", " on 7 April 2020": a date by month (its day and year optional).
_MONTH_DATE = re.compile(r"(?:^\s*(?:in|on)\s+|,?\s+(?:in|on|of|during)\s+)(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?" + MONTH_PATTERN
                         + r"(?:\s+\d{1,2}(?:st|nd|rd|th)?\b)?(?:,?\s+" + YEAR_PATTERN + r")?,?\s*", re.I)


def shift_years(question: str, follow_up: str, years: list[int]) -> str:
    """The last question with the follow-up's time: its years replaced, or moved by a relative phrase. A question
    that speaks of "that year" beside its event's date ("In September 2016, how many passengers did he expect the
    group to carry that year?") keeps the date and has "that year" replaced ("And in 2017?": "… carry in 2017?")."""
    new = [int(y) for y in re.findall(YEAR_PATTERN, follow_up)]
    if not new:
        delta = year_offset(follow_up) or 0
        base = [int(y) for y in re.findall(YEAR_PATTERN, question)] or years
        new = [y + delta for y in base[:1]]
    if not new:
        return question
    if _SAME_YEAR.search(question) and re.search(YEAR_PATTERN, question):
        # "And in 2017?": what was said of 2017, wherever (the year may be spoken of at a later event), not a
        # September 2017 event.
        said = _SAME_YEAR.sub(f"in {new[0]}", question, count=1)
        undated = _MONTH_DATE.sub(" ", said).strip()
        undated = " ".join(undated.split()).replace(" ?", "?")
        return undated[:1].upper() + undated[1:]
    if re.search(YEAR_PATTERN, question):
        return re.sub(YEAR_PATTERN, str(new[0]), question, count=1)
    return question.rstrip(" ?") + f" in {new[0]}?"


def resolve_follow_up(question: str, history: list[dict[str, Any]], loaded: Any, settings: Settings, generator: Any = None) -> FollowUp:
    """The follow-up as a standalone question (or a turn to continue), applying the last answer's state."""
    state = ConversationState.last(history)
    if state is not None and state.question:
        if elliptical(question, state.question):
            return FollowUp(search=shift_years(state.question, question, state.years))
        bare = _BARE_WH.match(question)
        predicate = _PREDICATE.search(state.question) if bare else None
        if bare and predicate:
            # "How much did trade grow in 2022?" - "Why?": why did trade grow in 2022, in the event last quoted.
            search = f"{bare.group(1).capitalize()} {predicate.group(0).strip()}"
            return FollowUp(search=search if search.endswith("?") else search + "?", prefer=list(state.documents))
        if state.turns and _OTHER_SIDE.search(question):
            other = other_side(state.turns[0], loaded)
            if other:
                question = _OTHER_SIDE.sub(other, question, count=1)
        swapped = swap_person(question, state.question, loaded)
        if swapped:
            # "What did Pamfilova say about observers?" - "And Putin?": the same question about Putin.
            return FollowUp(search=swapped, prefer=list(state.documents))
        qa = analyse(question, loaded)
        if state.turns and _NEXT.search(question) and len(qa.terms) <= 1 and not (qa.speakers or qa.mentioned):
            return FollowUp(search=question, next_of=state.turns[0], same_speaker=bool(PERSON_PRONOUN.search(question)))
        if state.turns and not state.abstained:
            if REPLY.search(question) and not [t for t in qa.terms if not REPLY.fullmatch(t)]:
                # "What did Putin reply?": the next turn by Putin after the one the last answer quoted. Only when the
                # follow-up names nothing but the reply and who gave it ("How did Tokayev react to the sanctions?"
                # is searched).
                named = (qa.speakers or qa.likely or qa.mentioned or [None])[0]
                return FollowUp(search=question, next_of=state.turns[0], same_speaker=False, reply_by=named, reply=True)
            rest = _EVENT_TALK.sub(" ", _EVENT_ASK.sub(" ", question))
            if _EVENT_ASK.search(question) and not re.search(r"[A-Za-z0-9]{2,}", rest) and not qa.years:
                # "When was that?", "Where did they meet?": the event the last answer quoted.
                return FollowUp(search=question, event_of=state.turns[0])
    search = rewrite_question(question, history, loaded, settings, generator)
    said = state.quotes if state is not None and not state.abstained and _MORE.search(question) else []
    leans = search != question or bool(said) or bool(_LEANS_ON_EVENT.search(question)) or refers_back(question, history)
    return FollowUp(search=search, prefer=follow_up_documents(question, history, loaded), said=said, soft=not leans)


_ONLY_PERSON = re.compile(r"^\s*(?:and|what about|how about)\s+(?P<rest>[^?]+?)\s*\??\s*$", re.I)


def swap_person(question: str, last: str, loaded: Any) -> str | None:
    """"And Putin?" after "What did Pamfilova say about observers?": the last question with its person replaced,
    when the follow-up names a person and nothing else."""
    m = _ONLY_PERSON.match(question)
    if not m:
        return None
    qa = analyse(m.group("rest") + " said", loaded)
    named = qa.speakers or qa.likely or qa.mentioned
    if not named or len(qa.mention_spans) != 1 or qa.mention_spans[0].lower() != m.group("rest").strip().lower():
        return None
    pa = analyse(last, loaded)
    if not pa.mention_spans:
        return None
    span = pa.mention_spans[0]
    at = last.lower().find(span.lower())
    return None if at < 0 else last[:at] + m.group("rest").strip() + last[at + len(span):]


def other_side(turn_id: str, loaded: Any) -> str | None:
    """The person who speaks most in ``turn_id``'s event besides its own speaker (the other party of talks)."""
    turn = loaded.turns.get(turn_id)
    if turn is None or turn.doc_id not in loaded.doc_turns:
        return None
    counts: dict[str, int] = {}
    for tid in loaded.doc_turns[turn.doc_id].values():
        t = loaded.turns.get(tid)
        if t is not None and t.kind != "narration" and t.speaker and t.speaker != turn.speaker and not t.speaker.startswith("Unnamed"):
            counts[t.speaker] = counts.get(t.speaker, 0) + len(t.text)
    return max(counts, key=lambda k: counts[k]) if counts else None


def _user_questions(history: list[dict[str, Any]]) -> list[str]:
    return [m.get("content", "") for m in history if m.get("role") == "user" and m.get("content")]


def _topic(question: str, spans: list[str]) -> str:
    m = _ABOUT.search(question)
    if m and not _PRONOUN_THING.fullmatch(m.group(1).strip().rstrip("?.")):
        return m.group(1).strip().rstrip("?.")
    return ""


def _object_pronoun(text: str, m: re.Match[str]) -> bool:
    """Whether the pronoun matched is an object ("tell him", "asked her about"), not a subject or possessive ("her
    commission"): "him", or "her" with no noun after it."""
    word = m.group(1).lower()
    if word == "him":
        return True
    after = re.match(r"\s+([a-z'’-]+)", text[m.end():].lower())
    return word == "her" and (after is None or after.group(1) in STOPWORDS)


_SUBJECT_BEFORE = re.compile(r"\b" + AUXILIARY + r"\s+(?:[a-z'’-]+\s+){0,2}$", re.I)


def _named_as_subject(question: str, spans: list[str]) -> bool:
    """Whether a person the question names stands as its subject, after the auxiliary ("did Serdar
    Berdimuhamedov receive", "did the new President of Turkmenistan receive"), not as the one told."""
    low = question.lower()
    for span in spans:
        at = low.find(span.lower())
        if at >= 0 and _SUBJECT_BEFORE.search(low[:at]):
            return True
    return False


def _quoted_speakers(history: list[dict[str, Any]], loaded: Any) -> dict[str, str]:
    """For each earlier question that was answered, the speaker of the first turn its answer quoted (not
    narration)."""
    out: dict[str, str] = {}
    question = None
    for m in history:
        if m.get("role") == "user":
            question = str(m.get("content") or "")
            continue
        state = ConversationState.last([m])
        if question is None or state is None or state.abstained:
            continue
        for tid in state.turns:
            turn = loaded.turns.get(tid)
            if turn is not None and turn.kind != "narration" and turn.speaker and not turn.speaker.startswith("Unnamed"):
                out[question] = turn.speaker
                break
    return out


def heuristic_rewrite(question: str, history: list[dict[str, Any]], loaded: Any) -> str:
    """Carry people, topic and time from earlier questions into a follow-up that leans on them."""
    previous = _user_questions(history)
    if not previous:
        return question
    qa = analyse(question, loaded)
    last_person = last_topic = None
    last_months: list[str] = []
    quoted = _quoted_speakers(history, loaded)
    for back, prev in enumerate(reversed(previous)):
        pa = analyse(prev, loaded)
        if (last_person is None and pa.mentioned and not (pa.speakers or pa.likely) and quoted.get(prev)
                and not _named_as_subject(prev, pa.mention_spans)):
            # "How many … did the city's acting governor tell Putin…?" - "And how many in 2014?": the one its
            # answer quoted, not a person the question named only as the one told or talked about ("Which
            # decoration did Berdimuhamedov receive from Putin?" names its subject: "he" is Berdimuhamedov).
            last_person = quoted[prev]
        if last_person is None and (pa.speakers or pa.likely or pa.mentioned):
            last_person = (pa.speakers or pa.likely or pa.mentioned)[0]
        if last_topic is None and back == 0:  # "it" points at the last question's topic, not an older one
            last_topic = _topic(prev, pa.mention_spans) or None
        if not last_months and pa.months:
            last_months = [m for m in re.findall(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b", prev, re.I)]
    if last_person is None and quoted.get(previous[-1]):
        # "How long did the Rosatom composite-materials specialist say…?" - "What did Putin ask him?": the question
        # named nobody, so "him" is the one its answer quoted (the state's speaker, not a name read off the quote).
        last_person = quoted[previous[-1]]
    if last_person is None:
        # The answer names the speaker even when the question did not ("Who said …?").
        for m in reversed([m for m in history if m.get("role") == "assistant"]):
            pa = analyse(m.get("content", "")[:300], loaded)
            if pa.speakers or pa.likely or pa.mentioned:
                last_person = (pa.speakers or pa.likely or pa.mentioned)[0]
                break
    out = with_counted_noun(question, previous[-1], focus_noun(qa))
    has_person = bool(qa.speakers or qa.likely or qa.mentioned)
    pronoun = PERSON_PRONOUN.search(out)
    # "On what date did Obnosov say his corporation…": a possessive or subject pronoun after a person the question
    # names is that person's; an object pronoun is someone else ("What did Putin tell her?").
    named_before = (pronoun is not None and not _object_pronoun(out, pronoun)
                    and any(0 <= out.lower().find(span) < pronoun.start() for span in qa.mention_spans))
    if last_person and last_person not in qa.speakers + qa.likely + qa.mentioned and pronoun and not named_before:
        out = with_person(out, last_person)
        has_person = True
    if last_topic and _PRONOUN_THING.search(out) and not _topic(out, []):
        out = _PRONOUN_THING.sub(last_topic, out, count=1)
    elif last_topic and _LEANS.search(out) and not _topic(out, []) and len(qa.terms) <= 2:
        out = out.rstrip(" ?") + f" about {last_topic}?"
    if last_person and not has_person and _LEANS.search(question):
        if not re.search(r"\b(say|said|mention|add|talk)\b", out):
            out = out.rstrip(" ?") + f" ({last_person.split()[-1]})?"
        else:
            out = re.sub(r"\bdid\b", f"did {last_person.split()[-1]}", out, count=1) if re.search(r"\bdid\b", out) else out
    return re.sub(r"\s+", " ", out).strip()


_LEANS_ON_EVENT = re.compile(r"\b(that|the same|this) (meeting|interview|conversation|event|conference|report|talk)\b|\bthere\b|\btheir\b|\bthem\b|\belse\b|\bit\b|\bhe\b|\bshe\b|^\s*(and|also|but|so)\b", re.I)


_DEFINITE = re.compile(r"\b(?:the|that|this|these|those)\s+([a-z]+)", re.I)


def refers_back(question: str, history: list[dict[str, Any]]) -> bool:
    """Whether a follow-up names a thing of the last exchange with a definite article: "How many projects
    had the fund financed?" after a question and answer about the Russian-Kyrgyz Development Fund."""
    said = " ".join(str(m.get("content", ""))[:600] for m in history[-2:])
    before = set(content_terms(said))
    return any(stem(w.lower()) in before for w in _DEFINITE.findall(question) if w.lower() not in STOPWORDS)


def follow_up_documents(question: str, history: list[dict[str, Any]], loaded: Any) -> list[str]:
    """The documents the last answer cited, when a follow-up leans on it and names no other date or person,
    or names nothing of its own at all ("Which president was the report made to?": the event discussed)."""
    qa = analyse(question, loaded)
    anchored = bool(qa.names or qa.years or qa.months)
    if anchored and not (_LEANS_ON_EVENT.search(question) or refers_back(question, history)):
        return []
    last = next((m for m in reversed(history) if m.get("role") == "assistant"), None)
    if last is None:
        return []
    docs = [d for d in last.get("documents") or [] if d in loaded.documents]
    if not docs:  # plain-text history: the events the answer names by title
        text = str(last.get("content", "")).lower()
        docs = [d for d, info in loaded.documents.items() if info["title"] and info["title"].rstrip(".").lower() in text]
    # "And how many had there been in 2014?" after a question about March 2020: a year before the last question's
    # is what was said at its event about the past; another year or a month is another event.
    last_years = [y for q in _user_questions(history)[-1:] for y in question_years(q)]
    if qa.months or (qa.years and not looks_back(qa.years, last_years)):
        return []
    speakers = set().union(*(loaded.doc_speakers.get(d, set()) for d in docs))
    # A person named by role only ("the president") is whoever holds it at the event discussed.
    if qa.names and any(p not in speakers for p in qa.speakers + qa.likely + qa.mentioned):
        return []
    return docs


def _format_history(history: list[dict[str, Any]], limit: int) -> str:
    lines = []
    for m in history[-limit:]:
        role = "User" if m.get("role") == "user" else "Assistant"
        lines.append(f"{role}: {m.get('content', '')[:600]}")
    return "\n".join(lines)


def rewrite_question(question: str, history: list[dict[str, Any]], loaded: Any, settings: Settings, generator: Any = None) -> str:
    """The standalone search question for a follow-up."""
    heuristic = heuristic_rewrite(question, history, loaded)
    if generator is None or not settings.chat.condense_with_llm:
        return heuristic

    try:
        prompt = load_prompt("condense", settings.paths.prompts).format(
            history=_format_history(history, settings.chat.history_turns), question=question
        )
        condensed = generator.complete(prompt).strip().splitlines()[0].strip()
    except Exception:  # the heuristic rewrite stands when the model fails
        return heuristic
    want, got = analyse(heuristic, loaded), analyse(condensed, loaded)
    keeps_people = set(want.speakers + want.mentioned) <= set(got.speakers + got.mentioned)
    keeps_dates = set(want.months) <= set(got.months) and set(want.years) <= set(got.years)
    return condensed if condensed and keeps_people and keeps_dates and len(condensed) < 400 else heuristic
