"""The service's analysis workers: ``--workers`` processes, each loading the pipeline once and
analysing one article at a time, fed through a pipe of its own.

Processes, not threads: threads share one GIL (two threads analyse no faster than one), and a
thread cannot be stopped, so an article over ``--timeout`` would keep its thread busy until it
ends. A worker over the limit is killed and a new one started in the background; the request
gets a 504 at once. Not :mod:`concurrent.futures`: its process pool cannot stop one task's
process (killing a worker breaks the whole pool), which is what the batch pool found too
(``beritanlp.batch.pool``). Each worker is driven by a thread of the server process that
sends an article, waits on the pipe with the deadline and takes back the article's JSON, so
the event loop never blocks and the server process parses nothing: the worker returns
``Article.to_dict()`` already encoded.

Workers are started with ``spawn`` (a fresh interpreter): forking a process that runs an event
loop and threads is unsafe. They ignore SIGINT and SIGTERM (the server decides when they stop:
idle ones are told to exit after the graceful shutdown) and end with the server even when it
is killed (:func:`beritanlp.batch.lifetime.bind_to_parent`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from .errors import ServiceError
from .metrics import Metrics

__all__ = ["LOG_FORMAT", "Done", "Job", "WorkerPool", "to_json"]

log = logging.getLogger("beritanlp.server")

#: The log format of ``beritanlp serve``, in the server process and its workers alike.
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

#: Longest wait for a worker to load the pipeline (a cold disk can take a minute).
START_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class Job:
    """One article to analyse (the fields of ``analyze()``)."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    tokens: bool = False


@dataclass(frozen=True, slots=True)
class Done:
    """An analysed article: its ``to_dict()`` as UTF-8 JSON, and its token count."""

    body: bytes
    tokens: int


class _Expired(Exception):
    """The worker ran over the time limit and was killed."""


def to_json(value: Any) -> bytes:
    # what Starlette's JSONResponse writes: UTF-8, compact, no NaN
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


#: Errors of the input, which the caller can fix: 422. Other library errors (a damaged model
#: or data file) are the server's: 500.
_CLIENT_ERRORS = ("InputTypeError", "InputDecodeError", "ConfigError")


def _analyze(job: Job, max_chars: int) -> tuple[Any, ...]:
    """In a worker: ``("ok", body, tokens)`` or ``("error", status, error_type, message)``."""
    from ..api import analyze
    from ..errors import InputTooLongError

    try:
        article = analyze(
            job.text, title=job.title, published=job.published, url=job.url, max_length=max_chars
        )
        return ("ok", to_json(article.to_dict(tokens=job.tokens)), len(article.tokens))
    except InputTooLongError as exc:
        return ("error", 413, type(exc).__name__, str(exc))
    except Exception as exc:  # reported for this article; the worker goes on
        if type(exc).__name__ in _CLIENT_ERRORS:
            return ("error", 422, type(exc).__name__, str(exc))
        log.exception("analysis failed")
        return ("error", 500, type(exc).__name__, str(exc))


#: The warm-up article of a worker: it takes the pipeline through its lazily loaded resources
#: (dateline and date patterns, gazetteer, stems, quotes) and must succeed before the worker
#: says it is ready.
_WARM_UP = (
    "Presiden berjanji membangun jalan\n"
    "Jakarta (ANTARA) - Presiden meresmikan jalan tol di Jawa Barat pada Senin (4/5/2023). "
    '"Pembangunan akan dilanjutkan," kata Presiden kepada wartawan.'
)


def _worker_main(conn: Any, parent_pid: int, pdeathsig: bool, max_chars: int) -> None:
    """A worker process: load the pipeline, say ``ready``, then answer jobs until ``None``."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    from ..batch.lifetime import answer_parent, bind_to_parent

    bind_to_parent(parent_pid, pdeathsig=pdeathsig)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        from ..api import analyze

        # not batch.local.warm, which forgives a failure: a worker that cannot analyse the
        # warm-up article must not say it is ready
        from ..inputs import DEFAULT_MAX_LENGTH

        # the pipeline the jobs will use: the one for texts up to max(max_chars, default)
        analyze(_WARM_UP, published="2023-05-04", max_length=max(max_chars, DEFAULT_MAX_LENGTH))
    except Exception as exc:  # e.g. a damaged model
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    # one BLAS thread (the NER's matrix products), as in the batch pool. One article at a
    # time gains little from a second: measured in-process, 22-24 ms against 23-26 ms per
    # article for twice the CPU (the threads spin); in the server under load, a lone worker
    # with 2 threads on 2 cores took 71-77 ms of CPU per article against 38-42 ms with one,
    # for no more articles/s; 2 workers x 2 threads had half the throughput of 2 x 1
    # (benchmarks/bench_server.py). Set after the pipeline is loaded: threadpoolctl limits the
    # libraries loaded by then, and a spawned worker loads numpy's BLAS with the pipeline
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    conn.send(("ready", os.getpid()))
    answer_parent(conn, lambda job: _analyze(job, max_chars))


class _Worker:
    """The server's end of one worker process. Its blocking methods run in pool threads."""

    def __init__(self, context: Any, max_chars: int) -> None:
        self.conn, child = context.Pipe()
        # the kernel's parent-death signal follows the thread that started the process: only
        # right for the main thread (the event loop's), which lives as long as the server
        pdeathsig = threading.current_thread() is threading.main_thread()
        self.process = context.Process(
            target=_worker_main,
            args=(child, os.getpid(), pdeathsig, max_chars),
            daemon=True,
            name="beritanlp-analyze",
        )
        self.process.start()
        child.close()

    def wait_ready(self, seconds: float) -> None:
        try:
            if not self.conn.poll(seconds):
                raise RuntimeError(f"the worker did not load the pipeline in {seconds:g} s")
            kind, detail = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise RuntimeError(
                f"the worker exited ({self.process.exitcode}) while loading the pipeline"
            ) from None
        if kind != "ready":
            raise RuntimeError(f"the worker failed to load the pipeline: {detail}")

    def call(self, job: Job, timeout: float | None) -> tuple[Any, ...]:
        """The worker's reply; :class:`_Expired` (and the worker killed) after ``timeout`` s,
        ``EOFError``/``OSError`` if it died."""
        self.conn.send(job)
        if not self.conn.poll(timeout):
            self.kill()
            raise _Expired
        reply: tuple[Any, ...] = self.conn.recv()
        return reply

    def alive(self) -> bool:
        """Running, with its pipe open. Only asked between jobs, when the worker has nothing
        to say: a readable pipe then means its end closed (the process died, even when it
        is not reaped yet and ``is_alive()`` still says so)."""
        try:
            return self.process.is_alive() and not self.conn.poll(0)
        except (OSError, ValueError):  # the pipe is closed on our side
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Tell an idle worker to exit; kill it if it does not within 5 s."""
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(5)
        if self.process.is_alive():  # pragma: no cover - a worker that ignored its stop
            self.process.kill()
            self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes; :meth:`run` analyses one :class:`Job` on the next idle one.

    Jobs wait for a worker in arrival order (a queue of idle workers); the
    service bounds how many requests may wait (``--max-queue``). ``timeout`` limits one
    analysis, from the moment its worker gets it (not the wait before).
    """

    def __init__(self, size: int, max_chars: int, timeout: float | None, metrics: Metrics) -> None:
        self.size, self.max_chars, self.timeout, self.metrics = size, max_chars, timeout, metrics
        self.context = multiprocessing.get_context("spawn")
        # one driver thread per busy worker, plus room for workers being started
        self.threads = ThreadPoolExecutor(2 * size + 1, thread_name_prefix="beritanlp-worker")
        # the worker that finished last goes first (its memory is the warmest); jobs still wait
        # in arrival order
        self.idle: asyncio.LifoQueue[_Worker] = asyncio.LifoQueue()
        self.ready: set[_Worker] = set()  # started and not dead: idle or busy
        self.restarts: set[asyncio.Task[None]] = set()
        self.starting: set[_Worker] = set()  # replacements loading the pipeline
        self.closing = False

    @property
    def live(self) -> int:
        """Workers that can take a job (idle or busy), not counting replacements starting."""
        return len(self.ready)

    def _new(self) -> _Worker:
        return _Worker(self.context, self.max_chars)

    def _add(self, worker: _Worker) -> None:
        self.ready.add(worker)
        self.metrics.workers.set(len(self.ready))
        self.idle.put_nowait(worker)

    async def start(self) -> None:
        """Start every worker and wait until each has loaded the pipeline; raise if one fails."""
        loop = asyncio.get_running_loop()
        workers = [self._new() for _ in range(self.size)]
        try:
            await asyncio.gather(
                *(loop.run_in_executor(self.threads, w.wait_ready, START_TIMEOUT) for w in workers)
            )
        except BaseException:
            for worker in workers:
                worker.kill()
            raise
        for worker in workers:
            self._add(worker)

    async def run(self, job: Job) -> Done:
        """Analyse ``job``; :class:`ServiceError` for a bad input, a timeout or a dead worker."""
        worker = await self.idle.get()
        while not worker.alive():  # died while idle (the OOM killer): replace it, take another
            self._lost(worker)
            worker = await self.idle.get()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.threads, worker.call, job, self.timeout)
        # the worker goes back (or is replaced) when its call ends, even if this request is
        # cancelled meanwhile (its client went away): shield keeps the call running
        future.add_done_callback(lambda done: self._release(worker, done))
        try:
            reply = await asyncio.shield(future)
        except _Expired:
            raise ServiceError(
                504,
                "Timeout",
                f"analysis took longer than --timeout={self.timeout:g}s; its worker process "
                "was stopped and is being replaced",
            ) from None
        except (EOFError, OSError):
            raise ServiceError(
                500,
                "WorkerDied",
                "the worker process analysing this article died (killed, or out of memory?); "
                "it is being replaced",
            ) from None
        if reply[0] == "ok":
            return Done(reply[1], reply[2])
        _, status, error_type, message = reply
        raise ServiceError(status, error_type, message)

    def _release(self, worker: _Worker, done: asyncio.Future[Any]) -> None:
        if not done.cancelled() and done.exception() is None and worker.alive():
            if self.closing:  # shutting down: nothing more will be asked of it
                self._in_thread(worker.stop)
            else:
                self.idle.put_nowait(worker)
            return
        self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        """``worker`` was killed or died: count it out and start a replacement."""
        self.ready.discard(worker)
        self.metrics.workers.set(len(self.ready))
        self._in_thread(worker.kill)  # reap it (it may still be dying)
        if not self.closing:
            task = asyncio.ensure_future(self._replace())
            self.restarts.add(task)
            task.add_done_callback(self.restarts.discard)

    def _in_thread(self, call: Callable[[], None]) -> None:
        """Run a blocking ``call`` (a join) off the event loop."""
        asyncio.get_running_loop().run_in_executor(None, call)

    async def _replace(self) -> None:
        """Start a worker in place of a dead one; retry with a growing pause if it fails."""
        loop = asyncio.get_running_loop()
        pause = 1.0
        while not self.closing:
            worker = self._new()
            self.starting.add(worker)
            try:
                await loop.run_in_executor(self.threads, worker.wait_ready, START_TIMEOUT)
            except Exception as exc:
                if self.closing:
                    return
                worker.kill()
                log.error("a replacement worker failed to start: %s; retry in %g s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(2 * pause, 60.0)
                continue
            finally:
                self.starting.discard(worker)
            if self.closing:
                await loop.run_in_executor(self.threads, worker.stop)
                return
            self.metrics.restarts.inc()
            log.info("a replacement worker is ready (pid %s)", worker.process.pid)
            self._add(worker)
            return

    async def close(self) -> None:
        """Stop the idle workers and kill the others (the graceful shutdown has already let
        the requests in flight finish, or given up on them); return when all have ended."""
        self.closing = True
        loop = asyncio.get_running_loop()
        for worker in list(self.starting):  # their wait for "ready" ends at once
            worker.process.kill()
        for task in list(self.restarts):
            task.cancel()
        stopping = []
        while not self.idle.empty():
            worker = self.idle.get_nowait()
            self.ready.discard(worker)
            stopping.append(loop.run_in_executor(self.threads, worker.stop))
        for worker in list(self.ready):  # busy: their calls end with an error
            worker.process.kill()
        await asyncio.gather(*stopping)
        await loop.run_in_executor(None, self.threads.shutdown)

    def kill_all(self) -> None:
        """Kill every worker process at once (the server is exiting without a clean stop)."""
        for worker in [*self.ready, *self.starting]:
            if worker.alive():
                worker.process.kill()
