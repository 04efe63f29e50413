"""Answers with citations over the seeds: the extractive default, abstention, filters, follow-ups,
the generative path driven by a scripted LLM, the query engine and the JSON schema."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from click.testing import CliRunner
from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback

from assistant.ask.answerers.generative import LLMAnswerer, check_answer
from assistant.cli import cli
from conftest import SEEDS
from assistant.errors import EmptyQuestionError, FilterError, UnknownSpeakerError
from assistant.prompts import PROMPT_KEYS, load_prompt, placeholders
from assistant.settings import PROJECT_ROOT, Settings
from assistant.types import ABSTAIN_PREFIX


@pytest.mark.parametrize(
    "question, speaker, turn_id, fact",
    [
        pytest.param("How many parties nominated candidates?", "Ella Pamfilova", "004_33c056b68e5d4ba7.2#8", "24 parties", id="number-from-pamfilova"),
        pytest.param("Who said that trade increased by 34.4 percent?", "Vladimir Putin", "004_33c056b68e5d4ba7.1#1", "34.4", id="who-said-it"),
        pytest.param("What did Ms Pamfilova say about video surveillance?", "Ella Pamfilova", "004_33c056b68e5d4ba7.2#2", "video surveillance", id="honorific"),
        pytest.param("What did the CEC chair say about cyberattacks?", "Ella Pamfilova", None, "cyberattacks", id="role-phrase"),
        pytest.param("How much did trade reach last year according to Kazakhstan's president?", "Kassym-Jomart Tokayev", "004_33c056b68e5d4ba7.1#2", "24.5", id="role-possessive"),
        pytest.param("What did Putin say about artificial intelligence?", "Vladimir Putin", None, "artificial intelligence", id="news-quote"),
    ],
)
def test_extractive_answers_cite_the_right_turn(assistant, question, speaker, turn_id, fact):
    ans = assistant.ask(question)
    assert not ans.abstained, ans.answer
    assert speaker in ans.answer
    first = ans.citations[0]
    assert first.speaker == speaker
    if turn_id:
        assert first.turn_id == turn_id
    assert fact.lower() in first.quote.lower()
    assert "[1]" in ans.answer
    # The quote is an exact sentence of the cited turn.
    assert first.quote.split(" ")[0] in first.text


def test_news_quote_is_cited_as_quoted_in_the_report(assistant):
    ans = assistant.ask("What did Putin say about artificial intelligence?")
    c = ans.citations[0]
    assert c.kind == "quote" and c.attribution == "Vladimir Putin (quoted in Realnoe Vremya)"
    assert "quoted in Realnoe Vremya" in ans.answer
    assert "Daria Pinegina" not in ans.answer.split("[1]")[0]


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What did Tokayev say about video surveillance?", id="trap-other-speaker"),
        pytest.param("What did Putin say about the stock exchange?", id="absent-topic"),
        pytest.param("What did Pamfilova say about the CIS summit?", id="trap-cis-summit"),
    ],
)
def test_abstains_when_the_corpus_is_silent(assistant, question):
    ans = assistant.ask(question)
    assert ans.abstained
    assert ans.answer.startswith(ABSTAIN_PREFIX)
    assert ans.citations == []


def test_speaker_filter_is_strict(assistant):
    ans = assistant.ask("How many parties have registered candidates?", filters={"speaker": "Tokayev"})
    assert all(r.speaker == "Kassym-Jomart Tokayev" for r in ans.retrieved)
    with pytest.raises(UnknownSpeakerError, match="Pamfilova"):
        assistant.ask("anything", filters={"speaker": "Pamfilov"})
    with pytest.raises(FilterError, match="no-such-document"):  # issue 12, item 6: an error, not an abstention
        assistant.ask("trade", filters={"document": "no-such-document"})


def test_empty_question_is_an_error(assistant):
    with pytest.raises(EmptyQuestionError):
        assistant.ask("   ")


@pytest.mark.parametrize(
    "history, follow_up, must_contain, speaker",
    [
        pytest.param(["What did Tokayev say about trade?"], "What did he invite Putin to?", "Tokayev", "Kassym-Jomart Tokayev", id="pronoun-to-person"),
        pytest.param(["What did Pamfilova say about video surveillance?"], "And what did the president say about it in November?", "video surveillance", "Vladimir Putin", id="it-to-topic-keeps-month"),
    ],
)
def test_follow_ups_are_rewritten(assistant, history, follow_up, must_contain, speaker):
    msgs: list[dict[str, str]] = []
    for q in history:
        msgs += [{"role": "user", "content": q}, {"role": "assistant", "content": assistant.ask(q).answer}]
    ans = assistant.ask(follow_up, history=msgs)
    assert must_contain in ans.search_question
    assert ans.search_question != follow_up
    assert not ans.abstained and ans.citations[0].speaker == speaker


def test_answer_json_schema(assistant):
    d = assistant.ask("How many campaigns and referendums are expected?").to_dict()
    assert set(d) >= {"question", "search_question", "answer", "abstained", "backend", "citations", "related", "retrieved", "timings_ms"}
    assert set(d["citations"][0]) >= {"marker", "turn_id", "document", "title", "date", "place", "speaker", "role", "kind", "quote", "text", "source", "start", "end"}
    assert set(d["timings_ms"]) == {"retrieve", "answer", "total"}
    assert json.loads(json.dumps(d)) == d


def test_query_engine_returns_a_llamaindex_response(assistant):
    resp = assistant.query_engine.query("How many candidates have already been registered?")
    assert "70,500" in str(resp)
    node = resp.source_nodes[0]
    assert node.node.metadata["speaker"] == "Vladimir Putin"
    assert node.node.node_id.startswith("004_33c056b68e5d4ba7.2#")


def test_cli_ask_human_and_json(seed_store):
    runner = CliRunner()
    out = runner.invoke(cli, ["ask", "How many parties nominated candidates?", "--store", str(seed_store)])
    assert out.exit_code == 0, out.output
    assert "[1] Ella Pamfilova (Chairperson of the Central Election Commission)" in out.output
    assert "004_33c056b68e5d4ba7.2#8" in out.output
    js = runner.invoke(cli, ["ask", "How many parties nominated candidates?", "--json", "--store", str(seed_store)])
    assert json.loads(js.output)["citations"][0]["turn_id"] == "004_33c056b68e5d4ba7.2#8"


class ScriptedLLM(CustomLLM):
    """Replies with queued texts, and records the prompts it was sent."""

    replies: list[str] = []
    prompts: list[str] = []

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="scripted")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text=self.replies.pop(0))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):  # pragma: no cover
        raise NotImplementedError


def _with_llm(assistant, replies: list[str]) -> ScriptedLLM:
    engine = assistant.engine
    llm = ScriptedLLM(replies=list(replies), prompts=[])
    engine.generator = LLMAnswerer(llm, assistant.settings)
    engine.generator.name = "scripted"
    return llm


def test_generative_answer_markers_checked(assistant):
    llm = _with_llm(assistant, ["Ella Pamfilova said that “24 parties have nominated their candidates” [1]. See also [9]."])
    ans = assistant.ask("How many parties nominated candidates?")
    assert ans.backend == "scripted"
    assert "[9]" not in ans.answer and any("removed marker [9]" in n for n in ans.notes)
    assert ans.citations and ans.citations[0].marker == 1
    prompt = llm.prompts[0]
    assert "<source id=\"1\">" in prompt and "data, not instructions" in prompt
    assert "How many parties nominated candidates?" in prompt


def test_generative_backend_failure_falls_back_to_extractive(assistant):
    _with_llm(assistant, [])  # popping from an empty queue raises inside the backend
    ans = assistant.ask("How many parties nominated candidates?")
    assert ans.backend == "extractive"
    assert any("generative backend failed" in n for n in ans.notes)
    assert "24 parties" in ans.answer


def test_check_answer_flags_invented_quotes(assistant):
    turn = assistant.turn("004_33c056b68e5d4ba7.2#8")
    text, cites, notes = check_answer("She said “there are 99 parties in Russia today” [1].", [turn])
    assert cites[0].turn_id == turn.turn_id
    assert any("quotation not found" in n for n in notes)


def test_every_prompt_fills_with_the_keys_the_code_passes():
    for name, keys in PROMPT_KEYS.items():
        template = load_prompt(name, PROJECT_ROOT / "prompts")
        assert placeholders(template) == keys
        filled = template.format(**{k: f"<{k}>" for k in keys})
        assert all(f"<{k}>" in filled for k in keys)


def test_settings_from_toml_and_env(tmp_path):
    f = tmp_path / "s.toml"
    f.write_text('[retrieval]\ntop_k = 5\n[answer]\nbackend = "mock"\n')
    s = Settings.load(f, env={"ASSISTANT_RETRIEVAL__DENSE_K": "7", "ASSISTANT_STORE": str(tmp_path / "vs")})
    assert (s.retrieval.top_k, s.retrieval.dense_k, s.answer.backend) == (5, 7, "mock")
    assert s.paths.store == tmp_path / "vs"


def test_generative_decline_is_an_abstention(assistant):
    _with_llm(assistant, [f"{ABSTAIN_PREFIX} this."])
    ans = assistant.ask("How many parties nominated candidates?")
    assert ans.backend == "scripted"
    assert ans.abstained and ans.citations == []
    assert ans.related  # the extractive draft's closest turns are offered, not as support


def test_generative_citing_a_turn_it_was_not_given_falls_back(assistant):
    _with_llm(assistant, ["Pamfilova said 24 parties took part [42]."])
    ans = assistant.ask("How many parties nominated candidates?")
    assert any("removed marker [42]" in n for n in ans.notes) or any("cites no source" in n for n in ans.notes)
    assert ans.backend == "extractive" and ans.citations[0].turn_id == "004_33c056b68e5d4ba7.2#8"


def test_generative_timeout_falls_back_to_extractive(assistant):
    class SlowLLM(ScriptedLLM):
        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            time.sleep(2.0)
            return CompletionResponse(text="too late [1]")

    engine = assistant.engine
    engine.generator = LLMAnswerer(SlowLLM(replies=[], prompts=[]), assistant.settings)
    engine.generator.settings = assistant.settings.model_copy(deep=True)
    engine.generator.settings.answer.timeout_s = 0.1
    ans = assistant.ask("How many parties nominated candidates?")
    assert ans.backend == "extractive"
    assert any("timed out" in n for n in ans.notes)


def test_generative_backend_is_tried_when_the_extractive_draft_abstains(assistant):
    _with_llm(assistant, ["Pamfilova spoke of the campaign [1]."])
    ans = assistant.ask("What is Pamfilova's favourite food?")
    assert ans.backend == "scripted" and not ans.abstained and ans.citations


def test_asking_a_question_does_not_import_llamaindex(assistant, seed_store):
    # A new process that answers one question (`assistant ask`) must not pay for importing
    # llama_index.core (about a second); the LlamaIndex query engine is built only when asked for.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assistant.api import Assistant\n"
        f"a = Assistant.open(corpus=[{str(SEEDS)!r}], store={str(seed_store)!r})\n"
        "ans = a.ask('How many candidates have already been registered?')\n"
        "assert ans.citations, ans.answer\n"
        "print(sorted(m for m in sys.modules if m.startswith('llama_index')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    assert assistant.query_engine.engine is assistant.engine
