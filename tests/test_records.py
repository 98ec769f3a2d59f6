"""The records: frozen, slotted; to_dict/from_dict generated from the fields."""

from __future__ import annotations

import dataclasses
import json

import pytest

import beritanlp
from beritanlp.article import Article
from beritanlp.errors import InputTypeError
from beritanlp.records import Dateline, Quote, Section, Token, Topic


def test_records_are_frozen_and_slotted() -> None:
    token = Token("Kamis", 0, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        token.text = "x"  # type: ignore[misc]
    assert not hasattr(token, "__dict__")


def test_token_syntax_fields_only_when_the_syntax_layer_ran() -> None:
    assert "pos" not in Token("a", 0, 1).to_dict()
    full = Token("a", 0, 1, pos="NOUN", head=0).to_dict()
    assert full["pos"] == "NOUN" and full["head"] == 0 and "dep" in full
    assert Token.from_dict(full) == Token("a", 0, 1, pos="NOUN", head=0)


def test_quote_keeps_its_published_key_order() -> None:
    quote = Quote("kata", 0, 4, "Qin Gang", "kata", "quoted")
    assert list(quote.to_dict())[:2] == ["speaker", "text"]


def test_sections_rebuild_their_text_from_the_offsets() -> None:
    text = "Judul\n\nIsi."
    section = Section("body", 7, 11, "Isi.")
    assert "text" not in section.to_dict()
    assert Section.from_dict(section.to_dict(), text=text) == section
    with pytest.raises(ValueError, match="article text"):
        Section.from_dict(section.to_dict())


def test_nested_records_and_maps_round_trip() -> None:
    topic = Topic("politik", 0.7, {"politik": 0.7, "hukum": 0.3})
    assert Topic.from_dict(json.loads(json.dumps(topic.to_dict()))) == topic
    dateline = Dateline("JAKARTA -", 0, 9, "JAKARTA")
    assert Dateline.from_dict({**dateline.to_dict(), "later_key": 1}) == dateline


@pytest.mark.parametrize("syntax_free", [True])
def test_article_round_trips_through_json(seed_text: str, syntax_free: bool) -> None:
    article = beritanlp.analyze(seed_text, published="2023-05-04", url="https://x.id/a")
    data = json.loads(article.to_json(tokens=True))
    assert Article.from_dict(data) == article
    # without tokens: the same article with no tokens; without text: pass it in
    bare = Article.from_dict(article.to_dict(text=False), text=seed_text)
    assert bare == dataclasses.replace(article, tokens=())


def test_article_from_dict_rejects_what_is_not_the_contract(seed_text: str) -> None:
    data = beritanlp.analyze(seed_text).to_dict()
    with pytest.raises(InputTypeError, match="text="):
        Article.from_dict({k: v for k, v in data.items() if k != "text"})
    with pytest.raises(InputTypeError, match="schema"):
        Article.from_dict({**data, "schema_version": "2.0"})
    with pytest.raises(InputTypeError, match="mapping"):
        Article.from_dict("not a dict")  # type: ignore[arg-type]
    with pytest.raises(InputTypeError, match="does not follow"):
        Article.from_dict({**data, "sections": [{"kind": "body"}]})
