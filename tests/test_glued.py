"""Glued words from scraping (glued.py, issue 13): split where the evidence is clear, text kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beritanlp.glued import MAX_CHARS, split_points
from beritanlp.lang import MAX_RUN, blank


def _pieces(token: str, doc_words: frozenset[str] = frozenset()) -> list[str]:
    out, last = [], 0
    for point in [*split_points(token, doc_words), len(token)]:
        out.append(token[last:point])
        last = point
    return out


@pytest.mark.parametrize(
    ("token", "pieces"),
    [
        ("dariCarscoops", ["dari", "Carscoops"]),
        ("kepadaAFPbahwa", ["kepada", "AFP", "bahwa"]),
        ("PresidenPrabowoSubianto", ["Presiden", "Prabowo", "Subianto"]),
        ("KejagungRI", ["Kejagung", "RI"]),
        ("pelatihThree", ["pelatih", "Three"]),
        ("dilansirSportsmole", ["dilansir", "Sportsmole"]),
        ("ASEANmengatakan", ["ASEAN", "mengatakan"]),
        # real names stay whole
        ("OnePlus", ["OnePlus"]),
        ("WhatsApp", ["WhatsApp"]),
        ("McDonald", ["McDonald"]),
        ("TikTok", ["TikTok"]),
        ("YouTube", ["YouTube"]),
        ("iPhone", ["iPhone"]),
        ("PlayStation", ["PlayStation"]),
        ("BUMNnya", ["BUMNnya"]),
        ("PDIP", ["PDIP"]),
    ],
)
def test_glued_split_points(token: str, pieces: list[str]) -> None:
    assert _pieces(token) == pieces


def test_glued_name_then_word_needs_the_name_elsewhere() -> None:
    assert _pieces("Souzaakhirnya") == ["Souzaakhirnya"]
    assert _pieces("Souzaakhirnya", frozenset({"Souza"})) == ["Souza", "akhirnya"]
    # a clitic alone is not a word: Jakartanya stays whole
    assert _pieces("Jakartanya", frozenset({"Jakarta"})) == ["Jakartanya"]


def test_glued_tokenizer_keeps_text_and_offsets() -> None:
    nlp = blank()
    text = (
        "KOMPAS.com-Mauricio Souzaakhirnya tiba. Souza datang dariCarscoops, "
        "kata PresidenPrabowoSubianto."
    )
    doc = nlp(text)
    assert doc.text == text
    words = [t.text for t in doc]
    for expected in ("Souza", "akhirnya", "dari", "Carscoops", "Presiden", "Prabowo", "Subianto"):
        assert expected in words
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aAbBzZ", min_size=0, max_size=40))
def test_glued_pieces_always_rebuild_the_token(token: str) -> None:
    points = split_points(token, frozenset({"Ab", "AbA"}))
    assert points == sorted(set(points)) and all(0 < p < len(token) for p in points)
    assert "".join(_pieces(token, frozenset({"Ab", "AbA"}))) == token


def test_glued_long_camel_case_is_cut_into_bounded_pieces() -> None:
    # a very long camel-case token is cut into pieces of at most MAX_RUN characters, and the
    # splitter leaves tokens longer than MAX_CHARS whole: the work per token is bounded, so the
    # tokenizer stays linear (the time ratio is printed by benchmarks/bench_tokenizer_entities.py)
    nlp = blank()
    large = "dariJakarta" * 1600
    doc = nlp(large)
    assert doc.text == large
    assert all(len(token.text) <= MAX_RUN for token in doc)
    assert split_points("dariJakarta" * (MAX_CHARS // 11 + 1)) == []
