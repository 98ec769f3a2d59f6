"""The optional Stanza syntax layer (``load(syntax="stanza")``, ``beritanlp[stanza]`` and the
``beritanlp-stanza-id`` model package).

The tests that run Stanza skip unless stanza (and torch) and the model package are installed;
CI installs them and runs this file (``.ci/run``). The others check the default pipeline, the
settings and the error messages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import spacy

import beritanlp
from beritanlp.components import syntax
from beritanlp.components.syntax import (
    EXPECTED_FILES,
    StanzaSyntax,
    SyntaxSettings,
    check_stanza_version,
    default_model_dir,
)
from beritanlp.errors import ConfigError, ModelNotFoundError, ResourceError


def test_syntax_default_pipeline_imports_no_stanza() -> None:
    # (with torch installed, thinc itself imports torch when spaCy loads: not beritanlp's doing)
    code = (
        "import sys, beritanlp\n"
        "a = beritanlp.analyze('Presiden Joko Widodo tiba di Bali, kata dia.')\n"
        "assert a.tokens and a.tokens[0].pos is None and a.noun_phrases == ()\n"
        "bad = [m for m in ('stanza', 'beritanlp.components.syntax', 'beritanlp_stanza_id')\n"
        "       if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_syntax_missing_models_say_what_and_how(tmp_path: Path) -> None:
    (tmp_path / "pos.pt").write_bytes(b"")
    with pytest.raises(ModelNotFoundError) as info:
        beritanlp.load(syntax="stanza", stanza_dir=tmp_path)
    message = str(info.value)
    assert "missing: pretrain.pt, lemma.pt, depparse.pt" in message
    assert "scripts/train_stanza.py" in message and "stanza_dir=" in message
    assert "./packages/beritanlp-stanza-id" in message


def test_syntax_model_package_not_installed_says_how(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(syntax, "MODEL_PACKAGE", "beritanlp_no_such_model_package")
    with pytest.raises(ModelNotFoundError) as info:
        default_model_dir()
    message = str(info.value)
    assert "beritanlp_no_such_model_package" in message
    assert 'pip install ".[stanza]" ./packages/beritanlp-stanza-id' in message
    assert "stanza_dir=" in message


def test_syntax_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="syntax must be one of"):
        beritanlp.load(syntax="udpipe")
    with pytest.raises(ConfigError, match="stanza_dir is only used"):
        beritanlp.load(stanza_dir="/tmp")


def test_syntax_settings_checked_without_stanza() -> None:
    settings = SyntaxSettings()
    assert settings.needed_files == EXPECTED_FILES
    assert SyntaxSettings(lemma=False, depparse=False).needed_files == ("pretrain.pt", "pos.pt")
    with pytest.raises(ConfigError, match="batch_size"):
        SyntaxSettings(batch_size=0)
    with pytest.raises(ConfigError, match="num_threads"):
        SyntaxSettings.build(None, {"num_threads": -1})
    with pytest.raises(ConfigError, match="unknown setting"):
        SyntaxSettings.build(None, {"threads": 2})


def test_syntax_stanza_version_from_meta_json(tmp_path: Path) -> None:
    check_stanza_version(tmp_path, "0.1")  # no meta.json (a fresh training run): not checked
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps({"stanza_version": ">=1.15,<1.16"}), encoding="utf-8")
    check_stanza_version(tmp_path, "1.15.0")
    with pytest.raises(ResourceError) as info:
        check_stanza_version(tmp_path, "1.14.0")
    assert 'pip install "stanza>=1.15,<1.16"' in str(info.value) and "1.14.0" in str(info.value)
    meta.write_text("{}", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"meta\.json"):
        check_stanza_version(tmp_path, "1.15.0")


# ---- with Stanza ------------------------------------------------------------------------------
def _stanza_ready() -> Path:
    """The installed models' folder; skips without Stanza or the models, unless
    ``BERITANLP_REQUIRE_STANZA`` is set (CI's syntax step), where that is a failure."""
    problem = ""
    try:
        import stanza  # noqa: F401

        folder = default_model_dir()
        missing = [name for name in EXPECTED_FILES if not (folder / name).is_file()]
        if missing:
            problem = f"no Stanza models {missing} in {folder}"
    except (ImportError, ModelNotFoundError) as exc:
        problem = str(exc)
    if problem and os.environ.get("BERITANLP_REQUIRE_STANZA"):
        pytest.fail(f"BERITANLP_REQUIRE_STANZA is set: {problem}")
    if problem:
        pytest.skip(problem)
    return folder


@pytest.fixture(scope="module")
def syntax_nlp() -> spacy.language.Language:
    _stanza_ready()
    return beritanlp.load(syntax="stanza")


def _component(nlp: spacy.language.Language) -> StanzaSyntax:
    component = nlp.get_pipe("syntax")
    assert isinstance(component, StanzaSyntax)
    return component


@pytest.fixture(scope="module")
def seed_syntax(seed_text: str) -> beritanlp.Article:
    _stanza_ready()
    return beritanlp.analyze(seed_text, syntax="stanza")


def test_syntax_models_come_from_the_package(syntax_nlp: spacy.language.Language) -> None:
    component = _component(syntax_nlp)
    assert component.model_dir == default_model_dir()
    assert component.model_dir.name == syntax.MODEL_PACKAGE
    meta = json.loads((component.model_dir / "meta.json").read_text(encoding="utf-8"))
    assert meta["files"] == list(EXPECTED_FILES)
    import stanza

    check_stanza_version(component.model_dir, stanza.__version__)  # the installed one reads it


def test_syntax_tokens_get_pos_lemma_dep(seed_syntax: beritanlp.Article) -> None:
    tokens = seed_syntax.tokens
    assert all(t.pos is not None and t.dep is not None and t.head is not None for t in tokens)
    by_text = {t.text: t for t in tokens}
    assert by_text["Lavrov"].pos == "PROPN"
    assert by_text["mengatakan"].pos == "VERB" and by_text["mengatakan"].lemma == "kata"
    assert by_text["negara"].pos == "NOUN"
    # one root per sentence, heads inside the article
    assert sum(t.dep == "ROOT" for t in tokens) >= len(seed_syntax.sentences)
    assert all(0 <= t.head < len(tokens) for t in tokens)


def test_syntax_keeps_sentences_entities_and_offsets(
    seed_text: str, seed_syntax: beritanlp.Article
) -> None:
    plain = beritanlp.analyze(seed_text)
    assert seed_syntax.sentences == plain.sentences
    assert seed_syntax.entities == plain.entities
    assert [(t.text, t.start, t.end) for t in seed_syntax.tokens] == [
        (t.text, t.start, t.end) for t in plain.tokens
    ]


def test_syntax_stemmer_leaves_proper_nouns(seed_syntax: beritanlp.Article) -> None:
    for token in seed_syntax.tokens:
        if token.pos == "PROPN":
            assert token.stem == token.text


def test_syntax_noun_phrases_are_spans(seed_syntax: beritanlp.Article) -> None:
    phrases = seed_syntax.noun_phrases
    assert phrases
    texts = {p.text for p in phrases}
    assert any("kerja sama" in t for t in texts)
    for phrase in phrases:
        assert seed_syntax.text[phrase.start : phrase.end] == phrase.text


def test_syntax_noun_chunks_are_the_noun_phrases(
    syntax_nlp: spacy.language.Language, seed_text: str
) -> None:
    doc = syntax_nlp(seed_text)
    chunks = list(doc.noun_chunks)  # spaCy's syntax iterator, ours installed on this pipeline
    assert chunks and all(chunk.label_ == "NP" for chunk in chunks)
    assert [(c.start_char, c.end_char, c.text) for c in chunks] == [
        (p.start, p.end, p.text) for p in doc._.beritanlp_noun_phrases
    ]
    # the plain pipeline keeps spaCy's own iterator
    assert beritanlp.load().vocab.get_noun_chunks is not syntax.noun_chunks


def test_syntax_to_dict_has_token_syntax_fields(seed_syntax: beritanlp.Article) -> None:
    row = seed_syntax.to_dict(tokens=True)["tokens"][0]
    assert {"pos", "tag", "morph", "lemma", "dep", "head"} <= set(row)


def test_syntax_empty_and_whitespace_docs() -> None:
    _stanza_ready()
    assert beritanlp.analyze("", syntax="stanza").tokens == ()
    article = beritanlp.analyze("Bali.\n\n\nJakarta.", syntax="stanza")
    assert [t.text for t in article.tokens] == ["Bali", ".", "Jakarta", "."]


def test_syntax_threads_limited_for_the_call_only(
    syntax_nlp: spacy.language.Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    import torch

    component = _component(syntax_nlp)
    assert component.settings.num_threads == 1
    seen: list[int] = []
    stanza_pipeline = component._pipeline

    def spy(sentences: Any) -> Any:
        seen.append(torch.get_num_threads())
        return stanza_pipeline(sentences)

    monkeypatch.setattr(component, "_pipeline", spy)
    before = torch.get_num_threads()
    syntax_nlp("Presiden Joko Widodo tiba di Bali.")
    assert seen == [1]  # inside Stanza's call: the setting
    assert torch.get_num_threads() == before  # after it: torch's own value again


def test_syntax_leaves_no_temporary_files(syntax_nlp: spacy.language.Language) -> None:
    scratch = Path(tempfile.gettempdir())
    before = set(scratch.glob("beritanlp-stanza-*"))
    StanzaSyntax(spacy.blank("id"), "syntax", lemma=False, depparse=False)
    assert set(scratch.glob("beritanlp-stanza-*")) == before


def test_syntax_saved_pipeline_carries_the_models(
    syntax_nlp: spacy.language.Language, seed_text: str, tmp_path: Path
) -> None:
    component = _component(syntax_nlp)
    component.to_disk(tmp_path / "syntax")
    saved = tmp_path / "syntax"
    assert json.loads((saved / "settings.json").read_text(encoding="utf-8"))["batch_size"] == 32
    for name in (*EXPECTED_FILES, "meta.json"):
        assert (saved / "model" / name).is_file(), name
    # a component read back from the folder uses the saved copy, checked as at build time
    fresh = StanzaSyntax(spacy.blank("id"), "syntax", lemma=False, depparse=False)
    fresh.from_disk(saved)
    assert fresh.model_dir == saved / "model"
    assert fresh.settings.model_dir == str(saved / "model") and fresh.settings.depparse
    doc = syntax_nlp.make_doc(seed_text)
    for name, proc in syntax_nlp.pipeline:
        doc = (fresh if name == "syntax" else proc)(doc)
    assert [(t.pos_, t.dep_, t.head.i) for t in doc] == [
        (t.pos_, t.dep_, t.head.i) for t in syntax_nlp(seed_text)
    ]
    (saved / "model" / "lemma.pt").unlink()
    with pytest.raises(ModelNotFoundError, match=r"lemma\.pt"):
        fresh.from_disk(saved)


def test_syntax_pipeline_saved_and_loaded_by_spacy(
    syntax_nlp: spacy.language.Language, seed_text: str, tmp_path: Path
) -> None:
    syntax_nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")  # beritanlp.components.syntax is imported above
    assert _component(loaded).model_dir == tmp_path / "pipe" / "syntax" / "model"
    assert [(t.pos_, t.lemma_, t.dep_, t.head.i) for t in loaded(seed_text)] == [
        (t.pos_, t.lemma_, t.dep_, t.head.i) for t in syntax_nlp(seed_text)
    ]
