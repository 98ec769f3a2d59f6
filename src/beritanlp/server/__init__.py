"""The HTTP service behind ``beritanlp serve`` (the ``[server]`` extra: FastAPI + uvicorn).

:func:`create_app` builds the ASGI application (its worker processes load the pipeline),
:func:`run` serves it.
See docs/server.md.
"""

from .app import ServerSettings, create_app, run
from .workers import LOG_FORMAT

__all__ = ["LOG_FORMAT", "ServerSettings", "create_app", "run"]
