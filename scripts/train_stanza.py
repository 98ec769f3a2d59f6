"""Train beritanlp's own Indonesian Stanza models (POS/morph tagger, lemmatizer, dependency parser).

One command does everything::

    python scripts/train_stanza.py --data ../shared/data

1. ``scripts/stanza_data.py``: UD Indonesian files with every multi-word token merged into one
   surface word (beritanlp feeds Stanza its own tokens, clitics attached), written to
   ``/tmp/stanza`` (never into the repo):
   tagger/parser train = CSUI train + GSD dev + PUD, dev = GSD test;
   lemma train = CSUI train + 900 PUD sentences, dev = the other 100 PUD sentences.
   CSUI test is never used here (held out for ``eval/eval_syntax.py``).
2. Word vectors: the NER pipeline's floret vectors (``models/ner-id``, 100 dims) for the 50k most
   frequent lower-cased word types of ``news/articles.jsonl`` plus all training word forms,
   written as word2vec text and converted to a Stanza pretrain file.
3. Stanza's own training entry points (``python -m stanza.models.tagger|lemmatizer|parser``,
   ``--mode train``, CPU, no charlm, no BERT). The three models are independent (the parser is
   trained on gold tags and evaluated downstream on predicted ones), so they run concurrently,
   one torch thread each, logs in ``logs/stanza_{pos,lemma,depparse}.log``.
4. The best checkpoints (by dev score) are copied to
   ``packages/beritanlp-stanza-id/beritanlp_stanza_id/`` as ``pos.pt``, ``lemma.pt`` and ``depparse.pt``, plus ``pretrain.pt``: the same vectors restricted to the
   20k most frequent news words + all training forms (~24k words, keeps the folder < 60 MB;
   Stanza reads vocabulary and vectors from the pretrain file at load time, so this needs no
   retraining). Each file is checked to load with ``torch.load(weights_only=True)``;
   ``/tmp/stanza/train_summary.json`` records the settings, times and sizes.
   ``packages/beritanlp-stanza-id/beritanlp_stanza_id/MODEL_CARD.md`` is maintained by hand.

Time: at most ``--time-budget`` minutes (default 42) on 2 CPU cores; jobs still running then are
stopped and their best checkpoint so far is shipped (see MODEL_CARD.md for the measured run).
``--no-pretrain-pos`` also trains a tagger without word vectors (kept in /tmp) for comparison.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stanza_data

ROOT = Path(__file__).resolve().parents[1]
STANZA_MODELS = ROOT / "packages" / "beritanlp-stanza-id" / "beritanlp_stanza_id"
SHORTHAND = "id_beritanlp"


def tagger_cmd(work: Path, args: argparse.Namespace, name: str, pretrain: bool) -> list[str]:
    train = ";".join(str(work / f"tag_train_{c}.conllu") for c in ("csui", "gsd", "pud"))
    cmd = [
        sys.executable, "-m", "stanza.models.tagger", "--mode", "train",
        "--lang", "id", "--shorthand", SHORTHAND,
        "--train_file", train, "--eval_file", str(work / "tag_dev.conllu"),
        "--no_bert_model", "--cpu",
        "--batch_size", str(args.pos_batch), "--max_steps", str(args.pos_steps),
        "--eval_interval", str(args.pos_eval), "--fix_eval_interval", "--log_step", "50",
        "--save_dir", str(work / "models"), "--save_name", name,
    ]  # fmt: skip
    if pretrain:
        cmd += ["--wordvec_pretrain_file", str(work / "pretrain.pt")]
    else:
        cmd += ["--no_pretrain"]
    return cmd


def lemma_cmd(work: Path, args: argparse.Namespace) -> list[str]:
    return [
        sys.executable, "-m", "stanza.models.lemmatizer", "--mode", "train",
        "--shorthand", SHORTHAND,
        "--train_file", str(work / "lemma_train.conllu"),
        "--eval_file", str(work / "lemma_dev.conllu"),
        "--num_epoch", str(args.lemma_epochs), "--decay_epoch", str(max(1, args.lemma_epochs // 2)),
        "--log_step", "100", "--cpu",
        "--save_dir", str(work / "models"), "--save_name", "lemma.pt",
    ]  # fmt: skip


def parser_cmd(work: Path, args: argparse.Namespace) -> list[str]:
    return [
        sys.executable, "-m", "stanza.models.parser", "--mode", "train",
        "--lang", "id", "--shorthand", SHORTHAND,
        "--train_file", str(work / "dep_train.conllu"),
        "--eval_file", str(work / "dep_dev.conllu"),
        "--wordvec_pretrain_file", str(work / "pretrain.pt"),
        "--no_bert_model", "--cpu",
        "--hidden_dim", str(args.dep_hidden), "--deep_biaff_hidden_dim", str(args.dep_hidden),
        "--num_layers", "2", "--batch_size", str(args.dep_batch),
        "--max_steps", str(args.dep_steps), "--eval_interval", str(args.dep_eval),
        "--log_step", "50", "--no_checkpoint",
        "--save_dir", str(work / "models"), "--save_name", "depparse.pt",
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=stanza_data.DEFAULT_DATA)
    parser.add_argument("--work", type=Path, default=Path("/tmp/stanza"))
    parser.add_argument("--out", type=Path, default=STANZA_MODELS)
    parser.add_argument("--logs", type=Path, default=ROOT / "logs")
    parser.add_argument("--news-vocab", type=int, default=50_000, help="news words for training")
    parser.add_argument(
        "--ship-news-vocab",
        type=int,
        default=20_000,
        help="news words kept in the shipped pretrain.pt (plus all training forms); size cap",
    )
    parser.add_argument("--pos-steps", type=int, default=1500)
    parser.add_argument("--pos-eval", type=int, default=100)
    parser.add_argument("--pos-batch", type=int, default=32)
    parser.add_argument("--lemma-epochs", type=int, default=3)
    parser.add_argument("--dep-steps", type=int, default=1500)
    parser.add_argument("--dep-eval", type=int, default=100)
    parser.add_argument("--dep-batch", type=int, default=1000, help="tokens per batch")
    parser.add_argument("--dep-hidden", type=int, default=200)
    parser.add_argument(
        "--no-pretrain-pos", action="store_true", help="also train a vector-less tagger"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads per training job")
    parser.add_argument(
        "--time-budget",
        type=float,
        default=42.0,
        help="minutes for the whole run; jobs still training then are stopped and their best "
        "checkpoint so far (saved at each dev evaluation) is used",
    )
    args = parser.parse_args(argv)

    t0 = time.time()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    args.logs.mkdir(parents=True, exist_ok=True)
    summary: dict = {"args": {k: str(v) for k, v in vars(args).items()}}

    summary["splits"] = stanza_data.build_splits(args.data, work)
    print("MWTs merged:", summary["splits"]["mwt_merged"], flush=True)
    train_files = [work / "dep_train.conllu", work / "lemma_train.conllu"]
    n_words = stanza_data.export_vectors(
        args.data, train_files, work / "vectors.txt", n_news=args.news_vocab
    )
    n_vocab = stanza_data.make_pretrain(work / "vectors.txt", work / "pretrain.pt")
    summary["vectors"] = {"words": n_words, "pretrain_vocab": n_vocab}
    summary["prep_seconds"] = round(time.time() - t0, 1)
    print(f"data + vectors ready in {summary['prep_seconds']}s ({n_vocab} words)", flush=True)

    (work / "models").mkdir(exist_ok=True)
    jobs = {
        "pos": tagger_cmd(work, args, "pos.pt", pretrain=True),
        "lemma": lemma_cmd(work, args),
        "depparse": parser_cmd(work, args),
    }
    if args.no_pretrain_pos:
        jobs["pos_nopretrain"] = tagger_cmd(work, args, "pos_nopretrain.pt", pretrain=False)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), MKL_NUM_THREADS=str(args.threads))
    procs, started, seconds = {}, {}, {}
    for name, cmd in jobs.items():
        log = (args.logs / f"stanza_{name}.log").open("w", encoding="utf-8")
        log.write(" ".join(cmd) + "\n")
        log.flush()
        procs[name] = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
        started[name] = time.time()
        print(f"started {name} (pid {procs[name].pid})", flush=True)
    failed, stopped = [], []
    deadline = t0 + 60 * args.time_budget
    while procs:
        if time.time() > deadline:
            for name, proc in procs.items():
                print(f"time budget reached: stopping {name}", flush=True)
                proc.terminate()
                proc.wait()
                seconds[name] = round(time.time() - started[name], 1)
                stopped.append(name)
                if not (work / "models" / f"{name}.pt").exists():
                    failed.append(name)
            procs = {}
        for name, proc in list(procs.items()):
            if proc.poll() is not None:
                seconds[name] = round(time.time() - started[name], 1)
                print(f"{name} finished rc={proc.returncode} in {seconds[name]}s", flush=True)
                if proc.returncode != 0:
                    failed.append(name)
                del procs[name]
        time.sleep(5)
    summary["train_seconds"] = seconds
    summary["stopped_by_time_budget"] = stopped
    if failed:
        raise SystemExit(f"training failed: {failed}; see {args.logs}/stanza_*.log")

    args.out.mkdir(parents=True, exist_ok=True)
    n_ship = stanza_data.ship_vectors(
        work / "vectors.txt", train_files, work / "vectors_ship.txt", args.ship_news_vocab
    )
    stanza_data.make_pretrain(work / "vectors_ship.txt", work / "pretrain_ship.pt")
    summary["vectors"]["shipped_pretrain_vocab"] = n_ship
    shutil.copy2(work / "pretrain_ship.pt", args.out / "pretrain.pt")
    for name in ("pos", "lemma", "depparse"):
        shutil.copy2(work / "models" / f"{name}.pt", args.out / f"{name}.pt")
    import torch

    for name in ("pretrain", "pos", "lemma", "depparse"):  # must load without executing code
        torch.load(args.out / f"{name}.pt", map_location="cpu", weights_only=True)
    summary["sizes_mb"] = {
        p.name: round(p.stat().st_size / 1e6, 2) for p in sorted(args.out.glob("*.pt"))
    }
    total_mb = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file()) / 2**20
    summary["total_mib"] = round(total_mb, 1)
    if total_mb > 60:
        print(f"WARNING: {args.out} is {total_mb:.1f} MiB > 60 MiB; lower --ship-news-vocab")
    summary["total_seconds"] = round(time.time() - t0, 1)
    (work / "train_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
