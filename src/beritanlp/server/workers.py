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


def _analyze(job: Job, max_chars: int) -> tuple[Any, ...]:
    """In a worker: ``("ok", body, tokens)`` or ``("error", status, error_type, message)``."""
    from ..api import analyze
    from ..errors import BeritaError, InputTooLongError

    try:
        article = analyze(
            job.text, title=job.title, published=job.published, url=job.url, max_length=max_chars
        )
        return ("ok", to_json(article.to_dict(tokens=job.tokens)), len(article.tokens))
    except InputTooLongError as exc:
        return ("error", 413, type(exc).__name__, str(exc))
    except BeritaError as exc:  # bad input the caller can fix (a date that is not a date)
        return ("error", 422, type(exc).__name__, str(exc))
    except Exception as exc:  # a bug: reported for this article, the worker goes on
        log.exception("analysis failed")
        return ("error", 500, type(exc).__name__, str(exc))


def _worker_main(conn: Any, parent_pid: int, pdeathsig: bool, max_chars: int) -> None:
    """A worker process: load the pipeline, say ``ready``, then answer jobs until ``None``."""
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    from ..batch.lifetime import bind_to_parent

    bind_to_parent(parent_pid, pdeathsig=pdeathsig)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        from ..batch.local import pipeline, warm

        warm(pipeline(max_chars))  # the pipeline and its lazily loaded resources
    except Exception as exc:  # e.g. a damaged model
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    # made after the pipeline is loaded: threadpoolctl sees the libraries loaded by then (a
    # spawned worker loads numpy's BLAS with the pipeline)
    from threadpoolctl import ThreadpoolController

    controller, threads = ThreadpoolController(), 0
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            break
        if message is None:
            break
        job, wanted = message
        if wanted != threads:
            controller.limit(limits=wanted)
            threads = wanted
        try:
            conn.send(_analyze(job, max_chars))
        except (BrokenPipeError, OSError):
            break


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

    def call(self, job: Job, threads: int, timeout: float | None) -> tuple[Any, ...]:
        """The worker's reply (analysed with ``threads`` BLAS threads); :class:`_Expired` (and
        the worker killed) after ``timeout`` s, ``EOFError``/``OSError`` if it died."""
        self.conn.send((job, threads))
        if not self.conn.poll(timeout):
            self.kill()
            raise _Expired
        reply: tuple[Any, ...] = self.conn.recv()
        return reply

    def alive(self) -> bool:
        return self.process.is_alive()

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
        self.cores = os.cpu_count() or 1
        # one driver thread per busy worker, plus room for workers being started
        self.threads = ThreadPoolExecutor(2 * size + 1, thread_name_prefix="beritanlp-worker")
        # the worker that finished last goes first (its memory is the warmest); jobs still wait
        # in arrival order
        self.idle: asyncio.LifoQueue[_Worker] = asyncio.LifoQueue()
        self.ready: set[_Worker] = set()  # started and not dead: idle or busy
        self.restarts: set[asyncio.Task[None]] = set()
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
        loop = asyncio.get_running_loop()
        # BLAS threads (the NER's matrix products): the cores shared out over the busy workers,
        # this one included, so a lone worker has the in-process default (all cores) and a
        # full pool one thread each. Measured on 2 cores, one article at a time, against
        # in-process analyze() alternating in blocks: 2 threads +2-3 ms at p50, 1 thread
        # +5.5-14 ms. Under load more threads than cores oversubscribe them: 2 workers x 2
        # threads had about half the throughput of 2 x 1. One thread always (tried) halves the
        # CPU of a lone article but not its time; counting the articles that wait (tried) did
        # not raise the throughput of 1 worker (benchmarks/bench_server.py)
        busy = len(self.ready) - self.idle.qsize()
        threads = max(1, self.cores // max(1, busy))
        future = loop.run_in_executor(self.threads, worker.call, job, threads, self.timeout)
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
                worker.stop()
            else:
                self.idle.put_nowait(worker)
            return
        self.ready.discard(worker)
        self.metrics.workers.set(len(self.ready))
        if worker.alive():
            worker.kill()
        if not self.closing:
            task = asyncio.ensure_future(self._replace())
            self.restarts.add(task)
            task.add_done_callback(self.restarts.discard)

    async def _replace(self) -> None:
        """Start a worker in place of a dead one; retry with a growing pause if it fails."""
        loop = asyncio.get_running_loop()
        pause = 1.0
        while not self.closing:
            worker = self._new()
            try:
                await loop.run_in_executor(self.threads, worker.wait_ready, START_TIMEOUT)
            except Exception as exc:
                worker.kill()
                log.error("a replacement worker failed to start: %s; retry in %g s", exc, pause)
                await asyncio.sleep(pause)
                pause = min(2 * pause, 60.0)
                continue
            if self.closing:
                worker.stop()
                return
            self.metrics.restarts.inc()
            log.info("a replacement worker is ready (pid %s)", worker.process.pid)
            self._add(worker)
            return

    async def close(self) -> None:
        """Stop the idle workers and kill busy ones (the graceful shutdown has already let
        the requests in flight finish, or given up on them)."""
        self.closing = True
        for task in list(self.restarts):
            task.cancel()
        loop = asyncio.get_running_loop()
        stopping = []
        while not self.idle.empty():
            worker = self.idle.get_nowait()
            self.ready.discard(worker)
            stopping.append(loop.run_in_executor(self.threads, worker.stop))
        for worker in list(self.ready):  # busy: their calls end with an error
            worker.process.kill()
        await asyncio.gather(*stopping)
        self.threads.shutdown(wait=True, cancel_futures=True)
