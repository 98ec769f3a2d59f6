"""The request log's id rule: a client's ``X-Request-ID`` is kept only when it looks like an id
(it is written into the log), for any input and in linear time (no server needed)."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from hypothesis import given
from hypothesis import strategies as st

from beritanlp.server.app import _REQUEST_ID

ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")


@given(st.text(max_size=300))
def test_request_id_rule_matches_its_definition(value: str) -> None:
    expected = 1 <= len(value) <= 128 and set(value) <= ALLOWED
    assert bool(_REQUEST_ID.fullmatch(value)) is expected


@pytest.mark.parametrize(
    "value",
    ["a" * 1_000_000, "a" * 500_000 + "\n", "-" * 128 + " ", "x\r\nSet-Cookie: a=b", "é" * 10],
)
def test_request_id_rule_refuses_long_or_odd_ids(value: str) -> None:
    # a character class with a bound: at most 129 characters are looked at, whatever the length
    assert _REQUEST_ID.fullmatch(value) is None
