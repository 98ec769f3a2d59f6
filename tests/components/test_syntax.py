"""The optional Stanza syntax layer (``load(syntax="stanza")``, ``beritanlp[stanza]``).

The tests that run Stanza skip unless stanza (and torch) are installed; CI installs the extra
and runs them (``.ci/run``). The others check the default pipeline and the error messages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import beritanlp
from beritanlp.components.syntax import EXPECTED_FILES, default_model_dir
from beritanlp.errors import ConfigError, ModelNotFoundError


def test_syntax_default_pipeline_imports_no_stanza() -> None:
    # (with torch installed, thinc itself imports torch when spaCy loads: not beritanlp's doing)
    code = (
        "import sys, beritanlp\n"
        "a = beritanlp.analyze('Presiden Joko Widodo tiba di Bali, kata dia.')\n"
        "assert a.tokens and a.tokens[0].pos is None and a.noun_phrases == ()\n"
        "bad = [m for m in ('stanza', 'beritanlp.components.syntax') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_syntax_missing_models_say_what_and_how(tmp_path: Path) -> None:
    (tmp_path / "pos.pt").write_bytes(b"")
    with pytest.raises(ModelNotFoundError) as info:
        beritanlp.load(syntax="stanza", stanza_dir=tmp_path)
    message = str(info.value)
    for name in ("pretrain.pt", "lemma.pt", "depparse.pt"):
        assert name in message
    assert "missing: pretrain.pt, lemma.pt, depparse.pt" in message
    assert "scripts/train_stanza.py" in message and "stanza_dir=" in message


def test_syntax_bad_options_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="syntax must be one of"):
        beritanlp.load(syntax="udpipe")
    with pytest.raises(ConfigError, match="stanza_dir is only used"):
        beritanlp.load(stanza_dir="/tmp")


# ---- with Stanza ------------------------------------------------------------------------------
def _stanza_ready() -> None:
    pytest.importorskip("stanza")
    folder = default_model_dir()
    if not all((folder / name).is_file() for name in EXPECTED_FILES):
        pytest.skip(f"no Stanza models in {folder}")


@pytest.fixture(scope="module")
def seed_syntax(seed_text: str) -> beritanlp.Article:
    _stanza_ready()
    return beritanlp.analyze(seed_text, syntax="stanza")


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


def test_syntax_to_dict_has_token_syntax_fields(seed_syntax: beritanlp.Article) -> None:
    row = seed_syntax.to_dict(tokens=True)["tokens"][0]
    assert {"pos", "tag", "morph", "lemma", "dep", "head"} <= set(row)


def test_syntax_empty_and_whitespace_docs() -> None:
    _stanza_ready()
    assert beritanlp.analyze("", syntax="stanza").tokens == ()
    article = beritanlp.analyze("Bali.\n\n\nJakarta.", syntax="stanza")
    assert [t.text for t in article.tokens] == ["Bali", ".", "Jakarta", "."]
