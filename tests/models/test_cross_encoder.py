"""The packaged reader model: int8 MiniLM cross-encoder run with onnxruntime."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.models import CrossEncoder, ModelFileMissing, format_text, reader_path


@pytest.fixture(scope="module")
def reader() -> CrossEncoder:
    """The packaged model, loaded once."""
    return CrossEncoder.load()


def test_packaged_files_exist() -> None:
    """The model, tokenizer, config and card ship inside the package."""
    for name in ("model.onnx", "tokenizer.json", "config.json", "MODEL_CARD.md", "metrics.json"):
        assert (reader_path() / name).is_file(), name


def test_format_text_matches_training() -> None:
    """'Speaker: text' with whitespace collapsed; no speaker -> the bare text."""
    assert format_text("Vladimir Putin", "  Good  afternoon.\n") == "Vladimir Putin: Good afternoon."
    assert format_text("", "Applause.") == "Applause."


def test_load_is_cached(reader: CrossEncoder) -> None:
    """One model per process and path."""
    assert CrossEncoder.load() is reader
    assert CrossEncoder.load(reader_path()) is reader


def test_one_finite_float_per_text(reader: CrossEncoder) -> None:
    """score() returns float32 logits, one per text."""
    texts = [
        format_text("Ella Pamfilova", "Twenty-four parties nominated candidates."),
        format_text("Dmitry Peskov", "The weather in Sochi was warm."),
        "",
    ]
    scores = reader.score("How many parties nominated candidates?", texts)
    assert scores.shape == (3,)
    assert scores.dtype == np.float32
    assert np.isfinite(scores).all()


@pytest.mark.parametrize(
    ("question", "on_topic", "off_topic"),
    [
        pytest.param(
            "How many parties nominated candidates?",
            ("Ella Pamfilova", "Twenty-four parties nominated candidates for the State Duma elections."),
            ("Dmitry Peskov", "The weather in Sochi was warm and sunny all week."),
            id="parties-vs-weather",
        ),
        (
            "What did the president say about trade with China?",
            ("Vladimir Putin", "Our trade with China grew by more than thirty percent last year, to a record level."),
            ("Vladimir Putin", "Let me thank the organisers for the wonderful concert yesterday evening."),
        ),
        (
            "When will the new bridge be opened?",
            ("Marat Khusnullin", "The bridge will open to traffic in December, two months ahead of schedule."),
            ("Sergei Lavrov", "We have always respected the sovereignty of our neighbours."),
        ),
    ],
)
def test_on_topic_beats_off_topic(
    reader: CrossEncoder, question: str, on_topic: tuple[str, str], off_topic: tuple[str, str]
) -> None:
    """A turn that answers the question outscores one that does not."""
    good, bad = reader.score(question, [format_text(*on_topic), format_text(*off_topic)])
    assert good > bad


def test_empty_input(reader: CrossEncoder) -> None:
    """No texts in, an empty float32 array out."""
    scores = reader.score("Anything?", [])
    assert scores.shape == (0,)
    assert scores.dtype == np.float32


def test_batching_does_not_change_scores(reader: CrossEncoder) -> None:
    """A text's score does not depend on the batch it is scored in."""
    question = "What did Tokayev say about trade?"
    texts = [
        format_text("Kassym-Jomart Tokayev", "Trade between our countries grew by 34.4 percent."),
        format_text("Vladimir Putin", "Thank you."),
        format_text("Kassym-Jomart Tokayev", "I invite you to visit Astana " + "next year " * 80),  # truncated
        format_text("Narrator", "Applause."),
        format_text("Vladimir Putin", "We also discussed energy, transport corridors and the situation in the region."),
    ]
    together = reader.score(question, texts, batch_size=32)
    pairs = reader.score(question, texts, batch_size=2)
    alone = np.concatenate([reader.score(question, [t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4, rtol=0)
    np.testing.assert_allclose(pairs, alone, atol=1e-4, rtol=0)


def test_pairs_side_by_side_score_as_one_at_a_time() -> None:
    """Pairs run on several threads at once get the scores they get run one after another, each in its place."""
    question = "How much did trade between Russia and Kazakhstan grow?"
    texts = [
        format_text("Kassym-Jomart Tokayev", "Trade between our countries grew by 34.4 percent last year."),
        format_text("Vladimir Putin", "Thank you."),
        format_text("Vladimir Putin", "Investment is growing as well " * 30),  # truncated at the window
        format_text("Narrator", "Applause."),
        format_text("Vladimir Putin", "We discussed energy, transport corridors and the situation in the region."),
    ]
    one = CrossEncoder.load(threads=1)
    three = CrossEncoder.load(threads=3)
    assert (one.threads, three.threads) == (1, 3)
    in_turn = np.concatenate([one.score(question, [t]) for t in texts])
    np.testing.assert_allclose(three.score(question, texts), in_turn, atol=1e-5, rtol=0)
    np.testing.assert_allclose(three.score(question, texts[::-1]), in_turn[::-1], atol=1e-5, rtol=0)


def _score_in_child(queue: "multiprocessing.Queue[list[float]]") -> None:
    """Score in a forked child with the parent's loaded reader (see the test below)."""
    two = CrossEncoder.load(threads=2)
    queue.put(two.score("What grew?", ["Putin: Trade grew.", "Putin: Thank you.", "Putin: Applause."]).tolist())


def test_pairs_side_by_side_in_a_forked_child() -> None:
    """A process forked after the reader has scored (its worker threads gone) still scores, and the same."""
    import multiprocessing

    two = CrossEncoder.load(threads=2)
    expected = two.score("What grew?", ["Putin: Trade grew.", "Putin: Thank you.", "Putin: Applause."]).tolist()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_score_in_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    if child.is_alive():
        child.kill()
        pytest.fail("scoring in a forked child hung")
    assert child.exitcode == 0
    np.testing.assert_allclose(queue.get(timeout=5), expected, atol=1e-5, rtol=0)


def test_long_question_is_clipped_not_rejected(reader: CrossEncoder) -> None:
    """A question longer than the model's window still gets a score."""
    scores = reader.score("Why " * 300 + "?", ["Putin: Because."])
    assert scores.shape == (1,) and np.isfinite(scores).all()


def test_missing_model_file_names_the_path(tmp_path: Path) -> None:
    """A directory without model.onnx raises an error that names the missing file."""
    for name in ("tokenizer.json", "config.json"):
        shutil.copyfile(reader_path() / name, tmp_path / name)
    with pytest.raises(ModelFileMissing, match=re.escape(str(tmp_path / "model.onnx"))):
        CrossEncoder.load(tmp_path)
    with pytest.raises(FileNotFoundError, match="model.onnx"):
        CrossEncoder.load(tmp_path / "nowhere")
