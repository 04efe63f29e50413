"""TODO docstring."""

from __future__ import annotations

import re
from functools import lru_cache

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
