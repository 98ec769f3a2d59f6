"""Throughput and latency of ``beritanlp serve`` against the same work done in-process (issue 17).

    python benchmarks/bench_server.py [--data ../shared/data] [--n 200] [--workers 1 2]

For each worker count W, in one run:

* **throughput**, articles/s: in-process ``beritanlp.analyze_many(texts, n_process=W,
  batch_size=16)`` against the server (``beritanlp serve --workers W`` started as a subprocess
  on a free loopback port) through ``POST /v1/analyze/batch`` as JSON (2 clients, batches of
  32), through ``POST /v1/analyze`` (2W clients, one article per request) and as one NDJSON
  stream. Each comparison runs both sides on the **same** ``--n`` random whole articles of
  ``news/articles.jsonl`` (seed 17), new to both (the pipeline gets faster on words it has
  seen: measured 10-20 % between a first and a second pass over the same 200 articles, so
  texts are never reused), after both have warmed up on the same ``--warm`` other articles;
  ``--rounds`` rounds, the order of the two sides alternating, and the median ratio printed;
* **latency** of one typical article (the one of median length): its in-process time
  (``analyze()``, repeated), then p50/p95/p99 through ``/v1/analyze`` at 1, 4 and 16 concurrent
  clients, with every non-200 status counted;
* **/healthz while a slow article is analysed** (a 200,000-character text; 1 worker busy):
  the latency of ``/healthz`` polled meanwhile, against the same when idle.

The server's workers share out the warm-up articles, so each has seen fewer than the
in-process pipeline (slightly in favour of in-process). Without the data, slices of the bundled
example article are used instead (printed). The load is bounded: a fixed number of requests,
and ``--cap`` seconds for any one phase (a phase that hits it says so). The clients run on the
same machine as the server (loopback), so they take some of its CPU too.

Targets (issue 17): batch throughput >= 0.9x in-process at the same W; p99 of the typical
article at 1 client <= 1.5x its in-process time (the median of its in-process runs); no error
at 16 clients except 503s (none are expected: 16 <= W + --max-queue).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = ROOT / "examples" / "xinhua-sco-2023-05-04.txt"


def articles(data: Path, n: int, seed: int) -> tuple[list[str], str]:
    """``n`` random texts (shuffled) and where they come from."""
    path = data / "news" / "articles.jsonl"
    if not path.exists():
        seed_text = SEED_ARTICLE.read_text(encoding="utf-8")
        texts = [seed_text[(i * 7) % 3000 :] for i in range(n)]
        return texts, f"slices of {SEED_ARTICLE.name} ({path} not found)"
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    texts = [r["text"] for r in rows if r.get("text")]
    return random.Random(seed).sample(texts, min(n, len(texts))), f"random articles of {path}"


class Fresh:
    """Hands out texts no phase has used yet."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = list(reversed(texts))

    def take(self, n: int) -> list[str]:
        if len(self.texts) < n:
            raise SystemExit("not enough articles for every phase: lower --n or --warm")
        return [self.texts.pop() for _ in range(n)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """A ``beritanlp serve --workers N`` subprocess on loopback, ready; stopped with SIGTERM."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "beritanlp", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--max-chars", "1000000", "--max-batch", "64"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        yield url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


class Capped:
    """Runs tasks until they are done or ``cap`` seconds have passed (then says so)."""

    def __init__(self, cap: float) -> None:
        self.cap, self.hit = cap, False

    def map(self, clients: int, fn: Callable[[Any], Any], tasks: list[Any]) -> tuple[float, list]:
        """``fn`` over ``tasks`` from ``clients`` threads; (wall seconds, results done)."""
        deadline = time.monotonic() + self.cap
        queue = list(reversed(tasks))
        lock = threading.Lock()
        results: list[Any] = []

        def client() -> None:
            while time.monotonic() < deadline:
                with lock:
                    if not queue:
                        return
                    task = queue.pop()
                result = fn(task)
                with lock:
                    results.append(result)

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            for future in [pool.submit(client) for _ in range(clients)]:
                future.result()
        self.hit = self.hit or bool(queue)
        return time.perf_counter() - started, results


def local_client(url: str) -> Callable[[], httpx.Client]:
    store = threading.local()

    def get() -> httpx.Client:
        if not hasattr(store, "client"):
            store.client = httpx.Client(base_url=url, timeout=300)
        return store.client  # type: ignore[no-any-return]

    return get


def rate(texts: list[str], done: int, seconds: float) -> tuple[float, float]:
    """(articles/s, characters/s) for the first ``done`` of ``texts``."""
    return done / seconds, sum(map(len, texts[:done])) / seconds


def own_cpu() -> float:
    """CPU seconds of this process and of its children reaped so far (an in-process pool)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def server_cpu(pid: int) -> float:
    """CPU seconds of the server process and its live children (the workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def of(process: int) -> float:
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children.update(map(int, (task / "children").read_text().split()))
        except OSError:
            pass
    return of(pid) + sum(map(of, children))


class Cpu:
    """CPU ms per article around a phase: this process (in-process work, or the clients) and
    the server with its workers (0 when there is no server to read)."""

    def __init__(self, server_pid: int | None) -> None:
        self.pid = server_pid if server_pid and Path(f"/proc/{server_pid}").exists() else None

    def measure(self, run: Callable[[], tuple[float, float]], n: int) -> dict[str, float]:
        mine, theirs = own_cpu(), server_cpu(self.pid) if self.pid else 0.0
        articles, chars = run()
        mine, theirs = own_cpu() - mine, (server_cpu(self.pid) - theirs) if self.pid else 0.0
        return {
            "articles_s": articles,
            "chars_s": chars,
            "cpu_here_ms": 1000 * mine / n,
            "cpu_server_ms": 1000 * theirs / n,
        }


def measure(workers: int, warm: list[str], fresh: Fresh, args: argparse.Namespace) -> dict:
    from beritanlp import analyze, analyze_many

    out: dict[str, Any] = {"workers": workers}
    cap = Capped(args.cap)
    list(analyze_many(warm))  # in this process: forked workers inherit the warm caches

    def in_process(texts: list[str]) -> tuple[float, float]:
        started = time.perf_counter()
        # batches of 16: with the default 64, 250 articles are 4 batches, too few to share out
        done = sum(1 for _ in analyze_many(texts, n_process=workers, batch_size=16))
        return rate(texts, done, time.perf_counter() - started)

    with serve(workers, args.log_dir / f"server-{workers}.log") as (url, pid):
        client = local_client(url)
        cpu = Cpu(pid)

        def batch(items: list[str]) -> int:
            body = {"items": [{"text": t} for t in items]}
            response = client().post("/v1/analyze/batch", json=body)
            response.raise_for_status()
            return len(response.json()["results"])

        def chunks(texts: list[str], size: int) -> list[list[str]]:
            return [texts[i : i + size] for i in range(0, len(texts), size)]

        def server_batch(texts: list[str]) -> tuple[float, float]:
            seconds, results = cap.map(2, batch, chunks(texts, 32))
            return rate(texts, sum(results), seconds)

        def one(text: str) -> int:
            response = client().post("/v1/analyze", json={"text": text})
            response.raise_for_status()
            return 1

        def server_analyze(texts: list[str]) -> tuple[float, float]:
            seconds, results = cap.map(2 * workers, one, texts)
            return rate(texts, sum(results), seconds)

        def server_ndjson(texts: list[str]) -> tuple[float, float]:
            body = "".join(json.dumps({"text": t}) + "\n" for t in texts)
            started = time.perf_counter()
            with httpx.Client(base_url=url, timeout=args.cap) as stream_client:
                response = stream_client.post(
                    "/v1/analyze/batch",
                    content=body,
                    headers={"content-type": "application/x-ndjson"},
                )
            return rate(texts, len(response.text.splitlines()), time.perf_counter() - started)

        cap.map(2, batch, chunks(warm, 32))  # the same warm-up, shared out over the workers
        phases = {
            "server_batch": server_batch,
            "server_analyze": server_analyze,
            "server_ndjson": server_ndjson,
        }
        out["throughput"] = {key: [] for key in phases}
        for round_ in range(args.rounds):
            for key, phase in phases.items():
                # both sides on the same texts, new to both; which goes first alternates
                texts = fresh.take(args.n)

                def local_side(texts: list[str] = texts) -> dict[str, float]:
                    return cpu.measure(lambda: in_process(texts), len(texts))

                def server_side(
                    texts: list[str] = texts, phase: Callable[..., Any] = phase
                ) -> dict[str, float]:
                    return cpu.measure(lambda: phase(texts), len(texts))

                if round_ % 2 == 0:
                    local, served = local_side(), server_side()
                else:
                    served, local = server_side(), local_side()
                out["throughput"][key].append((local, served))

        typical = sorted(texts, key=len)[len(texts) // 2]
        local_times = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            analyze(typical)
            local_times.append(time.perf_counter() - started)
        local_times = local_times[1:]  # the first run fills the caches with its words
        out["typical_chars"] = len(typical)
        out["local_p50"] = percentile(local_times, 50)
        out["local_p99"] = percentile(local_times, 99)

        def timed_one(_: int) -> tuple[float, int]:
            started = time.perf_counter()
            status = client().post("/v1/analyze", json={"text": typical}).status_code
            return time.perf_counter() - started, status

        timed_one(0)  # each worker's first run of it fills its caches
        for _ in range(workers):
            timed_one(0)
        out["latency"] = {}
        for clients in (1, 4, 16):
            n = max(args.repeat, 10 * clients)
            _, results = cap.map(clients, timed_one, list(range(n)))
            times = [t for t, status in results if status == 200]
            statuses = Counter(status for _, status in results)
            out["latency"][clients] = {
                "n": len(results),
                "p50": percentile(times, 50),
                "p95": percentile(times, 95),
                "p99": percentile(times, 99),
                "statuses": dict(statuses),
            }
        if workers == 1:
            out["healthz"] = healthz_while_busy(url, texts)
    out["cap_hit"] = cap.hit
    return out


def healthz_while_busy(url: str, timed: list[str]) -> dict[str, float]:
    """/healthz latency while the one worker analyses a long text, and when idle."""
    slow = ("\n\n".join(timed) * 200)[:200_000]

    def probe(client: httpx.Client, n: int) -> list[float]:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            client.get("/healthz").raise_for_status()
            times.append(time.perf_counter() - started)
            time.sleep(0.02)
        return times

    with httpx.Client(base_url=url, timeout=300) as client:
        idle = probe(client, 50)
        answer: dict[str, float] = {}

        def post() -> None:
            started = time.perf_counter()
            with httpx.Client(base_url=url, timeout=300) as other:
                other.post("/v1/analyze", json={"text": slow}).raise_for_status()
            answer["seconds"] = time.perf_counter() - started

        thread = threading.Thread(target=post)
        thread.start()
        time.sleep(0.2)  # the slow request is in its worker by now
        busy = []
        while "seconds" not in answer:
            busy += probe(client, 1)
        thread.join()
    return {
        "slow_seconds": answer["seconds"],
        "probes": len(busy),
        "busy_p50": percentile(busy, 50),
        "busy_max": max(busy),
        "idle_p50": percentile(idle, 50),
        "idle_max": max(idle),
    }


def report(result: dict[str, Any]) -> None:
    w, ms = result["workers"], 1000.0
    print(f"\n== {w} worker(s) ==")
    print("each row: in-process analyze_many(n_process=W) and the server on the same new texts")
    for key, label in (
        ("server_batch", "/v1/analyze/batch JSON (2 clients x 32)"),
        ("server_analyze", f"/v1/analyze ({2 * w} clients)"),
        ("server_ndjson", "/v1/analyze/batch NDJSON (1 stream)"),
    ):
        pairs = result["throughput"][key]
        ratios = [served["articles_s"] / local["articles_s"] for local, served in pairs]
        rounds = ", ".join(
            f"{local['articles_s']:.1f} vs {served['articles_s']:.1f}" for local, served in pairs
        )
        print(
            f"server {label:40s} articles/s in-process vs server: {rounds};"
            f" ratio {' '.join(f'{r:.2f}' for r in ratios)},"
            f" median {statistics.median(ratios):.2f}x"
        )
        local_cpu = statistics.median(local["cpu_here_ms"] for local, _ in pairs)
        server_cpu_ms = statistics.median(served["cpu_server_ms"] for _, served in pairs)
        client_cpu = statistics.median(served["cpu_here_ms"] for _, served in pairs)
        print(
            f"{'':47s}CPU ms per article: in-process {local_cpu:.1f}, server + workers"
            f" {server_cpu_ms:.1f} ({server_cpu_ms / local_cpu:.2f}x), the clients {client_cpu:.1f}"
        )
    p50 = result["local_p50"]
    print(
        f"typical article ({result['typical_chars']:,} chars) in-process: "
        f"p50 {p50 * ms:.1f} ms, p99 {result['local_p99'] * ms:.1f} ms"
    )
    for clients, row in result["latency"].items():
        print(
            f"  /v1/analyze at {clients:2d} client(s), n={row['n']:3d}: p50 {row['p50'] * ms:6.1f}"
            f"  p95 {row['p95'] * ms:6.1f}  p99 {row['p99'] * ms:6.1f} ms"
            f"  (p99 / in-process p50 = {row['p99'] / p50:.2f}x)  statuses {row['statuses']}"
        )
    if "healthz" in result:
        h = result["healthz"]
        print(
            f"/healthz while one worker analyses {200_000:,} chars for {h['slow_seconds']:.1f} s:"
            f" {h['probes']} probes, p50 {h['busy_p50'] * ms:.1f} ms, max {h['busy_max'] * ms:.1f}"
            f" ms (idle: p50 {h['idle_p50'] * ms:.1f} ms, max {h['idle_max'] * ms:.1f} ms)"
        )
    if result["cap_hit"]:
        print("  (a phase hit --cap: its figures cover the requests done by then)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=250, help="articles per timed phase")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the throughput phases")
    parser.add_argument("--warm", type=int, default=600, help="articles to warm up with")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=200, help="runs of the typical article")
    parser.add_argument("--cap", type=float, default=300.0, help="seconds at most per phase")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    needed = args.warm + 3 * args.rounds * args.n * len(args.workers)
    texts, source = articles(args.data, needed, args.seed)
    fresh = Fresh(texts)
    warm = fresh.take(args.warm)
    print(f"{source}; {os.cpu_count()} cores; clients on the same machine (loopback)")
    results = []
    for workers in args.workers:
        results.append(measure(workers, warm, fresh, args))
        report(results[-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
