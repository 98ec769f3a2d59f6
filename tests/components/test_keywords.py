"""Tests of the ``beritanlp_keywords`` component."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Span

import beritanlp.components.keywords
import beritanlp.components.sections
import beritanlp.components.sentences
import beritanlp.components.stemmer
import beritanlp.components.topic  # noqa: F401
from beritanlp.components.keywords import KeywordsSettings, default_idf_dir, load_idf
from beritanlp.errors import ConfigError, ModelNotFoundError, ResourceError
from beritanlp.lang import blank
from beritanlp.records import Keyword
from beritanlp.resources import read_lines, word_set

PIPES = (
    "beritanlp_sections",
    "beritanlp_sentences",
    "beritanlp_stemmer",
    "beritanlp_topic",
    "beritanlp_keywords",
)

pytestmark = pytest.mark.skipif(
    not (default_idf_dir() / "idf.json").is_file(), reason="keyword IDF table not built"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = blank()
    for factory in PIPES:
        pipeline.add_pipe(factory)
    return pipeline


@pytest.fixture(scope="module")
def seed_keywords(nlp: Language, seed_text: str) -> tuple[Keyword, ...]:
    keywords = nlp(seed_text)._.beritanlp_keywords
    assert isinstance(keywords, tuple) and all(isinstance(k, Keyword) for k in keywords)
    return keywords


def test_keywords_seed_has_topic_words(seed_keywords: tuple[Keyword, ...]) -> None:
    texts = [k.text for k in seed_keywords]
    assert any(word in text for text in texts for word in ("SCO", "Rusia", "China"))


def test_keywords_no_stop_words(seed_keywords: tuple[Keyword, ...]) -> None:
    stops = set(STOP_WORDS) | set(word_set("keyword_stopwords.txt"))
    compounds = set(read_lines("keyword_compounds.txt"))
    for keyword in seed_keywords:
        text = keyword.text.lower()
        assert text not in stops
        if not any(compound in text for compound in compounds):
            assert not set(text.split()) & set(STOP_WORDS), text


def test_keywords_are_surface_forms(seed_keywords: tuple[Keyword, ...], seed_text: str) -> None:
    for keyword in seed_keywords:
        assert keyword.text in seed_text


def test_keywords_scores_ranked(seed_keywords: tuple[Keyword, ...]) -> None:
    scores = [k.score for k in seed_keywords]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0
    assert all(0.0 < s <= 1.0 for s in scores)
    assert len(seed_keywords) == 10


def test_keywords_exclude_boilerplate(seed_keywords: tuple[Keyword, ...]) -> None:
    texts = {k.text.lower() for k in seed_keywords}
    assert not texts & {"bagikan", "komentar", "xinhua", "baca"}


def test_keywords_top_k(seed_text: str) -> None:
    pipeline = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", "beritanlp_stemmer"):
        pipeline.add_pipe(factory)
    pipeline.add_pipe("beritanlp_keywords", config={"top_k": 3})
    assert len(pipeline(seed_text)._.beritanlp_keywords) == 3


def test_keywords_empty_text(nlp: Language) -> None:
    for text in ("", "  \n", "dan yang di."):
        assert nlp(text)._.beritanlp_keywords == ()


def test_keywords_entities_boosted(seed_text: str) -> None:
    pipeline = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", "beritanlp_stemmer"):
        pipeline.add_pipe(factory)
    component = pipeline.add_pipe("beritanlp_keywords", config={"entity_boost": 5.0})
    doc = pipeline(seed_text)
    doc.ents = [
        Span(doc, t.i - 1, t.i + 1, label="PER")
        for t in doc
        if t.text == "Lavrov" and t.i and doc[t.i - 1].text == "Sergei"
    ]
    assert doc.ents
    texts = [k["text"] for k in component.keywords(doc)]
    assert any("Lavrov" in text for text in texts[:2])
    # a phrase never runs across the entity's edge ("Luar Negeri Rusia Sergei")
    assert not any("Sergei" in text and "Negeri" in text for text in texts)


def test_keywords_person_counted_under_canonical_name() -> None:
    pipeline = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", "beritanlp_stemmer"):
        pipeline.add_pipe(factory)
    component = pipeline.add_pipe("beritanlp_keywords")
    text = (
        "Menteri Luar Negeri Rusia Sergei Lavrov tiba di Goa. Lavrov membahas kerja sama. "
        "Menurut Lavrov, kerja sama itu penting. Lavrov lalu pulang."
    )
    doc = pipeline(text)
    spans = []
    for t in doc:
        if t.text == "Sergei":
            spans.append(Span(doc, t.i, t.i + 2, label="PER"))
        elif t.text == "Lavrov" and doc[t.i - 1].text != "Sergei":
            spans.append(Span(doc, t.i, t.i + 1, label="PER"))
    doc.ents = spans
    for ent in doc.ents:
        ent._.beritanlp_canonical = "Sergei Lavrov"
    texts = [k["text"] for k in component.keywords(doc)]
    assert texts[0] == "Sergei Lavrov"
    assert "Lavrov" not in texts  # the short mentions count for the full name


def test_keywords_missing_idf_raises(tmp_path: Path, seed_text: str) -> None:
    with pytest.raises(ModelNotFoundError, match=r"idf\.json"):
        load_idf(tmp_path)


def test_keywords_bad_config() -> None:
    with pytest.raises(ConfigError):
        blank().add_pipe("beritanlp_keywords", config={"top_k": -1})


def test_keywords_settings_declared_once() -> None:
    component = blank().add_pipe("beritanlp_keywords", config={"top_k": 4})
    assert isinstance(component.settings, KeywordsSettings)
    assert component.settings == KeywordsSettings(top_k=4)
    assert component.settings.section_weights == {
        "title": 3.0,
        "lead": 2.0,
        "body": 1.0,
        "caption": 0.5,
    }


def test_keywords_own_stopword_file(
    seed_keywords: tuple[Keyword, ...], seed_text: str, tmp_path: Path
) -> None:
    best = next(k.text for k in seed_keywords if " " not in k.text)  # one word: SCO
    own = tmp_path / "stop.txt"
    own.write_text(best.lower() + "\n", encoding="utf-8")
    pipeline = blank()
    for factory in ("beritanlp_sections", "beritanlp_sentences", "beritanlp_stemmer"):
        pipeline.add_pipe(factory)
    pipeline.add_pipe("beritanlp_keywords", config={"stopwords": str(own)})
    assert best not in [k.text for k in pipeline(seed_text)._.beritanlp_keywords]


def test_keywords_saved_with_the_pipeline(nlp: Language, seed_text: str, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipe")
    saved = tmp_path / "pipe" / "beritanlp_keywords"
    assert {p.name for p in saved.iterdir()} >= {"settings.json", "idf", "stopwords.txt"}
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded(seed_text)._.beritanlp_keywords == nlp(seed_text)._.beritanlp_keywords
    # the saved settings and table are what the reloaded component uses, checked as at load
    settings = json.loads((saved / "settings.json").read_text(encoding="utf-8"))
    (saved / "settings.json").write_text(json.dumps({**settings, "top_k": 2}), encoding="utf-8")
    assert len(spacy.load(tmp_path / "pipe")(seed_text)._.beritanlp_keywords) == 2
    (saved / "idf" / "idf.json").write_text('{"n_docs": 0, "df": {}}', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"idf\.json"):
        spacy.load(tmp_path / "pipe")
