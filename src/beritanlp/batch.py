"""Batch annotation of article archives: :func:`analyze_many`, file input, resumable output.

Three layers, each usable on its own:

* :func:`analyze_many` — the public batch API. Items (texts or mappings with ``id``, ``text`` and
  optional ``title``/``published``/``url``) go in; one :class:`Result` per item comes out, in
  input order, tagged with its id. Items are validated in the calling process; only valid docs
  enter ``nlp.pipe`` (or a worker of our process pool). A record that fails, or runs over
  ``record_timeout``, gives an error result instead of stopping the run (``on_error="record"``,
  the default); an exception from the items' iterator itself is raised, never taken for the
  end of the input.
* :func:`iter_input` — reads JSON Lines, CSV or Parquet (``.gz`` for the text formats) into
  items, turning malformed records (not JSON, not UTF-8, no text field) into :class:`Rejected`
  items, reading non-ISO ``published`` values with the dates component, and raising
  :class:`~beritanlp.errors.InputReadError` for a file it cannot read on.
* :func:`annotate_file` — the engine of ``beritanlp batch``: a locked output directory of
  numbered part files committed chunk by chunk (write to a temporary name, fsync, rename, then
  the manifest), so a run killed at any moment resumes with no record lost and none duplicated.

The Parquet layout is :func:`arrow_schema` (one place; documented in ``docs/batch.md``).
pyarrow is imported only when Parquet is read or written.
"""

from __future__ import annotations

import contextvars
import copy
import csv
import gzip
import io
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .api import DEFAULT_MAX_LENGTH, _context, _iso_published, _make_doc, load, prepare_text
from .errors import (
    ArchiveLockedError,
    BatchWorkerError,
    BeritaError,
    ConfigError,
    InputReadError,
    RecordTimeoutError,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from spacy.language import Language
    from spacy.tokens import Doc

    from .article import Article

__all__ = [
    "ARCHIVE_FORMATS",
    "DEFAULT_RECORD_TIMEOUT",
    "INPUT_FORMATS",
    "ArchiveLockedError",
    "BatchSummary",
    "BatchWorkerError",
    "ErrorInfo",
    "FieldMap",
    "InputReadError",
    "InputRecord",
    "RecordTimeoutError",
    "Rejected",
    "Result",
    "analyze_many",
    "annotate_file",
    "archive_stats",
    "arrow_schema",
    "count_records",
    "input_format",
    "iter_input",
    "output_format",
    "read_archive",
    "require",
    "stats_columns",
    "to_arrow",
]

logger = logging.getLogger(__name__)

OnError = Literal["record", "raise"]

#: Input formats :func:`iter_input` reads (``.gz`` allowed for the text formats).
INPUT_FORMATS = ("jsonl", "csv", "parquet")
#: Output formats of :func:`annotate_file`.
ARCHIVE_FORMATS = ("jsonl", "parquet")

#: Seconds one record may take in the pipeline before it becomes an error record.
DEFAULT_RECORD_TIMEOUT = 60.0

MANIFEST = "_manifest.json"
ERRORS = "_errors.jsonl"
WARNINGS = "_warnings.jsonl"
IDS = "_ids"
LOCK = "_lock"
_MANIFEST_VERSION = 1
_PART_RE = re.compile(r"^part-(\d+)\.(jsonl|parquet)$")


# ----------------------------------------------------------------------------------------------
# optional dependencies
# ----------------------------------------------------------------------------------------------
_EXTRA_OF = {"pyarrow": "parquet", "pandas": "pandas", "dask": "dask", "distributed": "dask"}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the ``pip install`` line that provides it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as exc:
        extra = _EXTRA_OF.get(module.split(".")[0], "parquet")
        raise ConfigError(
            f"{module} is needed for this (it is an optional dependency): "
            f'pip install "beritanlp[{extra}]"'
        ) from exc


# ----------------------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why a record failed: the exception's class name and message."""

    error_type: str
    message: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> ErrorInfo:
        return cls(type(exc).__name__, str(exc))


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome for one input item: an :class:`Article` or an :class:`ErrorInfo`."""

    id: Any
    article: Article | None = None
    error: ErrorInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self, *, tokens: bool = False, text: bool = True) -> dict[str, Any]:
        """``{"id", **article.to_dict()}``, or ``{"id", "error_type", "message"}``."""
        if self.article is None:
            error = self.error or ErrorInfo("UnknownError", "")
            return {"id": self.id, "error_type": error.error_type, "message": error.message}
        return {"id": self.id, **self.article.to_dict(tokens=tokens, text=text)}


@dataclass(frozen=True, slots=True)
class Rejected:
    """An item already known to be bad (e.g. a line that is not JSON). :func:`analyze_many`
    passes it through as an error result, in order, without touching the pipeline."""

    id: Any
    error_type: str
    message: str


@dataclass(slots=True)
class _Pending:
    index: int
    id: Any
    text: str = ""
    context: dict[str, str | None] = field(default_factory=dict)
    error: ErrorInfo | None = None
    exc: BaseException | None = None


# The pipeline's error handler records exceptions only while analyze_many is advancing nlp.pipe
# in this thread (a context variable); everywhere else it re-raises, which is spaCy's default, so
# installing it on the shared pipeline from load() does not change analyze() or nlp(text).
_error_sink: contextvars.ContextVar[list[tuple[str | None, BaseException]] | None] = (
    contextvars.ContextVar("beritanlp_batch_error_sink", default=None)
)


def _error_handler(name: str | None, proc: Any, docs: Any, exc: Exception) -> None:
    sink = _error_sink.get()
    if sink is None:
        raise exc
    sink.append((name, exc))


def _set_error_handlers(nlp: Language) -> None:
    """Install :func:`_error_handler` on every component that takes one. spaCy's parser-based
    components (``ner``) cannot store an error handler (an AttributeError in spaCy 3.8); their
    failures end the ``nlp.pipe`` stream instead, which :func:`_local` also handles."""
    nlp.default_error_handler = _error_handler
    for _, proc in nlp.pipeline:
        setter = getattr(proc, "set_error_handler", None)
        if setter is not None:
            try:
                setter(_error_handler)
            except AttributeError:
                pass


def _prepare(item: object, index: int, max_length: int) -> _Pending:
    if isinstance(item, Rejected):
        return _Pending(index, item.id, error=ErrorInfo(item.error_type, item.message))
    item_id: Any = item.get("id", index) if isinstance(item, Mapping) else index
    if item_id is None:
        item_id = index
    try:
        if isinstance(item, Mapping):
            if "text" not in item:
                raise ConfigError("the record has no 'text' field")
            text = prepare_text(item["text"], max_length=max_length)
            context = _context(item.get("title"), item.get("published"), item.get("url"))
        else:
            text = prepare_text(item, max_length=max_length)
            context = _context(None, None, None)
    except Exception as exc:
        return _Pending(index, item_id, error=ErrorInfo.from_exception(exc), exc=exc)
    return _Pending(index, item_id, text, context)


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
    record: spaCy drops the failing batch, and its records are re-run one by one, so only the
    bad one fails. With ``on_error="record"`` a failure is a result with ``error`` set; with
    ``"raise"`` the exception is raised when that record's turn comes.

    ``record_timeout`` (seconds; ``None`` or 0: no limit) bounds the time of one record in the
    pipeline: a record over it becomes a ``RecordTimeoutError`` result. With ``n_process > 1``
    the worker running it is killed and replaced; with ``n_process=1`` a timer interrupts it
    (see ``docs/batch.md`` for what each can stop). An exception raised by ``items`` itself
    (a reader's I/O error) is not a record error and not the end of the input: the results
    before it are yielded, then it is raised, whatever ``on_error`` is.
    """
    _check(n_process, batch_size, on_error, max_length, record_timeout)
    stream = _stream(items, n_process, batch_size, on_error, max_length, None, record_timeout)
    return (payload for payload, _ in stream)


def _check(
    n_process: int,
    batch_size: int,
    on_error: str,
    max_length: int,
    record_timeout: float | None = None,
) -> None:
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


Encoder = Callable[[Result], Any]


def _entries(
    items: Iterable[object], max_length: int, failure: list[BaseException]
) -> Iterator[_Pending]:
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
            yield _prepare(item, index, max_length)
            index += 1
    except Exception as exc:
        failure.append(exc)


def _stream(
    items: Iterable[object],
    n_process: int,
    batch_size: int,
    on_error: OnError,
    max_length: int,
    encode: Encoder | None = None,
    record_timeout: float | None = None,
) -> Iterator[tuple[Any, bool]]:
    """``(payload, failed)`` per item in order; payload is the Result, or ``encode(result)``
    (computed in the worker that made the result, so the parent only writes)."""
    nlp = load(max_length=max(max_length, DEFAULT_MAX_LENGTH))
    failure: list[BaseException] = []
    entries = _entries(items, max_length, failure)
    timeout = float(record_timeout) if record_timeout else None
    if timeout is not None or n_process > 1:
        _warm(nlp)  # lazy resources loaded now, not in a record's time (and inherited by forks)
    if n_process == 1:
        yield from _serial(nlp, entries, batch_size, on_error, encode, timeout)
    else:
        pool = _Pool(n_process, batch_size, max_length, encode, on_error == "raise", timeout)
        try:
            yield from pool.run(entries, on_error)
        finally:
            pool.close()
    if failure:
        raise failure[0]


#: A short article that takes the pipeline through its lazily loaded resources (dateline and
#: date patterns, gazetteer, stems, quotes), so that no record pays for them in its time budget.
_WARM_UP_TEXT = (
    "Presiden berjanji membangun jalan\n"
    "Jakarta (ANTARA) - Presiden Joko Widodo meresmikan jalan tol di Jawa Barat pada Senin "
    '(4/5/2023). "Pembangunan akan dilanjutkan," kata Jokowi kepada wartawan.\n'
    "Baca juga: Berita lain"
)
_warmed: set[int] = set()


def _warm(nlp: Language) -> None:
    """Run :data:`_WARM_UP_TEXT` through ``nlp`` once per pipeline (errors ignored)."""
    if id(nlp) in _warmed:
        return
    _warmed.add(id(nlp))
    from .article import Article

    try:
        Article.from_doc(nlp(_make_doc(nlp, _WARM_UP_TEXT, _context(None, "2023-05-04", None))))
    except Exception as exc:  # a broken component shows itself on the records, as an error
        logger.debug("warm-up failed: %r", exc)


def _out(entry: _Pending, result: Result, on_error: OnError, encode: Encoder | None) -> Any:
    if result.error is not None and on_error == "raise":
        if entry.exc is not None:
            raise entry.exc
        raise ConfigError(f"record {entry.id!r}: {result.error.error_type}: {result.error.message}")
    return encode(result) if encode is not None else result


def _timed_out(entry: _Pending, seconds: float, how: str) -> Result:
    """Make ``entry`` a RecordTimeoutError result."""
    exc = RecordTimeoutError(
        f"record {entry.id!r} took longer than record_timeout={seconds:g} s in the pipeline; {how}"
    )
    entry.error, entry.exc = ErrorInfo.from_exception(exc), exc
    return Result(entry.id, None, entry.error)


def _local(
    nlp: Language, entries: Iterable[_Pending], batch_size: int
) -> Iterator[tuple[_Pending, Result]]:
    """Run the valid entries through ``nlp.pipe`` in this process; one result per entry."""
    from .article import Article

    pending: deque[_Pending] = deque()
    entries = iter(entries)

    def docs() -> Iterator[tuple[Doc, int]]:
        for entry in entries:
            pending.append(entry)
            if entry.error is None:
                yield _make_doc(nlp, entry.text, entry.context), entry.index

    def finish(entry: _Pending, doc: Doc | None) -> Result:
        if entry.error is None:
            try:
                if doc is None:  # dropped by the error handler: re-run alone, errors raise
                    doc = nlp(_make_doc(nlp, entry.text, entry.context))
                return Result(entry.id, Article.from_doc(doc))
            except Exception as exc:
                logger.debug("record %r failed in the pipeline: %r", entry.id, exc)
                entry.error, entry.exc = ErrorInfo.from_exception(exc), exc
        return Result(entry.id, None, entry.error)

    _set_error_handlers(nlp)
    sink: list[tuple[str | None, BaseException]] = []
    stream = iter(nlp.pipe(docs(), batch_size=batch_size, as_tuples=True))
    while True:
        token = _error_sink.set(sink)
        try:
            got = next(stream, None)
        except Exception as exc:
            # a component without an error handler (spaCy's ner) failed and ended the stream:
            # finish what is pending, then the rest, one record at a time
            logger.info("pipeline error (stream ended, records re-run one by one): %r", exc)
            for entry in (*pending, *entries):
                yield entry, finish(entry, None)
            pending.clear()
            return
        finally:
            _error_sink.reset(token)
        if sink:
            for name, exc in sink:
                logger.info("pipeline error in %s (batch re-run per record): %r", name, exc)
            sink.clear()
        if got is None:
            break
        doc, index = got
        while pending and pending[0].index != index:
            entry = pending.popleft()
            yield entry, finish(entry, None)
        entry = pending.popleft()
        yield entry, finish(entry, doc)
    while pending:
        entry = pending.popleft()
        yield entry, finish(entry, None)


# -- one process: the time budget as a timer ---------------------------------------------------
class _Timeout(BaseException):
    """Raised by :class:`_Alarm` inside the pipeline. A BaseException, so that neither spaCy's
    error handlers nor :func:`_local`'s ``except Exception`` take it for a record's error."""


class _Alarm:
    """The per-record time budget with ``n_process=1``: a ``SIGALRM`` timer (``setitimer``).

    Design: there is no worker to kill, and a thread cannot be stopped, so the budget is a timer
    whose handler raises :class:`_Timeout` in the pipeline code. Python code and regular
    expressions (``re`` checks for signals while it matches) are interrupted, which covers the
    super-linear shapes seen in components; a single C call that never returns to Python (a
    BLAS product, a spaCy Cython loop) is not, so for a hard guarantee run ``n_process >= 2``,
    where the parent kills the worker. The timer needs the main thread and a free ``SIGALRM``:
    when called from another thread (Dask workers, a web server's threads), on a platform
    without ``setitimer``, or when the caller already uses ``SIGALRM``, the budget is not
    enforced in-process (logged once at INFO) — records then run to the end.
    """

    _warned = False

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self.previous = signal.getsignal(signal.SIGALRM)
        signal.signal(signal.SIGALRM, self._handler)

    @classmethod
    def create(cls, seconds: float | None) -> _Alarm | None:
        if not seconds:
            return None
        why = None
        if not hasattr(signal, "setitimer") or not hasattr(signal, "SIGALRM"):
            why = "this platform has no setitimer"
        elif threading.current_thread() is not threading.main_thread():
            why = "analyze_many runs outside the main thread"
        elif signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, signal.SIG_IGN, None):
            why = "SIGALRM already has a handler"
        elif signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):
            why = "a SIGALRM timer is already running"
        if why is not None:
            if not cls._warned:
                cls._warned = True
                logger.info(
                    "record_timeout is not enforced with n_process=1 here (%s); "
                    "use n_process >= 2 for a time budget",
                    why,
                )
            return None
        return cls(seconds)

    def _handler(self, signum: int, frame: Any) -> None:
        if self.active:
            self.active = False
            raise _Timeout()

    def run(self, work: Callable[[], Any]) -> Any:
        """``work()`` within the budget; raises :class:`_Timeout` when it runs over."""
        if threading.current_thread() is not threading.main_thread():
            return work()  # the generator moved to another thread: no timer there
        self.active = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            return work()
        finally:
            self.active = False
            signal.setitimer(signal.ITIMER_REAL, 0)

    def close(self) -> None:
        self.active = False
        if threading.current_thread() is threading.main_thread():
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)


def _serial(
    nlp: Language,
    entries: Iterable[_Pending],
    batch_size: int,
    on_error: OnError,
    encode: Encoder | None,
    timeout: float | None,
) -> Iterator[tuple[Any, bool]]:
    """``n_process=1``: groups of ``batch_size`` entries through :func:`_local`, each group
    within ``timeout`` seconds. A group over it is re-run one record at a time, each with the
    whole budget, so only a record that alone takes longer fails (``RecordTimeoutError``)."""
    from itertools import islice

    alarm = _Alarm.create(timeout)
    iterator = iter(entries)
    try:
        while group := list(islice(iterator, batch_size)):
            if alarm is None:
                done = list(_local(nlp, group, batch_size))
            else:
                done = _timed_group(nlp, group, batch_size, alarm)
            for entry, result in done:
                yield _out(entry, result, on_error, encode), result.error is not None
    finally:
        if alarm is not None:
            alarm.close()


def _timed_group(
    nlp: Language, group: list[_Pending], batch_size: int, alarm: _Alarm
) -> list[tuple[_Pending, Result]]:
    try:
        return alarm.run(lambda: list(_local(nlp, group, batch_size)))  # type: ignore[no-any-return]
    except _Timeout:
        if len(group) > 1:
            logger.info(
                "a batch of %d records ran over record_timeout: re-run one by one", len(group)
            )
    done: list[tuple[_Pending, Result]] = []
    for entry in group:
        if len(group) > 1:
            try:
                done.extend(alarm.run(lambda entry=entry: list(_local(nlp, [entry], batch_size))))
                continue
            except _Timeout:
                pass
        logger.warning("record %r ran over record_timeout=%g s", entry.id, alarm.seconds)
        done.append((entry, _timed_out(entry, alarm.seconds, "it was interrupted")))
    return done


# -- the worker pool ---------------------------------------------------------------------------
#: File descriptors a forked worker must close (the archive lock of the parent), so that a
#: worker never keeps an output directory locked.
_INHERITED_FDS: set[int] = set()


def _set_parent_death_signal() -> None:
    """Linux: have the kernel SIGKILL this worker when the thread that forked it ends (the
    parent was killed). Best effort; :func:`_watch_parent` is the portable check."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover
        pass


def _watch_parent(parent_pid: int) -> None:
    """A daemon thread of each worker: exit as soon as the parent is gone (re-parented), even
    while blocked on a pipe that a sibling worker still holds open."""
    while True:
        if os.getppid() != parent_pid:
            os._exit(1)
        time.sleep(0.25)


def _worker_main(
    conn: Any,
    parent_end: Any,
    parent_pid: int,
    pdeathsig: bool,
    batch_size: int,
    max_length: int,
    encode: Encoder | None,
    want_exc: bool,
) -> None:
    """A worker process: annotate the batches the parent sends, one at a time, until told to
    stop (``None``), the pipe closes, or the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's handler, inherited by fork
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    if pdeathsig:
        _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the parent died before the signal was set
        os._exit(1)
    parent_end.close()
    for fd in list(_INHERITED_FDS):  # the archive lock stays the parent's alone
        try:
            os.close(fd)
        except OSError:
            pass
    _INHERITED_FDS.clear()
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    try:  # one BLAS thread per worker: the workers already fill the cores (the NER uses BLAS)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        pass
    try:
        _warm(load(max_length=max(max_length, DEFAULT_MAX_LENGTH)))  # forked: both no-ops
    except Exception as exc:  # e.g. a damaged model (spawned workers load it themselves)
        conn.send(("failed", _picklable(exc)))
        return
    # the parent starts a task's clock only after this: start-up is not a record's time
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        task_id, batch = message
        try:
            reply: tuple[int, Any, BaseException | None] = (
                task_id,
                _work(batch, batch_size, max_length, encode, want_exc),
                None,
            )
        except Exception as exc:  # pragma: no cover - _local turns errors into results
            reply = (task_id, None, _picklable(exc))
        try:
            conn.send(reply)
        except (BrokenPipeError, EOFError, OSError):
            break


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _work(
    batch: list[tuple[int, Any, str, dict[str, str | None]]],
    batch_size: int,
    max_length: int,
    encode: Encoder | None,
    want_exc: bool,
) -> list[tuple[Any, bool, BaseException | None]]:
    """Worker task: annotate one batch of valid records."""
    nlp = load(max_length=max(max_length, DEFAULT_MAX_LENGTH))
    entries = [_Pending(index, item_id, text, context) for index, item_id, text, context in batch]
    out = []
    for entry, result in _local(nlp, entries, batch_size):
        exc = _picklable(entry.exc) if want_exc and entry.exc is not None else None
        payload = encode(result) if encode is not None else result
        out.append((payload, result.error is not None, exc))
    return out


@dataclass(slots=True)
class _Slot:
    """One input batch, in input order: its entries and, per valid entry, its outcome."""

    entries: list[_Pending]
    missing: int
    done: dict[int, tuple[Any, bool, BaseException | None]] = field(default_factory=dict)
    broken: BaseException | None = None


@dataclass(slots=True)
class _Task:
    """Valid entries of one slot sent to one worker together."""

    slot: _Slot
    entries: list[_Pending]


class _Worker:
    def __init__(self, context: Any, args: tuple[Any, ...]) -> None:
        parent_end, child_end = context.Pipe()
        pdeathsig = (
            context.get_start_method() == "fork"
            and threading.current_thread() is threading.main_thread()
        )
        self.process = context.Process(
            target=_worker_main,
            args=(child_end, parent_end, os.getpid(), pdeathsig, *args),
            daemon=True,
            name="beritanlp-worker",
        )
        self.process.start()
        child_end.close()
        self.conn = parent_end
        self.ready = False
        self.task: _Task | None = None
        self.task_id = -1
        self.started = 0.0

    def stop(self, *, kill: bool = False) -> None:
        if self.process.is_alive():
            if kill or self.task is not None:
                self.process.kill()
            else:
                try:
                    self.conn.send(None)
                except (OSError, ValueError):
                    self.process.kill()

    def reap(self, seconds: float = 5.0) -> None:
        self.process.join(seconds)
        if self.process.is_alive():  # pragma: no cover - a worker that ignored its stop
            self.process.kill()
            self.process.join(seconds)
        self.conn.close()


class _Pool:
    """``n_process`` worker processes, each fed one batch at a time through its own pipe.

    Not ``concurrent.futures``: a record over ``record_timeout`` must stop *its* worker (kill
    it and start another), which an executor cannot do. The parent waits on the workers' pipes
    and process sentinels together (``multiprocessing.connection.wait``), so a result, a dead
    worker and a deadline are all noticed at once. A batch over the budget is re-run one
    record per task, each with the whole budget, so only a record that alone takes longer
    fails (``RecordTimeoutError``); its worker is killed and replaced. Workers are forked (they
    inherit the parent's loaded pipeline, copy-on-write) where the platform allows.
    """

    def __init__(
        self,
        n_process: int,
        batch_size: int,
        max_length: int,
        encode: Encoder | None,
        want_exc: bool,
        timeout: float | None,
    ) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.args = (batch_size, max_length, encode, want_exc)
        self.n_process = n_process
        self.batch_size = batch_size
        self.timeout = timeout
        self.workers: list[_Worker] = []
        self.queue: deque[_Task] = deque()
        self.next_id = 0

    def _spawn(self) -> _Worker:
        worker = _Worker(self.context, self.args)
        self.workers.append(worker)
        return worker

    def run(self, entries: Iterable[_Pending], on_error: OnError) -> Iterator[tuple[Any, bool]]:
        from itertools import islice

        for _ in range(self.n_process):
            self._spawn()
        slots: deque[_Slot] = deque()
        iterator = iter(entries)
        exhausted = False
        while True:
            while not exhausted and len(slots) < 2 * self.n_process:
                batch = list(islice(iterator, self.batch_size))
                if not batch:
                    exhausted = True
                    break
                good = [e for e in batch if e.error is None]
                slot = _Slot(batch, len(good))
                slots.append(slot)
                if good:
                    self.queue.append(_Task(slot, good))
            self._dispatch()
            while slots and (slots[0].missing == 0 or slots[0].broken is not None):
                slot = slots.popleft()
                if slot.broken is not None:
                    raise slot.broken
                for entry in slot.entries:
                    yield self._emit(entry, slot, on_error)
                    self._service(0)  # keep the workers fed while the caller writes
                    self._dispatch()
            if not slots:
                if exhausted:
                    return
                continue
            if not self.queue and not any(w.task is not None or not w.ready for w in self.workers):
                raise BatchWorkerError("internal error: records are pending but none in work")
            self._service(None)

    def _emit(self, entry: _Pending, slot: _Slot, on_error: OnError) -> tuple[Any, bool]:
        encode = self.args[2]
        if entry.index not in slot.done:  # invalid before the pipeline
            result = Result(entry.id, None, entry.error)
            return _out(entry, result, on_error, encode), True
        payload, failed, exc = slot.done.pop(entry.index)
        if failed and on_error == "raise":
            raise exc if exc is not None else ConfigError(f"record {entry.id!r} failed")
        return payload, failed

    def _dispatch(self) -> None:
        for worker in self.workers:
            if not self.queue:
                return
            if worker.ready and worker.task is None:
                task = self.queue.popleft()
                worker.task, worker.task_id = task, self.next_id
                self.next_id += 1
                batch = [(e.index, e.id, e.text, e.context) for e in task.entries]
                worker.started = time.monotonic()
                try:
                    worker.conn.send((worker.task_id, batch))
                except (BrokenPipeError, OSError):
                    pass  # the worker is dead: its sentinel reports it

    def _service(self, wait: float | None) -> None:
        """Take results, notice dead workers and enforce deadlines; block up to ``wait``
        seconds (``None``: until something happens or the next deadline)."""
        from multiprocessing.connection import wait as wait_for

        watched = [w for w in self.workers if w.task is not None or not w.ready]
        if not watched:
            return
        busy = [w for w in watched if w.task is not None]
        if wait is None and self.timeout is not None and busy:
            wait = max(0.0, min(w.started + self.timeout for w in busy) - time.monotonic())
        handles = [w.conn for w in watched] + [w.process.sentinel for w in watched]
        ready = set(wait_for(handles, wait))
        for worker in watched:
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    self._died(worker)
                    continue
                if not worker.ready:
                    self._started(worker, message)
                else:
                    self._finish(worker, message[1], message[2])
            elif worker.process.sentinel in ready:
                self._died(worker)
        if self.timeout is not None:
            now = time.monotonic()
            for worker in [w for w in self.workers if w.task is not None]:
                if now - worker.started > self.timeout:
                    self._expire(worker)

    def _finish(self, worker: _Worker, out: Any, error: BaseException | None) -> None:
        task = worker.task
        assert task is not None
        worker.task = None
        if error is not None:  # pragma: no cover - _work turns errors into results
            task.slot.broken = error
            return
        for entry, outcome in zip(task.entries, out, strict=True):
            task.slot.done[entry.index] = outcome
            entry.text = ""  # the parent keeps only ids and outcomes
        task.slot.missing -= len(task.entries)

    def _started(self, worker: _Worker, message: tuple[str, BaseException | None]) -> None:
        kind, error = message
        if kind != "ready":
            raise error if error is not None else BatchWorkerError("a worker failed to start")
        worker.ready = True

    def _died(self, worker: _Worker) -> None:
        task = worker.task
        worker.process.join(1.0)
        code = worker.process.exitcode
        how = f"signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        if task is None:  # while starting
            raise BatchWorkerError(
                f"a worker process died ({how}) while starting; see the log, or run with "
                f"--workers 1 to see the error"
            )
        task.slot.broken = BatchWorkerError(
            f"a worker process died ({how}: killed, or out of memory?) while annotating records "
            f"{task.entries[0].id!r}…{task.entries[-1].id!r}; lower --workers/--batch-size "
            f"and resume"
        )
        worker.task = None
        self._replace(worker)

    def _expire(self, worker: _Worker) -> None:
        """The worker's task ran over the budget: kill the worker, start another, and re-run
        the task one record at a time (a single record fails)."""
        task = worker.task
        assert task is not None and self.timeout is not None
        worker.task = None
        worker.process.kill()
        self._replace(worker)
        if len(task.entries) > 1:
            logger.info(
                "a batch of %d records ran over record_timeout: re-run one by one",
                len(task.entries),
            )
            self.queue.extendleft(_Task(task.slot, [e]) for e in reversed(task.entries))
            return
        entry = task.entries[0]
        logger.warning("record %r ran over record_timeout=%g s", entry.id, self.timeout)
        result = _timed_out(entry, self.timeout, "its worker process was stopped and replaced")
        exc = entry.exc if self.args[3] else None
        encode = self.args[2]
        payload = encode(result) if encode is not None else result
        task.slot.done[entry.index] = (payload, True, exc)
        task.slot.missing -= 1
        entry.text = ""

    def _replace(self, worker: _Worker) -> None:
        worker.stop(kill=True)
        worker.reap()
        self.workers.remove(worker)
        self._spawn()

    def close(self) -> None:
        """Stop every worker: idle ones are told to exit, busy ones are killed."""
        for worker in self.workers:
            worker.stop()
        for worker in self.workers:
            worker.reap()
        self.workers.clear()


# ----------------------------------------------------------------------------------------------
# Arrow schema
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The fixed Arrow schema of Parquet archives: one row per article.

    Columns follow ``Article.to_dict()`` (schema 1.1) plus ``id`` first and ``tokens`` last
    (null when tokens were not requested). Offsets are int32, scores float64; spans are
    list<struct>, ``dateline`` and ``topic`` are structs (``topic.scores`` a map).
    """
    pa = require("pyarrow")
    from .article import SCHEMA_VERSION

    s, i, f = pa.string(), pa.int32(), pa.float64()

    def struct(*fields: tuple[str, Any]) -> Any:
        return pa.struct([pa.field(name, kind) for name, kind in fields])

    return pa.schema(
        [
            pa.field("id", s, nullable=False),
            ("schema_version", s),
            ("text", s),
            ("title", s),
            ("title_source", s),
            ("caption", s),
            ("lead", s),
            ("url", s),
            ("published", s),
            ("published_source", s),
            ("sections", pa.list_(struct(("kind", s), ("start", i), ("end", i)))),
            (
                "dateline",
                struct(
                    ("text", s), ("start", i), ("end", i), ("place", s), ("source", s), ("date", s)
                ),
            ),
            ("sentences", pa.list_(struct(("start", i), ("end", i), ("section", s)))),
            (
                "entities",
                pa.list_(
                    struct(
                        ("text", s),
                        ("label", s),
                        ("start", i),
                        ("end", i),
                        ("canonical", s),
                        ("section", s),
                        ("role", s),
                    )
                ),
            ),
            (
                "entity_summary",
                pa.list_(
                    struct(
                        ("canonical", s),
                        ("label", s),
                        ("mentions", i),
                        ("first_start", i),
                        ("roles", pa.list_(s)),
                    )
                ),
            ),
            (
                "dates",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("value", s),
                        ("granularity", s),
                        ("kind", s),
                    )
                ),
            ),
            ("topic", struct(("label", s), ("score", f), ("scores", pa.map_(s, f)))),
            ("keywords", pa.list_(struct(("text", s), ("score", f)))),
            (
                "quotes",
                pa.list_(
                    struct(
                        ("speaker", s),
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("cue", s),
                        ("kind", s),
                        ("speaker_start", i),
                        ("speaker_end", i),
                    )
                ),
            ),
            ("noun_phrases", pa.list_(struct(("text", s), ("start", i), ("end", i), ("root", s)))),
            (
                "tokens",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("stem", s),
                        ("is_stop", pa.bool_()),
                        # schema 1.1, only with the syntax layer (null otherwise)
                        ("pos", s),
                        ("tag", s),
                        ("morph", s),
                        ("lemma", s),
                        ("dep", s),
                        ("head", i),
                    )
                ),
            ),
        ],
        metadata={"beritanlp.schema_version": SCHEMA_VERSION},
    )


def to_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (``Result.to_dict()`` of good results, ``id`` as str) as a Table of
    :func:`arrow_schema`. Keys outside the schema are ignored; missing ones are null."""
    pa = require("pyarrow")
    return pa.Table.from_pylist(rows, schema=arrow_schema())


def _from_arrow_row(row: dict[str, Any]) -> dict[str, Any]:
    topic = row.get("topic")
    if topic is not None and isinstance(topic.get("scores"), list):
        topic["scores"] = dict(topic["scores"])
    if row.get("tokens") is None:
        row.pop("tokens", None)
    else:  # the syntax fields are written only when the syntax layer ran (Token.to_dict)
        for token in row["tokens"]:
            if token.get("pos") is None:
                for key in ("pos", "tag", "morph", "lemma", "dep", "head"):
                    token.pop(key, None)
    return row


# ----------------------------------------------------------------------------------------------
# input
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which input fields hold the id, text, title, publication date and URL."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    published: str = "published"
    url: str = "url"


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


def _is_gz(path: Path) -> bool:
    return str(path).lower().endswith(".gz")


def _open_binary(path: Path) -> Any:
    return gzip.open(path, "rb") if _is_gz(path) else open(path, "rb")


def _open_text(path: Path, *, lenient: bool = False) -> io.TextIOBase:
    """A text handle; ``lenient`` (input CSV): a leading BOM is dropped and bytes that are not
    UTF-8 become lone surrogates (``surrogateescape``), which the reader turns into a failed
    record instead of an exception that would end the file."""
    encoding, errors = ("utf-8-sig", "surrogateescape") if lenient else ("utf-8", "strict")
    if _is_gz(path):
        return io.TextIOWrapper(  # type: ignore[return-value]
            gzip.open(path, "rb"), encoding=encoding, errors=errors, newline=""
        )
    return open(path, encoding=encoding, errors=errors, newline="")  # type: ignore[return-value]


_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of undecodable bytes


@lru_cache(maxsize=4096)
def _date_in_text(value: str) -> str | None:
    """The first full date (day, month and year) that the dates component reads in ``value``,
    as ISO 8601; ``None`` when there is none. Numeric dates are read day first (``4/5/2023`` is
    4 May) unless the second number cannot be a month and the first can (``10/21/2025``)."""
    from .components.dates import find_dates

    for found in find_dates(value):
        iso = found.get("value")
        if not isinstance(iso, str) or not re.match(r"\d{4}-\d{2}-\d{2}", iso):
            continue
        try:
            return _iso_published(iso)
        except BeritaError:  # e.g. a part of the day, '2023-05-04TMO': keep the day
            return iso[:10]
    return None


def _published(value: Any) -> tuple[str | None, str | None]:
    """A batch record's ``published`` as ``(ISO value, warning)``. ISO strings, dates and
    datetimes are taken as :func:`beritanlp.analyze` takes them; other strings are read with the
    dates component (``3 Juli 2017``, ``10/21/2025 18:49``, ``Rabu, 18 Jun 2025 07:30 WIB``);
    anything else gives ``None`` and a warning, and the record is analysed without it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        return _iso_published(value), None
    except BeritaError:
        pass
    if isinstance(value, str):
        found = _date_in_text(value.strip()[:200])
        if found is not None:
            return found, None
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    return None, f"published={shown} is not a date beritanlp can read; analysed without it"


def _record_id(record: Mapping[str, Any], fields: FieldMap, position: int) -> str:
    raw_id = record.get(fields.id)
    return str(position) if raw_id is None or raw_id == "" else str(raw_id)


def _read_item(
    record: Mapping[str, Any], fields: FieldMap, position: int
) -> tuple[dict[str, Any] | Rejected, tuple[tuple[str, str], ...]]:
    """An input record as an item for :func:`analyze_many`, and its warnings."""
    item_id = _record_id(record, fields, position)
    if fields.text not in record:
        return Rejected(item_id, "MissingField", f"the record has no {fields.text!r} field"), ()
    published, problem = _published(record.get(fields.published))
    item = {
        "id": item_id,
        "text": record[fields.text],
        "title": record.get(fields.title) or None,
        "published": published,
        "url": record.get(fields.url) or None,
    }
    return item, ((("UnparsedPublished", problem),) if problem else ())


def _item(record: Mapping[str, Any], fields: FieldMap, position: int) -> dict[str, Any] | Rejected:
    return _read_item(record, fields, position)[0]


# -- checking an input before the run ----------------------------------------------------------
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
    with _open_binary(path) as handle:
        try:
            for _, line, problem in _jsonl_lines(handle):
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


def _check_input(path: Path, kind: str, fields: FieldMap) -> None:
    """Fail at once, before anything is written, when the input cannot be read as ``kind``
    (:class:`InputReadError`) or lacks a field the run needs (:class:`ConfigError`, naming
    the columns it has)."""
    try:
        if kind == "parquet":
            pq = require("pyarrow.parquet")
            _check_columns(path, list(pq.ParquetFile(path).schema_arrow.names), fields)
        elif kind == "csv":
            with _open_text(path, lenient=True) as handle:
                header = next(csv.reader(handle, delimiter=_delimiter(path)), None)
            if header is not None:  # an empty file is an empty input
                _check_columns(path, header, fields)
        else:
            _check_jsonl(path, fields)
    except BeritaError:
        raise
    except Exception as exc:
        raise InputReadError(f"cannot read {path} as {kind}: {_describe(exc)}") from exc


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    text = re.sub(r"^\[E\d{3}\] ", "", text)
    return f"{type(exc).__name__}: {text}"


def iter_input(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    fields: FieldMap = FieldMap(),
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
    _check_input(path, kind, fields)
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
        raise InputReadError(f"cannot read {path} {where}: {_describe(exc)}") from exc


def _jsonl_lines(handle: Any) -> Iterator[tuple[int, str, UnicodeDecodeError | None]]:
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


def _iter_jsonl(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    position = 0
    with _open_binary(path) as handle:
        for line_no, line, problem in _jsonl_lines(handle):
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
                        item, warnings = _read_item(record, fields, position)
                    else:
                        item = Rejected(
                            str(position),
                            "NotAnObject",
                            f"line {line_no} is JSON {type(record).__name__}, not an object",
                        )
            yield InputRecord(position, line_no, item, warnings)
            position += 1


def _delimiter(path: Path) -> str:
    return "\t" if str(path).lower().removesuffix(".gz").endswith(".tsv") else ","


def _iter_csv(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    used = (fields.id, fields.text, fields.title, fields.published, fields.url)
    with _open_text(path, lenient=True) as handle:
        reader = csv.DictReader(handle, delimiter=_delimiter(path))
        position = 0
        start_line = 2  # line 1 is the header
        for row in reader:
            line_no, start_line = start_line, reader.line_num + 1
            if position >= skip:
                warnings: tuple[tuple[str, str], ...] = ()
                item: Mapping[str, Any] | Rejected
                bad = [
                    name
                    for name in used
                    if isinstance(row.get(name), str) and _NOT_UTF8.search(row[name])
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
                    item, warnings = _read_item(row, fields, position)
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
                item, warnings = _read_item(row, fields, position)
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
            csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
            with _open_text(path, lenient=True) as handle:
                rows = sum(1 for _ in csv.reader(handle, delimiter=_delimiter(path)))
            return max(0, rows - 1)
        with _open_binary(path) as handle:
            return sum(1 for _ in _jsonl_lines(handle))
    except BeritaError:
        raise
    except Exception as exc:
        raise InputReadError(f"cannot read {path}: {_describe(exc)}") from exc


# ----------------------------------------------------------------------------------------------
# resumable output
# ----------------------------------------------------------------------------------------------
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


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover  (platforms without directory fds)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` then fsync and rename over ``path``."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class _ArchiveLock:
    """``OUTPUT/_lock``: one writer per archive directory.

    An exclusive ``flock`` on the file, held for the whole run: the kernel drops it when the
    holder's process ends, however it ends, so the lock of a dead run is never stale (the file
    itself stays, holding the last writer's pid and host for the message). Forked workers close
    their inherited copy (``_INHERITED_FDS``), so they never keep it. Without ``fcntl``
    (Windows) there is no lock, and a warning is logged. On a network filesystem ``flock`` is
    only as good as the filesystem's locking.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LOCK
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            logger.warning("no lock on %s: this platform has no flock", self.root)
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._holder(fd)
            os.close(fd)
            raise ArchiveLockedError(
                f"{self.root} is being written by another process (pid {holder.get('pid', '?')}"
                f" on {holder.get('host', '?')}, since {holder.get('started', '?')}); a second "
                f"run would overwrite its work. Wait for it to end or stop it, then --resume"
            ) from None
        import socket

        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        self.fd = fd
        _INHERITED_FDS.add(fd)

    @staticmethod
    def _holder(fd: int) -> dict[str, Any]:
        try:
            data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def release(self) -> None:
        if self.fd is not None:
            _INHERITED_FDS.discard(self.fd)
            os.close(self.fd)  # drops the flock; the file stays (unlinking it would race)
            self.fd = None


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read {path}: {_describe(exc)}; the archive is damaged: use a new OUTPUT "
            f"or --force to start over"
        ) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("identity"), dict):
        raise ConfigError(f"{path} is not a beritanlp manifest; use a new OUTPUT or --force")
    return manifest


_SIDE_FILES = ((ERRORS, "errors_bytes"), (WARNINGS, "warnings_bytes"), (IDS, "ids_bytes"))


class _Archive:
    """An output directory: part files, ``_errors.jsonl``, ``_warnings.jsonl``, ``_ids`` (8-byte
    hashes of the ids read, to count duplicates across resumed runs), ``_manifest.json`` and
    ``_lock``. The side files are appended and fsynced before the part; the manifest, replaced
    atomically last, records their committed sizes: it is the commit point."""

    def __init__(self, root: Path, fmt: str, identity: dict[str, Any], resume: bool, force: bool):
        self.root = root
        self.fmt = fmt
        self.manifest: dict[str, Any]
        existing = root / MANIFEST
        if root.exists() and not root.is_dir():
            raise ConfigError(f"{root} exists and is not a directory (the output is a directory)")
        ours = self._our_files()
        if root.is_dir() and any(root.iterdir()) and not ours:
            raise ConfigError(f"{root} exists and is not a beritanlp archive; choose another")
        root.mkdir(parents=True, exist_ok=True)
        self.lock = _ArchiveLock(root)
        self.lock.acquire()
        try:
            self._open(existing, identity, resume, force)
        except BaseException:
            self.lock.release()
            raise

    def _open(self, existing: Path, identity: dict[str, Any], resume: bool, force: bool) -> None:
        root = self.root
        if resume and existing.is_file():
            manifest = _read_manifest(existing)
            if manifest.get("identity") != identity:
                old = dict(manifest.get("identity") or {})
                stopped = (manifest.get("stopped") or {}).get("reason")
                if stopped == "input_error" and {**old, "input_size": None} == {
                    **identity,
                    "input_size": None,
                }:
                    # the last run stopped on a read error; the input was fixed (re-downloaded,
                    # so its size changed): the records before the error stay committed
                    logger.warning(
                        "resume: %s changed size since the read error (%s → %s bytes)",
                        identity["input"],
                        old.get("input_size"),
                        identity["input_size"],
                    )
                    manifest["identity"] = identity
                else:
                    raise ConfigError(
                        f"cannot resume {root}: it was started with different input or options "
                        f"({manifest.get('identity')}); use a new OUTPUT or --force to start over"
                    )
            self.manifest = manifest
            self._upgrade()
            self._recover()
            return
        ours = [p for p in self._our_files() if p.name != LOCK]
        if ours and not (force or resume):
            raise ConfigError(
                f"{root} already holds an archive: pass --resume to continue it or --force "
                f"to start over"
            )
        for path in ours:
            path.unlink()
        self.manifest = {
            "manifest_version": _MANIFEST_VERSION,
            "identity": identity,
            "next_position": 0,
            "next_part": 0,
            "errors_bytes": 0,
            "warnings_bytes": 0,
            "ids_bytes": 0,
            "counts": {"read": 0, "written": 0, "failed": 0, "warnings": 0, "warning_kinds": {}},
            "chunks": [],
            "complete": False,
        }
        for name, _ in _SIDE_FILES:
            (root / name).write_bytes(b"")
        self.save()  # an archive always has a manifest, even before its first chunk

    def _upgrade(self) -> None:
        """Fill in what manifests written before warnings and id hashes lack."""
        manifest = self.manifest
        manifest.setdefault("warnings_bytes", 0)
        counts = manifest.setdefault("counts", {})
        counts.setdefault("warnings", 0)
        counts.setdefault("warning_kinds", {})
        if "ids_bytes" not in manifest:
            if manifest.get("next_position", 0):
                logger.warning(
                    "resume: %s has no id hashes (an older archive): duplicate ids are counted "
                    "only among the records from position %d on",
                    self.root,
                    manifest["next_position"],
                )
            manifest["ids_bytes"] = 0
            (self.root / IDS).write_bytes(b"")
            manifest["ids_from"] = manifest.get("next_position", 0)

    def _our_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        names = {MANIFEST, LOCK, *(name for name, _ in _SIDE_FILES)}
        return [
            p
            for p in self.root.iterdir()
            if _PART_RE.match(p.name)
            or p.name in names
            or (p.name.startswith(".") and p.name.endswith(".tmp"))
        ]

    def _recover(self) -> None:
        """Undo whatever a killed run left after its last committed manifest."""
        next_part = self.manifest["next_part"]
        for path in self.root.iterdir():
            match = _PART_RE.match(path.name)
            if (match and int(match.group(1)) >= next_part) or (
                path.name.startswith(".") and path.name.endswith(".tmp")
            ):
                logger.info("resume: removing uncommitted %s", path.name)
                path.unlink()
        for name, key in _SIDE_FILES:
            with open(self.root / name, "ab") as handle:
                handle.truncate(self.manifest[key])
                os.fsync(handle.fileno())

    def seen_ids(self) -> set[int]:
        """The id hashes of the committed records."""
        data = (self.root / IDS).read_bytes()[: self.manifest["ids_bytes"]]
        return {int.from_bytes(data[i : i + 8], "little") for i in range(0, len(data), 8)}

    def _append(self, name: str, key: str, data: bytes) -> int:
        """Append ``data`` to a side file after its committed size; fsync; the new size."""
        committed = self.manifest[key]
        with open(self.root / name, "ab") as handle:
            handle.truncate(committed)
            handle.seek(committed)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            return handle.tell()

    def commit(
        self,
        start: int,
        end: int,
        rows: list[Any],
        errors: list[str],
        warnings: list[tuple[str, str]] = (),  # type: ignore[assignment]
        ids: list[int] = (),  # type: ignore[assignment]
    ) -> None:
        """Commit records [start, end): side files appended (fsync), part written atomically,
        then the manifest replaced atomically — the manifest is the commit point.
        ``warnings`` are ``(kind, JSON line)``; ``ids`` the records' id hashes."""
        manifest = copy.deepcopy(self.manifest)  # becomes self.manifest once it is on disk
        sizes = {
            "errors_bytes": self._append(ERRORS, "errors_bytes", "".join(errors).encode("utf-8")),
            "warnings_bytes": self._append(
                WARNINGS, "warnings_bytes", "".join(line for _, line in warnings).encode("utf-8")
            ),
            "ids_bytes": self._append(
                IDS, "ids_bytes", b"".join(key.to_bytes(8, "little") for key in ids)
            ),
        }
        number = manifest["next_part"]
        part = self.root / f"part-{number:05d}.{self.fmt}"
        if self.fmt == "parquet":
            pq = require("pyarrow.parquet")
            table = to_arrow(rows)
            _write_atomic(part, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
        else:
            data = "".join(
                row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) + "\n"
                for row in rows
            )
            _write_atomic(part, lambda tmp: tmp.write_bytes(data.encode("utf-8")))
        counts = manifest["counts"]
        counts["read"] += end - start
        counts["written"] += len(rows)
        counts["failed"] += len(errors)
        counts["warnings"] += len(warnings)
        kinds = counts["warning_kinds"]
        for kind, _ in warnings:
            kinds[kind] = kinds.get(kind, 0) + 1
        manifest["chunks"].append(
            {
                "part": part.name,
                "start": start,
                "end": end,
                "written": len(rows),
                "failed": len(errors),
                "warnings": len(warnings),
            }
        )
        manifest["next_position"] = end
        manifest["next_part"] = number + 1
        manifest.update(sizes)
        self.save(manifest)

    def save(self, manifest: dict[str, Any] | None = None, **changes: Any) -> None:
        """Write ``manifest`` (default: the current one) with ``changes`` (``None`` removes a
        key) atomically, then make it the current one. The current manifest is only ever
        replaced whole, after it is on disk: an interrupt (SIGINT/SIGTERM raise in the main
        thread at any point) can never leave a half-updated manifest to be saved later."""
        new = copy.deepcopy(self.manifest) if manifest is None else manifest
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        text = json.dumps(new, ensure_ascii=False, indent=1)
        _write_atomic(self.root / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        _fsync_dir(self.root)
        self.manifest = new

    def close(self) -> None:
        self.lock.release()


def _encode(result: Result, *, tokens: bool, as_json: bool) -> Any:
    """A result as an archive row: a JSON line (``as_json``) or a dict; errors as dicts."""
    if result.article is None:
        return result.to_dict()
    row = result.to_dict(tokens=tokens)
    row["id"] = str(row["id"])
    return json.dumps(row, ensure_ascii=False) + "\n" if as_json else row


def output_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The archive format: ``fmt``, else ``parquet`` for a name ending in ``.parquet``, else
    the format recorded in an existing archive, else ``jsonl``."""
    if fmt:
        if fmt not in ARCHIVE_FORMATS:
            raise ConfigError(f"output format must be one of {ARCHIVE_FORMATS}, got {fmt!r}")
        return fmt
    if str(path).lower().endswith((".parquet", ".pq")):
        return "parquet"
    manifest = Path(path) / MANIFEST
    if manifest.is_file():
        return str(_read_manifest(manifest)["identity"].get("format", "jsonl"))
    return "jsonl"


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
    fields: FieldMap = FieldMap(),
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
    _check(n_process, batch_size, "record", max_length, record_timeout)
    input_path = Path(input_path)
    if not input_path.is_file():
        raise ConfigError(f"cannot read {input_path}: no such file")
    root = Path(output)
    kind = input_format(input_path, input_fmt)
    out_fmt = output_format(root, fmt)
    if out_fmt == "parquet" or kind == "parquet":
        require("pyarrow")
    _check_input(input_path, kind, fields)
    identity = {
        "input": str(input_path.resolve()),
        "input_size": input_path.stat().st_size,
        "input_format": kind,
        "format": out_fmt,
        "fields": [fields.id, fields.text, fields.title, fields.published, fields.url],
        "tokens": tokens,
        "max_length": max_length,
    }
    archive = _Archive(root, out_fmt, identity, resume, force)
    try:
        options = (n_process, batch_size, chunk_size, limit, tokens, max_length, record_timeout)
        return _annotate(archive, input_path, kind, fields, progress, *options)
    finally:
        archive.close()


def _annotate(
    archive: _Archive,
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
    stream = _stream(items(), n_process, batch_size, "record", max_length, encode, record_timeout)
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
        detail = re.sub(r"^\[E\d{3}\] ", "", str(exc))
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
            "message": "interrupted (Ctrl-C or SIGTERM)" if interrupted else _describe(exc),
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


# ----------------------------------------------------------------------------------------------
# reading archives back
# ----------------------------------------------------------------------------------------------
def _parts(root: Path) -> list[Path]:
    parts = [p for p in root.iterdir() if _PART_RE.match(p.name)]
    manifest = root / MANIFEST
    if manifest.is_file():  # only committed parts
        committed = {c["part"] for c in json.loads(manifest.read_text("utf-8"))["chunks"]}
        parts = [p for p in parts if p.name in committed]
    return sorted(parts, key=lambda p: int(_PART_RE.match(p.name).group(1)))  # type: ignore[union-attr]


def read_archive(
    path: str | os.PathLike[str], *, columns: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The article records of an archive directory (or of one ``.jsonl``/``.parquet`` file),
    in input order. ``columns`` limits what is read from Parquet (JSON lines are read whole)."""
    root = Path(path)
    files = _parts(root) if root.is_dir() else [root]
    for file in files:
        if file.suffix == ".parquet" or file.name.endswith(".pq"):
            pq = require("pyarrow.parquet")
            table = pq.read_table(file, columns=columns, schema=arrow_schema())
            for batch in table.to_batches(max_chunksize=1024):
                for row in batch.to_pylist():
                    yield _from_arrow_row(row)
        else:
            with _open_text(file) as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)


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
