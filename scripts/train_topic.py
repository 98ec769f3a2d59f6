"""Train the topic model (``models/topic-id/``) and the keyword IDF table.

One command, from the repository root (single-threaded; about four minutes for the topic model,
three more for the keyword IDF table)::

    python scripts/train_topic.py --data ../shared/data --no-keywords   # topic model only
    python scripts/train_topic.py --data ../shared/data                 # + models/keywords-id

Training data: ``news/articles.jsonl`` (full text) whose outlet section maps onto a label through
``src/beritanlp/data/topic_section_map.tsv`` (clean and weak rows), plus ``news/titles.jsonl``
(titles only, sample weight ``title_sample_weight`` = 0.3). Each article's input is built as the
component builds it (:func:`beritanlp.components.topic.topic_text` over the sections that
:func:`beritanlp.components.sections.find_sections` finds). The model: word 1-2-gram TF-IDF with
a bounded vocabulary (character n-grams are supported by ``use_char`` for evaluation only: no
gain, too slow at inference, and ``save_model`` refuses them because the component reads word
n-grams only); one linear layer = a class-balanced LinearSVC (``C``) + ``nb_weight`` × a
Complement Naive Bayes (``nb_alpha``, log weights centred over the classes); and a softmax
temperature fitted on cross-outlet decisions (each of the ``temperature_outlets`` largest
outlets scored by a model trained without it; minimum log-loss). It is written as JSON +
``.npy`` (no pickle); the word pattern is ``topic.TOKEN_PATTERN``, the only one the component
accepts from ``model.json`` (a pattern is compiled and run on every article). The keyword IDF
table goes to ``models/keywords-id/`` (document frequencies of stems over 6,000 articles, for
``beritanlp_keywords``) unless ``--no-keywords``.

The functions here are shared by ``eval/eval_topic.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from beritanlp.components.sections import find_sections  # noqa: E402
from beritanlp.components.topic import (  # noqa: E402
    LABELS,
    TOKEN_PATTERN,
    map_section,
    save_model,
    softmax,
    topic_text,
)

log = logging.getLogger("train_topic")
PIPELINE = (
    "beritanlp_sections",
    "beritanlp_sentences",
    "beritanlp_stemmer",
    "beritanlp_topic",
    "beritanlp_keywords",
)

# ----------------------------------------------------------------------------------------------
# settings (the defaults are what eval/eval_topic.py measured best; see docs/topic.md)

DEFAULTS: dict[str, Any] = {
    "word_max_features": 80_000,
    "char_max_features": 60_000,
    "word_weight": 1.0,
    "char_weight": 1.0,
    "C": 0.3,
    "nb_alpha": 0.3,
    "nb_weight": 0.2,
    "title_sample_weight": 0.3,
    "title_weight": 2,
    "max_chars": 3000,
    "use_weak": True,
    "use_titles": True,
    "use_char": False,
    "temperature_outlets": 4,
    "self_train": True,
    "self_train_margin": 0.5,
    "self_train_weight": 0.3,
}


def _cache_path(data: Path, title_weight: int, max_chars: int, kind: str = "articles") -> Path:
    sources = [data / "news/articles.jsonl", ROOT / "src/beritanlp/components/topic.py"]
    sources += sorted((ROOT / "src/beritanlp/data").glob("*.json*"))
    sources += [ROOT / "src/beritanlp/data/topic_section_map.tsv"]
    stamp = ":".join(str(p.stat().st_mtime) for p in sources if p.exists())
    stamp += f":{title_weight}:{max_chars}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:10]
    return Path("/tmp/topic") / f"{kind}-{digest}.json"


def load_articles(
    data: Path,
    *,
    title_weight: int = 2,
    max_chars: int = 3000,
    cache: bool = True,
    labelled: bool = True,
) -> list[dict[str, Any]]:
    """Labelled articles: ``{id, dataset, outlet, label, quality, text}`` (``text``: the
    classifier input built as the component builds it). With ``labelled=False``: the articles
    whose section maps onto no label (``label`` and ``quality`` are ``None``), for
    self-training."""
    kind = "articles" if labelled else "unlabelled"
    path = _cache_path(data, title_weight, max_chars, kind)
    if cache and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    out = []
    with open(data / "news/articles.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            hit = map_section(record)
            if (hit is None) == labelled:
                continue
            text = record["text"] or ""
            title = record.get("title")
            if title:  # the component sees the title through doc._.beritanlp_context
                segments = find_sections(text, detect_title=False)
            else:
                segments = find_sections(text)
            sections = [(s.kind, s.start, s.end) for s in segments]
            feats = topic_text(
                text, sections, title, title_weight=title_weight, max_chars=max_chars
            )
            out.append(
                {
                    "id": record["id"],
                    "dataset": record["dataset"],
                    "outlet": record["outlet"],
                    "label": hit[0] if hit else None,
                    "quality": hit[1] if hit else None,
                    "text": feats,
                }
            )
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


def load_titles(data: Path, *, labelled: bool = True) -> list[dict[str, Any]]:
    """Labelled titles (``text`` = the title alone); with ``labelled=False`` the titles whose
    section maps onto no label."""
    out = []
    with open(data / "news/titles.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            hit = map_section(record)
            if (hit is None) == labelled or not record.get("title"):
                continue
            out.append(
                {
                    "id": record["id"],
                    "dataset": record["dataset"],
                    "outlet": record["outlet"],
                    "label": hit[0] if hit else None,
                    "quality": hit[1] if hit else None,
                    "text": record["title"],
                }
            )
    return out


def load_unlabelled(
    data: Path, *, title_weight: int = 2, max_chars: int = 3000
) -> list[dict[str, Any]]:
    """Articles and titles (``is_title``) of sections that map onto no label (news,
    nasional, regional, ...): the self-training pool."""
    articles = load_articles(data, title_weight=title_weight, max_chars=max_chars, labelled=False)
    return articles + [dict(t, is_title=True) for t in load_titles(data, labelled=False)]


# ----------------------------------------------------------------------------------------------
# model


def make_vectorizers(settings: dict[str, Any]) -> list[tuple[str, Any, float]]:
    """The TF-IDF blocks: (name, unfitted TfidfVectorizer, weight)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    blocks = [
        (
            "word",
            TfidfVectorizer(
                analyzer="word",
                ngram_range=(1, 2),
                lowercase=True,
                sublinear_tf=True,
                min_df=2,
                max_features=settings["word_max_features"],
                token_pattern=TOKEN_PATTERN,  # the reader accepts only this pattern
                dtype=np.float32,
            ),
            settings["word_weight"],
        )
    ]
    if settings["use_char"]:
        blocks.append(
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    lowercase=True,
                    sublinear_tf=True,
                    min_df=3,
                    max_features=settings["char_max_features"],
                    dtype=np.float32,
                ),
                settings["char_weight"],
            )
        )
    return blocks


class Fitted:
    """A fitted model in memory (blocks, coef, intercept, temperature)."""

    def __init__(self, blocks: list[tuple[str, Any, float]], clf: Any, temperature: float):
        self.blocks = blocks
        self.clf = clf
        self.temperature = temperature

    def features(self, texts: list[str]) -> Any:
        from scipy import sparse

        return sparse.hstack(
            [v.transform(texts) * w for _, v, w in self.blocks], format="csr", dtype=np.float32
        )

    def decision(self, texts: list[str]) -> np.ndarray:
        return self.clf.decision_function(self.features(texts))

    def predict(self, texts: list[str]) -> list[str]:
        return [LABELS[i] for i in self.decision(texts).argmax(axis=1)]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return softmax(self.decision(texts), self.temperature)


def _weights(records: list[dict[str, Any]], settings: dict[str, Any]) -> np.ndarray:
    return np.array(
        [settings["title_sample_weight"] if r.get("is_title") else 1.0 for r in records],
        dtype=np.float64,
    )


def fit(
    records: list[dict[str, Any]],
    settings: dict[str, Any],
    unlabelled: list[dict[str, Any]] | None = None,
) -> Fitted:
    """Fit vectorizers (on the texts of ``records`` and ``unlabelled``) and the linear layer
    (:func:`self_train`) on ``records`` (temperature = 1)."""
    from scipy import sparse

    unlabelled = unlabelled if settings["self_train"] else None
    texts = [r["text"] for r in records]
    extra = [r["text"] for r in unlabelled or []]
    y = np.array([LABELS.index(r["label"]) for r in records])
    blocks = make_vectorizers(settings)
    for _, v, _ in blocks:
        v.fit(texts + extra)
    x = sparse.hstack(
        [v.transform(texts) * w for _, v, w in blocks], format="csr", dtype=np.float32
    )
    xu = None
    if unlabelled:
        xu = sparse.hstack(
            [v.transform(extra) * w for _, v, w in blocks], format="csr", dtype=np.float32
        )
    clf = self_train(
        x, y, _weights(records, settings), xu, _weights(unlabelled or [], settings), settings
    )
    return Fitted(blocks, clf, 1.0)


def self_train(
    x: Any,
    y: np.ndarray,
    record_weights: np.ndarray,
    xu: Any,
    unlabelled_weights: np.ndarray,
    settings: dict[str, Any],
) -> LinearModel:
    """:func:`train_classifier` on the labelled rows; then, when ``self_train`` is on and
    ``xu`` (the unlabelled rows) is given, once more with the unlabelled rows whose best class
    beats the second by more than ``self_train_margin`` added under that best class, weighted
    ``self_train_weight`` × their record weight (0.3 for a title)."""
    from scipy import sparse

    clf = train_classifier(x, y, record_weights, settings)
    if not settings["self_train"] or xu is None or xu.shape[0] == 0:
        return clf
    d = clf.decision_function(xu)
    top2 = np.sort(d, axis=1)[:, -2:]
    keep = top2[:, 1] - top2[:, 0] > settings["self_train_margin"]
    log.info("self-training: %d of %d unlabelled rows added", keep.sum(), len(keep))
    return train_classifier(
        sparse.vstack([x, xu[keep]], format="csr"),
        np.concatenate([y, d[keep].argmax(axis=1)]),
        np.concatenate([record_weights, settings["self_train_weight"] * unlabelled_weights[keep]]),
        settings,
    )


class LinearModel:
    """Plain linear scores ``x @ coef_.T + intercept_`` (rows follow :data:`LABELS`)."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef_ = coef
        self.intercept_ = intercept
        self.classes_ = np.arange(len(LABELS))

    def decision_function(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef_.T) + self.intercept_


def train_classifier(
    x: Any, y: np.ndarray, record_weights: np.ndarray, settings: dict[str, Any]
) -> LinearModel:
    """A class-balanced LinearSVC (``C``) plus ``nb_weight`` times a Complement Naive Bayes
    (``nb_alpha``) on the same features, summed into one linear layer.

    Sample weights: class-balanced weights times ``record_weights``. The Naive Bayes log
    weights are centred over the classes (this shifts every class score of a document by the
    same amount, so Naive Bayes alone would rank classes as before) and then simply added,
    scaled by ``nb_weight``. Classes absent from ``y`` get a zero row and a very low intercept,
    so rows always follow :data:`LABELS`."""
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    class_w = np.where(counts > 0, len(y) / (len(LABELS) * np.maximum(counts, 1)), 0.0)
    sample_w = class_w[y] * record_weights
    svc = LinearSVC(C=settings["C"], tol=1e-3, max_iter=300)
    svc.fit(x, y, sample_weight=sample_w)
    coef = np.zeros((len(LABELS), x.shape[1]))
    inter = np.full(len(LABELS), -10.0)
    coef[svc.classes_] = svc.coef_  # one-vs-rest rows (at least 3 classes)
    inter[svc.classes_] = svc.intercept_
    if settings.get("nb_weight", 0.0) > 0:
        nb = ComplementNB(alpha=settings["nb_alpha"])
        nb.fit(x, y, sample_weight=sample_w)
        logp = nb.feature_log_prob_
        coef[nb.classes_] += settings["nb_weight"] * (logp - logp.mean(axis=0, keepdims=True))
    return LinearModel(coef, inter)


def fit_temperature(decision: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises the log-loss of ``decision`` on labels ``y``."""
    best, best_t = float("inf"), 1.0
    for t in np.exp(np.linspace(np.log(0.02), np.log(5.0), 200)):
        p = softmax(decision, t)
        loss = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)))
        if loss < best:
            best, best_t = loss, float(t)
    return best_t


def training_set(
    articles: list[dict[str, Any]],
    titles: list[dict[str, Any]],
    settings: dict[str, Any],
    exclude_outlet: str | None = None,
) -> list[dict[str, Any]]:
    """Articles (clean, and weak when ``use_weak``) + titles, minus ``exclude_outlet``."""
    out = [
        a
        for a in articles
        if a["outlet"] != exclude_outlet and (settings["use_weak"] or a["quality"] == "clean")
    ]
    if settings["use_titles"]:
        out += [dict(t, is_title=True) for t in titles if t["outlet"] != exclude_outlet]
    return out


def fit_cross_outlet_temperature(
    articles: list[dict[str, Any]],
    titles: list[dict[str, Any]],
    unlabelled: list[dict[str, Any]],
    settings: dict[str, Any],
) -> float:
    """The softmax temperature fitted on cross-outlet decisions: for each of the
    ``temperature_outlets`` outlets with the most clean articles, a model trained without that
    outlet scores its clean articles; the temperature minimises the log-loss of all of them.
    (A random held-out split gives a lower temperature, over-confident on unseen outlets; see
    the calibration table of ``eval/eval_topic.py``.)"""
    counts = Counter(a["outlet"] for a in articles if a["quality"] == "clean")
    decisions, gold = [], []
    for outlet, _ in counts.most_common(settings["temperature_outlets"]):
        part = fit(
            training_set(articles, titles, settings, exclude_outlet=outlet),
            settings,
            [u for u in unlabelled if u["outlet"] != outlet],
        )
        test = [a for a in articles if a["outlet"] == outlet and a["quality"] == "clean"]
        decisions.append(part.decision([a["text"] for a in test]))
        gold += [LABELS.index(a["label"]) for a in test]
        log.info("temperature: %s held out (%d articles)", outlet, len(test))
    return fit_temperature(np.vstack(decisions), np.array(gold))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "topic-id")
    parser.add_argument("--keywords-out", type=Path, default=ROOT / "models" / "keywords-id")
    parser.add_argument("--no-keywords", action="store_true", help="skip the keyword IDF table")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = dict(DEFAULTS)
    t0 = time.time()
    articles = load_articles(
        args.data, title_weight=settings["title_weight"], max_chars=settings["max_chars"]
    )
    titles = load_titles(args.data)
    unlabelled = load_unlabelled(
        args.data, title_weight=settings["title_weight"], max_chars=settings["max_chars"]
    )
    records = training_set(articles, titles, settings)
    log.info(
        "%d articles, %d titles, %d unlabelled (%.0f s)",
        len(articles),
        len(titles),
        len(unlabelled),
        time.time() - t0,
    )

    temperature = fit_cross_outlet_temperature(articles, titles, unlabelled, settings)
    model = fit(records, settings, unlabelled)
    log.info("temperature %.3f (%.0f s)", temperature, time.time() - t0)
    counts = Counter(r["label"] for r in records)
    save_model(
        args.out,
        LABELS,
        model.blocks,
        model.clf.coef_,
        model.clf.intercept_,
        temperature,
        extra={
            "_source": "scripts/train_topic.py: ../shared/data news/articles.jsonl + "
            "titles.jsonl, labels from src/beritanlp/data/topic_section_map.tsv",
            "command": "python scripts/train_topic.py --data ../shared/data",
            "settings": settings,
            "training_counts": {k: counts.get(k, 0) for k in LABELS},
        },
    )
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    log.info("wrote %s (%.1f MB)", args.out, size / 1e6)
    if not args.no_keywords:
        write_keyword_idf(args.data, args.keywords_out)
    log.info("done in %.0f s", time.time() - t0)
    return 0


def write_keyword_idf(data: Path, out: Path, min_df: int = 3, limit: int = 6000) -> None:
    """Document frequencies of keyword keys (lower-cased stems) over ``limit`` articles."""
    import beritanlp.components.sections
    import beritanlp.components.sentences
    import beritanlp.components.stemmer  # noqa: F401
    from beritanlp.components.keywords import save_idf, term_keys
    from beritanlp.lang import blank

    nlp = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", "beritanlp_stemmer"):
        nlp.add_pipe(factory)
    texts = []
    with open(data / "news/articles.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 2 == 0:  # every other article: all outlets, half the time
                texts.append(json.loads(line)["text"][:6000])
            if len(texts) >= limit:
                break
    df: Counter[str] = Counter()
    for doc in nlp.pipe(texts, batch_size=64):
        df.update(set(term_keys(doc)))
    save_idf(out, df, len(texts), min_df=min_df)
    log.info("keyword idf: %d docs, %d terms -> %s", len(texts), len(df), out)


if __name__ == "__main__":
    raise SystemExit(main())
