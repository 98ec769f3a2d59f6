"""The FastAPI application: endpoints, error bodies, request logging and metrics.

CPU work never runs on the event loop: every analysis goes to a thread pool of ``workers``
threads (:class:`concurrent.futures.ThreadPoolExecutor` through ``run_in_executor``) that share
the one pipeline loaded at start-up, and an :class:`asyncio.Semaphore` of the same size bounds
how many analyses are handed to it at once. Threads keep the event loop free (``/healthz``
answers while an article is analysed), but Python's GIL means they do not add CPU parallelism;
a process pool is the next step (docs/server.md, "Not done yet").
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError, StarletteHTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..api import analyze, load
from ..contract import json_schema
from ..errors import BeritaError, InputTooLongError
from ..inputs import DEFAULT_MAX_LENGTH
from .metrics import Metrics

__all__ = ["ServerSettings", "create_app", "run"]

log = logging.getLogger("beritanlp.server")


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """The options of ``beritanlp serve``."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_chars: int = DEFAULT_MAX_LENGTH
    max_batch: int = 64
    max_queue: int = 32
    timeout: float = 30.0


class _Input(BaseModel):
    # strict: a number or a list is not silently turned into text
    model_config = ConfigDict(strict=True)

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None


class AnalyzeRequest(_Input):
    """``POST /v1/analyze``: one article."""

    tokens: bool = False


class BatchItem(_Input):
    """One article of a batch; ``id`` is echoed back in its per-item error."""

    id: str | int | None = None


class BatchRequest(BaseModel):
    """``POST /v1/analyze/batch``: articles, answered in input order."""

    model_config = ConfigDict(strict=True)

    items: list[BatchItem] = Field(default_factory=list)
    tokens: bool = False


class ServiceError(Exception):
    """An error answered with ``status`` and the body ``{error_type, message, request_id}``."""

    def __init__(
        self, status: int, error_type: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message
        self.headers = headers or {}


def _request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "")) or uuid.uuid4().hex


def _error_response(
    request: Request,
    status: int,
    error_type: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = _request_id(request)
    body = {"error_type": error_type, "message": message, "request_id": request_id}
    return JSONResponse(
        body, status_code=status, headers={**(headers or {}), "X-Request-ID": request_id}
    )


def _field(loc: tuple[Any, ...]) -> str:
    """``("body", "items", 2, "text")`` -> ``items[2].text``."""
    out = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


class _Analyzer:
    """The pipeline, the thread pool and the bound on analyses handed to it."""

    def __init__(self, settings: ServerSettings, metrics: Metrics) -> None:
        self.settings, self.metrics = settings, metrics
        self.pool = ThreadPoolExecutor(settings.workers, thread_name_prefix="beritanlp-analyze")
        self.slots = asyncio.Semaphore(settings.workers)
        # analysis requests admitted (being served or waiting for a thread); more are refused
        self.admitted = 0
        self.ready = False

    @asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """Hold one of ``workers + max_queue`` places for a request, or raise 503."""
        limit = self.settings.workers + self.settings.max_queue
        if self.admitted >= limit:
            raise ServiceError(
                503,
                "Overloaded",
                f"{self.admitted} analysis requests in progress or queued "
                f"(--workers + --max-queue = {limit}); retry later",
                headers={"Retry-After": "1"},
            )
        self.admitted += 1  # no await between the check and this: one event loop, no race
        self.metrics.in_flight.inc()
        try:
            yield
        finally:
            self.admitted -= 1
            self.metrics.in_flight.dec()

    def _load(self) -> None:
        load(max_length=max(self.settings.max_chars, DEFAULT_MAX_LENGTH))
        analyze("Jakarta - Warm-up.")  # the first call builds lazy resources

    async def start(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self.pool, self._load)
        self.ready = True

    def _analyze(self, item: _Input, tokens: bool) -> dict[str, Any]:
        article = analyze(
            item.text,
            title=item.title,
            published=item.published,
            url=item.url,
            max_length=self.settings.max_chars,
        )
        self.metrics.articles.inc()
        self.metrics.tokens.inc(len(article.tokens))
        return article.to_dict(tokens=tokens)

    async def analyze(self, item: _Input, tokens: bool) -> dict[str, Any]:
        """The article's ``to_dict()``, or :class:`ServiceError`."""
        if len(item.text) > self.settings.max_chars:
            raise ServiceError(
                413,
                "InputTooLongError",
                f"text has {len(item.text):,} characters, more than the server's "
                f"--max-chars={self.settings.max_chars:,}",
            )
        async with self.slots:
            future = asyncio.get_running_loop().run_in_executor(
                self.pool, self._analyze, item, tokens
            )
            try:
                timeout = self.settings.timeout or None
                return await asyncio.wait_for(future, timeout)
            except asyncio.TimeoutError:
                # the thread cannot be stopped: it finishes the article and its result is dropped
                raise ServiceError(
                    504,
                    "Timeout",
                    f"analysis took longer than --timeout={self.settings.timeout:g}s",
                ) from None
            except InputTooLongError as exc:
                raise ServiceError(413, type(exc).__name__, str(exc)) from exc
            except BeritaError as exc:
                raise ServiceError(422, type(exc).__name__, str(exc)) from exc

    async def item(self, item: BatchItem, tokens: bool) -> dict[str, Any]:
        try:
            return await self.analyze(item, tokens)
        except ServiceError as exc:
            self.metrics.errors.labels(exc.error_type).inc()
            return {"id": item.id, "error_type": exc.error_type, "message": exc.message}
        except Exception as exc:  # one bad item never fails the others
            log.exception("batch item %r failed", item.id)
            self.metrics.errors.labels(type(exc).__name__).inc()
            return {"id": item.id, "error_type": type(exc).__name__, "message": str(exc)}


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The ASGI application; the pipeline loads in its lifespan, before ``/readyz`` is 200."""
    settings = settings or ServerSettings()
    metrics = Metrics()
    analyzer = _Analyzer(settings, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        await analyzer.start()
        log.info("pipeline loaded in %.1f s; ready", time.perf_counter() - started)
        try:
            yield
        finally:
            analyzer.pool.shutdown(wait=True)

    app = FastAPI(
        title="beritanlp",
        summary="Annotate raw Indonesian news text (docs/server.md).",
        lifespan=lifespan,
        # every body is read as JSON whatever its Content-Type (curl -d sends a form type)
        strict_content_type=False,
    )

    @app.middleware("http")
    async def log_requests(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = request_id
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            response.headers["X-Request-ID"] = request_id
            return response
        finally:
            seconds = time.perf_counter() - started
            route = request.scope.get("route")
            path = getattr(route, "path", "other")
            metrics.requests.labels(request.method, path, str(status)).inc()
            metrics.latency.labels(path).observe(seconds)
            log.info(
                "%s %s %d %.1f ms %s",
                request.method,
                request.url.path,
                status,
                seconds * 1000,
                request_id,
            )

    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        metrics.errors.labels(exc.error_type).inc()
        return _error_response(request, exc.status, exc.error_type, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        if any(error.get("type") == "json_invalid" for error in errors):
            metrics.errors.labels("InvalidJSON").inc()
            return _error_response(request, 400, "InvalidJSON", "the request body is not JSON")
        messages = [f"{_field(tuple(e.get('loc', ())))}: {e.get('msg', '')}" for e in errors]
        metrics.errors.labels("ValidationError").inc()
        return _error_response(request, 422, "ValidationError", "; ".join(messages))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        metrics.errors.labels("HTTPError").inc()
        return _error_response(request, exc.status_code, "HTTPError", str(exc.detail))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        metrics.errors.labels(type(exc).__name__).inc()
        return _error_response(request, 500, type(exc).__name__, "internal error")

    @app.post("/v1/analyze")
    async def analyze_one(body: AnalyzeRequest) -> JSONResponse:
        """One article -> ``Article.to_dict()`` (docs/schema.md)."""
        async with analyzer.admit():
            return JSONResponse(await analyzer.analyze(body, body.tokens))

    @app.post("/v1/analyze/batch")
    async def analyze_batch(body: BatchRequest) -> JSONResponse:
        """Articles -> ``{"results": [...]}`` in input order; an item either an article or
        ``{id, error_type, message}``."""
        if len(body.items) > settings.max_batch:
            raise ServiceError(
                413,
                "BatchTooLarge",
                f"{len(body.items)} items, more than --max-batch={settings.max_batch}",
            )
        async with analyzer.admit():
            results = await asyncio.gather(
                *(analyzer.item(item, body.tokens) for item in body.items)
            )
        return JSONResponse({"results": list(results)})

    @app.get("/v1/schema")
    async def schema() -> JSONResponse:
        """The JSON Schema of the article (``beritanlp.contract.json_schema()``)."""
        return JSONResponse(json_schema())

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        """200 once the pipeline is loaded, 503 before."""
        if not analyzer.ready:
            raise ServiceError(503, "NotReady", "the pipeline is still loading")
        return JSONResponse({"status": "ready"})

    @app.get("/metrics")
    async def metrics_text() -> Response:
        """Prometheus text format."""
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return app


def run(settings: ServerSettings) -> None:
    """Serve until SIGTERM or Ctrl-C (uvicorn finishes in-flight requests, then stops)."""
    import uvicorn

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # one line per request comes from log_requests instead
        log_config=None,  # keep the logging set up by the caller
        timeout_graceful_shutdown=max(int(settings.timeout), 1),
    )
