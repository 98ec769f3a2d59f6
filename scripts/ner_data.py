"""Build the NER training/evaluation DocBins from the corpora in ``../shared/data/ner``.

Every corpus is read in its native format (one token per line, tag in the last column, blank
line between sentences), its labels are mapped onto ``PER``/``LOC``/``ORG`` (anything else
becomes ``O``), spans that start with ``I-`` are repaired to ``B-``, and each sentence becomes a
``Doc`` built from the gold words (``Doc(vocab, words=..., spaces=..., ents=...)``); ``spaces``
come from a small detokeniser so that ``doc.text`` reads like news text.

Leakage guards:

* NER UGM shares most of its text with idner-news-2k; it is never used here.
* Every training sentence that also occurs in an evaluation split we report on (idner dev, the
  NER UI test part of the fold, NERGrit test) is removed from training. Sentences are compared
  by their lowercased letters and digits, so ``( KPK )`` and ``(KPK)`` match. The number removed
  is printed per set.

Written to ``--out`` (default ``/tmp/ner``), never into the repository::

    python scripts/ner_data.py [--data ../shared/data] [--out /tmp/ner] [--folds 1]

``train_fold{k}.spacy`` = idner train + NER UI ``train.0k`` + NERGrit train (deduplicated),
``dev_fold{k}.spacy`` = NER UI ``dev.0k`` + NERGrit valid (model selection only),
``idner_dev.spacy``, ``nerui_test{k}.spacy``, ``nergrit_test.spacy`` = the evaluation sets.
NERP (lower-cased, no ORG class) is written separately (``nerp_train.spacy``) for ablation.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = Path("/tmp/ner")
LABELS = ("PER", "LOC", "ORG")

LABEL_MAPS: dict[str, dict[str, str]] = {
    "idner": {"PER": "PER", "LOC": "LOC", "ORG": "ORG"},
    "nerui": {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"},
    "nergrit": {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG"},
    "nerugm": {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"},
    "nerp": {"PPL": "PER", "PLC": "LOC"},
}


@dataclass(frozen=True, slots=True)
class Sentence:
    """One gold sentence: words and IOB2 tags over ``PER``/``LOC``/``ORG``."""

    words: tuple[str, ...]
    tags: tuple[str, ...]
    source: str


def read_conll(path: Path, corpus: str) -> list[Sentence]:
    """Read a one-token-per-line file (tag in the last column) and harmonise its labels."""
    mapping = LABEL_MAPS[corpus]
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sentences.append(Sentence(tuple(words), tuple(fix_iob(tags)), f"{corpus}:{path.name}"))
        words.clear()
        tags.clear()

    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            flush()
            continue
        parts = line.split("\t") if "\t" in line else line.split(" ")
        parts = [p for p in parts if p != ""]
        if len(parts) < 2:
            continue
        word, tag = parts[0].strip(), parts[-1].strip()
        if not word:
            continue
        words.append(word)
        tags.append(_map_tag(tag, mapping))
    flush()
    return sentences


def _map_tag(tag: str, mapping: dict[str, str]) -> str:
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, label = tag.partition("-")
    mapped = mapping.get(label)
    if mapped is None or prefix not in ("B", "I"):
        return "O"
    return f"{prefix}-{mapped}"


def fix_iob(tags: Iterable[str]) -> list[str]:
    """IOB2 repair: an ``I-X`` that does not continue an ``X`` span starts one (``B-X``)."""
    fixed: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        previous = tag
    return fixed


_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "”", "’", "'s", "..."}
_NO_SPACE_AFTER = {"(", "[", "{", "“", "‘"}


def detokenize(words: Iterable[str]) -> tuple[list[str], list[bool]]:
    """Words and their ``spaces`` (True: a space follows) as news text would have them.

    Punctuation attaches to the word before, opening brackets to the word after; straight
    double quotes alternate between opening and closing.
    """
    words = list(words)
    spaces = [True] * len(words)
    quote_open = False
    for i, word in enumerate(words):
        if word in _NO_SPACE_BEFORE and i > 0:
            spaces[i - 1] = False
        if word in _NO_SPACE_AFTER:
            spaces[i] = False
        if word == '"':
            if quote_open:
                if i > 0:
                    spaces[i - 1] = False
            else:
                spaces[i] = False
            quote_open = not quote_open
    if words:
        spaces[-1] = False
    return words, spaces


def text_and_spans(sentence: Sentence) -> tuple[str, list[tuple[int, int, str]]]:
    """The detokenised text of a sentence and its gold entities as character spans."""
    words, spaces = detokenize(sentence.words)
    offsets: list[int] = []
    pieces: list[str] = []
    position = 0
    for word, space in zip(words, spaces, strict=True):
        offsets.append(position)
        pieces.append(word + (" " if space else ""))
        position += len(word) + (1 if space else 0)
    text = "".join(pieces)
    spans = [
        (offsets[start], offsets[end - 1] + len(words[end - 1]), label)
        for start, end, label in iob_spans(sentence.tags)
    ]
    return text, spans


def iob_spans(tags: Iterable[str]) -> list[tuple[int, int, str]]:
    """(start, end, label) token spans of an IOB2 sequence (``end`` exclusive)."""
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    label = ""
    tags = list(tags)
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and (tag == "O" or tag.startswith("B-") or tag[2:] != label):
            spans.append((start, i, label))
            start = None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


_KEY = re.compile(r"[^\w]|_", re.UNICODE)


def sentence_key(words: Iterable[str]) -> str:
    """The leakage key: lowercased letters and digits only."""
    return _KEY.sub("", "".join(words).lower())


def dedupe(
    train: list[Sentence], held_out: Iterable[Sentence], name: str, min_chars: int = 10
) -> list[Sentence]:
    """Drop training sentences whose key equals an evaluation sentence's key (printed)."""
    keys = {sentence_key(s.words) for s in held_out}
    kept = [
        s
        for s in train
        if len(sentence_key(s.words)) < min_chars or sentence_key(s.words) not in keys
    ]
    print(f"[dedupe] {name}: removed {len(train) - len(kept)} of {len(train)} train sentences")
    return kept


def to_docbin(sentences: Iterable[Sentence], vocab: object) -> object:
    from spacy.tokens import Doc, DocBin

    docbin = DocBin(store_user_data=False)
    for sentence in sentences:
        words, spaces = detokenize(sentence.words)
        doc = Doc(vocab, words=words, spaces=spaces, ents=list(sentence.tags))  # type: ignore[arg-type]
        docbin.add(doc)
    return docbin


class Corpora:
    """Lazy access to the native files under ``<data>/ner``."""

    def __init__(self, data: Path) -> None:
        self.ner = data / "ner"
        if not self.ner.is_dir():
            sys.exit(f"{self.ner} not found: pass --data pointing at shared/data")

    def idner(self, split: str) -> list[Sentence]:
        return read_conll(self.ner / "idner_news_2k" / f"{split}.txt", "idner")

    def nerui(self, split: str, fold: int) -> list[Sentence]:
        return read_conll(self.ner / "nerui" / f"{split}.0{fold}.tsv", "nerui")

    def nergrit(self, split: str) -> list[Sentence]:
        return read_conll(self.ner / "nergrit" / f"{split}_preprocess.txt", "nergrit")

    def nerp(self, split: str) -> list[Sentence]:
        return read_conll(self.ner / "nerp" / f"{split}_preprocess.txt", "nerp")


def build(data: Path, out: Path, folds: Iterable[int], nerp: bool = True) -> None:
    """Write every DocBin (see the module docstring) to ``out``."""
    from beritanlp.lang import blank

    vocab = blank().vocab
    out.mkdir(parents=True, exist_ok=True)
    corpora = Corpora(data)
    idner_dev = corpora.idner("dev")
    nergrit_test = corpora.nergrit("test")
    fixed_eval = [*idner_dev, *nergrit_test]

    def save(name: str, sentences: list[Sentence]) -> None:
        to_docbin(sentences, vocab).to_disk(out / f"{name}.spacy")  # type: ignore[attr-defined]
        n_ents = sum(len(iob_spans(s.tags)) for s in sentences)
        print(f"[write] {out / name}.spacy: {len(sentences)} sentences, {n_ents} entities")

    save("idner_dev", idner_dev)
    save("nergrit_test", nergrit_test)
    idner_train = corpora.idner("train")
    nergrit_train = corpora.nergrit("train")
    for fold in folds:
        test = corpora.nerui("test", fold)
        held_out = [*fixed_eval, *test]
        train = [
            *dedupe(idner_train, held_out, f"fold {fold} idner train"),
            *dedupe(corpora.nerui("train", fold), held_out, f"fold {fold} nerui train.0{fold}"),
            *dedupe(nergrit_train, held_out, f"fold {fold} nergrit train"),
        ]
        save(f"nerui_test{fold}", test)
        save(f"train_fold{fold}", train)
        save(f"nerui_train_only{fold}", dedupe(corpora.nerui("train", fold), test, "nerui only"))
        save(f"dev_fold{fold}", [*corpora.nerui("dev", fold), *corpora.nergrit("valid")])
    if nerp:
        nerp_train = corpora.nerp("train")
        # NERP repeats sentences (sometimes with conflicting labels): keep the first copy
        seen: set[str] = set()
        unique = []
        for sentence in nerp_train:
            key = sentence_key(sentence.words)
            if key not in seen:
                seen.add(key)
                unique.append(sentence)
        print(f"[nerp] {len(nerp_train) - len(unique)} internal duplicates dropped")
        everything = [*fixed_eval, *(s for k in range(1, 6) for s in corpora.nerui("test", k))]
        save("nerp_train", dedupe(unique, everything, "nerp train"))


ARTICLE_CORPUS = ROOT / "corpora" / "ner-articles" / "annotations.jsonl"


def article_docs(data: Path, vocab: object, split: str, copies: int = 1) -> list[object]:
    """The article NER corpus (issue 13) as whole-article ``Doc`` objects of one split.

    Each article is tokenised by the news tokenizer (glued words split, line breaks kept as
    whitespace tokens); gold character spans that do not align with token boundaries are marked
    *missing* (no loss either way) rather than ``O``. ``copies`` repeats every document.
    """
    import json

    from spacy.tokens import Doc, Span
    from spacy.training import offsets_to_biluo_tags

    from beritanlp.lang import blank

    nlp = blank()
    nlp.vocab = vocab  # type: ignore[assignment]
    records = [json.loads(line) for line in ARTICLE_CORPUS.read_text(encoding="utf-8").splitlines()]
    records = [r for r in records if r["split"] == split]
    wanted = {r["id"] for r in records}
    texts: dict[str, str] = {}
    with open(data / "news" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            if art["id"] in wanted:
                texts[art["id"]] = art["text"]
    docs: list[object] = []
    misaligned = 0
    for rec in records:
        doc: Doc = nlp.make_doc(texts[rec["id"]])
        ents = [(s, e, lab) for s, e, lab in rec["entities"]]
        tags = offsets_to_biluo_tags(doc, ents)
        spans: list[Span] = []
        missing: list[Span] = []
        start = None
        for i, tag in enumerate(tags):
            if tag == "-":
                misaligned += 1
                missing.append(doc[i : i + 1])
            elif tag.startswith("U-"):
                spans.append(Span(doc, i, i + 1, label=tag[2:]))
            elif tag.startswith("B-"):
                start = i
            elif tag.startswith("L-") and start is not None:
                spans.append(Span(doc, start, i + 1, label=tag[2:]))
                start = None
        doc.set_ents(spans, missing=missing, default="outside")
        docs.extend([doc] * copies)
    print(f"[articles] {split}: {len(records)} articles, "
          f"{sum(len(r['entities']) for r in records)} entities, {misaligned} tokens missing "
          f"(spans not on token boundaries)")  # fmt: skip
    return docs


def build_articles(data: Path, out: Path, copies: int = 1) -> None:
    """``articles_{train,dev,test}.spacy`` from the article corpus (when it is present)."""
    from spacy.tokens import DocBin

    from beritanlp.lang import blank

    if not ARTICLE_CORPUS.exists():
        print(f"[articles] {ARTICLE_CORPUS} not found: no article DocBins")
        return
    vocab = blank().vocab
    out.mkdir(parents=True, exist_ok=True)
    for split in ("train", "dev", "test"):
        docbin = DocBin(store_user_data=False)
        for doc in article_docs(data, vocab, split, copies if split == "train" else 1):
            docbin.add(doc)  # type: ignore[arg-type]
        docbin.to_disk(out / f"articles_{split}.spacy")


def iter_docs(path: Path, vocab: object) -> Iterator[object]:
    from spacy.tokens import DocBin

    yield from DocBin().from_disk(path).get_docs(vocab)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where DocBins go")
    parser.add_argument("--folds", default="1", help="NER UI folds, e.g. 1 or 1,2,3,4,5")
    parser.add_argument("--no-nerp", action="store_true", help="skip the NERP DocBin")
    args = parser.parse_args(argv)
    folds = [int(f) for f in args.folds.split(",") if f.strip()]
    build(args.data.resolve(), args.out, folds, nerp=not args.no_nerp)
    build_articles(args.data.resolve(), args.out)


if __name__ == "__main__":
    main()
