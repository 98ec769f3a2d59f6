"""Tests of ``beritanlp batch`` and ``beritanlp stats`` (in process, and killed/resumed; with
real processes, issue 14: SIGTERM stops a two-worker run cleanly and a read error is one line)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from beritanlp.batch import read_archive
from beritanlp.cli import main
from tests.batch.helpers import (
    ENV,
    linux_only,
    start_batch,
    wait_for_part,
    wait_for_work,
    wait_gone,
    write_input,
)


def text(i: int, sentences: int = 3) -> str:
    """A synthetic Indonesian news text written for these tests."""
    body = " ".join(
        f"Pemerintah kota berjanji memperbaiki {k + 1} ruas jalan pada tahun {2000 + i}."
        for k in range(sentences)
    )
    return f"Judul berita {i}\nBandung - {body}\nBaca juga: Berita lain {i}"


def write_jsonl(path: Path, n: int, *, bad: tuple[int, ...] = (), sentences: int = 3) -> Path:
    lines = []
    for i in range(n):
        if i in bad:
            lines.append("{not json" if i % 2 else json.dumps({"id": f"a{i}", "body": "x"}))
        else:
            record = {"id": f"a{i}", "text": text(i, sentences), "published": "2023-05-04"}
            lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_batch_reports_bad_records_and_exit_status(tmp_path: Path, capsys) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 12, bad=(3, 6))
    out = tmp_path / "out"
    assert main(["batch", str(source), "-o", str(out), "--chunk-size", "5"]) == 1
    err = capsys.readouterr().err
    assert "read 12, written 10, failed 2" in err and "_errors.jsonl" in err
    errors = [json.loads(x) for x in (out / "_errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["error_type"]) for e in errors] == [
        (4, "InvalidJSON"),
        (7, "MissingField"),
    ]
    rows = list(read_archive(out))
    assert [r["id"] for r in rows] == [f"a{i}" for i in range(12) if i not in (3, 6)]
    assert rows[0]["tokens"] and rows[0]["published"] == "2023-05-04"
    out2 = tmp_path / "out2"
    args = ["batch", str(source), "-o", str(out2), "--allow-errors", "--no-tokens", "--limit", "5"]
    assert main(args) == 0
    rows = list(read_archive(out2))
    assert len(rows) == 4 and "tokens" not in rows[0]
    assert main(["batch", str(source), "-o", str(out2)]) == 1
    assert "--resume" in capsys.readouterr().err


def test_cli_batch_csv_gzip_fields_and_parquet_matches_json(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv.gz"
    with gzip.open(source, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["kode", "isi", "judul", "tanggal"])
        for i in range(8):
            writer.writerow(
                [f"c{i}", text(i), f"Judul {i}" if i % 2 else "", "2024-02-0" + str(i + 1)]
            )
    fields = ["--id-field", "kode", "--text-field", "isi", "--title-field", "judul"]
    fields += ["--published-field", "tanggal"]
    assert main(["batch", str(source), "-o", str(tmp_path / "j"), *fields, "--quiet"]) == 0
    workers = ["--workers", "2", "--batch-size", "3"]  # the pool path, output encoded in workers
    assert main(["batch", str(source), "-o", str(tmp_path / "p.parquet"), *fields, *workers]) == 0
    import pandas as pd
    import pyarrow.parquet as pq

    from beritanlp.batch import arrow_schema

    table = pq.read_table(tmp_path / "p.parquet")
    assert table.schema.equals(arrow_schema(), check_metadata=False)
    frame = pd.read_parquet(tmp_path / "p.parquet")
    assert list(frame["id"]) == [f"c{i}" for i in range(8)]
    as_json = list(read_archive(tmp_path / "j"))
    assert as_json == list(read_archive(tmp_path / "p.parquet"))
    assert as_json[1]["title"] == "Judul 1" and as_json[0]["title_source"] != "given"
    assert as_json[7]["published"] == "2024-02-08"


def test_cli_stats_prints_summary(tmp_path: Path, capsys) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 5)
    assert main(["batch", str(source), "-o", str(tmp_path / "o.parquet"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["stats", str(tmp_path / "o.parquet")]) == 0
    out = capsys.readouterr().out
    assert "articles   5" in out and "2023-05" in out and "topics" in out and "datelines" in out
    assert main(["stats", str(tmp_path / "o.parquet"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles"] == 5
    assert main(["stats", str(tmp_path / "missing")]) == 1


def test_cli_analyze_still_works(capsys) -> None:
    from tests.conftest import SEED_PATH

    assert main(["analyze", str(SEED_PATH), "--indent", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("China-Rusia")


def test_cli_batch_survives_sigkill_and_resumes(tmp_path: Path) -> None:
    n = 80
    source = write_jsonl(tmp_path / "in.jsonl", n, sentences=3)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "beritanlp", "batch", str(source), "-o", str(out)]
    command += ["--chunk-size", "5", "--batch-size", "5"]
    proc = subprocess.Popen(
        command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path
    )
    wait_for_part(proc, out / "part-00002.jsonl")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    manifest = json.loads((out / "_manifest.json").read_text())
    assert 0 < manifest["next_position"] < n and not manifest["complete"]
    resumed = subprocess.run(
        [*command, "--resume"], env=ENV, capture_output=True, text=True, cwd=tmp_path
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"read {n}, written {n}, failed 0" in resumed.stderr
    ids = [row["id"] for row in read_archive(out)]
    assert ids == [f"a{i}" for i in range(n)]
    assert not list(out.glob(".*.tmp"))


def test_cli_batch_wrong_text_field_fails_at_once(tmp_path: Path, capsys) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", 4)
    assert main(["batch", str(source), "-o", str(tmp_path / "o"), "--text-field", "isi"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("beritanlp: error: ") and err.count("\n") == 1
    assert "'isi'" in err and "id, published, text" in err
    assert not (tmp_path / "o").exists()


def test_cli_batch_reports_warnings_and_record_timeout_option(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "w0", "text": text(0), "published": "3 Juli 2017"},
        {"id": "w1", "text": text(1), "published": "bukan tanggal"},
        {"id": "w0", "text": text(2), "published": "2023-05-04"},
    ]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    out = tmp_path / "out"
    assert main(["batch", str(source), "-o", str(out), "--quiet", "--record-timeout", "30"]) == 0
    err = capsys.readouterr().err
    assert "read 3, written 3, failed 0, warnings 2" in err
    assert "1 duplicate id" in err and "1 unparsed published" in err and "_warnings.jsonl" in err
    assert [r["published"] for r in read_archive(out)] == ["2017-07-03", None, "2023-05-04"]
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(source), "-o", str(out), "--force", "--record-timeout", "-1"])
    assert exit_.value.code == 2


@linux_only
def test_cli_batch_sigterm_stops_like_sigint_and_locks_the_archive(tmp_path: Path) -> None:
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


def test_cli_batch_two_workers_input_error_is_one_line_and_resumable(
    tmp_path: Path, capsys
) -> None:
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
