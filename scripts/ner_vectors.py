"""Train small floret (hashed subword) vectors on the raw news text for the NER model.

The articles in ``<data>/news/articles.jsonl`` are tokenised with the beritanlp news tokenizer
(the same one the model sees at run time), one paragraph per line, case kept. floret then
learns ``--bucket`` x ``--dim`` hashed subword vectors (spaCy's ``floret`` vectors mode: every
word, seen or not, gets a vector from its character n-grams), and ``spacy init vectors`` turns
them into a vectors pipeline that the NER config loads in ``[initialize]``::

    python scripts/ner_vectors.py [--data ../shared/data] [--out /tmp/ner/vectors]

Everything is written under ``/tmp/ner``; only the final table travels into the trained model
(``bucket * dim * 4`` bytes, 8 MB with the defaults).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def paragraphs(articles: Path) -> Iterator[str]:
    """Every non-empty line of the titles and texts of ``articles`` (a news JSONL file)."""
    with articles.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for part in ((record.get("title") or ""), record.get("text") or ""):
                for paragraph in part.split("\n"):
                    if paragraph.strip():
                        yield paragraph


def write_tokens(articles: Path, out: Path) -> int:
    """Tokenise every article (paragraph per line); returns the number of tokens written."""
    from beritanlp.lang import blank

    tokenizer = blank().tokenizer
    n_tokens = 0
    partial = out.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as sink:
        for doc in tokenizer.pipe(paragraphs(articles), batch_size=1000):
            words = [t.text for t in doc if not t.is_space]
            n_tokens += len(words)
            sink.write(" ".join(words) + "\n")
    partial.rename(out)  # complete files only: a later run may reuse it
    return n_tokens


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/ner/vectors"))
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--bucket", type=int, default=20000)
    parser.add_argument("--epoch", type=int, default=2)
    parser.add_argument("--ws", type=int, default=4, help="context window")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    import floret

    args.work.mkdir(parents=True, exist_ok=True)
    tokens_path = args.work / "news_tokens.txt"
    started = time.time()
    if not tokens_path.exists():  # (a previous interrupted run leaves it behind)
        n_tokens = write_tokens(args.data / "news" / "articles.jsonl", tokens_path)
        print(
            f"[vectors] {n_tokens:,} tokens tokenised in {time.time() - started:.0f}s", flush=True
        )
    started = time.time()
    model = floret.train_unsupervised(
        str(tokens_path),
        model="cbow",
        mode="floret",
        hashCount=2,
        bucket=args.bucket,
        minn=3,
        maxn=5,
        minCount=3,
        dim=args.dim,
        epoch=args.epoch,
        ws=args.ws,
        thread=args.threads,
    )
    floret_path = args.work / "news.floret"
    model.save_floret_vectors(str(floret_path))
    print(f"[vectors] floret trained in {time.time() - started:.0f}s", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "init",
            "vectors",
            "id",
            str(floret_path),
            str(args.out),
            "--mode",
            "floret",
        ],
        check=True,
    )
    tokens_path.unlink()
    print(f"[vectors] spaCy vectors in {args.out}")


if __name__ == "__main__":
    main()
