"""Evaluate datelines and publication-date inference on ``news/articles.jsonl``.

Usage (from the repository root)::

    python eval/eval_dateline.py [--data DIR] [--limit N] [--examples K] [--hold-out FILE ...]

For every article the text is run through sections → sentences → dateline → dates (no
``published`` given, so the publication date is *inferred*). Printed tables:

1. per outlet: articles, share with a parsed dateline, share with a source, the most frequent
   place and source values;
2. source precision: for articles whose dateline has a ``source``, does it agree with the
   article's ``outlet`` field (the URL's registered domain)? Agencies and outlets are mapped to
   domains through ``data/outlets.tsv`` / ``data/agencies.tsv``; Tribun regional sites count as
   ``tribunnews.com`` (the dataset's outlet for all of them);
3. places that look wrong: a word starting in lower case, or a place longer than 4 words;
4. publication-date inference vs the ``published`` field (date part), where present: coverage
   (share of articles with an inferred date), accuracy (same day) and within ±1 day.

The data is read from ``../shared/data`` (or ``--data``) and never copied into the repository.
``--hold-out FILE`` (repeatable; one article id per line, or a TSV whose first column is the id,
such as ``corpora/dates-news/sample.tsv``) names held-out evaluation articles: they count in the
tables, but ``--examples`` never prints them, so tuning on the examples cannot read them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def source_domains() -> dict[str, str]:
    """Canonical source (and alias) key → network domain, from the bundled data files."""
    from beritanlp.resources import read_tsv

    out: dict[str, str] = {}
    for row in read_tsv("agencies.tsv"):
        for alias in (row[0], *row[2].split("|")):
            out[_key(alias)] = row[1]
    for row in read_tsv("outlets.tsv"):
        for alias in (row[0], *row[3].split("|")):
            out[_key(alias)] = row[2]
    return out


def domain_of(source: str, domains: dict[str, str]) -> str:
    key = _key(source)
    if key in domains:
        return domains[key]
    if key.startswith("tribun"):
        return "tribunnews.com"
    match = re.search(r"([a-z0-9-]+)\.(?:com|co\.id|co|id|net)\b", source.lower())
    return f"{match.group(1)}.com" if match else source.lower()


def particle(word: str) -> bool:
    """A place word written in lower case in a right place (``Rio de Janeiro``, ``Villeneuve
    d’Ascq``): the ``particles`` of the bundled dateline patterns, or an elided ``d’``/``l’``."""
    from beritanlp.resources import read_json

    particles = {p.lower() for p in read_json("dateline_patterns.json").get("particles", ())}
    return word in particles or word[:2].lower() in ("d’", "d'", "l’", "l'")


def held_out(files: list[Path]) -> set[str]:
    """The article ids of ``files``: the first tab-separated field of each line."""
    ids: set[str] = set()
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                ids.add(line.split("\t", 1)[0].strip())
    return ids


def build_nlp() -> Any:
    from beritanlp.components import dateline, dates, sections, sentences  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    for name in ("sections", "sentences", "dateline", "dates"):
        nlp.add_pipe(f"beritanlp_{name}")
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--examples", type=int, default=0, help="print K disagreements")
    parser.add_argument(
        "--hold-out",
        type=Path,
        action="append",
        default=[],
        help="ids of held-out articles never printed as examples (repeatable)",
    )
    args = parser.parse_args(argv)
    path = args.data / "news" / "articles.jsonl"
    if not path.is_file():
        print(f"error: {path} not found", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    if args.limit:
        rows = rows[: args.limit]
    nlp = build_nlp()
    domains = source_domains()
    hidden = held_out(args.hold_out)

    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    wrong_places: list[str] = []
    disagree: list[str] = []
    pub: Counter[str] = Counter()
    pub_by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    pub_errors: list[str] = []
    ntokens = 0
    started = time.perf_counter()
    for row, doc in zip(rows, nlp.pipe(r["text"] for r in rows), strict=True):
        ntokens += len(doc)
        outlet = row["outlet"]
        counts = per_outlet[outlet]
        counts["articles"] += 1
        dl = doc._.beritanlp_dateline
        if dl is not None:
            counts["dateline"] += 1
            places[outlet][str(dl.place)] += 1
            sources[outlet][str(dl.source)] += 1
            shown = row["id"] not in hidden
            if dl.source:
                counts["source"] += 1
                if domain_of(dl.source, domains) == outlet:
                    counts["agree"] += 1
                elif shown:
                    disagree.append(f"{outlet}: {dl.text!r} -> {dl.source}")
            place = dl.place or ""
            if place:
                counts["place"] += 1
                words = [w for w in place.replace(",", " ").split() if not particle(w)]
                if any(w[:1].islower() for w in words) or len(words) > 4:
                    counts["bad_place"] += 1
                    if shown:
                        wrong_places.append(f"{outlet}: {dl.text!r}")
        if row.get("published"):
            gold = row["published"][:10]
            pub["with_gold"] += 1
            pub_by_outlet[outlet]["with_gold"] += 1
            inferred = doc._.beritanlp_published  # a Published record, or None
            got = inferred.value if inferred is not None else None
            if got:
                pub["inferred"] += 1
                pub_by_outlet[outlet]["inferred"] += 1
                from datetime import date

                delta = abs((date.fromisoformat(got[:10]) - date.fromisoformat(gold)).days)
                if delta == 0:
                    pub["exact"] += 1
                    pub_by_outlet[outlet]["exact"] += 1
                if delta <= 1:
                    pub["pm1"] += 1
                    pub_by_outlet[outlet]["pm1"] += 1
                elif len(pub_errors) < 200 and row["id"] not in hidden:
                    pub_errors.append(f"{outlet}: inferred {got} gold {row['published']}")
    elapsed = time.perf_counter() - started

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%" if b else "    -"

    print(f"{len(rows)} articles, {ntokens} tokens, {ntokens / elapsed:,.0f} tokens/s (4 comps)\n")
    print("1. Datelines per outlet")
    header = f"{'outlet':<18}{'n':>6}{'dateline':>9}{'source':>8}{'agree':>8}  top place / source"
    print(header)
    print("-" * len(header))
    total: Counter[str] = Counter()
    for outlet in sorted(per_outlet, key=lambda o: -per_outlet[o]["articles"]):
        c = per_outlet[outlet]
        total.update(c)
        top_place = ", ".join(f"{p} {n}" for p, n in places[outlet].most_common(2))
        top_source = ", ".join(f"{s} {n}" for s, n in sources[outlet].most_common(2))
        print(
            f"{outlet:<18}{c['articles']:>6}{pct(c['dateline'], c['articles']):>9}"
            f"{pct(c['source'], c['dateline']):>8}{pct(c['agree'], c['source']):>8}"
            f"  {top_place} | {top_source}"
        )
    print(
        f"{'all':<18}{total['articles']:>6}{pct(total['dateline'], total['articles']):>9}"
        f"{pct(total['source'], total['dateline']):>8}{pct(total['agree'], total['source']):>8}"
    )
    print(
        f"\n2. Source precision (source agrees with outlet): {total['agree']}/{total['source']}"
        f" = {pct(total['agree'], total['source']).strip()}"
    )
    print(
        f"3. Places that look wrong: {total['bad_place']}/{total['place']}"
        f" = {pct(total['bad_place'], total['place']).strip()}"
    )
    print("\n4. Publication date inferred (no published= given) vs the published field")
    header = f"{'outlet':<18}{'gold':>6}{'inferred':>9}{'exact':>8}{'±1 day':>8}"
    print(header)
    print("-" * len(header))
    for outlet in sorted(pub_by_outlet, key=lambda o: -pub_by_outlet[o]["with_gold"]):
        c = pub_by_outlet[outlet]
        print(
            f"{outlet:<18}{c['with_gold']:>6}{pct(c['inferred'], c['with_gold']):>9}"
            f"{pct(c['exact'], c['inferred']):>8}{pct(c['pm1'], c['inferred']):>8}"
        )
    print(
        f"{'all':<18}{pub['with_gold']:>6}{pct(pub['inferred'], pub['with_gold']):>9}"
        f"{pct(pub['exact'], pub['inferred']):>8}{pct(pub['pm1'], pub['inferred']):>8}"
    )
    print("(inferred = share of articles with a gold date that got one; exact/±1 of those)")
    if args.examples:
        for title, items in (
            ("source disagreements", disagree),
            ("places that look wrong", wrong_places),
            ("publication-date errors", pub_errors),
        ):
            print(f"\n{title} (first {args.examples}):")
            for item in items[: args.examples]:
                print("  ", item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
