"""The exceptions beritanlp raises on purpose.

Every error derives from :class:`BeritaError`, carries a short stable ``code`` and a message that
says how to fix the problem. Errors that are also a built-in category (a wrong type, a bad value)
subclass that built-in too, so ``except TypeError`` keeps working for callers who expect it.
"""

from __future__ import annotations

__all__ = [
    "ArchiveLockedError",
    "BatchWorkerError",
    "BeritaError",
    "ConfigError",
    "InputDecodeError",
    "InputReadError",
    "InputTooLongError",
    "InputTypeError",
    "ModelNotFoundError",
    "RecordTimeoutError",
    "ResourceError",
]


class BeritaError(Exception):
    """Base class of every error raised by beritanlp on purpose."""

    code: str = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class InputTypeError(BeritaError, TypeError):
    """The text passed in is not a ``str`` (or UTF-8 ``bytes``)."""

    code = "E001"

    @classmethod
    def for_value(cls, value: object, what: str = "text") -> InputTypeError:
        return cls(
            f"{what} must be a str (or UTF-8 encoded bytes), got {type(value).__name__}. "
            f"Pass the article text as a string, e.g. analyze(open(path, encoding='utf-8').read())."
        )


class InputDecodeError(BeritaError, ValueError):
    """``bytes`` input that is not valid UTF-8."""

    code = "E002"


class InputTooLongError(BeritaError, ValueError):
    """The text is longer than the configured maximum."""

    code = "E003"

    def __init__(self, length: int, max_length: int) -> None:
        self.length = length
        self.max_length = max_length
        super().__init__(
            f"text has {length:,} characters, more than max_length={max_length:,}. "
            f"Split the document, or raise the limit: analyze(text, max_length=N) or "
            f"load(max_length=N)."
        )


class ResourceError(BeritaError, OSError):
    """A bundled data file is missing or malformed (a broken installation)."""

    code = "E004"


class ModelNotFoundError(ResourceError):
    """A trained model directory is missing."""

    code = "E005"


class ConfigError(BeritaError, ValueError):
    """An invalid argument or component setting."""

    code = "E006"


class BatchWorkerError(BeritaError, RuntimeError):
    """A worker process of ``analyze_many(n_process > 1)`` died (killed, out of memory)."""

    code = "E101"


class InputReadError(BeritaError, OSError):
    """A batch input file cannot be read as what it claims to be (unreadable, not Parquet, a
    truncated ``.gz``, a read error mid-file). The run stops there; what was committed before
    it is kept, and the archive can be resumed once the input is fixed."""

    code = "E102"


class RecordTimeoutError(BeritaError, TimeoutError):
    """A record took longer than ``record_timeout`` seconds in the pipeline (batch runs)."""

    code = "E103"


class ArchiveLockedError(ConfigError):
    """A batch output directory is being written by another live process."""

    code = "E104"
