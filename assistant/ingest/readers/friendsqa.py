"""FriendsQA files (emorynlp/FriendsQA): span QA over Friends scenes, one document per scene.

    {"version": ..., "data": [{"title": "s01_e23_c06", "paragraphs": [
        {"utterances:": [{"uid": 0, "speakers": ["Ross Geller"], "utterance": "Breathe ."}, ...],
         "qas": [...]}]}]}

The key is literally ``"utterances:"`` upstream (a trailing colon); ``"utterances"`` is read too.
Only the utterances are read; the questions are eval material (``evals/friendsqa_convert.py``).
The document id is the scene title (``s01_e23_c06``), the title ``Friends s01_e23_c06``, and turn *n*
is the scene's utterance *n - 1* (``uid`` counts from 0 in each paragraph, and must run in order),
so FriendsQA's ``utterance_id`` plus one is a turn number.

Speakers: several speakers of one line ("Hey ." said together) become one label joined with
" and "; ``#ALL#`` is "All"; a line whose only speaker is ``#NOTE#`` is a stage direction
(``[ Scene : Central Perk ... ]``, ``( Ross enters . )``): it is kept as a ``narration`` turn by
"Scene", since FriendsQA questions are asked about it and dropping it would shift the numbering,
while as narration it is never cited as someone's words. No speakers at all is the unnamed speaker.
Text stays tokenised as FriendsQA has it ("do n't", "gon na"). Scenes carry no date or place.

Errors name the file and the field as a JSON path:
``friendsqa_dev.json: data[3].paragraphs[0]."utterances:"[5].speakers: expected a list, got a string``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError
from assistant.ingest.readers.json_turns import Fail, TextCursor, field_of, json_error, of_type, text_field
from assistant.ingest.speakers import UNNAMED
from assistant.ingest.transcripts import RawDocument, RawTurn

FORMAT = "friendsqa"
UTTERANCES_KEYS = ("utterances:", "utterances")  # upstream's spelling first
NOTE = "#NOTE#"
SCENE_SPEAKER = "Scene"
SPEAKER_NAMES = {"#ALL#": "All"}


def detect(path: Path, text: str) -> bool:
    """A JSON object whose ``data`` list holds titled scenes with ``paragraphs`` of utterances."""
    if '"paragraphs"' not in text or '"utterances' not in text or not text.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return False  # the JSON turn reader reports the syntax error
    if not isinstance(data, dict) or "turns" in data or not isinstance(data.get("data"), list) or not data["data"]:
        return False
    first = data["data"][0]
    paragraphs = first.get("paragraphs") if isinstance(first, dict) else None
    return isinstance(paragraphs, list) and any(
        isinstance(p, dict) and any(k in p for k in UTTERANCES_KEYS) for p in paragraphs
    )


def read(path: Path, text: str) -> list[RawDocument]:
    """One RawDocument per scene."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise json_error(path, err) from err
    return scene_documents(path, data, TextCursor(text))


def scene_documents(path: Path, data: Any, cursor: TextCursor | None = None) -> list[RawDocument]:
    """Every scene of a parsed FriendsQA file; ``cursor`` finds turn offsets in the file's text."""

    def fail(field: str, problem: str) -> CorpusError:
        return CorpusError(f"{path}: {field}: {problem}")

    scenes = field_of(of_type(data, dict, "top level", fail), "data", list, "data", fail)
    docs = []
    for i, scene in enumerate(scenes):
        at = f"data[{i}]"
        of_type(scene, dict, at, fail)
        title = text_field(scene, "title", fail, required=True, at=at) or ""
        paragraphs = field_of(scene, "paragraphs", list, f"{at}.paragraphs", fail)
        turns: list[RawTurn] = []
        for j, paragraph in enumerate(paragraphs):
            turns += _paragraph_turns(paragraph, f"{at}.paragraphs[{j}]", fail, cursor)
        docs.append(RawDocument(doc_id=title, title=f"Friends {title}", turns=turns, source=str(path), format=FORMAT))
    return docs


def _paragraph_turns(paragraph: Any, at: str, fail: Fail, cursor: TextCursor | None) -> list[RawTurn]:
    """The turns of one paragraph of a scene, in uid order."""
    of_type(paragraph, dict, at, fail)
    key = next((k for k in UTTERANCES_KEYS if k in paragraph), UTTERANCES_KEYS[0])
    at = f'{at}."{key}"'
    turns = []
    for k, utt in enumerate(field_of(paragraph, key, list, at, fail)):
        here = f"{at}[{k}]"
        of_type(utt, dict, here, fail)
        uid = utt.get("uid")
        if uid is not None and uid != k:
            raise fail(f"{here}.uid", f"{uid!r} out of order (expected {k}): turn numbers would not match utterance ids")
        speakers = field_of(utt, "speakers", list, f"{here}.speakers", fail)
        for m, name in enumerate(speakers):
            of_type(name, str, f"{here}.speakers[{m}]", fail)
        text = field_of(utt, "utterance", str, f"{here}.utterance", fail)
        start, end = cursor.find(text) if cursor else (0, 0)
        names = [SPEAKER_NAMES.get(s.strip(), s.strip()) for s in speakers if s.strip()]
        if names == [NOTE]:
            turn = RawTurn(
                label=SCENE_SPEAKER, text=text.strip(), start=start, end=end, kind="narration", speaker=SCENE_SPEAKER
            )
        elif not names:
            turn = RawTurn(label=UNNAMED, text=text.strip(), start=start, end=end, speaker=UNNAMED)
        else:
            turn = RawTurn(label=" and ".join(names), text=text.strip(), start=start, end=end)
        turns.append(turn)
    return turns
