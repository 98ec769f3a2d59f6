"""Tests of the result objects (beritanlp.article)."""

from __future__ import annotations

import dataclasses
import json

import pytest

import beritanlp
from beritanlp.article import SCHEMA_VERSION, Article, Section, Token


def test_article_is_frozen_and_slotted(seed_text: str) -> None:
    article = beritanlp.analyze(seed_text)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.title = "x"  # type: ignore[misc]
    assert not hasattr(article, "__dict__")
    assert not hasattr(article.sections[0], "__dict__")
    assert not hasattr(article.tokens[0], "__dict__")


def test_article_to_dict_keys(seed_text: str) -> None:
    data = beritanlp.analyze(seed_text).to_dict()
    assert data["schema_version"] == SCHEMA_VERSION
    for key in (
        "title",
        "caption",
        "sections",
        "dateline",
        "published",
        "sentences",
        "entities",
        "dates",
        "topic",
        "keywords",
    ):
        assert key in data
    assert "tokens" not in data
    assert data["dateline"]["text"] == "Goa, India (Xinhua) –"
    assert data["dateline"]["date"] == "2023-05-04"
    assert any(d["text"] == "4 Mei 2023" and d["value"] == "2023-05-04" for d in data["dates"])
    with_tokens = beritanlp.analyze(seed_text).to_dict(tokens=True, text=False)
    assert "text" not in with_tokens
    assert {"text", "start", "end", "stem", "is_stop"} <= set(with_tokens["tokens"][0])


def test_article_to_json_roundtrip(seed_text: str) -> None:
    article = beritanlp.analyze(seed_text)
    assert json.loads(article.to_json(tokens=True)) == article.to_dict(tokens=True)
    assert "Goa" in article.to_json()  # not ASCII-escaped


def test_article_repr_is_short(seed_text: str) -> None:
    text = repr(beritanlp.analyze(seed_text))
    assert text.startswith("Article(title='China-Rusia berjanji")
    assert len(text) < 200


def test_article_html_escapes_and_marks_sections() -> None:
    article = beritanlp.analyze(
        "Judul <b>Tebal</b> & Miring\nJAKARTA - Isi berita.\nBaca juga: Lain"
    )
    html = article._repr_html_()
    assert "&lt;b&gt;Tebal&lt;/b&gt;" in html and "<b>Tebal" not in html
    assert "data-section='boilerplate'" in html and "data-section='title'" in html


def test_article_empty() -> None:
    article = Article(text="")
    assert article.to_dict()["sections"] == []
    assert article.caption is None and article.lead is None and article.body == ""


def test_article_items_to_dict() -> None:
    assert Section("body", 0, 3, "abc").to_dict() == {"kind": "body", "start": 0, "end": 3}
    assert Token("Bali", 0, 4, "Bali", False).to_dict()["stem"] == "Bali"
