"""Parser cases drawn from the real seeds (seeds/, copied unchanged from ../shared/seeds/).

Counts were made by reading the files: the Tokayev meeting has 4 labelled turns
(Putin, Tokayev, Putin, Tokayev); the Pamfilova meeting has 18 (Putin and Pamfilova
alternate, Putin first, Pamfilova last). The Realnoe Vremya report has 14 quoted passages
(paragraphs holding Putin's direct speech) and 8 paragraphs of the reporter's own narration
long enough to stand alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.corpus import load_corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
KREMLIN = SEEDS / "004_33c056b68e5d4ba7.txt"
NEWS = SEEDS / "000_6ddbb2649f756b29.txt"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus([SEEDS])


def doc(corpus, doc_id):
    d = corpus.document(doc_id)
    assert d is not None, doc_id
    return d


@pytest.mark.parametrize(
    "doc_id, n_turns, speakers",
    [
        pytest.param("004_33c056b68e5d4ba7.1", 4, ["Vladimir Putin", "Kassym-Jomart Tokayev"] * 2, id="tokayev-meeting-turns"),
        pytest.param("004_33c056b68e5d4ba7.2", 18, ["Vladimir Putin", "Ella Pamfilova"] * 9, id="pamfilova-meeting-turns"),
    ],
)
def test_event_turn_counts_and_speakers(corpus, doc_id, n_turns, speakers):
    d = doc(corpus, doc_id)
    assert len(d.turns) == n_turns
    assert [t.speaker for t in d.turns] == speakers
    assert all(t.kind == "speech" for t in d.turns)


def test_glued_text_version_events_splits_two_documents(corpus):
    ids = [d.doc_id for d in corpus.documents if d.source == str(KREMLIN)]
    assert ids == ["004_33c056b68e5d4ba7.1", "004_33c056b68e5d4ba7.2"]
    second = doc(corpus, "004_33c056b68e5d4ba7.2")
    assert second.title == "Meeting with Central Election Commission Chairperson Ella Pamfilova"
    assert (second.date, second.time, second.place) == ("2022-08-19", "20:00", "Sochi")
    first = doc(corpus, "004_33c056b68e5d4ba7.1")
    assert (first.date, first.time, first.place) == ("2022-08-19", "16:15", "Sochi")
    assert first.lead.startswith("Vladimir Putin met with President of the Republic of Kazakhstan")


@pytest.mark.parametrize(
    "doc_id, n, label, start_words",
    [
        pytest.param("004_33c056b68e5d4ba7.1", 2, "President of Kazakhstan Kassym-Jomart Tokayev", "Thank you, Mr President, first of all", id="colon-next-line-tokayev"),
        pytest.param("004_33c056b68e5d4ba7.2", 2, "Chairperson of the Central Election Commission Ella Pamfilova", "It is in full swing", id="colon-next-line-pamfilova"),
    ],
)
def test_label_alone_with_colon_on_next_line(corpus, doc_id, n, label, start_words):
    t = doc(corpus, doc_id).turn(n)
    assert t.label == label
    assert t.text.startswith(start_words)
    assert not t.text.startswith(":")


def test_roles_kept_and_short_labels_resolved(corpus):
    d = doc(corpus, "004_33c056b68e5d4ba7.2")
    assert d.turn(1).role == "President of Russia"
    assert d.turn(2).role == "Chairperson of the Central Election Commission"
    # Later short labels ("Ella Pamfilova:") are the same person with the same role.
    assert d.turn(4).label == "Ella Pamfilova" and d.turn(4).role == "Chairperson of the Central Election Commission"
    assert d.turn(3).label == "Vladimir Putin" and d.turn(3).role == "President of Russia"


def test_continuation_paragraphs_join_the_previous_turn(corpus):
    t = doc(corpus, "004_33c056b68e5d4ba7.1").turn(1)
    paragraphs = t.text.split("\n")
    assert len(paragraphs) == 5
    assert paragraphs[2].startswith("Our trade is growing. It increased by 34.4 percent")
    # The Pamfilova turn holding "First, we must win" spans several paragraphs, unlabelled ones included.
    t12 = doc(corpus, "004_33c056b68e5d4ba7.2").turn(12)
    assert t12.text.split("\n")[-1] == "First, we must win and then look into the nuances and things that separate us."


def test_captions_subheadings_and_footer_are_not_speech(corpus):
    text = "\n".join(t.text for d in corpus.documents for t in d.turns)
    for not_speech in ("3 of 6", "Photo by President of Kazakhstan Press Service", "Beginning of Russia-Kazakhstan talks",
                       "Publication status", "Published in sections", "Tokayev Kassym-Jomart", "Text version"):
        assert not_speech not in text
    assert "<…>" not in text.split("\n")


def test_footer_fields(corpus):
    d1 = doc(corpus, "004_33c056b68e5d4ba7.1")
    assert d1.persons == ["Tokayev Kassym-Jomart"]
    assert d1.geography == ["Kazakhstan"]
    assert d1.topics == ["Foreign policy"]
    assert d1.sections == ["News", "Transcripts"]
    assert d1.publication_date == "August 19, 2022, 16:15"
    assert doc(corpus, "004_33c056b68e5d4ba7.2").persons == ["Pamfilova Ella"]


def test_offsets_point_into_the_source(corpus):
    source = KREMLIN.read_text(encoding="utf-8")
    for d in corpus.documents:
        if d.source != str(KREMLIN):
            continue
        for t in d.turns:
            span = source[t.start : t.end]
            assert span.startswith(t.label)
            assert span.rstrip().endswith(t.text.split("\n")[-1])


def test_news_quotes_attributed_to_putin_and_narration_to_the_outlet(corpus):
    d = doc(corpus, "000_6ddbb2649f756b29")
    quotes = [t for t in d.turns if t.kind == "quote"]
    narration = [t for t in d.turns if t.kind == "narration"]
    assert len(quotes) == 14 and len(narration) == 8
    assert {t.speaker for t in quotes} == {"Vladimir Putin"}
    assert {t.attribution for t in quotes} == {"Vladimir Putin (quoted in Realnoe Vremya)"}
    assert {t.speaker for t in narration} == {"Realnoe Vremya"}
    assert d.author == "Daria Pinegina" and d.outlet == "Realnoe Vremya"
    assert d.date == "2022-11-15"


@pytest.mark.parametrize(
    "fragment, kind",
    [
        pytest.param("Attempts of external and internal interference, pressure on the election process will be halted", "quote", id="quote-with-trailing-attribution"),
        pytest.param("I have just looked through the documents", "quote", id="quote-after-said-putin"),
        pytest.param("Nowadays no artificial intelligence will replace a humane attitude to people.", "quote", id="quote-after-unclosed-quote"),
        pytest.param("She did her best to make sure our electoral system", "quote", id="quote-about-pamfilova-is-putins"),
        pytest.param("Electoral commissions now include 900,000 members", "narration", id="reported-speech-is-narration"),
        pytest.param("Also, the head of the country claimed that the authorities would do their best", "narration", id="narration-paragraph"),
    ],
)
def test_news_fragments(corpus, fragment, kind):
    d = doc(corpus, "000_6ddbb2649f756b29")
    hits = [t for t in d.turns if fragment in t.text]
    assert hits, fragment
    assert hits[0].kind == kind
    if kind == "quote":
        assert hits[0].speaker == "Vladimir Putin"


def test_unclosed_quote_stops_before_the_reporters_sentence(corpus):
    d = doc(corpus, "000_6ddbb2649f756b29")
    cctv = next(t for t in d.turns if "video surveillance" in t.text and t.kind == "quote")
    assert cctv.text.endswith("CCTV cameras here are installed at most polling stations.")
    assert "He also mentioned AI" not in cctv.text


def test_speaker_aliases(corpus):
    people = corpus.people
    assert people.resolve("Ms Pamfilova") == ["Ella Pamfilova"]
    assert people.resolve("Mrs Pamfilova") == ["Ella Pamfilova"]
    assert people.resolve("the CEC chair") == ["Ella Pamfilova"]
    assert people.resolve("Mr Tokayev") == ["Kassym-Jomart Tokayev"]
    assert people.resolve("Kazakhstan's president") == ["Kassym-Jomart Tokayev"]
    assert people.resolve("President of Russia") == ["Vladimir Putin"]
    # An ambiguous role names its best-known holder first.
    assert people.resolve("the President")[0] == "Vladimir Putin"
    pamfilova = people.find("Ella Pamfilova")
    assert pamfilova.turns == 9 and pamfilova.role == "Chairperson of the Central Election Commission"
