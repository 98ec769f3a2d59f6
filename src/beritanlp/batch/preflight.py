"""Checks made on an input file before a run writes anything: it can be read as its format
(:class:`~beritanlp.errors.InputReadError` otherwise) and has the fields the run needs
(:class:`~beritanlp.errors.ConfigError` naming the fields it has)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import BeritaError, ConfigError, InputReadError
from .formats import FieldMap, csv_delimiter, csv_rows, jsonl_lines, open_binary, open_text
from .optional import require
from .results import describe

__all__ = ["check_input"]

#: JSON Lines have no header: the fields are judged on the first records
_LOOKAHEAD_RECORDS = 100
_LOOKAHEAD_LINES = 1000


def _required_fields(fields: FieldMap) -> list[tuple[str, str]]:
    """``(field name, what it is)`` that must exist: the text field, and every other field the
    caller named (a non-default name); the default optional names may be absent."""
    defaults = FieldMap()
    out = [(fields.text, "text field")]
    for key in ("id", "title", "published", "url"):
        name = getattr(fields, key)
        if name != getattr(defaults, key):
            out.append((name, f"{key} field"))
    return out


def _names(names: Iterable[str]) -> str:
    listed = sorted(str(n) for n in names)
    more = f" … ({len(listed)} in all)" if len(listed) > 40 else ""
    return ", ".join(listed[:40]) + more if listed else "(none)"


def _check_columns(path: Path, columns: list[str], fields: FieldMap) -> None:
    missing = [(name, what) for name, what in _required_fields(fields) if name not in columns]
    if missing:
        wanted = ", ".join(f"{name!r} (the {what})" for name, what in missing)
        raise ConfigError(
            f"{path.name} has no column {wanted}; its columns are: {_names(columns)}. "
            f"Name the right ones with --text-field/--id-field/… (FieldMap)"
        )


def _check_jsonl(path: Path, fields: FieldMap) -> None:
    objects: list[Mapping[str, Any]] = []
    lines = 0
    with open_binary(path) as handle:
        try:
            for _, line, problem in jsonl_lines(handle):
                lines += 1
                if problem is None:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        record = None
                    if isinstance(record, Mapping):
                        objects.append(record)
                if len(objects) >= _LOOKAHEAD_RECORDS or lines >= _LOOKAHEAD_LINES:
                    break
        except Exception:
            if not objects:
                raise
            # a read error within the first records: judge the fields on what was read; the
            # run commits those records, then stops at the error as it would further on
    if lines and not objects:
        raise ConfigError(
            f"none of the first {lines:,} lines of {path.name} is a JSON object: is it JSON "
            f"Lines (one object per line)? Pass --input-format for another format"
        )
    if not objects:  # an empty input is an empty run
        return
    seen: set[str] = set()
    for record in objects:
        seen.update(str(key) for key in record)
    for name, what in _required_fields(fields):
        if not any(name in record for record in objects):
            raise ConfigError(
                f"none of the first {len(objects):,} records of {path.name} has the {what} "
                f"{name!r}; their fields are: {_names(seen)}. Name the right one with "
                f"--text-field/--id-field/… (FieldMap)"
            )


def check_input(path: Path, kind: str, fields: FieldMap) -> None:
    """Fail at once, before anything is written, when the input cannot be read as ``kind``
    (:class:`InputReadError`) or lacks a field the run needs (:class:`ConfigError`, naming
    the columns it has)."""
    try:
        if kind == "parquet":
            pq = require("pyarrow.parquet")
            _check_columns(path, list(pq.ParquetFile(path).schema_arrow.names), fields)
        elif kind == "csv":
            with open_text(path, lenient=True) as handle:
                header = next(csv_rows(csv.reader(handle, delimiter=csv_delimiter(path))), None)
            if header is not None:  # an empty file is an empty input
                _check_columns(path, header, fields)
        else:
            _check_jsonl(path, fields)
    except BeritaError:
        raise
    except Exception as exc:
        raise InputReadError(f"cannot read {path} as {kind}: {describe(exc)}") from exc
