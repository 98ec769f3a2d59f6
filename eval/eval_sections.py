"""Section detection over the news corpus: coverage per outlet and title precision.

    python eval/eval_sections.py [--data ../shared/data] [--limit N] [--show 3]

There is no gold section annotation for this corpus, so this script reports what can be checked:
* per outlet: articles, share with a dateline found, with a detected title, with captions, with
  boilerplate, and the share of characters labelled boilerplate (a high share would mean body
  text is being lost);
* title precision: where a title line is detected and the record has a ``title`` field, how
  often they agree (normalised; the site may have edited the headline since);
* ``--show N``: N random boilerplate and caption pieces per outlet, for a manual read.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from beritanlp.components.sections import SectionFinder

ROOT = Path(__file__).resolve().parents[1]


def norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--show", type=int, default=0, help="random pieces to print per outlet")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = args.data / "news" / "articles.jsonl"
    if not path.exists():
        print(f"error: {path} not found (pass --data)", file=sys.stderr)
        return 1

    finder = SectionFinder()
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    samples: dict[str, list[tuple[str, str]]] = defaultdict(list)
    title_checked = title_agree = 0
    title_mismatches: list[tuple[str, str]] = []
    chars = 0
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if args.limit and number >= args.limit:
                break
            record = json.loads(line)
            text = record.get("text") or ""
            chars += len(text)
            outlet = record.get("outlet") or "?"
            segments = finder.find(text)
            kinds = Counter(s.kind for s in segments)
            st = stats[outlet]
            st["articles"] += 1
            st["chars"] += len(text)
            for kind in ("title", "caption", "lead", "dateline", "boilerplate"):
                st[f"has_{kind}"] += kind in kinds
            st["boilerplate_chars"] += sum(
                s.end - s.start for s in segments if s.kind == "boilerplate"
            )
            for s in segments:
                if s.kind in ("boilerplate", "caption"):
                    samples[outlet].append((s.kind, text[s.start : s.end]))
            title = next((text[s.start : s.end] for s in segments if s.kind == "title"), None)
            if title is not None and record.get("title"):
                title_checked += 1
                if norm(title) == norm(record["title"]):
                    title_agree += 1
                elif len(title_mismatches) < 10:
                    title_mismatches.append((title, record["title"]))
    seconds = time.perf_counter() - start

    header = (
        f"{'outlet':<18} {'articles':>8} {'dateline':>9} {'title':>6} {'caption':>8} "
        f"{'lead':>5} {'boilerpl.':>9} {'bp chars':>9}"
    )
    print(header)
    print("-" * len(header))
    total: Counter[str] = Counter()
    for outlet in sorted(stats, key=lambda o: -stats[o]["articles"]):
        st = stats[outlet]
        total.update(st)
        n = st["articles"]
        print(
            f"{outlet:<18} {n:>8} {st['has_dateline'] / n:>9.1%} {st['has_title']:>6} "
            f"{st['has_caption']:>8} {st['has_lead']:>5} {st['has_boilerplate'] / n:>9.1%} "
            f"{st['boilerplate_chars'] / max(1, st['chars']):>9.2%}"
        )
    n = total["articles"]
    print("-" * len(header))
    print(
        f"{'all':<18} {n:>8} {total['has_dateline'] / n:>9.1%} {total['has_title']:>6} "
        f"{total['has_caption']:>8} {total['has_lead']:>5} {total['has_boilerplate'] / n:>9.1%} "
        f"{total['boilerplate_chars'] / max(1, total['chars']):>9.2%}"
    )
    print(
        f"\ntitle lines detected where the record has a title: {title_checked}; agree with the "
        f"record's title (normalised): {title_agree} ({title_agree / max(1, title_checked):.1%})"
    )
    for found, expected in title_mismatches:
        print(f"  detected {found[:70]!r}\n  record   {expected[:70]!r}")
    print(f"\nspeed: {chars / seconds:,.0f} chars/s ({n / seconds:,.0f} articles/s), rules only")
    if args.show:
        rng = random.Random(args.seed)
        for outlet in sorted(samples):
            print(f"\n== {outlet}")
            for kind, piece in rng.sample(samples[outlet], min(args.show, len(samples[outlet]))):
                print(f"  [{kind}] {' '.join(piece.split())[:110]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
