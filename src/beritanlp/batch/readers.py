"""Reading batch input files record by record: :func:`iter_input` (JSON Lines, CSV, Parquet;
``.gz`` for the text formats) gives :class:`InputRecord` s whose items go to
:func:`~beritanlp.batch.analyze_many`; :func:`count_records` counts them."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BeritaError, InputReadError
from .formats import (
    NOT_UTF8,
    FieldMap,
    csv_delimiter,
    csv_rows,
    input_format,
    jsonl_lines,
    open_binary,
    open_text,
)
from .optional import require
from .preflight import check_input
from .published import published_value
from .results import Rejected, describe

__all__ = ["InputRecord", "count_records", "iter_input", "read_item"]


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input record: its 0-based position, its line (JSONL/CSV; the 1-based row for
    Parquet), the item for :func:`analyze_many` (a mapping, or :class:`Rejected`) and the
    warnings about it (``(kind, message)`` pairs, e.g. a ``published`` value that could not be
    read: the record is analysed without it)."""

    position: int
    line: int
    item: Mapping[str, Any] | Rejected
    warnings: tuple[tuple[str, str], ...] = ()


def _record_id(record: Mapping[str, Any], fields: FieldMap, position: int) -> str:
    raw_id = record.get(fields.id)
    return str(position) if raw_id is None or raw_id == "" else str(raw_id)


def read_item(
    record: Mapping[str, Any], fields: FieldMap, position: int
) -> tuple[dict[str, Any] | Rejected, tuple[tuple[str, str], ...]]:
    """An input record as an item for :func:`~beritanlp.batch.analyze_many` (or
    :class:`Rejected` when it has no text field) and its warnings. The id is the id field as a
    string, or ``position`` when the field is missing or empty; ``published`` is read with
    :func:`~beritanlp.batch.published.published_value`."""
    item_id = _record_id(record, fields, position)
    if fields.text not in record:
        return Rejected(item_id, "MissingField", f"the record has no {fields.text!r} field"), ()
    published, problem = published_value(record.get(fields.published))
    item = {
        "id": item_id,
        "text": record[fields.text],
        "title": record.get(fields.title) or None,
        "published": published,
        "url": record.get(fields.url) or None,
    }
    return item, ((("UnparsedPublished", problem),) if problem else ())


def iter_input(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    fields: FieldMap = FieldMap(),  # noqa: B008 - frozen, so a shared default is safe
    skip: int = 0,
) -> Iterator[InputRecord]:
    """Read an input file as :class:`InputRecord` s, in order; ``skip`` leaves out the first
    records (cheaply: skipped JSON lines are not parsed). Ids are the id field as a string, or
    the record's 0-based position when the field is missing or empty. Blank JSONL lines are not
    records. A line that is not a JSON object, a record without the text field, or a record
    that is not valid UTF-8 becomes a :class:`Rejected` item (with its line number) so the run
    goes on; a ``published`` value that is not ISO 8601 is read with the dates component, or
    dropped with a warning (:attr:`InputRecord.warnings`).

    Fails at once with :class:`~beritanlp.errors.ConfigError` when the text field (or another
    field named in ``fields``) is not among the columns (CSV header, Parquet schema; for JSON
    Lines: none of the first 100 records has it), and raises
    :class:`~beritanlp.errors.InputReadError` when the file cannot be read on (unreadable, not
    Parquet, a truncated ``.gz``): an error is never taken for the end of the input."""
    path = Path(path)
    kind = input_format(path, fmt)
    reader = {"jsonl": _iter_jsonl, "csv": _iter_csv, "parquet": _iter_parquet}[kind]
    check_input(path, kind, fields)
    last: InputRecord | None = None
    try:
        for record in reader(path, fields, skip):
            last = record
            yield record
    except BeritaError:
        raise
    except Exception as exc:
        where = (
            f"after record {last.position + 1:,} (line {last.line:,})"
            if last is not None
            else f"after skipping {skip:,} records"
            if skip
            else "at its first record"
        )
        raise InputReadError(f"cannot read {path} {where}: {describe(exc)}") from exc


def _iter_jsonl(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    position = 0
    with open_binary(path) as handle:
        for line_no, line, problem in jsonl_lines(handle):
            if position < skip:
                position += 1
                continue
            warnings: tuple[tuple[str, str], ...] = ()
            item: Mapping[str, Any] | Rejected
            if problem is not None:
                item = Rejected(
                    str(position),
                    "InvalidUTF8",
                    f"line {line_no} is not valid UTF-8 ({problem.reason} at byte "
                    f"{problem.start} of the line)",
                )
            else:
                try:
                    record = json.loads(line)
                except ValueError as exc:
                    item = Rejected(
                        str(position), "InvalidJSON", f"line {line_no} is not JSON: {exc}"
                    )
                else:
                    if isinstance(record, Mapping):
                        item, warnings = read_item(record, fields, position)
                    else:
                        item = Rejected(
                            str(position),
                            "NotAnObject",
                            f"line {line_no} is JSON {type(record).__name__}, not an object",
                        )
            yield InputRecord(position, line_no, item, warnings)
            position += 1


def _iter_csv(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    used = (fields.id, fields.text, fields.title, fields.published, fields.url)
    with open_text(path, lenient=True) as handle:
        reader = csv.DictReader(handle, delimiter=csv_delimiter(path))
        position = 0
        start_line = 2  # line 1 is the header
        for row in csv_rows(reader):
            line_no, start_line = start_line, reader.line_num + 1
            if position >= skip:
                warnings: tuple[tuple[str, str], ...] = ()
                item: Mapping[str, Any] | Rejected
                bad = [
                    name
                    for name in used
                    if isinstance(row.get(name), str) and NOT_UTF8.search(row[name])
                ]
                if None in row:  # more cells than header names
                    item = Rejected(
                        str(position), "MalformedCSV", f"line {line_no} has extra cells"
                    )
                elif bad:
                    item_id = (
                        str(position) if fields.id in bad else _record_id(row, fields, position)
                    )
                    item = Rejected(
                        item_id,
                        "InvalidUTF8",
                        f"line {line_no}: the field(s) {', '.join(map(repr, bad))} are not "
                        f"valid UTF-8",
                    )
                else:
                    item, warnings = read_item(row, fields, position)
                yield InputRecord(position, line_no, item, warnings)
            position += 1


def _iter_parquet(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    pq = require("pyarrow.parquet")
    parquet = pq.ParquetFile(path)
    names = set(parquet.schema_arrow.names)
    wanted = [
        name
        for name in (fields.id, fields.text, fields.title, fields.published, fields.url)
        if name in names
    ]
    position = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=wanted):
        if position + batch.num_rows <= skip:
            position += batch.num_rows
            continue
        for row in batch.to_pylist():
            if position >= skip:
                item, warnings = read_item(row, fields, position)
                yield InputRecord(position, position + 1, item, warnings)
            position += 1


def count_records(path: str | os.PathLike[str], fmt: str | None = None) -> int:
    """The number of records in an input file (one pass; Parquet: from its metadata). Raises
    :class:`~beritanlp.errors.InputReadError` when the file cannot be read."""
    path = Path(path)
    kind = input_format(path, fmt)
    try:
        if kind == "parquet":
            return int(require("pyarrow.parquet").ParquetFile(path).metadata.num_rows)
        if kind == "csv":
            with open_text(path, lenient=True) as handle:
                reader = csv.reader(handle, delimiter=csv_delimiter(path))
                rows = sum(1 for _ in csv_rows(reader))
            return max(0, rows - 1)
        with open_binary(path) as handle:
            return sum(1 for _ in jsonl_lines(handle))
    except BeritaError:
        raise
    except Exception as exc:
        raise InputReadError(f"cannot read {path}: {describe(exc)}") from exc
