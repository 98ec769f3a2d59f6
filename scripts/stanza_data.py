"""Data preparation for the Indonesian Stanza models (POS, lemma, depparse).

beritanlp hands Stanza its own surface tokens (pretokenized, no MWT expansion), with clitics kept
attached ("bukunya", "dibacanya", "kaulah"). UD splits these as multi-word tokens, so every file
used for training and evaluation is rewritten with each MWT merged into ONE word:

* form = surface form of the MWT line (``3-4 bukunya``);
* UPOS/XPOS/FEATS/LEMMA/DEPREL come from the range's *main* word: the word whose head lies
  outside the range (the first one if several);
* HEAD = the (renumbered) head of the main word; any other word whose head pointed into the
  range now points to the merged word;
* ids and heads are renumbered, enhanced deps dropped (DEPS = ``_``), empty nodes dropped;
* MISC = the MWT line's MISC (e.g. ``SpaceAfter=No``) plus any other MISC items of the main word.

Every rewritten sentence is checked to be a tree (exactly one root, no cycles).

Quick self-check: ``python scripts/stanza_data.py --selftest``.
Build the splits: ``python scripts/stanza_data.py --data ../shared/data --out /tmp/stanza``
(``scripts/train_stanza.py`` calls this for you, plus the vectors export).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"

UD = {
    "csui_train": "ud/UD_Indonesian-CSUI/id_csui-ud-train.conllu",
    "csui_test": "ud/UD_Indonesian-CSUI/id_csui-ud-test.conllu",
    "gsd_dev": "ud/UD_Indonesian-GSD/id_gsd-ud-dev.conllu",
    "gsd_test": "ud/UD_Indonesian-GSD/id_gsd-ud-test.conllu",
    "pud": "ud/UD_Indonesian-PUD/id_pud-ud-test.conllu",
}

# every PUD_LEMMA_DEV_EVERY-th PUD sentence (100 of 1000) is the lemmatizer's dev set
PUD_LEMMA_DEV_EVERY = 10

Sentence = tuple[list[str], list[list[str]]]  # (comment lines, 10-column token rows)


def read_conllu(path: Path | str) -> Iterator[list[str]]:
    """Yield the raw lines (without newline) of each sentence of a CoNLL-U file."""
    block: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                    block = []
            else:
                block.append(line)
    if block:
        yield block


def check_tree(heads: list[int]) -> None:
    """Raise ValueError unless ``heads`` (1-based heads of words 1..n, 0 = root) form a tree."""
    n = len(heads)
    roots = [i for i, h in enumerate(heads, 1) if h == 0]
    if len(roots) != 1:
        raise ValueError(f"expected exactly one root, got {len(roots)}")
    for i, h in enumerate(heads, 1):
        if not 0 <= h <= n or h == i:
            raise ValueError(f"bad head {h} for word {i}")
    for start in range(1, n + 1):
        seen = set()
        node = start
        while node != 0:
            if node in seen:
                raise ValueError(f"cycle through word {node}")
            seen.add(node)
            node = heads[node - 1]


def _merge_misc(mwt_misc: str, word_misc: str) -> str:
    items = [m for m in mwt_misc.split("|") if m and m != "_"]
    for m in word_misc.split("|"):
        if m and m != "_" and m not in items:
            items.append(m)
    return "|".join(items) if items else "_"


def merge_mwt(lines: list[str]) -> tuple[list[str], int]:
    """Merge the multi-word tokens of one sentence (lines of CoNLL-U).

    Returns the new lines (comments first, unchanged) and the number of MWTs merged.
    """
    comments = [line for line in lines if line.startswith("#")]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    words: dict[int, list[str]] = {}
    ranges: list[tuple[int, int, list[str]]] = []
    for row in rows:
        if len(row) != 10:
            raise ValueError(f"not 10 columns: {row}")
        if "-" in row[0]:
            start, end = (int(x) for x in row[0].split("-"))
            ranges.append((start, end, row))
        elif "." in row[0]:
            continue  # empty node (enhanced UD only)
        else:
            words[int(row[0])] = row
    n_old = len(words)
    if sorted(words) != list(range(1, n_old + 1)):
        raise ValueError("word ids are not 1..n")
    range_of = {}  # old word id -> (start, end, mwt row)
    for start, end, row in ranges:
        for i in range(start, end + 1):
            range_of[i] = (start, end, row)

    # new units: either a plain word or a merged range; map old id -> new id
    old2new: dict[int, int] = {0: 0}
    units: list[tuple[list[str], int]] = []  # (row template, old id of the main word)
    i = 1
    while i <= n_old:
        if i in range_of:
            start, end, mwt_row = range_of[i]
            inside = range(start, end + 1)
            mains = [j for j in inside if int(words[j][6]) not in inside]
            main = mains[0] if mains else start
            merged = list(words[main])
            merged[1] = mwt_row[1]
            merged[9] = _merge_misc(mwt_row[9], words[main][9])
            units.append((merged, main))
            for j in inside:
                old2new[j] = len(units)
            i = end + 1
        else:
            units.append((list(words[i]), i))
            old2new[i] = len(units)
            i += 1

    out_rows = []
    for new_id, (row, main) in enumerate(units, 1):
        row[0] = str(new_id)
        row[6] = str(old2new[int(words[main][6])])
        row[8] = "_"
        out_rows.append(row)
    check_tree([int(r[6]) for r in out_rows])
    return comments + ["\t".join(r) for r in out_rows], len(ranges)


def merge_file(src: Path | str) -> tuple[list[list[str]], int]:
    """Merged sentences of a CoNLL-U file and the number of MWTs merged."""
    sentences, n_mwt = [], 0
    for block in read_conllu(src):
        merged, n = merge_mwt(block)
        sentences.append(merged)
        n_mwt += n
    return sentences, n_mwt


def write_sentences(sentences: Iterable[list[str]], dest: Path) -> int:
    dest.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with dest.open("w", encoding="utf-8") as sink:
        for sent in sentences:
            sink.write("\n".join(sent) + "\n\n")
            n += 1
    return n


def blank_columns(sentences: list[list[str]], columns: tuple[int, ...]) -> list[list[str]]:
    """Copies of ``sentences`` with the given 0-based CoNLL-U columns set to ``_``."""
    out = []
    for sent in sentences:
        new = []
        for line in sent:
            if not line.startswith("#"):
                row = line.split("\t")
                for c in columns:
                    row[c] = "_"
                line = "\t".join(row)
            new.append(line)
        out.append(new)
    return out


def build_splits(data: Path, out: Path) -> dict:
    """Write the merged training/dev/test files under ``out``; returns a summary dict.

    GSD's XPOS tagset (MorphInd-like ``NSD``, ``VSA``) differs from CSUI's (PTB-like ``NN``,
    ``VB``) and PUD has none, so XPOS is blanked in GSD: the tagger (which masks columns that
    are absent from a training file) learns XPOS from CSUI train only.

    * ``tag_train_{csui,gsd,pud}.conllu``: tagger training files (given ``;``-separated)
    * ``tag_dev.conllu`` = GSD test, XPOS+FEATS blanked: tagger checkpoint selection on UPOS
    * ``dep_train.conllu`` = CSUI train + GSD dev + PUD (one file, GSD XPOS blanked)
    * ``dep_dev.conllu`` = GSD test, XPOS blanked (parser checkpoint selection)
    * ``lemma_train.conllu`` = CSUI train + PUD minus every 10th sentence
    * ``lemma_dev.conllu`` = every 10th PUD sentence (100)
    * ``csui_test.conllu`` = CSUI test (held out, evaluation only)
    """
    merged, summary = {}, {"mwt_merged": {}, "sentences": {}}
    for key, rel in UD.items():
        sents, n_mwt = merge_file(data / rel)
        merged[key] = sents
        summary["mwt_merged"][Path(rel).name] = n_mwt
    pud = merged["pud"]
    pud_dev = [s for i, s in enumerate(pud) if i % PUD_LEMMA_DEV_EVERY == 0]
    pud_rest = [s for i, s in enumerate(pud) if i % PUD_LEMMA_DEV_EVERY != 0]
    gsd_dev = blank_columns(merged["gsd_dev"], (4,))
    files = {
        "tag_train_csui.conllu": merged["csui_train"],
        "tag_train_gsd.conllu": gsd_dev,
        "tag_train_pud.conllu": pud,
        "tag_dev.conllu": blank_columns(merged["gsd_test"], (4, 5)),
        "dep_train.conllu": merged["csui_train"] + gsd_dev + pud,
        "dep_dev.conllu": blank_columns(merged["gsd_test"], (4,)),
        "lemma_train.conllu": merged["csui_train"] + pud_rest,
        "lemma_dev.conllu": pud_dev,
        "csui_test.conllu": merged["csui_test"],
    }
    for name, sents in files.items():
        summary["sentences"][name] = write_sentences(sents, out / name)
    (out / "splits.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def conllu_forms(path: Path | str) -> Iterator[str]:
    for block in read_conllu(path):
        for line in block:
            if not line.startswith("#"):
                yield line.split("\t", 2)[1]


TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")


def news_counts(articles: Path) -> Counter:
    """Lower-cased word-type counts of the "text" field of a news JSONL file (regex tokens)."""
    counts: Counter = Counter()
    with articles.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            counts.update(TOKEN_RE.findall(text.lower()))
    return counts


def export_vectors(
    data: Path,
    train_files: list[Path],
    dest: Path,
    model: Path = ROOT / "models" / "ner-id",
    n_news: int = 50_000,
) -> int:
    """Write word2vec text vectors (floret, from the NER pipeline) for the ``n_news`` most
    frequent lower-cased news word types plus all (lower-cased) forms of ``train_files``.
    Returns the number of words written."""
    import numpy as np
    import spacy

    counts = news_counts(data / "news" / "articles.jsonl")
    words = [w for w, _ in counts.most_common(n_news)]
    seen = set(words)
    for path in train_files:
        for form in conllu_forms(path):
            w = form.lower()
            if w not in seen and " " not in w:
                seen.add(w)
                words.append(w)
    words = [w for w in words if w and not any(c.isspace() for c in w)]
    nlp = spacy.load(model)
    dim = nlp.vocab.vectors.shape[1]
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", encoding="utf-8") as sink:
        sink.write(f"{len(words)} {dim}\n")
        for w in words:
            vec = np.asarray(nlp.vocab.get_vector(w), dtype=np.float32)
            sink.write(w + " " + " ".join(f"{x:.5f}" for x in vec) + "\n")
    return len(words)


def make_pretrain(vectors: Path, dest: Path, max_vocab: int = -1) -> int:
    """Convert word2vec text vectors into a Stanza pretrain .pt file; returns vocab size."""
    from stanza.models.common.pretrain import Pretrain

    if dest.exists():
        dest.unlink()
    pretrain = Pretrain(str(dest), str(vectors), max_vocab=max_vocab)
    pretrain.load()  # reads the text file and saves ``dest``
    return len(pretrain.vocab)


def ship_vectors(vectors: Path, train_files: list[Path], dest: Path, n_news: int) -> int:
    """Smaller word2vec file for shipping: the first ``n_news`` rows of ``vectors`` (news words by
    frequency, as written by :func:`export_vectors`) plus every training word form.

    A Stanza model does not store the pretrained embedding: it reads vocabulary and vectors
    together from the pretrain file at load time, so a model trained with the full file runs
    unchanged with this subset (dropped words fall back to the pretrain's UNK row)."""
    forms = {f.lower() for path in train_files for f in conllu_forms(path)}
    with vectors.open(encoding="utf-8") as handle:
        dim = handle.readline().split()[1]
        rows = [
            line for i, line in enumerate(handle) if i < n_news or line.split(" ", 1)[0] in forms
        ]
    with dest.open("w", encoding="utf-8") as sink:
        sink.write(f"{len(rows)} {dim}\n")
        sink.writelines(rows)
    return len(rows)


def _selftest() -> None:
    sent = [
        "# text = Bukunya dibaca kaulah .",
        "1-2\tBukunya\t_\t_\t_\t_\t_\t_\t_\t_",
        "1\tBuku\tbuku\tNOUN\t_\t_\t3\tnsubj\t3:nsubj\t_",
        "2\tnya\tia\tPRON\t_\t_\t1\tnmod:poss\t_\t_",
        "3\tdibaca\tbaca\tVERB\t_\tVoice=Pass\t0\troot\t_\t_",
        "4-5\tkaulah\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No",
        "4\tkau\tkau\tPRON\t_\t_\t3\tnsubj\t_\t_",
        "5\tlah\tlah\tPART\t_\t_\t4\tadvmod:emph\t_\tFoo=1",
        "6\t.\t.\tPUNCT\t_\t_\t5\tpunct\t_\t_",
    ]
    out, n = merge_mwt(sent)
    assert n == 2, n
    rows = [line.split("\t") for line in out[1:]]
    assert [r[1] for r in rows] == ["Bukunya", "dibaca", "kaulah", "."], rows
    assert [r[6] for r in rows] == ["2", "0", "2", "3"], rows  # "." -> lah -> merged kaulah
    assert rows[0][2:4] == ["buku", "NOUN"] and rows[0][8] == "_"
    assert rows[2][9] == "SpaceAfter=No", rows[2]
    for bad in ([0, 0], [2, 1], [0, 3]):
        try:
            check_tree(bad)
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad}")
    print("selftest ok:", " ".join(r[1] for r in rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("/tmp/stanza"))
    parser.add_argument("--selftest", action="store_true")
    args = parser.parse_args(argv)
    _selftest()
    if args.selftest:
        return
    t0 = time.time()
    summary = build_splits(args.data, args.out)
    print(json.dumps(summary, indent=2))
    print(f"splits written to {args.out} in {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
