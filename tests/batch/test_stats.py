"""Tests of beritanlp.batch.stats: the summary of an archive."""

from __future__ import annotations

from beritanlp.batch import archive_stats


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
