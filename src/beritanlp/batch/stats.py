"""A summary of annotated articles (``beritanlp stats``): :func:`archive_stats`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["archive_stats", "stats_columns"]


def archive_stats(rows: Iterable[Mapping[str, Any]], *, top: int = 10) -> dict[str, Any]:
    """Summary of annotated articles: counts per topic and per month (``published``), the
    ``top`` entities per label (by canonical name) and the top dateline places. Fields that are
    missing or empty (components not in the pipeline) are counted under ``None``/left out."""
    topics: Counter[str | None] = Counter()
    months: Counter[str | None] = Counter()
    entities: dict[str, Counter[str]] = {}
    datelines: Counter[str] = Counter()
    total = 0
    for row in rows:
        total += 1
        topic = row.get("topic") or {}
        topics[topic.get("label")] += 1
        published = row.get("published")
        months[published[:7] if isinstance(published, str) and len(published) >= 7 else None] += 1
        for entity in row.get("entities") or ():
            name = entity.get("canonical") or entity.get("text")
            entities.setdefault(entity.get("label") or "?", Counter())[name] += 1
        dateline = row.get("dateline") or {}
        place = dateline.get("place") or dateline.get("text")
        if place:
            datelines[place] += 1
    return {
        "articles": total,
        "topics": dict(topics.most_common()),
        "months": dict(sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))),
        "entities": {
            label: counter.most_common(top) for label, counter in sorted(entities.items())
        },
        "datelines": datelines.most_common(top),
    }


def stats_columns() -> list[str]:
    """The Parquet columns :func:`archive_stats` reads (tokens and text are skipped)."""
    return ["id", "published", "topic", "entities", "dateline"]
