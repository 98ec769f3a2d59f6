"""Tests of beritanlp.batch.readers: JSON Lines, CSV and Parquet records, bad records as
failed records (issue 14: invalid UTF-8 no longer ends a run), long CSV fields."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

from beritanlp.batch import FieldMap, annotate_file, count_records, iter_input
from tests.batch.helpers import errors_of, jsonl_bytes, text, write_jsonl


def test_batch_iter_input_jsonl_gz_and_errors(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl.gz",
        [{"id": "a", "text": "A."}, "", "{broken", "[1, 2]", {"isi": "x"}, {"text": "B."}],
        gz=True,
    )
    records = list(iter_input(path))
    assert [(r.position, r.line) for r in records] == [(0, 1), (1, 3), (2, 4), (3, 5), (4, 6)]
    assert records[0].item["id"] == "a" and records[4].item["id"] == "4"
    assert [r.item.error_type for r in records[1:4]] == [
        "InvalidJSON",
        "NotAnObject",
        "MissingField",
    ]
    assert [r.position for r in iter_input(path, skip=3)] == [3, 4]


def test_batch_iter_input_csv_and_parquet(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"kode": ["k1", "k2"], "isi": ["Baris satu,\ndengan koma.", "Dua."], "tgl": ["", "2024"]}
    )
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    fields = FieldMap(id="kode", text="isi", published="tgl")
    for name in ("in.csv", "in.parquet"):
        records = list(iter_input(tmp_path / name, fields=fields))
        assert [r.item["id"] for r in records] == ["k1", "k2"]
        assert records[0].item["text"] == "Baris satu,\ndengan koma."
        assert records[0].item["published"] is None
    assert [r.line for r in iter_input(tmp_path / "in.csv", fields=fields)] == [2, 4]


def test_batch_csv_long_fields_without_changing_the_process_limit(tmp_path: Path) -> None:
    """Issue 15: a field over the csv module's default limit (131,072 characters) is read,
    and the process-wide csv.field_size_limit() is the same before, during and after."""
    long_text = "Kata panjang. " * 20_000  # 280,000 characters
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([["c0", long_text], ["c1", "Pendek."]])
    limit = csv.field_size_limit()
    assert limit < len(long_text)
    records = iter_input(path)
    first = next(records)
    assert csv.field_size_limit() == limit  # between two records: the caller's limit
    assert first.item["text"] == long_text
    assert [r.item["id"] for r in records] == ["c1"]
    assert count_records(path) == 2
    assert csv.field_size_limit() == limit


def test_batch_csv_readers_in_threads_never_lower_each_others_limit(tmp_path: Path) -> None:
    """Two threads reading long CSV fields at once: each raises the limit only while it
    parses a row and puts it back under a lock, so neither parses with the other's restored
    (default) limit."""
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([f"c{i}", "x" * 140_000] for i in range(60))
    limit = csv.field_size_limit()
    got: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def read(number: int) -> None:
        try:
            got[number] = [r.item["id"] for r in iter_input(path)]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert all(ids == [f"c{i}" for i in range(60)] for ids in got.values()) and len(got) == 4
    assert csv.field_size_limit() == limit


def test_batch_invalid_utf8_jsonl_line_is_a_failed_record(tmp_path: Path) -> None:
    lines = jsonl_bytes(12)
    lines[7] = lines[7].replace(b"Pemerintah", b"Pemer\xffintah")
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    records = list(iter_input(source))
    assert len(records) == 12
    assert records[7].item.error_type == "InvalidUTF8" and "line 8" in records[7].item.message
    summary = annotate_file(source, tmp_path / "out", chunk_size=5)
    assert (summary.read, summary.written, summary.failed, summary.complete) == (12, 11, 1, True)
    assert [(e["line"], e["error_type"]) for e in errors_of(tmp_path / "out")] == [
        (8, "InvalidUTF8")
    ]


def test_batch_invalid_utf8_csv_row_is_a_failed_record(tmp_path: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "text"])
    for i in range(10):
        writer.writerow([f"c{i}", text(i)])
    data = buffer.getvalue().encode().replace(b"tahun 2006", b"tahun \xff2006")
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    summary = annotate_file(source, tmp_path / "out")
    assert (summary.read, summary.written, summary.failed, summary.complete) == (10, 9, 1, True)
    assert [(e["id"], e["error_type"]) for e in errors_of(tmp_path / "out")] == [
        ("c6", "InvalidUTF8")
    ]
