"""Tests of beritanlp.batch.local: nlp.pipe in this process, a failing record alone failing,
and the shared pipeline left as load() made it."""

from __future__ import annotations

from spacy.util import raise_error

from beritanlp.batch import ErrorInfo, analyze_many
from beritanlp.batch.entries import Entry
from beritanlp.batch.local import annotate_entries
from beritanlp.inputs import article_context
from tests.batch.conftest import BOOM


def test_batch_pipeline_error_does_not_drop_batch_neighbours(boom_pipeline) -> None:
    items = [f"Kalimat {i}." for i in range(5)] + [BOOM] + [f"Lagi {i}." for i in range(5)]
    results = list(analyze_many(items, batch_size=4))
    assert [r.id for r in results] == list(range(11))
    assert [r.ok for r in results] == [True] * 5 + [False] + [True] * 5
    assert results[7].article.text == "Lagi 1."


def test_batch_leaves_the_shared_pipeline_unchanged(boom_pipeline) -> None:
    """Issue 15: batch code installs no error handler on load()'s shared pipeline."""

    def handlers() -> list[object]:
        found = [boom_pipeline.default_error_handler]
        for _, proc in boom_pipeline.pipeline:
            getter = getattr(proc, "get_error_handler", None)
            if getter is not None:
                found.append(getter())
        return found

    assert set(handlers()) == {raise_error}
    results = list(analyze_many(["Satu.", BOOM, "Tiga."], batch_size=3))
    assert [r.ok for r in results] == [True, False, True]
    assert set(handlers()) == {raise_error}


def test_batch_annotate_entries_keeps_order_and_invalid_entries(boom_pipeline) -> None:
    context = article_context(None, None, None)
    entries = [
        Entry(0, "a", "Satu.", context),
        Entry(1, "b", f"Ini {BOOM}.", context),
        Entry(2, "c", error=ErrorInfo("InvalidJSON", "line 3 is not JSON")),  # never run
        Entry(3, "d", "Empat.", context),
    ]
    done = list(annotate_entries(boom_pipeline, entries, batch_size=4))
    assert [entry.id for entry, _ in done] == ["a", "b", "c", "d"]
    assert [result.ok for _, result in done] == [True, False, False, True]
    assert done[1][1].error == ErrorInfo("RuntimeError", "komponen uji meledak")
    assert isinstance(done[1][0].exc, RuntimeError)
    assert done[2][1].error == ErrorInfo("InvalidJSON", "line 3 is not JSON")
    assert done[3][1].article.text == "Empat."
