"""Words as matching sees them: a name with diacritics meets the same name without them."""

from __future__ import annotations

from assistant.text.tokens import fold_latin, tokenize


def test_latin_letters_are_compared_without_their_diacritics() -> None:
    assert tokenize("Sauli Niinistö and the Bloc Québécois") == tokenize("Sauli Niinisto and the Bloc Quebecois")
    assert tokenize("Québécois") == ["quebecois"]  # one word, not "qu" and "b" and "cois"


def test_folding_keeps_offsets_and_cyrillic() -> None:
    text = "Vučić met Erdoğan; Путин"
    folded = fold_latin(text)
    assert folded == "Vucic met Erdogan; Путин" and len(folded) == len(text)
