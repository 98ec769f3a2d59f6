"""The FastAPI application: endpoints, error bodies, request logging and metrics.

CPU work never runs on the event loop: every article goes to a worker process
(:class:`~beritanlp.server.workers.WorkerPool`), and the server process only validates
requests and joins the JSON its workers return. Requests that analyse are admitted up to
``--workers + --max-queue`` at a time (a batch or an NDJSON stream counts once); more get a 503
with ``Retry-After``, so the backlog is bounded.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
import uuid
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import IO, Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError, StarletteHTTPException
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel

from .._version import __version__
from ..contract import json_schema
from ..inputs import DEFAULT_MAX_LENGTH
from .bodies import (
    MAX_FIELD,
    AnalyzeRequest,
    BatchItem,
    BatchRequest,
    item_id,
    item_limit,
    ndjson_lines,
    parse,
    read_body,
    spool_body,
)
from .errors import ServiceError
from .metrics import Metrics
from .workers import Job, WorkerPool, to_json

__all__ = ["ServerSettings", "create_app", "run"]

log = logging.getLogger("beritanlp.server")

NDJSON = "application/x-ndjson"

# the ASGI types (as in starlette.types; written here so as not to import Starlette directly)
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A client's ``X-Request-ID`` is used only when it looks like an id (it goes into the log).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


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
    max_body: int = 100 * 1024 * 1024


class _Admission:
    """At most ``limit`` analysis requests in progress or waiting; more are refused (503)."""

    def __init__(self, limit: int, metrics: Metrics) -> None:
        self.limit, self.metrics, self.admitted = limit, metrics, 0

    def enter(self) -> None:
        if self.admitted >= self.limit:
            raise ServiceError(
                503,
                "Overloaded",
                f"{self.admitted} analysis requests in progress or queued "
                f"(--workers + --max-queue = {self.limit}); retry later",
                headers={"Retry-After": "1"},
            )
        self.admitted += 1  # no await between the check and this: one event loop, no race
        self.metrics.in_flight.inc()

    def leave(self) -> None:
        self.admitted -= 1
        self.metrics.in_flight.dec()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[None]:
        self.enter()
        try:
            yield
        finally:
            self.leave()


class _Service:
    """What the endpoints share: settings, metrics, the admission bound and the workers."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        self.admission = _Admission(settings.workers + settings.max_queue, self.metrics)
        self.pool = WorkerPool(
            settings.workers, settings.max_chars, settings.timeout or None, self.metrics
        )
        self.started = False

    async def analyze(self, item: AnalyzeRequest | BatchItem, tokens: bool) -> bytes:
        """The article's JSON, or :class:`ServiceError`."""
        if len(item.text) > self.settings.max_chars:
            raise ServiceError(
                413,
                "InputTooLongError",
                f"text has {len(item.text):,} characters, more than the server's "
                f"--max-chars={self.settings.max_chars:,}",
            )
        for name in ("title", "published", "url"):
            value = getattr(item, name)
            if value is not None and len(value) > MAX_FIELD:
                raise ServiceError(
                    413,
                    "InputTooLongError",
                    f"{name} has {len(value):,} characters, more than {MAX_FIELD:,}",
                )
        job = Job(item.text, item.title, item.published, item.url, tokens)
        done = await self.pool.run(job)
        self.metrics.articles.inc()
        self.metrics.tokens.inc(done.tokens)
        return done.body

    def item_error(self, item_id: object, exc: ServiceError) -> bytes:
        self.metrics.errors.labels(exc.error_type).inc()
        return to_json({"id": item_id, "error_type": exc.error_type, "message": exc.message})

    async def item(self, item: BatchItem, tokens: bool) -> bytes:
        """One batch result: the article, or ``{id, error_type, message}`` (never raises)."""
        try:
            return await self.analyze(item, tokens)
        except ServiceError as exc:
            return self.item_error(item.id, exc)
        except Exception as exc:  # a bug: this item's error, never the others'
            log.exception("batch item %r failed", item.id)
            error = ServiceError(500, type(exc).__name__, str(exc))
            return self.item_error(item.id, error)

    async def line(self, number: int, raw: bytes | None, tokens: bool) -> bytes:
        """One NDJSON result line (without its newline); ``raw`` None: the line was too long."""
        if raw is None:
            limit = item_limit(self.settings.max_chars)
            error = ServiceError(
                413, "InputTooLongError", f"line {number} is longer than {limit:,} bytes"
            )
            return self.item_error(None, error)
        try:
            item = parse(BatchItem, raw, line=number)
        except ServiceError as exc:
            return self.item_error(item_id(raw), exc)
        return await self.item(item, tokens)

    async def stream(self, spool: IO[bytes], tokens: bool) -> AsyncGenerator[bytes, None]:
        """NDJSON results in input order, each sent as soon as it and those before it are
        done; at most ``window`` lines are being analysed or waiting for a worker. The caller
        closes the spool and leaves the admission (:class:`_Stream`)."""
        window = 4 * self.settings.workers + 4
        pending: deque[asyncio.Task[bytes]] = deque()
        limit = item_limit(self.settings.max_chars)
        try:
            for number, raw in ndjson_lines(spool, limit):
                if number % 1024 == 0:
                    await asyncio.sleep(0)  # millions of blank lines must not hold the loop
                if raw == b"":
                    continue
                pending.append(asyncio.ensure_future(self.line(number, raw, tokens)))
                while pending and (pending[0].done() or len(pending) >= window):
                    yield await pending.popleft() + b"\n"
            while pending:
                yield await pending.popleft() + b"\n"
        finally:  # the client went away, or the end: nothing is left running for it
            for task in pending:
                task.cancel()


class _Stream(StreamingResponse):
    """The NDJSON answer: when it ends in any way (done, the client gone, cancelled), its
    generator is closed (its pending lines cancelled), the spool closed and the admission
    place given back. Starlette does not close a body iterator itself."""

    def __init__(self, service: _Service, spool: IO[bytes], tokens: bool) -> None:
        self.service, self.spool, self.released = service, spool, False
        self.lines = service.stream(spool, tokens)
        super().__init__(self.lines, media_type=NDJSON)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)  # type: ignore[arg-type]
        finally:
            await self.lines.aclose()
            self.release()

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.spool.close()
            self.service.admission.leave()


class _RequestLog:
    """Pure ASGI middleware: the request id, one log line and the metrics per request, taken
    when the response has been sent in full (an NDJSON stream is logged at its end)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                if not any(key.lower() == b"x-request-id" for key, _ in headers):
                    headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            path = getattr(scope.get("route"), "path", "other")
            self.metrics.requests.labels(scope["method"], path, str(status)).inc()
            self.metrics.latency.labels(path).observe(seconds)
            log.info(
                "%s %s %d %.1f ms %s",
                scope["method"],
                scope["path"],
                status,
                seconds * 1000,
                request_id,
            )


def _error_response(
    request: Request,
    status: int,
    error_type: str,
    message: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = str(getattr(request.state, "request_id", "")) or uuid.uuid4().hex
    body = {"error_type": error_type, "message": message, "request_id": request_id}
    # the header is set here too: a 500 from an unexpected error is answered outside the
    # request log (by Starlette's outermost middleware)
    headers = {**(headers or {}), "X-Request-ID": request_id}
    return JSONResponse(body, status_code=status, headers=headers)


def _body(content: dict[str, type[BaseModel]], description: str) -> dict[str, Any]:
    """``openapi_extra`` for an endpoint that reads its body itself."""
    schemas = {
        media: {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
        for media, model in content.items()
    }
    return {"requestBody": {"required": True, "description": description, "content": schemas}}


def _install_error_handlers(app: FastAPI, metrics: Metrics) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        metrics.errors.labels(exc.error_type).inc()
        return _error_response(request, exc.status, exc.error_type, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # only query parameters are validated by FastAPI: bodies are read by bodies.parse
        message = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        metrics.errors.labels("ValidationError").inc()
        return _error_response(request, 422, "ValidationError", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        metrics.errors.labels("HTTPError").inc()
        return _error_response(
            request, exc.status_code, "HTTPError", str(exc.detail), dict(exc.headers or {})
        )

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        metrics.errors.labels(type(exc).__name__).inc()
        return _error_response(request, 500, type(exc).__name__, "internal error")


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The ASGI application; its workers load the pipeline in its lifespan, before
    ``/readyz`` answers 200."""
    settings = settings or ServerSettings()
    service = _Service(settings)
    metrics = service.metrics

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started = time.perf_counter()
        await service.pool.start()
        service.started = True
        log.info(
            "%d worker process(es) loaded the pipeline in %.1f s; ready",
            settings.workers,
            time.perf_counter() - started,
        )
        try:
            yield
        finally:
            await service.pool.close()

    app = FastAPI(title="beritanlp", version=__version__, lifespan=lifespan)
    app.add_middleware(_RequestLog, metrics=metrics)
    app.state.pool = service.pool  # for run(): kill the workers if the server dies uncleanly
    # bodies: the most one item can take (and a batch of them), never above --max-body
    one_body = min(settings.max_body, item_limit(settings.max_chars))
    batch_body = min(settings.max_body, settings.max_batch * one_body)
    _install_error_handlers(app, metrics)

    def openapi() -> dict[str, Any]:
        # the request models are not FastAPI body parameters (bodies.py): add their schemas
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary="Annotate raw Indonesian news text (docs/server.md).",
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (AnalyzeRequest, BatchRequest, BatchItem):
                found = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(found.pop("$defs", {}))
                components[model.__name__] = found
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.post(
        "/v1/analyze",
        openapi_extra=_body({"application/json": AnalyzeRequest}, "one article"),
        response_description="Article.to_dict(): the schema at GET /v1/schema",
    )
    async def analyze_one(request: Request) -> Response:
        """One article -> ``Article.to_dict()`` (docs/schema.md)."""
        # admitted before the body is read: the bound also holds uploads in progress
        async with service.admission():
            body = parse(AnalyzeRequest, await read_body(request, one_body))
            return Response(await service.analyze(body, body.tokens), media_type="application/json")

    @app.post(
        "/v1/analyze/batch",
        openapi_extra=_body(
            {"application/json": BatchRequest, NDJSON: BatchItem},
            "JSON `{items, tokens}`, or NDJSON: one item per line (`?tokens=true`)",
        ),
        response_description="JSON `{results}`, or NDJSON (one line per item) for NDJSON",
    )
    async def analyze_batch(request: Request, tokens: bool = False) -> Response:
        """Articles -> results in input order, each an article or ``{id, error_type,
        message}``. JSON answers ``{"results": [...]}``; an NDJSON body (``Content-Type:
        application/x-ndjson``) is answered with one line per non-blank input line, streamed
        as the results are produced."""
        if request.headers.get("content-type", "").split(";")[0].strip() == NDJSON:
            service.admission.enter()
            try:
                spool = await spool_body(request, settings.max_body)
            except BaseException:
                service.admission.leave()
                raise
            return _Stream(service, spool, tokens)  # it leaves the admission when it ends
        async with service.admission():
            body = parse(BatchRequest, await read_body(request, batch_body))
            if len(body.items) > settings.max_batch:
                raise ServiceError(
                    413,
                    "BatchTooLarge",
                    f"{len(body.items)} items, more than --max-batch={settings.max_batch} "
                    "(send NDJSON to stream more)",
                )
            results = await asyncio.gather(
                *(service.item(item, body.tokens or tokens) for item in body.items)
            )
        return Response(b'{"results":[' + b",".join(results) + b"]}", media_type="application/json")

    @app.get("/v1/schema")
    async def schema() -> JSONResponse:
        """The JSON Schema of the article (``beritanlp.contract.json_schema()``)."""
        return JSONResponse(json_schema())

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive (it answers while every worker is busy)."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> JSONResponse:
        """200 once the workers have loaded the pipeline and at least one is running; 503
        before, and while every worker is being replaced."""
        live = service.pool.live
        if not service.started or live == 0:
            raise ServiceError(503, "NotReady", "no worker has the pipeline loaded yet")
        return JSONResponse({"status": "ready", "workers": live})

    @app.get("/metrics")
    async def metrics_text() -> Response:
        """Prometheus text format."""
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    return app


def run(settings: ServerSettings) -> None:
    """Serve until SIGTERM or Ctrl-C: no new connections, the requests in flight finish
    (up to ``--timeout`` + 5 seconds; without a timeout, until they end), then the workers
    stop. If the server ends any other way (a second Ctrl-C), its workers are killed."""
    import uvicorn

    app = create_app(settings)
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            access_log=False,  # one line per request comes from _RequestLog instead
            log_config=None,  # keep the logging set up by the caller
            timeout_graceful_shutdown=math.ceil(settings.timeout) + 5 if settings.timeout else None,
        )
    finally:
        app.state.pool.kill_all()
