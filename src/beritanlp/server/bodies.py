"""Request bodies: their models, reading them within a size limit, and validating them into a
:class:`ServiceError` that names the field (422) or says the body is not JSON (400).

The endpoints read their bodies themselves (not as FastAPI body parameters) so that the size
limit holds while the body arrives, before it is parsed, and so that ``/v1/analyze/batch`` can
take NDJSON as well as JSON. NDJSON bodies are spooled (in memory up to
:data:`SPOOL_IN_MEMORY`, then to a temporary file) before the first line is analysed: a client
that sends its whole body before it reads the answer (Python's httpx and requests do) would
otherwise deadlock against a server that answers as it reads, once the answers fill the
socket buffers.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import AsyncIterator, Iterator
from typing import IO, Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ServiceError

__all__ = [
    "MAX_FIELD",
    "AnalyzeRequest",
    "BatchItem",
    "BatchRequest",
    "field_name",
    "item_id",
    "item_limit",
    "ndjson_lines",
    "parse",
    "read_body",
    "spool_body",
]

#: An NDJSON body larger than this goes to a temporary file while it waits to be analysed.
SPOOL_IN_MEMORY = 8 * 1024 * 1024

Model = TypeVar("Model", bound=BaseModel)


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
    """One article of a batch (one line of an NDJSON body); ``id`` is echoed in its error."""

    id: str | int | None = None


class BatchRequest(BaseModel):
    """``POST /v1/analyze/batch`` as JSON: articles, answered in input order."""

    model_config = ConfigDict(strict=True)

    items: list[BatchItem] = Field(default_factory=list)
    tokens: bool = False


def _too_large(limit: int) -> ServiceError:
    return ServiceError(
        413,
        "BodyTooLarge",
        f"the request body is larger than {limit:,} bytes (--max-body, or what --max-chars "
        "and --max-batch allow)",
    )


async def _chunks(request: Request, limit: int) -> AsyncIterator[bytes]:
    """The body as it arrives; a 413 as soon as it (or its declared length) passes ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        yield chunk


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or a 413 as soon as it passes ``limit`` bytes."""
    return b"".join([chunk async for chunk in _chunks(request, limit)])


async def spool_body(request: Request, limit: int) -> IO[bytes]:
    """The whole body in a spooled temporary file (rewound), or a 413 past ``limit`` bytes."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        async for chunk in _chunks(request, limit):
            spool.write(chunk)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool  # type: ignore[return-value]


def ndjson_lines(spool: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` for each non-blank line; ``None`` for a line longer than
    ``limit`` bytes (read in pieces, never whole), and ``(number, b"")`` for blank ones, so
    that the caller can yield to the event loop however many blank lines there are."""
    number = 0
    while True:
        line = spool.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # the rest of the over-long line
                line = spool.readline(1 << 20)
            yield number, None
        else:
            yield number, line if line.strip() else b""


#: Longest ``title``, ``url`` or ``published`` accepted (characters); longer -> 413.
MAX_FIELD = 10_000


def item_limit(max_chars: int) -> int:
    """The most bytes one item can take as JSON: its text and other fields at their longest,
    each character at most 12 bytes escaped (a surrogate pair as two ``\\uXXXX``), and
    64 KiB for the rest."""
    return 12 * (max_chars + 3 * MAX_FIELD) + 65536


def field_name(loc: tuple[Any, ...]) -> str:
    """``("items", 2, "text")`` -> ``items[2].text``."""
    out = ""
    for part in loc[1:] if loc and loc[0] == "body" else loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def parse(model: type[Model], raw: bytes | str, line: int | None = None) -> Model:
    """``raw`` (the body, or NDJSON line ``line``) validated as ``model``: 400 ``InvalidJSON``
    or 422 ``ValidationError`` naming the fields."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        what = "the request body" if line is None else f"line {line}"
        if any(error["type"] == "json_invalid" for error in errors):
            raise ServiceError(400, "InvalidJSON", f"{what} is not JSON") from None
        message = "; ".join(f"{field_name(tuple(e['loc']))}: {e['msg']}" for e in errors)
        raise ServiceError(
            422, "ValidationError", message if line is None else f"{what}: {message}"
        ) from None


def item_id(raw: bytes) -> str | int | None:
    """The ``id`` of an NDJSON line that failed validation, when it has a usable one."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested too deep for json
        return None
    found = value.get("id") if isinstance(value, dict) else None
    return found if isinstance(found, (str, int)) and not isinstance(found, bool) else None
