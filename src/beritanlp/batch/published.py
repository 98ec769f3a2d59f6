"""The ``published`` field of batch input records, forgiving: ISO 8601 as
:func:`beritanlp.analyze` takes it, other date texts read with the dates component
(``3 Juli 2017``, ``10/21/2025 18:49``), anything else dropped with a warning."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..errors import BeritaError
from ..inputs import iso_published

__all__ = ["published_value"]


@lru_cache(maxsize=4096)
def _date_in_text(value: str) -> str | None:
    """The first full date (day, month and year) that the dates component reads in ``value``,
    as ISO 8601; ``None`` when there is none. Numeric dates are read day first (``4/5/2023`` is
    4 May) unless the second number cannot be a month and the first can (``10/21/2025``)."""
    from ..components.dates import find_dates

    for found in find_dates(value):
        iso = found.get("value")
        if not isinstance(iso, str) or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
            continue
        try:
            return iso_published(iso)
        except BeritaError:  # e.g. a part of the day, '2023-05-04TMO': keep the day
            return iso[:10]
    return None


def published_value(value: Any) -> tuple[str | None, str | None]:
    """A batch record's ``published`` as ``(ISO value, warning)``. ISO strings, dates and
    datetimes are taken as :func:`beritanlp.analyze` takes them; other strings are read with the
    dates component (``3 Juli 2017``, ``10/21/2025 18:49``, ``Rabu, 18 Jun 2025 07:30 WIB``);
    anything else gives ``None`` and a warning, and the record is analysed without it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        return iso_published(value), None
    except BeritaError:
        pass
    if isinstance(value, str):
        found = _date_in_text(value.strip()[:200])
        if found is not None:
            return found, None
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    return None, f"published={shown} is not a date beritanlp can read; analysed without it"
