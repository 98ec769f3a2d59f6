"""What the batch API hands back per item: :class:`Result` (an article or an
:class:`ErrorInfo`), and :class:`Rejected` for items known to be bad before the pipeline."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..article import Article

__all__ = ["ErrorInfo", "Rejected", "Result", "describe", "without_code"]


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why a record failed: the exception's class name and message."""

    error_type: str
    message: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> ErrorInfo:
        return cls(type(exc).__name__, str(exc))


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome for one input item: an :class:`Article` or an :class:`ErrorInfo`."""

    id: Any
    article: Article | None = None
    error: ErrorInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self, *, tokens: bool = False, text: bool = True) -> dict[str, Any]:
        """``{"id", **article.to_dict()}``, or ``{"id", "error_type", "message"}``."""
        if self.article is None:
            error = self.error or ErrorInfo("UnknownError", "")
            return {"id": self.id, "error_type": error.error_type, "message": error.message}
        return {"id": self.id, **self.article.to_dict(tokens=tokens, text=text)}


@dataclass(frozen=True, slots=True)
class Rejected:
    """An item already known to be bad (e.g. a line that is not JSON). :func:`analyze_many`
    passes it through as an error result, in order, without touching the pipeline."""

    id: Any
    error_type: str
    message: str


_CODE = re.compile(r"^\[E\d{3}\] ")


def without_code(message: str) -> str:
    """``message`` without the ``[E…]`` code a :class:`~beritanlp.errors.BeritaError` starts
    with (for messages that wrap another error's message)."""
    return _CODE.sub("", message)


def describe(exc: BaseException) -> str:
    """``"<ExceptionType>: <message on one line>"``, without a BeritaError's code."""
    text = " ".join(str(exc).split()) or "(no message)"
    return f"{type(exc).__name__}: {without_code(text)}"
