"""The batch API, :func:`analyze_many`, and :func:`run` behind it (also behind
:func:`~beritanlp.batch.annotate_file`): items in, results out in input order, in this process
(:mod:`~beritanlp.batch.serial`) or in a pool of workers (:mod:`~beritanlp.batch.pool`)."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any

from ..inputs import DEFAULT_MAX_LENGTH
from .entries import Encoder, OnError, check_options, iter_entries
from .local import pipeline, warm
from .pool import Pool
from .results import Result
from .serial import run_serial

__all__ = ["DEFAULT_RECORD_TIMEOUT", "analyze_many", "run"]

#: Seconds one record may take in the pipeline before it becomes an error record.
DEFAULT_RECORD_TIMEOUT = 60.0


def analyze_many(
    items: Iterable[object],
    *,
    n_process: int = 1,
    batch_size: int = 64,
    on_error: OnError = "record",
    max_length: int = DEFAULT_MAX_LENGTH,
    record_timeout: float | None = DEFAULT_RECORD_TIMEOUT,
) -> Iterator[Result]:
    """Annotate many articles lazily; one :class:`Result` per item, in input order.

    ``items`` are texts (``str``/UTF-8 ``bytes``; their id is their 0-based index) or mappings
    with ``text`` and optional ``id`` (default: the index), ``title``, ``published``, ``url``;
    :class:`Rejected` items pass through as errors. The pipeline is :func:`beritanlp.load`'s,
    built once per process. ``n_process > 1`` runs a pool of worker processes, each taking whole
    batches (tokenising, running the pipeline and building the Articles); at most
    ``2 * n_process`` batches are in flight, so memory stays bounded on any input size.

    Validation (type, ``max_length``, ``published``) happens here, in the calling process: only
    valid docs reach ``nlp.pipe`` or a worker. An exception inside the pipeline is caught per
    record: the records of the failing batch that are not finished are re-run one by one, so
    only the bad one fails. With ``on_error="record"`` a failure is a result with ``error`` set;
    with ``"raise"`` the exception is raised when that record's turn comes.

    ``record_timeout`` (seconds; ``None`` or 0: no limit) bounds the time of one record in the
    pipeline: a record over it becomes a ``RecordTimeoutError`` result. With ``n_process > 1``
    the worker running it is killed and replaced; with ``n_process=1`` a timer interrupts it
    (see ``docs/batch.md`` for what each can stop). An exception raised by ``items`` itself
    (a reader's I/O error) is not a record error and not the end of the input: the results
    before it are yielded, then it is raised, whatever ``on_error`` is.
    """
    check_options(n_process, batch_size, on_error, max_length, record_timeout)
    stream = run(items, n_process, batch_size, on_error, max_length, None, record_timeout)
    return (payload for payload, _ in stream)


def run(
    items: Iterable[object],
    n_process: int,
    batch_size: int,
    on_error: OnError,
    max_length: int,
    encode: Encoder | None = None,
    record_timeout: float | None = None,
) -> Generator[tuple[Any, bool], None, None]:
    """``(payload, failed)`` per item in order; payload is the Result, or ``encode(result)``
    (computed in the worker that made the result, so the parent only writes). The options
    are not checked here (:func:`~beritanlp.batch.entries.check_options`)."""
    nlp = pipeline(max_length)
    failure: list[BaseException] = []
    entries = iter_entries(items, max_length, failure)
    timeout = float(record_timeout) if record_timeout else None
    if timeout is not None or n_process > 1:
        warm(nlp)  # lazy resources loaded now, not in a record's time (and inherited by forks)
    if n_process == 1:
        yield from run_serial(nlp, entries, batch_size, on_error, encode, timeout)
    else:
        pool = Pool(n_process, batch_size, max_length, encode, on_error == "raise", timeout)
        try:
            yield from pool.run(entries, on_error)
        finally:
            pool.close()
    if failure:
        raise failure[0]
