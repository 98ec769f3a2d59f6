"""``n_process=1``: the records run in this process, in groups of ``batch_size``, each group
within the time budget of a ``SIGALRM`` timer (:class:`Alarm`)."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .entries import Encoder, Entry, OnError, emit, timed_out
from .local import annotate_entries
from .results import Result

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["Alarm", "AlarmTimeout", "run_serial"]

logger = logging.getLogger(__name__)


class AlarmTimeout(BaseException):
    """Raised by :class:`Alarm` inside the pipeline. A BaseException, so that neither spaCy's
    nor :func:`~beritanlp.batch.local.annotate_entries`' ``except Exception`` take it for a
    record's error."""


class Alarm:
    """The per-record time budget with ``n_process=1``: a ``SIGALRM`` timer (``setitimer``).

    Design: there is no worker to kill, and a thread cannot be stopped, so the budget is a timer
    whose handler raises :class:`AlarmTimeout` in the pipeline code. Python code and regular
    expressions (``re`` checks for signals while it matches) are interrupted, which covers the
    super-linear shapes seen in components; a single C call that never returns to Python (a
    BLAS product, a spaCy Cython loop) is not, so for a hard guarantee run ``n_process >= 2``,
    where the parent kills the worker. The timer needs the main thread and a free ``SIGALRM``:
    when called from another thread (Dask workers, a web server's threads), on a platform
    without ``setitimer``, or when the caller already uses ``SIGALRM``, the budget is not
    enforced in-process (logged once at INFO) — records then run to the end. The handler is
    installed for the run only; :meth:`close` puts the previous one back.
    """

    _warned = False

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self.previous = signal.getsignal(signal.SIGALRM)
        signal.signal(signal.SIGALRM, self._handler)

    @classmethod
    def create(cls, seconds: float | None) -> Alarm | None:
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
            raise AlarmTimeout()

    def run(self, work: Callable[[], Any]) -> Any:
        """``work()`` within the budget; raises :class:`AlarmTimeout` when it runs over."""
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


def run_serial(
    nlp: Language,
    entries: Iterable[Entry],
    batch_size: int,
    on_error: OnError,
    encode: Encoder | None,
    timeout: float | None,
) -> Iterator[tuple[Any, bool]]:
    """``(payload, failed)`` per entry, in order: groups of ``batch_size`` entries through
    :func:`~beritanlp.batch.local.annotate_entries`, each group within ``timeout`` seconds. A
    group over it is re-run one record at a time, each with the whole budget, so only a record
    that alone takes longer fails (``RecordTimeoutError``)."""
    from itertools import islice

    alarm = Alarm.create(timeout)
    iterator = iter(entries)
    try:
        while group := list(islice(iterator, batch_size)):
            if alarm is None:
                done = list(annotate_entries(nlp, group, batch_size))
            else:
                done = _timed_group(nlp, group, batch_size, alarm)
            for entry, result in done:
                yield emit(entry, result, on_error, encode), result.error is not None
    finally:
        if alarm is not None:
            alarm.close()


def _timed_group(
    nlp: Language, group: list[Entry], batch_size: int, alarm: Alarm
) -> list[tuple[Entry, Result]]:
    def annotated(entries: list[Entry]) -> Callable[[], list[tuple[Entry, Result]]]:
        return lambda: list(annotate_entries(nlp, entries, batch_size))

    try:
        return alarm.run(annotated(group))  # type: ignore[no-any-return]
    except AlarmTimeout:
        if len(group) > 1:
            logger.info(
                "a batch of %d records ran over record_timeout: re-run one by one", len(group)
            )
    done: list[tuple[Entry, Result]] = []
    for entry in group:
        if len(group) > 1:
            try:
                done.extend(alarm.run(annotated([entry])))
                continue
            except AlarmTimeout:
                pass
        logger.warning("record %r ran over record_timeout=%g s", entry.id, alarm.seconds)
        done.append((entry, timed_out(entry, alarm.seconds, "it was interrupted")))
    return done
