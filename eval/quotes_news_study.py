"""Quote attribution on real news: a judged sample (precision) from ``news/articles.jsonl``.

The hand-written examples of ``eval/eval_quotes.py`` measure the rules; this study measures the
whole pipeline on scraped news. Two steps, from the repository root::

    # 1. run the pipeline on random articles, draw random quotes, write them with their context
    python eval/quotes_news_study.py sample --data ../shared/data --out /tmp/quotes_sample.jsonl
    # 2. score the judgements (eval/gold/quotes_news_judgements.tsv: id, start, end, verdict)
    python eval/quotes_news_study.py score --data ../shared/data

A judge reads each quote with the paragraph around it and gives one verdict:
``correct`` (a quotation or reported statement, the right speaker, boundaries right or off by a
few words), ``boundary`` (right speaker, but the text is cut badly: wrong start or end by more
than a clause), ``wrong_speaker`` (a statement, but not by that speaker, or the speaker name is
malformed), ``not_quote`` (no statement is being attributed). The judgements file holds article
ids, offsets and verdicts only; the text stays in ``../shared/data``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUDGEMENTS = ROOT / "eval" / "gold" / "quotes_news_judgements.tsv"
VERDICTS = ("correct", "boundary", "wrong_speaker", "not_quote")


def _articles(data: Path) -> list[dict[str, str]]:
    with (data / "news" / "articles.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def sample(args: argparse.Namespace) -> int:
    import beritanlp

    records = _articles(args.data)
    random.Random(args.seed).shuffle(records)
    found = []
    for record in records[: args.articles]:
        article = beritanlp.analyze(record["text"], title=record.get("title"))
        for quote in article.quotes:
            lo = max(0, min(quote.start, quote.speaker_start or quote.start) - 250)
            hi = min(len(article.text), max(quote.end, quote.speaker_end or quote.end) + 150)
            found.append(
                {
                    "id": record["id"],
                    "start": quote.start,
                    "end": quote.end,
                    "speaker": quote.speaker,
                    "cue": quote.cue,
                    "kind": quote.kind,
                    "text": quote.text,
                    "context": article.text[lo:hi],
                }
            )
    random.Random(args.seed).shuffle(found)
    chosen = found[: args.quotes]
    with args.out.open("w", encoding="utf-8") as sink:
        for row in chosen:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(
        f"{args.articles} articles, {len(found)} quotes "
        f"({len(found) / args.articles:.2f} per article); {len(chosen)} written to {args.out}"
    )
    return 0


def score(args: argparse.Namespace) -> int:
    with args.judgements.open(encoding="utf-8", newline="") as handle:
        rows = list(
            csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        )
    verdicts = Counter(row["verdict"] for row in rows)
    unknown = set(verdicts) - set(VERDICTS)
    if unknown:
        print(f"unknown verdicts: {sorted(unknown)}")
        return 2
    n = len(rows)
    print(f"{n} quotes judged (random quotes from random news articles)\n")
    print(f"{'verdict':<16}{'n':>5}{'share':>8}")
    for verdict in VERDICTS:
        print(f"{verdict:<16}{verdicts[verdict]:>5}{verdicts[verdict] / n:>8.2f}")
    right_speaker = verdicts["correct"] + verdicts["boundary"]
    print(f"\nprecision (correct)                 {verdicts['correct'] / n:.2f}")
    print(f"precision (right speaker, any span) {right_speaker / n:.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_sample = sub.add_parser("sample")
    p_sample.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p_sample.add_argument("--out", type=Path, required=True)
    p_sample.add_argument("--articles", type=int, default=150)
    p_sample.add_argument("--quotes", type=int, default=100)
    p_sample.add_argument("--seed", type=int, default=11)
    p_score = sub.add_parser("score")
    p_score.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p_score.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    args = parser.parse_args(argv)
    return sample(args) if args.command == "sample" else score(args)


if __name__ == "__main__":
    raise SystemExit(main())
