"""Tidy pandas DataFrames from analysed articles: :func:`to_pandas`.

pandas is an optional extra (``pip install "beritanlp[pandas]"``), imported only when
:func:`to_pandas` is called. One row per article, per entity mention, per date expression
per keyword and per quote; the child tables carry ``article_id`` to join on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from .article import Article
from .errors import ConfigError, InputTypeError

if TYPE_CHECKING:
    import pandas as pd

    from .batch import Result

__all__ = [
    "ARTICLE_COLUMNS",
    "DATE_COLUMNS",
    "ENTITY_COLUMNS",
    "KEYWORD_COLUMNS",
    "QUOTE_COLUMNS",
    "Frames",
    "to_pandas",
]

#: Columns of :attr:`Frames.articles`, in order.
ARTICLE_COLUMNS = (
    "id",
    "title",
    "published",
    "published_date",
    "published_source",
    "url",
    "dateline_place",
    "dateline_source",
    "topic",
    "topic_score",
    "n_chars",
    "n_sentences",
    "n_tokens",
    "n_entities",
    "n_dates",
    "error",
)
#: Columns of :attr:`Frames.entities`.
ENTITY_COLUMNS = ("article_id", "text", "canonical", "label", "role", "section", "start", "end")
#: Columns of :attr:`Frames.dates`.
DATE_COLUMNS = ("article_id", "text", "value", "granularity", "kind", "start", "end")
#: Columns of :attr:`Frames.keywords`.
KEYWORD_COLUMNS = ("article_id", "rank", "text", "score")
#: Columns of :attr:`Frames.quotes`.
QUOTE_COLUMNS = ("article_id", "speaker", "text", "cue", "kind", "start", "end")


class Frames(NamedTuple):
    """The tables :func:`to_pandas` returns (a named tuple: unpack it or use the fields)."""

    articles: pd.DataFrame
    entities: pd.DataFrame
    dates: pd.DataFrame
    keywords: pd.DataFrame
    quotes: pd.DataFrame


def _items(
    articles: Article | Result | Iterable[Article | Result], ids: Iterable[Any] | None
) -> list[tuple[Any, Article | None, str | None]]:
    """``(id, article or None, error message or None)`` per input item."""
    if isinstance(articles, Article) or hasattr(articles, "article"):
        articles = [articles]  # type: ignore[list-item]
    items = list(articles)  # type: ignore[arg-type]
    given = list(ids) if ids is not None else None
    if given is not None and len(given) != len(items):
        raise ConfigError(
            f"to_pandas() got {len(items)} articles but {len(given)} ids: pass one id per "
            "article, or ids=None to number them from 0"
        )
    out: list[tuple[Any, Article | None, str | None]] = []
    for position, item in enumerate(items):
        if isinstance(item, Article):
            key = given[position] if given is not None else position
            out.append((key, item, None))
        elif hasattr(item, "article") and hasattr(item, "error"):  # batch.Result
            key = given[position] if given is not None else getattr(item, "id", position)
            error = item.error
            message = None if error is None else f"{error.error_type}: {error.message}"
            out.append((key, item.article, message))
        else:
            raise InputTypeError(
                f"to_pandas() takes Article or Result objects (from beritanlp.analyze or "
                f"analyze_many), got {type(item).__name__} at position {position}"
            )
    return out


def _article_row(key: Any, article: Article | None, error: str | None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(ARTICLE_COLUMNS)
    row["id"] = key
    row["error"] = error
    if article is None:
        return row
    dateline = article.dateline
    topic = article.topic
    published = article.published
    row.update(
        title=article.title,
        published=published,
        published_date=published[:10] if published else None,
        published_source=article.published_source,
        url=article.url,
        dateline_place=dateline.place if dateline else None,
        dateline_source=dateline.source if dateline else None,
        topic=topic.label if topic else None,
        topic_score=topic.score if topic else None,
        n_chars=len(article.text),
        n_sentences=len(article.sentences),
        n_tokens=len(article.tokens),
        n_entities=len(article.entities),
        n_dates=len(article.dates),
    )
    return row


def to_pandas(
    articles: Article | Result | Iterable[Article | Result], ids: Iterable[Any] | None = None
) -> Frames:
    """Tidy DataFrames, one row per article, entity mention, date expression, keyword and quote.

    ``articles``: one :class:`~beritanlp.Article`, or an iterable of Articles or of the
    ``Result`` objects of :func:`beritanlp.analyze_many` (their ``id`` is used, and a failed
    item keeps its row with the ``error`` column set). ``ids``: one id per article (default:
    the Result's id, else the position from 0). ``published_date`` is the publication date as
    a pandas datetime (day precision; ``NaT`` when unknown); ``published`` keeps the ISO text.

    >>> frames = beritanlp.to_pandas([beritanlp.analyze(text)])  # doctest: +SKIP
    >>> frames.entities.groupby("label").canonical.value_counts()  # doctest: +SKIP
    """
    from .batch import require

    pd = require("pandas")
    items = _items(articles, ids)
    article_rows = [_article_row(key, article, error) for key, article, error in items]
    entity_rows: list[tuple[Any, ...]] = []
    date_rows: list[tuple[Any, ...]] = []
    keyword_rows: list[tuple[Any, ...]] = []
    quote_rows: list[tuple[Any, ...]] = []
    for key, article, _ in items:
        if article is None:
            continue
        entity_rows += [
            (key, e.text, e.canonical, e.label, e.role, e.section, e.start, e.end)
            for e in article.entities
        ]
        date_rows += [
            (key, d.text, d.value, d.granularity, d.kind, d.start, d.end) for d in article.dates
        ]
        keyword_rows += [(key, rank, k.text, k.score) for rank, k in enumerate(article.keywords, 1)]
        quote_rows += [
            (key, q.speaker, q.text, q.cue, q.kind, q.start, q.end) for q in article.quotes
        ]

    frame = pd.DataFrame(article_rows, columns=list(ARTICLE_COLUMNS))
    frame["published_date"] = pd.to_datetime(
        frame["published_date"], format="%Y-%m-%d", errors="coerce"
    )
    frame["topic_score"] = frame["topic_score"].astype("float64")
    for column in ("n_chars", "n_sentences", "n_tokens", "n_entities", "n_dates"):
        frame[column] = frame[column].astype("Int64")  # nullable: a failed item has no counts
    return Frames(
        articles=frame,
        entities=_typed(pd.DataFrame(entity_rows, columns=list(ENTITY_COLUMNS)), ("start", "end")),
        dates=_typed(pd.DataFrame(date_rows, columns=list(DATE_COLUMNS)), ("start", "end")),
        keywords=_typed(
            pd.DataFrame(keyword_rows, columns=list(KEYWORD_COLUMNS)), ("rank",), ("score",)
        ),
        quotes=_typed(pd.DataFrame(quote_rows, columns=list(QUOTE_COLUMNS)), ("start", "end")),
    )


def _typed(
    frame: pd.DataFrame, ints: tuple[str, ...], floats: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Fix the dtypes of numeric columns (an empty frame would otherwise be all ``object``)."""
    for column in ints:
        frame[column] = frame[column].astype("int64")
    for column in floats:
        frame[column] = frame[column].astype("float64")
    return frame
