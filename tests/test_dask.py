"""Tests of beritanlp.dask on a small in-process distributed.LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from beritanlp.batch import analyze_many, read_archive

dask_bag = pytest.importorskip("dask.bag")
dask_dataframe = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from beritanlp import dask as bdask  # noqa: E402


def records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = [
        {
            "id": f"d{i}",
            "text": f"Surabaya - Wali kota meresmikan jembatan ke-{i}. Warga bersyukur.",
            "published": "2022-11-0" + str(1 + i % 9),
        }
        for i in range(10)
    ]
    out[3] = {"id": "d3", "text": 17}
    out[6] = {"id": "d6", "judul": "tanpa teks"}
    out.append({"text": "Tanpa id."})
    return out


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_dask_bag_matches_analyze_many(client) -> None:
    assert "stemmer" in next(iter(bdask.warm_up(client).values()))
    bag = dask_bag.from_sequence(records(), npartitions=3)
    got = bdask.annotate_bag(bag, tokens=True).compute()
    assert [r["id"] for r in got] == [f"d{i}" for i in range(10)] + ["2:2"]
    assert [r["id"] for r in got if "error_type" in r] == ["d3", "d6"]
    expected = {r.id: r.to_dict(tokens=True) for r in analyze_many(records()[:10]) if r.ok}
    for row in got:
        if row["id"] in expected:
            assert row == expected[row["id"]]


def test_dask_to_parquet_bag_and_dataframe(client, tmp_path: Path) -> None:
    import pandas as pd

    bag = dask_bag.from_sequence(records(), npartitions=2)
    counts = bdask.to_parquet(bag, tmp_path / "bag.parquet", tokens=False)
    assert counts == {"read": 11, "written": 9, "failed": 2}
    rows = list(read_archive(tmp_path / "bag.parquet"))
    assert [r["id"] for r in rows] == [f"d{i}" for i in range(10) if i not in (3, 6)] + ["1:4"]
    errors = [
        json.loads(line)
        for path in sorted((tmp_path / "bag.parquet").glob("_errors-*.jsonl"))
        for line in path.read_text().splitlines()
    ]
    assert [(e["id"], e["error_type"]) for e in errors] == [
        ("d3", "InputTypeError"),
        ("d6", "MissingField"),
    ]
    assert len(pd.read_parquet(tmp_path / "bag.parquet")) == 9

    good = [r for r in records() if isinstance(r.get("text"), str)]
    frame = pd.DataFrame(good)
    ddf = dask_dataframe.from_pandas(frame, npartitions=2)
    assert bdask.to_parquet(ddf, tmp_path / "df.parquet", tokens=False)["written"] == 9
    from_frame = list(read_archive(tmp_path / "df.parquet"))
    assert from_frame[:8] == rows[:8]
    assert from_frame[8]["text"] == "Tanpa id." and from_frame[8]["id"] == "1:3"
    annotated = bdask.annotate_dataframe(ddf).compute()
    assert list(annotated["id"])[:8] == [r["id"] for r in rows][:8]
