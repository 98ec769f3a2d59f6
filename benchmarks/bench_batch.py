"""Batch benchmark: ``beritanlp batch`` throughput and scaling, analyze() latency, peak RSS.

    python benchmarks/bench_batch.py [--data ../shared/data] [--articles 2000] [--latency 500]

Everything is measured in this one run, on this machine (the load average is printed next to
each figure, since the machine may be shared):
* ``beritanlp batch`` (a subprocess, JSON Lines output, tokens included) with ``--workers 1``
  and ``--workers 2``: articles/s and tokens/s over the first --articles texts of
  ``news/articles.jsonl``, the scaling factor (measured, and from the CPU time of the busiest
  process, which is what an idle machine would give), peak RSS and CPU time of each process
  (parent and workers, VmHWM and utime+stime sampled from /proc);
* per-article latency p50/p95/p99 of ``analyze()`` (warm, one process) over --latency texts;
* the overhead of batch I/O: in-process ``annotate_file`` (JSONL and Parquet) against bare
  ``batch.analyze_many`` consumed without writing, both n_process=1 and warm, in CPU time
  (``time.process_time``; wall time is noisy on a shared machine);
* anchors over the same texts: spaCy's blank ``id`` tokenizer alone (the floor) and plain
  PySastrawi stemming (``StemmerFactory().create_stemmer().stem(text)``);
* ``analyze_many(n_process=2)`` in-process after a warm-up pass: workers fork with a warm stem
  cache, as they have one for most of an archive-length run (the warm scaling);
* a projection of the wall time for a 1,000,000-article archive (from the cold CLI rate, and from
  the warm n_process=2 rate).
"""

from __future__ import annotations

import os

# one core means one BLAS thread too (the NER's matrix products would otherwise use both cores);
# set before numpy is imported, inherited by the subprocesses and workers
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_avg() -> str:
    return "load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


def tree_pids(pid: int) -> list[int]:
    """pid and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out


def vm_hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a process so far (from /proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_cli(
    source: Path, out: Path, workers: int
) -> tuple[float, float, dict[int, float], dict[int, float]]:
    """Run ``beritanlp batch``; (wall s, annotation s as reported, peak RSS MB per pid, CPU s
    per pid — the last sample, taken every 0.2 s)."""
    command = [sys.executable, "-m", "beritanlp", "batch", str(source), "-o", str(out)]
    command += ["--workers", str(workers), "--quiet", "--force", "--batch-size", "32"]
    began = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, float] = {}
    cpu: dict[int, float] = {}

    def sample() -> None:
        while proc.poll() is None:
            for pid in tree_pids(proc.pid):
                hwm = vm_hwm_mb(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0.0), hwm)
                seconds = cpu_seconds(pid)
                if seconds is not None:
                    cpu[pid] = seconds
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - began
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"beritanlp batch failed: {err}")
    reported = float(err.rsplit(" records in ", 1)[1].split(" s)", 1)[0])
    return wall, reported, peaks, cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--latency", type=int, default=500)
    args = parser.parse_args()
    source_all = args.data / "news" / "articles.jsonl"
    if not source_all.is_file():
        raise SystemExit(f"{source_all} is absent")
    records = []
    with open(source_all, encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
            if len(records) == args.articles:
                break
    texts = [r["text"] for r in records]
    chars = sum(map(len, texts))
    print(f"# bench_batch: {len(texts)} articles ({chars:,} chars), {os.cpu_count()} cores")
    print(f"# python {sys.version.split()[0]}, start {load_avg()}")

    import beritanlp
    from beritanlp import batch

    with tempfile.TemporaryDirectory(prefix="bench_batch_") as tmp_name:
        tmp = Path(tmp_name)
        source = tmp / "in.jsonl"
        with open(source, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")

        # -- CLI throughput and scaling -------------------------------------------------------
        # token count: from the archive of the first run (whitespace tokens are left out)
        rates, busiest = {}, {}
        for workers in (1, 2):
            before = load_avg()
            wall, reported, peaks, cpu = run_cli(source, tmp / f"out{workers}", workers)
            if workers == 1:
                tokens = sum(len(r["tokens"]) for r in batch.read_archive(tmp / "out1"))
            rates[workers] = len(texts) / reported
            busiest[workers] = max(cpu.values())
            rss = ", ".join(f"{mb:.0f}" for _, mb in sorted(peaks.items()))
            cpus = ", ".join(f"{sec:.0f}" for _, sec in sorted(cpu.items()))
            print(
                f"batch --workers {workers}: {len(texts) / reported:7.1f} articles/s "
                f"{tokens / reported:9,.0f} tokens/s (annotation {reported:.1f} s, wall incl. "
                f"start-up {wall:.1f} s); per process (parent first): peak RSS MB [{rss}], "
                f"CPU s [{cpus}]  ({before})"
            )
        print(
            f"scaling --workers 2 / 1: {rates[2] / rates[1]:.2f}x measured on the shared machine; "
            f"{busiest[1] / busiest[2]:.2f}x from CPU time (busiest process of each run: what an "
            f"idle 2-core machine would give)  ({load_avg()})"
        )

        # -- in-process: warm pipeline --------------------------------------------------------
        nlp = beritanlp.load()
        for _ in nlp.pipe(texts[:50]):
            pass
        before = load_avg()
        latencies = []
        for text in texts[: args.latency]:
            began = time.perf_counter()
            beritanlp.analyze(text)
            latencies.append((time.perf_counter() - began) * 1000)
        print(
            f"analyze() latency over {len(latencies)} articles: p50 {percentile(latencies, 50):.1f}"
            f" ms, p95 {percentile(latencies, 95):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
            f"mean {statistics.fmean(latencies):.1f} ms  ({before})"
        )

        import pyarrow.parquet  # noqa: F401  (its import is not per-article overhead)

        for _ in batch.analyze_many(records, batch_size=32):  # warm the stem cache on all texts
            pass
        before = load_avg()
        began, cpu_began = time.perf_counter(), time.process_time()
        n_ok = sum(r.ok for r in batch.analyze_many(records, batch_size=32))
        bare, bare_cpu = time.perf_counter() - began, time.process_time() - cpu_began
        print(
            f"bare analyze_many (n_process=1, warm): {n_ok / bare:7.1f} articles/s "
            f"{tokens / bare:9,.0f} tokens/s; CPU {1000 * bare_cpu / n_ok:.1f} ms/article  "
            f"({before})"
        )
        before = load_avg()
        began = time.perf_counter()
        sum(r.ok for r in batch.analyze_many(records, batch_size=32, n_process=2))
        bare2 = time.perf_counter() - began
        print(
            f"bare analyze_many (n_process=2, forked with the warm cache): {n_ok / bare2:7.1f} "
            f"articles/s {tokens / bare2:9,.0f} tokens/s; warm scaling {bare / bare2:.2f}x  "
            f"({before})"
        )
        for fmt in ("jsonl", "parquet"):
            before = load_avg()
            began, cpu_began = time.perf_counter(), time.process_time()
            batch.annotate_file(source, tmp / f"inproc-{fmt}", fmt=fmt, batch_size=32)
            spent, spent_cpu = time.perf_counter() - began, time.process_time() - cpu_began
            size = sum(p.stat().st_size for p in (tmp / f"inproc-{fmt}").iterdir()) / 1e6
            print(
                f"annotate_file -> {fmt:<7}: {len(texts) / spent:7.1f} articles/s; batch I/O "
                f"overhead over bare analyze_many: {100 * (spent_cpu - bare_cpu) / bare_cpu:+.1f}%"
                f" CPU ({100 * (spent - bare) / bare:+.1f}% wall); output {size:.1f} MB with "
                f"tokens  ({before})"
            )

        # -- anchors --------------------------------------------------------------------------
        import spacy

        blank = spacy.blank("id")
        began = time.perf_counter()
        blank_tokens = sum(len(doc) for doc in blank.tokenizer.pipe(texts))
        spent = time.perf_counter() - began
        print(
            f"anchor: spaCy blank 'id' tokenizer: {len(texts) / spent:7.1f} articles/s "
            f"{blank_tokens / spent:9,.0f} tokens/s"
        )
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        stemmer = StemmerFactory().create_stemmer()
        began = time.perf_counter()
        for text in texts:
            stemmer.stem(text)
        spent = time.perf_counter() - began
        print(
            f"anchor: PySastrawi stem(text) (cached stemmer): {len(texts) / spent:7.1f} "
            f"articles/s {tokens / spent:9,.0f} tokens/s (beritanlp token count)"
        )
        cold = rates[2]
        warm = n_ok / bare2
        print(
            f"projection, 1,000,000 articles of this mix: {1e6 / cold / 3600:.1f} h at the "
            f"--workers 2 CLI rate above (2,000 articles: cold stem caches, start-up included); "
            f"{1e6 / warm / 3600:.1f} h at the warm n_process=2 rate (an archive-length run)"
        )
        print(f"# end {load_avg()}")


if __name__ == "__main__":
    main()
