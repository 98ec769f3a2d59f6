"""Evaluate beritanlp's Indonesian Stanza models (POS, lemma, depparse) on UD CSUI test.

    python eval/eval_syntax.py --data ../shared/data \
        [--models packages/beritanlp-stanza-id/beritanlp_stanza_id]

The CSUI test file is rewritten exactly as for training (``scripts/stanza_data.py``): every
multi-word token is merged into one surface word ("bukunya" stays one token), so the scores are
per *surface token*, with gold tokens and gold sentence boundaries (pretokenized input). They are
printed next to Stanza's published CSUI figures, which are on *syntactic words* (clitics split)
with Stanza's full training recipe, so the comparison is indicative only. Lemma baselines:
spaCy's Indonesian lookup lemmatizer (``spacy-lookups-data``) and "lemma = lower-cased form".
Speed: tokens/s of each Stanza processor over the whole test set, one torch thread.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANZA_MODELS = ROOT / "packages" / "beritanlp-stanza-id" / "beritanlp_stanza_id"
sys.path.insert(0, str(ROOT / "scripts"))

import stanza_data  # noqa: E402

PUBLISHED = {"UPOS": 95.90, "Lemma": 96.36, "LAS": 78.55}  # Stanza, UD_Indonesian-CSUI


def load_gold(data: Path) -> tuple[list[list[list[str]]], int]:
    """CSUI test with MWTs merged: per sentence, the 10-column rows; and the MWT count."""
    sentences, n_mwt = stanza_data.merge_file(data / stanza_data.UD["csui_test"])
    rows = [[line.split("\t") for line in s if not line.startswith("#")] for s in sentences]
    return rows, n_mwt


def build_pipeline(models: Path):
    """The stanza.Pipeline call used by beritanlp: local files only, no downloads."""
    import stanza

    # stanza 1.15 always reads a resources.json; an empty one plus allow_unknown_language=True
    # lets it build a pipeline purely from the *_model_path arguments, without any download.
    resources = Path(tempfile.mkdtemp(prefix="stanza-res-")) / "resources.json"
    resources.write_text("{}", encoding="utf-8")
    return stanza.Pipeline(
        lang="id",
        processors="tokenize,pos,lemma,depparse",
        tokenize_pretokenized=True,
        download_method=None,
        resources_filepath=str(resources),
        allow_unknown_language=True,
        pos_model_path=str(models / "pos.pt"),
        pos_pretrain_path=str(models / "pretrain.pt"),
        lemma_model_path=str(models / "lemma.pt"),
        depparse_model_path=str(models / "depparse.pt"),
        depparse_pretrain_path=str(models / "pretrain.pt"),
        use_gpu=False,
        logging_level="WARN",
    )


def run_stanza(nlp, forms: list[list[str]]) -> tuple[list[list[tuple]], dict[str, float]]:
    """Tag, lemmatise and parse; returns per-word predictions and tokens/s per processor."""
    n_tokens = sum(len(s) for s in forms)
    speed = {}
    doc = nlp.processors["tokenize"].process(forms)
    total = 0.0
    for name in ("pos", "lemma", "depparse"):
        t0 = time.perf_counter()
        doc = nlp.processors[name].process(doc)
        elapsed = time.perf_counter() - t0
        total += elapsed
        speed[name] = n_tokens / elapsed
    speed["pos+lemma+depparse"] = n_tokens / total
    preds = [
        [(w.upos, w.xpos, w.feats, w.lemma, w.head, w.deprel) for w in sent.words]
        for sent in doc.sentences
    ]
    return preds, speed


def _norm(value) -> str:
    return "_" if value in (None, "") else str(value)


def score(gold: list[list[list[str]]], preds: list[list[tuple]]) -> dict[str, float]:
    keys = ("UPOS", "XPOS", "UFeats", "Lemma", "Lemma (lower)", "UAS", "LAS", "LAS (full deprel)")
    hits = dict.fromkeys(keys, 0)
    n = 0
    for g_sent, p_sent in zip(gold, preds, strict=True):
        if len(g_sent) != len(p_sent):
            raise ValueError("token mismatch between gold and prediction")
        for g, (upos, xpos, feats, lemma, head, deprel) in zip(g_sent, p_sent, strict=True):
            n += 1
            hits["UPOS"] += g[3] == _norm(upos)
            hits["XPOS"] += g[4] == _norm(xpos)
            hits["UFeats"] += g[5] == _norm(feats)
            hits["Lemma"] += g[2] == _norm(lemma)
            hits["Lemma (lower)"] += g[2].lower() == _norm(lemma).lower()
            head_ok = g[6] == str(head)
            hits["UAS"] += head_ok
            hits["LAS"] += head_ok and g[7].split(":")[0] == _norm(deprel).split(":")[0]
            hits["LAS (full deprel)"] += head_ok and g[7] == _norm(deprel)
    return {k: 100.0 * v / n for k, v in hits.items()}


def lemma_baselines(gold: list[list[list[str]]]) -> dict[str, dict[str, float]]:
    """Lemma accuracy of spaCy's Indonesian lookup lemmatizer and of lower(form)."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("id")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # needs spacy-lookups-data
    lemmatizer = nlp.get_pipe("lemmatizer")
    hits = {"spacy": [0, 0], "lower": [0, 0]}
    n = 0
    for sent in gold:
        doc = lemmatizer(Doc(nlp.vocab, words=[r[1] for r in sent]))
        for row, tok in zip(sent, doc, strict=True):
            n += 1
            for name, lemma in (("spacy", tok.lemma_), ("lower", row[1].lower())):
                hits[name][0] += row[2] == lemma
                hits[name][1] += row[2].lower() == lemma.lower()
    return {
        k: {"Lemma": 100.0 * v[0] / n, "Lemma (lower)": 100.0 * v[1] / n} for k, v in hits.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=stanza_data.DEFAULT_DATA)
    parser.add_argument("--models", type=Path, default=STANZA_MODELS)
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument("--limit", type=int, help="only the first N sentences (quick check)")
    args = parser.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    gold, n_mwt = load_gold(args.data)
    if args.limit:
        gold = gold[: args.limit]
    forms = [[r[1] for r in sent] for sent in gold]
    n_tokens = sum(len(s) for s in forms)
    t0 = time.perf_counter()
    nlp = build_pipeline(args.models)
    load_s = time.perf_counter() - t0
    preds, speed = run_stanza(nlp, forms)
    ours = score(gold, preds)
    base = lemma_baselines(gold)

    print(
        f"UD_Indonesian-CSUI test: {len(gold)} sentences, {n_tokens} surface tokens "
        f"({n_mwt} multi-word tokens merged into one word each)"
    )
    print("Gold tokens and sentences (pretokenized); scores are per SURFACE TOKEN.\n")
    header = (
        f"{'metric':<20}{'stanza-id':>11}{'published*':>12}{'spaCy lookup':>14}{'lower(form)':>13}"
    )
    print(header)
    print("-" * len(header))
    for key, value in ours.items():
        pub = PUBLISHED.get(key)
        pub_s = f"{pub:.2f}" if pub is not None else "-"
        sp = base["spacy"].get(key)
        lo = base["lower"].get(key)
        sp_s = f"{sp:.2f}" if sp is not None else "-"
        lo_s = f"{lo:.2f}" if lo is not None else "-"
        print(f"{key:<20}{value:>11.2f}{pub_s:>12}{sp_s:>14}{lo_s:>13}")
    print(
        "\n* published = Stanza's own CSUI model (stanfordnlp.github.io/stanza/performance.html):"
        "\n  scored on SYNTACTIC words (clitics split off), trained on CSUI train with the full"
        "\n  recipe (charlm, long training). Not directly comparable: ours is per surface token,"
        "\n  trained briefly on CSUI train + GSD dev + PUD, with no charlm."
        "\n  LAS = head + universal deprel (CoNLL 2018 style); 'full deprel' keeps subtypes."
        "\n  'Lemma (lower)' ignores case."
    )
    print(
        f"\nSpeed on one thread (torch.set_num_threads(1)), {n_tokens} tokens, load {load_s:.1f}s:"
    )
    for name, tps in speed.items():
        print(f"  {name:<20}{tps:>9.0f} tokens/s")
    if args.json:
        payload = {"scores": ours, "baselines": base, "speed": speed, "published": PUBLISHED}
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
