"""Access to the plain-text language resources under ``beritanlp/data``.

Resources are read lazily, on first use, and cached for the life of the process (they are small
and immutable). Every file starts with ``#`` comment lines saying where its content comes from;
comment lines and blank lines are skipped by the readers here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import ResourceError

__all__ = ["read_json", "read_lines", "read_text", "read_tsv", "word_set"]

_PACKAGE = "beritanlp.data"


@lru_cache(maxsize=64)
def read_text(name: str) -> str:
    """Return the text of the data file ``name`` (a path relative to ``beritanlp/data``)."""
    try:
        return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise ResourceError(
            f"the data file beritanlp/data/{name} is missing: the installation is incomplete. "
            f"Reinstall with `pip install --force-reinstall beritanlp`."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ResourceError(
            f"the data file beritanlp/data/{name} is damaged (not UTF-8: {exc.reason} at byte "
            f"{exc.start}). Reinstall with `pip install --force-reinstall beritanlp`."
        ) from exc


def _content_lines(name: str) -> list[str]:
    return [
        line
        for line in read_text(name).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@lru_cache(maxsize=64)
def read_lines(name: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of a data file, stripped."""
    return tuple(line.strip() for line in _content_lines(name))


@lru_cache(maxsize=64)
def read_tsv(name: str, columns: int = 0) -> tuple[tuple[str, ...], ...]:
    """Rows of a tab-separated data file; with ``columns``, every row must have that many fields."""
    rows = []
    for number, line in enumerate(_content_lines(name), 1):
        fields = tuple(field.strip() for field in line.rstrip("\n").split("\t"))
        if columns and len(fields) != columns:
            raise ResourceError(
                f"beritanlp/data/{name}, data row {number}: expected {columns} tab-separated "
                f"fields, found {len(fields)}: {line!r}. Fix the file (tabs, not spaces)."
            )
        rows.append(fields)
    return tuple(rows)


@lru_cache(maxsize=16)
def read_json(name: str) -> Any:
    """A JSON data file (``//``-free, plain JSON; the provenance lives in a ``_source`` key)."""
    try:
        return json.loads(read_text(name))
    except json.JSONDecodeError as exc:
        raise ResourceError(f"beritanlp/data/{name} is not valid JSON: {exc}") from exc


@lru_cache(maxsize=32)
def word_set(name: str, lower: bool = True) -> frozenset[str]:
    """The lines of a one-word-per-line file as a frozenset (lower-cased by default)."""
    words = read_lines(name)
    return frozenset(w.lower() for w in words) if lower else frozenset(words)
