"""The generated contract: the committed JSON Schema and docs/schema.md tables are what the
record dataclasses generate; the Arrow schema and pandas columns follow the same classes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import beritanlp
from beritanlp import contract
from beritanlp.article import Article
from beritanlp.records import Entity, Quote, Token

ROOT = Path(__file__).resolve().parents[1]


def test_committed_json_schema_is_generated() -> None:
    committed = contract.SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == contract.json_schema_text(), (
        "src/beritanlp/schema/article.schema.json differs from the records: run "
        "`python -m beritanlp.contract --write`"
    )


def test_docs_schema_tables_are_generated() -> None:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert contract.docs_section(text) == contract.markdown(), (
        "docs/schema.md differs from the records: run `python -m beritanlp.contract --write`"
    )


def test_json_schema_lists_every_written_key() -> None:
    schema = contract.json_schema()
    assert list(schema["properties"]) == ["schema_version", "text", *Article.LAYOUT, "tokens"]
    entity = schema["$defs"]["Entity"]
    assert list(entity["properties"]) == list(contract.keys(Entity))
    token = schema["$defs"]["Token"]
    # the syntax fields are written only with the syntax layer: not required
    assert set(token["required"]) == {"text", "start", "end", "stem", "is_stop"}
    assert schema["$defs"]["Quote"]["properties"]["kind"]["enum"] == ["quoted", "reported"]


def test_json_schema_validates_real_output(seed_text: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(contract.json_schema())
    article = beritanlp.analyze(seed_text, published="2023-05-04")
    validator.validate(article.to_dict(tokens=True))
    data = article.to_dict()
    data["entities"][0]["surprise"] = 1
    assert not validator.is_valid(data)


def test_arrow_schema_has_the_to_dict_keys_and_round_trips(seed_text: str) -> None:
    pa = pytest.importorskip("pyarrow")
    schema = contract.arrow_schema()
    assert schema.names == ["id", "schema_version", "text", *Article.LAYOUT, "tokens"]
    assert schema.field("quotes").type.value_type.names == list(contract.keys(Quote))
    assert schema.field("tokens").type.value_type.names == list(contract.keys(Token))
    article = beritanlp.analyze(seed_text, published="2023-05-04")
    row = {"id": "a", **article.to_dict(tokens=True)}
    back = pa.Table.from_pylist([row], schema=schema).to_pylist()[0]
    assert back["entities"] == row["entities"]
    assert back["dateline"] == row["dateline"]
    assert dict(back["topic"]["scores"]) == row["topic"]["scores"]


def test_pandas_columns_follow_the_records() -> None:
    assert contract.columns(Entity) == ("article_id", *contract.keys(Entity))
    assert "speaker_start" in contract.columns(Quote)


def test_docs_tables_escape_pipes_and_name_every_record() -> None:
    text = contract.markdown()
    for cls in contract.records():
        assert f"### {cls.__name__}" in text
    json.dumps(contract.json_schema())  # JSON-ready
