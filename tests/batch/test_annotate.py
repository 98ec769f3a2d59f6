"""Tests of beritanlp.batch.annotate: annotate_file into a resumable archive (JSON Lines and
Parquet agree, torn state recovered, read errors fatal but resumable, duplicates counted,
interrupts leave a consistent archive, the time budget)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from beritanlp.batch import InputReadError, annotate_file, archive, read_archive, readers
from beritanlp.errors import BeritaError, ConfigError
from tests.batch.conftest import SLOW
from tests.batch.helpers import corpus, errors_of, jsonl_bytes, manifest_of, small_input


def test_batch_annotate_file_jsonl_and_parquet_agree(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    jsonl = annotate_file(source, tmp_path / "out", chunk_size=7)
    parquet = annotate_file(source, tmp_path / "out.parquet", chunk_size=11)
    assert (jsonl.read, jsonl.written, jsonl.failed) == (30, 28, 2)
    assert (parquet.read, parquet.written, parquet.failed) == (30, 28, 2)
    assert len(list((tmp_path / "out").glob("part-*.jsonl"))) == 5
    from_json = list(read_archive(tmp_path / "out"))
    from_parquet = list(read_archive(tmp_path / "out.parquet"))
    assert [r["id"] for r in from_json] == [f"n{i}" for i in range(30) if i not in (4, 9)]
    assert from_json == from_parquet
    import pandas as pd

    frame = pd.read_parquet(tmp_path / "out.parquet")
    assert list(frame["id"]) == [r["id"] for r in from_json]
    errors = [json.loads(x) for x in (tmp_path / "out" / "_errors.jsonl").read_text().splitlines()]
    assert [(e["id"], e["line"], e["error_type"]) for e in errors] == [
        ("4", 5, "InvalidJSON"),
        ("no-text", 10, "MissingField"),
    ]


def test_batch_resume_recovers_torn_state(tmp_path: Path) -> None:
    source = corpus(tmp_path, 20)
    out = tmp_path / "out"
    first = annotate_file(source, out, chunk_size=4, limit=8)
    assert (first.read, first.complete) == (8, False)
    # what a kill between part rename and manifest update leaves behind
    (out / "part-00002.jsonl").write_text('{"id": "torn"}\n')
    (out / ".part-00003.jsonl.tmp").write_text("half")
    with open(out / "_errors.jsonl", "a") as handle:
        handle.write('{"id": "ghost"}\n')
    with pytest.raises(ConfigError, match="--resume"):
        annotate_file(source, out, chunk_size=4)
    with pytest.raises(ConfigError, match="different input or options"):
        annotate_file(source, out, resume=True, tokens=False)
    final = annotate_file(source, out, chunk_size=3, resume=True)
    assert (final.read, final.written, final.failed, final.complete) == (20, 18, 2, True)
    ids = [r["id"] for r in read_archive(out)]
    assert ids == [f"n{i}" for i in range(20) if i not in (4, 9)]
    errors = (out / "_errors.jsonl").read_text().splitlines()
    assert len(errors) == 2 and "ghost" not in "".join(errors)
    assert not list(out.glob(".*.tmp"))


def test_batch_refuses_foreign_directory(tmp_path: Path) -> None:
    source = corpus(tmp_path, 12)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    with pytest.raises(ConfigError, match="not a beritanlp archive"):
        annotate_file(source, tmp_path / "mine")


# -- fatal read errors: raised, committed work kept, manifest incomplete, resumable ---------------
def test_batch_truncated_gzip_is_fatal_and_resumable_after_the_fix(tmp_path: Path) -> None:
    full = b"\n".join(jsonl_bytes(200)) + b"\n"
    packed = gzip.compress(full)
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(packed[: len(packed) // 2])
    out = tmp_path / "out"
    with pytest.raises(InputReadError, match=r"in\.jsonl\.gz") as caught:
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


def test_batch_read_error_mid_file_is_fatal_not_the_end(tmp_path: Path, monkeypatch) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(jsonl_bytes(30)) + b"\n")
    real = readers._iter_jsonl

    def failing(path, fields, skip):
        for record in real(path, fields, skip):
            if record.position == 17:
                raise OSError(5, "Input/output error")
            yield record

    monkeypatch.setattr(readers, "_iter_jsonl", failing)
    with pytest.raises(InputReadError, match="Input/output error"):
        annotate_file(source, tmp_path / "out", chunk_size=10, tokens=False)
    manifest = manifest_of(tmp_path / "out")
    assert manifest["next_position"] == 17 and not manifest["complete"]
    assert manifest["counts"]["read"] == 17


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


# -- the time budget and interrupts -------------------------------------------------------------
def test_batch_record_timeout_in_annotate_file(slow_pipeline, tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{i}", "text": f"Berita {i}."}) for i in range(4)]
    lines[2] = json.dumps({"id": "r2", "text": f"Berita {SLOW}."})
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    summary = annotate_file(
        tmp_path / "in.jsonl", tmp_path / "out", record_timeout=1.0, batch_size=1
    )
    assert (summary.read, summary.written, summary.failed) == (4, 3, 1)
    error = json.loads((tmp_path / "out" / "_errors.jsonl").read_text())
    assert (error["id"], error["error_type"]) == ("r2", "RecordTimeoutError")


def test_batch_interrupt_during_a_commit_leaves_a_consistent_archive(
    tmp_path: Path, monkeypatch
) -> None:
    """Ctrl-C/SIGTERM while a chunk is committed: the manifest on disk is the last whole
    commit (plus why the run stopped), and --resume ends with every record exactly once."""
    source = small_input(tmp_path, 9)
    out = tmp_path / "out"
    real = archive.write_atomic
    manifests = []

    def interrupted(path: Path, write) -> None:
        if path.name == "_manifest.json":
            manifests.append(path)
            if len(manifests) == 3:  # creation, chunk 1, then chunk 2: stop before it lands
                raise KeyboardInterrupt
        real(path, write)

    monkeypatch.setattr(archive, "write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        annotate_file(source, out, chunk_size=3, tokens=False)
    monkeypatch.setattr(archive, "write_atomic", real)
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["stopped"]["reason"] == "interrupted" and not manifest["complete"]
    assert (manifest["next_position"], manifest["counts"]["read"], manifest["next_part"]) == (
        3,
        3,
        1,
    )
    final = annotate_file(source, out, chunk_size=3, tokens=False, resume=True)
    assert (final.read, final.written, final.warnings) == (9, 9, 0)
    assert [r["id"] for r in read_archive(out)] == [f"k{i}" for i in range(9)]
