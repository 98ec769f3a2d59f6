"""Tests of the news tokenizer (beritanlp.lang)."""

from __future__ import annotations

import pytest

from beritanlp.lang import blank


@pytest.fixture(scope="module")
def tokenizer_nlp():
    return blank()


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("menguntungkan.Dalam", ["menguntungkan", ".", "Dalam"]),
        ("kata Qin.Lavrov", ["kata", "Qin", ".", "Lavrov"]),
        ("(SCO).Dalam", ["(", "SCO", ")", ".", "Dalam"]),
        ("tahun 2023.Presiden", ["tahun", "2023", ".", "Presiden"]),
        ("Kamis (4/5) pagi", ["Kamis", "(", "4/5", ")", "pagi"]),
        ("Rabu (10/5/2023)", ["Rabu", "(", "10/5/2023", ")"]),
        ("bersama-sama", ["bersama-sama"]),
        ("negara-negara", ["negara-negara"]),
        ("Asia-Pasifik", ["Asia-Pasifik"]),
        ("Jokowi-JK", ["Jokowi-JK"]),
        ("Covid-19", ["Covid-19"]),
        ("Goa, India (Xinhua) – China", ["Goa", ",", "India", "(", "Xinhua", ")", "–", "China"]),
        ("JAKARTA–Presiden", ["JAKARTA", "–", "Presiden"]),
        ("Jakarta, CNN Indonesia --", ["Jakarta", ",", "CNN", "Indonesia", "--"]),
        ("TEMPO.CO,Jakarta-", ["TEMPO.CO", ",", "Jakarta", "-"]),
        ("‘Perang Dingin’", ["‘", "Perang", "Dingin", "’"]),
        ("“kata dia”", ["“", "kata", "dia", "”"]),
        ("Rp 1.000 atau 14.30 WIB", ["Rp", "1.000", "atau", "14.30", "WIB"]),
        ("naik 25,5 persen", ["naik", "25,5", "persen"]),
        ("Jl. Sudirman No. 5", ["Jl.", "Sudirman", "No.", "5"]),
        ("dr. Budi, S.H., M.Si.", ["dr.", "Budi", ",", "S.H.", ",", "M.Si."]),
        ("B. J. Habibie", ["B.", "J.", "Habibie"]),
        ("Kompas.com", ["Kompas.com"]),
        ("(Xinhua/Javed Dar)", ["(", "Xinhua", "/", "Javed", "Dar", ")"]),
        ("AS.Menteri", ["AS", ".", "Menteri"]),
        ('2007."Kami', ["2007", ".", '"', "Kami"]),
        ("naik 90%.Desa", ["naik", "90%", ".", "Desa"]),
        ("Yogyakarta.(ANTARA)", ["Yogyakarta", ".", "(", "ANTARA", ")"]),
        ("TEMPO.CO", ["TEMPO.CO"]),
        ("Liputan6.com", ["Liputan6.com"]),
    ],
)
def test_lang_tokenizes_news(tokenizer_nlp, text: str, tokens: list[str]) -> None:
    assert [t.text for t in tokenizer_nlp(text) if not t.is_space] == tokens


def test_lang_blank_builds_no_reduplication_exceptions() -> None:
    # spacy.blank("id") builds ~16k tokenizer exceptions (the hyphenated reduplications), which
    # is what makes it slow to build; ours has none of them (the build time itself is measured
    # by benchmarks/bench_tokenizer_entities.py)
    rules = blank().tokenizer.rules
    assert not [key for key in rules if "-" in key]
    assert len(rules) < 1_000
    assert "Jl." in rules  # the abbreviations of data/abbreviations.txt are there


def test_lang_tokenizer_roundtrips_to_bytes(tokenizer_nlp) -> None:
    data = tokenizer_nlp.to_bytes()
    other = blank().from_bytes(data)
    assert [t.text for t in other("menguntungkan.Dalam (4/5)")] == [
        t.text for t in tokenizer_nlp("menguntungkan.Dalam (4/5)")
    ]
