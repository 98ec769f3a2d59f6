"""Tests of beritanlp.batch: analyze_many results, input readers, archives, resume, stats."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from spacy.language import Language

import beritanlp
from beritanlp import batch
from beritanlp.api import DEFAULT_MAX_LENGTH
from beritanlp.batch import (
    ErrorInfo,
    FieldMap,
    Rejected,
    Result,
    analyze_many,
    annotate_file,
    archive_stats,
    arrow_schema,
    iter_input,
    read_archive,
)
from beritanlp.errors import ConfigError, InputTooLongError

BOOM = "MELEDAK"  # a record containing this word makes the test component raise


@Language.component("beritanlp_test_boom")
def _boom(doc):
    if BOOM in doc.text:
        raise RuntimeError("komponen uji meledak")
    return doc


def texts(n: int) -> list[str]:
    """Short synthetic news texts written for these tests."""
    places = ["JAKARTA", "Bandung", "Surabaya", "Medan", "Makassar"]
    return [
        f"Berita {i}\n{places[i % 5]} - Pemerintah berjanji memperbaiki jalan nomor {i}. "
        f"Warga menyambut baik rencana pembangunan itu.Dalam pertemuan, camat hadir."
        for i in range(n)
    ]


@Language.component("beritanlp_test_die")
def _die(doc):
    if "MATI" in doc.text:
        import os

        os._exit(3)  # a worker killed mid-batch (e.g. by the OOM killer)
    return doc


@pytest.fixture
def boom_pipeline(monkeypatch):
    """A separately cached pipeline (its own load() key) with a component that fails on BOOM,
    used by analyze_many in this test; the default pipeline is untouched."""
    nlp = beritanlp.load(max_length=DEFAULT_MAX_LENGTH + 7)
    if "boom" not in nlp.pipe_names:
        nlp.add_pipe("beritanlp_test_boom", name="boom", last=True)
    monkeypatch.setattr(batch, "load", lambda **_: nlp)
    return nlp


def test_batch_order_ids_and_metadata(seed_text: str) -> None:
    items = [
        "Pertama.",
        {"id": "b", "text": seed_text, "title": "Judul", "published": "2023-05-04", "url": "u"},
        b"Ketiga dari bytes.",
        {"text": "Tanpa id."},
        "",
    ]
    results = list(analyze_many(items, batch_size=2))
    assert [r.id for r in results] == [0, "b", 2, 3, 4]
    assert all(r.ok and r.error is None for r in results)
    assert results[1].article.title == "Judul" and results[1].article.url == "u"
    single = beritanlp.analyze(seed_text, title="Judul", published="2023-05-04", url="u")
    assert results[1].article == single
    data = results[1].to_dict(tokens=True)
    assert data["id"] == "b" and data["tokens"]
    assert data["schema_version"] == beritanlp.article.SCHEMA_VERSION


def test_batch_errors_are_results_in_order(boom_pipeline) -> None:
    items = [
        "Satu.",
        42,
        "x" * 300,
        Rejected("r", "InvalidJSON", "line 4 is not JSON"),
        {"id": "p", "text": "Dua.", "published": "kemarin"},
        {"id": "m"},
        f"Ini {BOOM} sekali.",
        "Tiga.",
    ]
    results = list(analyze_many(items, batch_size=3, max_length=200))
    assert [r.id for r in results] == [0, 1, 2, "r", "p", "m", 6, 7]
    assert [r.ok for r in results] == [True, False, False, False, False, False, False, True]
    kinds = [r.error.error_type for r in results if r.error]
    assert kinds == [
        "InputTypeError",
        "InputTooLongError",
        "InvalidJSON",
        "ConfigError",
        "ConfigError",
        "RuntimeError",
    ]
    assert results[6].to_dict() == {
        "id": 6,
        "error_type": "RuntimeError",
        "message": "komponen uji meledak",
    }
    # the error handler records only inside analyze_many: the pipeline itself still raises
    with pytest.raises(RuntimeError, match="meledak"):
        boom_pipeline(f"{BOOM}!")


def test_batch_pipeline_error_does_not_drop_batch_neighbours(boom_pipeline) -> None:
    items = [f"Kalimat {i}." for i in range(5)] + [BOOM] + [f"Lagi {i}." for i in range(5)]
    results = list(analyze_many(items, batch_size=4))
    assert [r.id for r in results] == list(range(11))
    assert [r.ok for r in results] == [True] * 5 + [False] + [True] * 5
    assert results[7].article.text == "Lagi 1."


def test_batch_on_error_raise(boom_pipeline) -> None:
    with pytest.raises(InputTooLongError):
        list(analyze_many(["ok", "x" * 50], max_length=10, on_error="raise"))
    with pytest.raises(RuntimeError, match="meledak"):
        list(analyze_many(["ok", BOOM], on_error="raise"))
    with pytest.raises(ConfigError, match="on_error"):
        analyze_many([], on_error="ignore")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        analyze_many([], n_process=0)


def test_batch_two_processes_match_one(boom_pipeline, seed_text: str) -> None:
    items: list[object] = [*texts(9), seed_text, 3.5, f"{BOOM} di tengah.", *texts(3)]
    one = [r.to_dict(tokens=True) for r in analyze_many(items, batch_size=2)]
    two = [r.to_dict(tokens=True) for r in analyze_many(items, n_process=2, batch_size=2)]
    assert one == two
    assert [r["id"] for r in two] == list(range(len(items)))
    assert sum("error_type" in r for r in two) == 2


def test_batch_dead_worker_raises_instead_of_hanging(monkeypatch) -> None:
    nlp = beritanlp.load(max_length=DEFAULT_MAX_LENGTH + 9)
    if "die" not in nlp.pipe_names:
        nlp.add_pipe("beritanlp_test_die", name="die", last=True)
    monkeypatch.setattr(batch, "load", lambda **_: nlp)
    with pytest.raises(batch.BatchWorkerError, match="worker process died"):
        list(analyze_many(["Satu.", "Dua.", "MATI.", "Empat."], n_process=2, batch_size=1))


def test_batch_result_types() -> None:
    result = Result("x", None, ErrorInfo("E", "m"))
    assert not result.ok and result.to_dict() == {"id": "x", "error_type": "E", "message": "m"}
    with pytest.raises(AttributeError):
        result.id = "y"  # type: ignore[misc]


def test_batch_arrow_schema_matches_article_dict() -> None:
    article = beritanlp.analyze(texts(1)[0], published="2023-05-04")
    keys = set(Result("0", article).to_dict(tokens=True))
    assert set(arrow_schema().names) == keys
    assert arrow_schema().names[0] == "id"


# -- input --------------------------------------------------------------------------------------
def write_jsonl(path: Path, records: list[object], *, gz: bool = False) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_batch_iter_input_jsonl_gz_and_errors(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "in.jsonl.gz",
        [{"id": "a", "text": "A."}, "", "{broken", "[1, 2]", {"isi": "x"}, {"text": "B."}],
        gz=True,
    )
    records = list(iter_input(path))
    assert [(r.position, r.line) for r in records] == [(0, 1), (1, 3), (2, 4), (3, 5), (4, 6)]
    assert records[0].item["id"] == "a" and records[4].item["id"] == "4"
    assert [r.item.error_type for r in records[1:4]] == [
        "InvalidJSON",
        "NotAnObject",
        "MissingField",
    ]
    assert [r.position for r in iter_input(path, skip=3)] == [3, 4]


def test_batch_iter_input_csv_and_parquet(tmp_path: Path) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {"kode": ["k1", "k2"], "isi": ["Baris satu,\ndengan koma.", "Dua."], "tgl": ["", "2024"]}
    )
    frame.to_csv(tmp_path / "in.csv", index=False)
    frame.to_parquet(tmp_path / "in.parquet")
    fields = FieldMap(id="kode", text="isi", published="tgl")
    for name in ("in.csv", "in.parquet"):
        records = list(iter_input(tmp_path / name, fields=fields))
        assert [r.item["id"] for r in records] == ["k1", "k2"]
        assert records[0].item["text"] == "Baris satu,\ndengan koma."
        assert records[0].item["published"] is None
    assert [r.line for r in iter_input(tmp_path / "in.csv", fields=fields)] == [2, 4]


# -- archives -----------------------------------------------------------------------------------
def corpus(tmp_path: Path, n: int = 30) -> Path:
    records: list[object] = [
        {"id": f"n{i}", "text": t, "published": f"2023-0{1 + i % 3}-15"}
        for i, t in enumerate(texts(n))
    ]
    records[4] = "this is not json"
    records[9] = {"id": "no-text"}
    return write_jsonl(tmp_path / "in.jsonl", records)


def test_batch_annotate_file_jsonl_and_parquet_agree(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    jsonl = annotate_file(source, tmp_path / "out", chunk_size=7)
    parquet = annotate_file(source, tmp_path / "out.parquet", chunk_size=11)
    assert (jsonl.read, jsonl.written, jsonl.failed) == (30, 28, 2)
    assert (parquet.read, parquet.written, parquet.failed) == (30, 28, 2)
    assert len(list((tmp_path / "out").glob("part-*.jsonl"))) == 5
    from_json = list(read_archive(tmp_path / "out"))
    from_parquet = list(read_archive(tmp_path / "out.parquet"))
    assert [r["id"] for r in from_json] == [f"n{i}" for i in range(30) if i not in (4, 9)]
    assert from_json == from_parquet
    import pandas as pd

    frame = pd.read_parquet(tmp_path / "out.parquet")
    assert list(frame["id"]) == [r["id"] for r in from_json]
    errors = [json.loads(x) for x in (tmp_path / "out" / "_errors.jsonl").read_text().splitlines()]
    assert [(e["id"], e["line"], e["error_type"]) for e in errors] == [
        ("4", 5, "InvalidJSON"),
        ("no-text", 10, "MissingField"),
    ]


def test_batch_resume_recovers_torn_state(tmp_path: Path) -> None:
    source = corpus(tmp_path, 20)
    out = tmp_path / "out"
    first = annotate_file(source, out, chunk_size=4, limit=8)
    assert (first.read, first.complete) == (8, False)
    # what a kill between part rename and manifest update leaves behind
    (out / "part-00002.jsonl").write_text('{"id": "torn"}\n')
    (out / ".part-00003.jsonl.tmp").write_text("half")
    with open(out / "_errors.jsonl", "a") as handle:
        handle.write('{"id": "ghost"}\n')
    with pytest.raises(ConfigError, match="--resume"):
        annotate_file(source, out, chunk_size=4)
    with pytest.raises(ConfigError, match="different input or options"):
        annotate_file(source, out, resume=True, tokens=False)
    final = annotate_file(source, out, chunk_size=3, resume=True)
    assert (final.read, final.written, final.failed, final.complete) == (20, 18, 2, True)
    ids = [r["id"] for r in read_archive(out)]
    assert ids == [f"n{i}" for i in range(20) if i not in (4, 9)]
    errors = (out / "_errors.jsonl").read_text().splitlines()
    assert len(errors) == 2 and "ghost" not in "".join(errors)
    assert not list(out.glob(".*.tmp"))


def test_batch_refuses_foreign_directory(tmp_path: Path) -> None:
    source = corpus(tmp_path, 12)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x")
    with pytest.raises(ConfigError, match="not a beritanlp archive"):
        annotate_file(source, tmp_path / "mine")


def test_batch_stats_handles_empty_and_filled_fields() -> None:
    rows = [
        {"published": "2023-05-04", "topic": None, "entities": [], "dateline": None},
        {
            "published": "2023-05-20T10:00:00+07:00",
            "topic": {"label": "politik", "score": 0.9},
            "entities": [
                {"text": "Jokowi", "label": "PER", "canonical": "Joko Widodo"},
                {"text": "Joko Widodo", "label": "PER", "canonical": "Joko Widodo"},
                {"text": "Bali", "label": "LOC", "canonical": None},
            ],
            "dateline": {"text": "Jakarta (ANTARA) -", "place": "Jakarta"},
        },
        {},
    ]
    stats = archive_stats(rows)
    assert stats["articles"] == 3
    assert stats["topics"] == {None: 2, "politik": 1}
    assert stats["months"] == {"2023-05": 2, None: 1}
    assert stats["entities"] == {"LOC": [("Bali", 1)], "PER": [("Joko Widodo", 2)]}
    assert stats["datelines"] == [("Jakarta", 1)]


def test_batch_missing_optional_dependency_message(monkeypatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # makes the import fail
    with pytest.raises(ConfigError, match=r'pip install "beritanlp\[parquet\]"'):
        batch.require("pyarrow.parquet")
