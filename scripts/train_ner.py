"""Train the beritanlp NER model (PER/LOC/ORG) and write ``models/ner-id`` with its model card.

One command, from the repository root (about 45 minutes on 2 CPU cores)::

    python scripts/train_ner.py --data ../shared/data

It trains the shipped model (sentence corpora + the article corpus of issue 13) and, on the second
core at the same time, the same model without the article corpus (the ablation).

1. ``scripts/ner_data.py``: DocBins in ``/tmp/ner`` (idner-news-2k train + NER UI fold-1 train
   + NERGrit train, deduplicated against every test set we report, + the train part of the article
   corpus ``corpora/ner-articles`` as whole articles; dev = NER UI fold-1 dev + NERGrit valid +
   the article corpus's dev part, used only to pick the best checkpoint; the article test part
   is never used);
2. ``scripts/ner_vectors.py``: floret vectors trained on ``news/articles.jsonl`` (skipped with
   ``--no-vectors`` or when ``/tmp/ner/vectors`` exists);
3. ``spacy train configs/ner.cfg`` (one thread), best checkpoint by dev F1; with ``--pretrain``
   the encoder starts from ``spacy pretrain configs/ner_pretrain.cfg`` weights
   (``scripts/ner_pretrain.py``; an ablation, off by default: it did not help, see docs/ner.md);
4. the checkpoint is copied to ``--output`` (default ``models/ner-id``) with an updated
   ``meta.json``, then ``eval/eval_ner.py`` runs and its table goes into ``MODEL_CARD.md``.

``--fold k`` (k = 2..5) trains the per-fold model for the IndoLEM NER UI protocol instead
(NER UI ``train.0k``; written to ``/tmp/ner/folds/fold{k}``, never into the repository);
``--fast`` trains fewer steps; ``--nerp`` adds the mapped NERP training data (ablation);
``--name`` names the run directory in ``/tmp/ner/runs`` for ablations (``--no-ship``);
``--ship-run NAME`` ships an already trained ``/tmp/ner/runs/NAME`` (same flags as its
training run) without training again. ``--no-articles`` trains on the sentence corpora only;
``--vectors-from models/ner-id`` reuses the shipped model's floret vectors instead of training
them again (12 minutes less; the same vectors).
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

import ner_data  # noqa: E402

DATA_NOTE = (
    "idner-news-2k train (Khairunnisa et al. 2020, MIT), NER UI / IndoLEM fold-1 train "
    "(NusaCrowd: CC BY 4.0), NERGrit train (IndoNLU; credit the NERGRIT contributors); "
    "training sentences that also occur in idner-news-2k dev, NER UI fold-1 test or NERGrit "
    "test were removed. NER UGM (shares text with idner-news-2k) was not used."
)


def run(cmd: list[str], log: Path | None = None) -> str:
    """Run a command on one thread; stream its output to ``log`` (or return its stdout)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    print("$", " ".join(cmd), flush=True)
    if log is not None:
        with log.open("w", encoding="utf-8") as sink:
            subprocess.run(cmd, env=env, check=True, stdout=sink, stderr=subprocess.STDOUT)
        return ""
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ner_data.DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner"))
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "ner.cfg")
    parser.add_argument("--output", type=Path, default=ROOT / "models" / "ner-id")
    parser.add_argument("--fold", type=int, default=1, help="NER UI fold (1 = the shipped model)")
    parser.add_argument("--no-vectors", action="store_true", help="no static vectors")
    parser.add_argument("--nerp", action="store_true", help="add NERP (PPL/PLC) training data")
    parser.add_argument("--fast", action="store_true", help="fewer steps (per-fold models)")
    parser.add_argument(
        "--pretrain",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="start the encoder from `spacy pretrain` weights (scripts/ner_pretrain.py); "
        "measured: no gain on the test sets (docs/ner.md), so off by default",
    )
    parser.add_argument("--pretrain-epochs", type=int, default=1)
    parser.add_argument("--name", default=None, help="run name under /tmp/ner/runs")
    parser.add_argument("--no-ship", action="store_true", help="do not write --output")
    parser.add_argument(
        "--ship-run", default=None, help="ship /tmp/ner/runs/NAME (already trained) as --output"
    )
    parser.add_argument(
        "--articles",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add the article NER corpus (corpora/ner-articles: train part to training, dev part "
        "to checkpoint selection); on by default when the corpus is present",
    )
    parser.add_argument("--article-copies", type=int, default=1, help="repeat each training article")
    parser.add_argument(
        "--ablation",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also train the same model without the article corpus (run `<name>_noart`, not "
        "shipped; on the second core, at the same time) and print both on the article dev/test "
        "parts and the sentence corpora (default: on)",
    )
    parser.add_argument(
        "--vectors-from",
        type=Path,
        default=None,
        help="take the static vectors of an existing pipeline (e.g. models/ner-id) instead of "
        "training floret vectors (saves about 12 minutes; same vectors as that model)",
    )
    parser.add_argument("--timing-note", default="", help="extra timing text for the card")
    parser.add_argument("overrides", nargs="*", help="extra spacy train overrides (--a.b c)")
    args, extra = parser.parse_known_args(argv)
    started = time.time()
    data = args.data.resolve()
    work = args.work
    fold = args.fold

    if not (work / f"train_fold{fold}.spacy").exists() or (
        args.nerp and not (work / "nerp_train.spacy").exists()
    ):
        ner_data.build(data, work, sorted({1, fold}), nerp=args.nerp)
    use_articles = args.articles and ner_data.ARTICLE_CORPUS.exists() and fold == 1
    if use_articles:
        ner_data.build_articles(data, work, copies=args.article_copies)
    vectors = work / "vectors"
    if args.vectors_from is not None and not vectors.is_dir():
        shutil.copytree(args.vectors_from, vectors)  # a pipeline folder: spaCy reads its vectors
    if not args.no_vectors and not vectors.is_dir():
        import ner_vectors

        ner_vectors.main(["--data", str(data), "--work", str(work), "--out", str(vectors)])

    pretrained: Path | None = None
    if args.pretrain and not args.no_vectors:  # the pretraining config uses the vectors
        pretrained = work / "pretrain" / "model-last.bin"
        if not pretrained.exists():
            import ner_pretrain

            ner_pretrain.main(["--data", str(data), "--work", str(work), "--vectors", str(vectors),
                               "--out", str(pretrained.parent),
                               "--epochs", str(args.pretrain_epochs)])  # fmt: skip

    train_path: Path = work / f"train_fold{fold}.spacy"
    if args.nerp:
        train_path = work / f"train_fold{fold}_nerp"
        train_path.mkdir(exist_ok=True)
        for name in (f"train_fold{fold}.spacy", "nerp_train.spacy"):
            link = train_path / name
            if not link.exists():
                link.symlink_to(work / name)
    dev_path: Path = work / f"dev_fold{fold}.spacy"
    plain_train = train_path
    if use_articles:
        train_path = _joined(work / "train_with_articles", [train_path, work / "articles_train.spacy"])
        dev_path = _joined(work / "dev_with_articles", [dev_path, work / "articles_dev.spacy"])
    name = args.name or (f"fold{fold}" if fold != 1 else "main")
    run_dir = work / ("folds" if fold != 1 and args.name is None else "runs") / name
    if args.ship_run:
        run_dir = work / "runs" / args.ship_run
    elif run_dir.exists():
        shutil.rmtree(run_dir)
    cmd = [
        sys.executable, "-m", "spacy", "train", str(args.config),
        "--output", str(run_dir),
        "--paths.train", str(train_path),
        "--paths.dev", str(dev_path),
        "--code", str(ROOT / "scripts" / "ner_callbacks.py"),
    ]  # fmt: skip
    if pretrained is not None:
        cmd += ["--paths.pretrained_tok2vec", str(pretrained)]
    if args.no_vectors:
        cmd += ["--components.ner.model.tok2vec.embed.include_static_vectors", "false"]
    else:
        cmd += ["--paths.vectors", str(vectors)]
    if args.fast:
        cmd += ["--training.max_steps", "2000"]
    cmd += [*args.overrides, *extra]
    ablation: subprocess.Popen[bytes] | None = None
    noart_dir = work / "runs" / f"{name}_noart"
    if args.ablation and use_articles and not args.ship_run:
        # the same model without the article corpus, trained at the same time on the other core
        if noart_dir.exists():
            shutil.rmtree(noart_dir)
        cmd_noart = [str(plain_train) if c == str(train_path) else c for c in cmd]
        cmd_noart[cmd_noart.index("--output") + 1] = str(noart_dir)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        print("$", " ".join(cmd_noart), flush=True)
        with (work / f"train_{name}_noart.log").open("w", encoding="utf-8") as sink:
            ablation = subprocess.Popen(cmd_noart, env=env, stdout=sink, stderr=subprocess.STDOUT)
    if not args.ship_run:
        train_started = time.time()
        run(cmd, log=work / f"train_{name}.log")
        minutes = (time.time() - train_started) / 60
        (run_dir / "train_minutes.txt").write_text(f"{minutes:.2f}\n", encoding="utf-8")
    if ablation is not None and ablation.wait() != 0:
        raise SystemExit(f"the ablation run failed: see {work / f'train_{name}_noart.log'}")
    train_minutes = float((run_dir / "train_minutes.txt").read_text(encoding="utf-8"))
    best = run_dir / "model-best"
    meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    print(
        f"[train] {name}: {train_minutes:.1f} min, dev ents_f {meta['performance']['ents_f']:.4f}"
    )
    if fold != 1 or args.no_ship:
        return

    output = args.output
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(best, output)
    meta.update(
        name="ner_id",
        version="1.0.0",
        description="beritanlp NER for Indonesian news: PER, LOC, ORG (CNN + transition NER)",
        author="beritanlp developers",
        license="MIT (code); see MODEL_CARD.md for the training data licences",
        sources=[{"name": "training data", "note": DATA_NOTE}],
    )
    (output / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    # spaCy's string table would hold every training word (a derived token list of the corpora):
    # the model needs none of them (hash embeddings; floret vectors hash the runtime text)
    labels = sorted(meta["labels"]["ner"])
    (output / "vocab" / "strings.json").write_text(json.dumps(labels) + "\n", encoding="utf-8")
    total_minutes = (time.time() - started) / 60 + (train_minutes if args.ship_run else 0)
    report = run([sys.executable, str(ROOT / "eval" / "eval_ner.py"), "--data", str(data),
                  "--model", str(output), "--crf", "--errors", "0"])  # fmt: skip
    size_mb = sum(f.stat().st_size for f in output.rglob("*") if f.is_file()) / 1e6
    if use_articles:
        for split in ("dev", "test"):
            for label, model in (("with articles", output), ("without", noart_dir / "model-best")):
                if not model.exists():
                    continue
                out = run([sys.executable, str(ROOT / "eval" / "eval_ner_articles.py"),
                           "--data", str(data), "--split", split, "--model", str(model),
                           "--no-baseline", "--no-crf", "--errors", "0", "--model-only"])  # fmt: skip
                micro = [ln for ln in out.splitlines() if ln.startswith("model ")]
                report += f"\narticle {split}, model alone, {label}:\n" + "\n".join(micro) + "\n"
        if noart_dir.exists():
            report += "\nsentence corpora, without articles:\n" + run(
                [sys.executable, str(ROOT / "eval" / "eval_ner.py"), "--data", str(data),
                 "--model", str(noart_dir / "model-best"), "--errors", "0"])  # fmt: skip
    write_card(output, meta, report, train_minutes, total_minutes, size_mb, args)
    print(report)
    print(f"[done] {output}: {size_mb:.1f} MB, {total_minutes:.1f} min in total")


def _joined(folder: Path, files: list[Path]) -> Path:
    """A folder of links to DocBins: spaCy's corpus reader reads every ``.spacy`` file in it."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for k, path in enumerate(files):
        (folder / f"{k}_{path.name}").symlink_to(path.resolve())
    return folder


def write_card(
    output: Path,
    meta: dict,
    report: str,
    train_minutes: float,
    total_minutes: float,
    size_mb: float,
    args: argparse.Namespace,
) -> None:
    whole = (
        "copied from an earlier training run (`--ship-run`)"
        if args.ship_run
        else f"whole command {total_minutes:.1f} min"
    )
    vectors = "none" if args.no_vectors else "floret, trained on shared/data/news/articles.jsonl"
    from spacy.util import load_config

    encode = load_config(output / "config.cfg", interpolate=True)["components"]["ner"]["model"][
        "tok2vec"
    ]["encode"]
    card = f"""# ner-id: named entities for Indonesian news (beritanlp)

Labels: `PER`, `LOC` (places, countries, regions), `ORG`. A spaCy {meta.get("spacy_version")}
pipeline saved with `nlp.to_disk`: the beritanlp news tokenizer
(`beritanlp.news_tokenizer.v1`) and one `ner` component (transition-based, with its own CNN
token encoder: MultiHashEmbed NORM/PREFIX/SUFFIX/SHAPE + static vectors, MaxoutWindowEncoder
width {encode["width"]} x {encode["depth"]}). Static vectors: {vectors}. Load with
`beritanlp.components.ner.add_ner(nlp)` or `spacy.load("models/ner-id")` (loads by
`from_disk` only; nothing is unpickled or executed).

## Data

{DATA_NOTE} Labels harmonised to PER/LOC/ORG (`scripts/ner_data.py`); NERP used: {args.nerp}.
Dev set for checkpoint selection: NER UI fold-1 dev + NERGrit valid. No text from the
corpora is stored in this folder (`vocab/strings.json` is reduced to the three labels).

## Command

    python scripts/train_ner.py --data ../shared/data

Training time: {train_minutes:.1f} min (`spacy train`, 1 thread); {whole}
on a 2-core CPU, no GPU. Size: {size_mb:.1f} MB. {args.timing_note}

## Scores (exact-span micro P/R/F1, `python eval/eval_ner.py --crf`)

```
{report.strip()}
```

NER UI fold-1 test is clean (the model saw only fold-1 train). The idner-news-2k test split is
held out of this project and was never seen. NERGrit is encyclopedic text, not news.
"""
    (output / "MODEL_CARD.md").write_text(card, encoding="utf-8")


if __name__ == "__main__":
    main()
