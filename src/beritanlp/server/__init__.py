"""The HTTP service behind ``beritanlp serve`` (the ``[server]`` extra: FastAPI + uvicorn).

:func:`create_app` builds the ASGI application (its worker processes load the pipeline),
:func:`run` serves it. See docs/server.md.

The names are imported on first use: a worker process imports ``beritanlp.server.workers``,
and must not load FastAPI through this package for nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import ServerSettings, create_app, run
    from .workers import LOG_FORMAT

__all__ = ["LOG_FORMAT", "ServerSettings", "create_app", "run"]

_WHERE = {"LOG_FORMAT": "workers", "ServerSettings": "app", "create_app": "app", "run": "app"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
