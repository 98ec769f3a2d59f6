"""Train the topic model (``models/topic-id/``) and the keyword IDF table.

One command, from the repository root (single-threaded, about five minutes: 2.5 for the topic
model, 3 for the keyword IDF table)::

    python scripts/train_topic.py --data ../shared/data

Training data: ``news/articles.jsonl`` (full text) whose outlet section maps onto a label through
``src/beritanlp/data/topic_section_map.tsv`` (clean and weak rows), plus ``news/titles.jsonl``
(titles only, sample weight ``title_sample_weight`` = 0.3). Each article's input is built as the
component builds it (:func:`beritanlp.components.topic.topic_text` over the sections that
:func:`beritanlp.components.sections.find_sections` finds). The model: word 1-2-gram TF-IDF with
a bounded vocabulary (character n-grams are supported by ``use_char`` but off: no gain, too slow
at inference), a class-balanced LinearSVC, and a softmax temperature fitted on a
10 % held-out split (minimum log-loss). It is written as JSON + ``.npy`` (no pickle). The
keyword IDF table goes to ``models/keywords-id/`` (document frequencies of stems over 6,000
articles, for ``beritanlp_keywords``) unless ``--no-keywords``.

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
from beritanlp.components.topic import LABELS, map_section, save_model, softmax, topic_text  # noqa: E402

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
    "title_sample_weight": 0.3,
    "title_weight": 2,
    "max_chars": 3000,
    "use_weak": True,
    "use_titles": True,
    "use_char": False,
}


def _cache_path(data: Path, title_weight: int, max_chars: int) -> Path:
    sources = [data / "news/articles.jsonl", ROOT / "src/beritanlp/components/topic.py"]
    sources += sorted((ROOT / "src/beritanlp/data").glob("*.json*"))
    sources += [ROOT / "src/beritanlp/data/topic_section_map.tsv"]
    stamp = ":".join(str(p.stat().st_mtime) for p in sources if p.exists())
    stamp += f":{title_weight}:{max_chars}"
    digest = hashlib.sha1(stamp.encode()).hexdigest()[:10]
    return Path("/tmp/topic") / f"articles-{digest}.json"


def load_articles(
    data: Path, *, title_weight: int = 2, max_chars: int = 3000, cache: bool = True
) -> list[dict[str, Any]]:
    """Labelled articles: ``{id, dataset, outlet, label, quality, text}`` (``text``: the
    classifier input built as the component builds it)."""
    path = _cache_path(data, title_weight, max_chars)
    if cache and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    out = []
    with open(data / "news/articles.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            hit = map_section(record)
            if hit is None:
                continue
            text = record["text"] or ""
            title = record.get("title")
            if title:  # the component sees the title through doc._.context
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
                    "label": hit[0],
                    "quality": hit[1],
                    "text": feats,
                }
            )
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return out


def load_titles(data: Path) -> list[dict[str, Any]]:
    """Labelled titles (``text`` = the title alone)."""
    out = []
    with open(data / "news/titles.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            hit = map_section(record)
            if hit is None or not record.get("title"):
                continue
            out.append(
                {
                    "id": record["id"],
                    "dataset": record["dataset"],
                    "outlet": record["outlet"],
                    "label": hit[0],
                    "quality": hit[1],
                    "text": record["title"],
                }
            )
    return out


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
                token_pattern=r"(?u)\b\w\w+\b",
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


def fit(records: list[dict[str, Any]], settings: dict[str, Any]) -> Fitted:
    """Fit vectorizers and a class-balanced LinearSVC on ``records`` (temperature = 1)."""
    from scipy import sparse

    texts = [r["text"] for r in records]
    y = np.array([LABELS.index(r["label"]) for r in records])
    blocks = make_vectorizers(settings)
    mats = [v.fit_transform(texts) * w for _, v, w in blocks]
    x = sparse.hstack(mats, format="csr", dtype=np.float32)
    clf = train_classifier(x, y, _weights(records, settings), settings["C"])
    return Fitted(blocks, clf, 1.0)


def train_classifier(x: Any, y: np.ndarray, record_weights: np.ndarray, c: float) -> Any:
    """A LinearSVC with class-balanced sample weights times ``record_weights``; classes absent
    from ``y`` get a zero row and a very low intercept, so rows always follow :data:`LABELS`."""
    from sklearn.svm import LinearSVC

    counts = np.bincount(y, minlength=len(LABELS)).astype(np.float64)
    class_w = np.where(counts > 0, len(y) / (len(LABELS) * np.maximum(counts, 1)), 0.0)
    clf = LinearSVC(C=c, tol=1e-3, max_iter=300)
    clf.fit(x, y, sample_weight=class_w[y] * record_weights)
    if len(clf.classes_) != len(LABELS):
        coef = np.zeros((len(LABELS), x.shape[1]))
        inter = np.full(len(LABELS), -10.0)
        coef[clf.classes_] = clf.coef_
        inter[clf.classes_] = clf.intercept_
        clf.coef_, clf.intercept_, clf.classes_ = coef, inter, np.arange(len(LABELS))
    return clf


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "topic-id")
    parser.add_argument("--keywords-out", type=Path, default=ROOT / "models" / "keywords-id")
    parser.add_argument("--no-keywords", action="store_true", help="skip the keyword IDF table")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = dict(DEFAULTS)
    t0 = time.time()
    articles = load_articles(
        args.data, title_weight=settings["title_weight"], max_chars=settings["max_chars"]
    )
    titles = load_titles(args.data)
    records = training_set(articles, titles, settings)
    log.info("%d articles, %d titles (%.0f s)", len(articles), len(titles), time.time() - t0)

    # temperature on a 10 % held-out split of the clean articles, then refit on everything
    rng = np.random.default_rng(args.seed)
    held = {a["id"] for a in articles if a["quality"] == "clean" and rng.random() < 0.1}
    part = fit([r for r in records if r["id"] not in held], settings)
    held_recs = [a for a in articles if a["id"] in held]
    temperature = fit_temperature(
        part.decision([r["text"] for r in held_recs]),
        np.array([LABELS.index(r["label"]) for r in held_recs]),
    )
    model = fit(records, settings)
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
