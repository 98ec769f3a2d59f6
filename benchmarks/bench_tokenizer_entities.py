"""Speed of the news tokenizer and of the entity components, as ratios.

    python benchmarks/bench_tokenizer_entities.py [--rounds 3]

The unit tests hold no timings (issue 15); what they used to assert is measured here and
printed as ratios (nothing fails):

* ``lang.blank()`` against ``spacy.blank("id")``: building the news tokenizer, which has no
  reduplication exceptions, against spaCy's (it built ~16,000); the old test held it below 2 s.
* glued words: a camel-case run 8 times longer should take about 8 times as long (linear).
* the gazetteer and the three entity components (``entity_repair``, ``canonical_names``,
  ``roles``) on the bundled seed article repeated 20 times: tokens/s against the floor the old
  test held them to (20,000 tokens/s, twice the whole pipeline's target), and the time on 20
  copies against 20 times the time on one (linear).

Each figure is the best of ``--rounds`` runs, on one core, after a warm-up run.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "xinhua-sco-2023-05-04.txt"
#: The floor the old unit test held the gazetteer + entity linker to (tokens/s).
ENTITY_FLOOR = 20_000
ENTITY_FACTORIES = (
    "beritanlp_gazetteer",
    "beritanlp_entity_repair",
    "beritanlp_canonical_names",
    "beritanlp_roles",
)


def best_of(rounds: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def fresh(code: str, rounds: int) -> float:
    """Best wall time (s) that ``code`` prints in fresh interpreters (nothing cached)."""
    times = []
    for _ in range(rounds):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return min(times)


_BUILD = (
    "import time, spacy\n"
    "import beritanlp.lang\n"
    "start = time.perf_counter()\n"
    "{call}\n"
    "print(time.perf_counter() - start)\n"
)


def tokenizer_build(rounds: int) -> None:
    ours = fresh(_BUILD.format(call="beritanlp.lang.blank()"), rounds)
    spacys = fresh(_BUILD.format(call="spacy.blank('id')"), rounds)
    print(f"lang.blank() {ours:.3f} s, spacy.blank('id') {spacys:.3f} s: "
          f"ratio {ours / spacys:.2f} (the old test's bound: 2 s)")  # fmt: skip


def glued_linearity(rounds: int) -> None:
    from beritanlp.lang import blank

    nlp = blank()
    small, large = "dariJakarta" * 200, "dariJakarta" * 1600
    nlp(small)
    t_small = best_of(rounds, lambda: nlp(small))
    t_large = best_of(rounds, lambda: nlp(large))
    print(f"glued words: 8x input takes {t_large / t_small:.1f}x the time (linear: about 8)")


def entity_components(rounds: int) -> None:
    import beritanlp.components.canonical_names
    import beritanlp.components.entity_repair
    import beritanlp.components.gazetteer
    import beritanlp.components.roles
    import beritanlp.components.sections
    import beritanlp.components.sentences  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", *ENTITY_FACTORIES):
        nlp.add_pipe(factory)
    seed = SEED.read_text(encoding="utf-8")

    def prepared(text: str):  # type: ignore[no-untyped-def]
        doc = nlp.make_doc(text)
        for name in ("beritanlp_sections", "beritanlp_sentences"):
            doc = nlp.get_pipe(name)(doc)
        return doc

    def timed(doc) -> float:  # type: ignore[no-untyped-def]
        def go() -> None:
            copy = doc.copy()
            for name in ENTITY_FACTORIES:
                copy = nlp.get_pipe(name)(copy)

        copy_time = best_of(rounds, doc.copy)
        return max(best_of(rounds, go) - copy_time, 1e-9)

    one, twenty = prepared(seed), prepared("\n\n".join([seed] * 20))
    timed(one)  # warm-up: matchers built, data files read
    t_one, t_twenty = timed(one), timed(twenty)
    rate = len(twenty) / t_twenty
    print(f"gazetteer + entity components: {rate:,.0f} tokens/s on the seed article x20, "
          f"{rate / ENTITY_FLOOR:.1f}x the old test's floor of {ENTITY_FLOOR:,}")  # fmt: skip
    print(f"gazetteer + entity components: 20 copies take {t_twenty / t_one:.1f}x the time of "
          f"one (linear: about 20)")  # fmt: skip
    for k, name in enumerate(ENTITY_FACTORIES):
        component = nlp.get_pipe(name)
        best = float("inf")
        for _ in range(rounds):
            doc = twenty.copy()
            for other in ENTITY_FACTORIES[:k]:  # the components before it, not timed
                doc = nlp.get_pipe(other)(doc)
            gc.collect()
            start = time.perf_counter()
            component(doc)
            best = min(best, time.perf_counter() - start)
        rate = len(twenty) / best
        print(f"  {name}: {rate:,.0f} tokens/s ({rate / ENTITY_FLOOR:.1f}x the floor)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    tokenizer_build(args.rounds)
    glued_linearity(args.rounds)
    entity_components(args.rounds)


if __name__ == "__main__":
    main()
