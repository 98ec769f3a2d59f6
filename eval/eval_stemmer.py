"""Evaluate the beritanlp stemmer against plain PySastrawi.

Usage (from the repository root)::

    python eval/eval_stemmer.py [--data DIR] [--articles N] [--repeat R] [--show N]

Reports, ours vs plain PySastrawi in the same run:

1. the pass rate on the Sastrawi integration pairs (``stem/sastrawi_tests.tsv``, rows with
   ``test_kind`` = integration and ``status`` = active: the upstream tests that use the full
   kata-dasar dictionary; must be 100 %);
2. agreement with the UD Indonesian lemmas (``stem/ud_indonesian_form_lemma_pairs.tsv``) per
   treebank (GSD = dev+test, CSUI = train+test, PUD) and overall. A form *type* agrees when the
   stem equals one of the lemmas that treebank gives the form; *tokens* weighs each type by its
   count. Lemma conventions differ (PUD strips affixes by hand; CSUI and GSD keep many derived
   forms such as ``pengkajian`` or ``berhasil`` as lemmas), so no stemmer reaches 100 %: read the
   difference between the two systems, not the level;
3. the 60 colloquial forms of Putra et al. (2018) (``stem/putra2018_nonstandard_60.tsv``),
   informative only: neither system handles colloquial morphology (``nerjang`` → ``terjang``);
4. speed: words/s on the UD form types, cold (empty caches) and warm (second pass), and the
   component's tokens/s on news articles (``news/articles.jsonl``) with the news tokenizer.

The data is read from ``../shared/data`` (relative to the repository root) or ``--data``; it is
never copied into the repository. Exits 0 on success, 1 on an error (e.g. missing data).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
TREEBANK_GROUPS = ("GSD", "CSUI", "PUD")

Stem = Callable[[str], str]


@dataclass
class Agreement:
    types: int = 0
    types_ok: int = 0
    tokens: int = 0
    tokens_ok: int = 0

    def add(self, stemmed: str, lemmas: dict[str, int]) -> None:
        """One form type whose occurrences carry ``lemmas`` (lemma -> count)."""
        self.types += 1
        self.types_ok += stemmed in lemmas
        self.tokens += sum(lemmas.values())
        self.tokens_ok += lemmas.get(stemmed, 0)


@dataclass
class UdForm:
    lemmas: dict[str, dict[str, int]] = field(default_factory=dict)  # group -> lemma -> count


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_ud(path: Path) -> dict[str, UdForm]:
    forms: dict[str, UdForm] = defaultdict(UdForm)
    for row in read_tsv(path):
        for item in row["treebanks"].split(","):
            split, _, count = item.partition(":")
            group = split.split("-")[0]
            per_group = forms[row["form"]].lemmas.setdefault(group, {})
            per_group[row["lemma"]] = per_group.get(row["lemma"], 0) + int(count or 1)
    return forms


def ud_agreement(forms: dict[str, UdForm], stem: Stem) -> dict[str, Agreement]:
    result = {group: Agreement() for group in (*TREEBANK_GROUPS, "all")}
    for form, ud in forms.items():
        stemmed = stem(form)
        every: dict[str, int] = defaultdict(int)
        for group, lemmas in ud.lemmas.items():
            result.setdefault(group, Agreement()).add(stemmed, lemmas)
            for lemma, count in lemmas.items():
                every[lemma] += count
        result["all"].add(stemmed, every)
    return result


def pct(ok: int, total: int) -> str:
    return f"{100.0 * ok / total:6.2f}%" if total else "    n/a"


def words_per_second(
    make: Callable[[], Stem], words: list[str], repeat: int
) -> tuple[float, float]:
    """(cold, warm) words/s, best of ``repeat``: cold = a fresh stemmer, warm = a second pass."""
    cold = warm = 0.0
    for _ in range(repeat):
        stem = make()
        start = time.perf_counter()
        for word in words:
            stem(word)
        cold = max(cold, len(words) / (time.perf_counter() - start))
        start = time.perf_counter()
        for word in words:
            stem(word)
        warm = max(warm, len(words) / (time.perf_counter() - start))
    return cold, warm


def read_articles(path: Path, limit: int) -> list[str]:
    texts: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(texts) >= limit:
                break
            record = json.loads(line)
            texts.append("\n".join(part for part in (record.get("title"), record["text"]) if part))
    return texts


def component_speed(texts: list[str], repeat: int) -> tuple[int, float, float, float]:
    """(tokens, tokenizer tok/s, stemmer alone tok/s cold, stemmer alone tok/s warm)."""
    from beritanlp.components.stemmer import Stemmer
    from beritanlp.lang import blank

    nlp = blank()
    start = time.perf_counter()
    docs = [nlp.make_doc(text) for text in texts]
    tokenizer = time.perf_counter() - start
    tokens = sum(len(doc) for doc in docs)
    cold = warm = 0.0
    for _ in range(repeat):
        stemmer = Stemmer(nlp)
        stemmer(nlp.make_doc("pemanasan"))  # loads the dictionary outside the timing
        rates = []
        for _pass in ("cold", "warm"):
            start = time.perf_counter()
            for doc in docs:
                stemmer(doc)
            rates.append(tokens / (time.perf_counter() - start))
        cold, warm = max(cold, rates[0]), max(warm, rates[1])
    return tokens, tokens / tokenizer, cold, warm


def show_differences(title: str, items: Iterable[tuple[str, str, str, str]], limit: int) -> None:
    items = list(items)
    if not items or not limit:
        return
    print(f"\n{title} ({len(items)}; first {min(limit, len(items))}): form  ours  plain  gold")
    for form, ours, plain, gold in items[:limit]:
        print(f"  {form:24} {ours:16} {plain:16} {gold}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data folder")
    parser.add_argument("--articles", type=int, default=300, help="news articles for tokens/s")
    parser.add_argument("--repeat", type=int, default=3, help="speed runs (best is reported)")
    parser.add_argument("--show", type=int, default=0, help="print N UD wins/losses")
    args = parser.parse_args(argv)

    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

        from beritanlp.components.stemmer import Stemmer

        stem_dir = args.data / "stem"
        tests = read_tsv(stem_dir / "sastrawi_tests.tsv")
        ud = read_ud(stem_dir / "ud_indonesian_form_lemma_pairs.tsv")
        putra = read_tsv(stem_dir / "putra2018_nonstandard_60.tsv")
        articles = read_articles(args.data / "news" / "articles.jsonl", args.articles)
    except (OSError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    start = time.perf_counter()
    ours_stemmer = Stemmer()
    ours: Stem = ours_stemmer.stem_word
    ours("pemanasan")
    ours_load = time.perf_counter() - start
    start = time.perf_counter()
    plain_stemmer = StemmerFactory().create_stemmer()
    plain: Stem = plain_stemmer.stem
    plain("pemanasan")
    plain_load = time.perf_counter() - start

    rows = [r for r in tests if r["test_kind"] == "integration" and r["status"] == "active"]
    pairs = sorted({(r["word"], r["expected_stem"]) for r in rows})
    ours_pass = sum(ours(word) == gold for word, gold in pairs)
    plain_pass = sum(plain(word) == gold for word, gold in pairs)
    ours_fail = [(w, ours(w), plain(w), g) for w, g in pairs if ours(w) != g]

    ud_ours = ud_agreement(ud, ours)
    ud_plain = ud_agreement(ud, plain)
    putra_ours = sum(ours(r["word"]) == r["gold_stem"] for r in putra)
    putra_plain = sum(plain(r["word"]) == r["gold_stem"] for r in putra)

    words = list(ud)
    ours_speed = words_per_second(lambda: Stemmer().stem_word, words, args.repeat)
    plain_speed = words_per_second(
        lambda: StemmerFactory().create_stemmer().stem, words, args.repeat
    )
    tokens, tokenizer_rate, comp_cold, comp_warm = component_speed(articles, args.repeat)

    def row(label: str, ours_value: str, plain_value: str = "-") -> None:
        print(f"{label:56} {ours_value:>12} {plain_value:>12}")

    print("beritanlp stemmer vs plain PySastrawi")
    row("measure", "ours", "PySastrawi")
    print("-" * 82)
    row(
        f"(1) Sastrawi integration pairs, active ({len(pairs)} unique)",
        pct(ours_pass, len(pairs)),
        pct(plain_pass, len(pairs)),
    )
    for group in (*TREEBANK_GROUPS, "all"):
        o, p = ud_ours[group], ud_plain[group]
        name = "all treebanks" if group == "all" else group
        row(
            f"(2) UD lemma agreement, {name}, types (n={o.types:,})",
            pct(o.types_ok, o.types),
            pct(p.types_ok, p.types),
        )
        row(
            f"    UD lemma agreement, {name}, tokens (n={o.tokens:,})",
            pct(o.tokens_ok, o.tokens),
            pct(p.tokens_ok, p.tokens),
        )
    row(
        f"(3) Putra 2018 colloquial forms (n={len(putra)})",
        pct(putra_ours, len(putra)),
        pct(putra_plain, len(putra)),
    )
    row("(4) dictionary load + first word, ms", f"{ours_load * 1e3:.1f}", f"{plain_load * 1e3:.1f}")
    row(
        f"    words/s on UD form types (n={len(words):,}), cold cache",
        f"{ours_speed[0]:,.0f}",
        f"{plain_speed[0]:,.0f}",
    )
    row(
        "    words/s on UD form types, warm cache",
        f"{ours_speed[1]:,.0f}",
        f"{plain_speed[1]:,.0f}",
    )
    row(
        f"    component tokens/s, {len(articles)} articles ({tokens:,} tokens), cold",
        f"{comp_cold:,.0f}",
    )
    row("    component tokens/s, same articles, warm cache", f"{comp_warm:,.0f}")
    row("    news tokenizer alone (for scale), tokens/s", f"{tokenizer_rate:,.0f}")

    show_differences("Integration pairs failed by ours", ours_fail, len(ours_fail))
    if args.show:
        wins, losses = [], []
        for form, data in ud.items():
            gold = {lemma for lemmas in data.lemmas.values() for lemma in lemmas}
            o, p = ours(form), plain(form)
            if (o in gold) != (p in gold):
                (wins if o in gold else losses).append((form, o, p, "/".join(sorted(gold))))
        show_differences("UD types ours gets right, PySastrawi wrong", wins, args.show)
        show_differences("UD types ours gets wrong, PySastrawi right", losses, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
