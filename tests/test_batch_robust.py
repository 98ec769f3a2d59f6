"""Issue 14 (sections 1 and 2): input errors are raised, records have a time budget, and an
archive being written is locked. Each test failed before the fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from spacy.language import Language

import beritanlp
from beritanlp import batch
from beritanlp.api import DEFAULT_MAX_LENGTH
from beritanlp.batch import analyze_many, annotate_file
from beritanlp.errors import ConfigError

SLOW = "LAMBAT"  # a record containing this word makes the test component sleep for a minute


@Language.component("beritanlp_test_slow")
def _slow(doc):
    if SLOW in doc.text:
        time.sleep(60)  # a record that never finishes in time
    return doc


@pytest.fixture
def slow_pipeline(monkeypatch):
    """Its own cached pipeline (a separate load() key) with the sleeping component."""
    nlp = beritanlp.load(max_length=DEFAULT_MAX_LENGTH + 11)
    if "slow" not in nlp.pipe_names:
        nlp.add_pipe("beritanlp_test_slow", name="slow", last=True)
    monkeypatch.setattr(batch, "load", lambda **_: nlp)
    return nlp


def failing_items(n: int, exc: Exception):
    for i in range(n):
        yield f"Kalimat nomor {i}."
    raise exc


# -- an input that raises is not the end of the input -----------------------------------------
@pytest.mark.parametrize("n_process", [1, 2])
@pytest.mark.parametrize("on_error", ["raise", "record"])
def test_batch_generator_error_is_raised(n_process: int, on_error: str) -> None:
    got = []
    with pytest.raises(OSError, match="disk gone"):
        for result in analyze_many(
            failing_items(5, OSError("disk gone")),
            n_process=n_process,
            batch_size=2,
            on_error=on_error,  # type: ignore[arg-type]
        ):
            got.append(result)
    assert [r.id for r in got] == [0, 1, 2, 3, 4] and all(r.ok for r in got)


# -- the per-record time budget -----------------------------------------------------------------
@pytest.mark.parametrize("n_process", [1, 2])
def test_batch_record_timeout_fails_only_the_slow_record(slow_pipeline, n_process: int) -> None:
    items = ["Satu.", f"Ini {SLOW}.", "Tiga.", "Empat.", "Lima."]
    results = list(analyze_many(items, n_process=n_process, batch_size=3, record_timeout=1.5))
    assert [r.id for r in results] == [0, 1, 2, 3, 4]
    assert [r.ok for r in results] == [True, False, True, True, True]
    assert results[1].error.error_type == "RecordTimeoutError"
    assert "record_timeout=1.5" in results[1].error.message
    assert results[4].article.text == "Lima."  # the replaced worker (or the process) goes on


def test_batch_record_timeout_raises_with_on_error_raise(slow_pipeline) -> None:
    with pytest.raises(batch.RecordTimeoutError):
        list(analyze_many(["Satu.", SLOW], batch_size=1, record_timeout=1.0, on_error="raise"))
    with pytest.raises(ConfigError, match="record_timeout"):
        analyze_many([], record_timeout=-1)


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


# -- the output directory lock ------------------------------------------------------------------
def small_input(tmp_path: Path, n: int = 6) -> Path:
    lines = [json.dumps({"id": f"k{i}", "text": f"Berita pendek {i}."}) for i in range(n)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_batch_lock_refuses_a_second_writer(tmp_path: Path) -> None:
    source = small_input(tmp_path)
    out = tmp_path / "out"
    annotate_file(source, out, limit=3)
    # another live process holds the archive: hold its lock from a child process
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        for options in ({"resume": True}, {"force": True}, {}):
            with pytest.raises(batch.ArchiveLockedError, match=rf"pid {holder.pid}"):
                annotate_file(source, out, **options)
    finally:
        holder.kill()
        holder.wait()
    # the holder is dead: its lock is stale and does not block
    summary = annotate_file(source, out, resume=True)
    assert (summary.read, summary.complete) == (6, True)


HOLD_LOCK = """
import sys, time
from pathlib import Path
from beritanlp.batch import _ArchiveLock
lock = _ArchiveLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_batch_stale_lock_file_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    source = small_input(tmp_path)
    out = tmp_path / "out"
    annotate_file(source, out, limit=2)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (out / "_lock").write_text(json.dumps({"pid": int(dead.stdout), "host": os.uname()[1]}))
    assert annotate_file(source, out, resume=True).complete


def test_batch_interrupt_during_a_commit_leaves_a_consistent_archive(
    tmp_path: Path, monkeypatch
) -> None:
    """Ctrl-C/SIGTERM while a chunk is committed: the manifest on disk is the last whole
    commit (plus why the run stopped), and --resume ends with every record exactly once."""
    source = small_input(tmp_path, 9)
    out = tmp_path / "out"
    real = batch._write_atomic
    manifests = []

    def interrupted(path: Path, write) -> None:
        if path.name == "_manifest.json":
            manifests.append(path)
            if len(manifests) == 3:  # creation, chunk 1, then chunk 2: stop before it lands
                raise KeyboardInterrupt
        real(path, write)

    monkeypatch.setattr(batch, "_write_atomic", interrupted)
    with pytest.raises(KeyboardInterrupt):
        annotate_file(source, out, chunk_size=3, tokens=False)
    monkeypatch.setattr(batch, "_write_atomic", real)
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["stopped"]["reason"] == "interrupted" and not manifest["complete"]
    assert (manifest["next_position"], manifest["counts"]["read"], manifest["next_part"]) == (
        3,
        3,
        1,
    )
    final = annotate_file(source, out, chunk_size=3, tokens=False, resume=True)
    assert (final.read, final.written, final.warnings) == (9, 9, 0)
    assert [r["id"] for r in batch.read_archive(out)] == [f"k{i}" for i in range(9)]
