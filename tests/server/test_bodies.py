"""Request bodies: validation errors name the field, NDJSON lines and ids (no server needed)."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("fastapi")

from beritanlp.server.bodies import (
    AnalyzeRequest,
    BatchItem,
    BatchRequest,
    field_name,
    item_id,
    ndjson_lines,
    parse,
)
from beritanlp.server.errors import ServiceError


def test_field_name_reads_like_a_path() -> None:
    assert field_name(("body", "items", 2, "text")) == "items[2].text"
    assert field_name(("items", 0)) == "items[0]"
    assert field_name(("text",)) == "text"
    assert field_name(()) == "body"


@pytest.mark.parametrize(
    ("raw", "status", "error_type", "start"),
    [
        (b"{not json", 400, "InvalidJSON", "the request body is not JSON"),
        (b"", 400, "InvalidJSON", "the request body is not JSON"),
        (b"{}", 422, "ValidationError", "text: Field required"),
        (b'{"text": 5}', 422, "ValidationError", "text: Input should be a valid string"),
        (b'{"text": "a", "tokens": "yes"}', 422, "ValidationError", "tokens:"),
        (b"[1]", 422, "ValidationError", "body:"),
    ],
)
def test_parse_errors(raw: bytes, status: int, error_type: str, start: str) -> None:
    with pytest.raises(ServiceError) as caught:
        parse(AnalyzeRequest, raw)
    assert (caught.value.status, caught.value.error_type) == (status, error_type)
    assert caught.value.message.startswith(start)


def test_parse_names_the_batch_item_and_the_line() -> None:
    with pytest.raises(ServiceError) as caught:
        parse(BatchRequest, b'{"items": [{"text": "a"}, {"text": null}]}')
    assert caught.value.message.startswith("items[1].text:")
    with pytest.raises(ServiceError) as line:
        parse(BatchItem, b'{"id": 3}', line=7)
    assert line.value.message == "line 7: text: Field required"
    with pytest.raises(ServiceError) as not_json:
        parse(BatchItem, b"{", line=2)
    assert not_json.value.message == "line 2 is not JSON"


def test_parse_keeps_strings_as_they_are() -> None:
    item = parse(BatchItem, '{"id": "a", "text": "Halo\\u00a0dunia", "url": "https://x.invalid"}')
    assert (item.id, item.text, item.url) == ("a", "Halo\u00a0dunia", "https://x.invalid")


def test_item_id_of_a_bad_line() -> None:
    assert item_id(b'{"id": "x"}') == "x"
    assert item_id(b'{"id": 4, "text": 1}') == 4
    assert item_id(b'{"id": true}') is None  # a bool is not an id
    assert item_id(b'{"id": [1]}') is None
    assert item_id(b"[1, 2]") is None
    assert item_id(b"{broken") is None
    assert item_id(b"[" * 100_000) is None  # too deep for json: not a crash


def test_ndjson_lines_number_every_line_and_mark_blank_and_long_ones() -> None:
    spool = io.BytesIO(b'{"text": "a"}\n\n  \r\n' + b"x" * 50 + b'\n{"text": "b"}\r\n{"text": "c"}')
    lines = list(ndjson_lines(spool, limit=40))
    assert [(n, line if line is None else line.strip()) for n, line in lines] == [
        (1, b'{"text": "a"}'),
        (2, b""),  # blank: the caller skips it
        (3, b""),
        (4, None),  # over the limit: never read whole
        (5, b'{"text": "b"}'),
        (6, b'{"text": "c"}'),
    ]


def test_ndjson_lines_over_long_line_at_the_end_without_newline() -> None:
    assert list(ndjson_lines(io.BytesIO(b'{"text": "a"}\n' + b"y" * 100), limit=40)) == [
        (1, b'{"text": "a"}\n'),
        (2, None),
    ]


def test_item_limit_covers_the_longest_escaped_item() -> None:
    import json

    from beritanlp.server.bodies import MAX_FIELD, item_limit

    widest = "\U0001f600"  # one character, 12 bytes as JSON escapes
    item = {
        "id": "x" * 100,
        "text": widest * 1000,
        "title": widest * MAX_FIELD,
        "url": widest * MAX_FIELD,
        "published": widest * MAX_FIELD,
    }
    assert len(json.dumps(item).encode()) <= item_limit(1000)
