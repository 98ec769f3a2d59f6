"""How many entities and keywords contain a glued word, before and after issue 13.

    python eval/glued_words_study.py --data ../shared/data [--n 300] [--baseline-ref a3759e2]

300 articles drawn at random (seed 13) from ``news/articles.jsonl``; each is analysed by the
current pipeline and by the pipeline of ``--baseline-ref`` (installed once, as in
``eval/eval_ner_articles.py``). An entity or keyword *contains a glued word* when one of its
whitespace-separated words splits (``beritanlp.glued.split_points``, with the article's own
capitalised words as evidence) into pieces of which at least one is an ordinary lower-case word
or a role word: ``dariCarscoops``, ``kepadaAFPbahwa``, ``MendikbudristekNadiem``. A name written
in camel case on purpose (``PrabowoSubianto`` split into two name pieces) does not count.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))

import eval_ner_articles as ev  # noqa: E402

_RUNNER = r"""
import json, sys
import beritanlp
for line in sys.stdin:
    item = json.loads(line)
    art = beritanlp.analyze(item["text"], title=item.get("title"), published=item.get("published"))
    print(json.dumps({"id": item["id"], "ents": [e.text for e in art.entities],
                      "kw": [k.text for k in art.keywords]}), flush=True)
"""


def glued(term: str, doc_words: frozenset[str]) -> bool:
    from beritanlp.glued import _is_word, _role_words, split_points

    for word in term.split():
        word = word.strip(".,;:()\"'")
        points = split_points(word, doc_words)
        if not points:
            continue
        pieces = [word[a:b] for a, b in zip([0, *points], [*points, len(word)], strict=True)]
        if any((p.islower() and _is_word(p)) or p.lower() in _role_words() for p in pieces):
            return True
    return False


def run(items: list[dict], env_path: Path | None) -> dict[str, dict]:
    env = dict(os.environ)
    if env_path is not None:
        env["PYTHONPATH"] = str(env_path)
    payload = "".join(json.dumps(i) + "\n" for i in items)
    proc = subprocess.run([sys.executable, "-c", _RUNNER], input=payload, text=True,
                          capture_output=True, env=env, cwd="/tmp")  # fmt: skip
    if proc.returncode:
        raise SystemExit(proc.stderr[-3000:])
    return {r["id"]: r for r in map(json.loads, proc.stdout.splitlines())}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--baseline-ref", default=ev.BASELINE_REF)
    args = ap.parse_args(argv)
    arts = [
        json.loads(line) for line in open(args.data / "news" / "articles.jsonl", encoding="utf-8")
    ]
    sample = random.Random(13).sample(arts, args.n)
    items = [{"id": a["id"], "text": a["text"], "title": a.get("title"),
              "published": a.get("published")} for a in sample]  # fmt: skip
    words = {a["id"]: frozenset(re.findall(r"\b[A-Z][a-z]{2,}\b", a["text"])) for a in sample}
    results = {"before": run(items, ev.ensure_baseline(args.baseline_ref)),
               "after": run(items, None)}  # fmt: skip
    print(f"{args.n} random articles (seed 13)")
    print(
        f"{'':8} {'entities':>9} {'glued':>6} {'share':>7}   "
        f"{'keywords':>9} {'glued':>6} {'share':>7}"
    )
    examples: dict[str, list[str]] = {}
    for name, res in results.items():
        n_e = g_e = n_k = g_k = 0
        for aid, r in res.items():
            for e in r["ents"]:
                n_e += 1
                if glued(e, words[aid]):
                    g_e += 1
                    examples.setdefault(name, []).append(e)
            for k in r["kw"]:
                n_k += 1
                g_k += glued(k, words[aid])
        print(
            f"{name:8} {n_e:9d} {g_e:6d} {g_e / max(n_e, 1):7.2%}   "
            f"{n_k:9d} {g_k:6d} {g_k / max(n_k, 1):7.2%}"
        )
    for name, ex in examples.items():
        print(f"examples {name}: " + "; ".join(ex[:12]))


if __name__ == "__main__":
    main()
