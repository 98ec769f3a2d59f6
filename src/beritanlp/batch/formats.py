"""Input files: their format (:func:`input_format`), which fields hold what
(:class:`FieldMap`), opening them (``.gz`` included) and splitting them into JSON lines or CSV
rows. The readers (:mod:`~beritanlp.batch.readers`) and the checks made before a run
(:mod:`~beritanlp.batch.preflight`) build on this."""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..errors import ConfigError

__all__ = [
    "INPUT_FORMATS",
    "NOT_UTF8",
    "FieldMap",
    "csv_delimiter",
    "csv_rows",
    "input_format",
    "is_gz",
    "jsonl_lines",
    "open_binary",
    "open_text",
]

#: Input formats :func:`~beritanlp.batch.iter_input` reads (``.gz`` allowed for the text formats).
INPUT_FORMATS = ("jsonl", "csv", "parquet")


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which input fields hold the id, text, title, publication date and URL."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    published: str = "published"
    url: str = "url"


def input_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The input format: ``fmt`` if given, else from the extension (``.gz`` stripped)."""
    if fmt:
        if fmt not in INPUT_FORMATS:
            raise ConfigError(f"input format must be one of {INPUT_FORMATS}, got {fmt!r}")
        return fmt
    name = str(path).lower().removesuffix(".gz")
    for suffix, kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "jsonl")):
        if name.endswith(suffix):
            return kind
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise ConfigError(
        f"cannot tell the format of {path} from its extension "
        f"(.jsonl, .csv, .parquet, optionally .gz); pass the format explicitly"
    )


def is_gz(path: Path) -> bool:
    return str(path).lower().endswith(".gz")


def open_binary(path: Path) -> Any:
    return gzip.open(path, "rb") if is_gz(path) else open(path, "rb")


def open_text(path: Path, *, lenient: bool = False) -> io.TextIOBase:
    """A text handle; ``lenient`` (input CSV): a leading BOM is dropped and bytes that are not
    UTF-8 become lone surrogates (``surrogateescape``), which the reader turns into a failed
    record instead of an exception that would end the file."""
    encoding, errors = ("utf-8-sig", "surrogateescape") if lenient else ("utf-8", "strict")
    if is_gz(path):
        return io.TextIOWrapper(  # type: ignore[return-value]
            gzip.open(path, "rb"), encoding=encoding, errors=errors, newline=""
        )
    return open(path, encoding=encoding, errors=errors, newline="")  # type: ignore[return-value]


#: What ``surrogateescape`` makes of bytes that are not UTF-8 (see :func:`open_text`).
NOT_UTF8 = re.compile("[\udc80-\udcff]")


def jsonl_lines(handle: Any) -> Iterator[tuple[int, str, UnicodeDecodeError | None]]:
    """``(line number, text, decode error)`` of the non-blank lines of a binary handle; a line
    that is not UTF-8 comes with its error (and its text decoded with replacements)."""
    for line_no, raw in enumerate(handle, 1):
        if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield line_no, raw.decode("utf-8", "replace"), exc
            continue
        if line.strip():
            yield line_no, line, None


def csv_delimiter(path: Path) -> str:
    return "\t" if str(path).lower().removesuffix(".gz").endswith(".tsv") else ","


#: The largest field size the csv module accepts (a C long on every platform).
_CSV_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
_csv_limit_lock = threading.Lock()
_Row = TypeVar("_Row")


def csv_rows(reader: Iterator[_Row]) -> Iterator[_Row]:
    """The rows of a ``csv.reader`` or ``csv.DictReader``, read with no field size limit.

    Design: the csv module refuses a field longer than ``csv.field_size_limit()`` (131,072
    characters by default), and an article can be longer. That limit is one process-wide
    setting (there is no per-reader option) which the C parser reads while it parses, so
    setting it once for good would change it for every other csv user in the process. Here it
    is raised only while one row is parsed and put back at once, under a lock, so that our
    readers in different threads never put back each other's value in the middle of a row.
    What is left: another thread parsing CSV in that instant sees the larger limit (it only
    accepts more), and a ``csv.field_size_limit(n)`` made by another thread in that instant is
    undone. No other CSV parser in the dependencies reads this way (surrogateescape for bad
    bytes, line numbers), hence the csv module."""
    while True:
        with _csv_limit_lock:
            previous = csv.field_size_limit(_CSV_FIELD_LIMIT)
            try:
                row = next(reader, None)
            finally:
                csv.field_size_limit(previous)
        if row is None:
            return
        yield row
