"""Outputs validate against the published JSON Schema (src/beritanlp/schema/article.schema.json)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

import beritanlp

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(
        resources.files("beritanlp").joinpath("schema/article.schema.json").read_text("utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_seed_validates(validator, seed_text: str) -> None:
    article = beritanlp.analyze(seed_text, published="2023-05-04", url="https://example.id/a")
    validator.validate(article.to_dict(tokens=True))
    validator.validate(json.loads(article.to_json()))


@pytest.mark.parametrize(
    "text", ["", "Satu kalimat saja", "Judul\n\nFoto: Dok\nJAKARTA - Isi.\nKomentar\nx"]
)
def test_schema_small_texts_validate(validator, text: str) -> None:
    validator.validate(beritanlp.analyze(text).to_dict(tokens=True))


def test_schema_rejects_unknown_keys(validator, seed_text: str) -> None:
    data = beritanlp.analyze(seed_text).to_dict()
    data["surprise"] = 1
    assert not validator.is_valid(data)


def test_schema_version_matches_docs() -> None:
    from pathlib import Path

    from beritanlp.article import SCHEMA_VERSION

    doc = Path(__file__).resolve().parents[1] / "docs" / "schema.md"
    assert f"Schema version {SCHEMA_VERSION}" in doc.read_text(encoding="utf-8")
