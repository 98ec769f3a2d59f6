"""Tidy pandas DataFrames from analysed articles: :func:`to_pandas`.

pandas is an optional extra (``pip install "beritanlp[pandas]"``), imported only when
:func:`to_pandas` is called. One row per article, per entity mention, per date expression,
per keyword and per quote; the child tables carry ``article_id`` to join on. The columns are
generated from the record dataclasses (:func:`beritanlp.contract.columns`).

Input: Articles, the ``Result`` objects of ``analyze_many``, the rows of
``beritanlp.read_archive`` (``Article.to_dict()`` data with an ``id``), or the path of an
archive written by ``beritanlp batch``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from .article import Article
from .contract import columns
from .errors import ConfigError, InputTypeError
from .records import DateExpression, Entity, Keyword, Quote, Record, hints

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ARTICLE_COLUMNS",
    "DATE_COLUMNS",
    "ENTITY_COLUMNS",
    "KEYWORD_COLUMNS",
    "QUOTE_COLUMNS",
    "Frames",
    "to_pandas",
]


def _article_columns() -> tuple[tuple[str, ...], dict[str, tuple[str, str]], tuple[str, ...]]:
    """``(columns, nested, count columns)`` of the article table, from ``Article``: the id,
    every scalar top-level key, ``published_date``, the scalar fields of each nested record
    (``<key>_<field>``; a ``label`` field is the column ``<key>``; ``nested`` maps such a
    column to ``(key, field)``), ``n_<key>`` per list, and ``error``."""
    types = hints(Article)
    scalar: list[str] = []
    nested: dict[str, tuple[str, str]] = {}
    counts: list[str] = []
    for key in Article.LAYOUT:
        hint = Article.DERIVED[key][0] if key in Article.DERIVED else types[key]
        args = [a for a in (hint, *getattr(hint, "__args__", ())) if isinstance(a, type)]
        record = next((a for a in args if issubclass(a, Record)), None)
        if str(hint).startswith("tuple"):
            counts.append(f"n_{key}")
        elif record is not None:
            for f in dataclasses.fields(record):  # type: ignore[arg-type]
                if f.name in ("text", "start", "end") or f.metadata.get("offset"):
                    continue
                if hints(record)[f.name] in (str, float, int, bool, str | None):
                    nested[key if f.name == "label" else f"{key}_{f.name}"] = (key, f.name)
        else:
            scalar.append(key)
    scalar.insert(scalar.index("published") + 1, "published_date")
    at = counts.index("n_sentences") + 1
    counts[at:at] = ["n_tokens"]
    columns = ("id", *scalar, *nested, "n_chars", *counts, "error")
    return columns, nested, ("n_chars", *counts)


#: Columns of :attr:`Frames.articles`, in order.
ARTICLE_COLUMNS, _NESTED, _COUNT_COLUMNS = _article_columns()
#: Columns of :attr:`Frames.entities`.
ENTITY_COLUMNS = columns(Entity)
#: Columns of :attr:`Frames.dates`.
DATE_COLUMNS = columns(DateExpression)
#: Columns of :attr:`Frames.keywords` (``rank``: 1 for the best keyword).
KEYWORD_COLUMNS = ("article_id", "rank", *columns(Keyword)[1:])
#: Columns of :attr:`Frames.quotes`.
QUOTE_COLUMNS = columns(Quote)

#: (table = Article field, record class, columns) of the child tables
_CHILDREN: tuple[tuple[str, type[Record], tuple[str, ...]], ...] = (
    ("entities", Entity, ENTITY_COLUMNS),
    ("dates", DateExpression, DATE_COLUMNS),
    ("keywords", Keyword, KEYWORD_COLUMNS),
    ("quotes", Quote, QUOTE_COLUMNS),
)


class Frames(NamedTuple):
    """The tables :func:`to_pandas` returns (a named tuple: unpack it or use the fields)."""

    articles: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    keywords: pd.DataFrame
    quotes: pd.DataFrame


class _Row(NamedTuple):
    key: Any
    article: Article | None
    error: str | None
    has_tokens: bool


def _from_mapping(item: Mapping[str, Any], key: Any) -> _Row:
    """An archive row: ``{"id", **Article.to_dict()}`` or ``{"id", "error_type", "message"}``."""
    if "error_type" in item and "schema_version" not in item:
        return _Row(key, None, f"{item['error_type']}: {item.get('message', '')}", False)
    return _Row(key, Article.from_dict(item), None, "tokens" in item)


def _items(articles: Any, ids: Iterable[Any] | None) -> list[_Row]:
    if isinstance(articles, (str, os.PathLike)):
        from .batch import read_archive

        articles = read_archive(articles)
    elif isinstance(articles, (Article, Mapping)) or hasattr(articles, "article"):
        articles = [articles]
    items = list(articles)
    given = list(ids) if ids is not None else None
    if given is not None and len(given) != len(items):
        raise ConfigError(
            f"to_pandas() got {len(items)} articles but {len(given)} ids: pass one id per "
            "article, or ids=None to number them from 0"
        )
    out: list[_Row] = []
    for position, item in enumerate(items):
        if isinstance(item, Article):
            out.append(_Row(given[position] if given is not None else position, item, None, True))
        elif isinstance(item, Mapping):
            key = given[position] if given is not None else item.get("id", position)
            out.append(_from_mapping(item, key))
        elif hasattr(item, "article") and hasattr(item, "error"):  # batch.Result
            key = given[position] if given is not None else getattr(item, "id", position)
            error = item.error
            message = None if error is None else f"{error.error_type}: {error.message}"
            out.append(_Row(key, item.article, message, True))
        else:
            raise InputTypeError(
                f"to_pandas() takes Article or Result objects (from beritanlp.analyze or "
                f"analyze_many), rows of beritanlp.read_archive or an archive path, got "
                f"{type(item).__name__} at position {position}"
            )
    return out


def _article_row(row: _Row) -> dict[str, Any]:
    out: dict[str, Any] = dict.fromkeys(ARTICLE_COLUMNS)
    out["id"], out["error"] = row.key, row.error
    article = row.article
    if article is None:
        return out
    for column in ARTICLE_COLUMNS:
        if column in _NESTED:
            key, name = _NESTED[column]
            record = getattr(article, key)
            out[column] = None if record is None else getattr(record, name)
        elif column in Article.LAYOUT:
            out[column] = getattr(article, column)
    out["published_date"] = article.published[:10] if article.published else None
    out["n_chars"] = len(article.text)
    for column in _COUNT_COLUMNS[1:]:
        if column == "n_tokens" and not row.has_tokens:
            continue  # archive rows written without tokens: unknown, not 0
        source = column[2:]
        out[column] = len(
            article.entity_summary() if source == "entity_summary" else getattr(article, source)
        )
    return out


def _child_rows(rows: list[_Row], field: str, cols: tuple[str, ...]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    ranked = cols[1] == "rank"
    names = cols[2:] if ranked else cols[1:]
    for row in rows:
        if row.article is None:
            continue
        for rank, record in enumerate(getattr(row.article, field), 1):
            values = tuple(getattr(record, name) for name in names)
            out.append((row.key, rank, *values) if ranked else (row.key, *values))
    return out


def to_pandas(articles: Any, ids: Iterable[Any] | None = None) -> Frames:
    """Tidy DataFrames, one row per article, entity mention, date expression, keyword and quote.

    ``articles``: one :class:`~beritanlp.Article`, or an iterable of Articles, of the
    ``Result`` objects of :func:`beritanlp.analyze_many` (their ``id`` is used, and a failed
    item keeps its row with the ``error`` column set) or of the rows of
    :func:`beritanlp.read_archive`; or the path of an archive written by ``beritanlp batch``.
    ``ids``: one id per article (default: the Result's or row's id, else the position from 0).
    ``published_date`` is the publication date as a pandas datetime (day precision; ``NaT``
    when unknown); ``published`` keeps the ISO text. ``n_tokens`` is missing (``<NA>``) for
    archive rows written without tokens.

    >>> frames = beritanlp.to_pandas([beritanlp.analyze(text)])  # doctest: +SKIP
    >>> frames = beritanlp.to_pandas("out/")  # an archive of ``beritanlp batch``  # doctest: +SKIP
    >>> frames.entities.groupby("label").canonical.value_counts()  # doctest: +SKIP
    """
    from .batch import require

    pd = require("pandas")
    rows = _items(articles, ids)
    frame = pd.DataFrame([_article_row(row) for row in rows], columns=list(ARTICLE_COLUMNS))
    frame["published_date"] = pd.to_datetime(
        frame["published_date"], format="%Y-%m-%d", errors="coerce"
    )
    for column in ARTICLE_COLUMNS:
        if column.endswith("_score"):
            frame[column] = frame[column].astype("float64")
    for column in _COUNT_COLUMNS:
        frame[column] = frame[column].astype("Int64")  # nullable: a failed item has no counts
    tables = {
        name: _typed(pd.DataFrame(_child_rows(rows, name, cols), columns=list(cols)), record)
        for name, record, cols in _CHILDREN
    }
    return Frames(articles=frame, **tables)


def _typed(frame: pd.DataFrame, record: type[Record]) -> pd.DataFrame:
    """Fix the dtypes of numeric columns (an empty frame would otherwise be all ``object``),
    from the record's field types."""
    types = hints(record)
    for column in frame.columns:
        hint = types.get(column, int if column == "rank" else None)
        if hint is int:
            frame[column] = frame[column].astype("int64")
        elif hint is float:
            frame[column] = frame[column].astype("float64")
        elif hint == int | None:
            frame[column] = frame[column].astype("Int64")
    return frame
