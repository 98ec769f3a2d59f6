"""Tests of beritanlp.batch.arrow: the Parquet schema follows Article.to_dict()."""

from __future__ import annotations

import beritanlp
from beritanlp.batch import Result, arrow_schema, to_arrow
from beritanlp.batch.arrow import from_arrow_row
from tests.batch.helpers import texts


def test_batch_arrow_schema_matches_article_dict() -> None:
    article = beritanlp.analyze(texts(1)[0], published="2023-05-04")
    keys = set(Result("0", article).to_dict(tokens=True))
    assert set(arrow_schema().names) == keys
    assert arrow_schema().names[0] == "id"


def test_batch_arrow_rows_round_trip() -> None:
    article = beritanlp.analyze(texts(2)[1], published="2023-05-04")
    for tokens in (True, False):
        row = Result("a1", article).to_dict(tokens=tokens)
        table = to_arrow([row])
        assert table.schema.equals(arrow_schema())
        assert [from_arrow_row(r) for r in table.to_pylist()] == [row]
