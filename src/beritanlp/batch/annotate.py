"""``beritanlp batch`` as a function: :func:`annotate_file` reads an input file, annotates
every record (:func:`~beritanlp.batch.runner.run`) and commits the results chunk by chunk
into a resumable archive directory (:class:`~beritanlp.batch.archive.Archive`)."""

from __future__ import annotations

import json
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputReadError
from ..inputs import DEFAULT_MAX_LENGTH
from .archive import ERRORS, WARNINGS, Archive, output_format
from .entries import check_options
from .formats import FieldMap, input_format
from .optional import require
from .preflight import check_input
from .readers import InputRecord, iter_input
from .results import Rejected, Result, describe, without_code
from .runner import DEFAULT_RECORD_TIMEOUT, run

__all__ = ["BatchSummary", "ProgressFn", "annotate_file"]

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class BatchSummary:
    """Counts of a :func:`annotate_file` run (cumulative over resumed runs). ``warnings``
    counts records that were kept but need a look (``warning_counts`` by kind: a duplicate
    id, an unreadable ``published``); they are listed in ``_warnings.jsonl``."""

    output: Path
    read: int = 0
    written: int = 0
    failed: int = 0
    resumed_from: int = 0
    elapsed: float = 0.0
    complete: bool = False
    warnings: int = 0
    warning_counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors_path(self) -> Path:
        return self.output / ERRORS

    @property
    def warnings_path(self) -> Path:
        return self.output / WARNINGS


ProgressFn = Callable[[BatchSummary], None]


def _encode(result: Result, *, tokens: bool, as_json: bool) -> Any:
    """A result as an archive row: a JSON line (``as_json``) or a dict; errors as dicts."""
    if result.article is None:
        return result.to_dict()
    row = result.to_dict(tokens=tokens)
    row["id"] = str(row["id"])
    return json.dumps(row, ensure_ascii=False) + "\n" if as_json else row


_DUPLICATE = "the id {id!r} was already used by an earlier record; both records are kept"


def _id_hash(item: Mapping[str, Any] | Rejected) -> int:
    import hashlib

    item_id = item.id if isinstance(item, Rejected) else item.get("id")
    digest = hashlib.blake2b(str(item_id).encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little")


def annotate_file(
    input_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    input_fmt: str | None = None,
    fields: FieldMap = FieldMap(),  # noqa: B008 - frozen, so a shared default is safe
    n_process: int = 1,
    batch_size: int = 64,
    chunk_size: int = 1000,
    limit: int | None = None,
    tokens: bool = True,
    max_length: int = DEFAULT_MAX_LENGTH,
    resume: bool = False,
    force: bool = False,
    progress: ProgressFn | None = None,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT,
) -> BatchSummary:
    """Annotate an input file into the archive directory ``output`` (see ``docs/batch.md``).

    Records are committed every ``chunk_size`` input records; ``resume=True`` continues after
    the last committed chunk of an interrupted run (same input and options). ``limit`` caps the
    number of input records read, counted from the start of the input. Returns the counts;
    failed records are in ``output/_errors.jsonl``, warnings (duplicate ids, an unreadable
    ``published``) in ``output/_warnings.jsonl``.

    The input is checked before anything is written (readable, the text field present). A read
    error later in the file raises :class:`~beritanlp.errors.InputReadError` after committing
    the records before it; the manifest says ``complete: false`` and why (``stopped``), and
    ``resume=True`` continues once the input is fixed. ``output`` is locked for the run
    (:class:`~beritanlp.errors.ArchiveLockedError` for a second writer).
    """
    if chunk_size < 1:
        raise ConfigError("chunk_size must be a positive integer")
    if limit is not None and limit < 0:
        raise ConfigError("limit must not be negative")
    check_options(n_process, batch_size, "record", max_length, record_timeout)
    input_path = Path(input_path)
    if not input_path.is_file():
        raise ConfigError(f"cannot read {input_path}: no such file")
    root = Path(output)
    kind = input_format(input_path, input_fmt)
    out_fmt = output_format(root, fmt)
    if out_fmt == "parquet" or kind == "parquet":
        require("pyarrow")
    check_input(input_path, kind, fields)
    identity = {
        "input": str(input_path.resolve()),
        "input_size": input_path.stat().st_size,
        "input_format": kind,
        "format": out_fmt,
        "fields": [fields.id, fields.text, fields.title, fields.published, fields.url],
        "tokens": tokens,
        "max_length": max_length,
    }
    archive = Archive(root, out_fmt, identity, resume, force)
    try:
        options = (n_process, batch_size, chunk_size, limit, tokens, max_length, record_timeout)
        return _annotate(archive, input_path, kind, fields, progress, *options)
    finally:
        archive.close()


def _annotate(
    archive: Archive,
    input_path: Path,
    kind: str,
    fields: FieldMap,
    progress: ProgressFn | None,
    n_process: int,
    batch_size: int,
    chunk_size: int,
    limit: int | None,
    tokens: bool,
    max_length: int,
    record_timeout: float | None,
) -> BatchSummary:
    from contextlib import closing

    root = archive.root
    archive.manifest.pop("stopped", None)  # written with the next commit
    start = archive.manifest["next_position"]
    counts = archive.manifest["counts"]
    summary = BatchSummary(
        root,
        counts["read"],
        counts["written"],
        counts["failed"],
        start,
        warnings=counts["warnings"],
        warning_counts=dict(counts["warning_kinds"]),
    )
    began = time.monotonic()
    if start:
        logger.info("resuming %s after %d committed records", root, start)
    seen = archive.seen_ids()

    meta: deque[InputRecord] = deque()
    exhausted = False

    def items() -> Iterator[Mapping[str, Any] | Rejected]:
        nonlocal exhausted
        for record in iter_input(input_path, fmt=kind, fields=fields, skip=start):
            if limit is not None and record.position >= limit:
                return
            meta.append(record)
            yield record.item
        exhausted = True

    rows: list[Any] = []
    errors: list[str] = []
    warnings: list[tuple[str, str]] = []
    ids: list[int] = []
    chunk_start = start
    position = start

    def warn(record: InputRecord, kind: str, message: str) -> None:
        item_id = record.item.id if isinstance(record.item, Rejected) else record.item["id"]
        message = message.format(id=item_id)
        line = {
            "id": item_id,
            "position": record.position,
            "line": record.line,
            "warning": kind,
            "message": message,
        }
        warnings.append((kind, json.dumps(line, ensure_ascii=False) + "\n"))
        summary.warnings += 1
        summary.warning_counts[kind] = summary.warning_counts.get(kind, 0) + 1

    def commit() -> None:
        nonlocal rows, errors, warnings, ids, chunk_start
        archive.commit(chunk_start, position, rows, errors, warnings, ids)
        rows, errors, warnings, ids, chunk_start = [], [], [], [], position

    encode = partial(_encode, tokens=tokens, as_json=archive.fmt == "jsonl")
    stream = run(items(), n_process, batch_size, "record", max_length, encode, record_timeout)
    try:
        with closing(stream):  # stops the workers at once, whatever ends the loop
            for payload, failed in stream:
                record = meta.popleft()
                position = record.position + 1
                key = _id_hash(record.item)
                if key in seen:
                    warn(record, "DuplicateId", _DUPLICATE)
                else:
                    seen.add(key)
                ids.append(key)
                for kind_, message in record.warnings:
                    warn(record, kind_, message)
                if failed:
                    payload.update(position=record.position, line=record.line)
                    errors.append(json.dumps(payload, ensure_ascii=False) + "\n")
                    summary.failed += 1
                else:
                    rows.append(payload)
                    summary.written += 1
                summary.read += 1
                if position - chunk_start >= chunk_size:
                    commit()
                if progress is not None:
                    summary.elapsed = time.monotonic() - began
                    progress(summary)
    except InputReadError as exc:
        # every record read before the error has its result: commit them, then say why the
        # archive is incomplete; a resume continues from here once the input is fixed
        if position > chunk_start:
            commit()
        detail = without_code(str(exc))
        stopped = {"reason": "input_error", "message": detail, "position": position}
        archive.save(complete=False, stopped=stopped)
        raise InputReadError(
            f"{detail}; the {position:,} records before it are committed in {root}: fix the "
            f"input and rerun with --resume (resume=True)"
        ) from exc
    except BaseException as exc:
        # interrupted (Ctrl-C, SIGTERM) or a worker died: the uncommitted records are redone
        # by --resume; the manifest says why the run stopped
        interrupted = isinstance(exc, KeyboardInterrupt)
        stopped = {
            "reason": "interrupted" if interrupted else "error",
            "message": "interrupted (Ctrl-C or SIGTERM)" if interrupted else describe(exc),
            "position": archive.manifest["next_position"],
        }
        try:
            archive.save(complete=False, stopped=stopped)
        except Exception:  # pragma: no cover - the disk went away too
            pass
        raise
    if position > chunk_start or rows or errors:
        commit()
    archive.save(complete=exhausted)
    summary.complete = exhausted
    summary.elapsed = time.monotonic() - began
    return summary
