"""The kind of answer a question asks for, when it is one a sentence visibly states or not.

"How many polling stations…" is answered by a number; "What percentage of staff…" by a share ("40 per
cent", "half"); "How much money will the Government spend…" by an amount of money ("£10 million"). A quote
that states no such thing does not answer the question, however many of its words it repeats: that is
evidence against the answer (a feature of the calibrated confidence, like a key word the quote never touches).
"""

from __future__ import annotations

import re

from assistant.text.dates import MONTH_PATTERN, YEAR_PATTERN
from assistant.text.lexicon import ordered, words
from assistant.text.tokens import STOPWORDS, stem

NUMBER = "number"
TIMES = "number of times"  # "How many times had they met?": "our 37th meeting" answers it
SPAN = "span of time"  # "How many hours of sleep…?": "six hours a day" answers it
SHARE = "share"
MONEY = "sum of money"

_ASKS_SHARE = re.compile(
    r"\b(?:what|which|by what|how (?:big|large|high) (?:a|was the|is the))\s+(?:percentage|percent|per cent|proportion|share)\b"
    r"|\bhow many (?:percent|per cent)\b",
    re.I,
)
_ASKS_TIMES = re.compile(r"\bhow many times\b", re.I)
_ASKS_SPAN = re.compile(r"\bhow many (?:more |other |extra )?(?:seconds|minutes|hours|days|weeks|months|years|decades|centuries)\b", re.I)
_ASKS_NUMBER = re.compile(r"\bhow many\b|\b(?:what|which) (?:figures?(?! of speech)|number)\b", re.I)
_MONEY_VERBS = r"(?:cost|costs|spend|spent|pay|paid|invest|invested|allocate|allocated|earn|earned|raise|raised|charge|charged|fund|funded)"
_MONEY_NOUN = (r"(?:(?:net|gross|total|annual|average|consolidated|overall|operating)\s+){0,2}(?:cost|price|fee|"
               + "|".join(ordered("money_nouns")) + ")")
# An amount named by its currency ("how many roubles", "the value in dollars").
_CURRENCIES = r"(?:dollars|roubles|rubles|euros|pounds|yuan)"
_ASKS_MONEY = re.compile(
    r"\bhow much (?:[\w-]+\s+){0,2}?(?:money|funding|financing|cash)\b"
    rf"|\bhow much\b(?!\s+(?:more\s+)?(?:time|effort|energy|attention|longer)\b)(?:\s+[\w'’-]+){{0,14}}?\s+{_MONEY_VERBS}\b"
    r"|\bwhat (?:did|does|do|will|would|was|is)\b(?:\s+[\w'’-]+){0,6}?\s+cost\b"
    # "What net profit did the bank make…", "What was the net profit?": a sum of money by its name.
    rf"|\b(?:how much|what) (?:(?:was|is|were|are|will be) the )?{_MONEY_NOUN}\b"
    # "What gas price did Lukashenko say…", "What minimum wage figure did he give…": the sum named by what it is
    # the price of, the noun heading the phrase (a verb follows it; "what fuel price rises did…" is no sum).
    rf"|\bwhat (?:[\w-]+\s+){{1,2}}?{_MONEY_NOUN}(?:\s+(?:figure|level|amount))?\s+(?:did|does|do|was|were|is|are|had|has|would|will)\b"
    # "How much Horizon 2020 research income did the universities receive…": the same after "how much".
    rf"|\bhow much (?:[\w-]+\s+){{1,3}}?{_MONEY_NOUN}\s+(?:did|does|do|was|were|is|are|had|has|would|will)\b"
    # "What were its projects worth?", "How much is the deal worth?": a value is a sum of money.
    r"|\b(?:what|how much)\b(?:\s+[\w'’-]+){0,20}?\s+worth\s*(?:[?,]|$|\b(?:at|in|to|according)\b)"
    # "What dollar value did he put on trade…", "How many roubles…": a sum in a currency.
    r"|\b(?:dollar|rouble|ruble|euro|pound|yuan)\s+(?:value|amount|sum|figure)\b|\bhow many " + _CURRENCIES + r"\b"
    # "What was the value in dollars of trade…", "How much did it come to in US dollars?": an amount in a currency.
    r"|\b(?:what|how much)\b(?:\s+[\w'’-]+){0,10}?\s+in\s+(?:(?:US|U\.S\.)\s+)?" + _CURRENCIES + r"\b",
    re.I,
)


def _alternation(name: str) -> str:
    return "|".join(re.escape(w) for w in sorted(ordered(name), key=len, reverse=True))


_SHARE = re.compile(r"%|\b(?:" + _alternation("share_words") + r")\b", re.I)
_MONEY = re.compile(r"(?:" + "|".join(re.escape(w) for w in ordered("currency_words") if not w.isalpha())
                    + r")|\b(?:" + "|".join(re.escape(w) for w in ordered("currency_words") if w.isalpha()) + r")\b", re.I)


def asked_kind(question: str) -> str | None:
    """``SHARE``, ``MONEY``, ``TIMES``, ``SPAN`` or ``NUMBER`` when the question asks for one, else None."""
    if _ASKS_SHARE.search(question):
        return SHARE
    if _ASKS_MONEY.search(question):
        return MONEY
    if _ASKS_TIMES.search(question):
        return TIMES
    if _ASKS_SPAN.search(question):
        return SPAN
    if _ASKS_NUMBER.search(question):
        return NUMBER
    return None


def states(text: str, kind: str, question: str = "") -> bool:
    """Whether a text states an answer of that kind (a number, a share, an amount of money). A count ("how many
    warships…") is not stated by a multiple ("increased almost three-fold") or a span of time ("over the past five
    years"): those say how much something changed, or for how long; nor, given the ``question``, by a number that
    counts another thing ("72 modernisation projects" for how many helicopters, see ``counting_others``)."""
    if kind == NUMBER:
        return has_quantity(counts_only(text, question))
    if kind == TIMES:
        return has_quantity(text, ordinals=True)
    if kind == SPAN:
        return has_quantity(_MULTIPLE.sub(" _ ", text))
    if kind == SHARE:
        return bool(_SHARE.search(text))
    if kind == MONEY:
        text = money_only(text, question)
        return bool(_MONEY.search(text)) and bool(NUMBER_WORDS.search(text))
    return True


# A number word: written out (text/lexicon/number_words.txt), a share or a multiple ("half", "twice").
_WRITTEN = "|".join(ordered("number_words")) + "|percent|half|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twice|thrice"
_NUMBER_WORD = re.compile(rf"(?:{_WRITTEN})", re.I)
# A number or number word (digits, "twelve", "thousands", "twice", "half").
NUMBER_WORDS = re.compile(rf"\d|\b({_WRITTEN})\b", re.I)
# A number written into a name is no amount: "the M-11 Motorway", "S-400", "COVID-19", "G20", "A320".
_DESIGNATION = re.compile(r"\b[^\W\d_]+-?\d+[^\W\d_]*\b")


# An ordinal in digits ("30th", "52nd"): which one, not how many.
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)
# "one of the effective ways", "no one", "one another": "one" that counts nothing.
_NOT_A_COUNT = re.compile(r"\b(?:one of|no one|one another|this one|that one|the one)\b", re.I)


_DECADE = re.compile(r"(?:\b(?:1[0-9]|20)\d0|['’]\d0)['’]?s\b")


def _without_non_amounts(text: str, ordinals: bool = False) -> str:
    """The text with what only looks like an amount blanked out: years, decades, days of dates, numbers in names,
    "one of"."""
    # Each blanked out as one placeholder word, so that distances in words stay about the same.
    # "its 30th anniversary", "from the 52nd to the 16th place": which one, not how many; but "our 37th meeting"
    # says how many times they have met (``ordinals``).
    bare = text if ordinals else _ORDINAL.sub(" _ ", text)
    bare = _DESIGNATION.sub(" _ ", bare)
    bare = _NOT_A_COUNT.sub(" _ ", bare)
    bare = re.sub(YEAR_PATTERN, " _ ", bare)
    # A decade ("back in the 1980s", "the '90s", "the 2010s") is a time, not an amount.
    bare = _DECADE.sub(" _ ", bare)
    bare = re.sub(r"\b\d{1,2} " + MONTH_PATTERN, " _ ", bare, flags=re.I)
    return re.sub(MONTH_PATTERN + r" \d{1,2}\b", " _ ", bare, flags=re.I)


# One amount: a number and the number words run together with it ("42 million", "1.8 times", "90 percent").
_AMOUNT = re.compile(rf"(?:\d[\d.,]*|\b(?:{_WRITTEN})\b)(?:[\s-]+(?:\d[\d.,]*|\b(?:{_WRITTEN})\b))*", re.I)


def amounts(text: str) -> list[str]:
    """The amounts a text states, each once ("42 million people" is one; "40 helicopters and another 160" two);
    years, days of dates, numbers in names and "one of" are none."""
    return [m.group(0) for m in _AMOUNT.finditer(_without_non_amounts(text))]


def has_quantity(text: str, ordinals: bool = False) -> bool:
    """Whether a sentence states an amount: a number or number word that is not just a year, a day of a
    date, part of a name ("the M-11 Motorway") or "one of" something."""
    return bool(NUMBER_WORDS.search(_without_non_amounts(text, ordinals)))


def number_context(sentences: list[str], weights: dict[str, float], window: int, ordinals: bool = False) -> float:
    """How much of the question stands next to a number the quote states: the largest share of the question's
    (rarity-weighted, stemmed) words found within ``window`` words of one number, over the quoted sentences.

    "How many helicopters a year could Rostec's plants manufacture?" is not answered by "Rostec has implemented
    72 equipment modernisation projects – … facilities that manufacture helicopters …": the quote states a number
    and repeats the question's words, but far from each other; "We have a fleet of 359 aircraft" puts "fleet" and
    "aircraft" right beside its number. ``weights``: the question words to look for, by weight (words the event's
    title or the speaker's name already carry, which say nothing of where the number is, left out). 0.0 when no
    sentence states a number; 1.0 when no question word is left to look for.
    """
    total = sum(weights.values())
    if total <= 0:
        return 1.0
    best = 0.0
    for sentence in sentences:
        # Years, dates and numbers in names are no amounts (blanked out, "_" a word in their place).
        words = re.findall(r"_|[^\W_]+(?:[.,]\d+)*", _without_non_amounts(sentence, ordinals).lower())
        stems = [stem(w) for w in words]
        for i, w in enumerate(words):
            if w[0].isdigit() or _NUMBER_WORD.fullmatch(w):
                near = set(stems[max(0, i - window) : i + window + 1])
                best = max(best, sum(v for t, v in weights.items() if t in near) / total)
    return best


# "How long did he need to draw up a strategy?" asks for a duration: "about a month", "two weeks", "six hours".
_ASKS_DURATION = re.compile(r"\bhow long\b|\bhow much (?:more )?time\b", re.I)
_DURATION = re.compile(rf"\b(?:an?|one|(?:a )?few|several|some|\d[\d.,]*|{_WRITTEN})(?:\s+and a half)?\s+(?:more\s+|other\s+)?"
                       r"(?:minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)\b", re.I)


def asks_duration(question: str) -> bool:
    """Whether a question asks how long something took or will take ("How long did he say he needed…")."""
    return bool(_ASKS_DURATION.search(question))


def states_duration(text: str) -> bool:
    """Whether a sentence states a duration ("about a month will suffice", "for two weeks", "six hours")."""
    return bool(_DURATION.search(text))


# "three-fold", "tripled", "1.8 times", "grew five times", "two times more": a multiple. A whole number of times said
# of no change ("checked 6,695 times up until May") counts how often something happened.
_MULTIPLE = re.compile(r"\b[\w.]+-?fold\b|\b(?:doubled|tripled|quadrupled|halved)\b|\b\d+\.\d+ times\b"
                       rf"|\b(?:\d[\d,]*|{_WRITTEN}) times (?:more|less|higher|lower|larger|bigger|greater|faster|smaller|over|as)\b"
                       r"|\b(?:increased|grew|grown|rose|risen|fell|fallen|decreased|declined|dropped|multiplied|up|down)"
                       rf"(?: by)?(?: almost| about| nearly| some| over| more than)? (?:\d[\d,]*|{_WRITTEN}) times\b", re.I)


def _not_counts(text: str) -> str:
    """The text with multiples and spans of time blanked out (see ``states``)."""
    return _DURATION.sub(" _ ", _MULTIPLE.sub(" _ ", text))


# "How many Russian regions…", "how many helicopters a year": the plural noun within three words of "how many".
_HOW_MANY = re.compile(r"\bhow many\s+(?:more\s+|other\s+|new\s+)?((?:[\w'’-]+\s+){0,2}[\w'’-]+)", re.I)
_GENERAL = words("general_count_nouns")


def _plural(word: str) -> bool:
    """Whether a word looks like a plural noun ("projects", "tests"), not "various", "across", "thus" or a stop word."""
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "ous"))
            and word not in STOPWORDS and word.isalpha())


def counted_noun(question: str) -> str | None:
    """The plural noun a how-many question counts ("How many helicopters a year…" → 'helicopters'), or None: no
    plural noun stands within three words of "how many" before a stop word ("how many Russian servicemen",
    "how many people" count nouns with no plural ending, which are left alone)."""
    m = _HOW_MANY.search(question)
    if not m:
        return None
    for word in m.group(1).lower().split():
        if word in STOPWORDS:
            return None
        if _plural(word):
            return word
    return None


_PHRASE_WORD = re.compile(r"\s*([^\W\d_]+(?:[-'’][^\W\d_]+)*)")


def what_it_counts(text: str, end: int) -> str | None:
    """The plural noun a number ending at ``end`` counts: the first plural among the words right after it, before a
    stop word or a punctuation mark ("72 equipment modernisation projects last year" → 'projects'; a compound's
    first words are singular); None when none of the next four words is one ("About 360,000.", "4,000 of them")."""
    pos = end
    for _ in range(4):
        m = _PHRASE_WORD.match(text, pos)
        if not m or m.group(1).lower() in STOPWORDS:
            return None
        if _plural(m.group(1).lower()):
            return m.group(1).lower()
        pos = m.end()
    return None


def counting_others(text: str, question: str) -> str:
    """The text with the amounts that count another thing than the question's blanked out.

    "How many helicopters a year could Rostec's plants manufacture?" is not answered by "Rostec has implemented 72
    equipment modernisation projects": a number followed by a plural noun counts that noun. An amount is left when
    it counts what the question counts, something the question names ("how many doses of the vaccine" –
    "20 million vaccines"), a noun that counts anything ("persons", "units": ``lexicon/general_count_nouns.txt``),
    or when what it counts is not known ("About 360,000.", "over 4,000 of them")."""
    asked = counted_noun(question)
    if asked is None:
        return text
    named = {stem(w) for w in re.findall(r"[^\W\d_]+", question.lower())}  # the counted noun among them
    out, last = [], 0
    # Years and days of dates are no amounts anyway (``has_quantity`` blanks them): blanking one as well is harmless.
    for m in _AMOUNT.finditer(text):
        noun = what_it_counts(text, m.end())
        if noun and noun not in _GENERAL and stem(noun) not in named:
            out.append(text[last:m.start()] + " _ ")
            last = m.end()
    return "".join(out) + text[last:]


def counts_only(text: str, question: str = "", spans: bool = True) -> str:
    """The text with every amount that is no count of what the ``question`` counts blanked out: multiples, spans
    of time (unless not ``spans``: a span's words may be the question's own, "for the first eight months"), and
    numbers counting another thing (``counting_others``)."""
    text = counting_others(text, question) if question else text
    return _not_counts(text) if spans else _MULTIPLE.sub(" _ ", text)


# A currency named beside an amount ("$5 billion", "31 billion rubles"); "million" alone is a scale, not a currency.
_SYMBOL = re.compile(r"[$£€₽¥]\s*$")
_CURRENCY_NAMES = {w for w in ordered("currency_words") if w.isalpha() and w not in ("million", "millions", "billion", "billions", "trillion", "bn", "mln")}
_CURRENCY_AFTER = re.compile(r"\s*(?:[$£€₽¥]|(?:" + "|".join(sorted(_CURRENCY_NAMES, key=len, reverse=True)) + r")\b)", re.I)
_UNIT_AFTER = re.compile(r"\s*(?:" + "|".join(re.escape(u) for u in sorted(words("measure_units"), key=len, reverse=True)) + r")\b", re.I)
# "one trillion rubles worth of orders": the sum is the value of the orders.
_WORTH_OF = re.compile(r"\s*(?:(?:" + "|".join(sorted(_CURRENCY_NAMES, key=len, reverse=True)) + r")\s+)?worth\s+of\s+", re.I)
# "Energia's losses, which total 19 billion rubles": the sum is the losses.
_TOTAL_OF = re.compile(r"([^\W\d_]+),?\s+(?:which|that)\s+(?:totals?|totall?ed|amounts? to|amounted to|comes? to|came to)\s+"
                       r"(?:(?:about|around|over|some|almost|nearly|more than|less than|under)\s+)?[$£€₽¥]?\s*$", re.I)


def _run_of_words(text: str, pos: int, most: int = 3) -> list[str]:
    """Up to ``most`` words from ``pos`` on, before a stop word or a punctuation mark."""
    out = []
    for _ in range(most):
        m = _PHRASE_WORD.match(text, pos)
        if not m or m.group(1).lower() in STOPWORDS:
            break
        out.append(m.group(1).lower())
        pos = m.end()
    return out


def money_only(text: str, question: str = "") -> str:
    """The text with the amounts that are no sum of money the ``question`` asks about blanked out.

    "How much state funding did the society receive?" is not answered by "over 400 million views": an amount with
    no currency beside it, followed by a plural noun, counts that noun ("million" is a scale, not a currency). Nor
    "How many rubles of revenue did Rosatom earn?" by "one trillion rubles worth of orders", or "How much did S7 pay
    for Sea Launch?" by "Energia's losses, which total 19 billion rubles": a sum stated as the value of a thing, or
    as the total of one, is that thing's, and answers only when the question names it ("How much meat…" –
    "$4–5 billion worth of Russian meat")."""
    named = {stem(w) for w in re.findall(r"[^\W\d_]+", question.lower())}
    out, last = [], 0
    for m in _AMOUNT.finditer(text):
        after = _CURRENCY_AFTER.match(text, m.end())
        other = False
        if not (after or _SYMBOL.search(text[max(0, m.start() - 3):m.start()])):
            noun = what_it_counts(text, m.end())
            # "212 billion kWh", "72.6 billion cubic metres": a measure, not a sum.
            other = (noun is not None and noun not in _CURRENCY_NAMES) or bool(_UNIT_AFTER.match(text, m.end()))
        else:
            worth = _WORTH_OF.match(text, after.end() if after else m.end())
            if worth:
                of = _run_of_words(text, worth.end())
                other = bool(of) and not any(stem(w) in named for w in of)
            total = _TOTAL_OF.search(text[:m.start()])
            if total and not other:
                other = stem(total.group(1).lower()) not in named
        if other:
            out.append(text[last:m.start()] + " _ ")
            last = m.end()
    return "".join(out) + text[last:]
