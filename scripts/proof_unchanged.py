"""Proof that a change left the output alone: run two versions of the pipeline on the same
500 news articles and compare their JSON outputs field by field.

    python scripts/proof_unchanged.py --data ../shared/data --before 9388e44 [--after WORKTREE]

``--before``/``--after`` are git refs, or ``WORKTREE`` for the checked-out sources (``src/``).
A ref is installed once into ``/tmp/beritanlp-proof/<sha>`` (``git worktree`` + ``pip install
--no-deps --target``); each version runs in its own Python process, so nothing of one leaks
into the other. The outputs are kept in ``/tmp/beritanlp-proof/out-<version>-<sample>.jsonl``
(a git ref's are reused).

The articles: ``--n`` (500) drawn at random (``--seed`` 15) from ``news/articles.jsonl``, whole,
with their title, publication date and URL. Each output is ``Article.to_dict(tokens=True)``,
and also ``Article.from_dict(d) == article`` where the version has ``from_dict``.

``--ignore FIELD`` (repeatable, a dotted path such as ``schema_version``) leaves out what a
change alters on purpose. The report lists, per top-level field, how many articles differ, and
shows the first differences. Exit status 1 when anything else differs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/beritanlp-proof")

_RUNNER = r"""
import json, sys
import beritanlp
from beritanlp.article import Article
check = hasattr(Article, "from_dict")
bad = 0
for line in sys.stdin:
    item = json.loads(line)
    art = beritanlp.analyze(item["text"], title=item.get("title"),
                            published=item.get("published"), url=item.get("url"))
    data = art.to_dict(tokens=True)
    if check:
        back = Article.from_dict(json.loads(json.dumps(data)))
        data["_round_trip"] = back == art
    print(json.dumps({"id": item["id"], "out": data}, ensure_ascii=False))
"""


def _sha(ref: str) -> str:
    out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", ref], check=True,
                         capture_output=True, text=True)  # fmt: skip
    return out.stdout.strip()


def install(ref: str) -> Path:
    """The ``PYTHONPATH`` entry for ``ref`` (``WORKTREE``: the checked-out ``src``)."""
    if ref == "WORKTREE":
        return ROOT / "src"
    sha = _sha(ref)
    target = WORK / sha
    if (target / "beritanlp").is_dir():
        return target
    tree = WORK / f"tree-{sha}"
    if not tree.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), sha],
                       check=True, capture_output=True)  # fmt: skip
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(tree)], check=True, capture_output=True)  # fmt: skip
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                   check=False, capture_output=True)  # fmt: skip
    return target


def sample(data: Path, n: int, seed: int) -> list[dict[str, Any]]:
    with open(data / "news" / "articles.jsonl", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = random.Random(seed).sample(rows, min(n, len(rows)))
    keys = ("id", "text", "title", "published", "url")
    return [{k: row.get(k) for k in keys} for row in rows]


def _parse(lines: str) -> dict[str, dict[str, Any]]:
    out = {}
    for line in lines.splitlines():
        rec = json.loads(line)
        out[rec["id"]] = rec["out"]
    return out


def run(ref: str, items: list[dict[str, Any]], tag: str) -> dict[str, dict[str, Any]]:
    """The outputs of ``ref`` on ``items``; a git ref's outputs are kept and reused (``tag``
    names the sample)."""
    name = "worktree" if ref == "WORKTREE" else _sha(ref)
    kept = WORK / f"out-{name}-{tag}.jsonl"
    if ref != "WORKTREE" and kept.is_file():
        return _parse(kept.read_text(encoding="utf-8"))
    path = install(ref)
    env = {**os.environ, "PYTHONPATH": str(path), "OMP_NUM_THREADS": "1"}
    payload = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    proc = subprocess.run([sys.executable, "-c", _RUNNER], input=payload, text=True,
                          capture_output=True, env=env, cwd="/tmp")  # fmt: skip
    if proc.returncode:
        raise SystemExit(f"{ref}: the run failed:\n{proc.stderr[-3000:]}")
    WORK.mkdir(parents=True, exist_ok=True)
    kept.write_text(proc.stdout, encoding="utf-8")
    return _parse(proc.stdout)


def _drop(data: dict[str, Any], path: str) -> None:
    """Remove a dotted ``path`` from ``data``, descending into lists."""
    head, _, rest = path.partition(".")
    if head not in data:
        return
    if not rest:
        del data[head]
        return
    value = data[head]
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, dict):
            _drop(item, rest)


def compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], ignore: list[str]
) -> int:
    differing: Counter[str] = Counter()
    shown = 0
    round_trip_failures = [aid for aid, d in after.items() if d.get("_round_trip") is False]
    round_trips = sum("_round_trip" in d for d in after.values())
    for aid in sorted(before):
        a, b = before[aid], after.get(aid)
        if b is None:
            differing["<missing>"] += 1
            continue
        for data in (a, b):
            data.pop("_round_trip", None)
            for path in ignore:
                _drop(data, path)
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key) or (key in a) != (key in b):
                differing[key] += 1
                if shown < 5:
                    shown += 1
                    print(f"  {aid} {key}:\n    before {str(a.get(key))[:300]}\n"
                          f"    after  {str(b.get(key))[:300]}")  # fmt: skip
    print(f"articles compared: {len(before)}")
    print(f"ignored on purpose: {', '.join(ignore) or '(nothing)'}")
    if differing:
        print("| field | articles differing |\n|---|---|")
        for key, count in differing.most_common():
            print(f"| {key} | {count} |")
    else:
        print("identical outputs (after the ignored fields)")
    if round_trips:
        print(f"Article.from_dict(a.to_dict(tokens=True)) == a: "
              f"{round_trips - len(round_trip_failures)}/{round_trips}")  # fmt: skip
    return 1 if differing or round_trip_failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default="WORKTREE")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--ignore", action="append", default=[])
    args = parser.parse_args(argv)
    items = sample(args.data, args.n, args.seed)
    tag = f"n{args.n}-s{args.seed}"
    before = run(args.before, items, tag)
    after = run(args.after, items, tag)
    return compare(before, after, args.ignore)


if __name__ == "__main__":
    sys.exit(main())
