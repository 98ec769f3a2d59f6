"""The Parquet layout of batch archives: :func:`arrow_schema` (one place; documented in
``docs/batch.md``), :func:`to_arrow` for writing rows and :func:`from_arrow_row` for reading
them back as ``Article.to_dict()`` gives them. pyarrow is imported only when called."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import Token, written_fields
from .optional import require

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["arrow_schema", "from_arrow_row", "to_arrow"]

#: Token keys written only when another key is set: (key, the key it needs)
_TOKEN_ONLY_WITH = tuple(
    (f.name, f.metadata["only_with"]) for f in written_fields(Token) if f.metadata["only_with"]
)


def arrow_schema() -> pa.Schema:
    """The fixed Arrow schema of Parquet archives: one row per article, generated from the
    record dataclasses (:func:`beritanlp.contract.arrow_schema`).

    Columns follow ``Article.to_dict()`` plus ``id`` first and ``tokens`` last (null when
    tokens were not requested). Offsets are int32, scores float64; lists of records are
    list<struct>, ``dateline`` and ``topic`` are structs (``topic.scores`` a map).
    """
    require("pyarrow")  # a clear error naming the extra when pyarrow is missing
    from ..contract import arrow_schema as generated

    return generated()


def to_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (``Result.to_dict()`` of good results, ``id`` as str) as a Table of
    :func:`arrow_schema`. Keys outside the schema are ignored; missing ones are null."""
    pa = require("pyarrow")
    return pa.Table.from_pylist(rows, schema=arrow_schema())


def from_arrow_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row read from Parquet (``Table.to_pylist()``) as the dict ``Result.to_dict()`` wrote:
    ``topic.scores`` a dict again, and fields that were never written (tokens, syntax) left
    out rather than null. Changes ``row`` in place and returns it."""
    topic = row.get("topic")
    if topic is not None and isinstance(topic.get("scores"), list):
        topic["scores"] = dict(topic["scores"])
    if row.get("tokens") is None:
        row.pop("tokens", None)
    else:  # the syntax fields are written only when the syntax layer ran (Token.to_dict)
        for token in row["tokens"]:
            for key, needs in _TOKEN_ONLY_WITH:
                if token.get(needs) is None:
                    token.pop(key, None)
    return row
