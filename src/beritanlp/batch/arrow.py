"""The Parquet layout of batch archives: :func:`arrow_schema` (one place; documented in
``docs/batch.md``), :func:`to_arrow` for writing rows and :func:`from_arrow_row` for reading
them back as ``Article.to_dict()`` gives them. pyarrow is imported only when called."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .optional import require

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["arrow_schema", "from_arrow_row", "to_arrow"]


@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The fixed Arrow schema of Parquet archives: one row per article.

    Columns follow ``Article.to_dict()`` (schema 1.1) plus ``id`` first and ``tokens`` last
    (null when tokens were not requested). Offsets are int32, scores float64; spans are
    list<struct>, ``dateline`` and ``topic`` are structs (``topic.scores`` a map).
    """
    pa = require("pyarrow")
    from ..article import SCHEMA_VERSION

    s, i, f = pa.string(), pa.int32(), pa.float64()

    def struct(*fields: tuple[str, Any]) -> Any:
        return pa.struct([pa.field(name, kind) for name, kind in fields])

    return pa.schema(
        [
            pa.field("id", s, nullable=False),
            ("schema_version", s),
            ("text", s),
            ("title", s),
            ("title_source", s),
            ("caption", s),
            ("lead", s),
            ("url", s),
            ("published", s),
            ("published_source", s),
            ("sections", pa.list_(struct(("kind", s), ("start", i), ("end", i)))),
            (
                "dateline",
                struct(
                    ("text", s), ("start", i), ("end", i), ("place", s), ("source", s), ("date", s)
                ),
            ),
            ("sentences", pa.list_(struct(("start", i), ("end", i), ("section", s)))),
            (
                "entities",
                pa.list_(
                    struct(
                        ("text", s),
                        ("label", s),
                        ("start", i),
                        ("end", i),
                        ("canonical", s),
                        ("section", s),
                        ("role", s),
                    )
                ),
            ),
            (
                "entity_summary",
                pa.list_(
                    struct(
                        ("canonical", s),
                        ("label", s),
                        ("mentions", i),
                        ("first_start", i),
                        ("roles", pa.list_(s)),
                    )
                ),
            ),
            (
                "dates",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("value", s),
                        ("granularity", s),
                        ("kind", s),
                    )
                ),
            ),
            ("topic", struct(("label", s), ("score", f), ("scores", pa.map_(s, f)))),
            ("keywords", pa.list_(struct(("text", s), ("score", f)))),
            (
                "quotes",
                pa.list_(
                    struct(
                        ("speaker", s),
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("cue", s),
                        ("kind", s),
                        ("speaker_start", i),
                        ("speaker_end", i),
                    )
                ),
            ),
            ("noun_phrases", pa.list_(struct(("text", s), ("start", i), ("end", i), ("root", s)))),
            (
                "tokens",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("stem", s),
                        ("is_stop", pa.bool_()),
                        # schema 1.1, only with the syntax layer (null otherwise)
                        ("pos", s),
                        ("tag", s),
                        ("morph", s),
                        ("lemma", s),
                        ("dep", s),
                        ("head", i),
                    )
                ),
            ),
        ],
        metadata={"beritanlp.schema_version": SCHEMA_VERSION},
    )


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
            if token.get("pos") is None:
                for key in ("pos", "tag", "morph", "lemma", "dep", "head"):
                    token.pop(key, None)
    return row
