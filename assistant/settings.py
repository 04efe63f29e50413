"""One settings object, in nested groups, loadable from TOML files and environment variables.

Environment variables use the prefix ``ASSISTANT_`` and ``__`` between group and field
(``ASSISTANT_RETRIEVAL__TOP_K=8``). ``ASSISTANT_STORE`` alone moves all state (the vector
store and the lexical index) elsewhere; ``ASSISTANT_CHROMA_URL`` switches to a Chroma server.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PathSettings(_Group):
    corpus: list[Path] = Field(default_factory=lambda: [PROJECT_ROOT / "seeds"], description="Files and folders to index.")
    store: Path = Field(default=PROJECT_ROOT / "vectorstore", description="Folder holding the Chroma store and lexical index.")
    prompts: Path = Field(default=PROJECT_ROOT / "prompts", description="Folder of prompt templates.")


class StoreSettings(_Group):
    chroma_url: str | None = Field(default=None, description="Chroma server URL (http://host:port); None runs Chroma embedded under paths.store.")
    collection: str = Field(default="turns", description="Chroma collection name.")
    server_search: bool = Field(
        default=True,
        description="With a Chroma server: dense search runs on the server (collection.query with where filters), so no "
        "process keeps or downloads the vectors; off, they are read once into the local snapshot and searched exactly. "
        "The server's HNSW search is approximate: rankings may differ slightly from an embedded store's.",
    )


class EmbeddingSettings(_Group):
    mode: Literal["static", "contextual", "hashing"] = Field(
        default="static",
        description="static: per-piece vectors distilled from the packaged all-MiniLM-L6-v2 (fast builds); contextual: the full model (~10x slower builds); hashing: deterministic hashed words, no model (for tests of indexing and storage, not for answers).",
    )
    batch_size: int = Field(default=64, description="Passages embedded per batch.")
    max_tokens: int = Field(default=200, description="Longest passage, in cl100k tokens; longer turns are split at sentence boundaries.")


class RetrievalSettings(_Group):
    top_k: int = Field(default=8, description="Turns handed to the answerer.")
    discussion_top_k: int = Field(default=20, description="Turns handed to the answerer for a question asking for a discussion or a stance ('What did the group agree on…', 'Summarize…'): a meeting discusses a topic over many turns, and the reader reads each of them (answer.reader_turns). QMSum dev, with reader_turns the same: 8 -> 139 of 194, 12 -> 141, 16 -> 142, 20 -> 145, 24 -> 145, 32 -> 143; the kremlin dev sets unchanged at 20.")
    dense_k: int = Field(default=40, description="Candidates from the vector search.")
    lexical_k: int = Field(default=40, description="Candidates from BM25.")
    rrf_k: int = Field(default=60, description="Reciprocal-rank-fusion constant.")
    exact_weight: float = Field(default=1.0, description="Added weight for passages whose BM25 score comes near the best one (squared relative score, above half).")
    mode: Literal["hybrid", "dense", "lexical"] = Field(default="hybrid", description="Which searches to fuse.")
    speaker_boost: float = Field(default=1.0, description="Score multiplier (added RRF weight) for turns by a person named in the question.")
    date_boost: float = Field(default=0.5, description="Added weight for turns whose date matches a date named in the question.")
    naming_search: bool = Field(default=True, description="When only some of the retrieved events mention the question's proper names ('Beijing', 'Serbia', 'Forum of Regions'), search again within those events: the turn that answers may not have ranked while turns of other events did.")
    speaking_search: int = Field(default=30, description="When no retrieved event mentions a person the question names but does not ask about ('When Putin met Pavel Malkov in May 2022, …'), search again within the events where the people it names speak together, if there are at most this many (someone who speaks everywhere anchors nothing). Dev: csv5_dev +1, nothing else moves (it fires only when no retrieved event names them). 0: off.")
    within_event_weight: float = Field(default=1.0, description="Once a search has found its event (the best passage's document), a rank list of that event's passages by the question words its title and people do not already hold, fused at this weight (0 turns it off): the title's words, in every passage of the event, would rank its one-line turns first. Chosen on the dev sets (2 December 2026): 0, 1 and 2 answered 875, 877 and 877 of 1001 right (2 changed six answers, four for the better; 1 changed two, both for the better); 2 with the list only when seven of the ten best passages were the event's: 876.")
    shared_word_share: float = Field(default=0.5, description="Within a search narrowed to a few events (a day, a month, a follow-up's documents), a question word that at least this share of the passages left hold (the event's place, its date, the people of its title) tells none of them apart: BM25 leaves it out. 1.0 keeps every word. Chosen on the dev sets (2 December 2026): 0.3, 0.5 and 0.7 answered 858, 858 and 857 of 1001 right; later, 0.5 and 1.0 answered 859 and 857.")
    event_day_search: bool = Field(default=True, description="A whole date the question gives its event ('at Putin's meeting on 7 April 2020', read like an event month: the date right after an event word) narrows the search to that day's events, when there are any.")
    neighbours: bool = Field(default=True, description="Bring the adjacent turn along when it helps to answer or attribute.")
    reply_hits: int = Field(default=3, description="Under a speaker filter ('What did Putin say was his favourite food?'), the best BM25 matches by anyone else that are questions put to that speaker bring his reply along, up to this many, when the reply opens tersely (see reply_opening_chars): the question carries the words, the reply ('Kasha [porridge].') does not. Dev: mirror6_dev +2 (a quick-fire round), mirror5_dev −1 (an added candidate displaced another from the reader's shortlist), the rest unchanged. 0: off.")
    reply_opening_chars: int = Field(default=60, description="A reply brought along by reply_hits opens with a sentence shorter than this ('Chukotka.', 'About 360,000.'); a longer reply says what it is about itself and is found by its own words.")
    floor_turn_chars: int = Field(default=60, description="A retrieved turn shorter than this that asks nothing ('Go ahead, please.', 'Please do.') gives the floor: the next turn, by someone else, comes along with it. Such a turn is retrieved for the event title's words alone (each passage is indexed with its event's title, and a short one is little else), while the report it introduces holds the answer. 0: off.")
    neighbour_hits: int = Field(default=5, description="How many of the best retrieved turns bring their adjacent turn along (the question before a reply, the reply after a question). 5 instead of 3: a farmer's \"I have 1,074 hectares\" follows the 4th-ranked \"How much land have you got?\" (mirror3_dev +1; 8 the same; the other dev sets and QMSum dev unchanged).")


class AnswerSettings(_Group):
    backend: Literal["extractive", "llama-cpp", "ollama", "openai-like", "mock"] = Field(default="extractive", description="Who writes the answer.")
    max_sentences: int = Field(default=3, description="Most sentences the extractive answerer quotes.")
    abstain_threshold: float = Field(default=0.34, description="Without the reader: below this support score the answer abstains (with the reader, support is a feature of the calibrated confidence). Calibrated on evals/seeds.yaml: unanswerable cases score 0-0.57, answerable 0.37-1.0; 0.34 maximises accuracy there.")
    require_names: bool = Field(default=True, description="Abstain when a proper name of the question (a country, an organisation, a person it does not resolve: 'Portugal', 'Nord Stream 2', 'Jacinda Ardern') is never mentioned in the events the answer quotes, or when the question says where its event was held ('when they met in Paris') and every event quoted was held elsewhere.")
    require_focus: bool = Field(default=True, description="Without the reader: abstain when the answer never touches the topic of 'about X' or a word carrying most of the question's weight (with the reader, such a miss is a feature of the calibrated confidence).")
    # Sentence scoring of the extractive answerer: score = coverage + meaning_weight * cosine + bonuses + rank_weight / (rank + 1).
    context_weight: float = Field(default=0.5, description="Share of a question word's weight earned when it appears only in the context (event title, speaker, the sentence before) rather than the sentence itself.")
    meaning_weight: float = Field(default=0.35, description="Weight of the embedding cosine between question and sentence.")
    rank_weight: float = Field(default=0.08, description="Bonus for sentences from higher-ranked turns, divided by (rank + 1).")
    number_bonus: float = Field(default=0.15, description="'How many/much' questions: bonus for a sentence holding a number.")
    change_bonus: float = Field(default=0.2, description="'By how much did it grow' questions: extra bonus for an amount of change ('by 19.7 percent', 'doubled').")
    counted_noun_bonus: float = Field(default=0.5, description="'How many parties' questions: extra bonus for a number standing before the counted noun ('29 parties').")
    date_bonus: float = Field(default=0.1, description="'When' questions: bonus for a sentence naming a date, month or year.")
    reason_bonus: float = Field(default=0.4, description="'Why' questions: bonus for a sentence giving a reason ('because', 'due to').")
    no_reason_penalty: float = Field(default=0.2, description="'Why' questions: penalty for a sentence giving no reason.")
    month_bonus: float = Field(default=0.1, description="Bonus when the question names the month the sentence was said in or names.")
    lead_in_penalty: float = Field(default=0.3, description="Penalty for a reporter's lead-in ending in ':' (the quote after it answers).")
    paraphrase_penalty: float = Field(default=0.15, description="Penalty for a reporter's paraphrase when the question asks what a person said (their own words rank first).")
    short_sentence_chars: int = Field(default=25, description="Sentences shorter than this ('Thank you.') are penalised.")
    reply_chars: int = Field(default=60, description="A reply's opening sentence shorter than this, after a question ('How many people live in this area?' - 'About 360,000.'), is scored and read together with that question, and is not penalised as short; 0: off.")
    short_sentence_penalty: float = Field(default=0.2, description="Penalty for a sentence shorter than short_sentence_chars.")
    # Sentence selection.
    complete_support: float = Field(default=0.85, description="Support at which the chosen sentences are taken to cover the question: no further sentences are added.")
    quantity_alternative: float = Field(default=0.6, description="'How many/much/long' questions: when the best sentence states no amount, a runner-up among the reader's candidates that does replaces it if it scores at least this share of the best.")
    number_window: int = Field(default=10, description="'How many / how much / what percentage' questions: the question words within this many words of a quoted number are the calibrated confidence's number-context evidence (see ask/answer_types.number_context). 10 of 4, 6 and 10: the question's words found this near a number separate right answers from number traps best over the dev sets (AUC 0.947, against 0.894 and 0.929).")
    runner_up_share: float = Field(default=0.9, description="The next-best sentence, by the same speaker at the same event, is quoted beside the chosen ones when it scores at least this share of the best: the scores cannot tell the two apart, so both are shown rather than a guess. It is no evidence (the confidence stays the chosen sentences'). 0: off. Over the dev sets 0.85 and 0.9 answer the same (+5 of 701, none lost), 0.95 +2.")
    discussion_turns: int = Field(default=3, description="A question asking for a discussion or a stance ('Summarize…', 'What did X think about…') quotes the best sentences of up to this many turns of the best one's event.")
    read_turns: Literal["off", "discussion", "dialogue"] = Field(default="dialogue", description="With the reader: 'discussion': a question asking for a discussion or a stance is answered turn by turn: the reader reads each of the best reader_turns retrieved turns whole (a long one from its best sentence, up to turn_window_chars) and the turns it rates best are quoted (QMSum dev, no abstention: 64.9% -> 67.0%; the kremlin dev sets unchanged). 'dialogue' (default): the same, and an open what/why question over a dialogue (the retrieved turns are short speeches, median under turn_window_chars) keeps its sentence-by-sentence answer and confidence but also quotes the turns of that event the reader rates best (QMSum dev 63.9% -> 66.5%, kremlin dev sets unchanged). 'off': every question is read sentence by sentence. Answering such dialogue questions from the turns alone gained as much on QMSum but answered press-conference traps (mirror_dev -5 points).")
    reader_turns: int = Field(default=20, description="How many retrieved turns the reader reads for a discussion question (at most retrieval.discussion_top_k are retrieved; 16 of 16 retrieved: QMSum dev 142, 8 of 16: 139).")
    turn_window_chars: int = Field(default=600, description="A turn longer than this is read from its best sentence on, up to this many characters (the reader reads at most 128 word pieces).")
    discussion_margin: float = Field(default=2.0, description="A discussion quotes further turns of the best turn's event that the reader rates within this many logits of the best.")
    discussion_share: float = Field(default=0.7, description="Such a question adds another turn's best sentence when it scores at least this share of the best sentence.")
    part_share: float = Field(default=0.45, description="Multi-part questions: a sentence covering words the best one misses is added when it scores at least this share of the best.")
    part_min_idf: float = Field(default=1.0, description="Multi-part questions: the words a further sentence adds must weigh at least this much (summed idf).")
    passage_chars: int = Field(default=650, description="'What did X say about Y': the sentences after the best one are quoted while the quote stays under this many characters.")
    focus_share: float = Field(default=0.45, description="A question word carrying at least this share of the question's weight must be covered, or the answer abstains (with require_focus).")
    # The learned reader (assistant/models/reader, scripts/train_reader.py) and its calibration (scripts/calibrate.py).
    reader: bool = Field(default=True, description="Re-score the best candidate sentences with the packaged cross-encoder and report a calibrated confidence; false: hand-set features only.")
    reader_candidates: int = Field(default=6, description="How many of the best candidate sentences the reader reads (its cost grows with this; 6 gave the same dev accuracy as 8 and 16 at 20% less time, 4 lost 3 points on QMSum dev).")
    reader_weight: float = Field(default=0.5, description="Weight of the reader's probability added to a shortlisted sentence's score. Over the kremlin dev sets' fact questions the reader alone picks the right sentence less often than the hand-set score (123 against 143 of 168 shortlists holding one); 0.4-0.6 picks it most often (146-147), 1 as often as without it (143).")
    reader_threads: int = Field(default=2, description="How many (question, sentence) pairs the reader scores at once, each on one CPU core. A pair is too small to split across cores: on 2 cores, six pairs a question took 0.68-0.92 of the time side by side that they took in turn on two threads each (one sentence 22.8-26.2 ms against 29.6-32.0 ms; two sentences 30.4-32.8 against 41.9-48.0; windows of 128 word pieces 67.6-70.2 against 73.9-87.6), with the same scores (scripts/bench_reader.py, two runs, 3 December 2026). 1: one pair at a time on one core.")
    min_confidence: float | None = Field(default=None, description="Abstain when the calibrated confidence is below this; None: the threshold chosen on the dev sets and shipped in models/reader/calibration.json.")
    model: str | None = Field(default=None, description="GGUF path (llama-cpp) or model name (ollama, openai-like).")
    api_base: str | None = Field(default=None, description="Server URL for ollama / openai-like backends.")
    api_key: str | None = Field(default=None, description="API key for an openai-like server.")
    timeout_s: float = Field(default=60.0, description="Generation time limit; past it the extractive answer is returned.")
    temperature: float = Field(default=0.1, description="Sampling temperature for a generative backend.")
    max_new_tokens: int = Field(default=400, description="Longest generated answer.")


class ChatSettings(_Group):
    history_turns: int = Field(default=6, description="Messages of history used to rewrite a follow-up.")
    condense_with_llm: bool = Field(default=True, description="Use the LLM condense step when a generative backend is configured.")


class UISettings(_Group):
    host: str = Field(default="127.0.0.1", description="Address the chat binds to.")
    port: int = Field(default=7860, description="Port the chat binds to.")
    password_env: str = Field(default="ASSISTANT_UI_PASSWORD", description="Environment variable holding an optional UI password.")


class Settings(_Group):
    """Everything configurable, in one place."""

    paths: PathSettings = Field(default_factory=PathSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    chat: ChatSettings = Field(default_factory=ChatSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @classmethod
    def load(cls, *files: Path | str, env: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults, then each TOML file in order, then ``ASSISTANT_*`` variables, then overrides."""
        data: dict[str, Any] = {}
        for f in files:
            with open(f, "rb") as fh:
                _merge(data, tomllib.load(fh))
        _merge(data, _from_env(os.environ if env is None else env))
        _merge(data, overrides)
        return cls.model_validate(data)


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def _from_env(env: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if env.get("ASSISTANT_STORE"):
        out.setdefault("paths", {})["store"] = env["ASSISTANT_STORE"]
    if env.get("ASSISTANT_CHROMA_URL"):
        out.setdefault("store", {})["chroma_url"] = env["ASSISTANT_CHROMA_URL"]
    for key, value in env.items():
        if not key.startswith("ASSISTANT_") or "__" not in key:
            continue
        group, _, name = key[len("ASSISTANT_"):].lower().partition("__")
        out.setdefault(group, {})[name] = value
    return out
