"""Items on their way through the pipeline: validated into :class:`Entry` objects in the
calling process (only valid ones reach ``nlp.pipe`` or a worker), and turned back into what
the caller gets (:func:`emit`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import ConfigError, RecordTimeoutError
from ..inputs import article_context, prepare_text
from .results import ErrorInfo, Rejected, Result

__all__ = [
    "Encoder",
    "Entry",
    "OnError",
    "check_options",
    "emit",
    "iter_entries",
    "prepare_entry",
    "timed_out",
]

OnError = Literal["record", "raise"]

#: Turns a result into what is handed on (an archive row); runs where the result is made (a
#: worker process), so the parent only writes.
Encoder = Callable[[Result], Any]


@dataclass(slots=True)
class Entry:
    """One item in input order: its position, id and, when valid, its text and context;
    otherwise (or once it failed) its error."""

    index: int
    id: Any
    text: str = ""
    context: dict[str, str | None] = field(default_factory=dict)
    error: ErrorInfo | None = None
    exc: BaseException | None = None


def check_options(
    n_process: int,
    batch_size: int,
    on_error: str,
    max_length: int,
    record_timeout: float | None = None,
) -> None:
    """ConfigError for an option :func:`~beritanlp.batch.analyze_many` cannot run with."""
    if n_process < 1 or batch_size < 1:
        raise ConfigError("n_process and batch_size must be positive integers")
    if on_error not in ("record", "raise"):
        raise ConfigError(f"on_error must be 'record' or 'raise', got {on_error!r}")
    if max_length < 1:
        raise ConfigError(f"max_length must be positive, got {max_length}")
    if record_timeout is not None and not (
        isinstance(record_timeout, (int, float)) and record_timeout >= 0
    ):
        raise ConfigError(
            f"record_timeout must be a number of seconds >= 0 (0 or None: no limit), "
            f"got {record_timeout!r}"
        )


def prepare_entry(item: object, index: int, max_length: int) -> Entry:
    """The item at ``index`` checked as :func:`beritanlp.analyze` checks its input; a bad
    item becomes an entry with its error (never an exception)."""
    if isinstance(item, Rejected):
        return Entry(index, item.id, error=ErrorInfo(item.error_type, item.message))
    item_id: Any = item.get("id", index) if isinstance(item, Mapping) else index
    if item_id is None:
        item_id = index
    try:
        if isinstance(item, Mapping):
            if "text" not in item:
                raise ConfigError("the record has no 'text' field")
            text = prepare_text(item["text"], max_length=max_length)
            context = article_context(item.get("title"), item.get("published"), item.get("url"))
        else:
            text = prepare_text(item, max_length=max_length)
            context = article_context(None, None, None)
    except Exception as exc:
        return Entry(index, item_id, error=ErrorInfo.from_exception(exc), exc=exc)
    return Entry(index, item_id, text, context)


def iter_entries(
    items: Iterable[object], max_length: int, failure: list[BaseException]
) -> Iterator[Entry]:
    """The items as validated entries. An exception raised by the items' iterator (a reader's
    I/O error, a generator that fails) ends the entries and is kept in ``failure``: the caller
    finishes the entries already taken, then raises it, so a read error is never mistaken for
    the end of the input nor for a pipeline error."""
    index = 0
    try:
        iterator = iter(items)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                return
            yield prepare_entry(item, index, max_length)
            index += 1
    except Exception as exc:
        failure.append(exc)


def emit(entry: Entry, result: Result, on_error: OnError, encode: Encoder | None) -> Any:
    """What the caller gets for ``entry``: the result (or ``encode(result)``); with
    ``on_error="raise"`` a failed record raises its exception instead."""
    if result.error is not None and on_error == "raise":
        if entry.exc is not None:
            raise entry.exc
        raise ConfigError(f"record {entry.id!r}: {result.error.error_type}: {result.error.message}")
    return encode(result) if encode is not None else result


def timed_out(entry: Entry, seconds: float, how: str) -> Result:
    """Make ``entry`` a RecordTimeoutError result."""
    exc = RecordTimeoutError(
        f"record {entry.id!r} took longer than record_timeout={seconds:g} s in the pipeline; {how}"
    )
    entry.error, entry.exc = ErrorInfo.from_exception(exc), exc
    return Result(entry.id, None, entry.error)
