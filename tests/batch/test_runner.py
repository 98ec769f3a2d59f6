"""Tests of beritanlp.batch.runner: analyze_many's results, order, errors and time budget."""

from __future__ import annotations

import pytest

import beritanlp
from beritanlp.batch import RecordTimeoutError, Rejected, analyze_many
from beritanlp.errors import ConfigError, InputTooLongError
from tests.batch.conftest import BOOM, SLOW
from tests.batch.helpers import texts


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


def test_batch_is_the_public_analyze_many() -> None:
    assert beritanlp.analyze_many is analyze_many


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
    # analyze_many catches errors per record without touching the pipeline: it still raises
    with pytest.raises(RuntimeError, match="meledak"):
        boom_pipeline(f"{BOOM}!")


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


# -- an input that raises is not the end of the input -----------------------------------------
def failing_items(n: int, exc: Exception):
    for i in range(n):
        yield f"Kalimat nomor {i}."
    raise exc


@pytest.mark.parametrize("n_process", [1, 2])
@pytest.mark.parametrize("on_error", ["raise", "record"])
def test_batch_generator_error_is_raised(n_process: int, on_error: str) -> None:
    got = []
    with pytest.raises(OSError, match="disk gone"):
        for result in analyze_many(
            failing_items(5, OSError("disk gone")),
            n_process=n_process,
            batch_size=2,
            on_error=on_error,  # type: ignore[arg-type]
        ):
            got.append(result)
    assert [r.id for r in got] == [0, 1, 2, 3, 4] and all(r.ok for r in got)


# -- the per-record time budget -----------------------------------------------------------------
@pytest.mark.parametrize("n_process", [1, 2])
def test_batch_record_timeout_fails_only_the_slow_record(slow_pipeline, n_process: int) -> None:
    items = ["Satu.", f"Ini {SLOW}.", "Tiga.", "Empat.", "Lima."]
    results = list(analyze_many(items, n_process=n_process, batch_size=3, record_timeout=1.5))
    assert [r.id for r in results] == [0, 1, 2, 3, 4]
    assert [r.ok for r in results] == [True, False, True, True, True]
    assert results[1].error.error_type == "RecordTimeoutError"
    assert "record_timeout=1.5" in results[1].error.message
    assert results[4].article.text == "Lima."  # the replaced worker (or the process) goes on


def test_batch_record_timeout_raises_with_on_error_raise(slow_pipeline) -> None:
    with pytest.raises(RecordTimeoutError):
        list(analyze_many(["Satu.", SLOW], batch_size=1, record_timeout=1.0, on_error="raise"))
    with pytest.raises(ConfigError, match="record_timeout"):
        analyze_many([], record_timeout=-1)
