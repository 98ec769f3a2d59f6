"""Evaluate quote attribution (``beritanlp_quotes``) on hand-written examples.

    python eval/eval_quotes.py [--gold eval/gold/quotes_gold.jsonl] [--syntax]

The gold file (``eval/gold/quotes_gold.jsonl``) holds short news sentences written for this
project, each with the quotes a reader would extract: ``{speaker, text}`` with the speaker's
full name (or null) and the quotation without its marks. A predicted quote is correct when both
its text and its speaker match exactly; "text only" ignores the speaker. The examples cover the
three patterns (cue after, cue before, ``Menurut X,``), pronoun speakers, multi-sentence quotes
and sentences with no quote at all. The whole pipeline runs, so a missed person entity is a
missed speaker. ``--syntax`` runs with the Stanza layer (``load(syntax="stanza")``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=ROOT / "eval" / "gold" / "quotes_gold.jsonl")
    parser.add_argument("--syntax", action="store_true", help='load(syntax="stanza")')
    args = parser.parse_args(argv)

    import beritanlp

    records = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines()]
    syntax = "stanza" if args.syntax else None
    tp = tp_text = n_pred = n_gold = 0
    errors: list[str] = []
    for record in records:
        article = beritanlp.analyze(record["text"], syntax=syntax)
        gold = {(q["speaker"], q["text"]) for q in record["quotes"]}
        pred = {(q.speaker, q.text) for q in article.quotes}
        n_gold += len(gold)
        n_pred += len(pred)
        tp += len(gold & pred)
        tp_text += len({t for _, t in gold} & {t for _, t in pred})
        for speaker, text in sorted(pred - gold, key=str):
            errors.append(f"{record['id']} spurious/wrong: {speaker!r}: {text!r}")
        for speaker, text in sorted(gold - pred, key=str):
            errors.append(f"{record['id']} missed: {speaker!r}: {text!r}")
    print(f"{len(records)} examples, {n_gold} gold quotes, {n_pred} predicted\n")
    print(f"{'match':<22}{'P':>7}{'R':>7}{'F1':>7}")
    for name, hits in (("speaker + text", tp), ("text only", tp_text)):
        p, r, f = prf(hits, n_pred, n_gold)
        print(f"{name:<22}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    if errors:
        print("\nErrors:")
        for line in errors:
            print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
