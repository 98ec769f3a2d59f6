"""Evaluate the topic classifier: leave-one-outlet-out, random split, baselines.

One command, from the repository root (single-threaded, a few minutes)::

    python eval/eval_topic.py --data ../shared/data

Gold labels are the outlets' own sections mapped through
``src/beritanlp/data/topic_section_map.tsv``; only ``clean`` rows are test gold (``weak``
collection buckets are training data only). Protocol:

* **Leave-one-outlet-out** (LOO): for every outlet with at least ``--min-articles`` clean
  labelled articles, train on all other outlets' articles (clean + weak) and all other outlets'
  titles, test on the held-out outlet's articles. Macro-F1 per outlet is over the labels present
  in that outlet's gold; the pooled table and the confusion matrix collect every fold's
  predictions.
* **Self-training** (``self_train``): each fold's model labels the unlabelled pool (articles
  and titles of unmapped sections such as news, nasional, regional) of every outlet except the
  held-out one, adds the confident rows and refits (:func:`train_topic.self_train`).
* **Random split**: 80/20 of the clean articles (stratified), the same training extras.
* **Baselines**, same folds: the majority class of the training set, and plain word TF-IDF
  (unigrams, default settings) + LinearSVC (C=1, no class weights), trained on the same records.

For speed the TF-IDF vocabulary and IDF are fitted once on every text, the unlabelled pool
included (unsupervised; no labels), then each fold trains only the classifier. A calibration
table compares two softmax temperatures on the LOO decisions. When
``eval/gold/topic_reader_labels.tsv`` is present, the blind reader study follows the LOO
tables (``eval/topic_label_noise.py``: how far a reader who follows our label definitions
agrees with the outlet gold, on a sample of the same test articles). The confusion matrix goes to
``docs/topic_confusion.png`` when matplotlib is installed (``--png`` to change).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval"))

import topic_label_noise  # noqa: E402
import train_topic as T  # noqa: E402

LABELS = T.LABELS


def _macro(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro", zero_division=0))


def _acc(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / max(len(gold), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--min-articles", type=int, default=100)
    parser.add_argument("--png", type=Path, default=ROOT / "docs" / "topic_confusion.png")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threshold", type=float, default=0.4, help="the component's threshold")
    parser.add_argument("--speed-only", action="store_true", help="only the speed table")
    parser.add_argument(
        "--predictions",
        type=Path,
        default=None,
        help="write the pooled leave-one-outlet-out predictions (id, outlet, gold, predicted; "
        "no text) to this TSV, for eval/topic_label_noise.py",
    )
    args = parser.parse_args(argv)
    if args.speed_only:
        speed(args.data)
        return 0

    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
    from sklearn.svm import LinearSVC

    t0 = time.time()
    settings = dict(T.DEFAULTS)
    articles = T.load_articles(
        args.data, title_weight=settings["title_weight"], max_chars=settings["max_chars"]
    )
    titles = [dict(t, is_title=True) for t in T.load_titles(args.data)]
    if not settings["use_weak"]:
        articles = [a for a in articles if a["quality"] == "clean"]
    pool = articles + (titles if settings["use_titles"] else [])
    texts = [r["text"] for r in pool]
    y = np.array([LABELS.index(r["label"]) for r in pool])
    outlets = np.array([r["outlet"] for r in pool])
    is_article = np.array([not r.get("is_title") for r in pool])
    clean = np.array([r["quality"] == "clean" for r in pool]) & is_article
    weights = T._weights(pool, settings)

    unlabelled = (
        T.load_unlabelled(
            args.data, title_weight=settings["title_weight"], max_chars=settings["max_chars"]
        )
        if settings["self_train"]
        else []
    )
    u_texts = [r["text"] for r in unlabelled]
    u_outlets = np.array([r["outlet"] for r in unlabelled])
    u_weights = T._weights(unlabelled, settings)

    blocks = T.make_vectorizers(settings)
    for _, v, _ in blocks:
        v.fit(texts + u_texts)
    x = sparse.hstack(
        [v.transform(texts) * w for _, v, w in blocks], format="csr", dtype=np.float32
    )
    xu = None
    if unlabelled:
        xu = sparse.hstack(
            [v.transform(u_texts) * w for _, v, w in blocks], format="csr", dtype=np.float32
        )
    x_base = TfidfVectorizer(dtype=np.float32).fit_transform(texts)
    print(
        f"{is_article.sum()} labelled articles ({clean.sum()} clean), "
        f"{(~is_article).sum()} titles, {len(unlabelled)} unlabelled articles and titles for "
        f"self-training; features {x.shape[1]} ({time.time() - t0:.0f} s)\n"
    )

    decisions: dict[str, np.ndarray] = {}

    def run(
        train: np.ndarray, test: np.ndarray, key: str
    ) -> tuple[list[str], list[str], list[str]]:
        """(model, plain TF-IDF + LinearSVC, majority) predictions on ``test``; the model's
        decision values are kept in ``decisions[key]``. ``key``: the held-out outlet (its
        unlabelled rows are left out of self-training too) or "random"."""
        # the unlabelled rows of the held-out outlet never enter its fold
        u_keep = u_outlets != key
        clf = T.self_train(
            x[train],
            y[train],
            weights[train],
            xu[u_keep] if xu is not None else None,
            u_weights[u_keep],
            settings,
        )
        decisions[key] = clf.decision_function(x[test])
        pred = [LABELS[i] for i in decisions[key].argmax(axis=1)]
        base = LinearSVC(C=1.0, tol=1e-3, max_iter=300).fit(x_base[train], y[train])
        pred_b = [LABELS[i] for i in base.predict(x_base[test])]
        majority = LABELS[int(np.bincount(y[train]).argmax())]
        return pred, pred_b, [majority] * int(test.sum())

    # ---- leave one outlet out
    counts = Counter(outlets[clean])
    held = sorted(
        (o for o, n in counts.items() if n >= args.min_articles), key=lambda o: -counts[o]
    )
    all_gold: list[str] = []
    all_pred: list[str] = []
    all_base: list[str] = []
    all_major: list[str] = []
    all_ids: list[tuple[str, str]] = []
    header = f"{'held-out outlet':<18}{'n':>6}{'labels':>7}  {'model F1':>8} {'acc':>6}"
    header += f"  {'tfidf+svc F1':>12} {'acc':>6}  {'majority F1':>11}"
    print("Leave-one-outlet-out (macro-F1 over the labels in the outlet's gold)")
    print(header)
    rows_f1 = []
    for outlet in held:
        train = outlets != outlet
        test = clean & (outlets == outlet)
        gold = [LABELS[i] for i in y[test]]
        pred, pred_b, pred_m = run(train, test, outlet)
        all_gold += gold
        all_pred += pred
        all_base += pred_b
        all_major += pred_m
        all_ids += [(pool[i]["id"], outlet) for i in np.flatnonzero(test)]
        f1 = _macro(gold, pred)
        rows_f1.append(f1)
        print(
            f"{outlet:<18}{len(gold):>6}{len(set(gold)):>7}  {f1:>8.3f} {_acc(gold, pred):>6.3f}"
            f"  {_macro(gold, pred_b):>12.3f} {_acc(gold, pred_b):>6.3f}"
            f"  {_macro(gold, pred_m):>11.3f}"
        )
    print(
        f"{'mean of outlets':<18}{'':>13}  {np.mean(rows_f1):>8.3f}\n"
        f"{'pooled':<18}{len(all_gold):>6}{len(set(all_gold)):>7}  "
        f"{_macro(all_gold, all_pred):>8.3f} {_acc(all_gold, all_pred):>6.3f}"
        f"  {_macro(all_gold, all_base):>12.3f} {_acc(all_gold, all_base):>6.3f}"
        f"  {_macro(all_gold, all_major):>11.3f}\n"
    )

    if args.predictions is not None:
        with args.predictions.open("w", encoding="utf-8") as sink:
            sink.write("id\toutlet\tgold\tpredicted\n")
            for (rid, outlet), g, pr in zip(all_ids, all_gold, all_pred, strict=True):
                sink.write(f"{rid}\t{outlet}\t{g}\t{pr}\n")
        print(f"predictions -> {args.predictions}\n")
    if topic_label_noise.READER_LABELS.exists():
        topic_label_noise.report(
            {rid: (g, pr) for (rid, _), g, pr in zip(all_ids, all_gold, all_pred, strict=True)},
            topic_label_noise.read_reader_labels(),
        )
        print()

    present = [lab for lab in LABELS if lab in set(all_gold)]
    p, r, f, n = precision_recall_fscore_support(
        all_gold, all_pred, labels=present, zero_division=0
    )
    print("Per class, pooled leave-one-outlet-out predictions (model)")
    print(f"{'label':<15}{'P':>7}{'R':>7}{'F1':>7}{'n':>7}")
    for lab, pi, ri, fi, ni in zip(present, p, r, f, n, strict=True):
        print(f"{lab:<15}{pi:>7.3f}{ri:>7.3f}{fi:>7.3f}{ni:>7}")
    cm = confusion_matrix(all_gold, all_pred, labels=list(LABELS))
    print("\nConfusion matrix (rows gold, columns predicted; pooled LOO)")
    short = [lab[:5] for lab in LABELS]
    print(f"{'':<14}" + "".join(f"{s:>6}" for s in short))
    for lab, row in zip(LABELS, cm, strict=True):
        if row.sum():
            print(f"{lab:<14}" + "".join(f"{v:>6}" for v in row))

    # ---- random split
    from sklearn.model_selection import train_test_split

    idx = np.flatnonzero(clean)
    _, test_idx = train_test_split(idx, test_size=0.2, random_state=args.seed, stratify=y[idx])
    test = np.zeros(len(pool), dtype=bool)
    test[test_idx] = True
    gold = [LABELS[i] for i in y[test]]
    pred, pred_b, pred_m = run(~test, test, "random")
    print("\nRandom 80/20 split of the clean articles (titles and weak rows always train)")
    print(f"{'system':<22}{'macro-F1':>9}{'acc':>7}")
    for name, pr in (("model", pred), ("tfidf+svc", pred_b), ("majority", pred_m)):
        print(f"{name:<22}{_macro(gold, pr):>9.3f}{_acc(gold, pr):>7.3f}")
    calibration(decisions, held, y, clean, outlets, test, args.threshold)

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("\n(matplotlib not installed: no PNG)")
    else:
        keep = [i for i, row in enumerate(cm) if row.sum() or cm[:, i].sum()]
        sub = cm[np.ix_(keep, keep)]
        norm = sub / np.maximum(sub.sum(axis=1, keepdims=True), 1)
        fig, ax = plt.subplots(figsize=(7.5, 6.5))
        ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
        names = [LABELS[i] for i in keep]
        ax.set_xticks(range(len(keep)), names, rotation=45, ha="right")
        ax.set_yticks(range(len(keep)), names)
        for i in range(len(keep)):
            for j in range(len(keep)):
                if sub[i, j]:
                    color = "white" if norm[i, j] > 0.5 else "black"
                    ax.text(j, i, str(sub[i, j]), ha="center", va="center", fontsize=7, color=color)
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold (outlet section)")
        ax.set_title("Topic, leave-one-outlet-out (pooled), row-normalised")
        fig.tight_layout()
        fig.savefig(args.png, dpi=110)
        print(f"\nconfusion matrix -> {args.png}")
    speed(args.data)
    print(f"({time.time() - t0:.0f} s)")
    return 0


def _ece(probs: np.ndarray, gold: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error of the top probability (equal-width bins)."""
    top = probs.max(axis=1)
    hit = probs.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    err = 0.0
    for lo, hi in itertools.pairwise(edges):
        m = (top > lo) & (top <= hi)
        if m.any():
            err += m.mean() * abs(top[m].mean() - hit[m].mean())
    return float(err)


def calibration(
    decisions: dict[str, np.ndarray],
    held: list[str],
    y: np.ndarray,
    clean: np.ndarray,
    outlets: np.ndarray,
    random_test: np.ndarray,
    threshold: float,
) -> None:
    """Calibration of the LOO probabilities under two softmax temperatures: ``in-domain`` =
    fitted on the random split's test decisions (what a random held-out split gives), and
    ``cross-outlet`` = for each held-out outlet, fitted on the LOO decisions of the other
    outlets (the way ``train_topic.py`` fits the shipped temperature). Reports the pooled
    log-loss, the expected calibration error of the top probability, and the share of
    articles that get a label (top probability >= ``threshold``) with that label's accuracy."""
    gold = {o: y[clean & (outlets == o)] for o in held}
    t_in = T.fit_temperature(decisions["random"], y[random_test])
    probs_in, probs_x, golds = [], [], []
    for o in held:
        others = [p for p in held if p != o]
        t_x = T.fit_temperature(
            np.vstack([decisions[p] for p in others]), np.concatenate([gold[p] for p in others])
        )
        probs_in.append(T.softmax(decisions[o], t_in))
        probs_x.append(T.softmax(decisions[o], t_x))
        golds.append(gold[o])
    g = np.concatenate(golds)
    print("\nCalibration of the pooled leave-one-outlet-out probabilities")
    print(f"{'temperature':<26}{'log-loss':>9}{'ECE':>7}{'labelled':>10}{'acc labelled':>14}")
    for name, probs in (("in-domain (random split)", probs_in), ("cross-outlet", probs_x)):
        p = np.vstack(probs)
        loss = -np.mean(np.log(np.clip(p[np.arange(len(g)), g], 1e-12, None)))
        keep = p.max(axis=1) >= threshold
        acc = float((p.argmax(axis=1) == g)[keep].mean()) if keep.any() else float("nan")
        print(f"{name:<26}{loss:>9.3f}{_ece(p, g):>7.3f}{keep.mean():>10.3f}{acc:>14.3f}")


def speed(data: Path, n: int = 300) -> None:
    """Per-article time of the bundled topic and keywords components (after sections,
    sentences and stemmer), on ``n`` articles of ``news/articles.jsonl``, one at a time."""
    import json

    import beritanlp.components.keywords
    import beritanlp.components.sections
    import beritanlp.components.sentences
    import beritanlp.components.stemmer
    import beritanlp.components.topic
    from beritanlp.lang import blank

    nlp = blank()
    for factory in T.PIPELINE:
        nlp.add_pipe(factory)
    texts = []
    with open(data / "news/articles.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 40 == 0:
                texts.append(json.loads(line)["text"])
            if len(texts) >= n:
                break
    wall: dict[str, float] = {name: 0.0 for name in nlp.pipe_names}
    cpu: dict[str, float] = {name: 0.0 for name in nlp.pipe_names}
    nlp(texts[0])  # load models and caches
    for text in texts:
        doc = nlp.make_doc(text)
        for name, proc in nlp.pipeline:
            start, start_cpu = time.perf_counter(), time.process_time()
            doc = proc(doc)
            wall[name] += time.perf_counter() - start
            cpu[name] += time.process_time() - start_cpu
    mean_chars = sum(map(len, texts)) / len(texts)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nSpeed, {len(texts)} articles (mean {mean_chars:.0f} chars), one doc at a time "
        f"({os.cpu_count()} cores, load average {load:.1f})"
    )
    print(f"{'component':<22}{'wall ms':>9}{'CPU ms':>9}  per article")
    for name in wall:
        n = len(texts)
        print(f"{name:<22}{1000 * wall[name] / n:>9.2f}{1000 * cpu[name] / n:>9.2f}")
    size = sum(p.stat().st_size for p in beritanlp.components.topic.default_model_dir().iterdir())
    print(f"topic model size {size / 1e6:.1f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
