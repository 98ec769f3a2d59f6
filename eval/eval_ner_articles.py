"""Entities in whole news articles: the article NER corpus's test part (issue 13).

    python eval/eval_ner_articles.py --data ../shared/data [--split test] [--errors 30]
        [--baseline-ref a3759e2 | --no-baseline] [--no-crf] [--model models/ner-id]

Scores exact-span P/R/F1 per label, micro, and micro F1 per outlet, on the gold of
``corpora/ner-articles/annotations.jsonl`` (ids + offsets only; the texts are read from
``../shared/data/news/articles.jsonl`` and checked against the stored SHA-1), for:

(a) **model**: the NER model alone (``models/ner-id``, its own tokenizer, no rules);
(b) **pipeline**: ``beritanlp.analyze(text, title=, published=)`` as shipped now;
(c) **before**: the pipeline as shipped before issue 13 (git ``--baseline-ref``, installed once into
    ``/tmp/beritanlp-baseline`` with ``pip install --no-deps --target`` from a ``git worktree`` and
    run in a subprocess: the old code with its own model, side by side);
(d) **CRF anchor**: sklearn-crfsuite with word/affix/shape features (``eval/eval_ner.py``), trained
    on the same data as the model (``/tmp/ner/train_with_articles``, written by
    ``scripts/train_ner.py``; else the sentence corpora).

Then ``--errors`` example errors of the pipeline grouped by kind (missed, spurious, wrong label,
wrong boundary). The sentence-corpus regression guards are ``eval/eval_ner.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "eval"))

import ner_articles  # noqa: E402

LABELS = ("PER", "LOC", "ORG")
BASELINE_REF = "a3759e2"
BASELINE_DIR = Path("/tmp/beritanlp-baseline")

Spans = set[tuple[str, int, int, str]]

_BASELINE_RUNNER = r"""
import json, sys
import beritanlp
for line in sys.stdin:
    item = json.loads(line)
    art = beritanlp.analyze(item["text"], title=item.get("title"), published=item.get("published"))
    print(json.dumps({"id": item["id"], "ents": [[e.start, e.end, e.label] for e in art.entities]}),
          flush=True)
"""


def load_gold(data: Path, split: str | None) -> tuple[dict[str, dict], dict[str, dict]]:
    corpus = ner_articles.read_corpus()
    if split:
        corpus = {k: v for k, v in corpus.items() if v["split"] == split}
    arts = ner_articles.load_articles(data, corpus)
    for aid, rec in corpus.items():
        if ner_articles.text_sha1(arts[aid]["text"]) != rec["sha1"]:
            raise SystemExit(f"{aid}: the text differs from the one annotated (SHA-1 mismatch)")
    return corpus, arts


def gold_spans(corpus: dict[str, dict]) -> Spans:
    return {(aid, s, e, lab) for aid, rec in corpus.items() for s, e, lab in rec["entities"]}


def predict_model(arts: dict[str, dict], model: Path | None) -> Spans:
    from beritanlp.components.ner import load_ner_model

    nlp = load_ner_model(model)
    out: Spans = set()
    ids = sorted(arts)
    for aid, doc in zip(ids, nlp.pipe(arts[i]["text"] for i in ids), strict=True):
        out |= {(aid, e.start_char, e.end_char, e.label_) for e in doc.ents}
    return out


def predict_pipeline(arts: dict[str, dict]) -> Spans:
    import beritanlp

    out: Spans = set()
    for aid in sorted(arts):
        art = arts[aid]
        result = beritanlp.analyze(
            art["text"], title=art.get("title"), published=art.get("published")
        )
        out |= {(aid, e.start, e.end, e.label) for e in result.entities}
    return out


def ensure_baseline(ref: str) -> Path:
    """Install the pipeline of git ``ref`` into BASELINE_DIR/<ref> (once) and return the path."""
    target = BASELINE_DIR / ref
    if (target / "beritanlp").is_dir():
        return target
    tree = BASELINE_DIR / f"tree-{ref}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                       check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(tree)], check=True)  # fmt: skip
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                   check=False, capture_output=True)  # fmt: skip
    return target


def predict_baseline(arts: dict[str, dict], ref: str) -> Spans:
    target = ensure_baseline(ref)
    env = {**os.environ, "PYTHONPATH": str(target), "OMP_NUM_THREADS": "1"}
    payload = "".join(
        json.dumps(
            {
                "id": aid,
                "text": arts[aid]["text"],
                "title": arts[aid].get("title"),
                "published": arts[aid].get("published"),
            }
        )
        + "\n"
        for aid in sorted(arts)
    )
    proc = subprocess.run([sys.executable, "-c", _BASELINE_RUNNER], input=payload, text=True,
                          capture_output=True, env=env, cwd="/tmp")  # fmt: skip
    if proc.returncode:
        raise SystemExit(f"baseline run failed:\n{proc.stderr[-3000:]}")
    out: Spans = set()
    for line in proc.stdout.splitlines():
        rec = json.loads(line)
        out |= {(rec["id"], s, e, lab) for s, e, lab in rec["ents"]}
    return out


def predict_crf(arts: dict[str, dict], work: Path) -> tuple[Spans, str]:
    import eval_ner
    from spacy.tokens import DocBin

    from beritanlp.lang import blank

    nlp = blank()
    paths = sorted((work / "train_with_articles").glob("*.spacy"))
    if not paths:
        paths = [work / "train_fold1.spacy"]
    if not paths[0].exists():
        raise SystemExit(f"no CRF training data in {work}: run scripts/train_ner.py first")
    train = [d for p in paths for d in DocBin().from_disk(p).get_docs(nlp.vocab)]
    crf = eval_ner.train_crf(train)
    out: Spans = set()
    for aid in sorted(arts):
        doc = nlp(arts[aid]["text"])
        words = [t.text for t in doc]
        tags = crf.predict_single(eval_ner.crf_features(words))
        start = None
        label = None
        for i, tag in enumerate([*tags, "O"]):
            if start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != label):
                out.add((aid, doc[start].idx, doc[i - 1].idx + len(doc[i - 1].text), label))
                start = None
            if tag.startswith("B-") or (tag.startswith("I-") and start is None):
                start, label = i, tag[2:]
        # whitespace tokens never start an entity in the gold
    out = {
        x for x in out if arts[x[0]]["text"][x[1] : x[2]].strip() == arts[x[0]]["text"][x[1] : x[2]]
    }
    return out, " + ".join(p.name for p in paths)


def prf(gold: Spans, pred: Spans) -> tuple[float, float, float, int]:
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, len(gold)


def table(gold: Spans, systems: dict[str, Spans], outlet_of: dict[str, str]) -> str:
    lines = [f"{'system':<10} {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for name, pred in systems.items():
        for lab in (*LABELS, "micro"):
            g = gold if lab == "micro" else {x for x in gold if x[3] == lab}
            p = pred if lab == "micro" else {x for x in pred if x[3] == lab}
            pp, rr, ff, n = prf(g, p)
            lines.append(f"{name:<10} {lab:<6} {pp:6.3f} {rr:6.3f} {ff:6.3f} {n:6d}")
    outlets = sorted(set(outlet_of.values()))
    lines.append("")
    lines.append("micro F1 per outlet: " + " | ".join(systems))
    for outlet in outlets:
        ids = {a for a, o in outlet_of.items() if o == outlet}
        g = {x for x in gold if x[0] in ids}
        cells = [f"{prf(g, {x for x in pred if x[0] in ids})[2]:.3f}" for pred in systems.values()]
        lines.append(f"  {outlet:<18} ({len(ids):2d} art, {len(g):4d} ents) " + "  ".join(cells))
    return "\n".join(lines)


def classify(gold: Spans, pred: Spans) -> dict[str, list[tuple]]:
    """Errors by kind: wrong label (same span), wrong boundary (overlap), missed, spurious."""
    by_doc_g: dict[str, list] = defaultdict(list)
    by_doc_p: dict[str, list] = defaultdict(list)
    for x in gold - pred:
        by_doc_g[x[0]].append(x)
    for x in pred - gold:
        by_doc_p[x[0]].append(x)
    kinds: dict[str, list[tuple]] = defaultdict(list)
    for aid in set(by_doc_g) | set(by_doc_p):
        used = set()
        for g in by_doc_g.get(aid, []):
            match = [p for p in by_doc_p.get(aid, []) if p[1] < g[2] and g[1] < p[2]]
            if any(p[1:3] == g[1:3] for p in match):
                kinds["wrong label"].append((g, next(p for p in match if p[1:3] == g[1:3])))
            elif match:
                kinds["wrong boundary"].append((g, match[0]))
            else:
                kinds["missed"].append((g, None))
            used |= set(match)
        for p in by_doc_p.get(aid, []):
            if p not in used:
                kinds["spurious"].append((None, p))
    return kinds


def show_errors(kinds: dict[str, list[tuple]], arts: dict[str, dict], n: int) -> str:
    rng = random.Random(13)
    total = sum(len(v) for v in kinds.values())
    lines = [f"pipeline errors by kind (of {total}): "
             + ", ".join(f"{k} {len(v)}" for k, v in sorted(kinds.items()))]  # fmt: skip
    for kind, items in sorted(kinds.items()):
        k = max(1, round(n * len(items) / total)) if total else 0
        lines.append(f"-- {kind} ({len(items)}), {min(k, len(items))} examples")
        for g, p in rng.sample(items, min(k, len(items))):
            ref = g or p
            text = arts[ref[0]]["text"]
            s, e = ref[1], ref[2]
            ctx = (text[max(0, s - 30) : s] + "[[" + text[s:e] + "]]" + text[e : e + 30]).replace(
                "\n", "⏎"
            )
            gs = f"gold {g[3]} {text[g[1] : g[2]]!r}" if g else "gold -"
            ps = f"pred {p[3]} {text[p[1] : p[2]]!r}" if p else "pred -"
            lines.append(f"   {gs:<38} {ps:<38} {ctx}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ner_articles.DEFAULT_DATA)
    ap.add_argument("--split", default="test", help="test | dev | train | all")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--baseline-ref", default=BASELINE_REF)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--no-crf", action="store_true")
    ap.add_argument("--work", type=Path, default=Path("/tmp/ner"))
    ap.add_argument("--errors", type=int, default=30)
    ap.add_argument("--model-only", action="store_true", help="score the model alone (a) only")
    ap.add_argument("--dump", type=Path, default=None, help="write the predictions as JSON")
    args = ap.parse_args(argv)

    corpus, arts = load_gold(args.data, None if args.split == "all" else args.split)
    gold = gold_spans(corpus)
    outlet_of = {aid: arts[aid]["outlet"] for aid in corpus}
    n_chars = sum(len(arts[a]["text"]) for a in corpus)
    print(
        f"article NER corpus, split {args.split}: {len(corpus)} articles, "
        f"{n_chars:,} characters, {len(gold)} entities {dict(Counter(x[3] for x in gold))}"
    )
    systems: dict[str, Spans] = {}
    timings = []
    started = time.time()
    systems["model"] = predict_model(arts, args.model)
    timings.append(f"model {time.time() - started:.0f}s")
    if args.model_only:
        print(table(gold, systems, outlet_of))
        return
    started = time.time()
    systems["pipeline"] = predict_pipeline(arts)
    timings.append(f"pipeline {time.time() - started:.0f}s")
    if not args.no_baseline:
        started = time.time()
        systems["before"] = predict_baseline(arts, args.baseline_ref)
        timings.append(f"before ({args.baseline_ref}) {time.time() - started:.0f}s")
    if not args.no_crf:
        started = time.time()
        systems["crf"], crf_data = predict_crf(arts, args.work)
        timings.append(f"crf (trained on {crf_data}) {time.time() - started:.0f}s")
    print("timings: " + ", ".join(timings))
    print()
    print(table(gold, systems, outlet_of))
    print()
    print(show_errors(classify(gold, systems["pipeline"]), arts, args.errors))
    if args.dump:
        args.dump.write_text(
            json.dumps({k: sorted(v) for k, v in systems.items()}), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
