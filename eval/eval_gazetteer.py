"""Evaluate the gazetteer (alone, and on top of the NER model) on the NER test sets; time it.

Usage (from the repository root)::

    python eval/eval_gazetteer.py [--data DIR] [--split dev] [--errors N] [--articles N]
                                  [--model DIR]

The gold file (``ner/idner_news_2k/<split>.txt``: ``token UPOS NER``, IOB2, a blank line between
sentences) gives the words; each sentence becomes a ``Doc`` built from the gold words (so the
token boundaries are the gold ones), and ``beritanlp_gazetteer`` + the entity components
(``entity_repair``, ``canonical_names``, ``roles``) run on it with no NER and no sections.
Scores are exact-span precision, recall and F1 per label (PER/LOC/ORG) and micro-averaged; the
gazetteer has no PER names, so PER recall is 0 by design (the number to watch later is model vs
model + gazetteer). "FP no-overlap" counts false
positives that touch no gold span: mostly country and city mentions the gold leaves
unannotated (``Rusia dan Jepang telah melarang …``), so LOC precision is a lower bound.

Also printed: the number of entries per data file, and the speed of the measured components in
tokens per second (best of three runs on one core) on the news articles of
``news/articles.jsonl`` (first ``--articles``), tokenised beforehand.

The data is read from ``../shared/data`` or ``--data``; it is never copied into the repository.
Exits 0 on success, 1 when the data is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
LABELS = ("PER", "LOC", "ORG")


def read_iob(path: Path) -> list[tuple[list[str], list[str]]]:
    """Sentences as (words, IOB2 tags) from a space-separated ``token UPOS NER`` file."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append((words, tags))
                words, tags = [], []
            continue
        fields = line.split(" ")
        words.append(fields[0])
        tags.append(fields[-1])
    if words:
        sentences.append((words, tags))
    return sentences


def spans_of(tags: list[str]) -> set[tuple[int, int, str]]:
    """Gold (start, end, label) spans; an ``I-`` without its ``B-`` starts a span."""
    out: set[tuple[int, int, str]] = set()
    i = 0
    while i < len(tags):
        tag = tags[i]
        if tag == "O" or "-" not in tag:
            i += 1
            continue
        label = tag.split("-", 1)[1]
        j = i + 1
        while j < len(tags) and tags[j] == f"I-{label}":
            j += 1
        out.add((i, j, label))
        i = j
    return out


MEASURED = (
    "beritanlp_gazetteer",
    "beritanlp_entity_repair",
    "beritanlp_canonical_names",
    "beritanlp_roles",
)


def build_nlp():  # type: ignore[no-untyped-def]
    """sections → sentences → gazetteer → entity_repair → canonical_names → roles (all but the
    first two are measured)."""
    from beritanlp.components import (  # noqa: F401
        canonical_names,
        entity_repair,
        gazetteer,
        roles,
        sections,
        sentences,
    )
    from beritanlp.lang import blank

    nlp = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", *MEASURED):
        nlp.add_pipe(factory)
    return nlp


def evaluate(nlp, sentences, errors: int, measured=None) -> dict[str, Counter[str]]:  # type: ignore[no-untyped-def]
    from spacy.tokens import Doc

    counts: dict[str, Counter[str]] = {label: Counter() for label in (*LABELS, "ALL")}
    shown = 0
    for words, tags in sentences:
        doc = Doc(nlp.vocab, words=words)
        doc[0].is_sent_start = True
        for name in measured or MEASURED:
            doc = nlp.get_pipe(name)(doc)
        gold = spans_of(tags)
        pred = {(e.start, e.end, e.label_) for e in doc.ents}
        for label in LABELS:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            counts[label]["tp"] += len(g & p)
            counts[label]["fp"] += len(p - g)
            counts[label]["fn"] += len(g - p)
            # false positives that touch no gold span at all (often a country the gold left
            # unannotated) vs. boundary or label disagreements
            counts[label]["fp_free"] += sum(
                1 for a, b, _ in p - g if not any(x < b and a < y for x, y, _ in gold)
            )
        for key in ("tp", "fp", "fn"):
            counts["ALL"][key] = sum(counts[label][key] for label in LABELS)
        if shown < errors:
            for start, end, label in sorted((pred - gold) | (gold - pred)):
                if label == "PER":
                    continue
                kind = "FP" if (start, end, label) in pred else "FN"
                print(f"  {kind} {label:3} {' '.join(words[start:end])!r}")
                shown += 1
    return counts


def prf(c: Counter[str]) -> tuple[float, float, float]:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def speed(nlp, texts: list[str]) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Tokens and the best time of the gazetteer + entity components over pre-tokenised docs."""
    with nlp.select_pipes(disable=list(MEASURED)):
        docs = [nlp(t) for t in texts]
    tokens = sum(len(d) for d in docs)
    best = float("inf")
    for _ in range(3):
        copies = [d.copy() for d in docs]
        start = time.perf_counter()
        for doc in copies:
            for name in MEASURED:
                doc = nlp.get_pipe(name)(doc)
        best = min(best, time.perf_counter() - start)
    return tokens, best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--errors", type=int, default=0, help="print the first N LOC/ORG errors")
    parser.add_argument("--articles", type=int, default=500, help="articles for the speed test")
    parser.add_argument("--model", type=Path, default=None, help="NER model (default: shipped)")
    args = parser.parse_args(argv)
    gold_path = args.data / "ner" / "idner_news_2k" / f"{args.split}.txt"
    if not gold_path.is_file():
        print(f"error: {gold_path} not found; pass --data", file=sys.stderr)
        return 1

    from beritanlp.components.gazetteer import DEFAULT_FILES, load_entries

    entries = load_entries(DEFAULT_FILES)
    print("Gazetteer entries (surface forms) per file")
    per_file = Counter(entry.source for entry in entries)
    for name in DEFAULT_FILES:
        print(f"  {name:34} {per_file[name]:6}")
    print(f"  {'total':34} {len(entries):6}")

    nlp = build_nlp()
    start = time.perf_counter()
    nlp.get_pipe("beritanlp_gazetteer").compiled  # noqa: B018  (build the matchers)
    print(f"\nMatcher build: {time.perf_counter() - start:.2f} s")

    sentences = read_iob(gold_path)
    counts = evaluate(nlp, sentences, args.errors)
    tokens = sum(len(w) for w, _ in sentences)
    print(f"\nidner-news-2k {args.split}: {len(sentences)} sentences, {tokens} tokens")
    print("gazetteer + entity components alone, exact spans")
    print(f"  {'label':5} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6}  FP no-overlap")
    for label in (*LABELS, "ALL"):
        c = counts[label]
        if label == "ALL":
            c["fp_free"] = sum(counts[x]["fp_free"] for x in LABELS)
        p, r, f = prf(c)
        print(
            f"  {label:5} {c['tp'] + c['fn']:5} {c['tp'] + c['fp']:5} "
            f"{100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}  {c['fp_free']:3} of {c['fp']}"
        )
    loc_org = counts["LOC"] + counts["ORG"]
    p, r, f = prf(loc_org)
    print(f"  {'L+O':5} {'':5} {'':5} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}")

    # the statistical model alone, then with the gazetteer and the entity components on top, on
    # every NER test set (labels harmonised by scripts/ner_data.py)
    from beritanlp.components.ner import add_ner, default_model_dir

    model_dir = args.model or default_model_dir()
    if (model_dir / "meta.json").is_file():
        sys.path.insert(0, str(ROOT / "scripts"))
        import ner_data

        corpora = ner_data.Corpora(args.data)
        test_sets = {
            f"idner-news-2k {args.split}": sentences,
            "NER UI fold-1 test": [(s.words, s.tags) for s in corpora.nerui("test", 1)],
            "NERGrit test": [(s.words, s.tags) for s in corpora.nergrit("test")],
        }
        full = build_nlp()
        add_ner(full, model_dir, after="beritanlp_sentences", split_linebreaks=False)
        print(f"\nModel {model_dir}: exact spans, F1 per label and micro P/R/F1 (gold tokens)")
        print(
            f"  {'set':22} {'pipeline':34} {'PER':>6} {'LOC':>6} {'ORG':>6} "
            f"{'P':>6} {'R':>6} {'F1':>6}"
        )
        for set_name, gold_sentences in test_sets.items():
            for title, measured in (
                ("model alone", ("ner",)),
                ("model + gazetteer", ("ner", "beritanlp_gazetteer")),
                ("model + gazetteer + entity comps", ("ner", *MEASURED)),
            ):
                counts = evaluate(full, gold_sentences, 0, measured)
                per_label = [100 * prf(counts[label])[2] for label in LABELS]
                p, r, f = prf(counts["ALL"])
                print(
                    f"  {set_name:22} {title:34} {per_label[0]:6.1f} {per_label[1]:6.1f} "
                    f"{per_label[2]:6.1f} {100 * p:6.1f} {100 * r:6.1f} {100 * f:6.1f}"
                )

    articles = args.data / "news" / "articles.jsonl"
    if articles.is_file() and args.articles > 0:
        texts = []
        with articles.open(encoding="utf-8") as handle:
            for line in handle:
                texts.append(json.loads(line)["text"])
                if len(texts) >= args.articles:
                    break
        n_tokens, seconds = speed(nlp, texts)
        print(
            f"\nSpeed (gazetteer + entity components, {len(texts)} articles, {n_tokens} tokens): "
            f"{n_tokens / seconds:,.0f} tokens/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
