"""Eval sets: the YAML schema of ``evals/*.yaml``, loaded and checked into typed cases.

The schema is documented in ``evals/README.md``. Every mistake is reported as one line naming
the file, the case (or conversation turn) and the field, e.g.
``evals/seeds.yaml: case parties-nominated: expect.cite[0].contains: must be a non-empty string``.
``extends:`` takes another file's cases, conversations and corpus; ``overrides:`` replaces
extended cases that share an id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import EvalSetError
from assistant.settings import PROJECT_ROOT
from assistant.text.dates import parse_date

_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_TURN_ID = re.compile(r"^.+#\d+$")
SET_KEYS = frozenset({"name", "description", "split", "corpus", "extends", "overrides", "cases", "conversations"})
SPLITS = ("dev", "test")
CASE_KEYS = frozenset({"id", "question", "tags", "filters", "expect"})
TURN_KEYS = frozenset({"question", "tags", "filters", "expect"})
EXPECT_KEYS = frozenset({"answer_all", "speaker", "cite", "abstain"})
CITE_KEYS = frozenset({"speaker", "contains", "turn"})
FILTER_KEYS = frozenset({"speaker", "document", "date_from", "date_to"})


# Thousands written "4,700", "4 700" (also no-break and thin spaces) compare as "4700".
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+(?![\d])")
_CHARS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "})


_INFLECTIONS = frozenset({"s", "es", "d", "ed"})


def normalise_text(text: str) -> str:
    """Text as expectations compare it: straight quotes, no thousands separators, single spaces, case-folded."""
    text = _THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group(0)), text.translate(_CHARS))
    return re.sub(r"\s+", " ", text).strip().casefold()


def has_phrase(text: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words ("six" not in "sixty", "24" not in "24.5").

    A plural or past-tense ending is allowed ("signature" is in "signatures").

    Both arguments are normalised here; pass raw text.
    """
    text, phrase = normalise_text(text), normalise_text(phrase)
    if not phrase:
        return False
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if _edge_ok(text, start, end, phrase):
            return True
        start = text.find(phrase, start + 1)
    return False


def _edge_ok(text: str, start: int, end: int, phrase: str) -> bool:
    before, after = text[:start], text[end:]
    if phrase[0].isalnum() and before and before[-1].isalnum():
        return False
    if phrase[-1].isalnum() and after and after[0].isalnum():
        # Inflections still count ("signature" in "signatures"); other continuations do not ("six", "sixty").
        run = re.match(r"[^\W_]+", after)
        if phrase[-1].isdigit() or (run and run.group(0) not in _INFLECTIONS):
            return False
    # A number continues through a decimal point: "24" is not in "24.5", nor "4.5" in "24.5".
    if phrase[-1].isdigit() and len(after) > 1 and after[0] in ".," and after[1].isdigit():
        return False
    return not (phrase[0].isdigit() and len(before) > 1 and before[-1] in ".," and before[-2].isdigit())




@dataclass
class CiteSpec:
    """A citation the answer must make: any of ``speaker``, containing ``contains``, one of ``turn``."""

    speaker: list[str] = field(default_factory=list)
    contains: str | None = None
    turn: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Compact human form for reports."""
        parts = []
        if self.speaker:
            parts.append("speaker " + " | ".join(self.speaker))
        if self.contains:
            parts.append(f"contains “{self.contains}”")
        if self.turn:
            parts.append("turn " + " | ".join(self.turn))
        return "{" + ", ".join(parts) + "}"


@dataclass
class Expect:
    """What a correct answer looks like."""

    answer_all: list[list[str]] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    cite: list[CiteSpec] = field(default_factory=list)
    abstain: bool = False


@dataclass
class Case:
    """One question to ask; a conversation turn is a case with ``conversation`` and ``position`` set."""

    id: str
    question: str
    expect: Expect
    tags: list[str] = field(default_factory=list)
    filters: dict[str, str] = field(default_factory=dict)
    conversation: str | None = None
    position: int = 0  # 1-based turn number within its conversation


@dataclass
class Conversation:
    """Questions asked in order, each answer carried into the next question's history."""

    id: str
    turns: list[Case]


@dataclass
class EvalSet:
    """A named set of cases and conversations over a corpus."""

    name: str
    path: Path
    description: str = ""
    split: str = "dev"  # dev: failures may be looked at and tuned on; test: run and reported, never tuned on
    corpus: list[Path] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)

    @property
    def all_cases(self) -> list[Case]:
        """Single cases, then every conversation turn."""
        return self.cases + [t for c in self.conversations for t in c.turns]


def load_evalset(path: Path | str, root: Path = PROJECT_ROOT) -> EvalSet:
    """Read and check an eval file (following ``extends:``); corpus paths resolve against ``root``."""
    return _load(Path(path), root, seen=())


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _load(path: Path, root: Path, seen: tuple[Path, ...]) -> EvalSet:
    where = _display(path)
    if path.resolve() in seen:
        raise EvalSetError(f"{where}: extends: circular ({' -> '.join(_display(p) for p in seen)} -> {where})")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EvalSetError(f"{where}: cannot read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise EvalSetError(f"{where}:{line} not valid YAML ({getattr(exc, 'problem', None) or exc})") from exc
    if not isinstance(data, dict):
        raise EvalSetError(f"{where}: must be a mapping with name and cases")
    _no_extra(data, SET_KEYS, where, "")

    base: EvalSet | None = None
    if data.get("extends") is not None:
        ext = data["extends"]
        if not isinstance(ext, str) or not ext:
            raise EvalSetError(f"{where}: extends: must be a file name")
        base = _load(path.parent / ext, root, seen + (path.resolve(),))
    elif data.get("overrides") is not None:
        raise EvalSetError(f"{where}: overrides: only allowed together with extends:")

    name = data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise EvalSetError(f"{where}: name: must be a non-empty string")
    desc = data.get("description", "")
    if not isinstance(desc, str):
        raise EvalSetError(f"{where}: description: must be a string")

    split = data.get("split", base.split if base else "dev")
    if split not in SPLITS:
        raise EvalSetError(f"{where}: split: must be one of {', '.join(SPLITS)}")

    if "corpus" in data:
        corpus = [root / p for p in _strings(data["corpus"], where, "corpus", allow_empty=False)]
    else:
        corpus = list(base.corpus) if base else []

    cases = _case_list(data.get("cases"), where, "cases")
    conversations = _conversations(data.get("conversations"), where)
    if base is not None:
        overrides = {c.id: c for c in _case_list(data.get("overrides"), where, "overrides")}
        unknown = sorted(set(overrides) - {c.id for c in base.cases})
        if unknown:
            raise EvalSetError(f"{where}: case {unknown[0]}: overrides: no case with this id in {_display(base.path)}")
        cases = [overrides.get(c.id, c) for c in base.cases] + cases
        conversations = base.conversations + conversations
    if not cases and not conversations:
        raise EvalSetError(f"{where}: cases: the set has no cases or conversations")

    seen_ids: set[str] = set()
    for cid in [c.id for c in cases] + [c.id for c in conversations]:
        if cid in seen_ids:
            raise EvalSetError(f"{where}: case {cid}: id: used twice")
        seen_ids.add(cid)
    return EvalSet(name=name.strip(), path=path, description=desc, split=split, corpus=corpus, cases=cases, conversations=conversations)


def _no_extra(data: dict[str, Any], allowed: frozenset[str], where: str, prefix: str) -> None:
    extra = sorted(str(k) for k in set(data) - allowed)
    if extra:
        raise EvalSetError(f"{where}{prefix}{extra[0]}: unknown field (allowed: {', '.join(sorted(allowed))})")


def _strings(value: Any, where: str, fld: str, allow_empty: bool = True) -> list[str]:
    """A string or a list of strings, as a list."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or any(not isinstance(v, (str, int, float)) or isinstance(v, bool) for v in value):
        raise EvalSetError(f"{where}: {fld}: must be a string or a list of strings")
    out = [str(v) for v in value]
    if any(not v.strip() for v in out) or (not out and not allow_empty):
        raise EvalSetError(f"{where}: {fld}: must not be empty")
    return out


def _case_list(items: Any, where: str, fld: str) -> list[Case]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise EvalSetError(f"{where}: {fld}: must be a list of cases")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise EvalSetError(f"{where}: {fld}[{i}]: must be a mapping with id, question and expect")
        cid = item.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise EvalSetError(f"{where}: {fld}[{i}]: id: must be kebab-case (got {cid!r})")
        out.append(_case(item, f"{where}: case {cid}: ", cid, CASE_KEYS))
    return out


def _conversations(items: Any, where: str) -> list[Conversation]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise EvalSetError(f"{where}: conversations: must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise EvalSetError(f"{where}: conversations[{i}]: must be a mapping with id and turns")
        cid = item.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise EvalSetError(f"{where}: conversations[{i}]: id: must be kebab-case (got {cid!r})")
        _no_extra(item, frozenset({"id", "turns"}), f"{where}: conversation {cid}: ", "")
        turns = item.get("turns")
        if not isinstance(turns, list) or not turns:
            raise EvalSetError(f"{where}: conversation {cid}: turns: must be a non-empty list")
        cases = []
        for n, t in enumerate(turns, start=1):
            ctx = f"{where}: conversation {cid}, turn {n}: "
            if not isinstance(t, dict):
                raise EvalSetError(f"{ctx}must be a mapping with question and expect")
            case = _case(t, ctx, f"{cid}/{n}", TURN_KEYS)
            case.conversation, case.position = cid, n
            cases.append(case)
        out.append(Conversation(id=cid, turns=cases))
    return out


def _case(item: dict[str, Any], ctx: str, cid: str, allowed: frozenset[str]) -> Case:
    _no_extra(item, allowed, ctx, "")
    q = item.get("question")
    if not isinstance(q, str) or not q.strip():
        raise EvalSetError(f"{ctx}question: must be a non-empty string")
    tags = _strings(item.get("tags", []), ctx.rstrip(": "), "tags")
    filters = _filters(item.get("filters"), ctx)
    exp = item.get("expect")
    if not isinstance(exp, dict):
        raise EvalSetError(f"{ctx}expect: must be a mapping (answer_all, speaker, cite or abstain)")
    return Case(id=cid, question=q.strip(), expect=_expect(exp, ctx), tags=tags, filters=filters)


def _filters(value: Any, ctx: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise EvalSetError(f"{ctx}filters: must be a mapping")
    _no_extra(value, FILTER_KEYS, ctx, "filters.")
    out = {}
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip():
            raise EvalSetError(f"{ctx}filters.{k}: must be a non-empty string")
        if k in ("date_from", "date_to") and parse_date(v) != v:
            raise EvalSetError(f"{ctx}filters.{k}: must be an ISO date yyyy-mm-dd (got {v!r})")
        out[k] = v
    return out


def _expect(exp: dict[str, Any], ctx: str) -> Expect:
    _no_extra(exp, EXPECT_KEYS, ctx, "expect.")
    where = ctx.rstrip(": ")
    abstain = exp.get("abstain", False)
    if not isinstance(abstain, bool):
        raise EvalSetError(f"{ctx}expect.abstain: must be true or false")
    groups_raw = exp.get("answer_all", [])
    if not isinstance(groups_raw, list):
        raise EvalSetError(f"{ctx}expect.answer_all: must be a list of groups (lists of alternatives)")
    groups = [_strings(g, where, f"expect.answer_all[{i}]", allow_empty=False) for i, g in enumerate(groups_raw)]
    speaker = _strings(exp.get("speaker", []), where, "expect.speaker")
    cite_raw = exp.get("cite", [])
    if isinstance(cite_raw, dict):
        cite_raw = [cite_raw]
    if not isinstance(cite_raw, list):
        raise EvalSetError(f"{ctx}expect.cite: must be a list of {{speaker, contains, turn}}")
    cite = [_cite(c, ctx, f"expect.cite[{i}]") for i, c in enumerate(cite_raw)]
    if abstain and (groups or speaker or cite):
        raise EvalSetError(f"{ctx}expect.abstain: an abstention case cannot also expect answer_all, speaker or cite")
    if not abstain and not (groups or cite):
        raise EvalSetError(f"{ctx}expect: give answer_all or cite (or abstain: true)")
    return Expect(answer_all=groups, speaker=speaker, cite=cite, abstain=abstain)


def _cite(spec: Any, ctx: str, fld: str) -> CiteSpec:
    if not isinstance(spec, dict):
        raise EvalSetError(f"{ctx}{fld}: must be a mapping with speaker, contains and/or turn")
    _no_extra(spec, CITE_KEYS, ctx, fld + ".")
    where = ctx.rstrip(": ")
    contains = spec.get("contains")
    if contains is not None and (not isinstance(contains, str) or not contains.strip()):
        raise EvalSetError(f"{ctx}{fld}.contains: must be a non-empty string")
    turns = _strings(spec.get("turn", []), where, f"{fld}.turn")
    bad = [t for t in turns if not _TURN_ID.match(t)]
    if bad:
        raise EvalSetError(f"{ctx}{fld}.turn: {bad[0]!r} is not a turn id (<document>#<n>)")
    out = CiteSpec(speaker=_strings(spec.get("speaker", []), where, f"{fld}.speaker"), contains=contains, turn=turns)
    if not (out.speaker or out.contains or out.turn):
        raise EvalSetError(f"{ctx}{fld}: give speaker, contains or turn")
    return out
