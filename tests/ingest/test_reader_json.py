"""JSON / JSONL turn reader.

Fixtures:
- fixtures/pamfilova_2018_turns.json: the first six turns of en.kremlin.ru/events/president/news/57178
  (shared/corpora/kremlin_en_2010_2020_mirror), as one JSON object; the first turn is written
  with a separate "role", the others with full labels. CC BY 4.0, en.kremlin.ru.
- fixtures/friends_dialogues.jsonl: two FriendsQA dev dialogues (emorynlp/FriendsQA, Apache-2.0),
  one per line; "#NOTE#" scene lines became narration turns.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest.readers import json_turns

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def read(path: Path) -> list:
    text = path.read_text(encoding="utf-8")
    assert json_turns.detect(path, text)
    return json_turns.read(path, text)


def test_kremlin_meeting_object() -> None:
    path = FIXTURES / "pamfilova_2018_turns.json"
    (doc,) = read(path)
    assert doc.doc_id == "kremlin-57178"
    assert doc.format == "json-turns"
    assert doc.title == "Meeting with Central Election Commission Chairperson Ella Pamfilova"
    assert (doc.date, doc.time, doc.place) == ("2018-04-03", "09:45", "The Kremlin, Moscow")
    assert doc.url == "http://en.kremlin.ru/events/president/news/57178"
    assert doc.persons == ["Pamfilova Ella"]
    assert [t.label for t in doc.turns] == [
        "Ella Pamfilova",
        "President of Russia Vladimir Putin",
        "Ella Pamfilova",
        "Vladimir Putin",
        "Ella Pamfilova",
        "Vladimir Putin",
    ]
    first, second = doc.turns[0], doc.turns[1]
    # With a role the speaker is the bare name; without, the label is left for speaker resolution.
    assert (first.speaker, first.role) == ("Ella Pamfilova", "Chairperson of the Central Election Commission")
    assert (second.speaker, second.role) == (None, None)
    assert second.text.startswith("Thank you very much, Ms Pamfilova.")
    assert "\n" in second.text  # paragraphs of one turn survive


def test_offsets_point_at_the_json_strings() -> None:
    path = FIXTURES / "pamfilova_2018_turns.json"
    text = path.read_text(encoding="utf-8")
    for turn in json_turns.read(path, text)[0].turns:
        assert (turn.start, turn.end) != (0, 0)
        assert json.loads(f'"{text[turn.start : turn.end]}"') == turn.text


def test_jsonl_dialogues() -> None:
    docs = read(FIXTURES / "friends_dialogues.jsonl")
    assert [d.doc_id for d in docs] == ["friends-s04_e24_c23", "friends-s01_e23_c06"]
    scene = docs[0].turns[0]
    assert (scene.kind, scene.label) == ("narration", "Scene")
    assert scene.text.startswith("[ Scene : A 747 somewhere over the North Atlantic")
    assert [t.label for t in docs[0].turns[1:3]] == ["Monica Geller", "Chandler Bing"]
    assert len(docs[1].turns) == 10
    assert all(t.start > 0 for d in docs for t in d.turns)


def test_list_without_ids_numbers_documents_from_the_stem(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    objs = [{"title": f"Doc {k}", "turns": [{"speaker": "A B", "text": "Hi."}]} for k in (1, 2)]
    path.write_text(json.dumps(objs), encoding="utf-8")
    assert [d.doc_id for d in read(path)] == ["export-1", "export-2"]
    path.write_text(json.dumps(objs[0]), encoding="utf-8")
    assert [d.doc_id for d in read(path)] == ["export"]


def test_text_that_is_not_json_escaped_the_same_way_gets_zero_offsets(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text('{"title": "t", "turns": [{"speaker": "A B", "text": "caf\\u00e9 \\/ ok"}]}', encoding="utf-8")
    (doc,) = read(path)
    assert doc.turns[0].text == "café / ok"
    assert (doc.turns[0].start, doc.turns[0].end) == (0, 0)


GOOD_TURN = {"speaker": "Vladimir Putin", "text": "Good afternoon."}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(
            "data.json",
            json.dumps(
                [{"title": "a", "turns": [GOOD_TURN]}, {"title": "b", "turns": [GOOD_TURN] * 3 + [{"text": "x"}]}]
            ),
            "data.json: object 2, turns[3].speaker: missing",
            id="missing-speaker",
        ),
        pytest.param(
            "data.json", '{"title": "a", "turns": [}', "data.json: line 1, column 26: invalid JSON", id="bad-json"
        ),
        pytest.param(
            "data.json",
            json.dumps({"title": "a", "turns": [GOOD_TURN, GOOD_TURN]}, indent=2).replace("}\n  ]", "}\n  ,]"),
            "data.json: line 12, column 4: invalid JSON",
            id="bad-pretty-printed-json",
        ),
        pytest.param(
            "data.jsonl",
            json.dumps({"title": "a", "turns": [GOOD_TURN]}) + "\n{oops\n",
            "data.jsonl: line 2, column 2: invalid JSON",
            id="bad-jsonl-line",
        ),
        pytest.param(
            "data.jsonl",
            json.dumps({"title": "a", "turns": [GOOD_TURN]})
            + "\n"
            + json.dumps({"title": "b", "turns": {"speaker": "x"}})
            + "\n",
            "data.jsonl: line 2, turns: expected a list, got an object",
            id="turns-not-a-list",
        ),
        pytest.param(
            "data.json", json.dumps({"turns": [GOOD_TURN]}), "data.json: object 1, title: missing", id="missing-title"
        ),
        pytest.param(
            "data.json",
            json.dumps({"title": "a", "turns": [{"speaker": " ", "text": "x"}]}),
            "data.json: object 1, turns[0].speaker: empty",
            id="empty-speaker",
        ),
        pytest.param(
            "data.json",
            json.dumps({"title": "a", "turns": [{"speaker": "A", "text": 3}]}),
            "data.json: object 1, turns[0].text: expected a string, got a number",
            id="text-not-string",
        ),
        pytest.param(
            "data.json",
            json.dumps({"title": "a", "turns": [{**GOOD_TURN, "kind": "aside"}]}),
            "data.json: object 1, turns[0].kind: 'aside' is not one of speech, quote, narration",
            id="unknown-kind",
        ),
        pytest.param(
            "data.json",
            json.dumps({"title": "a", "date": "soon", "turns": [GOOD_TURN]}),
            "data.json: object 1, date: not a date",
            id="bad-date",
        ),
        pytest.param(
            "data.json",
            json.dumps([{"title": "a", "turns": [GOOD_TURN]}, "b"]),
            "data.json: object 2, document: expected an object, got a string",
            id="not-an-object",
        ),
    ],
)
def test_errors_name_file_object_and_field(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        json_turns.read(path, content)
    # The file is named by its path, not its bare name (two data.json in two folders must be told apart).
    assert str(err.value).startswith(f"{path}{message[len(name):]}")
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("x.json", "{}", True, id="json-suffix"),
        pytest.param("x.txt", '{"title": "t", "turns": []}', True, id="json-text-with-turns"),
        pytest.param("x.txt", '{"title": "t", "rows": []}', False, id="json-text-without-turns"),
        pytest.param("x.txt", "[not json", False, id="bracket-prose"),
        pytest.param("x.txt", "Vladimir Putin: Hello.\nElla Pamfilova: Hi.", False, id="plain-text"),
        pytest.param("x.csv", "link,headline,body\n", False, id="csv"),
    ],
)
def test_detect(name: str, text: str, expected: bool) -> None:
    assert json_turns.detect(Path(name), text) is expected


def test_a_label_inside_a_turn_opens_a_turn_of_its_own(tmp_path: Path) -> None:
    """An exporter that missed a bold label leaves the next speaker inside the turn before: a line of the text that
    opens with a speaker's label (a note such as "(retranslated)" after it allowed) is a turn of its own, with its
    offsets in the file; a line that opens a sentence with a colon, or names a place, is not."""
    putin = (
        "Mr Sargsyan, ladies and gentlemen,\nOur talks were constructive.\n"
        "As for Buryatia and Trans-Baikal: the floods are over.\n"
        "President of Armenia Serzh Sargsyan (retranslated): Thank you, Mr Putin.\nWe agreed on gas prices.\n"
        "Question: When will the plant open?"
    )
    obj = {"title": "Russian-Armenian talks", "turns": [{"speaker": "President of Russia Vladimir Putin", "text": putin}]}
    path = tmp_path / "talks.jsonl"
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    (doc,) = read(path)
    assert [(t.label, t.text) for t in doc.turns] == [
        ("President of Russia Vladimir Putin",
         "Mr Sargsyan, ladies and gentlemen,\nOur talks were constructive.\nAs for Buryatia and Trans-Baikal: the floods are over."),
        ("President of Armenia Serzh Sargsyan (retranslated)", "Thank you, Mr Putin.\nWe agreed on gas prices."),
        ("Question", "When will the plant open?"),
    ]
    # Each part's offsets point at its own stretch of the JSON string (newlines are two characters there).
    for t in doc.turns:
        assert json.loads('"' + text[t.start : t.end] + '"').strip().endswith(t.text.splitlines()[-1])
    assert doc.turns[1].start > doc.turns[0].start and doc.turns[2].start > doc.turns[1].start


def test_a_label_with_a_note_is_a_label() -> None:
    from assistant.ingest.readers.labels import is_label

    assert is_label("Prime Minister of India Narendra Modi (retranslated)")
    assert is_label("President of Yemen Abd Rabbuh Mansour Hadi (re-translated)")
    assert not is_label("we discussed this (briefly)")
