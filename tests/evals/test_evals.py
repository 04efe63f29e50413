"""Eval sets (schema, extends/overrides), scoring and metrics on hand-made answers, and the runner end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.errors import EvalSetError
from assistant.evals.metrics import BaselineResult, baseline_metrics, compute_metrics, percentile
from assistant.evals.report import format_table, render_report, write_chart
from assistant.evals.run import BaselineRun, ConfigRun, SetRun, eval_command, select_cases
from assistant.evals.score import CaseResult, Expected, ExpectedResolver, SpeakerMatcher, score_answer
from assistant.evals.sets import Case, CiteSpec, Expect, has_phrase, load_evalset, normalise_text
from assistant.ingest.corpus import Corpus, load_corpus
from assistant.types import Answer, Citation, Retrieved

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
EVALS = ROOT / "evals"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([SEEDS])


@pytest.fixture(scope="module")
def matcher(corpus: Corpus) -> SpeakerMatcher:
    return SpeakerMatcher(corpus.people)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# ---------------------------------------------------------------------------------------- schema

GOOD_CASE = "  - id: ok\n    question: How many?\n    expect: {answer_all: [['24']]}\n"


@pytest.mark.parametrize(
    "body, message",
    [
        pytest.param("name: x\ncases:\n  - id: a-case\n    expect: {abstain: true}\n", "case a-case: question: must be a non-empty string", id="missing-question"),
        pytest.param("name: x\ncases:\n  - id: Bad_ID\n    question: q?\n    expect: {abstain: true}\n", "cases[0]: id: must be kebab-case", id="bad-id"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {answer: [['x']]}\n", "case c: expect.answer: unknown field", id="unknown-expect-field"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {answer_all: '24'}\n", "case c: expect.answer_all: must be a list", id="answer-all-not-list"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {answer_all: [[]]}\n", "case c: expect.answer_all[0]: must not be empty", id="empty-group"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {cite: [{}]}\n", "case c: expect.cite[0]: give speaker, contains or turn", id="empty-cite"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {cite: [{turn: s01_e01}]}\n", "case c: expect.cite[0].turn: 's01_e01' is not a turn id", id="bad-turn-id"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {cite: [{speaker: [Putin, 3.5, [x]]}]}\n", "case c: expect.cite[0].speaker: must be a string or a list of strings", id="bad-speaker"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {abstain: true, answer_all: [['x']]}\n", "case c: expect.abstain: an abstention case cannot also expect", id="abstain-and-answer"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    expect: {speaker: Putin}\n", "case c: expect: give answer_all or cite", id="nothing-expected"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    filters: {date_from: 19 August 2022}\n    expect: {abstain: true}\n", "case c: filters.date_from: must be an ISO date", id="bad-date-filter"),
        pytest.param("name: x\ncases:\n  - id: c\n    question: q?\n    filters: {person: Putin}\n    expect: {abstain: true}\n", "case c: filters.person: unknown field", id="unknown-filter"),
        pytest.param("name: x\ncases:\n" + GOOD_CASE + GOOD_CASE, "case ok: id: used twice", id="duplicate-id"),
        pytest.param("name: x\noverrides:\n" + GOOD_CASE, "overrides: only allowed together with extends:", id="overrides-without-extends"),
        pytest.param("name: x\ncases:\n" + GOOD_CASE + "conversations:\n  - id: conv\n    turns:\n      - {question: Why}\n", "conversation conv, turn 1: expect: must be a mapping", id="conversation-turn-no-expect"),
        pytest.param("name: x\ncases: [\n", "not valid YAML", id="invalid-yaml"),
        pytest.param("name: x\ncase:\n" + GOOD_CASE, "case: unknown field", id="unknown-top-level-field"),
    ],
)
def test_schema_errors_name_file_case_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, "bad.yaml", body)
    with pytest.raises(EvalSetError) as err:
        load_evalset(path)
    assert message in str(err.value)
    assert "bad.yaml" in str(err.value) and "\n" not in str(err.value)


def test_shipped_sets_load() -> None:
    seeds = load_evalset(EVALS / "seeds.yaml")
    assert (len(seeds.cases), len(seeds.conversations)) == (80, 7)
    assert seeds.corpus == [ROOT / "seeds"]
    friends = load_evalset(EVALS / "friendsqa.yaml")
    assert friends.cases[0].expect.cite[0].turn == ["s01_e23_c06#15", "s01_e23_c06#13"]


def test_extends_and_overrides_merge(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "name: base\ncorpus: [seeds/]\ncases:\n" + GOOD_CASE
          + "  - id: other\n    question: Other?\n    expect: {abstain: true}\n"
          + "conversations:\n  - id: conv\n    turns:\n      - {question: Why, expect: {abstain: true}}\n")
    child = write(tmp_path, "child.yaml", "name: child\nextends: base.yaml\noverrides:\n"
                  "  - id: ok\n    question: Replaced?\n    filters: {date_from: '2022-01-01'}\n    expect: {answer_all: [['25']]}\n"
                  "cases:\n  - id: extra\n    question: Extra?\n    expect: {abstain: true}\n")
    s = load_evalset(child, root=tmp_path)
    assert [c.id for c in s.cases] == ["ok", "other", "extra"]  # overridden in place, new ones after
    assert s.cases[0].question == "Replaced?" and s.cases[0].expect.answer_all == [["25"]]
    assert s.cases[0].filters == {"date_from": "2022-01-01"}
    assert s.corpus == [tmp_path / "seeds"]  # inherited
    assert [t.id for t in s.all_cases[3:]] == ["conv/1"]


def test_override_of_unknown_case_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "name: base\ncases:\n" + GOOD_CASE)
    child = write(tmp_path, "child.yaml", "name: c\nextends: base.yaml\noverrides:\n  - id: nope\n    question: q?\n    expect: {abstain: true}\n")
    with pytest.raises(EvalSetError, match="case nope: overrides: no case with this id"):
        load_evalset(child)


def test_haystack_overrides_the_seeds() -> None:
    hay = load_evalset(EVALS / "seeds_haystack.yaml")
    seeds = load_evalset(EVALS / "seeds.yaml")
    assert [c.id for c in hay.cases] == [c.id for c in seeds.cases]
    by_id = {c.id: c for c in hay.cases}
    assert not by_id["pamfilova-2018-rating"].expect.abstain
    assert by_id["russian-investment-in-kazakhstan"].filters == {"date_from": "2022-01-01"}
    assert len(hay.corpus) == 2 and hay.corpus[1].name == "var"
    assert len(hay.conversations) == 7


# ---------------------------------------------------------------------------------------- matching


@pytest.mark.parametrize(
    "text, phrase, found",
    [
        pytest.param("About 4,700 campaigns", "4 700", True, id="thousands-separators"),
        pytest.param("over 70\u202f500 candidates", "70,500", True, id="narrow-nbsp-thousands"),
        pytest.param("US$24.5 billion", "24", False, id="integer-inside-decimal"),
        pytest.param("US$24.5 billion", "4.5", False, id="decimal-inside-decimal"),
        pytest.param("24 parties", "24", True, id="number"),
        pytest.param("sixty regions", "six", False, id="word-prefix"),
        pytest.param("verification of signatures", "signature", True, id="plural"),
        pytest.param("It’s “fine”", "it's \"fine\"", True, id="curly-quotes"),
        pytest.param("the CIS  Summit", "cis summit", True, id="case-and-spaces"),
    ],
)
def test_has_phrase(text: str, phrase: str, found: bool) -> None:
    assert has_phrase(text, phrase) is found


def test_normalise_text_keeps_years_and_decimals() -> None:
    assert normalise_text("In 2022, 24.5 and 1,000") == "in 2022, 24.5 and 1000"


# ---------------------------------------------------------------------------------------- scoring


def cite(corpus: Corpus, marker: int, turn_id: str) -> Citation:
    t = next(t for t in corpus.turns if t.id == turn_id)
    return Citation(
        marker=marker, turn_id=t.id, document=t.doc_id, title="", date="", place="", speaker=t.speaker, role=t.role or "",
        kind=t.kind, quote=t.text[:80], text=t.text, source="", start=t.start, end=t.end, attribution=t.attribution,
    )


def turn_with(corpus: Corpus, text: str) -> str:
    return next(t.id for t in corpus.turns if text in t.text)


def answer(text: str, citations: list[Citation], retrieved: list[str], abstained: bool = False, ms: float = 10.0) -> Answer:
    return Answer(
        question="q", search_question="q", answer=text, abstained=abstained, backend="test", citations=citations,
        retrieved=[Retrieved(r, "", 1.0) for r in retrieved], timings_ms={"total": ms},
    )


PARTIES = Case(
    id="parties-nominated", question="How many parties nominated candidates in 2022?",
    expect=Expect(answer_all=[["24", "twenty-four"]], cite=[CiteSpec(speaker=["Pamfilova"], contains="24 parties have nominated")]),
)


def test_expected_turns_resolve_by_speaker_alias_and_text(corpus: Corpus) -> None:
    exp = ExpectedResolver(corpus).resolve(PARTIES)
    assert exp.turn_ids == [turn_with(corpus, "24 parties have nominated")]
    wrong_speaker = Case(id="x", question="q", expect=Expect(cite=[CiteSpec(speaker=["Putin"], contains="24 parties have nominated")]))
    assert ExpectedResolver(corpus).resolve(wrong_speaker).turn_ids == []


def test_a_correct_answer_passes(corpus: Corpus, matcher: SpeakerMatcher) -> None:
    gold = turn_with(corpus, "24 parties have nominated")
    exp = ExpectedResolver(corpus).resolve(PARTIES)
    r = score_answer(PARTIES, answer("Ella Pamfilova said [1]: 24 parties have nominated.", [cite(corpus, 1, gold)], ["x#1", gold]), matcher, exp)
    assert r.passed and r.reasons == []
    assert (r.rank, r.specs_matched, r.speaker_ok) == (2, 1, True)
    assert r.citations == [{"marker": 1, "turn_id": gold, "speaker": "Ella Pamfilova", "ok": True}]


def test_failure_reasons_name_the_missing_group_and_citation(corpus: Corpus, matcher: SpeakerMatcher) -> None:
    putin = turn_with(corpus, "We have 22 parties that have already registered")
    exp = ExpectedResolver(corpus).resolve(PARTIES)
    r = score_answer(PARTIES, answer("Putin said 22 parties [1].", [cite(corpus, 1, putin)], [putin]), matcher, exp)
    assert not r.passed
    assert r.reasons[0] == "answer lacks group 1/1: “24” | “twenty-four”"
    assert r.reasons[1].startswith("no citation matches {speaker Pamfilova, contains “24 parties have nominated”}; cited ")
    assert f"{putin} (Vladimir Putin)" in r.reasons[1]
    assert r.rank is None and r.speaker_ok is False and r.citations[0]["ok"] is False


def test_expected_speaker_is_checked_in_answer_or_first_citation(corpus: Corpus, matcher: SpeakerMatcher) -> None:
    gold = turn_with(corpus, "24 parties have nominated")
    case = Case(id="who", question="Who said it?", expect=Expect(answer_all=[["24"]], speaker=["Tokayev"]))
    r = score_answer(case, answer("24 parties [1].", [cite(corpus, 1, gold)], [gold]), matcher, Expected())
    assert r.reasons == ["speaker: answer names none of “Tokayev” (first citation: Ella Pamfilova)"]
    case.expect.speaker = ["Ms Pamfilova"]  # an alias of the first citation's speaker
    assert score_answer(case, answer("24 parties [1].", [cite(corpus, 1, gold)], [gold]), matcher, Expected()).passed


def test_abstention_cases(corpus: Corpus, matcher: SpeakerMatcher) -> None:
    case = Case(id="no", question="Stock exchange?", expect=Expect(abstain=True))
    assert score_answer(case, answer("The transcripts don't say.", [], [], abstained=True), matcher, Expected()).passed
    r = score_answer(case, answer("Putin said something long about it.", [], []), matcher, Expected())
    assert r.reasons == ["answered, expected an abstention: “Putin said something long about it.”"]
    r = score_answer(PARTIES, answer("The transcripts don't say.", [], [], abstained=True), matcher, Expected())
    assert r.reasons == ["abstained, expected an answer"]


def test_metrics_on_hand_made_results(corpus: Corpus, matcher: SpeakerMatcher) -> None:
    gold = turn_with(corpus, "24 parties have nominated")
    other = turn_with(corpus, "We have 22 parties that have already registered")
    exp = ExpectedResolver(corpus).resolve(PARTIES)
    no = Case(id="no", question="q", expect=Expect(abstain=True))
    results = [
        # right, cites the gold turn and an unrelated one; gold ranked 1st
        score_answer(PARTIES, answer("24 [1][2]", [cite(corpus, 1, gold), cite(corpus, 2, other)], [gold], ms=10), matcher, exp),
        # wrong number, cites the wrong turn; gold ranked 4th
        score_answer(PARTIES, answer("22 [1]", [cite(corpus, 1, other)], ["a#1", "b#1", "c#1", gold], ms=20), matcher, exp),
        # abstains wrongly; gold not retrieved
        score_answer(PARTIES, answer("The transcripts don't say.", [], ["a#1"], abstained=True, ms=30), matcher, exp),
        score_answer(no, answer("The transcripts don't say.", [], [], abstained=True, ms=40), matcher, Expected()),
        score_answer(no, answer("Something.", [], [], ms=50), matcher, Expected()),
    ]
    m = {k: v.value for k, v in compute_metrics(results).items()}
    assert m["accuracy"] == pytest.approx(2 / 5)
    assert m["citation_precision"] == pytest.approx(1 / 3)  # 3 citations in answered answerable cases, 1 right
    assert m["citation_recall"] == pytest.approx(1 / 3)  # 3 specs (one per answerable case), 1 matched
    assert m["speaker_accuracy"] == pytest.approx(1 / 2)  # answered answerable cases only
    assert (m["hit@1"], m["hit@5"], m["hit@10"]) == (pytest.approx(1 / 3), pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert m["mrr"] == pytest.approx((1 + 1 / 4 + 0) / 3)
    assert m["attributed@5"] == m["hit@5"]
    assert m["abstain_precision"] == pytest.approx(1 / 2)  # two abstentions, one expected
    assert m["abstain_recall"] == pytest.approx(1 / 2)  # two abstention cases, one abstained
    assert m["latency_p50"] == 30 and m["latency_p95"] == pytest.approx(48)


def test_empty_denominators_are_none() -> None:
    r = CaseResult(id="x", question="q", passed=True, reasons=[], expect_abstain=True, abstained=True, latency_ms=5)
    m = compute_metrics([r])
    assert m["citation_precision"].value is None and m["hit@1"].value is None and m["abstain_recall"].value == 1.0


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([0, 10], 95) == pytest.approx(9.5)


def test_select_cases_keeps_conversations_whole() -> None:
    s = load_evalset(EVALS / "seeds.yaml")
    picked = select_cases(s, ["parties-nominated", "tokayev-trade-then-summit/2"])
    assert [c.id for c in picked] == ["parties-nominated"] + [f"tokayev-trade-then-summit/{n}" for n in (1, 2, 3)]


def test_side_by_side_table_report_and_chart(tmp_path: Path) -> None:
    def result(cid: str, passed: bool, rank: int | None) -> CaseResult:
        return CaseResult(id=cid, question="q", passed=passed, reasons=[] if passed else ["answer lacks group 1/1: “24”"],
                          expected_turns=["d#1"], rank=rank, specs=1, specs_matched=int(passed), latency_ms=10)

    def config(label: str, results: list[CaseResult]) -> ConfigRun:
        return ConfigRun(label, [f"{label}.toml"], "store", "index line", results, compute_metrics(results), 1.0)

    base = [BaselineResult("a", 3, False, 5.0), BaselineResult("b", None, False, 5.0)]
    run = SetRun("toy", "toy.yaml", ["corpus"], 2, runs=[
        config("dense", [result("a", True, 1), result("b", False, None)]),
        config("hybrid", [result("a", True, 1), result("b", True, 2)]),
    ], baseline=BaselineRun("bstore", "2 files", base, baseline_metrics(base), 1.0))
    table = format_table(run).splitlines()
    assert table[1].split() == ["metric", "dense", "hybrid", "Δ", "hybrid", "baseline"]
    assert table[3].split() == ["answer", "accuracy", "50.0%", "100.0%", "+50.0", "pt", "—"]
    md = render_report([run], chart="toy.png")
    assert "| answer accuracy | 50.0% (1/2) | 100.0% (2/2) | +50.0 pt | — |" in md
    assert "| retrieval hit@5 | 50.0% (1/2) | 100.0% (2/2) | +50.0 pt | 50.0% (1/2) |" in md
    assert "| b | FAIL | pass |" in md  # the case whose result changed
    assert md.index("| b | FAIL | answer lacks group 1/1: “24” |") < md.index("| a | pass |")  # failures first
    chart = write_chart([run], tmp_path / "toy.png")
    assert chart is not None and chart.read_bytes()[:4] == b"\x89PNG"


# ---------------------------------------------------------------------------------------- CLI


def test_cli_lets_errors_raise_under_assistant_raise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_RAISE", "1")
    bad = write(tmp_path, "bad.yaml", "name: x\ncases: []\n")
    with pytest.raises(EvalSetError, match="the set has no cases"):
        CliRunner().invoke(eval_command, [str(bad)], catch_exceptions=False)


def test_cli_bad_eval_file_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_RAISE", raising=False)
    bad = write(tmp_path, "bad.yaml", "name: x\ncases:\n  - id: c\n    question: q?\n    expect: {cite: [{turn: nope}]}\n")
    result = CliRunner().invoke(eval_command, [str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {bad}: case c: expect.cite[0].turn: 'nope' is not a turn id (<document>#<n>)"]


def test_cli_bad_settings_file_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSISTANT_RAISE", raising=False)
    toml = write(tmp_path, "a.toml", "[retrieval]\nmode = 'fuzzy'\n")
    result = CliRunner().invoke(eval_command, [str(EVALS / "seeds.yaml"), "--settings", str(toml)])
    assert result.exit_code == 2 and "a.toml" in result.output and "retrieval.mode" in result.output


def test_end_to_end_over_the_seeds(tmp_path: Path) -> None:
    out, report = tmp_path / "run.json", tmp_path / "run.md"
    cases = ["parties-nominated", "trade-volume-tokayev", "tokayev-gas-prices", "parties-with-right"]
    args = [str(EVALS / "seeds.yaml"), "--stores", str(tmp_path / "stores"), "--json", str(out), "--report", str(report), "--quiet"]
    for c in cases:
        args += ["--case", c]
    result = CliRunner().invoke(eval_command, args + ["--min-accuracy", "1.0"], catch_exceptions=False)
    data = json.loads(out.read_text())
    (run,) = data["sets"][0]["configs"]
    records = run["cases"]
    assert sorted(r["id"] for r in records) == sorted(cases)
    for r in records:
        assert r["error"] is None
        assert (r["reason"] == "") is r["passed"]
    acc = run["metrics"]["accuracy"]["value"]
    assert result.exit_code == (0 if acc == 1.0 else 1)
    assert "answer accuracy" in result.output and "retrieval hit@5" in result.output
    md = report.read_text()
    assert "| metric | default |" in md
    for r in records:
        assert f"| {r['id']} | {'pass' if r['passed'] else 'FAIL'} |" in md
        if not r["passed"]:
            assert r["reason"].split(";")[0].replace("|", "\\|") in md
    # A second run reuses the index: nothing is embedded again.
    again = CliRunner().invoke(eval_command, args, catch_exceptions=False)
    assert again.exit_code == 0
    assert "(0 embedded," in json.loads(out.read_text())["sets"][0]["configs"][0]["index"]
