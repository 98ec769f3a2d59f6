"""beritanlp.to_pandas: tidy DataFrames from articles and batch results."""

from __future__ import annotations

import pytest

import beritanlp
from beritanlp.article import Article
from beritanlp.frames import (
    ARTICLE_COLUMNS,
    DATE_COLUMNS,
    ENTITY_COLUMNS,
    KEYWORD_COLUMNS,
    QUOTE_COLUMNS,
)

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> Article:
    return beritanlp.analyze(seed_text, published="2023-05-04")


def test_frames_one_row_per_article_entity_date_keyword(seed_article: Article) -> None:
    frames = beritanlp.to_pandas([seed_article, seed_article], ids=["a", "b"])
    assert list(frames.articles.columns) == list(ARTICLE_COLUMNS)
    assert list(frames.entities.columns) == list(ENTITY_COLUMNS)
    assert list(frames.dates.columns) == list(DATE_COLUMNS)
    assert list(frames.keywords.columns) == list(KEYWORD_COLUMNS)
    assert frames.articles["id"].tolist() == ["a", "b"]
    assert len(frames.entities) == 2 * len(seed_article.entities)
    assert len(frames.dates) == 2 * len(seed_article.dates)
    assert len(frames.keywords) == 2 * len(seed_article.keywords)
    assert list(frames.quotes.columns) == list(QUOTE_COLUMNS)
    assert frames.quotes.speaker.tolist()[:2] == ["Qin Gang", "Qin Gang"]
    row = frames.articles.iloc[0]
    assert row["dateline_place"] == "Goa, India" and row["dateline_source"] == "Xinhua"
    assert row["topic"] == "internasional" and 0 < row["topic_score"] <= 1
    assert row["published_date"] == pd.Timestamp("2023-05-04")
    assert row["n_entities"] == len(seed_article.entities)


def test_frames_entity_rows_keep_offsets_canonical_and_role(seed_article: Article) -> None:
    entities = beritanlp.to_pandas(seed_article).entities
    for row in entities.itertuples():
        assert seed_article.text[row.start : row.end] == row.text
    lavrov = entities[entities.canonical == "Sergei Lavrov"]
    assert set(lavrov.label) == {"PER"} and "Menteri Luar Negeri Rusia" in set(lavrov.role)
    assert entities.article_id.eq(0).all()  # a single Article gets id 0


def test_frames_date_rows_are_iso(seed_article: Article) -> None:
    dates = beritanlp.to_pandas(seed_article).dates
    assert "2023-05-04" in set(dates[dates.text == "Kamis (4/5)"].value)


def test_frames_batch_results_keep_ids_and_errors() -> None:
    results = list(
        beritanlp.analyze_many(
            [{"id": "ok", "text": "JAKARTA - Presiden Joko Widodo tiba."}, {"id": "bad", "text": 5}]
        )
    )
    frames = beritanlp.to_pandas(results)
    assert frames.articles["id"].tolist() == ["ok", "bad"]
    bad = frames.articles.set_index("id").loc["bad"]
    assert bad["error"] and pd.isna(bad["n_tokens"]) and pd.isna(bad["published_date"])
    assert frames.entities.article_id.eq("ok").all()


def test_frames_empty_input_has_typed_columns() -> None:
    frames = beritanlp.to_pandas([])
    assert frames.articles.empty and frames.entities.empty
    assert str(frames.entities["start"].dtype) == "int64"
    assert str(frames.keywords["score"].dtype) == "float64"


def test_frames_reject_bad_input(seed_article: Article) -> None:
    with pytest.raises(ValueError, match="one id per"):
        beritanlp.to_pandas([seed_article], ids=[1, 2])
    with pytest.raises(TypeError, match="takes Article or Result"):
        beritanlp.to_pandas(["text"])  # type: ignore[list-item]


def test_frames_from_archive_rows_and_path_match_the_articles(
    seed_article: Article, tmp_path
) -> None:
    direct = beritanlp.to_pandas([seed_article], ids=["a"])
    rows = [{"id": "a", **seed_article.to_dict(tokens=True)}]
    from_rows = beritanlp.to_pandas(rows)
    for name in direct._fields:
        pd.testing.assert_frame_equal(getattr(direct, name), getattr(from_rows, name))
    # an archive written by the batch runner, read back by path
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "a", "text": ' + __import__("json").dumps(seed_article.text) + "}\n"
        '{"id": "b", "text": 5}\n',
        encoding="utf-8",
    )
    from beritanlp.batch import annotate_file

    annotate_file(source, tmp_path / "out")
    frames = beritanlp.to_pandas(tmp_path / "out")
    assert frames.articles["id"].tolist() == ["a"]  # failed records live in _errors.jsonl
    assert frames.articles["n_tokens"].iloc[0] == len(seed_article.tokens)
    annotate_file(source, tmp_path / "bare", tokens=False)
    bare = beritanlp.to_pandas(tmp_path / "bare")
    assert pd.isna(bare.articles["n_tokens"].iloc[0])  # written without tokens: unknown
    assert len(frames.entities) == len(seed_article.entities)


def test_frames_error_rows_keep_their_message() -> None:
    frames = beritanlp.to_pandas([{"id": "x", "error_type": "InputTypeError", "message": "no"}])
    assert frames.articles["error"].tolist() == ["InputTypeError: no"]
    assert frames.entities.empty


def test_frames_docs_table_lists_the_generated_columns() -> None:
    from pathlib import Path

    from beritanlp import frames as f

    text = (Path(__file__).resolve().parents[1] / "docs" / "notebook.md").read_text("utf-8")
    for table, cols in (
        ("articles", f.ARTICLE_COLUMNS),
        ("entities", f.ENTITY_COLUMNS),
        ("dates", f.DATE_COLUMNS),
        ("keywords", f.KEYWORD_COLUMNS),
        ("quotes", f.QUOTE_COLUMNS),
    ):
        row = next(line for line in text.splitlines() if line.startswith(f"| `{table}` |"))
        assert row.split("|")[2].strip() == ", ".join(f"`{c}`" for c in cols)
