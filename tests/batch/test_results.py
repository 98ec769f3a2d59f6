"""Tests of beritanlp.batch.results: Result, ErrorInfo and the error descriptions."""

from __future__ import annotations

import pytest

from beritanlp.batch import ErrorInfo, Result
from beritanlp.batch.results import describe, without_code
from beritanlp.errors import InputReadError


def test_batch_result_types() -> None:
    result = Result("x", None, ErrorInfo("E", "m"))
    assert not result.ok and result.to_dict() == {"id": "x", "error_type": "E", "message": "m"}
    with pytest.raises(AttributeError):
        result.id = "y"  # type: ignore[misc]


def test_batch_describe_is_one_line_without_the_code() -> None:
    exc = InputReadError("cannot read x.gz:\n  truncated")
    assert str(exc).startswith("[E102] ")
    assert describe(exc) == "InputReadError: cannot read x.gz: truncated"
    assert without_code(str(exc)) == "cannot read x.gz:\n  truncated"
    assert describe(OSError()) == "OSError: (no message)"
