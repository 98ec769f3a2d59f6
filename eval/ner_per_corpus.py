"""Per-corpus fine-tuning of the shipped NER: the protocol behind the published scores.

The published figures the NER issue compares against (IndoBERT on NER UI, XLM-R on NERGrit)
come from models fine-tuned on one corpus each, while ``models/ner-id`` is one model trained on
the union of the corpora. This ablation asks how much per-corpus training is worth for our
architecture: it starts from the shipped model, continues training on one corpus's training
part only (checkpoint picked on that corpus's dev part), and scores that corpus's test set.
Nothing is written to the repository.

    python eval/ner_per_corpus.py [--data ../shared/data] [--corpus idner nergrit nerui]
                                  [--epochs 8] [--learn-rate 0.0005]

Dev parts: NERGrit valid; NER UI fold-1 dev; idner-news-2k has no separate dev part besides
the one we test on, so 200 sentences of its train part are held out for checkpointing.
Scores are exact-span micro F1 on the gold tokens, as ``eval/eval_ner.py`` reports them.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "eval"))

import eval_ner  # noqa: E402
import ner_data  # noqa: E402


def split(corpora: ner_data.Corpora, corpus: str) -> tuple[list, list, list]:  # type: ignore[type-arg]
    """(train, dev, test) sentences of one corpus; train never overlaps any test set."""
    tests = {
        "idner": corpora.idner("dev"),
        "nergrit": corpora.nergrit("test"),
        "nerui": corpora.nerui("test", 1),
    }
    held = [s for sents in tests.values() for s in sents]
    if corpus == "idner":
        train = ner_data.dedupe(corpora.idner("train"), held, "idner train")
        random.Random(0).shuffle(train)
        return train[200:], train[:200], tests["idner"]
    if corpus == "nergrit":
        train = ner_data.dedupe(corpora.nergrit("train"), held, "nergrit train")
        return train, corpora.nergrit("valid"), tests["nergrit"]
    train = ner_data.dedupe(corpora.nerui("train", 1), held, "nerui train")
    return train, corpora.nerui("dev", 1), tests["nerui"]


def finetune(
    model: Path, data: Path, corpus: str, epochs: int, learn_rate: float
) -> tuple[float, float, float]:
    """(dev F1 before, test F1 before, test F1 after fine-tuning on ``corpus``)."""
    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import minibatch

    nlp = spacy.load(model)
    train, dev, test = split(ner_data.Corpora(data), corpus)

    def docs(sentences: list) -> list:  # type: ignore[type-arg]
        return list(ner_data.to_docbin(sentences, nlp.vocab).get_docs(nlp.vocab))  # type: ignore[attr-defined]

    train_docs, dev_docs, test_docs = docs(train), docs(dev), docs(test)

    def f1(gold: list) -> float:  # type: ignore[type-arg]
        return eval_ner.score(eval_ner.eval_gold_tokens(nlp, gold))["micro"][2]

    dev_before, test_before = f1(dev_docs), f1(test_docs)
    examples = [
        Example(
            Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]),
            d,
        )
        for d in train_docs
    ]
    optimizer = nlp.resume_training()
    optimizer.learn_rate = learn_rate
    ner = nlp.get_pipe("ner")
    best, best_bytes = dev_before, ner.to_bytes()
    for epoch in range(epochs):
        start = time.time()
        random.Random(epoch).shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=64):
            nlp.update(batch, sgd=optimizer, drop=0.15, losses=losses)
        score = f1(dev_docs)
        print(
            f"  {corpus} epoch {epoch + 1}: loss {losses['ner']:.0f}, dev F1 {score:.1f} "
            f"({time.time() - start:.0f} s)",
            flush=True,
        )
        if score > best:
            best, best_bytes = score, ner.to_bytes()
    ner.from_bytes(best_bytes)
    return dev_before, test_before, f1(test_docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ner_data.DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "ner-id")
    parser.add_argument("--corpus", nargs="+", default=["idner", "nergrit", "nerui"])
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--learn-rate", type=float, default=0.0005)
    args = parser.parse_args(argv)
    names = {"idner": "idner-news-2k dev", "nergrit": "NERGrit test", "nerui": "NER UI fold 1"}
    rows = []
    for corpus in args.corpus:
        rows.append(
            (
                corpus,
                *finetune(args.model, args.data.resolve(), corpus, args.epochs, args.learn_rate),
            )
        )
    print(f"\n{'test set':<20}{'shipped model':>15}{'fine-tuned on it':>18}")
    for corpus, _, before, after in rows:
        print(f"{names[corpus]:<20}{before:>15.1f}{after:>18.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
