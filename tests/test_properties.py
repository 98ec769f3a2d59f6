"""Property-based tests: for any text, analyze() returns or raises a documented error, and every
offset it returns is valid."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import beritanlp
from beritanlp.errors import BeritaError

NEWSY = st.sampled_from(
    [
        "JAKARTA - ",
        "Goa, India (Xinhua) – ",
        "Kamis (4/5) ",
        "menguntungkan.Dalam ",
        "Baca juga: Judul\n",
        "Laporan: RedaksiBagikan\n",
        "Komentar\n",
        "Berita Terkait\n",
        "(ANTARA FOTO/Budi)\n",
        "Rp 1.000 ",
        "B. J. Habibie ",
        "bersama-sama ",
        "\r\n",
        "\n\n",
        "“kata Qin.” ",
        "Jl. ",
        "dll. ",
        "S.H., M.Si. ",
        "—",
        "--",
        "•\n",
        "Bali ",
        "SCO ",
        ", kata ",
        "Sergei Lavrov ",
        " mengatakan bahwa ",
        "Menurut ",
        '"',
        ", ujarnya.",
        # issue 13: glued words, furniture, datelines in capitals
        "dariCarscoops ",
        "kepadaAFPbahwa ",
        "PresidenPrabowoSubianto ",
        "Souzaakhirnya ",
        "KOMPAS.com-",
        "RIO DE JANEIRO, ",
        "(Baca: KPK Siapkan Posisi)",
        "[Gambas:Video 20detik]\n",
        "Simak Video \"Judul\"\n",
        "DailySocial.id adalah portal berita ",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(NEWSY, st.text(max_size=12)), max_size=40).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_properties_offsets_always_valid(text: str) -> None:
    try:
        article = beritanlp.analyze(text)
    except BeritaError:
        return
    assert len(article.text) == len(text)
    items = (
        *article.sections,
        *article.sentences,
        *article.tokens,
        *article.entities,
        *article.dates,
        *article.quotes,
    )
    for item in items:
        assert 0 <= item.start <= item.end <= len(article.text)
        assert article.text[item.start : item.end] == item.text
    for quote in article.quotes:
        if quote.speaker_start is not None:
            assert 0 <= quote.speaker_start < quote.speaker_end <= len(article.text)
    previous_end = 0
    for section in article.sections:
        assert section.start >= previous_end
        previous_end = section.end
    article.to_json(tokens=True)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200))
def test_properties_bytes_decode_or_clear_error(data: bytes) -> None:
    try:
        beritanlp.analyze(data)
    except BeritaError as exc:
        assert "UTF-8" in str(exc)


# issue 14: long runs of whitespace, brackets, quotes and capitals (adversarial shapes that were
# quadratic: spaCy's prefix/suffix loop on one huge token, a tail-phrase regex rescanning a run
# of spaces, a caption regex with nested repetition over capitals)
RUN = st.tuples(
    st.sampled_from(
        [" ", "\t", "\u00a0", "(", ")", "[", "“", "”", '"', "A", "ABC", "Ab ", "-", "\n"]
    ),
    st.integers(min_value=1, max_value=3000),
).map(lambda pair: pair[0] * pair[1])
LONG_RUNS = st.lists(st.one_of(RUN, NEWSY), min_size=1, max_size=6).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LONG_RUNS)
def test_properties_long_runs_stay_bounded(text: str) -> None:
    from spacy.lang.tokenizer_exceptions import URL_MATCH

    from beritanlp.lang import MAX_RUN

    try:
        article = beritanlp.analyze(text)
    except BeritaError:
        return
    assert article.text == text
    # no token that spaCy's affix loop would have to strip one character at a time
    nlp = beritanlp.load()
    for token in nlp.make_doc(text):
        assert len(token.text) <= MAX_RUN or token.is_space or URL_MATCH(token.text)
    for entity in article.entities:
        assert 0 <= entity.start < entity.end <= len(text)
