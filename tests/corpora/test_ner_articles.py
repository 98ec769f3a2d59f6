"""The article NER corpus (corpora/ner-articles): every stored offset checked against the text.

The corpus holds ids, text length and SHA-1, and [start, end, label] only; the texts come from
../shared/data/news/articles.jsonl, so the offset checks skip when that folder is absent.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "ner-articles"
LABELS = {"PER", "LOC", "ORG"}
STORED = (
    "annotations.jsonl",
    "second_pass.jsonl",
    "agreement_first.jsonl",
    "test_before_review.jsonl",
)


def _records(name: str) -> list[dict]:
    return [json.loads(line) for line in (CORPUS / name).read_text(encoding="utf-8").splitlines()]


def _sample() -> list[dict]:
    lines = (CORPUS / "sample.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def test_no_article_text_is_stored() -> None:
    for name in STORED:
        for rec in _records(name):
            assert set(rec) == {"id", "split", "chars", "sha1", "entities"}
            for ent in rec["entities"]:
                assert len(ent) == 3 and isinstance(ent[0], int) and isinstance(ent[1], int)
                assert ent[2] in LABELS


def test_sample_and_splits() -> None:
    sample = _sample()
    recs = {r["id"]: r for r in _records("annotations.jsonl")}
    assert len(sample) >= 400 and set(recs) == {r["id"] for r in sample}
    assert len({r["id"] for r in sample}) == len(sample)  # the rounds are disjoint
    splits = Counter(r["split"] for r in recs.values())
    assert splits["test"] >= 100 and splits["dev"] > 0 and splits["train"] > 0
    for row in sample:
        assert recs[row["id"]]["split"] == row["split"]
    doubles = {r["id"] for r in sample if r["double"] == "1"}
    assert len(doubles) >= 40
    assert {r["id"] for r in _records("second_pass.jsonl")} == doubles
    assert all(recs[i]["split"] == "test" for i in doubles)
    assert all(r["split"] != "test" for r in sample if r["round"] == "2")
    # every outlet is in the test part
    assert {r["outlet"] for r in sample} == {r["outlet"] for r in sample if r["split"] == "test"}


def test_spans_sorted_disjoint() -> None:
    for name in STORED:
        for rec in _records(name):
            last = 0
            for start, end, _label in rec["entities"]:
                assert last <= start < end <= rec["chars"]
                last = end


def test_offsets_match_the_texts(shared_data: Path) -> None:
    wanted = {r["id"]: r for r in _records("annotations.jsonl")}
    others = _records("second_pass.jsonl") + _records("agreement_first.jsonl")
    texts: dict[str, str] = {}
    with open(shared_data / "news" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            if art["id"] in wanted:
                texts[art["id"]] = art["text"]
    assert set(texts) == set(wanted)
    for rec in [*wanted.values(), *others]:
        text = texts[rec["id"]]
        assert len(text) == rec["chars"]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == rec["sha1"]
        for start, end, _label in rec["entities"]:
            span = text[start:end]
            assert span and span == span.strip(), (rec["id"], start, end, span)
            assert span[0].isalnum() or span[0] in "@([", (rec["id"], span)
