"""Which entity rules help on whole articles: each step of ``entity_consistency`` and of
``entity_repair`` (and other settings) switched off in turn, scored on the article corpus's
**dev** part (never the test part).

    python eval/ner_rules_ablation.py --data ../shared/data [--split dev]

Prints exact-span micro P/R/F1 and per-label F1 for the shipped pipeline and for each variant.
This is how the rules of issue 13 were decided (docs/ner.md, "Article corpus").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_ner_articles as ev  # noqa: E402
import ner_articles  # noqa: E402

VARIANTS: dict[str, dict] = {
    "shipped": {},
    "- furniture": {"entity_consistency": {"furniture": False}},
    "- trim_lower": {"entity_consistency": {"trim_lower": False}},
    "- events": {"entity_consistency": {"events": False}},
    "- dateline": {"entity_consistency": {"dateline": False}},
    "- sentence_start": {"entity_consistency": {"sentence_start": False}},
    "- everywhere": {"entity_consistency": {"everywhere": False}},
    "min_mentions 1": {"entity_consistency": {"min_mentions": 1}},
    "min_mentions 3": {"entity_consistency": {"min_mentions": 3}},
    "- person_parts": {"entity_consistency": {"person_parts": False}},
    "- public figures": {
        "gazetteer": {
            "files": [
                f
                for f in __import__(
                    "beritanlp.components.gazetteer", fromlist=["DEFAULT_FILES"]
                ).DEFAULT_FILES
                if "public_figures" not in f
            ]
        }
    },
    "- consistency (all)": {
        "entity_consistency": {
            "furniture": False,
            "events": False,
            "dateline": False,
            "sentence_start": False,
            "everywhere": False,
        }
    },
    "- PER override": {"gazetteer": {"override_labels": ["ORG"]}},
    "- repair propagate": {"entity_repair": {"propagate_names": False}},
    "- repair role persons": {"entity_repair": {"role_persons": False}},
    "- repair trim roles": {"entity_repair": {"trim_roles": False}},
    "- repair labels": {"entity_repair": {"consistent_labels": False}},
}


def predict(arts: dict[str, dict], config: dict) -> ev.Spans:
    import beritanlp

    nlp = beritanlp.load(config=config)
    out: ev.Spans = set()
    from beritanlp.article import Article

    for aid in sorted(arts):
        art = arts[aid]
        doc = nlp(art["text"])
        result = Article.from_doc(doc)
        out |= {(aid, e.start, e.end, e.label) for e in result.entities}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ner_articles.DEFAULT_DATA)
    ap.add_argument("--split", default="dev")
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--model", default=None, help="NER model folder (default: the shipped one)")
    args = ap.parse_args(argv)
    corpus, arts = ev.load_gold(args.data, args.split)
    gold = ev.gold_spans(corpus)
    print(f"split {args.split}: {len(corpus)} articles, {len(gold)} entities")
    print(f"{'variant':<24} {'P':>6} {'R':>6} {'F1':>6}   PER    LOC    ORG")
    for name, config in VARIANTS.items():
        if args.only and name not in args.only and name != "shipped":
            continue
        if args.model:
            config = {**config, "ner": {"model_dir": args.model}}
        pred = predict(arts, config)
        p, r, f, _ = ev.prf(gold, pred)
        per_label = [ev.prf({x for x in gold if x[3] == lab}, {x for x in pred if x[3] == lab})[2]
                     for lab in ev.LABELS]  # fmt: skip
        print(f"{name:<24} {p:6.3f} {r:6.3f} {f:6.3f}  " + " ".join(f"{x:.3f}" for x in per_label))


if __name__ == "__main__":
    main()
