"""Speed of the rule components alone: sections, sentences, gazetteer, entity_consistency.

    python benchmarks/bench_components.py [--data ../shared/data] [--n 500] [--rounds 3]

The unit tests hold no timings (issue 15); the floors they used to assert are checked here and
printed as ratios: each component's tokens/s against the tokenizer's on the same texts, and
against the floor it used to be held to (sentences 200,000 tokens/s, gazetteer 25,000: far
above the 10,000 tokens/s of the whole pipeline). The texts are ``--n`` articles of
``news/articles.jsonl`` (seed 15, as scripts/proof_unchanged.py draws them) and the bundled
seed article repeated 20 times (the old tests' input); each component runs on docs that the
components before it have processed, best of ``--rounds``, on copies made outside the timing.
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
SEED = ROOT / "examples" / "xinhua-sco-2023-05-04.txt"
#: The floors the unit tests used to assert (tokens/s of the component alone).
FLOORS = {"sections": 0, "sentences": 200_000, "gazetteer": 25_000, "entity_consistency": 0}


def articles(data: Path, n: int, seed: int) -> list[str]:
    path = data / "news" / "articles.jsonl"
    if not path.exists():
        print(f"note: {path} absent, using the bundled example x{n}")
        return [SEED.read_text(encoding="utf-8")] * n
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [r["text"] for r in random.Random(seed).sample(rows, min(n, len(rows))) if r["text"]]


def best_of(rounds: int, fn: Callable[[list[Any]], Any], docs: list[Any]) -> float:
    """Best time of ``fn`` over fresh copies of ``docs`` (the copying is not timed)."""
    best = float("inf")
    for _ in range(rounds):
        copies = [d.copy() for d in docs]
        gc.collect()  # no collection of earlier garbage inside the timing
        start = time.perf_counter()
        fn(copies)
        best = min(best, time.perf_counter() - start)
    return best


def arguments(doc: str) -> argparse.Namespace:
    """``--data``, ``--n``, ``--seed`` and ``--rounds`` (``doc``: the script's docstring)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__ or "")

    import beritanlp.components.entity_consistency
    import beritanlp.components.gazetteer
    import beritanlp.components.sections
    import beritanlp.components.sentences  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    for name in FLOORS:
        nlp.add_pipe(f"beritanlp_{name}", name=name)
    for _, component in nlp.pipeline:
        component.initialize()  # read the data files and build the matchers before timing

    seed = SEED.read_text(encoding="utf-8")
    for title, texts in (
        (f"{args.n} articles (seed {args.seed})", articles(args.data, args.n, args.seed)),
        ("the seed article x20", [seed] * 20),
    ):
        start = time.perf_counter()
        docs = [nlp.make_doc(t) for t in texts]
        tokenizer = time.perf_counter() - start
        tokens = sum(len(d) for d in docs)
        print(f"\n{title}: {tokens:,} tokens; tokenizer {tokens / tokenizer:,.0f} tokens/s")
        print(f"{'component':<20} {'tokens/s':>11} {'/tokenizer':>11} {'/old floor':>11}")
        for name, component in nlp.pipeline:
            seconds = best_of(args.rounds, lambda ds, c=component: [c(d) for d in ds], docs)
            rate = tokens / seconds
            floor = f"{rate / FLOORS[name]:>11.1f}" if FLOORS[name] else f"{'-':>11}"
            print(f"{name:<20} {rate:>11,.0f} {tokenizer / seconds:>11.2f} {floor}")
            docs = [component(d) for d in docs]  # the next component sees this one's work


if __name__ == "__main__":
    main()
