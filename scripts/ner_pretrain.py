"""Pretrain the NER token encoder on the raw news text (``spacy pretrain``).

The paragraphs of ``<data>/news/articles.jsonl`` (titles and texts, at least 5 words) are
written as spaCy raw-text JSONL to ``/tmp/ner/pretrain_text.jsonl``, then ``spacy pretrain
configs/ner_pretrain.cfg`` trains the encoder (the ner's own embed + CNN, with the floret
vectors) to predict each word's first and last four characters from its context. The weights
of the last epoch go to ``<out>/model-last.bin``; ``scripts/train_ner.py`` then starts the NER
from them (``--paths.pretrained_tok2vec``)::

    python scripts/ner_pretrain.py [--data ../shared/data] [--out /tmp/ner/pretrain]

Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from ner_vectors import DEFAULT_DATA, paragraphs  # noqa: E402

CONFIG = ROOT / "configs" / "ner_pretrain.cfg"


def write_raw_text(articles: Path, out: Path, min_words: int = 5) -> int:
    """Paragraphs of ``articles`` with ``min_words`` words or more as ``{"text": ...}`` lines."""
    n = 0
    partial = out.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as sink:
        for paragraph in paragraphs(articles):
            paragraph = paragraph.strip()
            if len(paragraph.split()) >= min_words:
                sink.write(json.dumps({"text": paragraph}, ensure_ascii=False) + "\n")
                n += 1
    partial.rename(out)
    return n


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner"))
    parser.add_argument("--vectors", type=Path, default=Path("/tmp/ner/vectors"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/ner/pretrain"))
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args(argv)

    raw = args.work / "pretrain_text.jsonl"
    if not raw.exists():
        n = write_raw_text(args.data / "news" / "articles.jsonl", raw)
        print(f"[pretrain] {n:,} paragraphs written to {raw}", flush=True)
    if args.out.exists():
        shutil.rmtree(args.out)
    started = time.time()
    cmd = [
        sys.executable, "-m", "spacy", "pretrain", str(CONFIG), str(args.out),
        "--paths.raw_text", str(raw), "--paths.vectors", str(args.vectors),
        "--pretraining.max_epochs", str(args.epochs),
    ]  # fmt: skip
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    print("$", " ".join(cmd), flush=True)
    with (args.work / "pretrain.log").open("w", encoding="utf-8") as log:
        subprocess.run(cmd, env=env, check=True, stdout=log, stderr=subprocess.STDOUT)
    last = args.out / f"model{args.epochs - 1}.bin"
    final = args.out / "model-last.bin"
    shutil.copyfile(last, final)
    print(f"[pretrain] {args.epochs} epochs in {(time.time() - started) / 60:.1f} min -> {final}")
    return final


if __name__ == "__main__":
    main()
