"""Tests of beritanlp.batch.published: a non-ISO ``published`` is read with the dates
component or dropped with a warning, never the record (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

from beritanlp.batch import annotate_file, read_archive
from beritanlp.batch.published import published_value
from tests.batch.helpers import errors_of, manifest_of, text


def test_batch_published_value() -> None:
    assert published_value(None) == (None, None)
    assert published_value("  ") == (None, None)
    assert published_value("2023-05-04") == ("2023-05-04", None)
    assert published_value("3 Juli 2017") == ("2017-07-03", None)
    value, warning = published_value("kapan-kapan")
    assert value is None and "published='kapan-kapan' is not a date" in warning


def test_batch_non_iso_published_is_parsed_or_nulled_with_a_warning(tmp_path: Path) -> None:
    values = [
        "3 Juli 2017",
        "10/21/2025 18:49",
        "10 Jun 2025 15:02",
        "4/5/2023",
        "Rabu, 18 Jun 2025 07:30 WIB",
        "2023-05-04",
        "kapan-kapan",
        20230504,
    ]
    lines = [
        json.dumps({"id": f"p{i}", "text": text(i), "published": v}) for i, v in enumerate(values)
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    summary = annotate_file(source, tmp_path / "out", tokens=False)
    assert (summary.written, summary.failed, summary.warnings) == (8, 0, 2)
    rows = {r["id"]: r for r in read_archive(tmp_path / "out")}
    given = [rows[f"p{i}"]["published"] for i in range(6)]
    assert given == [
        "2017-07-03",
        "2025-10-21T18:49:00",
        "2025-06-10T15:02:00",
        "2023-05-04",  # day first: 4/5 is 4 May
        "2025-06-18T07:30:00+07:00",
        "2023-05-04",
    ]
    assert all(rows[f"p{i}"]["published_source"] == "given" for i in range(6))
    assert rows["p6"]["published_source"] != "given" and rows["p7"]["published_source"] != "given"
    warnings = errors_of(tmp_path / "out", "_warnings.jsonl")
    assert [(w["id"], w["warning"]) for w in warnings] == [
        ("p6", "UnparsedPublished"),
        ("p7", "UnparsedPublished"),
    ]
    manifest = manifest_of(tmp_path / "out")
    assert manifest["counts"]["warnings"] == 2
    assert manifest["counts"]["warning_kinds"] == {"UnparsedPublished": 2}
