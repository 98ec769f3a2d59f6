"""Core pipeline benchmark: import time, load() time, throughput and peak memory.

    python benchmarks/bench_core.py [--data ../shared/data] [--articles 1000] [--repeat 5]

Everything is measured in this one run, on this machine, so ratios are comparable:
* ``import beritanlp`` and ``load()`` in fresh interpreters (median of --repeat), next to
  ``import spacy`` and ``spacy.blank("id")`` as anchors;
* tokens/s over the first --articles texts of ``news/articles.jsonl`` on one core (``nlp.pipe``,
  n_process=1, after one warm-up pass, so the stem cache is warm as it would be on an archive):
  the core components (sections, sentences, stemmer), the full pipeline without and with the
  NER model, and ``analyze()`` (which adds the Doc → Article conversion), next to spaCy's blank
  ``id`` tokenizer alone;
* peak RSS of this process.
Falls back to the bundled example when ../shared/data is absent.
"""

from __future__ import annotations

import os

# one core means one BLAS thread too (the NER's matrix products would otherwise use both cores);
# set before numpy is imported, inherited by the subprocesses and workers
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# everything but the core components of issue 2 (sections, sentences, stemmer)
CORE_EXCLUDE = [
    "ner",
    "gazetteer",
    "entity_consistency",
    "entity_repair",
    "canonical_names",
    "roles",
    "quotes",
    "dateline",
    "dates",
    "topic",
    "keywords",
]


def fresh(code: str, repeat: int) -> float:
    """Median wall time (s) that ``code`` reports in fresh interpreters."""
    times = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def texts_from(data: Path, limit: int) -> list[str]:
    path = data / "news" / "articles.jsonl"
    if not path.exists():
        seed = (ROOT / "examples" / "xinhua-sco-2023-05-04.txt").read_text(encoding="utf-8")
        print(f"note: {path} absent, using the bundled example x{limit}")
        return [seed] * limit
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("text"):
                texts.append(record["text"])
            if len(texts) >= limit:
                break
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3, help="best of N for throughput")
    args = parser.parse_args()

    t = "import time; t=time.perf_counter(); {0}; print(time.perf_counter()-t)"
    rows = [
        ("import beritanlp", fresh(t.format("import beritanlp"), args.repeat), "< 0.3 s"),
        ("import spacy (anchor)", fresh(t.format("import spacy"), args.repeat), ""),
        (
            "load() core components (incl. spaCy import)",
            fresh(
                "import beritanlp;" + t.format(f"beritanlp.load(exclude={CORE_EXCLUDE!r})"),
                args.repeat,
            ),
            "< 2 s",
        ),
        (
            "load() full pipeline (incl. spaCy import)",
            fresh("import beritanlp;" + t.format("beritanlp.load()"), args.repeat),
            "< 3 s",
        ),
        (
            "beritanlp.load() after import spacy",
            fresh("import beritanlp, spacy;" + t.format("beritanlp.load()"), args.repeat),
            "",
        ),
        (
            'spacy.blank("id") after import spacy (anchor)',
            fresh("import spacy;" + t.format("spacy.blank('id')"), args.repeat),
            "",
        ),
    ]
    print(f"{'startup (median of ' + str(args.repeat) + ' fresh processes)':<48} {'s':>8}  target")
    for name, seconds, target in rows:
        print(f"{name:<48} {seconds:>8.3f}  {target}")

    import spacy

    import beritanlp

    texts = texts_from(args.data, args.articles)
    full = beritanlp.load()
    core = beritanlp.load(exclude=CORE_EXCLUDE)
    no_ner = beritanlp.load(exclude=["ner"])
    blank_id = spacy.blank("id")
    chars = sum(len(x) for x in texts)

    def piped(nlp):
        return lambda: sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))

    for nlp in (core, no_ner, full):
        piped(nlp)()  # warm-up: fills the stem cache as on a long archive run
    results = []
    for name, fn in (
        ("spaCy blank id tokenizer (floor)", lambda: sum(len(blank_id.make_doc(x)) for x in texts)),
        ("beritanlp tokenizer only", lambda: sum(len(full.make_doc(x)) for x in texts)),
        ("core: sections+sentences+stemmer", piped(core)),
        ("full pipeline without ner", piped(no_ner)),
        ("full pipeline (nlp.pipe)", piped(full)),
        (
            "full analyze() incl. Article",
            lambda: sum(len(beritanlp.analyze(x).tokens) for x in texts),
        ),
    ):
        best = float("inf")
        tokens = 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            tokens = fn()
            best = min(best, time.perf_counter() - start)
        results.append((name, tokens, best))
    print(
        f"\nthroughput on {len(texts)} articles ({chars:,} chars), one core, best of {args.rounds}"
    )
    print(f"{'':<36} {'tokens':>10} {'seconds':>9} {'tokens/s':>10} {'articles/s':>10}")
    for name, tokens, seconds in results:
        print(
            f"{name:<36} {tokens:>10,} {seconds:>9.3f} {tokens / seconds:>10,.0f} "
            f"{len(texts) / seconds:>10,.1f}"
        )
    print(f"pipeline: {' > '.join(full.pipe_names)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process (three pipelines loaded): {peak:,.0f} MB")


if __name__ == "__main__":
    main()
