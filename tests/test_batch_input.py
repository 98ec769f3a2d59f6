"""Issue 14 (sections 1 and 4): batch input is never lost silently, and forgives what it can.

Each test here failed before the fix: a read error ended a run early as if the input had
ended (exit 0), and a non-ISO ``published`` threw the record away.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

from beritanlp import batch
from beritanlp.batch import FieldMap, annotate_file, iter_input, read_archive
from beritanlp.errors import BeritaError, ConfigError


def text(i: int) -> str:
    """A short synthetic news text written for these tests."""
    return f"Judul {i}\nBandung - Pemerintah kota berjanji memperbaiki jalan pada tahun {2000 + i}."


def jsonl_bytes(n: int, *, start: int = 0) -> list[bytes]:
    return [
        json.dumps({"id": f"a{i}", "text": text(i), "published": "2023-05-04"}).encode()
        for i in range(start, start + n)
    ]


def errors_of(out: Path, name: str = "_errors.jsonl") -> list[dict]:
    path = out / name
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def manifest_of(out: Path) -> dict:
    return json.loads((out / "_manifest.json").read_text())


# -- invalid UTF-8: one failed record, the run goes on -------------------------------------------
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


# -- fatal read errors: raised, committed work kept, manifest incomplete, resumable ---------------
def test_batch_truncated_gzip_is_fatal_and_resumable_after_the_fix(tmp_path: Path) -> None:
    full = b"\n".join(jsonl_bytes(200)) + b"\n"
    packed = gzip.compress(full)
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "out"
    with pytest.raises(batch.InputReadError, match=r"in\.jsonl\.gz") as caught:
        annotate_file(source, out, chunk_size=20, tokens=False)
    assert isinstance(caught.value, BeritaError)
    manifest = manifest_of(out)
    assert not manifest["complete"] and manifest["stopped"]["reason"] == "input_error"
    done = manifest["next_position"]
    assert 0 < done < 200  # what was read before the error is committed, nothing after it
    assert [r["id"] for r in read_archive(out)] == [f"a{i}" for i in range(done)]
    source.write_bytes(packed)  # the fix: the whole file (a different size: still resumable)
    summary = annotate_file(source, out, chunk_size=20, tokens=False, resume=True)
    assert (summary.read, summary.written, summary.failed, summary.complete) == (200, 200, 0, True)
    assert [r["id"] for r in read_archive(out)] == [f"a{i}" for i in range(200)]
    assert "stopped" not in manifest_of(out)


def test_batch_not_parquet_fails_before_writing(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    source = tmp_path / "in.parquet"
    source.write_bytes(b"this is not a parquet file " * 20)
    with pytest.raises(batch.InputReadError, match=r"in\.parquet"):
        annotate_file(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_batch_unreadable_input_fails_before_writing(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(jsonl_bytes(3)) + b"\n")
    real_open = open

    def deny(path, *args, **kwargs):  # chmod does not stop root, so refuse in open()
        if Path(path) == source:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(batch, "open", deny, raising=False)
    with pytest.raises(batch.InputReadError, match="Permission denied"):
        annotate_file(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_batch_read_error_mid_file_is_fatal_not_the_end(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(jsonl_bytes(30)) + b"\n")
    real = batch._iter_jsonl

    def failing(path, fields, skip):
        for record in real(path, fields, skip):
            if record.position == 17:
                raise OSError(5, "Input/output error")
            yield record

    monkeypatch.setattr(batch, "_iter_jsonl", failing)
    with pytest.raises(batch.InputReadError, match="Input/output error"):
        annotate_file(source, tmp_path / "out", chunk_size=10, tokens=False)
    manifest = manifest_of(tmp_path / "out")
    assert manifest["next_position"] == 17 and not manifest["complete"]
    assert manifest["counts"]["read"] == 17


# -- fields -----------------------------------------------------------------------------------
def test_batch_wrong_text_field_fails_at_once_naming_the_columns(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"kode": ["k1", "k2"], "isi": [text(1), text(2)]})
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    lines = [json.dumps({"kode": f"k{i}", "isi": text(i)}) for i in range(5)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    for name in ("in.csv", "in.parquet", "in.jsonl"):
        with pytest.raises(ConfigError, match=r"'text'.*isi, kode"):
            list(iter_input(tmp_path / name))
        with pytest.raises(ConfigError, match=r"'body'.*isi, kode"):
            annotate_file(tmp_path / name, tmp_path / f"out-{name}", fields=FieldMap(text="body"))
        assert not (tmp_path / f"out-{name}").exists()
    # a named optional field must exist too (the default names may be absent)
    with pytest.raises(ConfigError, match=r"'nomor'.*isi, kode"):
        list(iter_input(tmp_path / "in.csv", fields=FieldMap(text="isi", id="nomor")))
    ok = list(iter_input(tmp_path / "in.csv", fields=FieldMap(text="isi", id="kode")))
    assert [r.item["id"] for r in ok] == ["k1", "k2"]


# -- published ----------------------------------------------------------------------------------
def test_batch_non_iso_published_is_parsed_or_nulled_with_a_warning(tmp_path: Path) -> None:
    values = [
        "3 Juli 2017",
        "10/21/2025 18:49",
        "10 Jun 2025 15:02",
        "4/5/2023",
        "Rabu, 18 Jun 2025 07:30 WIB",
        "2023-05-04",
        "kapan-kapan",
        20230504,
    ]
    lines = [
        json.dumps({"id": f"p{i}", "text": text(i), "published": v}) for i, v in enumerate(values)
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    summary = annotate_file(source, tmp_path / "out", tokens=False)
    assert (summary.written, summary.failed, summary.warnings) == (8, 0, 2)
    rows = {r["id"]: r for r in read_archive(tmp_path / "out")}
    given = [rows[f"p{i}"]["published"] for i in range(6)]
    assert given == [
        "2017-07-03",
        "2025-10-21T18:49:00",
        "2025-06-10T15:02:00",
        "2023-05-04",  # day first: 4/5 is 4 May
        "2025-06-18T07:30:00+07:00",
        "2023-05-04",
    ]
    assert all(rows[f"p{i}"]["published_source"] == "given" for i in range(6))
    assert rows["p6"]["published_source"] != "given" and rows["p7"]["published_source"] != "given"
    warnings = errors_of(tmp_path / "out", "_warnings.jsonl")
    assert [(w["id"], w["warning"]) for w in warnings] == [
        ("p6", "UnparsedPublished"),
        ("p7", "UnparsedPublished"),
    ]
    manifest = manifest_of(tmp_path / "out")
    assert manifest["counts"]["warnings"] == 2
    assert manifest["counts"]["warning_kinds"] == {"UnparsedPublished": 2}


# -- duplicate ids ------------------------------------------------------------------------------
def test_batch_duplicate_ids_are_counted_also_across_resume(tmp_path: Path) -> None:
    lines = jsonl_bytes(10)
    lines[6] = lines[2]  # a2 again
    lines[9] = lines[1]  # a1 again, after the resume: the first run committed a1
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out"
    first = annotate_file(source, out, chunk_size=3, limit=7, tokens=False)
    assert first.warnings == 1 and first.warning_counts == {"DuplicateId": 1}
    final = annotate_file(source, out, chunk_size=3, tokens=False, resume=True)
    assert (final.read, final.written, final.warnings) == (10, 10, 2)
    manifest = manifest_of(out)
    assert manifest["counts"]["warning_kinds"] == {"DuplicateId": 2}
    warnings = errors_of(out, "_warnings.jsonl")
    assert [(w["id"], w["position"], w["warning"]) for w in warnings] == [
        ("a2", 6, "DuplicateId"),
        ("a1", 9, "DuplicateId"),
    ]


def test_batch_empty_inputs_are_empty_runs(tmp_path: Path) -> None:
    for name in ("empty.jsonl", "empty.csv", "blank.jsonl"):
        (tmp_path / name).write_text("\n\n" if name == "blank.jsonl" else "")
        summary = annotate_file(tmp_path / name, tmp_path / f"out-{name}")
        assert (summary.read, summary.written, summary.complete) == (0, 0, True)
