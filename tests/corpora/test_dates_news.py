"""The real-news date and dateline gold (corpora/dates-news/): ids, offsets and hashes only, and
every offset still points into the article it was made on (skips without ../shared/data)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dates-news"
KINDS = {
    "date", "datetime", "time", "month", "year", "decade", "week", "relative", "interval",
    "holiday", "hijri", "season", "day_of_month", "set",
}  # fmt: skip


def _rows(name: str) -> list[dict]:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} not written yet")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _texts(shared_data: Path, ids: set[str]) -> dict[str, str]:
    out = {}
    with open(shared_data / "news" / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in ids:
                out[row["id"]] = row["text"]
    return out


def test_sample_is_stratified_and_split() -> None:
    lines = (CORPUS / "sample.tsv").read_text(encoding="utf-8").splitlines()[1:]
    rows = [line.split("\t") for line in lines]
    assert len(rows) >= 150
    assert {r[3] for r in rows} == {"test", "dev"}
    assert sum(r[4] == "yes" for r in rows) >= 30
    assert len({r[1] for r in rows}) == 15  # every outlet


@pytest.mark.parametrize("name", ["annotations.jsonl", "second_pass.jsonl", "datelines.jsonl"])
def test_gold_holds_no_text_and_its_offsets_fit(name: str, shared_data: Path) -> None:
    rows = _rows(name)
    texts = _texts(shared_data, {r["id"] for r in rows})
    for row in rows:
        text = texts[row["id"]]
        assert hashlib.sha1(text.encode("utf-8")).hexdigest() == row["sha1"], row["id"]
        assert set(row) <= {"id", "sha1", "length", "anchor", "spans", "dateline", "place",
                            "source"}  # fmt: skip
        for start, end, kind, _value in row.get("spans", []):
            assert 0 <= start < end <= len(text) and kind in KINDS
        if row.get("dateline"):
            start, end = row["dateline"]
            for key in ("place", "source"):
                if row.get(key):
                    assert start <= row[key][0] < row[key][1] <= end
