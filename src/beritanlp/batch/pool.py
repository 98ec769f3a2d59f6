"""``n_process > 1``: a pool of worker processes (:class:`Pool`), each annotating one batch
at a time, with the per-record time budget, dead-worker detection and parent-death handling."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import BatchWorkerError, ConfigError
from .entries import Encoder, Entry, OnError, emit, timed_out
from .lifetime import answer_parent, bind_to_parent
from .local import annotate_entries, pipeline, warm
from .results import Result

__all__ = ["INHERITED_FDS", "Pool"]

logger = logging.getLogger(__name__)

#: File descriptors a forked worker must close (the archive lock of the parent, registered by
#: :class:`~beritanlp.batch.lock.ArchiveLock`), so that a worker never keeps an output
#: directory locked.
INHERITED_FDS: set[int] = set()


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
    bind_to_parent(parent_pid, pdeathsig=pdeathsig)
    parent_end.close()
    for fd in list(INHERITED_FDS):  # the archive lock stays the parent's alone
        try:
            os.close(fd)
        except OSError:
            pass
    INHERITED_FDS.clear()
    # one BLAS thread per worker: the workers already fill the cores (the NER uses BLAS); a
    # worker process is ours alone, so a process-wide limit is right here
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    try:
        warm(pipeline(max_length))  # forked: both no-ops
    except Exception as exc:  # e.g. a damaged model (spawned workers load it themselves)
        conn.send(("failed", _picklable(exc)))
        return
    # the parent starts a task's clock only after this: start-up is not a record's time
    conn.send(("ready", None))

    def answer(message: tuple[int, Any]) -> tuple[int, Any, BaseException | None]:
        task_id, batch = message
        try:
            return (task_id, _work(batch, batch_size, max_length, encode, want_exc), None)
        except Exception as exc:  # pragma: no cover - annotate_entries makes errors results
            return (task_id, None, _picklable(exc))

    answer_parent(conn, answer)


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
    nlp = pipeline(max_length)
    entries = [Entry(index, item_id, text, context) for index, item_id, text, context in batch]
    out = []
    for entry, result in annotate_entries(nlp, entries, batch_size):
        exc = _picklable(entry.exc) if want_exc and entry.exc is not None else None
        payload = encode(result) if encode is not None else result
        out.append((payload, result.error is not None, exc))
    return out


@dataclass(slots=True)
class _Slot:
    """One input batch, in input order: its entries and, per valid entry, its outcome."""

    entries: list[Entry]
    missing: int
    done: dict[int, tuple[Any, bool, BaseException | None]] = field(default_factory=dict)
    broken: BaseException | None = None


@dataclass(slots=True)
class _Task:
    """Valid entries of one slot sent to one worker together."""

    slot: _Slot
    entries: list[Entry]


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


class Pool:
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

    def run(self, entries: Iterable[Entry], on_error: OnError) -> Iterator[tuple[Any, bool]]:
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

    def _emit(self, entry: Entry, slot: _Slot, on_error: OnError) -> tuple[Any, bool]:
        encode = self.args[2]
        if entry.index not in slot.done:  # invalid before the pipeline
            result = Result(entry.id, None, entry.error)
            return emit(entry, result, on_error, encode), True
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
        result = timed_out(entry, self.timeout, "its worker process was stopped and replaced")
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
