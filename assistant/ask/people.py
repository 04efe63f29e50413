"""People named in a question, resolved the way a reader would.

A name ("Pamfilova", "Ms Pamfilova", "Vladimir Putin") names its person. A role ("the president",
"the Hungarian Prime Minister", "the Governor of Tula Region", "the President of the European
Commission") names whoever holds it *in this corpus*: the qualifier next to the role (a demonym,
a country, "of <organisation>") must agree with the person's role or with the title of an event
they speak at, and a year in the question prefers people who speak in that year's documents.

A resolution is *certain* when a name matches one person, or when a qualified role fits exactly
one person. Only certain resolutions may become strict speaker filters; the rest add weight.
A qualified role that fits nobody resolves to nobody: "the Finnish President" is not Putin.
"""

from __future__ import annotations

import difflib
import itertools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from assistant.ask.names import initials_pattern
from assistant.index.loaded import LoadedIndex
from assistant.ingest.speakers import name_key, normalise, strip_honorific
from assistant.text import lexicon
from assistant.text.sentences import introduction, sentence_spans
from assistant.text.tokens import SPEECH_VERBS, STOPWORDS

_NGRAM_WORD = re.compile(r"[\w’'.-]+")
# "of the European Commission", "of Tula Region": capitalised words (and small connectors) after "of", behind up to
# two lower-case modifiers of the name ("of the revived Znaniye Society", "of the state-owned Rostec").
_MODIFIER = r"(?:(?!(?:of|and|for|in|on|at|to|with|from|by)\b)[a-z][\w-]*\s+)"
_OF_QUALIFIER = re.compile(r"^\s+of\s+(?:the\s+)?" + _MODIFIER + r"{0,2}?((?:[A-Z][\w'’.-]*)(?:\s+(?:(?:of|and|for|the|on)\b|[A-Z][\w'’.-]*))*)")
# "What did Putin himself say…": a reflexive that stresses the person, then the verb.
_SPEAKER_AFTER = re.compile(r"^(?:'s)?\s*(?:(?:himself|herself|themselves)\s+)?(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b")
# "according to X", "from X", "by X" name a source. "Did X …" alone does not: "did the FIFA President
# receive" asks what happened to him, not what he said; a speech verb after the name decides that.
_SPEAKER_BEFORE = re.compile(r"\b(?:according to|from|by)\s*(?:the\s+)?$")
# An apposition between the name and the verb: "What did Lynne Neagle, chair of the committee, say…",
# "the Leader of the Opposition, Andrew Scheer, say…" (a list, "X, Y, and Z say", is none: the verb must follow the comma).
_SPEAKER_APPOSITION = re.compile(r"^(?:,\s*[^,?;]{1,80})?,\s*(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b")
_CLAUSE_WORDS = r"(?:when|while|after|before|as)"  # what opens a time clause ("when Shoigu reported on Mariupol")
_TIME_CLAUSE = re.compile(r"\b" + _CLAUSE_WORDS + r"\s+(?:the\s+)?$")
_OTHER_OFFICE = re.compile(r"\b(?:deputy|vice|acting|former|ex|first deputy)[\s-]+$")
# "the director of the Vektor virology centre say…": an of-phrase of a few words, named or not, then the verb.
_OF_PHRASE_SPEAKER = re.compile(r"^\s+of\s+(?:the\s+)?[\w'’.-]+(?:\s+(?!(?:and|or|when|while|at|in|on)\b)[\w'’.-]+){0,5}?\s+(?:\w+ly\s+)?(?:"
                                + SPEECH_VERBS + r")\b", re.I)
# A named owner just before an office: "Gazprom's head", "Hungary's Prime Minister" (capitalised: "the company's CEO" names no one).
_OWNER = re.compile(r"\b([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)['’]s\s+$")
_POSSESSIVE = re.compile(r"'s\b")
_POSSESSIVE_END = re.compile(r"['’]s$")
# "X's remarks", and a journalist's "by X's (own) count / account / estimate": X is the source of the figure.
_SPEAKER_POSSESSIVE = re.compile(r"^['’]s\s+(?:own\s+)?(?:words|remarks|speech|statement|view|views|answer|question|position|comments?|opinion|reply|address"
                                 r"|count|account|estimate|reckoning|figures?)\b")


def asked_as_speaker(low: str, start: int, end: int) -> bool:
    """Whether the name at ``low[start:end]`` (a lower-cased question) is asked about as the one who
    spoke: "what did X say", "according to X", "X's remarks"."""
    after, before = low[end : end + 120], low[max(0, start - 30) : start]
    # A span may end in its possessive ("president's"): the remark it owns follows.
    owned = low[end - 2 : end + 120] if _POSSESSIVE_END.search(low[start:end]) else after
    return bool(_SPEAKER_AFTER.match(after) or _SPEAKER_APPOSITION.match(after) or _SPEAKER_BEFORE.search(before)
                or _SPEAKER_POSSESSIVE.match(owned))


@dataclass
class Mention:
    """One person-naming span of a question and who it may name."""

    span: str  # as written in the (normalised) question
    names: list[str]  # candidates, best first; empty when a qualified role fits nobody
    certain: bool  # a name of one person, or a qualified role that fits exactly one
    as_speaker: bool  # the question asks what this person said
    by_role: bool = False
    qualifier: str = ""
    in_clause: bool = False  # inside a time clause ("when Shoigu reported on Mariupol"): it dates, it does not ask
    notes: list[str] = field(default_factory=list)
    end: int = 0  # where the span ends in the question


@cache
def demonym_table() -> dict[str, str]:
    """Lower-case demonym (or adjective) → the country or body it names (lexicon ``demonyms.txt``)."""
    return {k.lower(): v for k, v in lexicon.table("demonyms").items()}


def _is_name_match(span: str, name: str) -> bool:
    """Whether the span is the person's name or part of it ('putin', 'ms pamfilova'), not a role."""
    key = strip_honorific(normalise(span)).removesuffix("'s")
    words = normalise(name).split()
    k = key.split()
    return bool(k) and any(words[i : i + len(k)] == k for i in range(len(words) - len(k) + 1))


def _given_name_before(low: str, words: list[tuple[int, int]], taken: list[bool], start: int, names: list[str]) -> int:
    """Where a name starts when the words just before a matched surname are the person's given names as
    spelled a little differently: "Yves-François Blanchet" for a transcript's "Yves-Franois Blanchet" (a letter
    lost in the source), "Kassym-Zhomart Tokayev" for "Kassym-Jomart". Each such word must share its first
    letter with one of the person's given names and be at least ``_NEAR_GIVEN`` similar to it; else ``start``."""
    given = {w for n in names for w in normalise(n).split()[:-1] if len(w) > 2}
    i = next((k for k, (s, _) in enumerate(words) if s == start), None)
    if i is None or not given:
        return start
    new = start
    while i > 0 and not taken[i - 1]:
        word = low[words[i - 1][0] : words[i - 1][1]]
        if len(word) < 3 or not any(_near_given(word, g) for g in given):
            break
        i -= 1
        new = words[i][0]
    return new


_NEAR_GIVEN = 0.85


def _near_given(word: str, given: str) -> bool:
    """Whether ``word`` is ``given`` spelled a little differently: another transliteration of one Russian name
    ("Sergey" for "Sergei", "Dmitri" for "Dmitry", "Yevgeny" for "Evgeny": ``name_key``), the Ukrainian spelling of
    the name ("Volodymyr" for "Vladimir": ``lexicon/given_name_variants.txt``), or the same first letter and
    ``_NEAR_GIVEN`` similar."""
    if name_key(word) == name_key(given) or _one_given_name(word, given):
        return True
    return word[:1] == given[:1] and difflib.SequenceMatcher(None, word, given).ratio() >= _NEAR_GIVEN


@cache
def _given_name_groups() -> dict[str, frozenset[str]]:
    """Each spelling of a given name → its Russian and Ukrainian spellings (``lexicon/given_name_variants.txt``)."""
    out: dict[str, frozenset[str]] = {}
    for group in lexicon.groups("given_name_variants"):
        names = frozenset(name_key(n) for n in group)
        for n in names:
            out[n] = names
    return out


def _one_given_name(word: str, given: str) -> bool:
    """Whether two given names are one name spelled the Russian and the Ukrainian way ("Volodymyr", "Vladimir")."""
    return name_key(given) in _given_name_groups().get(name_key(word), frozenset())


def spelled_otherwise(named: list[str], table: dict[str, list[str]]) -> list[str]:
    """The people named, spelled a little differently by another page's speaker labels: "Tatayana Golikova"
    for "Tatyana Golikova" (the surname the same, each given name near). A question that names the person
    correctly asks about what they said under either spelling."""
    out: list[str] = []
    for name in named:
        words = normalise(name).split()
        if len(words) < 2:
            continue
        for other in table.get(words[-1], []):
            if other not in named and other not in out and _spelled_alike(name, other):
                out.append(other)
    return out


def _spelled_alike(a: str, b: str) -> bool:
    """Whether two full names are one name spelled a little differently: the same surname, as many given names,
    each near the other's."""
    x, y = normalise(a).split(), normalise(b).split()
    return (len(x) >= 2 and len(x) == len(y) and x[-1] == y[-1]
            and all(_near_given(u, v) for u, v in zip(x[:-1], y[:-1])))


def one_spelling(names: list[str]) -> list[str]:
    """The people among ``names``, each under the first spelling listed ("Tatyana Golikova, Tatayana Golikova"
    is one person to name in an answer)."""
    out: list[str] = []
    for name in names:
        if not any(_spelled_alike(name, kept) for kept in out):
            out.append(name)
    return out


def _part_of_another_name(q: str, start: int, end: int, names: list[str]) -> bool:
    """Whether a matched surname sits inside a longer capitalised name that is not the person's own.

    "Kim Jong-un" holds the surname of Marina Kim; "President Putin" and "Mr Putin" are still Putin.
    """
    after = re.match(r"^[\s-]+([A-Z][\w'’.-]*)", q[end:])
    before = re.search(r"([A-Z][\w'’.-]*)\s+$", q[:start])
    own = {w.lower() for n in names for w in n.split()}
    skip = lexicon.words("role_words") | {"mr", "ms", "mrs", "miss", "madam", "dr", "mister"}
    for m in (after, before):
        if m is None:
            continue
        word = m.group(1).strip(".’'").lower()
        if word in own or word in skip:
            continue
        if m is before and _POSSESSIVE_END.search(word) or m is after and _POSSESSIVE_END.search(q[start:end]):
            continue  # an owner, "HEFCW's Bethan Owen", or what is owned: "Putin's June 2019 meeting"
        if m is before and re.search(r"(^|[.?!:]\s*)$", q[: m.start(1)]):
            continue  # the first word of the question is capitalised anyway
        return True
    return False


def of_qualifier(words: str) -> str:
    """The body an 'of X' names, as ``_OF_QUALIFIER`` caught it, without connectors it ran on to ("the head of
    Rospotrebnadzor of …"). A possessive stays: "the head of Russia's trade unions" is not the head of Russia."""
    return re.sub(r"(?:\s+(?:of|and|for|the|on))+$", "", words.strip()).strip()


def _qualifier(question: str, low: str, start: int, end: int, topics: frozenset[str] = frozenset(),
               people: dict[str, list[str]] | None = None) -> str:
    """A demonym or country just before a role ('the Hungarian …'), 'of X' just after it, or the words of
    a portfolio just before it ('the public safety minister': ``topics`` are the words of the corpus's roles)."""
    before = re.findall(r"[\w'’.-]+", low[max(0, start - 40) : start])
    demonyms = demonym_table()
    for n in (2, 1):  # "south african", "new zealand"
        if len(before) >= n:
            cand = " ".join(before[-n:])
            if cand in demonyms:
                return demonyms[cand]
    owner = _OWNER.search(question[:start])
    if owner and not (people or {}).get(normalise(owner.group(1))):
        # "Gazprom's head", "Hungary's Prime Minister": whose office it is ("Putin's press secretary": a person's
        # staff, not an office of a body called Putin).
        return owner.group(1)
    m = _OF_QUALIFIER.match(question[end:])
    if m:
        return of_qualifier(m.group(1))
    if " of " in low[start:end]:
        return ""  # "the new President of Turkmenistan": the role is qualified in its own words, "new" is none
    portfolio = list(itertools.takewhile(lambda w: _topical(w, topics), reversed(before[-2:])))
    return " ".join(reversed(portfolio))


_ROLE_TOPICS: "weakref.WeakKeyDictionary[object, frozenset[str]]" = weakref.WeakKeyDictionary()


def role_topics(index: LoadedIndex) -> frozenset[str]:
    """Words of the corpus's roles that say what an office is for ("finance", "safety", "education"),
    not the office itself: a role word, a function word or a demonym is none. Computed once per people
    table (a few ms over a thousand people), not once per question."""
    people = index.people
    topics = _ROLE_TOPICS.get(people)
    if topics is None:
        skip = lexicon.words("role_words") | STOPWORDS | set(demonym_table())
        words = {w for p in people for r in p.roles for w in re.findall(r"[a-z][a-z'-]+", normalise(r)) if w not in skip}
        words |= {w for w, other in _portfolio_synonyms().items() if set(other.split()) <= words}  # "Health Minister"
        topics = frozenset(words | {_singular(w) for w in words})  # "the Sports Minister" is the Minister of Sport
        _ROLE_TOPICS[people] = topics
    return topics


def _topical(word: str, topics: frozenset[str]) -> bool:
    """Whether a question word is a portfolio word of the corpus's roles, in any form ("sports" for "Sport")."""
    return word in topics or _singular(word) in topics


def _singular(word: str) -> str:
    """A word without a plural 's' ("sports" → "sport"); other forms stay apart ("federal" is not "federation")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _singular_phrase(text: str) -> str:
    """The words of a text, each singular, space-separated with a space at each end (for whole-phrase matching)."""
    return " " + " ".join(_singular(w) for w in re.findall(r"[\w'-]+", text)) + " "


def fits(text: str, office: list[str], qualifier: str, initials: bool = False) -> bool:
    """Whether a role or event title holds every office word (for "head", any office that heads a body:
    ``lexicon/head_offices.txt``) and names the qualifier (or its demonym; with ``initials``, an acronym
    qualifier may be the initials of words in a row)."""
    low, words, phrase = _read_role(text)
    if not _holds(words, office) or _only_deputy(low, office):
        return False
    q = normalise(qualifier)
    if re.search(rf"(?<![\w'-]){re.escape(q)}(?![\w'-])", low):  # a whole word: "RT" is not the "rt" of "party"
        return True
    if _singular_phrase(q) in phrase:
        return True  # the same words in a row, singular or plural: "sports" for the Minister of Sport
    if initials and qualifier.isupper() and qualifier.isalpha() and 3 <= len(qualifier) <= 6:
        # An acronym names the body by its initials: "HEFCW" is the Higher Education Funding Council for Wales
        # (small words between skipped). Two letters ("RT") are the initials of too many things.
        if re.search(r"(?<![\w'-])" + initials_pattern(q), low):
            return True
    if any(_singular_phrase(other) in phrase for other in _same_body(q)):
        return True  # "Rosprirodnadzor" is the Federal Service for Supervision of Natural Resources
    other = _portfolio_synonyms().get(q)
    if other and _singular_phrase(other) in phrase:
        return True  # "the Health Minister" is the Healthcare Minister
    return any(re.search(rf"\b{re.escape(a)}\b", low) for a in _demonyms_of(q))


@lru_cache(maxsize=1 << 16)
def _read_role(text: str) -> tuple[str, frozenset[str], str]:
    """A role or title as ``fits`` reads it: normalised, its words, its singular phrase (read once, not per question)."""
    low = normalise(text)
    words = re.findall(r"[\w'-]+", low)
    # A hyphenated office holds its parts too: a "Director-General" is a director, an "Editor-in-Chief" an editor.
    return low, frozenset(words + [p for w in words if "-" in w for p in w.split("-") if p]), _singular_phrase(low)


def _holds(words: frozenset[str], office: list[str]) -> bool:
    """Whether a role's words hold every office word (for "head" or "leader", any office that heads a body: "the
    head of Rostec" is its CEO, chairperson or director)."""
    if office in (["head"], ["leader"]) and words & lexicon.words("head_offices") and not words & {"deputy", "vice", "assistant"}:
        return True  # "the trade union leader" is its chairman, "the Kazakh leader" Kazakhstan's president
    if all(w in words for w in office):
        return True
    # "Putin's spokesman": the role's name for the office ("Press Secretary"; lexicon/office_synonyms.txt).
    other = _office_synonyms().get(" ".join(office))
    return other is not None and all(w in words for w in other.split())


def _names_office(low: str, office: list[str]) -> bool:
    """Whether a role names the office as one phrase, "Defence Minister" or "Minister of Defence" (not "Minister for
    Civil Defence, Emergencies and Disaster Relief", which holds both words)."""
    if len(office) < 2:
        return bool(re.search(rf"(?<![\w'-]){re.escape(office[0])}(?![\w'-])", low)) if office else False
    *what, head = office
    words = r"[\s-]+".join(re.escape(w) for w in what)
    return bool(re.search(rf"(?<![\w'-]){words}[\s-]+{re.escape(head)}(?![\w'-])", low)
                or re.search(rf"(?<![\w'-]){re.escape(head)}\s+(?:of|for)\s+(?:the\s+)?{words}(?![\w'-])", low))


@cache
def _portfolio_synonyms() -> dict[str, str]:
    """A portfolio as a question may name it → as roles name it, lower-case (``lexicon/portfolio_synonyms.txt``)."""
    return {k.lower(): v.lower() for k, v in lexicon.table("portfolio_synonyms").items()}


@cache
def _office_synonyms() -> dict[str, str]:
    """An office as a question may name it → as roles name it, lower-case (``lexicon/office_synonyms.txt``)."""
    return {k.lower(): v.lower() for k, v in lexicon.table("office_synonyms").items()}


def _only_deputy(low: str, office: list[str]) -> bool:
    """Whether a role holds the office only as its deputy: "Deputy Prime Minister" is no Prime Minister, "Vice
    President" no President ("First Deputy Prime Minister – Finance Minister" is still a Finance Minister)."""
    if not office or office[0] in ("deputy", "vice", "first"):
        return False
    phrase = r"[\s-]+".join(re.escape(w) for w in office)
    found = [m.start() for m in re.finditer(rf"(?<![\w'-]){phrase}(?![\w'-])", low)]
    return bool(found) and all(re.search(r"\b(?:deputy|vice)[\s-]+$", low[:at]) for at in found)


def domestic_holders(office: list[str], qualifier: str, index: LoadedIndex) -> list[str]:
    """For a country qualifier nobody's role names ("the Russian Defence Minister", "the Canadian Health Minister"),
    the holders of the office whose roles name no country at all and who speak at events about that country: a
    transcript gives its own officials' offices without the country ("Defence Minister", "Minister of Health"),
    which is the country its events speak of most. Empty for any other qualifier, and for a bare "head" (of what is
    the qualifier's to say)."""
    country = _country_of(qualifier)
    if country is None or office == ["head"]:  # "the head of Russia's central bank": the body is the qualifier
        return []
    out = []
    for p in sorted(index.people, key=lambda p: -p.turns):
        roles = [_read_role(r)[0] for r in p.roles]
        if not any(_names_office(r, office) and not _only_deputy(r, office) for r in roles):
            continue
        if any(_country_pattern().search(f" {' '.join(re.findall(r'[a-z]+', r))} ") for r in roles):
            continue  # a role that names a country is that country's
        if _home_country(sorted(p.documents), index) == country:
            out.append(p.name)
    return out


def _country_of(qualifier: str) -> str | None:
    """The country a qualifier names ("Russia", "Russian", "Canada's"), normalised; None for anything else."""
    return _country_words().get(normalise(qualifier).removesuffix("'s"))


@cache
def _country_words() -> dict[str, str]:
    """Every demonym and country name (normalised) → its country."""
    out = {d: normalise(c) for d, c in demonym_table().items()}
    out.update({normalise(c): normalise(c) for c in demonym_table().values()})
    return out


def _home_country(docs: list[str], index: LoadedIndex, most: int = 5) -> str | None:
    """The country the events a person speaks at (``docs``, the first ``most`` of them) name most, its demonyms
    counted with it."""
    counts: dict[str, int] = {}
    for d in docs[:most]:
        for m in _country_pattern().finditer(index.doc_words(d)):
            c = _country_words().get(m.group(1))
            if c:
                counts[c] = counts.get(c, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else None


@cache
def _country_pattern() -> re.Pattern[str]:
    """Any demonym or country name, as words between spaces (as ``LoadedIndex.doc_words`` reads a document)."""
    words = sorted({" ".join(re.findall(r"[a-z]+", w)) for w in _country_words()}, key=len, reverse=True)
    return re.compile(r" (" + "|".join(re.escape(w) for w in words if w) + r")(?= )")


@cache
def _demonyms_of(country: str) -> tuple[str, ...]:
    """The demonyms of a country (its normalised name): "hungary" → ("hungarian",). Read once per country: ``fits``
    runs for every role of every person a question's office may name."""
    return tuple(d for d, name in demonym_table().items() if normalise(name) == country)


@cache
def _body_names() -> tuple[tuple[str, str], ...]:
    """(short name, full name) of public bodies, normalised (``lexicon/body_names.txt``)."""
    return tuple((normalise(a.strip()), normalise(b.strip())) for a, _, b in (ln.partition("|") for ln in lexicon.ordered("body_names")))


def _office_of_person(qualifier: str, table: dict[str, list[str]], index: LoadedIndex) -> str | None:
    """For a qualifier that names one person ("Putin's"), the office their most frequent role heads with ("President
    of Russia" → "President"); None for any other qualifier."""
    if not qualifier:
        return None
    names = table.get(normalise(qualifier).removesuffix("'s"))
    if not names:
        return None
    person = index.people.find(names[0])  # the best-known of that name ("Putin": Vladimir Putin, also misspelled)
    if person is None or not person.roles:
        return None
    role = person.roles.most_common(1)[0][0]
    head = re.split(r"\s+(?:of|for)\s+|,|\s+[–-]\s+", role)[0].strip()
    return head if head and head.lower() in lexicon.words("head_offices") | {"prime minister"} else None


def _same_body(name: str) -> list[str]:
    """The other names of the body ``name`` (normalised) names: its full names for a short one, and back."""
    return [b for a, b in _body_names() if a == name] + [a for a, b in _body_names() if b == name]


_MEDIA_OFFICES = lexicon.words("media_offices")
# The outlet of a media office: capitalised words just before it ("the Kommersant correspondent", "the RIA Novosti
# reporter") or after "from" ("a journalist from Izvestia").
_OUTLET_BEFORE = re.compile(r"(?:^|\s)(?:[Tt]he|[Aa]n?)\s+((?:[A-Z][\w'’.-]*\s+){1,3})$")  # "The Kommersant …" opening a question too
_OUTLET_AFTER = re.compile(r"^\s+(?:from|of|at)\s+(?:the\s+)?([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})")


def _outlet(question: str, start: int, end: int) -> str:
    """The outlet a media office in the question is qualified by, or ''."""
    m = _OUTLET_BEFORE.search(question[:start])
    if m:
        return m.group(1).strip()
    m = _OUTLET_AFTER.match(question[end:])
    return m.group(1).strip() if m else ""


def holders(office: list[str], qualifier: str, index: LoadedIndex) -> list[str]:
    """People whose role, or the title or a lead sentence of an event they speak at (naming them), fits office and qualifier;
    an acronym qualifier ("the head of RT") read as initials only when nobody fits it as a word. For a media office
    ("the Kommersant correspondent") nobody's role fits, also the people the record gives no role who introduce
    themselves by the outlet ("Andrei Kolesnikov, Kommersant newspaper.": the label does not say which office)."""
    found = _holders(office, qualifier, index, initials=False) or _holders(office, qualifier, index, initials=True)
    if found or not set(office) & _MEDIA_OFFICES:
        return found
    return [name for name, said in _self_introductions(index).items() if fits(said, [], qualifier)]


_INTROS: "weakref.WeakKeyDictionary[object, dict[str, str]]" = weakref.WeakKeyDictionary()


def _self_introductions(index: LoadedIndex) -> dict[str, str]:
    """What each speaker the record gives no role says they are at the start of their first turn of an event that
    opens with their name ("Kommersant newspaper"), once per people table."""
    got = _INTROS.get(index.people)
    if got is None:
        got = {}
        for person in index.people:
            if person.roles or len(person.name.split()) < 2:
                continue
            for doc in sorted(person.documents):
                said = introduced_at(index, doc, person.name)
                if said:
                    got[person.name] = said
                    break
        _INTROS[index.people] = got
    return got


def introduced_at(index: LoadedIndex, doc_id: str, speaker: str) -> str:
    """What ``speaker`` introduced themselves as in their first turn of an event, when it opens with their name
    ("Alexander Yunashev, Life. Mr President, …" → 'Life'); '' otherwise."""
    for n in sorted(index.doc_turns.get(doc_id) or {}):
        turn = index.turn_at(doc_id, n)
        if turn is not None and turn.speaker == speaker:
            return introduction(turn.text, speaker)
    return ""


def _holders(office: list[str], qualifier: str, index: LoadedIndex, initials: bool) -> list[str]:
    found: dict[str, int] = {}
    for p in index.people:
        if any(fits(r, office, qualifier, initials) for r in p.roles):
            found[p.name] = p.turns
    if initials:  # a title's initials would be the guest's name's too: roles only
        return [n for n, _ in sorted(found.items(), key=lambda kv: -kv[1])]
    leads = _lead_sentences(index)
    for doc_id, doc in index.documents.items():
        # The title names the guest with their office; for a guest the parse gives no role, so does a sentence
        # of the lead ("Pavel Malkov has been appointed Acting Governor of the Ryazan Region.") - not for the
        # host it also names ("Vladimir Putin met with …"), whose own role says what he is.
        texts = [(doc.get("title", ""), False)] + [(sentence, True) for sentence in leads.get(doc_id, ())]
        for text, roleless_only in texts:
            if not fits(text, office, qualifier):
                continue
            speakers = index.doc_speakers.get(doc_id, set())
            surnames = [n.split()[-1] for n in speakers if len(n.split()[-1]) > 2]
            for name in speakers:
                surname = name.split()[-1]
                person = index.people.find(name)
                if (len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", text) and person is not None
                        and not (roleless_only and person.roles)
                        # A title introduces each person it names by the words just before them: the office it
                        # fits must be among those (a news headline names Putin beside the minister it is about).
                        and (roleless_only or fits(_before_name(text, surname, [o for o in surnames if o != surname]), office, qualifier))):
                    found.setdefault(name, person.turns)
    return [n for n, _ in sorted(found.items(), key=lambda kv: -kv[1])]


def _before_name(text: str, surname: str, others: list[str]) -> str:
    """The words of a title that introduce a person: from the last other person named before them to their surname.
    "Meeting with President of China Xi Jinping and President of Mongolia Khaltmaagiin Battulga": " and President of
    Mongolia Khaltmaagiin " introduces Battulga; "Vladimir Putin held a meeting with Emergencies Minister Alexander
    Kurenkov" introduces Putin by nothing and Kurenkov by " held a meeting with Emergencies Minister Alexander "."""
    m = re.search(rf"\b{re.escape(surname)}\b", text)
    if m is None:
        return ""
    start = 0
    for other in others:
        for o in re.finditer(rf"\b{re.escape(other)}\b", text[: m.start()]):
            start = max(start, o.end())
    return text[start : m.start()]


_LEADS: "weakref.WeakKeyDictionary[object, dict[str, list[str]]]" = weakref.WeakKeyDictionary()


def _lead_sentences(index: LoadedIndex) -> dict[str, list[str]]:
    """Each document's lead split into sentences, once per people table (not once per question)."""
    got = _LEADS.get(index.people)
    if got is None:
        got = {}
        for doc_id, doc in index.documents.items():
            lead = doc.get("lead") or ""
            if lead:
                got[doc_id] = [lead[s:e] for s, e in sentence_spans(lead)]
        _LEADS[index.people] = got
    return got


def _speaks_in_years(name: str, years: list[int], index: LoadedIndex) -> bool:
    want = {str(y) for y in years}
    return any(
        name in speakers and index.documents.get(doc, {}).get("date", "")[:4] in want
        for doc, speakers in index.doc_speakers.items()
    )


def _unlisted_roles(q: str, low: str, words: list[tuple[int, int]], taken: list[bool], topics: frozenset[str] = frozenset()) -> list[tuple[int, int, list[str]]]:
    """Qualified roles the alias table does not hold: 'the Finnish President', 'the Governor of Tula Region'.

    They are returned with no candidates; resolution by qualifier (below) finds the holders, if any.
    """
    roles = lexicon.words("role_words")
    modifiers = lexicon.words("role_modifiers")
    demonyms = demonym_table()
    toks = [low[s:e].strip(".,") for s, e in words]
    out: list[tuple[int, int, list[str]]] = []
    i = 0
    while i < len(toks):
        if not taken[i] and toks[i] in _MEDIA_OFFICES and _outlet(q, words[i][0], words[i][1]):
            # "the Kommersant correspondent", "a reporter from Izvestia": an office at the outlet named.
            out.append((words[i][0], words[i][1], []))
            taken[i] = True
            i += 1
            continue
        if taken[i] or toks[i] not in roles:
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and not taken[j + 1] and toks[j + 1] in roles:
            j += 1
        if all(t in modifiers for t in toks[i : j + 1]):
            i = j + 1
            continue  # "state", "federal", "deputy" alone name no office
        qualified = (i >= 1 and toks[i - 1] in demonyms) or (i >= 2 and f"{toks[i - 2]} {toks[i - 1]}" in demonyms)
        qualified = qualified or bool(_OF_QUALIFIER.match(q[words[j][1]:])) or (i >= 1 and _topical(toks[i - 1], topics))
        qualified = qualified or bool(_OWNER.search(q[: words[i][0]]))
        if qualified:
            out.append((words[i][0], words[j][1], []))
            for k in range(i, j + 1):
                taken[k] = True
        i = j + 1
    return out


def find_mentions(question: str, index: LoadedIndex, years: list[int] | None = None) -> list[Mention]:
    """Person-naming spans of a question (alias n-grams, longest first), each resolved."""
    q = question.replace("’", "'")
    low = normalise(q)
    # normalise() only folds case and spaces here, so offsets in `low` match `q` up to leading space.
    offset = len(q) - len(q.lstrip())
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
            # "Rosatom's CEO" is the "Rosatom CEO": a possessive inside the span names whose office it is.
            names = table.get(key) or (table.get(_POSSESSIVE.sub("", key)) if "'s " in key else None)
            if not names:
                continue
            for j in range(i, i + size):
                taken[j] = True
            found.append((start, start + len(span), names))
    topics = role_topics(index)
    found += _unlisted_roles(q, low, words, taken, topics)
    out: list[Mention] = []
    for start, end, names in sorted(found):
        span = low[start:end]
        as_speaker = asked_as_speaker(low, start, end)
        in_clause = bool(_TIME_CLAUSE.search(low[max(0, start - 20) : start]))
        if any(_is_name_match(span, n) for n in names):
            named = [n for n in names if _is_name_match(span, n)]
            near = _given_name_before(low, words, taken, start, named)
            if near != start:
                start, span = near, low[near:end]
            if _part_of_another_name(q, start + offset, end + offset, named):
                continue  # "Kim" in "Kim Jong-un" is not Marina Kim
            # One person, whichever way a page spells them.
            out.append(Mention(span, named + spelled_otherwise(named, table), certain=len(named) == 1, as_speaker=as_speaker,
                               in_clause=in_clause, end=end + offset))
            continue
        # A role. "Deputy Prime Minister", "former President": another office, not the holder of this one.
        if _OTHER_OFFICE.search(low[:start]):
            continue
        # Its qualifier, if the question gives one, must agree with whoever is chosen.
        qualifier = _qualifier(q, low, start + offset, end + offset, topics, table)
        # "Putin's spokesman": an office of the person's office, the President's ("Presidential Press Secretary"),
        # when nothing else qualifies it ("Trump's Secretary of State" is qualified by "of State") and someone holds it.
        owner = _OWNER.search(q[: start + offset])
        staff_of = _office_of_person(owner.group(1), table, index) if owner and not qualifier else None
        qualifier = _office_of_person(qualifier, table, index) or qualifier
        if span in _MEDIA_OFFICES:
            qualifier = qualifier or _outlet(q, start + offset, end + offset)
            after = _OUTLET_AFTER.match(q[end + offset :])
            if after and not as_speaker:
                as_speaker = asked_as_speaker(low, start, end + after.end())  # "a reporter from Life asked"
        of = _OF_QUALIFIER.match(q[end + offset :])
        if of and not as_speaker:
            # "What did the Minister of Public Safety say…": the verb follows the qualifier.
            as_speaker = asked_as_speaker(low, start, end + of.end()) or bool(_OF_PHRASE_SPEAKER.match(q[end + offset :]))
        office = [w for w in re.findall(r"[\w'-]+", span.removesuffix("'s")) if w not in ("the", "a", "an", "of")]
        if staff_of and holders(office, staff_of, index):
            qualifier = staff_of  # else the office is the person's own ("Odemar's Secretary of State")
        mention = Mention(span, list(names), certain=False, as_speaker=as_speaker, by_role=True, qualifier=qualifier, in_clause=in_clause, end=end + offset)
        if qualifier:
            fit = holders(office, qualifier, index) or domestic_holders(office, qualifier, index)
            mention.names = fit
            mention.notes.append(f"“{span}” with “{qualifier}” fits {', '.join(fit) if fit else 'nobody in the corpus'}")
        if years and len(mention.names) > 1:
            dated = [n for n in mention.names if _speaks_in_years(n, years, index)]
            mention.names = dated or mention.names
        mention.certain = len(mention.names) == 1 and (bool(qualifier) or len(names) == 1)
        out.append(mention)
    if any(m.as_speaker and not m.in_clause for m in out):
        # "What did Putin instruct Shoigu to do, when Shoigu reported on Mariupol?": the one asked about is the
        # speaker of the main clause; the time clause's speaker only dates the exchange.
        for m in out:
            if m.in_clause:
                m.as_speaker = False
    elif not any(m.as_speaker for m in out):
        subject = clause_subject(low, out)
        if subject is not None:
            subject.as_speaker = True
    return out


# "…, how much did he say…", "…, in which sector did she say…": the main clause asks what a pronoun said.
_PRONOUN_SAID = re.compile(r"\b(?:did|does|do|will|would|has|had)\s+(?:he|she)\s+(?:\w+ly\s+)?(?:" + SPEECH_VERBS + r")\b")


def clause_subject(low: str, mentions: list[Mention]) -> Mention | None:
    """The person a main clause's "he" or "she" who speaks stands for: the subject of the time clause before it
    ("When Egypt's President met Putin …, in which sector did he say…" asks what Egypt's President said; "When
    Putin met Vucic …, by how much did he say trade had grown" asks Putin). Only the clause's subject (the name
    right after "when", "while", "as", "after", "before") and only a pronoun after it; None otherwise."""
    subjects = [m for m in mentions if m.names and _opens_clause(low, m)]
    if len(subjects) != 1 or not _PRONOUN_SAID.search(low, subjects[0].end):
        return None
    return subjects[0]


_CLAUSE_OPENING = re.compile(r"(?:^|[,;]\s*)" + _CLAUSE_WORDS + r"\s+((?:[\w'’-]+\s+){0,3})$")


def _opens_clause(low: str, mention: Mention) -> bool:
    """Whether a mention is the subject of a time clause: right after "when" (or "while", "as", "after", "before"), behind
    nothing but an article, a demonym or an owner ("when the Finnish President", "when Egypt's President")."""
    if mention.in_clause:
        return True
    start = low.rfind(mention.span, 0, mention.end + 1)
    m = _CLAUSE_OPENING.search(low[:start]) if start >= 0 else None
    demonyms = demonym_table()
    return m is not None and all(w in ("the", "a", "an") or w in demonyms or w.endswith("'s") for w in m.group(1).split())
