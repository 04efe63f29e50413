"""The learned reader's seam: re-scoring shortlisted sentences, calibrated confidence, abstention — with a fake scorer."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from assistant.ask.answerers.base import AnswerContext
from assistant.ask.answerers.extractive import ExtractiveAnswerer
from assistant.ask.query import analyse
from assistant.ask.reader import Calibrator, reader_text, speaker_label


class FakeScorer:
    """Deterministic: a high logit for texts holding ``word``, a low one otherwise; records what it read."""

    def __init__(self, word: str, high: float = 4.0, low: float = -4.0) -> None:
        self.word, self.high, self.low = word, high, low
        self.read: list[str] = []

    def score(self, question: str, texts: list[str]) -> np.ndarray:
        self.read += texts
        return np.array([self.high if self.word in t else self.low for t in texts], dtype=np.float32)


def answer(assistant, question: str, scorer: FakeScorer, calibrator: Calibrator | None = None):
    loaded = assistant.loaded
    engine = assistant.engine
    settings = assistant.settings.answer.model_copy()
    ex = ExtractiveAnswerer(loaded, settings, reader=scorer, calibrator=calibrator or Calibrator(threshold=0.5))
    qa = analyse(question, loaded)
    hits = engine.retriever.retrieve(question, qa, {})
    return ex.answer(qa, hits, AnswerContext())


def test_reader_text_reads_a_leaning_sentence_with_the_one_before() -> None:
    assert reader_text("Vladimir Putin", "It increased by 34.4 percent.", "Our trade is growing.") == \
        "Vladimir Putin: Our trade is growing. It increased by 34.4 percent."
    assert reader_text("Vladimir Putin", "Trade grew.", "Hello.") == "Vladimir Putin: Trade grew."


def test_the_reader_sees_the_speakers_role_beside_the_name() -> None:
    assert speaker_label("Vladimir Mazur", "Acting Governor of the Tomsk Region") == "Vladimir Mazur, Acting Governor of the Tomsk Region"
    assert speaker_label("Vladimir Putin", "") == "Vladimir Putin"
    assert speaker_label("Professor B", "professor b") == "Professor B"  # a label that is the role already


def test_the_reader_sees_the_role_when_the_question_names_the_speaker_by_role(assistant) -> None:
    by_role = FakeScorer("8.8")
    answer(assistant, "How much did the President of Kazakhstan say trade grew?", by_role)
    tokayev = [t for t in by_role.read if t.startswith("Kassym-Jomart Tokayev")]
    assert tokayev and all(t.startswith("Kassym-Jomart Tokayev, President of Kazakhstan: ") for t in tokayev)
    named = FakeScorer("8.8")
    answer(assistant, "How much did Tokayev say trade grew?", named)
    assert any(t.startswith("Kassym-Jomart Tokayev: ") for t in named.read)
    assert not any(t.startswith("Kassym-Jomart Tokayev, ") for t in named.read)


def test_the_reader_decides_between_shortlisted_sentences(assistant) -> None:
    draft = answer(assistant, "How much did trade between Russia and Kazakhstan grow?", FakeScorer("8.8"))
    assert not draft.abstained
    assert "8.8" in draft.citations[0].quote


def test_confidence_is_the_calibrated_probability_and_low_confidence_abstains(assistant) -> None:
    sure = answer(assistant, "How many parties nominated candidates?", FakeScorer("24 parties"))
    assert sure.confidence is not None and sure.confidence > 0.9 and not sure.abstained
    unsure = answer(assistant, "How many parties nominated candidates?", FakeScorer("no sentence has this", low=-6.0))
    assert unsure.abstained and unsure.citations == []
    assert unsure.confidence is not None and unsure.confidence > 0.9  # sure that the best answer would be wrong


def test_the_reader_reads_at_most_the_configured_number_of_sentences(assistant) -> None:
    scorer = FakeScorer("24 parties")
    answer(assistant, "How many parties nominated candidates?", scorer)
    assert 0 < len(scorer.read) <= assistant.settings.answer.reader_candidates


def test_calibration_file_round_trip(tmp_path: Path) -> None:
    cal = Calibrator(w_logit=0.8, w_support=1.5, w_missing=-1.0, bias=-0.7, threshold=0.42, fitted_on="dev", figures={"dev_ece": 0.03})
    path = tmp_path / "calibration.json"
    path.write_text(cal.to_json(), encoding="utf-8")
    back = Calibrator.load(path)
    assert back == cal
    assert back.probability(2.0, 1.0) > back.probability(-2.0, 1.0)
    assert back.probability(2.0, 1.0, missing=True) < back.probability(2.0, 1.0)


def test_an_abstention_reports_the_probability_that_the_transcripts_do_not_answer(tmp_path: Path) -> None:
    # Fitted abstention weights: weak evidence and a missing focus make "no answer" likely.
    # Weights in the order of Calibrator.FEATURES (logit and support for a fact answer, then for a discussion), then the bias.
    cal = Calibrator(w_logit=1.0, bias=0.0, abstain_weights=[-1.0, -2.0, -1.0, -2.0, 1.5, -1.0, 0.0])
    assert cal.abstention(-3.0, 0.0, missing=True) > 0.9
    assert cal.abstention(1.0, 1.0) < 0.1
    # A discussion question (a stance, a summary) is more often answered by the transcripts.
    assert cal.abstention(0.0, 0.5, discussion=True) < cal.abstention(0.0, 0.5)
    path = tmp_path / "calibration.json"
    path.write_text(cal.to_json(), encoding="utf-8")
    assert Calibrator.load(path) == cal


def test_a_discussion_answer_weighs_its_logit_and_support_apart_from_a_fact_answer() -> None:
    # A summary's words are mostly instructions ("Summarize the discussion about…"), so low support says
    # less against it than against a fact answer; its logit is a whole turn's, on its own scale.
    cal = Calibrator(w_logit=0.5, w_support=3.0, w_logit_discussion=1.0, w_support_discussion=0.3, bias=-1.0)
    assert cal.features(2.0, 0.4) == pytest.approx([2.0, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0 / (1.0 + math.exp(-2.0)), 0.0])
    assert cal.features(2.0, 0.4, missing=True, discussion=True) == [0.0, 0.0, 2.0, 0.4, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]
    assert cal.probability(1.0, 0.1, discussion=True) > 0.5 > cal.probability(1.0, 0.1)
    assert cal.probability(1.0, 0.9) > cal.probability(1.0, 0.1)


def test_a_discussion_answer_has_its_own_threshold_when_one_was_fitted(tmp_path: Path) -> None:
    cal = Calibrator(threshold=0.5, discussion_threshold=0.37)
    assert cal.threshold_for(discussion=True) == 0.37
    assert cal.threshold_for(discussion=False) == 0.5
    assert Calibrator(threshold=0.5).threshold_for(discussion=True) == 0.5  # none fitted: one threshold
    path = tmp_path / "calibration.json"
    path.write_text(cal.to_json(), encoding="utf-8")
    assert Calibrator.load(path) == cal


def test_without_abstention_weights_an_abstention_reports_one_minus_p() -> None:
    cal = Calibrator(w_logit=1.0, w_discussion=1.0)
    assert cal.abstention(0.5, 0.0) == pytest.approx(1.0 - cal.probability(0.5, 0.0))
    assert cal.probability(0.0, 0.0, discussion=True) > cal.probability(0.0, 0.0)


def test_no_calibration_file_means_a_plain_sigmoid(tmp_path: Path) -> None:
    cal = Calibrator.load(tmp_path / "missing.json")
    assert cal.probability(0.0, 0.3) == pytest.approx(0.5)
    assert json.loads(cal.to_json())["threshold"] == 0.5


def test_a_missing_reader_model_is_one_actionable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.api as api
    from assistant.errors import ModelError
    from assistant.models.cross_encoder import ModelFileMissing
    from assistant.settings import Settings

    def missing(threads: int = 2):
        raise ModelFileMissing("cross-encoder file missing: /x/model.onnx (train and export it with scripts/train_reader.py)")

    monkeypatch.setattr(api, "load_reader", missing)
    with pytest.raises(ModelError, match="model.onnx.*answer.reader = false"):
        api.load_reader_parts(Settings.load())
    off = Settings.load()
    off.answer.reader = False
    assert api.load_reader_parts(off) == (None, None)


def test_an_answer_to_a_number_question_is_weighed_by_the_question_words_beside_its_number(tmp_path: Path) -> None:
    # "How many helicopters a year…" answered by "72 modernisation projects… that manufacture helicopters": the
    # number counts something else; with the question's words beside the number the same evidence is stronger.
    cal = Calibrator(w_logit=1.0, w_typed=-2.0, w_number_context=4.0, threshold=0.5, typed_threshold=0.6)
    assert cal.features(1.0, 0.5, number_context=0.25)[:8] == [1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 1.0, 0.25]
    assert cal.probability(1.0, 0.5, number_context=0.1) < cal.probability(1.0, 0.5, number_context=0.9)
    # A discussion is never a number answer; a question that asks for no number has no such evidence.
    assert cal.features(1.0, 0.5, discussion=True, number_context=0.5)[6:8] == [0.0, 0.0]
    assert cal.probability(1.0, 0.5) == cal.probability(1.0, 0.5, number_context=None)
    assert cal.threshold_for(discussion=False, typed=True) == 0.6
    assert cal.threshold_for(discussion=False) == 0.5
    path = tmp_path / "calibration.json"
    path.write_text(cal.to_json(), encoding="utf-8")
    assert Calibrator.load(path) == cal


def test_weights_fitted_before_the_number_evidence_existed_still_load() -> None:
    # Seven abstention weights (six features and the bias), as written before the number-context features.
    cal = Calibrator(w_logit=1.0, abstain_weights=[-1.0, -2.0, -1.0, -2.0, 1.5, -1.0, 0.25])
    assert cal.abstention(0.0, 0.0, number_context=0.5) == pytest.approx(1.0 / (1.0 + math.exp(-0.25)))


def test_a_fact_answer_weighs_the_readers_probability_as_well_as_its_logit() -> None:
    # Beyond a few units a logit says little more: with a negative weight on the logit and a positive one on its
    # sigmoid, the confidence rises with the logit near 0 and levels off (falls a little) far from it.
    cal = Calibrator(w_logit=-0.2, w_reader_probability=4.0, bias=-2.0)
    assert cal.probability(1.0, 0.5) > cal.probability(-1.0, 0.5)
    assert cal.probability(8.0, 0.5) < cal.probability(3.0, 0.5)
    # A discussion answer's logit has its own weight and no probability term.
    assert cal.features(1.0, 0.5, discussion=True)[8] == 0.0


def test_the_held_out_recalibration_maps_the_reported_confidence_and_keeps_the_decision(assistant, tmp_path: Path) -> None:
    # Fitted on tuned dev sets the confidence overstates accuracy on new transcripts; a slope and an offset of
    # its log-odds, fitted on held-out dev sets, pull it back. Identity without one.
    shrink = Calibrator(recalibration=[0.5, -0.5])
    assert Calibrator().reported(0.9) == 0.9
    assert shrink.reported(0.9) == pytest.approx(1.0 / (1.0 + math.exp(-(0.5 * math.log(9.0) - 0.5))))
    assert shrink.reported(0.99) > shrink.reported(0.9) > shrink.reported(0.5)  # the order of confidences is kept
    path = tmp_path / "calibration.json"
    path.write_text(shrink.to_json(), encoding="utf-8")
    assert Calibrator.load(path) == shrink
    # An answer reports the recalibrated confidence, but whether it answers is decided before it.
    plain = answer(assistant, "How many parties nominated candidates?", FakeScorer("24 parties"), Calibrator(threshold=0.5))
    recal = answer(assistant, "How many parties nominated candidates?", FakeScorer("24 parties"),
                   Calibrator(threshold=0.5, recalibration=[0.1, -3.0]))
    assert not plain.abstained and not recal.abstained and recal.citations == plain.citations
    assert plain.confidence is not None and recal.confidence == pytest.approx(Calibrator(recalibration=[0.1, -3.0]).reported(plain.confidence))
    assert recal.confidence < 0.5 < plain.confidence


def test_a_how_many_answer_whose_quote_never_counts_the_noun_is_weaker_evidence(assistant) -> None:
    # "How many parties…" is answered by "24 parties"; a quote whose numbers count other things is evidence against.
    cal = Calibrator(w_logit=1.0, w_uncounted=-3.0)
    assert cal.features(1.0, 0.5, number_context=0.5, uncounted=True)[9] == 1.0
    assert cal.features(1.0, 0.5, number_context=None, uncounted=True)[9] == 0.0  # no number asked for: no such evidence
    assert cal.probability(1.0, 0.5, number_context=0.5, uncounted=True) < cal.probability(1.0, 0.5, number_context=0.5)
    # Weights fitted before the feature existed (nine features and the bias) leave it out.
    old = Calibrator(abstain_weights=[0.0] * 9 + [0.5])
    assert old.abstention(1.0, 0.5, number_context=0.5, uncounted=True) == pytest.approx(1.0 / (1.0 + math.exp(-0.5)))
    # The answerer notes it when the quote puts no number before the noun the question counts.
    counted = answer(assistant, "How many parties nominated candidates?", FakeScorer("24 parties"), cal)
    assert not any(n.startswith("the quote never counts") for n in counted.notes)
    # "over 70,500 candidates have already been registered" (Putin, seeds): a number, but of candidates.
    other = answer(assistant, "How many observers did Putin say registered candidates?", FakeScorer("70,500", low=-6.0), Calibrator(threshold=0.0))
    assert "70,500" in " ".join(c.quote for c in other.citations)
    assert "the quote never counts “observ”" in other.notes
    # Putin's "We have 22 parties that have already registered their candidates" counts parties.
    parties = answer(assistant, "How many parties did Putin say registered candidates?", FakeScorer("70,500", low=-6.0), Calibrator(threshold=0.0))
    assert "22 parties" in " ".join(c.quote for c in parties.citations)
    assert not any(n.startswith("the quote never counts") for n in parties.notes)


@pytest.mark.parametrize(("question", "noun"), [
    ("How many parties nominated candidates?", "parti"),
    # Past a designation with a number and an adverb: the noun the question counts.
    ("How many Tu-160 aircraft did Putin say the contract would cover?", "aircraft"),
    ("How many S-400 systems were delivered?", "system"),
    ("How many newly built schools opened?", "school"),  # the plural near "how many" first
    ("How many Russian servicemen were killed?", "russian"),  # a count noun with no plural ending: the first word
])
def test_the_noun_a_how_many_question_counts(question: str, noun: str) -> None:
    from types import SimpleNamespace

    from assistant.ask.answerers.extractive import focus_noun

    assert focus_noun(SimpleNamespace(question=question)) == noun
