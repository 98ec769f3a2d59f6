"""Evaluate the NER model: exact-span P/R/F1 per label and micro, on every test set we report.

    python eval/eval_ner.py [--data ../shared/data] [--model models/ner-id] [--crf]
                            [--nerui-folds 1] [--train-missing] [--speed] [--errors 20]

Sets (built by ``scripts/ner_data.py`` into ``/tmp/ner``; rebuilt when missing):

* idner-news-2k dev, on the gold tokens and on raw text: the sentence is detokenised, run
  through the beritanlp tokenizer + model, and entities are compared as character spans;
* NER UI fold ``k`` test (IndoLEM folds; the shipped model is trained on fold 1's train part
  only, so fold 1 test is clean; folds 2..5 need per-fold models: ``/tmp/ner/folds/fold{k}``,
  trained by ``scripts/train_ner.py --fold k`` when ``--train-missing`` is given);
* NERGrit test.

``--crf`` trains a plain sklearn-crfsuite CRF (word/affix/shape features, +-2 context) on the
same training DocBin as the side-by-side anchor. ``--speed`` measures tokens/s on one core on
news text with and without the NER. A confusion table and example errors (idner dev, raw text)
follow the scores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import ner_data  # noqa: E402

Span = tuple[int, int, str]
LABELS = ("PER", "LOC", "ORG")


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def score(pairs: Iterable[tuple[set[Span], set[Span]]]) -> dict[str, tuple[float, float, float]]:
    """Exact-span scores per label and micro over (gold, predicted) span sets."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for gold, pred in pairs:
        for span in gold:
            n_gold[span[2]] += 1
        for span in pred:
            n_pred[span[2]] += 1
        for span in gold & pred:
            tp[span[2]] += 1
    result = {label: prf(tp[label], n_pred[label], n_gold[label]) for label in LABELS}
    result["micro"] = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    result["_n_gold"] = (float(sum(n_gold.values())), 0.0, 0.0)
    return result


def confusion(pairs: Iterable[tuple[set[Span], set[Span]]]) -> Counter[tuple[str, str]]:
    """(gold label | '-', predicted label | 'missed' | '-') counts; '~X' = overlap, wrong edges."""
    table: Counter[tuple[str, str]] = Counter()
    for gold, pred in pairs:
        for g in gold:
            if g in pred:
                table[(g[2], g[2])] += 1
                continue
            same = [p for p in pred if p[0] == g[0] and p[1] == g[1]]
            overlap = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
            if same:
                table[(g[2], same[0][2])] += 1
            elif overlap:
                table[(g[2], "~" + overlap[0][2])] += 1
            else:
                table[(g[2], "missed")] += 1
        for p in pred:
            if not any(p[0] < g[1] and g[0] < p[1] for g in gold):
                table[("spurious", p[2])] += 1
    return table


def doc_spans(doc) -> set[Span]:  # type: ignore[no-untyped-def]
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents}


def gold_docs(path: Path, vocab) -> list:  # type: ignore[no-untyped-def]
    return list(ner_data.iter_docs(path, vocab))


def eval_gold_tokens(nlp, docs: list) -> list[tuple[set[Span], set[Span]]]:  # type: ignore[no-untyped-def]
    """Run the model's components on Docs built from the gold words."""
    from spacy.tokens import Doc

    inputs = [
        Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d])
        for d in docs
    ]
    outputs = list(nlp.pipe(inputs, batch_size=256))
    return [(doc_spans(g), doc_spans(p)) for g, p in zip(docs, outputs, strict=True)]


def eval_raw_text(nlp, docs: list) -> list[tuple[set[Span], set[Span]]]:  # type: ignore[no-untyped-def]
    """Detokenised text through the beritanlp tokenizer + model; character-span comparison."""
    outputs = list(nlp.pipe([d.text for d in docs], batch_size=256))
    return [(doc_spans(g), doc_spans(p)) for g, p in zip(docs, outputs, strict=True)]


def print_table(rows: list[tuple[str, dict[str, tuple[float, float, float]]]]) -> None:
    header = f"| {'set':44} | {'n':>5} | " + " | ".join(f"{lab:>14}" for lab in LABELS)
    print(header + f" | {'micro P/R/F1':>20} |")
    print("|" + "-" * (len(header) + 23) + "|")
    for name, result in rows:
        cells = " | ".join(f"{result[lab][2]:14.1f}" for lab in LABELS)
        p, r, f = result["micro"]
        n = int(result["_n_gold"][0])
        print(f"| {name:44} | {n:5d} | {cells} | {p:6.1f} {r:6.1f} {f:6.1f} |")


# --------------------------------------------------------------------------- CRF baseline


def _shape(word: str) -> str:
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def crf_features(words: list[str]) -> list[dict[str, object]]:
    feats = []
    for i in range(len(words)):
        f: dict[str, object] = {"bias": 1.0}
        for off in (-2, -1, 0, 1, 2):
            j = i + off
            if 0 <= j < len(words):
                w = words[j]
                f[f"{off}:lower"] = w.lower()
                f[f"{off}:shape"] = _shape(w)
                f[f"{off}:title"] = w.istitle()
                f[f"{off}:upper"] = w.isupper()
                if off == 0:
                    for k in (2, 3, 4):
                        f[f"pre{k}"] = w[:k].lower()
                        f[f"suf{k}"] = w[-k:].lower()
                    f["digit"] = any(c.isdigit() for c in w)
            else:
                f[f"{off}:pad"] = True
        feats.append(f)
    return feats


def doc_iob(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]


def train_crf(train_docs: list):  # type: ignore[no-untyped-def]
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(algorithm="lbfgs", c1=0.05, c2=0.05, max_iterations=150)
    crf.fit(
        [crf_features([t.text for t in d]) for d in train_docs], [doc_iob(d) for d in train_docs]
    )
    return crf


def eval_crf(crf, docs: list) -> list[tuple[set[Span], set[Span]]]:  # type: ignore[no-untyped-def]
    pairs = []
    for doc in docs:
        tags = crf.predict_single(crf_features([t.text for t in doc]))
        pred = {
            (doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), lab)
            for s, e, lab in ner_data.iob_spans(tags)
        }
        pairs.append((doc_spans(doc), pred))
    return pairs


# --------------------------------------------------------------------------- speed


def speed(model: Path, data: Path, n_articles: int = 300) -> list[tuple[str, float]]:
    import beritanlp
    from beritanlp.components.ner import add_ner
    from beritanlp.lang import blank

    texts = []
    with (data / "news" / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            texts.append(json.loads(line)["text"])
            if len(texts) >= n_articles:
                break
    results = []
    nlp_ner = blank()  # as in the pipeline: NumPy BLAS and the vector cache (see add_ner)
    add_ner(nlp_ner, model, split_linebreaks=False)
    with_ner = beritanlp.load(config={"ner": {"model_dir": str(model)}})
    without_ner = beritanlp.load(exclude=["ner"])
    for name, nlp in (
        ("tokenizer only", None),
        ("NER model alone (tokenizer + ner)", nlp_ner),
        ("beritanlp.load(exclude=['ner'])", without_ner),
        ("beritanlp.load() (with ner)", with_ner),
    ):
        start = time.perf_counter()
        if nlp is None:
            n = sum(len(d) for d in nlp_ner.tokenizer.pipe(texts))
        else:
            n = sum(len(d) for d in nlp.pipe(texts, batch_size=64))
        results.append((name, n / (time.perf_counter() - start)))
    return results


# --------------------------------------------------------------------------- main


def fold_model(fold: int, model: Path, train_missing: bool, data: Path) -> Path | None:
    if fold == 1:
        return model
    path = Path("/tmp/ner/folds") / f"fold{fold}" / "model-best"
    if not path.is_dir() and train_missing:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "train_ner.py"),
                "--fold",
                str(fold),
                "--data",
                str(data),
                "--fast",
            ],
            check=True,
        )
    return path if path.is_dir() else None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ner_data.DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "ner-id")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner"))
    parser.add_argument("--nerui-folds", default="1")
    parser.add_argument("--train-missing", action="store_true")
    parser.add_argument("--crf", action="store_true", help="also train + score the CRF anchor")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--errors", type=int, default=20)
    args = parser.parse_args(argv)
    folds = [int(f) for f in args.nerui_folds.split(",") if f.strip()]

    from beritanlp.components.ner import load_ner_model

    needed = ["idner_dev", "nergrit_test", "train_fold1", *(f"nerui_test{k}" for k in folds)]
    if any(not (args.work / f"{name}.spacy").exists() for name in needed):
        ner_data.build(args.data, args.work, sorted({1, *folds}), nerp=False)

    nlp = load_ner_model(args.model)
    print(f"model: {args.model}  pipeline: {nlp.pipe_names}  labels: {nlp.get_pipe('ner').labels}")
    idner = gold_docs(args.work / "idner_dev.spacy", nlp.vocab)
    grit = gold_docs(args.work / "nergrit_test.spacy", nlp.vocab)
    raw_pairs = eval_raw_text(nlp, idner)
    rows = [
        ("idner-news-2k dev (gold tokens)", score(eval_gold_tokens(nlp, idner))),
        ("idner-news-2k dev (raw text, our tokenizer)", score(raw_pairs)),
    ]
    fold_scores = []
    for fold in folds:
        path = fold_model(fold, args.model, args.train_missing, args.data)
        if path is None:
            print(f"(NER UI fold {fold}: no model at /tmp/ner/folds/fold{fold}; skipped)")
            continue
        fold_nlp = nlp if fold == 1 else load_ner_model(path)
        test = gold_docs(args.work / f"nerui_test{fold}.spacy", fold_nlp.vocab)
        result = score(eval_gold_tokens(fold_nlp, test))
        fold_scores.append(result["micro"][2])
        rows.append(
            (f"NER UI test fold {fold}" + (" (per-fold model)" if fold > 1 else ""), result)
        )
    rows.append(("NERGrit test (gold tokens)", score(eval_gold_tokens(nlp, grit))))
    print_table(rows)
    if len(fold_scores) > 1:
        mean = sum(fold_scores) / len(fold_scores)
        print(f"NER UI micro F1 mean over folds {folds[: len(fold_scores)]}: {mean:.2f}")

    if args.crf:
        train = gold_docs(args.work / "train_fold1.spacy", nlp.vocab)
        started = time.time()
        crf = train_crf(train)
        print(
            f"\nCRF anchor (sklearn-crfsuite, same train_fold1 data, {time.time() - started:.0f}s)"
        )
        test1 = gold_docs(args.work / "nerui_test1.spacy", nlp.vocab)
        print_table(
            [
                ("CRF idner-news-2k dev (gold tokens)", score(eval_crf(crf, idner))),
                ("CRF NER UI test fold 1", score(eval_crf(crf, test1))),
                ("CRF NERGrit test", score(eval_crf(crf, grit))),
            ]
        )

    print("\nConfusion, idner-news-2k dev (raw text): gold label -> predicted")
    print("(~X = overlapping span of label X with wrong boundaries; spurious = no gold overlap)")
    for (gold, pred), count in sorted(confusion(raw_pairs).items(), key=lambda kv: -kv[1]):
        print(f"  {gold:9} -> {pred:8} {count:5d}")

    print(f"\n{args.errors} example errors, idner-news-2k dev (raw text):")
    shown = 0
    for doc, (gold, pred) in zip(idner, raw_pairs, strict=True):
        if shown >= args.errors:
            break
        if gold == pred:
            continue
        text = doc.text
        missed = sorted(gold - pred)
        extra = sorted(pred - gold)
        g = ", ".join(f"{text[s:e]}/{lab}" for s, e, lab in missed) or "-"
        p = ", ".join(f"{text[s:e]}/{lab}" for s, e, lab in extra) or "-"
        snippet = text if len(text) <= 110 else text[:107] + "..."
        print(f"  - {snippet}\n      gold only: {g}\n      predicted only: {p}")
        shown += 1

    size = sum(f.stat().st_size for f in args.model.rglob("*") if f.is_file()) / 1e6
    print(f"\nmodel size: {size:.1f} MB ({args.model})")
    if args.speed:
        print("\nspeed on 300 news articles, one core (OMP_NUM_THREADS=1):")
        for name, wps in speed(args.model, args.data):
            print(f"  {name:38} {wps:10,.0f} tokens/s")


if __name__ == "__main__":
    main()
