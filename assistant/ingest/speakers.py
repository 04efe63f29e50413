"""Canonical people: one person per speaker across label variants, with roles and aliases.

``President of Russia Vladimir Putin`` and ``Vladimir Putin`` are one person whose role is
``President of Russia``. Names come from the labels themselves (a long label ends with a
short label used elsewhere), from the footer's ``Persons`` line (``Pamfilova Ella``,
surname first) and, failing both, from the label's trailing capitalised words.
The alias table (full name, surname, honorifics seen in the text, roles and role phrases)
is what question analysis resolves ``Ms Pamfilova`` or ``the CEC chair`` against.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator

from assistant.ingest.transcripts import RawDocument
from assistant.text import lexicon
from assistant.text.tokens import STOPWORDS, fold_latin

ROLE_WORDS = lexicon.words("role_words")
NAME_PARTICLES = lexicon.words("name_particles")
_CONNECT = {"of", "the", "for", "and", "on", "in", "at", "to"}
_HONORIFIC_RE = re.compile(r"\b(Mr|Ms|Mrs|Miss|Madam|Dr)\.? ([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


@dataclass
class Person:
    """One canonical speaker."""

    name: str
    roles: Counter[str] = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    turns: int = 0
    documents: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    @property
    def role(self) -> str | None:
        """The role this person is most often labelled with."""
        return self.roles.most_common(1)[0][0] if self.roles else None

    @property
    def surname(self) -> str:
        """Last word of the name, with the particles before it ("Van der Bellen", "von der Leyen")."""
        words = self.name.split()
        start = len(words) - 1
        while start > 1 and words[start - 1].lower() in NAME_PARTICLES:
            start -= 1
        return " ".join(words[start:])

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary."""
        return {
            "name": self.name,
            "role": self.role,
            "roles": [r for r, _ in self.roles.most_common()],
            "aliases": sorted(self.aliases, key=str.lower),
            "turns": self.turns,
            "documents": len(self.documents),
        }


# Transliterations of one Russian name ("Sergey"/"Sergei", "Pyotr"/"Petr") compare equal: lexicon data.
_TRANSLITERATION = [(re.compile(a), b) for a, b in (line.split("\t") for line in lexicon.ordered("transliteration_variants"))]


def normalise(name: str) -> str:
    """Comparison key for names and aliases: case-folded, single-spaced, curly quotes made straight, and
    Latin letters without diacritics, so that "Sauli Niinistö" and "Sauli Niinisto" on two pages are one
    person (Cyrillic letters are kept as they are: "й" is not "и"). One character for one: offsets into
    the key are offsets into the text."""
    name = name.replace("’", "'").replace("‘", "'")
    name = re.sub(r"\s+", " ", name).strip(" .,:;").casefold()
    return fold_latin(name)


def name_key(name: str) -> str:
    """Identity key of a person's name: :func:`normalise`, with transliterations of one Russian name folded
    ("Sergey Lavrov" = "Sergei Lavrov", "Pyotr" = "Petr"; ``lexicon/transliteration_variants.txt``). Word
    for word: the key has as many words as the name."""
    key = normalise(name)
    for pattern, replacement in _TRANSLITERATION:
        key = pattern.sub(replacement, key)
    return key


def _title_case(label: str) -> str:
    # Old kremlin pages shout labels ("PRESIDENT OF RUSSIA DMITRY MEDVEDEV").
    if label.isupper() or sum(w.isupper() and len(w) > 2 for w in label.split()) >= 2:
        return " ".join(w if w.lower() in _CONNECT else w.capitalize() for w in label.lower().split()).replace(
            " Of ", " of "
        )
    return label


_HONORIFIC_PREFIX = re.compile(
    r"^(?:" + "|".join(r"\s+".join(map(re.escape, h.split())) for h in sorted(lexicon.ordered("honorifics"), key=len, reverse=True)) + r")\.?\s+",
    re.I,
)
_POST_NOMINALS = lexicon.table("post_nominals")
_LETTER_ROLES = frozenset(role for role in _POST_NOMINALS.values() if role)  # "Assembly Member" from "AM"


def strip_honorific(text: str) -> str:
    """Text without the honorific it opens with ("Ms Pamfilova" → "Pamfilova", "hon. bill blair" → "bill blair")."""
    return _HONORIFIC_PREFIX.sub("", text, count=1)
_PARTY_NOTE = re.compile(r",\s*[A-Z][\w.]{0,5}$")  # "(Lethbridge, CPC)", "(Victoria, NDP)": a seat and a party


def bare_name(label: str) -> str:
    """A name without the honorific before it or the letters after it: "Hon. Bill Blair" → "Bill Blair",
    "Kirsty Williams AM" → "Kirsty Williams" (``lexicon/honorifics.txt``, ``lexicon/post_nominals.txt``).
    Left as it is unless a name of two or more capitalised words remains ("Mr Putin" stays)."""
    rest = strip_honorific(label.strip())
    words = rest.split()
    while len(words) > 2 and words[-1].strip(",.") in _POST_NOMINALS:
        words.pop()
    if len(words) >= 2 and all(w[:1].isupper() for w in words if w.lower() not in _CONNECT):
        return " ".join(words)
    return label.strip()


def _parenthesised(label: str) -> tuple[str, list[str]]:
    """The label outside brackets, and each bracketed group's text (a group nested in one stays inside it):
    "The Chair (Hon. Anthony Rota (Nipissing, Lib.))" → ("The Chair", ["Hon. Anthony Rota (Nipissing, Lib.)"])."""
    outside: list[str] = []
    groups: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in label:
        if ch == "(":
            if depth:
                current.append(ch)
            depth += 1
        elif ch == ")":
            if depth == 1:
                groups.append("".join(current).strip())
                current = []
            elif depth > 1:
                current.append(ch)
            depth = max(0, depth - 1)  # a stray ")" is dropped
        elif depth:
            current.append(ch)
        else:
            outside.append(ch)
    if current:
        groups.append("".join(current).strip())  # an unclosed "(" runs to the end
    return re.sub(r"\s+", " ", "".join(outside)).strip(" :,"), groups


def is_office(label: str) -> bool:
    """Whether a label is an office alone, with no name in it ("The Chair", "The Acting Chair", "Moderator")."""
    words = [w.lower().strip(".,") for w in label.split()]
    words = [w for w in words if w not in _CONNECT]
    return bool(words) and all(w in ROLE_WORDS for w in words)


@lru_cache(maxsize=8192)
def read_label(label: str) -> tuple[str, str | None, str | None]:
    """What a speaker label says, as (label proper, role, person named in brackets).

    Parliamentary records put more in brackets than notes such as "(retranslated)": the person holding
    an office ("The Acting Chair (Mrs. Alexandra Mends)": the person is Alexandra Mends, the role
    Acting Chair), a role ("Hon. Bill Blair (Minister of Public Safety)") or a seat and party
    ("Ms. Rachael Harder (Lethbridge, CPC)", dropped). The label proper loses honorifics and post-nominals.
    """
    outside, groups = _parenthesised(_title_case(label.strip(" :")))
    role: str | None = None
    person: str | None = None
    office = is_office(outside)
    for group in groups:
        inner, _ = _parenthesised(group)
        name = bare_name(inner)
        if office and person is None and len(name.split()) >= 2 and _is_name_like(name):
            person = name
        elif role is None and not _PARTY_NOTE.search(inner) and any(w.lower().strip(".,") in ROLE_WORDS for w in inner.split()):
            role = inner
    if person is not None:
        return person, re.sub(r"(?i)^the\s+", "", outside) or None, person
    name = bare_name(outside)
    if role is None and name != outside:
        # "Kirsty Williams AM": the letters say the role.
        letters = list(itertools.takewhile(lambda w: w.strip(",.") in _POST_NOMINALS, reversed(outside.split())))
        role = next((_POST_NOMINALS[w.strip(",.")] for w in letters if _POST_NOMINALS[w.strip(",.")]), None)
    return name, role, None


def footer_name(person: str) -> str:
    """``Pamfilova Ella`` → ``Ella Pamfilova`` (kremlin.ru footers put the surname first)."""
    words = person.split()
    return " ".join(words[1:] + words[:1]) if len(words) >= 2 else person


def split_label(label: str, known_names: "list[str] | dict[str, str]") -> tuple[str, str | None]:
    """Split a label into (name, role) using names known in this document or corpus.

    ``known_names`` may be a list, or a dict from :func:`name_key` to name (faster).
    """
    known = known_names if isinstance(known_names, dict) else {name_key(n): n for n in reversed(known_names)}
    # Notes in labels ("Vladimir Putin (retranslated)") are not part of the name; a role or the person
    # holding an office in brackets is (see read_label).
    label, bracket_role, person = read_label(label)
    if person is not None:
        return known.get(name_key(person), person), bracket_role
    name, role = _split_bare(label, known)
    return name, role or bracket_role


def _split_bare(label: str, known: dict[str, str]) -> tuple[str, str | None]:
    words = label.split()
    key_words = name_key(label).split()
    if " ".join(key_words) in known:
        return known[" ".join(key_words)], None
    # The longest known name of two words or more that ends the label; single words ("Putin")
    # would split "Vladimir Putin" into a role and a surname.
    for k in range(1, len(key_words) - 1):
        suffix = " ".join(key_words[k:])
        if suffix in known:
            name = known[suffix]
            role = " ".join(words[: len(words) - len(key_words[k:])]).strip(" ,")
            return name, role or None
    head, comma, tail = label.partition(", ")
    if comma and tail and len(head.split()) >= 2 and _is_name_like(head):
        # "Valeriya Korableva, reporter at Channel One" (a known name at the end was taken above).
        return head, tail.strip(" ,")
    start = _name_start(words, len(words) - 2)
    if len(words) >= 3 and start > 0 and _is_name_like(" ".join(w for w in words[start:] if w.lower() not in NAME_PARTICLES)) \
            and any(_says_role(w) for w in words[:start]):
        # Fallback: the trailing two capitalised words are the name, with the particles of a surname and the
        # words they join ("Federal President of Austria Alexander Van der Bellen").
        return " ".join(words[start:]), " ".join(words[:start]).strip(" ,") or None
    return label, None


def _says_role(word: str) -> bool:
    """Whether a word before a label's last two says it is a role, not a name: a role word, whole or hyphenated
    ("UN Secretary-General Antonio Guterres"), or a lower-case word that is no connector and no surname particle
    ("Olympic ice hockey champion Pavel Datsuk", "NASA astronaut Timothy Kopra"; not "Hamad bin Isa Al Khalifa")."""
    w = word.strip(",()")
    if any(part in ROLE_WORDS for part in w.lower().split("-")):
        return True
    return w[:1].islower() and w.isalpha() and w not in _CONNECT and w not in NAME_PARTICLES


def _name_start(words: list[str], start: int) -> int:
    """Where a name that begins at ``words[start]`` truly begins: while its first word, or the word before it, is a
    surname particle (``name_particles.txt``: "Alexander Van der Bellen", "Hamad bin Isa Al Khalifa"), the word
    before belongs to it too, unless that word is a role word or a connector ("Vice President Al Gore")."""
    while start > 1:
        first, before = words[start].lower(), words[start - 1].lower().strip(",")
        if not (first in NAME_PARTICLES or before in NAME_PARTICLES) or before in ROLE_WORDS or before in _CONNECT:
            break
        start -= 1
    return start


def _is_name_like(label: str) -> bool:
    words = label.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not any(
        w.lower() in ROLE_WORDS for w in words
    )


class People:
    """The corpus's people and their alias table."""

    def __init__(self) -> None:
        self.by_key: dict[str, Person] = {}

    def __iter__(self) -> Iterator[Person]:
        return iter(sorted(self.by_key.values(), key=lambda p: (-p.turns, p.name)))

    def __len__(self) -> int:
        return len(self.by_key)

    def get(self, name: str) -> Person:
        """The person with this canonical name, created when new."""
        key = name_key(name)
        if key not in self.by_key:
            self.by_key[key] = Person(name=name)
        return self.by_key[key]

    def find(self, name: str) -> Person | None:
        """The person with this canonical name, or None."""
        return self.by_key.get(name_key(name))

    def alias_table(self) -> dict[str, list[str]]:
        """Alias (normalised) → canonical names, most-quoted person first."""
        table: dict[str, set[tuple[int, str]]] = defaultdict(set)
        titles = lexicon.words("name_titles")
        for p in self.by_key.values():
            for a in p.aliases | {p.name}:
                table[normalise(a)].add((p.turns, p.name))
            first = p.name.split()[0].lower() if p.name.split() else ""
            if first in titles and len(p.name.split()) >= 2:
                # "Patriarch Kirill" is "the Patriarch" (lexicon/name_titles.txt).
                table["the " + first].add((p.turns, p.name))
        return {a: [n for _, n in sorted(v, reverse=True)] for a, v in table.items()}

    def resolve(self, text: str) -> list[str]:
        """Canonical names an alias refers to ("Ms Pamfilova" → ["Ella Pamfilova"]), best first."""
        key = normalise(text)
        key = strip_honorific(key)  # "Ms Pamfilova", "Hon. Bill Blair"
        key = re.sub(r"^the ", "", key)
        table = self.alias_table()
        return table.get(key) or table.get("the " + key) or []


def role_phrases(role: str) -> set[str]:
    """Ways a question may refer to a role: ``President of Kazakhstan`` → ``Kazakhstan's president``…"""
    out = {role, "the " + role}
    m = re.match(r"(?i)^(President|Prime Minister|Chancellor|King|Emir|Premier) of (?:the )?(.+)$", role)
    if m:
        office, country = m.group(1), m.group(2)
        out |= {f"{country}'s {office.lower()}", f"the {office.lower()} of {country}"}
        if office.lower() == "president":
            out |= {"the President", "President"}
    m = re.match(r"(?i)^((?:First )?(?:Deputy )?Minister) (?:of|for) (?:the )?(.+)$", role)
    if m:
        # "Minister of Economic Development" is "the Economic Development Minister".
        office, portfolio = m.group(1), m.group(2)
        out |= {f"{portfolio} {office}", f"the {portfolio} {office}"}
    m = re.match(r"(?i)^(Chairperson|Chairman|Chairwoman|Chair|Head|Director|Governor) of (?:the )?(.+)$", role)
    if m:
        office, org = m.group(1).lower(), m.group(2)
        acronym = "".join(w[0] for w in org.split() if w[:1].isupper())
        heads = {office, "chair", "chairperson", "head"}
        for h in heads:
            out.add(f"{org} {h}")
            out.add(f"the {org} {h}")
            if len(acronym) >= 2:
                out.add(f"{acronym} {h}")
                out.add(f"the {acronym} {h}")
    return out


# Labels that say what was said, not who said it ("Question:", "Remark:"): their turns go to one
# unnamed speaker, the label kept as role, and nobody can ask about them by those words.
UNNAMED = "Unnamed speaker"
GENERIC_LABELS = lexicon.words("generic_labels")
_INITIAL_NAME = re.compile(r"^([A-Z])\.\s?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)$")


def _generic_or_initial(name: str, known: dict[str, str]) -> tuple[str, str | None] | None:
    """``Question`` → (Unnamed speaker, Question); ``V.Putin`` → Vladimir Putin when the corpus knows him."""
    if normalise(name) in GENERIC_LABELS:
        return UNNAMED, _title_case(name)
    m = _INITIAL_NAME.match(name)
    if m:
        full = [n for n in known.values() if len(n.split()) >= 2 and n.split()[-1] == m.group(2) and n[0] == m.group(1)]
        if len(set(full)) == 1:
            return full[0], None
    return None


def resolve_people(docs: list[RawDocument]) -> People:
    """Resolve every raw turn's label to a canonical person, in place; return the people."""
    corpus_names: Counter[str] = Counter()
    for doc in docs:
        for t in doc.turns:
            name = t.speaker or read_label(t.label)[0]
            if _is_name_like(name):
                corpus_names[name] += 1
        for p in doc.persons:
            corpus_names[footer_name(p)] += 1
    # Most frequent spelling wins for each normalised name.
    known_global = {name_key(n): n for n, _ in reversed(corpus_names.most_common())}

    for doc in docs:
        local = [footer_name(p) for p in doc.persons] + [
            read_label(t.label)[0] for t in doc.turns if _is_name_like(read_label(t.label)[0])
        ]
        known = dict(known_global)
        # A name spelled another way on this page ("Niinisto") takes the corpus's most frequent spelling.
        known.update({name_key(n): n for n in reversed(local) if name_key(n) not in known_global})
        doc_roles: dict[str, str] = {}
        for t in doc.turns:
            if t.kind == "narration":
                name, role = (t.speaker or t.label), t.role
            else:
                name, role = split_label(t.label, known)
                if t.speaker:
                    name = t.speaker
                role = t.role or role
                special = _generic_or_initial(name, known)
                if special is not None:
                    name, role = special[0], special[1] or role
            if role:
                doc_roles.setdefault(normalise(name), role)
            t.speaker, t.role = name, role
        _fill_offices(doc)
        introduced = _introduced_roles(doc, doc_roles)
        for name, role in introduced.items():
            doc_roles[normalise(name)] = role
        for t in doc.turns:
            if t.kind != "narration" and t.speaker in introduced and t.role in _LETTER_ROLES:
                t.role = None
        for t in doc.turns:
            # A short label takes the role the long label gave the same person in this document (or the
            # record's own words: "I welcome Kirsty Williams AM, Minister for Education").
            if not t.role and t.kind != "narration":
                t.role = doc_roles.get(normalise(t.speaker or ""))
    return build_people(
        (doc.doc_id, t.speaker or t.label, t.role, t.label, t.kind, t.text) for doc in docs for t in doc.turns
    )


_OFFICES = ROLE_WORDS - lexicon.words("role_modifiers")
# After a name: ", Minister for Education", " as chief executive", ", who is chair of …"; up to a comma,
# a full stop, a bracket or where the sentence moves on (" and ", " who ").
_INTRODUCTION = r"(?:\s+(?:{letters}))*(?:,\s*(?:who(?:'s|’s| is)\s+)?|\s+as\s+|\s+who(?:'s|’s| is)\s+)(?:the\s+|our\s+)?([A-Za-z][^,;:.()?!\n—–]{{2,90}})"
_INTRODUCTION_END = re.compile(r"\s+(?:and|who|which|is|was|has|here|to|from|in order|mr|mrs|ms|dr)\b.*$", re.I)
_SELF_INTRODUCTION = re.compile(r"^(?:I am|I'm|I’m)\s+(?:the\s+|a\s+|an\s+)?")  # "My name is X, I am the director of …"


def _introduced_roles(doc: RawDocument, known: dict[str, str]) -> dict[str, str]:
    """Roles the record's own words give people who speak in it without one ("I welcome Kirsty Williams AM,
    Minister for Education, Steve Davies, director of the education directorate…", "Dr David Blaney as
    chief executive"): the words after the full name, when their first four hold an office
    (``role_words.txt``: one that is no mere modifier, or two)."""
    speakers = {t.speaker for t in doc.turns if t.kind != "narration" and t.speaker and len(t.speaker.split()) >= 2}
    # "Assembly Member" read from the letters after a name yields to what the record says.
    speakers = {n for n in speakers if (known.get(normalise(n)) is None or known[normalise(n)] in _LETTER_ROLES) and n != UNNAMED}
    if not speakers:
        return {}
    text = " ".join(t.text for t in doc.turns)
    letters = "|".join(re.escape(k) for k in _POST_NOMINALS)
    out: dict[str, str] = {}
    for name in sorted(speakers):
        for m in re.finditer(re.escape(name) + _INTRODUCTION.format(letters=letters), text):
            role = _SELF_INTRODUCTION.sub("", _INTRODUCTION_END.sub("", m.group(1)).strip(" '’\""))
            if role.startswith("I "):
                continue  # "I represent …", "I head …": not an office named
            head = [w.lower().strip(".,") for w in role.split()[:4]]
            offices = [w for w in head if w in ROLE_WORDS]
            if role and (any(w in _OFFICES for w in offices) or len(offices) >= 2):
                out[name] = role[:1].upper() + role[1:]
                break
    return out


def _fill_offices(doc: RawDocument) -> None:
    """A label that is an office alone ("The Chair") is the person another label of this document names
    for that office ("The Chair (Hon. Anthony Rota)"): the one named last before it, else the first after."""
    holders: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for i, t in enumerate(doc.turns):
        if t.kind != "narration" and t.role and read_label(t.label)[2] is not None:
            holders[normalise(t.role)].append((i, t.speaker or "", t.role))
    if not holders:
        return
    for i, t in enumerate(doc.turns):
        if t.kind == "narration" or not t.speaker or not is_office(t.speaker):
            continue
        named = holders.get(normalise(re.sub(r"(?i)^the\s+", "", t.speaker)))
        if named:
            before = [h for h in named if h[0] < i]
            _, t.speaker, t.role = before[-1] if before else named[0]


def build_people(turns: Iterable[tuple[str, str, str | None, str, str, str]]) -> People:
    """People and aliases from resolved turns given as (doc_id, speaker, role, label, kind, text)."""
    people = People()
    honorifics: dict[str, set[str]] = defaultdict(set)
    for doc_id, speaker, role, label, kind, text in turns:
        person = people.get(speaker)
        person.turns += 1
        person.kinds.add(kind)
        person.documents.add(doc_id)
        if role:
            person.roles[role] += 1
        person.aliases.add(_title_case(label.strip(" :")))
        for m in _HONORIFIC_RE.finditer(text):
            honorifics[m.group(2)].add(f"{m.group(1)} {m.group(2)}")
    # A "surname" that is also a word of someone's role ("All Russia" vs "President of Russia")
    # would turn every question about Russia into a speaker filter.
    role_words = {w.lower() for q in people.by_key.values() for r in q.roles for w in r.split()}
    for p in people.by_key.values():
        if p.name == UNNAMED:
            p.aliases = set()  # "the question", "a remark" in a question name nobody
            continue
        p.aliases.add(p.name)
        if len(p.name.split()) >= 2 and p.kinds != {"narration"} and p.surname.lower() not in role_words | STOPWORDS:
            p.aliases.add(p.surname)
        p.aliases |= honorifics.get(p.surname, set())
        for role in p.roles:
            p.aliases |= role_phrases(role)
    return people
