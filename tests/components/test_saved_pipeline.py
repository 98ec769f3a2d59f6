"""The default pipeline saved with ``nlp.to_disk`` and read back with ``spacy.load`` gives the
same output: the components carry their settings and data (rule files, models) with them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import beritanlp
from beritanlp.article import Article

#: the components that save their settings and data
SAVED = ("quotes", "dateline", "dates", "topic", "keywords")


def _run(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.beritanlp_context = {"title": None, "published": None, "url": None}  # the dates infer it
    return nlp(doc)


def _outputs(doc: Doc) -> dict[str, Any]:
    out: dict[str, Any] = {"cats": doc.cats}
    for name in ("quotes", "dateline", "dates", "published", "topic", "keywords"):
        out[name] = getattr(doc._, f"beritanlp_{name}")
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("saved") / "pipeline"
    beritanlp.load().to_disk(path)
    return path


def test_saved_pipeline_carries_settings_and_data(saved: Path) -> None:
    for name in SAVED:
        assert (saved / name / "settings.json").is_file(), name
    assert (saved / "topic" / "model" / "model.json").is_file()
    assert (saved / "keywords" / "idf" / "idf.json").is_file()
    assert (saved / "dates" / "data.json").is_file()
    assert (saved / "quotes" / "cues.json").is_file()
    assert (saved / "dateline" / "patterns.json").is_file()


def test_saved_pipeline_same_output(saved: Path, seed_text: str) -> None:
    nlp = beritanlp.load()
    loaded = spacy.load(saved)
    assert loaded.pipe_names == nlp.pipe_names
    before, after = _run(nlp, seed_text), _run(loaded, seed_text)
    assert _outputs(after) == _outputs(before)
    assert (
        before._.beritanlp_quotes
        and before._.beritanlp_dates
        and before._.beritanlp_keywords
        and before.cats
    )
    assert Article.from_doc(after).to_dict() == Article.from_doc(before).to_dict()
