"""How noisy are the outlets' sections as topic gold? A blind re-labelling study.

The topic evaluation (``eval/eval_topic.py``) scores the model against the outlets' own
sections, mapped by ``data/topic_section_map.tsv``. This script measures how far a careful
reader who follows our label definitions agrees with that gold, on a sample of the same
leave-one-outlet-out test articles, so the model's score can be read against that ceiling.

Two steps, from the repository root::

    # 1. the pooled leave-one-outlet-out predictions (ids and labels only, no text)
    python eval/eval_topic.py --data ../shared/data --predictions /tmp/topic_loo.tsv
    # 2a. a blind sample to label: N articles per gold label, title + start of the text,
    #     no outlet, no URL, no gold, no prediction
    python eval/topic_label_noise.py sample --predictions /tmp/topic_loo.tsv --out /tmp/blind
    # 2b. score the reader's labels (eval/gold/topic_reader_labels.tsv: id, label)
    python eval/topic_label_noise.py score --predictions /tmp/topic_loo.tsv

``score`` prints macro-F1 and accuracy of model vs gold, reader vs gold and model vs reader on
the labelled sample, per-class agreement, and what the model predicted where reader and gold
disagree. The labels file holds article ids and our labels only, never article text.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beritanlp.components.topic import LABELS  # noqa: E402

READER_LABELS = ROOT / "eval" / "gold" / "topic_reader_labels.tsv"


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return list(rows)


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-F1 over the labels present in ``gold`` (as ``eval/eval_topic.py`` reports it)."""
    scores = []
    for label in sorted(set(gold)):
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        n_pred = sum(p == label for p in pred)
        n_gold = sum(g == label for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        scores.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def sample(args: argparse.Namespace) -> int:
    rows = read_tsv(args.predictions)
    by_label: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_label[row["gold"]].append(row)
    rng = random.Random(args.seed)
    chosen: list[dict[str, str]] = []
    for label in LABELS:
        pool = by_label.get(label, [])
        chosen += rng.sample(pool, min(args.per_label, len(pool)))
    rng.shuffle(chosen)
    wanted = {row["id"] for row in chosen}
    texts: dict[str, dict[str, str]] = {}
    with (args.data / "news" / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record
    args.out.mkdir(parents=True, exist_ok=True)
    n_parts = max(1, args.parts)
    sinks = [(args.out / f"part{k + 1}.jsonl").open("w", encoding="utf-8") for k in range(n_parts)]
    for k, row in enumerate(chosen):
        record = texts[row["id"]]
        item = {
            "id": row["id"],
            "title": record.get("title") or "",
            "text": (record.get("text") or "")[: args.chars],
        }
        sinks[k % n_parts].write(json.dumps(item, ensure_ascii=False) + "\n")
    for sink in sinks:
        sink.close()
    print(f"{len(chosen)} articles ({args.per_label} per gold label) -> {args.out}/part*.jsonl")
    return 0


def read_reader_labels(path: Path = READER_LABELS) -> dict[str, str]:
    """The reader's labels by article id (raises ValueError on a label outside LABELS)."""
    reader = {row["id"]: row["label"] for row in read_tsv(path)}
    unknown = sorted(set(reader.values()) - set(LABELS))
    if unknown:
        raise ValueError(f"unknown labels in {path}: {unknown}")
    return reader


def report(predictions: dict[str, tuple[str, str]], reader: dict[str, str]) -> None:
    """Print the comparison; ``predictions``: id -> (outlet gold, model prediction)."""
    ids = [i for i in reader if i in predictions]
    if not ids:
        print("no article labelled by the reader is among the predictions")
        return
    gold = [predictions[i][0] for i in ids]
    model = [predictions[i][1] for i in ids]
    read = [reader[i] for i in ids]
    print(
        f"Blind reader study: {len(ids)} leave-one-outlet-out test articles labelled blind "
        f"({len(reader) - len(ids)} of the reader's ids not among the predictions)"
    )
    print(f"{'comparison':<26}{'macro-F1':>9}{'acc':>7}")
    for name, a, b in (
        ("model vs outlet gold", gold, model),
        ("reader vs outlet gold", gold, read),
        ("model vs reader", read, model),
    ):
        print(f"{name:<26}{macro_f1(a, b):>9.3f}{accuracy(a, b):>7.3f}")

    print("\nPer gold label: how often the reader agrees with the outlet's section")
    print(f"{'gold':<15}{'n':>4}{'agree':>7}   reader's other labels")
    for label in LABELS:
        idx = [k for k, g in enumerate(gold) if g == label]
        if not idx:
            continue
        agree = sum(read[k] == label for k in idx)
        other = Counter(read[k] for k in idx if read[k] != label)
        rest = ", ".join(f"{lab} {n}" for lab, n in other.most_common())
        print(f"{label:<15}{len(idx):>4}{agree / len(idx):>7.2f}   {rest}")

    wrong = [k for k in range(len(ids)) if model[k] != gold[k]]
    sides = Counter(
        "model = reader"
        if model[k] == read[k]
        else "reader = gold"
        if read[k] == gold[k]
        else "all three differ"
        for k in wrong
    )
    print(f"\nThe model's {len(wrong)} errors against the outlet gold in this sample:")
    for name in ("reader = gold", "model = reader", "all three differ"):
        print(f"  {name:<18}{sides[name]:>4}")


def score(args: argparse.Namespace) -> int:
    predictions = {row["id"]: (row["gold"], row["predicted"]) for row in read_tsv(args.predictions)}
    try:
        reader = read_reader_labels(args.labels)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    report(predictions, reader)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_sample = sub.add_parser("sample", help="write a blind sample to label")
    p_sample.add_argument("--predictions", type=Path, required=True)
    p_sample.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    p_sample.add_argument("--out", type=Path, required=True)
    p_sample.add_argument("--per-label", type=int, default=22)
    p_sample.add_argument("--chars", type=int, default=1200, help="characters of text shown")
    p_sample.add_argument("--parts", type=int, default=2, help="files, one per reader")
    p_sample.add_argument("--seed", type=int, default=7)
    p_score = sub.add_parser("score", help="score the reader's labels")
    p_score.add_argument("--predictions", type=Path, required=True)
    p_score.add_argument("--labels", type=Path, default=READER_LABELS)
    args = parser.parse_args(argv)
    return sample(args) if args.command == "sample" else score(args)


if __name__ == "__main__":
    raise SystemExit(main())
