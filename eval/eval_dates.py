"""Evaluate date expressions against the hand-written gold file ``eval/gold/dates_gold.jsonl``.

Usage (from the repository root)::

    python eval/eval_dates.py [--gold FILE] [--errors]

Each gold line is ``{id, text, published, dates: [{text, start, end, value, granularity,
kind}]}``; the texts are short sentences written for this project (no news text is copied).
``published`` is given to the pipeline when present; when it is ``null`` the pipeline must infer
it (or leave relative expressions unresolved). The pipeline is sections → sentences → dates
→ dateline.

Printed: span precision / recall / F1 (exact offsets), and for the matched spans the accuracy of
``value``, ``granularity`` and ``kind``; then the same per kind of the gold expression.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT / "eval" / "gold" / "dates_gold.jsonl"


def build_nlp() -> Any:
    from beritanlp.components import dateline, dates, sections, sentences  # noqa: F401
    from beritanlp.lang import blank

    nlp = blank()
    for name in ("sections", "sentences", "dates", "dateline"):
        nlp.add_pipe(f"beritanlp_{name}")
    return nlp


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--errors", action="store_true", help="print every disagreement")
    args = parser.parse_args(argv)
    items = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()]
    nlp = build_nlp()
    total: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    errors: list[str] = []
    for item in items:
        doc = nlp.make_doc(item["text"])
        doc._.beritanlp_context = {"title": None, "published": item.get("published"), "url": None}
        doc = nlp(doc)
        predicted = {(d.start, d.end): d.to_dict() for d in doc._.beritanlp_dates}
        gold = {(d["start"], d["end"]): d for d in item["dates"]}
        total["pred"] += len(predicted)
        total["gold"] += len(gold)
        for span, g in gold.items():
            base = g["kind"].split("_")[0]
            counts = by_kind[base]
            counts["gold"] += 1
            p = predicted.get(span)
            if p is None:
                errors.append(f"{item['id']} missed {g['text']!r}")
                continue
            total["tp"] += 1
            counts["tp"] += 1
            for key in ("value", "granularity", "kind"):
                if p[key] == g[key]:
                    total[key] += 1
                    counts[key] += 1
                else:
                    errors.append(
                        f"{item['id']} {g['text']!r} {key}: got {p[key]!r}, want {g[key]!r}"
                    )
        for span, p in predicted.items():
            if span not in gold:
                errors.append(f"{item['id']} spurious {p['text']!r} ({p['value']})")

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "-"

    precision = total["tp"] / total["pred"] if total["pred"] else 0.0
    recall = total["tp"] / total["gold"] if total["gold"] else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{len(items)} texts, {total['gold']} gold expressions, {total['pred']} predicted\n")
    header = f"{'':<12}{'n':>4}{'P':>7}{'R':>7}{'F1':>7}{'value':>7}{'gran.':>7}{'kind':>7}"
    print(header)
    print("-" * len(header))
    print(
        f"{'all':<12}{total['gold']:>4}{precision:>7.3f}{recall:>7.3f}{f1:>7.3f}"
        f"{ratio(total['value'], total['tp']):>7}{ratio(total['granularity'], total['tp']):>7}"
        f"{ratio(total['kind'], total['tp']):>7}"
    )
    for kind in sorted(by_kind):
        c = by_kind[kind]
        print(
            f"{kind:<12}{c['gold']:>4}{'':>7}{ratio(c['tp'], c['gold']):>7}{'':>7}"
            f"{ratio(c['value'], c['tp']):>7}{ratio(c['granularity'], c['tp']):>7}"
            f"{ratio(c['kind'], c['tp']):>7}"
        )
    print("\n(P/R/F1: exact spans; value/granularity/kind: accuracy on matched spans;")
    print(" rows per gold kind family show recall and the accuracies)")
    if errors:
        print(f"\n{len(errors)} disagreement(s)" + (":" if args.errors else " (--errors to list)"))
        if args.errors:
            for line in errors:
                print("  ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
