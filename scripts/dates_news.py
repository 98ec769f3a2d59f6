"""The real-news date gold (``corpora/dates-news/``, issue 16): sample, show, check, compile, agree.

    python scripts/dates_news.py sample              # writes corpora/dates-news/sample.tsv
    python scripts/dates_news.py show ID [ID ...]    # prints articles (for annotators)
    python scripts/dates_news.py check RAW.jsonl     # validates an annotator's file
    python scripts/dates_news.py compile RAW.jsonl [...] --out corpora/dates-news/annotations.jsonl
    python scripts/dates_news.py agree A.jsonl B.jsonl   # span/value agreement of two passes
    python scripts/dates_news.py datelines RAW.jsonl     # hand-read datelines -> datelines.jsonl

The sample: ``--per-outlet`` (11) whole articles from each outlet of ``news/articles.jsonl``,
drawn at random with ``--seed`` (16); per outlet the first 7 are ``test``, the rest ``dev``;
2 test articles per outlet are annotated twice, independently (``double``). Annotators write
``{"id", "anchor", "expressions": [{"text", "n", "kind", "value"}]}`` per line
(``docs/dates_guidelines.md`` §7); ``compile`` turns ``text``/``n`` into offsets and stores
``{"id", "sha1", "length", "anchor", "spans": [[start, end, kind, value], ...]}``, never text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "dates-news"
KINDS = (
    "date", "datetime", "time", "month", "year", "decade", "week", "relative", "interval",
    "holiday", "hijri", "season", "day_of_month", "set",
)  # fmt: skip


def articles(data: Path) -> dict[str, dict[str, Any]]:
    out = {}
    with open(data / "news" / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out[row["id"]] = row
    return out


def sample_rows() -> list[dict[str, str]]:
    rows = []
    with open(CORPUS / "sample.tsv", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"), strict=True)))
    return rows


def cmd_sample(args: argparse.Namespace) -> int:
    arts = articles(args.data)
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for aid, row in arts.items():
        by_outlet[row["outlet"]].append(aid)
    rng = random.Random(args.seed)
    CORPUS.mkdir(parents=True, exist_ok=True)
    lines = ["id\toutlet\tyear\tsplit\tdouble"]
    for outlet in sorted(by_outlet):
        ids = sorted(by_outlet[outlet])
        for k, aid in enumerate(rng.sample(ids, min(args.per_outlet, len(ids)))):
            year = (arts[aid].get("published") or "")[:4] or "-"
            split = "test" if k < 7 else "dev"
            lines.append(f"{aid}\t{outlet}\t{year}\t{split}\t{'yes' if k < 2 else 'no'}")
    (CORPUS / "sample.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} articles written to {CORPUS / 'sample.tsv'}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    arts = articles(args.data)
    for aid in args.ids:
        row = arts[aid]
        print(f"=== {aid} | outlet {row['outlet']} | published {row.get('published')}")
        if row.get("title"):
            print(f"[title field: {row['title']}]")
        print(row["text"])
        print()
    return 0


def to_spans(text: str, item: dict[str, Any]) -> list[list[Any]]:
    """``text``/``n`` expressions as ``[start, end, kind, value]``; ValueError on a bad item."""
    spans = []
    for expr in item.get("expressions", []):
        surface, n = expr["text"], int(expr.get("n", 1))
        if expr.get("kind") not in KINDS:
            raise ValueError(f"unknown kind {expr.get('kind')!r} for {surface!r}")
        start = -1
        for _ in range(n):
            start = text.find(surface, start + 1)
            if start < 0:
                raise ValueError(f"{surface!r} occurrence {n} not in the article")
        spans.append([start, start + len(surface), expr["kind"], expr.get("value")])
    spans.sort()
    for a, b in pairwise(spans):
        if b[0] < a[1]:
            raise ValueError(f"overlapping expressions {text[a[0]:a[1]]!r} / {text[b[0]:b[1]]!r}")
    return spans


def _raw(paths: list[Path]) -> list[dict[str, Any]]:
    items = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            items += [json.loads(line) for line in handle if line.strip()]
    return items


def cmd_check(args: argparse.Namespace) -> int:
    arts = articles(args.data)
    bad = 0
    for item in _raw(args.files):
        try:
            spans = to_spans(arts[item["id"]]["text"], item)
        except (KeyError, ValueError) as exc:
            bad += 1
            print(f"{item.get('id')}: {exc}")
            continue
        if args.verbose:
            text = arts[item["id"]]["text"]
            for s, e, kind, value in spans:
                print(f"{item['id'][:40]} {kind:12} {value!s:28} {text[max(0, s - 30):s]!r} "
                      f"[{text[s:e]}] {text[e:e + 20]!r}")  # fmt: skip
    print(f"{bad} bad items")
    return 1 if bad else 0


def compile_items(items: list[dict[str, Any]], arts: dict[str, dict[str, Any]]) -> list[dict]:
    out = []
    for item in sorted(items, key=lambda i: i["id"]):
        text = arts[item["id"]]["text"]
        out.append(
            {
                "id": item["id"],
                "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
                "length": len(text),
                "anchor": item.get("anchor"),
                "spans": to_spans(text, item),
            }
        )
    return out


def cmd_compile(args: argparse.Namespace) -> int:
    arts = articles(args.data)
    rows = compile_items(_raw(args.files), arts)
    args.out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} articles, {sum(len(r['spans']) for r in rows)} expressions -> {args.out}")
    return 0


def load_gold(path: Path) -> dict[str, dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return {r["id"]: r for r in (json.loads(line) for line in handle if line.strip())}


def agreement(a: dict[str, dict], b: dict[str, dict]) -> dict[str, float]:
    """Exact-span F1, overlap F1 and value agreement on exact matches over shared ids."""
    ids = sorted(set(a) & set(b))
    exact = overlap_a = overlap_b = n_a = n_b = same_value = 0
    for aid in ids:
        sa = {(s, e): v for s, e, _k, v in a[aid]["spans"]}
        sb = {(s, e): v for s, e, _k, v in b[aid]["spans"]}
        n_a, n_b = n_a + len(sa), n_b + len(sb)
        both = set(sa) & set(sb)
        exact += len(both)
        same_value += sum(sa[k] == sb[k] for k in both)
        overlap_a += sum(any(s < e2 and s2 < e for s2, e2 in sb) for s, e in sa)
        overlap_b += sum(any(s < e2 and s2 < e for s2, e2 in sa) for s, e in sb)
    f1 = 2 * exact / (n_a + n_b) if n_a + n_b else 1.0
    p, r = (overlap_b / n_b if n_b else 1.0), (overlap_a / n_a if n_a else 1.0)
    return {
        "articles": len(ids),
        "expressions_a": n_a,
        "expressions_b": n_b,
        "exact_f1": round(f1, 3),
        "overlap_f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "value_agreement": round(same_value / exact, 3) if exact else 1.0,
    }


def cmd_agree(args: argparse.Namespace) -> int:
    arts = articles(args.data)
    a = {r["id"]: r for r in compile_items(_raw([args.a]), arts)}
    b = {r["id"]: r for r in compile_items(_raw([args.b]), arts)}
    print(json.dumps(agreement(a, b), indent=1))
    return 0


def cmd_datelines(args: argparse.Namespace) -> int:
    """Hand-read datelines ``{id, dateline, place, source}`` (text) as offsets: ``dateline``
    is its first occurrence in the article, ``place``/``source`` their first occurrence inside
    it."""
    arts = articles(args.data)
    out = []
    for item in _raw(args.files):
        text = arts[item["id"]]["text"]
        row: dict[str, Any] = {
            "id": item["id"],
            "sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
            "length": len(text),
            "dateline": None,
            "place": None,
            "source": None,
        }
        if item.get("dateline"):
            start = text.find(item["dateline"])
            if start < 0:
                raise SystemExit(f"{item['id']}: dateline not in the article")
            end = start + len(item["dateline"])
            row["dateline"] = [start, end]
            for key in ("place", "source"):
                if item.get(key):
                    at = text.find(item[key], start, end)
                    if at < 0:
                        raise SystemExit(f"{item['id']}: {key} not inside the dateline")
                    row[key] = [at, at + len(item[key])]
        out.append(row)
    out.sort(key=lambda r: r["id"])
    args.out.write_text("".join(json.dumps(r) + "\n" for r in out), encoding="utf-8")
    found = sum(r["dateline"] is not None for r in out)
    print(f"{len(out)} articles, {found} datelines -> {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sample")
    p.add_argument("--per-outlet", type=int, default=11)
    p.add_argument("--seed", type=int, default=16)
    p = sub.add_parser("show")
    p.add_argument("ids", nargs="+")
    p = sub.add_parser("check")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("-v", "--verbose", action="store_true")
    p = sub.add_parser("compile")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("agree")
    p.add_argument("a", type=Path)
    p.add_argument("b", type=Path)
    p = sub.add_parser("datelines")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--out", type=Path, default=CORPUS / "datelines.jsonl")
    args = parser.parse_args(argv)
    commands = {"sample": cmd_sample, "show": cmd_show, "check": cmd_check,
                "compile": cmd_compile, "agree": cmd_agree, "datelines": cmd_datelines}  # fmt: skip
    return commands[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
