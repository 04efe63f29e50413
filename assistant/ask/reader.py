"""The learned reader: the packaged cross-encoder re-scores the answerer's best candidate sentences.

The extractive answerer's hand-set features (words covered, meaning, the kind of fact asked for)
shortlist sentences; the cross-encoder, fine-tuned on QMSum and FriendsQA (see
``assistant/models/reader/MODEL_CARD.md``), reads each shortlisted sentence with its speaker
("Speaker: sentence") against the question. Its logit is added to the sentence score and, through
the calibrator, becomes ``Answer.confidence``: the probability that the answer is right.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from assistant.models.cross_encoder import CrossEncoder, format_text, reader_path
from assistant.text.sentences import leans_on_previous

CALIBRATION_FILE = "calibration.json"


class Scorer(Protocol):
    """Anything that scores (question, texts) pairs: the cross-encoder, or a fake in tests."""

    def score(self, question: str, texts: list[str]) -> Any:
        ...


def speaker_label(speaker: str, role: str = "") -> str:
    """Who speaks, as the reader reads it: the name with the role ("Vladimir Mazur, Acting Governor of the Tomsk
    Region"). A question names people by role as often as by name ("What did the acting governor of the Tomsk
    Region tell Putin…"); the reader learned to match a question's role with the speaker label (QMSum's speakers
    are roles: "Project Manager", "Professor B"), so the role is where it can see it."""
    return f"{speaker}, {role}" if role and role.lower() not in speaker.lower() else speaker


def reader_text(speaker: str, sentence: str, previous: str = "") -> str:
    """The text side of a pair: 'Speaker: sentence', with the sentence before when this one leans on it."""
    body = f"{previous} {sentence}" if previous and leans_on_previous(sentence, connectives=False) else sentence
    return format_text(speaker, body)


@dataclass
class Calibrator:
    """Logistic calibration of the evidence into probabilities, fitted on dev sets.

    The evidence is (reader logit, support, a focus word or proper name missing, asks for a discussion, and for
    a question asking for a number, share or sum, how much of the question stands beside the number quoted).
    A fact answer and a discussion answer rest on different evidence: the first on one sentence the
    reader read, whose question words it should mostly cover; the second on whole turns the reader
    read, while the question's words are largely instructions ("Summarize the discussion about…").
    So the logit and the support each have a weight per kind of answer (see ``features``).
    ``probability`` is P(the best answer is right); ``threshold`` is the probability below which the
    answerer abstains, chosen on the same dev sets, and ``discussion_threshold`` (when set) the same for a
    discussion answer: such questions are seldom ones the transcripts cannot answer, so the threshold that
    maximises dev accuracy is lower for them; ``typed_threshold`` (when set) the same for an answer to a number,
    share or sum, where most questions the transcripts cannot answer are asked. ``abstain_weights`` (the same features, then the
    bias) give P(abstaining is right), i.e. that the transcripts do not answer, which is the confidence
    an abstention reports; without them it is 1 - P(best answer right). ``recalibration`` (slope, offset), when
    fitted, maps the log-odds of either reported confidence once more: fitted on held-out dev sets whose
    failures no rule was tuned on, it corrects the overconfidence of a fit on tuned sets (``reported``); the
    decision to abstain is taken before it, so it changes no answer. ``fitted_on`` and ``figures``
    record where they came from (``scripts/calibrate.py`` writes them).
    """

    w_logit: float = 1.0
    w_support: float = 0.0
    w_logit_discussion: float = 1.0
    w_support_discussion: float = 0.0
    w_missing: float = 0.0
    w_discussion: float = 0.0
    w_typed: float = 0.0
    w_number_context: float = 0.0
    w_reader_probability: float = 0.0
    w_uncounted: float = 0.0
    bias: float = 0.0
    threshold: float = 0.5
    discussion_threshold: float | None = None
    typed_threshold: float | None = None
    abstain_weights: list[float] | None = None
    recalibration: list[float] | None = None
    fitted_on: str = "uncalibrated: sigmoid of the reader logit"
    figures: dict[str, Any] | None = None

    FEATURES = ("reader logit (fact)", "support (fact)", "reader logit (discussion)", "support (discussion)",
                "focus word or proper name missing", "asks for a discussion", "asks for a number, share or sum",
                "question words beside the quoted number", "reader probability (fact)", "the noun counted is never counted")

    @staticmethod
    def features(logit: float, support: float, missing: bool = False, discussion: bool = False,
                 number_context: float | None = None, uncounted: bool = False) -> list[float]:
        """The evidence as the regression sees it, in the order of ``FEATURES``. ``number_context`` is given for a
        question that asks for a number, a share or a sum (see ``answer_types.number_context``), else None;
        ``uncounted``: a "how many X" question whose quote never puts a number before X."""
        d = float(discussion)
        typed = float(number_context is not None and not discussion)
        # The logit weighs linearly, and its sigmoid too: beyond a few units a logit says little more.
        return [logit * (1 - d), support * (1 - d), logit * d, support * d, float(missing), d,
                typed, typed * (number_context or 0.0), Calibrator._sigmoid(logit) * (1 - d), typed * float(uncounted)]

    def threshold_for(self, discussion: bool, typed: bool = False) -> float:
        """The probability below which an answer of this kind abstains (``typed``: it answers a number, share or sum)."""
        if discussion and self.discussion_threshold is not None:
            return self.discussion_threshold
        if typed and self.typed_threshold is not None:
            return self.typed_threshold
        return self.threshold

    def weights(self) -> list[float]:
        """The probability's weights, in the order of ``FEATURES``, then the bias."""
        return [self.w_logit, self.w_support, self.w_logit_discussion, self.w_support_discussion,
                self.w_missing, self.w_discussion, self.w_typed, self.w_number_context, self.w_reader_probability,
                self.w_uncounted, self.bias]

    @staticmethod
    def _sigmoid(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def _linear(cls, weights: list[float], logit: float, support: float, missing: bool, discussion: bool,
                number_context: float | None, uncounted: bool = False) -> float:
        # Features, then the bias; weights fitted before a feature existed leave it out (weight 0).
        x = cls.features(logit, support, missing, discussion, number_context, uncounted)
        return sum(w * v for w, v in zip(weights[:-1], x)) + weights[-1]

    def probability(self, logit: float, support: float, missing: bool = False, discussion: bool = False,
                    number_context: float | None = None, uncounted: bool = False) -> float:
        """P(the answer built on this evidence is right); ``missing``: a key word or proper name of the question is never
        covered; ``discussion``: the question asks for a discussion or a stance; ``number_context``: for a question
        asking for a number, share or sum, the share of its words beside the number quoted; ``uncounted``: a "how
        many X" question whose quote never puts a number before X."""
        return self._sigmoid(self._linear(self.weights(), logit, support, missing, discussion, number_context, uncounted))

    def abstention(self, logit: float, support: float, missing: bool = False, discussion: bool = False,
                   number_context: float | None = None, uncounted: bool = False) -> float:
        """P(abstaining is right): that the transcripts do not answer, given the best evidence found."""
        if not self.abstain_weights:
            return 1.0 - self.probability(logit, support, missing, discussion, number_context, uncounted)
        return self._sigmoid(self._linear(self.abstain_weights, logit, support, missing, discussion, number_context, uncounted))

    def reported(self, p: float) -> float:
        """The confidence reported for a probability from ``probability`` or ``abstention``: the held-out
        recalibration of its log-odds when one is fitted, else ``p`` itself."""
        if not self.recalibration:
            return p
        slope, offset = self.recalibration
        q = min(max(p, 1e-6), 1 - 1e-6)
        return self._sigmoid(slope * math.log(q / (1 - q)) + offset)

    @classmethod
    def load(cls, path: Path | None = None) -> "Calibrator":
        """The calibration shipped beside the reader model, or the identity (sigmoid) when there is none."""
        path = path or reader_path() / CALIBRATION_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError:
            return cls()
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)

    def to_json(self) -> str:
        """The calibration as written to ``calibration.json``."""
        return json.dumps(self.__dict__, indent=1)


def load_reader(threads: int = 2) -> CrossEncoder:
    """The packaged cross-encoder, loaded once per process."""
    return CrossEncoder.load(threads=threads)
