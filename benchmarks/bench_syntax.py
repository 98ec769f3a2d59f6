"""Throughput of the full pipeline with and without the Stanza syntax layer.

    python benchmarks/bench_syntax.py [--data ../shared/data] [--articles 100] [--stanza-dir DIR]

One core (torch and BLAS on one thread), ``nlp.pipe`` over the first --articles texts of
``news/articles.jsonl`` (the bundled example when ../shared/data is absent), after one warm-up
pass; best of two timed passes. Prints tokens/s for the default pipeline and for
``load(syntax="stanza")``, and the syntax component's own share. Needs ``beritanlp[stanza]``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def texts(data: Path, limit: int) -> list[str]:
    path = data / "news" / "articles.jsonl"
    if not path.is_file():
        return [(ROOT / "examples" / "xinhua-sco-2023-05-04.txt").read_text(encoding="utf-8")]
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text")
            if text:
                out.append(text)
            if len(out) == limit:
                break
    return out


def best_of(nlp, docs: list[str], rounds: int = 2) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """(seconds, tokens) of the fastest pass of ``nlp.pipe`` over ``docs``."""
    list(nlp.pipe(docs[:5]))  # warm-up: models loaded, caches primed
    best, n_tokens = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        n_tokens = sum(len(doc) for doc in nlp.pipe(docs, batch_size=32))
        best = min(best, time.perf_counter() - start)
    return best, n_tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--stanza-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        print(
            "needs the stanza extra: pip install torch==2.13.0 && "
            'pip install ".[stanza]" ./packages/beritanlp-stanza-id'
        )
        return 2
    torch.set_num_threads(1)
    import beritanlp

    docs = texts(args.data, args.articles)
    plain = beritanlp.load()
    syntax = beritanlp.load(syntax="stanza", stanza_dir=args.stanza_dir)
    t_plain, n = best_of(plain, docs)
    t_syntax, _ = best_of(syntax, docs)
    print(f"{len(docs)} articles, {n} tokens, one core")
    print(f"{'pipeline':<34}{'tokens/s':>10}{'ms/article':>12}")
    for name, seconds in (("default (no syntax)", t_plain), ('load(syntax="stanza")', t_syntax)):
        print(f"{name:<34}{n / seconds:>10,.0f}{1000 * seconds / len(docs):>12.1f}")
    share = (t_syntax - t_plain) / t_syntax
    print(f"\nthe syntax layer takes {share:.0%} of the time with it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
