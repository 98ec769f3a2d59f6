"""Inputs and process helpers shared by the batch tests (synthetic texts written for them)."""

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

from tests.conftest import ROOT

#: The environment of a ``python -m beritanlp`` child process (these sources).
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def texts(n: int) -> list[str]:
    """Short synthetic news texts written for these tests."""
    places = ["JAKARTA", "Bandung", "Surabaya", "Medan", "Makassar"]
    return [
        f"Berita {i}\n{places[i % 5]} - Pemerintah berjanji memperbaiki jalan nomor {i}. "
        f"Warga menyambut baik rencana pembangunan itu.Dalam pertemuan, camat hadir."
        for i in range(n)
    ]


def text(i: int) -> str:
    """A short synthetic news text written for these tests."""
    return f"Judul {i}\nBandung - Pemerintah kota berjanji memperbaiki jalan pada tahun {2000 + i}."


def write_jsonl(path: Path, records: list[object], *, gz: bool = False) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def jsonl_bytes(n: int, *, start: int = 0) -> list[bytes]:
    return [
        json.dumps({"id": f"a{i}", "text": text(i), "published": "2023-05-04"}).encode()
        for i in range(start, start + n)
    ]


def corpus(tmp_path: Path, n: int = 30) -> Path:
    records: list[object] = [
        {"id": f"n{i}", "text": t, "published": f"2023-0{1 + i % 3}-15"}
        for i, t in enumerate(texts(n))
    ]
    records[4] = "this is not json"
    records[9] = {"id": "no-text"}
    return write_jsonl(tmp_path / "in.jsonl", records)


def small_input(tmp_path: Path, n: int = 6) -> Path:
    lines = [json.dumps({"id": f"k{i}", "text": f"Berita pendek {i}."}) for i in range(n)]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def errors_of(out: Path, name: str = "_errors.jsonl") -> list[dict]:
    path = out / name
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def manifest_of(out: Path) -> dict:
    return json.loads((out / "_manifest.json").read_text())


# -- real processes (Linux: worker processes are found in /proc) ----------------------------------
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


def wait_for_part(proc: subprocess.Popen, part: Path) -> None:
    """Wait (a minute at most) until a running ``beritanlp batch`` has committed ``part``;
    fail the test if the run ends before, and stop it if it does not get there."""
    deadline = time.monotonic() + 60
    while not part.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.stderr.read() if proc.stderr is not None else ""
            err = err.decode() if isinstance(err, bytes) else err
            pytest.fail(f"batch ended early: {err[-2000:]}")
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be stopped"


def wait_for_work(proc: subprocess.Popen, out: Path) -> list[int]:
    """Wait until a chunk is committed (the workers are busy); return the worker pids."""
    wait_for_part(proc, out / "part-00001.jsonl")
    workers = children(proc.pid)
    assert proc.poll() is None, "the run finished before it could be stopped"
    assert len(workers) == 2, workers
    return workers


def wait_gone(pids: list[int], seconds: float = 15.0) -> list[int]:
    """The pids still alive after up to ``seconds`` (killed, so none is left behind)."""
    deadline = time.monotonic() + seconds
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:  # do not leave them behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    return left


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads worker processes from /proc"
)
