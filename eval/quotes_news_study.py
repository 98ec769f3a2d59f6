"""Quote attribution on real news: a judged sample (precision) from ``news/articles.jsonl``.

The hand-written examples of ``eval/eval_quotes.py`` measure the rules; this study measures the
whole pipeline on scraped news. Two steps, from the repository root::

    # 1. run the pipeline on random articles, draw random quotes, write them with their context
    python eval/quotes_news_study.py sample --data ../shared/data --out /tmp/quotes_sample.jsonl
    # 2. score the judgements (eval/gold/quotes_news_judgements.tsv: id, start, end, verdict)
    python eval/quotes_news_study.py score --data ../shared/data
    # after a pipeline change: carry verdicts over where span and speaker are unchanged
    python eval/quotes_news_study.py carry --sample /tmp/quotes_sample.jsonl \\
        --out /tmp/carried.tsv --todo /tmp/todo.jsonl

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


_OLD_RUNNER = r"""
import json, sys
import beritanlp
for line in sys.stdin:
    item = json.loads(line)
    art = beritanlp.analyze(item["text"], title=item.get("title"))
    quotes = [[q.start, q.end, q.speaker] for q in art.quotes]
    print(json.dumps({"id": item["id"], "quotes": quotes}))
"""


def carry(args: argparse.Namespace) -> int:
    """Carry verdicts over to a new sample: a quote with the same span and the same speaker as a
    judged quote of the old pipeline (``--old-ref``) keeps its verdict; the rest are written to
    ``--todo`` for a judge. Re-runs the study after a change (issue 13: entity errors)."""
    import os
    import subprocess
    import sys

    sys.path.insert(0, str(ROOT / "eval"))
    import eval_ner_articles as ev

    with args.judgements.open(encoding="utf-8", newline="") as handle:
        judged = {
            (row["id"], int(row["start"]), int(row["end"])): row["verdict"]
            for row in csv.DictReader(
                (line for line in handle if not line.startswith("#")), delimiter="\t"
            )
        }
    new = [json.loads(line) for line in args.sample.read_text(encoding="utf-8").splitlines()]
    records = {r["id"]: r for r in _articles(args.data) if r["id"] in {k[0] for k in judged}}
    payload = "".join(
        json.dumps({"id": i, "text": r["text"], "title": r.get("title")}) + "\n"
        for i, r in records.items()
    )
    env = {**os.environ, "PYTHONPATH": str(ev.ensure_baseline(args.old_ref))}
    proc = subprocess.run([sys.executable, "-c", _OLD_RUNNER], input=payload, text=True,
                          capture_output=True, env=env, cwd="/tmp", check=True)  # fmt: skip
    old_speaker = {}
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        for start, end, speaker in rec["quotes"]:
            old_speaker[(rec["id"], start, end)] = speaker
    carried, todo = [], []
    for row in new:
        key = (row["id"], row["start"], row["end"])
        if key in judged and old_speaker.get(key) == row["speaker"]:
            carried.append((*key, judged[key]))
        else:
            todo.append(row)
    with args.out.open("w", encoding="utf-8") as sink:
        for aid, start, end, verdict in carried:
            sink.write(f"{aid}\t{start}\t{end}\t{verdict}\n")
    with args.todo.open("w", encoding="utf-8") as sink:
        for row in todo:
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
    changed = sum(1 for row in todo if (row["id"], row["start"], row["end"]) in judged)
    print(f"{len(new)} quotes: {len(carried)} verdicts carried over, {len(todo)} to judge "
          f"({changed} judged before with another speaker)")  # fmt: skip
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
    p_carry = sub.add_parser("carry")
    p_carry.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p_carry.add_argument("--judgements", type=Path, default=JUDGEMENTS)
    p_carry.add_argument("--sample", type=Path, required=True, help="a new `sample` output")
    p_carry.add_argument("--old-ref", default="a3759e2", help="git ref of the judged pipeline")
    p_carry.add_argument("--out", type=Path, required=True, help="carried verdicts (TSV rows)")
    p_carry.add_argument("--todo", type=Path, required=True, help="quotes left to judge (JSONL)")
    args = parser.parse_args(argv)
    if args.command == "carry":
        return carry(args)
    return sample(args) if args.command == "sample" else score(args)


if __name__ == "__main__":
    raise SystemExit(main())
