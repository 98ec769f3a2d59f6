"""The one error type of the service: answered with its status and the body
``{error_type, message, request_id}`` (a batch item gets ``{id, error_type, message}``)."""

from __future__ import annotations

__all__ = ["ServiceError"]


class ServiceError(Exception):
    """An error answered with ``status``; ``headers`` go on the response (``Retry-After``)."""

    def __init__(
        self, status: int, error_type: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message
        self.headers = headers or {}
