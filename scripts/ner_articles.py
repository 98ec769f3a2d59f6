"""The article NER corpus (issue 13): sampling, annotation tooling, compilation, agreement.

Annotators (people or AI helpers) never type offsets. For each article they write a small JSON
file **outside the repository** listing the names they read, and this tool expands the list to
character offsets, checks every span against the text and shows the result in context::

    {"id": "<article id>",
     "mentions": [{"m": "Joko Widodo", "l": "PER"},          # every occurrence, word-bounded
                  {"m": "[Mauricio Souza]akhirnya", "l": "PER"},  # glued: brackets mark the name
                  {"m": "pelatih[Three Lions]", "l": "ORG"}],
     "skip": [{"m": "Bintang", "nth": 2}],                   # drop the 2nd match of a mention
     "note": "optional free text"}

Expansion rules (``expand``): every mention string is matched case-sensitively wherever it
occurs; a plain mention must start and end at a word boundary (the neighbouring character is
not a letter or digit); a bracketed mention matches its whole context string and annotates the
bracketed part. Longer matches win over shorter overlapping ones (the longest nested name wins);
``skip`` removes the n-th match (1-based, in text order) of a mention. Matches in page-furniture
lines (``Baca juga``, ``[Gambas:...]``, ...) are *not* removed automatically: annotators simply
do not list names that occur only there; a name listed for the body that also occurs in such a
line is dropped there with ``skip``.

Commands::

    python scripts/ner_articles.py sample   [--data D]            # writes corpora/ner-articles/sample.tsv
    python scripts/ner_articles.py show     ID [ID ...] [--data D] # the text with line numbers
    python scripts/ner_articles.py check    FILE [FILE ...]        # expand, validate, show in context
    python scripts/ner_articles.py compile  --raw DIR [--pass 1|2] # raw files -> corpora jsonl (offsets)
    python scripts/ner_articles.py agree                           # F1 between the two passes

The compiled corpus (``corpora/ner-articles/annotations.jsonl``) holds ids, text length and
SHA-1, and ``[start, end, label]`` triples only; never article text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPUS_DIR = ROOT / "corpora" / "ner-articles"
LABELS = ("PER", "LOC", "ORG")
SEED = 13
PER_OUTLET = 28
TEST_PER_OUTLET = 8
DEV_PER_OUTLET = 4
DOUBLE_PER_OUTLET = 3  # drawn from the test part, annotated twice


# --------------------------------------------------------------------------- data access


def load_articles(data: Path, ids: Iterable[str] | None = None) -> dict[str, dict]:
    wanted = set(ids) if ids is not None else None
    out: dict[str, dict] = {}
    with open(data / "news" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            if wanted is None or art["id"] in wanted:
                out[art["id"]] = art
    return out


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- sampling


def year_of(art: dict) -> str:
    pub = art.get("published") or ""
    return pub[:4] if len(pub) >= 4 else "none"


def draw_sample(
    arts: dict[str, dict],
    seed: int = SEED,
    per_outlet: int | None = None,
    splits: tuple[tuple[str, int], ...] | None = None,
    double: int = DOUBLE_PER_OUTLET,
    exclude: frozenset[str] = frozenset(),
) -> list[dict]:
    """Stratified random sample: PER_OUTLET articles per outlet, every (outlet, year) present.

    Within an outlet each year stratum gets one article first, the rest is spread over the years in
    proportion to their size (largest remainder). Articles with an empty text are never drawn.
    Splits are assigned per outlet at random: test, dev, train; the double-annotation subset is
    drawn from the test part.
    """
    rng = random.Random(seed)
    per_outlet = PER_OUTLET if per_outlet is None else per_outlet
    if splits is None:
        splits = (("test", TEST_PER_OUTLET), ("dev", DEV_PER_OUTLET), ("train", per_outlet))
    by_outlet: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for aid in sorted(arts):
        art = arts[aid]
        if not (art.get("text") or "").strip() or aid in exclude:
            continue
        by_outlet[art["outlet"]][year_of(art)].append(aid)
    rows: list[dict] = []
    for outlet in sorted(by_outlet):
        years = by_outlet[outlet]
        total = sum(len(v) for v in years.values())
        n = min(per_outlet, total)
        alloc = {y: 1 for y in years} if len(years) <= n else {}
        rest = n - sum(alloc.values())
        quotas = {y: rest * len(v) / total for y, v in years.items()}
        for y in years:
            alloc[y] = min(len(years[y]), alloc.get(y, 0) + int(quotas[y]))
        left = n - sum(alloc.values())
        for y in sorted(years, key=lambda y: (quotas[y] - int(quotas[y]), y), reverse=True):
            if left <= 0:
                break
            if alloc[y] < len(years[y]):
                alloc[y] += 1
                left -= 1
        chosen: list[str] = []
        for y in sorted(years):
            chosen += rng.sample(sorted(years[y]), alloc[y])
        rng.shuffle(chosen)
        bounds = []
        total_so_far = 0
        for split_name, count in splits:
            total_so_far += count
            bounds.append((total_so_far, split_name))
        for i, aid in enumerate(chosen):
            split = next((name for bound, name in bounds if i < bound), splits[-1][0])
            rows.append(
                {
                    "id": aid,
                    "outlet": outlet,
                    "year": year_of(arts[aid]),
                    "split": split,
                    "double": i < double,
                }
            )
    return rows


def write_sample(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("id\toutlet\tyear\tsplit\tdouble\tround\n")
        for r in rows:
            fh.write(
                f"{r['id']}\t{r['outlet']}\t{r['year']}\t{r['split']}\t{int(r['double'])}"
                f"\t{r.get('round', 1)}\n"
            )


def read_sample(path: Path = CORPUS_DIR / "sample.tsv") -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            r = dict(zip(header, line.rstrip("\n").split("\t"), strict=True))
            r["double"] = r["double"] == "1"
            rows.append(r)
    return rows


# --------------------------------------------------------------------------- expansion

_BRACKET = re.compile(r"^(.*?)\[(.+?)\](.*)$", re.S)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def expand(text: str, ann: dict) -> tuple[list[tuple[int, int, str]], list[str]]:
    """Expand one raw annotation to sorted ``(start, end, label)`` spans, plus warnings."""
    warnings: list[str] = []
    cands: list[
        tuple[int, int, int, str, int]
    ] = []  # (start, end, context length, label, mention index)
    per_mention: dict[int, list[int]] = defaultdict(list)
    seen: dict[str, str] = {}
    glued: list[tuple[int, int, str]] = []
    for k, men in enumerate(ann.get("mentions", [])):
        m, label = men.get("m", ""), men.get("l", "")
        if label not in LABELS:
            warnings.append(f"bad label {label!r} for {m!r}")
            continue
        if not m or m != m.strip() and "[" not in m:
            warnings.append(f"mention has outer spaces or is empty: {m!r}")
            continue
        if m in seen and seen[m] != label:
            warnings.append(f"{m!r} listed twice with labels {seen[m]} and {label}")
        seen[m] = label
        br = _BRACKET.match(m)
        if br:
            left, name, right = br.groups()
            ctx = left + name + right
            for mt in re.finditer(re.escape(ctx), text):
                s = mt.start() + len(left)
                e = s + len(name)
                if mt.start() > 0 and _is_word(text[mt.start() - 1]) and left and _is_word(left[0]):
                    continue
                if (
                    mt.end() < len(text)
                    and _is_word(text[mt.end()])
                    and right
                    and _is_word(right[-1])
                ):
                    continue
                cands.append(
                    (s, e, len(ctx) + 1000, label, k)
                )  # explicit context beats plain mentions
        else:
            for mt in re.finditer(re.escape(m), text):
                s, e = mt.start(), mt.end()
                if (s > 0 and _is_word(text[s - 1]) and _is_word(m[0])) or (
                    e < len(text) and _is_word(text[e]) and _is_word(m[-1])
                ):
                    glued.append((s, e, m))
                    continue
                cands.append((s, e, e - s, label, k))
    # longest first; among equals, earlier first
    cands.sort(key=lambda c: (-c[2], c[0]))
    taken: list[tuple[int, int, str, int]] = []
    occupied = bytearray(len(text) + 1)
    for s, e, _, label, k in cands:
        if any(occupied[s:e]):
            continue
        for i in range(s, e):
            occupied[i] = 1
        taken.append((s, e, label, k))
    taken.sort()
    for s, _e, _label, k in taken:
        per_mention[k].append(s)
    drop: set[int] = set()
    mentions = ann.get("mentions", [])
    for sk in ann.get("skip", []):
        idxs = [k for k, men in enumerate(mentions) if men.get("m") == sk.get("m")]
        if not idxs:
            warnings.append(f"skip names an unlisted mention {sk.get('m')!r}")
            continue
        starts = sorted(s for k in idxs for s in per_mention.get(k, []))
        nth = int(sk.get("nth", 0))
        if not 1 <= nth <= len(starts):
            warnings.append(f"skip {sk.get('m')!r} nth={nth} but it has {len(starts)} matches")
            continue
        drop.add(starts[nth - 1])
    spans = [(s, e, label) for s, e, label, _k in taken if s not in drop]
    for s, e, m in glued:
        if not any(ts <= s < te for ts, te, _l, _k in taken):
            warnings.append(
                f"{m!r} also occurs glued and is NOT annotated there "
                f"(add a [bracketed] mention if it is this name): {_context(text, s, e, 20)}"
            )
    for k, men in enumerate(mentions):
        if men.get("l") in LABELS and not per_mention.get(k):
            warnings.append(f"no match for {men.get('m')!r}")
    return spans, warnings


def validate(text: str, spans: list[tuple[int, int, str]]) -> list[str]:
    """Offsets inside the text, non-empty, no outer whitespace, no overlaps."""
    errs = []
    last = -1
    for s, e, label in spans:
        if not (0 <= s < e <= len(text)):
            errs.append(f"span out of range {s}-{e}")
            continue
        if text[s:e] != text[s:e].strip():
            errs.append(f"span with outer whitespace {s}-{e}")
        if s < last:
            errs.append(f"overlapping span at {s}")
        if label not in LABELS:
            errs.append(f"bad label {label}")
        last = e
    return errs


# page furniture the annotators did not all recognise: an outlet's self-promotion footer
_FURNITURE_LINES = re.compile(r"^(?:DailySocial\.id adalah portal berita|Disclaimer:).*$", re.M)


def normalise(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Scripted adjudication applied to every annotation (docs/ner_guidelines.md, v1.1):
    entities in an outlet's self-promotion footer or disclaimer (page furniture) are dropped."""
    furniture = [(m.start(), m.end()) for m in _FURNITURE_LINES.finditer(text)]
    if not furniture:
        return spans
    return [sp for sp in spans if not any(fs <= sp[0] < fe for fs, fe in furniture)]


# --------------------------------------------------------------------------- commands

#: Round 2 (more training data, a larger dev part): 32 more per outlet, seed 14, disjoint from
#: round 1; 4 dev + 28 train per outlet, none annotated twice.
ROUND2 = {"seed": 14, "per_outlet": 32, "splits": (("dev", 4), ("train", 28)), "double": 0}
#: Round 3 (training data only): 32 more per outlet, seed 15, disjoint from rounds 1 and 2.
ROUND3 = {"seed": 15, "per_outlet": 32, "splits": (("train", 32),), "double": 0}


def cmd_sample(args: argparse.Namespace) -> None:
    arts = load_articles(args.data)
    rows = draw_sample(arts)
    for r in rows:
        r["round"] = 1
    round2 = draw_sample(arts, exclude=frozenset(r["id"] for r in rows), **ROUND2)  # type: ignore[arg-type]
    for r in round2:
        r["round"] = 2
    rows += round2
    round3 = draw_sample(arts, exclude=frozenset(r["id"] for r in rows), **ROUND3)  # type: ignore[arg-type]
    for r in round3:
        r["round"] = 3
    rows += round3
    write_sample(rows, CORPUS_DIR / "sample.tsv")
    c = Counter((r["split"]) for r in rows)
    print(
        f"{len(rows)} articles from {len({r['outlet'] for r in rows})} outlets; splits {dict(c)}; "
        f"double {sum(r['double'] for r in rows)}; strata {len({(r['outlet'], r['year']) for r in rows})}"
    )


def cmd_show(args: argparse.Namespace) -> None:
    arts = load_articles(args.data, args.ids)
    for aid in args.ids:
        art = arts.get(aid)
        if art is None:
            print(f"### {aid}: NOT FOUND")
            continue
        print(f"### ARTICLE {aid}  (outlet {art['outlet']}, {len(art['text'])} chars)")
        for i, line in enumerate(art["text"].split("\n"), 1):
            print(f"{i:3d}| {line}")
        print()


def _context(text: str, s: int, e: int, width: int = 30) -> str:
    left = text[max(0, s - width) : s].replace("\n", "⏎")
    right = text[e : e + width].replace("\n", "⏎")
    return f"{left}[[{text[s:e]}]]{right}"


_CAP_RUN = re.compile(r"[A-Z][\w&'’-]*(?:\.\w+)*(?:[ \t]+[A-Z][\w&'’-]*(?:\.\w+)*)*")


def cmd_check(args: argparse.Namespace) -> None:
    raws = [json.loads(Path(f).read_text(encoding="utf-8")) for f in args.files]
    arts = load_articles(args.data, [r["id"] for r in raws])
    bad = 0
    for f, raw in zip(args.files, raws, strict=True):
        art = arts.get(raw.get("id"))
        if art is None:
            print(f"!! {f}: unknown id {raw.get('id')!r}")
            bad += 1
            continue
        text = art["text"]
        spans, warns = expand(text, raw)
        errs = validate(text, spans)
        print(
            f"=== {raw['id']} ({f}): {len(spans)} spans, "
            f"{dict(Counter(lab for _, _, lab in spans))}"
        )
        for w in warns + errs:
            print(f"  WARNING {w}")
        bad += bool(errs)
        if not args.quiet:
            for s, e, label in spans:
                print(f"  {label} {s}-{e}  {_context(text, s, e)}")
        # reading aid: capitalised runs that no span covers (not sentence/line initial)
        covered = bytearray(len(text) + 1)
        for s, e, _ in spans:
            for i in range(s, e):
                covered[i] = 1
        missed = Counter()
        for mt in _CAP_RUN.finditer(text):
            s = mt.start()
            if covered[s]:
                continue
            before = text[max(0, s - 2) : s]
            if s == 0 or "\n" in before or re.search(r"[.!?:\"“]\s*$", before):
                continue
            missed[mt.group(0)] += 1
        if missed:
            print(
                "  uncovered capitalised (check, most are fine): "
                + "; ".join(f"{k}×{v}" if v > 1 else k for k, v in missed.most_common(40))
            )
    sys.exit(1 if bad else 0)


def compile_dir(raw_dir: Path, data: Path, sample: list[dict]) -> dict[str, dict]:
    files = sorted(raw_dir.rglob("*.json"))
    raws = {}
    for f in files:
        raw = json.loads(f.read_text(encoding="utf-8"))
        raws[raw["id"]] = raw
    arts = load_articles(data, raws)
    split = {r["id"]: r["split"] for r in sample}
    out = {}
    for aid, raw in raws.items():
        if aid not in split:
            raise SystemExit(f"{aid} is not in the sample")
        text = arts[aid]["text"]
        spans, _warns = expand(text, raw)
        spans = normalise(text, spans)
        errs = validate(text, spans)
        if errs:
            raise SystemExit(f"{aid}: {errs}")
        out[aid] = {
            "id": aid,
            "split": split[aid],
            "chars": len(text),
            "sha1": text_sha1(text),
            "entities": [[s, e, label] for s, e, label in spans],
        }
    return out


def cmd_compile(args: argparse.Namespace) -> None:
    sample = read_sample()
    recs = compile_dir(args.raw, args.data, sample)
    name = "annotations.jsonl" if args.pass_ == 1 else "second_pass.jsonl"
    order = {r["id"]: i for i, r in enumerate(sample)}
    path = CORPUS_DIR / name
    with open(path, "w", encoding="utf-8") as fh:
        for aid in sorted(recs, key=order.__getitem__):
            fh.write(json.dumps(recs[aid], ensure_ascii=False) + "\n")
    c = Counter(r["split"] for r in recs.values())
    n_ent = Counter(label for r in recs.values() for _, _, label in r["entities"])
    print(f"wrote {path}: {len(recs)} articles {dict(c)}; entities {dict(n_ent)}")


def read_corpus(name: str = "annotations.jsonl") -> dict[str, dict]:
    path = CORPUS_DIR / name
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out[r["id"]] = r
    return out


def prf(gold: set, pred: set) -> tuple[float, float, float]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def cmd_agree(args: argparse.Namespace) -> None:
    a = read_corpus(args.first)
    b = read_corpus(args.second)
    ids = sorted(set(a) & set(b))
    ga: set = set()
    gb: set = set()
    ua: set = set()
    ub: set = set()
    for aid in ids:
        ga |= {(aid, s, e, lab) for s, e, lab in a[aid]["entities"]}
        gb |= {(aid, s, e, lab) for s, e, lab in b[aid]["entities"]}
        ua |= {(aid, s, e) for s, e, _ in a[aid]["entities"]}
        ub |= {(aid, s, e) for s, e, _ in b[aid]["entities"]}
    p, r, f = prf(ga, gb)
    print(f"{len(ids)} articles annotated twice; entities {len(ga)} / {len(gb)}")
    print(
        f"entity-level F1 (exact span + label): {f:.3f}  (P {p:.3f} R {r:.3f}, first pass as reference)"
    )
    print(f"span-only F1: {prf(ua, ub)[2]:.3f}")
    for lab in LABELS:
        fa = {x for x in ga if x[3] == lab}
        fb = {x for x in gb if x[3] == lab}
        print(f"  {lab}: F1 {prf(fa, fb)[2]:.3f} ({len(fa)} / {len(fb)})")
    if args.diff:
        arts = load_articles(args.data, ids)
        for aid in ids:
            text = arts[aid]["text"]
            da = {(s, e, lab) for s, e, lab in a[aid]["entities"]}
            db = {(s, e, lab) for s, e, lab in b[aid]["entities"]}
            for s, e, lab in sorted(da - db):
                print(f"  A-only {aid} {lab} {_context(text, s, e, 25)}")
            for s, e, lab in sorted(db - da):
                print(f"  B-only {aid} {lab} {_context(text, s, e, 25)}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample")
    sp = sub.add_parser("show")
    sp.add_argument("ids", nargs="+")
    sp = sub.add_parser("check")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--quiet", action="store_true", help="warnings only, no span listing")
    sp = sub.add_parser("compile")
    sp.add_argument("--raw", type=Path, required=True)
    sp.add_argument("--pass", dest="pass_", type=int, default=1, choices=(1, 2))
    sp = sub.add_parser("agree")
    sp.add_argument("--first", default="agreement_first.jsonl")
    sp.add_argument("--second", default="second_pass.jsonl")
    sp.add_argument("--diff", action="store_true")
    args = ap.parse_args(argv)
    {
        "sample": cmd_sample,
        "show": cmd_show,
        "check": cmd_check,
        "compile": cmd_compile,
        "agree": cmd_agree,
    }[args.cmd](args)


if __name__ == "__main__":
    main()
