"""The HTTP service behind ``beritanlp serve`` (the ``[server]`` extra: FastAPI + uvicorn).

:func:`create_app` builds the ASGI application, :func:`run` loads the pipeline and serves it.
See docs/server.md.
"""

from .app import ServerSettings, create_app, run

__all__ = ["ServerSettings", "create_app", "run"]
