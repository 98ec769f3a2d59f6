"""Evaluate sentence boundaries on the UD Indonesian treebanks: beritanlp vs spaCy's sentencizer.

Usage (from the repository root)::

    python eval/eval_sentences.py [--data DIR] [--errors N] [--repeat R]

Each treebank's ``# text`` lines are joined into one running document (a single space between
sentences; a line break where the treebank marks ``# newpar`` / ``# newdoc``), and both
segmenters must find the boundaries again. A boundary is the character offset where a sentence
starts (the document start is trivial and not counted); precision, recall and F1 are given per
treebank and micro-averaged overall. The *glued* columns join a sentence ending in ``.`` to the
next WITHOUT a space, as scraped news often does (``menguntungkan.Dalam``). Both systems use the
same tokenizer (``beritanlp.lang.blank()``). Speed is tokens per second of the component alone
and of tokenizer + component, best of ``--repeat`` runs on one core.

The data is read from ``../shared/data`` (relative to the repository root) or ``--data``; it is
never copied into the repository. Exits 0 on success, 1 on an error (e.g. missing data).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"

TREEBANKS: tuple[tuple[str, str], ...] = (
    ("GSD dev", "ud/UD_Indonesian-GSD/id_gsd-ud-dev.conllu"),
    ("GSD test", "ud/UD_Indonesian-GSD/id_gsd-ud-test.conllu"),
    ("CSUI train", "ud/UD_Indonesian-CSUI/id_csui-ud-train.conllu"),
    ("CSUI test", "ud/UD_Indonesian-CSUI/id_csui-ud-test.conllu"),
    ("PUD test", "ud/UD_Indonesian-PUD/id_pud-ud-test.conllu"),
)
SYSTEMS = ("beritanlp", "sentencizer")
VARIANTS = ("spaced", "glued")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def scores(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Document:
    text: str
    gold: set[int]
    sentences: int


@dataclass
class Errors:
    false_positive: list[str] = field(default_factory=list)
    false_negative: list[str] = field(default_factory=list)


def read_sentences(path: Path) -> list[tuple[str, bool]]:
    """(text, starts a paragraph) for every sentence of a CoNLL-U file."""
    sentences: list[tuple[str, bool]] = []
    paragraph = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# newpar") or line.startswith("# newdoc"):
            paragraph = True
        elif line.startswith("# text ="):
            text = line.split("=", 1)[1].strip()
            if text:
                sentences.append((text, paragraph))
            paragraph = False
    return sentences


def build_document(sentences: list[tuple[str, bool]], glued: bool) -> Document:
    parts: list[str] = []
    gold: set[int] = set()
    offset = 0
    for k, (text, paragraph) in enumerate(sentences):
        if k:
            if paragraph:
                sep = "\n"
            elif glued and parts[-1].endswith("."):
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            offset += len(sep)
            gold.add(offset)
        parts.append(text)
        offset += len(text)
    return Document("".join(parts), gold, len(sentences))


def predicted_starts(doc: object) -> set[int]:
    starts: set[int] = set()
    for sent in doc.sents:  # type: ignore[attr-defined]
        for token in sent:
            if not token.is_space:
                if token.idx:
                    starts.add(token.idx)
                break
    return starts


def score(pred: set[int], doc: Document) -> Counts:
    return Counts(len(pred & doc.gold), len(pred - doc.gold), len(doc.gold - pred))


def context(text: str, offset: int, width: int = 45) -> str:
    left = text[max(0, offset - width) : offset].replace("\n", "⏎")
    right = text[offset : offset + width].replace("\n", "⏎")
    return f"{left:>{width}} ‖ {right}"


def speed(component: Callable[[object], object], docs: list[object], repeat: int) -> float:
    tokens = sum(len(d) for d in docs)  # type: ignore[arg-type]
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for doc in docs:
            component(doc)
        best = min(best, time.perf_counter() - t0)
    return tokens / best if best > 0 else float("inf")


def pipeline_speed(nlp: object, texts: Iterable[str], repeat: int) -> float:
    texts = list(texts)
    best = float("inf")
    tokens = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        tokens = sum(len(nlp(text)) for text in texts)  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return tokens / best if best > 0 else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    parser.add_argument("--errors", type=int, default=0, help="print N errors per treebank")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs (best is kept)")
    args = parser.parse_args(argv)

    paths = [(name, args.data / rel) for name, rel in TREEBANKS]
    missing = [str(path) for _, path in paths if not path.is_file()]
    if missing:
        print(f"error: missing treebank file(s): {', '.join(missing)}", file=sys.stderr)
        print("pass --data DIR (the shared/data folder)", file=sys.stderr)
        return 1

    import beritanlp.components.sentences  # noqa: F401  (registers the factory)
    from beritanlp.lang import blank

    ours = blank()
    ours.add_pipe("beritanlp_sentences")
    baseline = blank()
    baseline.add_pipe("sentencizer")
    nlps = {"beritanlp": ours, "sentencizer": baseline}

    results: dict[tuple[str, str, str], Counts] = {}
    totals = {(s, v): Counts() for s in SYSTEMS for v in VARIANTS}
    sizes: dict[str, tuple[int, int]] = {}
    unreachable: dict[str, int] = {}
    spaced_texts: list[str] = []
    for name, path in paths:
        sentences = read_sentences(path)
        for variant in VARIANTS:
            document = build_document(sentences, glued=variant == "glued")
            if variant == "spaced":
                spaced_texts.append(document.text)
            for system, nlp in nlps.items():
                doc = nlp(document.text)
                pred = predicted_starts(doc)
                counts = score(pred, document)
                results[name, system, variant] = counts
                totals[system, variant].add(counts)
                if variant == "spaced":
                    sizes[name] = (document.sentences, len(doc))
                elif system == "beritanlp":
                    token_starts = {t.idx for t in doc if not t.is_space}
                    unreachable[name] = len(document.gold - token_starts)
                if args.errors and system == "beritanlp":
                    print(f"\n## {name} ({variant}): false positives | false negatives")
                    for offset in sorted(pred - document.gold)[: args.errors]:
                        print("FP", context(document.text, offset))
                    for offset in sorted(document.gold - pred)[: args.errors]:
                        print("FN", context(document.text, offset))

    header = (
        f"{'treebank':<11} {'sents':>5} {'tokens':>6}  {'system':<11}"
        f"  {'P':>5}  {'R':>5}  {'F1':>5}   {'glued P':>7}  {'R':>5}  {'F1':>5}  {'in-tok':>6}"
    )
    print("Sentence boundaries on UD Indonesian: running text rebuilt from the # text lines")
    print(header)
    print("-" * len(header))
    rows = [(name, *sizes[name]) for name, _ in paths]
    n_sents = sum(r[1] for r in rows)
    n_tokens = sum(r[2] for r in rows)
    unreachable["micro all"] = sum(unreachable.values())
    for name, sents, tokens in [*rows, ("micro all", n_sents, n_tokens)]:
        for k, system in enumerate(SYSTEMS):
            cells = []
            for variant in VARIANTS:
                counts = (
                    totals[system, variant]
                    if name == "micro all"
                    else results[name, system, variant]
                )
                cells.append(counts.scores())
            lead = f"{name:<11} {sents:>5} {tokens:>6}" if k == 0 else " " * 24
            (p, r, f), (gp, gr, gf) = cells
            tail = f"  {unreachable[name]:>6}" if k == 0 else ""
            print(
                f"{lead}  {system:<11}  {p:.3f}  {r:.3f}  {f:.3f}"
                f"   {gp:>7.3f}  {gr:.3f}  {gf:.3f}{tail}"
            )
    print(
        "in-tok: glued gold boundaries that fall inside a token (e.g. 'AS.Menteri'), which no "
        "segmenter on this tokenization can find"
    )

    docs = [ours.make_doc(text) for text in spaced_texts]
    seg = ours.get_pipe("beritanlp_sentences")
    sentencizer = baseline.get_pipe("sentencizer")
    print(f"\nspeed, tokens/s on one core (best of {args.repeat}, {n_tokens} tokens):")
    print(f"{'':<24}  {'component':>10}  {'tokenizer+component':>20}")
    for system, component, nlp in (
        ("beritanlp", seg, ours),
        ("sentencizer", sentencizer, baseline),
    ):
        comp = speed(component, docs, args.repeat)
        pipe = pipeline_speed(nlp, spaced_texts, args.repeat)
        print(f"{system:<24}  {comp:>10,.0f}  {pipe:>20,.0f}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
