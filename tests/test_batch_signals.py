"""Issue 14 (sections 1 and 3): ``beritanlp batch --workers 2`` stops cleanly, with real
processes. Before the fix SIGTERM and SIGKILL of the parent left both workers running forever,
a second ``--resume`` could write into a running archive, and an input read error with two
workers ended in a raw traceback without a manifest."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beritanlp.cli import main
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads worker processes from /proc"
)

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def write_input(path: Path, n: int) -> Path:
    lines = [
        json.dumps(
            {
                "id": f"s{i}",
                "text": f"Judul {i}\nBandung - Wali kota meresmikan jembatan ke-{i}. "
                "Warga menyambut baik rencana pembangunan itu.",
            }
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


def start_batch(source: Path, out: Path, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "beritanlp", "batch", str(source), "-o", str(out)]
    command += ["--workers", "2", "--chunk-size", "4", "--batch-size", "2", "--quiet", *extra]
    return subprocess.Popen(
        command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def wait_for_work(proc: subprocess.Popen, out: Path) -> list[int]:
    """Wait until a chunk is committed (the workers are busy); return the worker pids."""
    deadline = time.monotonic() + 60
    while not (out / "part-00001.jsonl").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"batch ended early: {proc.stderr.read()[-2000:]}")
        time.sleep(0.02)
    workers = children(proc.pid)
    assert proc.poll() is None, "the run finished before it could be stopped"
    assert len(workers) == 2, workers
    return workers


def wait_gone(pids: list[int], seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    return left


def test_batch_sigterm_stops_like_sigint_and_locks_the_archive(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 600)
    out = tmp_path / "out"
    proc = start_batch(source, out)
    workers = wait_for_work(proc, out)
    # a second writer is refused while the first is alive
    second = subprocess.run(
        [sys.executable, "-m", "beritanlp", "batch", str(source), "-o", str(out), "--resume"],
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert second.returncode == 1
    assert f"being written by another process (pid {proc.pid}" in second.stderr
    assert "Traceback" not in second.stderr
    proc.send_signal(signal.SIGTERM)
    try:
        err = proc.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the run did not stop on SIGTERM")
    assert proc.returncode == 143, err
    assert "terminated" in err and "--resume" in err and "Traceback" not in err
    assert wait_gone(workers) == []
    manifest = json.loads((out / "_manifest.json").read_text())
    assert manifest["next_position"] >= 8 and not manifest["complete"]
    assert manifest["stopped"]["reason"] == "interrupted"


def test_batch_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 600)
    out = tmp_path / "out"
    proc = start_batch(source, out)
    workers = wait_for_work(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert wait_gone(workers) == [], "workers outlived their parent"


def test_batch_two_workers_input_error_is_one_line_and_resumable(tmp_path: Path, capsys) -> None:
    lines = [
        json.dumps({"id": f"g{i}", "text": f"Berita nomor {i} dari Bandung."}).encode()
        for i in range(120)
    ]
    packed = gzip.compress(b"\n".join(lines) + b"\n")
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(packed[: len(packed) * 2 // 3])
    out = tmp_path / "out"
    command = [sys.executable, "-m", "beritanlp", "batch", str(source), "-o", str(out)]
    command += ["--workers", "2", "--quiet", "--no-tokens", "--chunk-size", "1000"]
    run = subprocess.run(command, env=ENV, capture_output=True, text=True)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    lines_out = run.stderr.strip().splitlines()
    assert len(lines_out) == 1 and lines_out[0].startswith("beritanlp: error: ")
    assert "in.jsonl.gz" in lines_out[0] and "--resume" in lines_out[0]
    manifest = json.loads((out / "_manifest.json").read_text())
    assert not manifest["complete"] and manifest["stopped"]["reason"] == "input_error"
    source.write_bytes(packed)  # the fix; resumed in this process (faster than a new one)
    assert main([*command[3:], "--resume"]) == 0
    assert "read 120, written 120, failed 0" in capsys.readouterr().err
