"""Adversarial inputs: cost per character of every pipeline component at three sizes (issue 14).

    python benchmarks/bench_adversarial.py [--sizes 10000,20000,40000] [--data ../shared/data]
        [--only SHAPE ...] [--rss]

Each shape is a text built to stress one component (long runs of whitespace, brackets, quotes,
capitals, repeated datelines and names, glued words ...). For each shape and size the pipeline of
``beritanlp.load()`` runs component by component on one core and the script prints seconds per
100,000 characters for every component and in total, plus the growth from the smallest to the
largest size (1.0 = linear). Real news text is the reference row. ``--rss`` also analyses a
1,000,000-character article of real news in a fresh process and prints its peak RSS.

Everything is measured in this one run; nothing is asserted (the unit suite has the property
tests that keep the shapes fast).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def _news(data: Path, n_chars: int) -> str:
    path = data / "news" / "articles.jsonl"
    if not path.exists():
        seed = (ROOT / "examples" / "xinhua-sco-2023-05-04.txt").read_text(encoding="utf-8")
        return (seed * (n_chars // len(seed) + 1))[:n_chars]
    parts: list[str] = []
    total = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text"]
            parts.append(text)
            total += len(text) + 2
            if total >= n_chars:
                break
    return "\n\n".join(parts)[:n_chars]


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def shapes(data: Path) -> dict[str, Callable[[int], str]]:
    head = "JAKARTA - Presiden Joko Widodo tiba di Bali, Senin (4/5/2023).\n"
    return {
        "real news (reference)": lambda n: _news(data, n),
        "spaces in last line": lambda n: head + "akhir" + " " * (n - len(head) - 10) + "kata",
        "tabs+NBSP in last line": lambda n: head + "x" + _repeat("\t\u00a0 ", n - len(head) - 2),
        "run of (": lambda n: head + "(" * (n - len(head)),
        "run of “": lambda n: head + "“" * (n - len(head)),
        "nested brackets": lambda n: head + _repeat("([{", n // 2 - len(head)) + "x"
        + _repeat("}])", n // 2),
        "repeated datelines": lambda n: _repeat("Jakarta (ANTARA) - ", n),
        "repeated gazetteer sentences": lambda n: _repeat(
            "Presiden Joko Widodo bertemu PM Anwar Ibrahim di Jakarta, Indonesia. ", n
        ),
        "( + capitals, last line": lambda n: head + "(" + _repeat("ABCDEFGHIJ", n - len(head)),
        "Senin + spaces": lambda n: head + "Senin" + " " * (n - len(head) - 5),
        "Jakarta, * n": lambda n: _repeat("Jakarta, ", n),
        "Budi Santoso, * n": lambda n: _repeat("Budi Santoso, ", n),
        "camel case glue": lambda n: _repeat("dariJakartakepadaAFPbahwa ", n),
        "one glued token": lambda n: _repeat("dariJakarta", n),
        "capitals, no spaces": lambda n: _repeat("ABCDEFGHIJKLMNOPQRSTUVWXYZ", n),
        "digits and slashes": lambda n: _repeat("12/3/2024-", n),
        "furniture lines": lambda n: _repeat("Baca juga: Jokowi Resmikan Tol Bali\n", n),
        "quotes and cues": lambda n: _repeat('"Kami siap," kata Budi. ', n),
        "one huge word": lambda n: "a" * n,
    }


def time_components(nlp, text: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    out: dict[str, float] = {}
    started = time.perf_counter()
    doc = nlp.make_doc(text)
    out["tokenizer"] = time.perf_counter() - started
    for name, proc in nlp.pipeline:
        started = time.perf_counter()
        doc = proc(doc)
        out[name] = time.perf_counter() - started
    from beritanlp.article import Article

    started = time.perf_counter()
    Article.from_doc(doc)
    out["Article"] = time.perf_counter() - started
    return out


def rss_child(n_chars: int, data: str) -> None:
    import resource

    import beritanlp

    text = _news(Path(data), n_chars)
    beritanlp.analyze(text)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,20000,40000")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--rss", action="store_true")
    ap.add_argument(
        "--timeout",
        type=float,
        default=0,
        help="run each shape in its own process and stop it after this many seconds (for code "
        "where a shape may take minutes, e.g. an older version: PYTHONPATH=old/src)",
    )
    ap.add_argument("--rss-child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.rss_child:
        rss_child(args.rss_child, str(args.data))
        return
    if args.timeout:
        names = [n for n in shapes(args.data) if not args.only or n in args.only]
        print(f"each shape in its own process, stopped after {args.timeout:.0f} s")
        for name in names:
            cmd = [sys.executable, __file__, "--sizes", args.sizes, "--data", str(args.data),
                   "--only", name]  # fmt: skip
            try:
                out = subprocess.run(
                    cmd, capture_output=True, text=True, timeout=args.timeout, check=False
                ).stdout
                print("\n".join(out.splitlines()[2:]), flush=True)
            except subprocess.TimeoutExpired as exc:
                done = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else ""
                rows = "\n".join(done.splitlines()[2:])
                if rows:
                    print(rows)
                print(f"{name:<30} stopped after {args.timeout:.0f} s", flush=True)
        if args.rss:
            _print_rss(args.data)
        return
    import beritanlp

    nlp = beritanlp.load()
    nlp.max_length = 10_000_000
    sizes = [int(s) for s in args.sizes.split(",")]
    nlp(_news(args.data, 5000))  # warm-up: models and data files loaded
    print(f"seconds per 100,000 characters; sizes {sizes}; growth = largest / smallest size")
    print(f"{'shape':<30} {'size':>7} {'total':>7}  slowest components")
    for name, make in shapes(args.data).items():
        if args.only and name not in args.only:
            continue
        per_size = []
        for size in sizes:
            text = make(size)
            times = time_components(nlp, text)
            total = sum(times.values())
            per_size.append(total / len(text) * 100_000)
            top = sorted(times.items(), key=lambda kv: -kv[1])[:3]
            parts = ", ".join(f"{k} {v / len(text) * 100_000:.2f}" for k, v in top)
            print(f"{name:<30} {len(text):>7} {per_size[-1]:7.2f}  {parts}", flush=True)
        print(f"{'':<30} {'growth':>7} {per_size[-1] / max(per_size[0], 1e-9):7.2f}")
    if args.rss:
        _print_rss(args.data)


def _print_rss(data: Path) -> None:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", "1000000", "--data", str(data)],
        capture_output=True,
        text=True,
        check=True,
    )
    print(
        f"analyze() of 1,000,000 characters of real news: peak RSS {out.stdout.strip()} MB, "
        f"{time.perf_counter() - started:.1f} s (fresh process, load included)"
    )


if __name__ == "__main__":
    main()
