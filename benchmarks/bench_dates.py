"""Speed of the date and dateline components (issue 16: together at least 150,000 tokens/s).

    python benchmarks/bench_dates.py [--data ../shared/data] [--n 1000] [--rounds 3]

``--n`` articles of ``news/articles.jsonl`` (seed 16) go through the sections component first
(outside the timing: the dates read its spans); then ``beritanlp_dates`` alone,
``beritanlp_dateline`` alone (on the docs the dates have processed) and the two in turn run on
copies of those docs, one core, best of ``--rounds`` in CPU time (``time.process_time``; the
shared machine's wall clock varies with its load). A first, untimed round reads the data files
and the holiday tables (the official calendar of a year is built once and kept). Printed:
tokens/s of each and the ratio to the 150,000 tokens/s floor of issue 16.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FLOOR = 150_000


def articles(data: Path, n: int, seed: int) -> list[dict[str, Any]]:
    with (data / "news" / "articles.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = [r for r in rows if r.get("text")]
    return random.Random(seed).sample(rows, min(n, len(rows)))


def cpu_best(rounds: int, fn: Callable[[list[Any]], Any], docs: list[Any]) -> float:
    """Best CPU time of ``fn`` over fresh copies of ``docs`` (copying is not timed)."""
    best = float("inf")
    for _ in range(rounds):
        copies = [d.copy() for d in docs]
        gc.collect()
        start = time.process_time()
        fn(copies)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import beritanlp.components.dateline
    import beritanlp.components.dates
    import beritanlp.components.sections  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    for name in ("sections", "dates", "dateline"):
        nlp.add_pipe(f"beritanlp_{name}", name=name)
    for _, component in nlp.pipeline:
        component.initialize()
    sections, dates, dateline = (nlp.get_pipe(n) for n in ("sections", "dates", "dateline"))

    rows = articles(args.data, args.n, args.seed)
    docs = []
    for row in rows:
        doc = nlp.make_doc(row["text"])
        doc._.beritanlp_context = {"title": None, "published": row.get("published"), "url": None}
        docs.append(sections(doc))
    tokens = sum(len(d) for d in docs)
    dated = [dates(d.copy()) for d in docs]  # untimed: data files, holiday tables, caches

    def run_dates(batch: list[Any]) -> None:
        for doc in batch:
            dates(doc)

    def run_dateline(batch: list[Any]) -> None:
        for doc in batch:
            dateline(doc)

    def run_both(batch: list[Any]) -> None:
        for doc in batch:
            dateline(dates(doc))

    print(f"{len(docs)} articles (seed {args.seed}), {tokens:,} tokens, CPU time, one core")
    print(f"{'component':>16} {'seconds':>8} {'tokens/s':>11} {'/ floor':>8}")
    for name, fn, batch in (
        ("dates", run_dates, docs),
        ("dateline", run_dateline, dated),
        ("dates+dateline", run_both, docs),
    ):
        seconds = cpu_best(args.rounds, fn, batch)
        speed = tokens / seconds if seconds else float("inf")
        print(f"{name:>16} {seconds:8.3f} {speed:11,.0f} {speed / FLOOR:8.2f}")
    found = sum(len(d._.beritanlp_dates) for d in dated)
    print(f"(date expressions found: {found:,}; floor: {FLOOR:,} tokens/s for the two together)")


if __name__ == "__main__":
    main()
