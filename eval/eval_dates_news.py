"""Dates and datelines on real news: the gold of ``corpora/dates-news/`` (issue 16).

    python eval/eval_dates_news.py --data ../shared/data [--split test|dev|all] [--errors N]
                                   [--no-dateparser] [--no-datelines]

**Date expressions** (``annotations.jsonl``, guideline ``docs/dates_guidelines.md``): every
article of the split goes through ``beritanlp.analyze(text, published=<the data's date>)``,
whole, as a user would run it. Printed: recognition P/R/F1 with exact spans and with overlap
(one-to-one: each gold expression matched by at most one overlapping prediction, best overlap
first); normalisation accuracy (``value`` equal) on the overlap-matched pairs; recall and value
accuracy per gold kind; F1 per outlet. The component's ``duration`` expressions are left out
(durations are outside the gold, guideline decision 3).

**dateparser side by side** on the same gold: ``dateparser.search.search_dates`` with
``languages=["id"]`` and the gold anchor (the publication date) as ``RELATIVE_BASE``; its
value is the date it returns (``YYYY-MM-DD``; with a non-midnight time ``YYYY-MM-DDTHH:MM``),
counted right when it equals the gold value.

**Datelines** (``datelines.jsonl``, guideline §8): place and source of
``analyze(text).dateline`` against the hand-read ones, compared case-insensitively ignoring
punctuation, spaces and the suffixes ``.com``/``.co``/``.co.id``/``.id``/``.net``/``News``; an
article right when place and source are both right (both ``null`` when there is no dateline).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "dates-news"

Span = tuple[int, int, str, Any]  # start, end, kind, value


def load_sample() -> dict[str, dict[str, str]]:
    rows = {}
    with open(CORPUS / "sample.tsv", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            row = dict(zip(header, line.rstrip("\n").split("\t"), strict=True))
            rows[row["id"]] = row
    return rows


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_articles(data: Path, ids: set[str]) -> dict[str, dict[str, Any]]:
    out = {}
    with open(data / "news" / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in ids:
                out[row["id"]] = row
    return out


def match(gold: list[Span], pred: list[Span]) -> tuple[int, list[tuple[Span, Span]]]:
    """``(exact matches, overlap pairs)``: pairs one-to-one, the largest overlaps first."""
    exact = len({g[:2] for g in gold} & {p[:2] for p in pred})
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if overlap > 0:
                candidates.append((-overlap, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _o, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gold[gi], pred[pi]))
    return exact, pairs


def prf(hit_p: int, n_p: int, hit_g: int, n_g: int) -> tuple[float, float, float]:
    p = hit_p / n_p if n_p else 1.0
    r = hit_g / n_g if n_g else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predict_beritanlp(arts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    import beritanlp

    out = {}
    for aid, art in arts.items():
        out[aid] = beritanlp.analyze(art["text"], published=art.get("published"))
    return out


def dateparser_spans(text: str, anchor: str | None) -> list[Span]:
    from dateparser.search import search_dates

    settings: dict[str, Any] = {}
    if anchor:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(anchor[:10])
    try:
        found = search_dates(text, languages=["id"], settings=settings) or []
    except Exception:  # dateparser raises on some inputs: count them as nothing found
        found = []
    spans: list[Span] = []
    cursor = 0
    for surface, when in found:
        start = text.find(surface, cursor)
        if start < 0:
            continue
        cursor = start + len(surface)
        value = when.strftime("%Y-%m-%d")
        if (when.hour, when.minute) != (0, 0):
            value += when.strftime("T%H:%M")
        spans.append((start, start + len(surface), "dateparser", value))
    return spans


def value_right(gold_value: Any, pred_value: Any) -> bool:
    return bool(gold_value == pred_value)


def evaluate(
    gold: dict[str, dict[str, Any]],
    preds: dict[str, list[Span]],
    sample: dict[str, dict[str, str]],
    errors: list[str] | None,
    texts: dict[str, str],
) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    outlets: dict[str, Counter[str]] = defaultdict(Counter)
    for aid, item in gold.items():
        g = [tuple(s) for s in item["spans"]]
        p = preds.get(aid, [])
        exact, pairs = match(g, p)  # type: ignore[arg-type]
        right = sum(value_right(gs[3], ps[3]) for gs, ps in pairs)
        for counter in (totals, outlets[sample[aid]["outlet"]]):
            counter["gold"] += len(g)
            counter["pred"] += len(p)
            counter["exact"] += exact
            counter["overlap"] += len(pairs)
            counter["value"] += right
        matched = {gs[:2]: ps for gs, ps in pairs}
        for gs in g:
            kinds[gs[2]]["gold"] += 1
            ps = matched.get(gs[:2])
            if ps is not None:
                kinds[gs[2]]["found"] += 1
                kinds[gs[2]]["value"] += value_right(gs[3], ps[3])
        if errors is not None:
            text = texts[aid]
            for gs in g:
                ps = matched.get(gs[:2])
                if ps is None:
                    errors.append(f"MISS  {aid[:30]} {gs[2]:11} {text[gs[0]:gs[1]]!r} = {gs[3]}")
                elif not value_right(gs[3], ps[3]) or ps[:2] != gs[:2]:
                    errors.append(
                        f"DIFF  {aid[:30]} {gs[2]:11} gold {text[gs[0]:gs[1]]!r}={gs[3]} "
                        f"pred {text[ps[0]:ps[1]]!r}={ps[3]}"
                    )
            paired = {ps[:2] for _g, ps in pairs}
            for ps in p:
                if ps[:2] not in paired:
                    errors.append(f"EXTRA {aid[:30]} {ps[2]:11} {text[ps[0]:ps[1]]!r} = {ps[3]}")
    return {"totals": totals, "kinds": kinds, "outlets": outlets}


def report(name: str, result: dict[str, Any]) -> None:
    t = result["totals"]
    pe, re_, fe = prf(t["exact"], t["pred"], t["exact"], t["gold"])
    po, ro, fo = prf(t["overlap"], t["pred"], t["overlap"], t["gold"])
    norm = t["value"] / t["overlap"] if t["overlap"] else 0.0
    print(f"\n## {name}: {t['gold']} gold, {t['pred']} predicted expressions\n")
    print("| match | P | R | F1 |\n|---|---|---|---|")
    print(f"| exact span | {pe:.3f} | {re_:.3f} | {fe:.3f} |")
    print(f"| overlap | {po:.3f} | {ro:.3f} | {fo:.3f} |")
    print(
        f"\nnormalisation (value right on overlap-matched): {norm:.3f} "
        f"({t['value']}/{t['overlap']})"
    )


def report_details(result: dict[str, Any]) -> None:
    print("\n| gold kind | n | recall (overlap) | value accuracy |\n|---|---|---|---|")
    for kind, c in sorted(result["kinds"].items(), key=lambda kv: -kv[1]["gold"]):
        rec = c["found"] / c["gold"] if c["gold"] else 0.0
        acc = c["value"] / c["found"] if c["found"] else 0.0
        print(f"| {kind} | {c['gold']} | {rec:.3f} | {acc:.3f} |")
    print("\n| outlet | gold | F1 exact | F1 overlap | normalisation |\n|---|---|---|---|---|")
    for outlet, c in sorted(result["outlets"].items()):
        fe = prf(c["exact"], c["pred"], c["exact"], c["gold"])[2]
        fo = prf(c["overlap"], c["pred"], c["overlap"], c["gold"])[2]
        norm = c["value"] / c["overlap"] if c["overlap"] else 0.0
        print(f"| {outlet} | {c['gold']} | {fe:.3f} | {fo:.3f} | {norm:.3f} |")


_SUFFIX = re.compile(r"(coid|com|co|id|net|news)$")


def norm_name(value: str | None) -> str | None:
    """A place or source name for comparison: lower case, no punctuation or spaces, without
    the suffixes ``.com``, ``.co``, ``.co.id``, ``.id``, ``.net`` and ``news``."""
    if not value:
        return None
    return _SUFFIX.sub("", re.sub(r"[\s\W_]+", "", value.lower())) or None


def eval_datelines(data: Path, errors: int) -> None:
    path = CORPUS / "datelines.jsonl"
    if not path.is_file():
        print("\n(no datelines.jsonl yet)")
        return
    import beritanlp

    gold = {r["id"]: r for r in load_jsonl(path)}
    arts = load_articles(data, set(gold))
    by_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    shown = 0
    for aid, item in sorted(gold.items()):
        art = arts[aid]
        text = art["text"]
        dl = beritanlp.analyze(text, published=art.get("published")).dateline
        place = text[item["place"][0] : item["place"][1]] if item.get("place") else None
        source = text[item["source"][0] : item["source"][1]] if item.get("source") else None
        got_place = dl.place if dl else None
        got_source = dl.source if dl else None
        ok_place = norm_name(place) == norm_name(got_place)
        ok_source = norm_name(source) == norm_name(got_source)
        c = by_outlet[art["outlet"]]
        c["n"] += 1
        c["place"] += ok_place
        c["source"] += ok_source
        c["both"] += ok_place and ok_source
        if not (ok_place and ok_source) and shown < errors:
            shown += 1
            print(f"  DL {art['outlet']:16} gold ({place!r}, {source!r}) "
                  f"got ({got_place!r}, {got_source!r})  {text[:70]!r}")  # fmt: skip
    total: Counter[str] = Counter()
    print("\n## Datelines (place and source)\n")
    print("| outlet | n | place | source | both |\n|---|---|---|---|---|")
    for outlet, c in sorted(by_outlet.items()):
        total.update(c)
        n = c["n"]
        print(f"| {outlet} | {n} | {c['place'] / n:.3f} | {c['source'] / n:.3f} | "
              f"{c['both'] / n:.3f} |")  # fmt: skip
    n = total["n"]
    print(f"| **all** | {n} | {total['place'] / n:.3f} | {total['source'] / n:.3f} | "
          f"**{total['both'] / n:.3f}** |")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--split", choices=("test", "dev", "all"), default="test")
    parser.add_argument("--errors", type=int, default=0, help="print up to N disagreements")
    parser.add_argument("--no-dateparser", action="store_true")
    parser.add_argument("--no-datelines", action="store_true")
    args = parser.parse_args(argv)
    sample = load_sample()
    gold_path = CORPUS / "annotations.jsonl"
    if gold_path.is_file():
        gold = {
            r["id"]: r
            for r in load_jsonl(gold_path)
            if args.split == "all" or sample[r["id"]]["split"] == args.split
        }
        arts = load_articles(args.data, set(gold))
        texts = {aid: a["text"] for aid, a in arts.items()}
        print(f"# Dates on real news: {len(gold)} articles ({args.split})")
        found = predict_beritanlp(arts)
        preds = {
            aid: [(d.start, d.end, d.kind or "", d.value) for d in art.dates
                  if not (d.kind or "").startswith("duration")]
            for aid, art in found.items()
        }  # fmt: skip
        errors: list[str] | None = [] if args.errors else None
        result = evaluate(gold, preds, sample, errors, texts)
        report("beritanlp", result)
        report_details(result)
        if errors:
            print("\n" + "\n".join(errors[: args.errors]))
        if not args.no_dateparser:
            dp = {aid: dateparser_spans(texts[aid], gold[aid].get("anchor")) for aid in gold}
            report("dateparser (search_dates, id, anchor as RELATIVE_BASE)",
                   evaluate(gold, dp, sample, None, texts))  # fmt: skip
    else:
        print("(no annotations.jsonl yet)")
    if not args.no_datelines:
        eval_datelines(args.data, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
