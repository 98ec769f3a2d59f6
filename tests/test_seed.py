"""The seed article end to end through the full default pipeline (beritanlp.load())."""

from __future__ import annotations

import pytest

import beritanlp


@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> beritanlp.Article:
    return beritanlp.analyze(seed_text)


def _by_label(article: beritanlp.Article) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for entity in article.entities:
        if entity.section != "boilerplate":
            out.setdefault(entity.label, set()).add(entity.text)
    return out


def test_seed_entities_come_out_right(seed_article: beritanlp.Article) -> None:
    found = _by_label(seed_article)
    assert {"Qin Gang", "Sergei Lavrov", "Xi Jinping", "Javed Dar"} <= found["PER"]
    assert {"China", "Rusia", "Goa", "India", "Asia-Pasifik", "Ukraina"} <= found["LOC"]
    assert {
        "SCO",
        "Organisasi Kerja Sama Shanghai",
        "Shanghai Cooperation Organization",
        "BRICS",
        "Kelompok 20",
        "PBB",
        "Perserikatan Bangsa-Bangsa",
        "Xinhua",
        "Dewan Negara",
    } <= found["ORG"]
    every = {e.text for e in seed_article.entities}
    assert not every & {"Kamis", "Kedua", "Dalam", "Mereka", "Laporan", "Komentar"}


def test_seed_canonical_names_and_roles(seed_article: beritanlp.Article) -> None:
    canonical = {(e.text, e.canonical) for e in seed_article.entities}
    assert ("SCO", "Organisasi Kerja Sama Shanghai") in canonical
    assert ("Shanghai Cooperation Organization", "Organisasi Kerja Sama Shanghai") in canonical
    assert ("PBB", "Perserikatan Bangsa-Bangsa") in canonical
    assert ("Lavrov", "Sergei Lavrov") in canonical
    roles = {e.text: e.role for e in seed_article.entities if e.label == "PER" and e.role}
    assert roles["Sergei Lavrov"] == "Menteri Luar Negeri Rusia"
    assert roles["Xi Jinping"] == "Presiden China"
    assert roles["Qin Gang"].endswith("Menteri Luar Negeri China")
    summary = {row["canonical"]: row for row in seed_article.entity_summary()}
    assert summary["Sergei Lavrov"]["mentions"] >= 3
    assert "Menteri Luar Negeri Rusia" in summary["Sergei Lavrov"]["roles"]


def test_seed_boilerplate_entities_are_marked(seed_article: beritanlp.Article) -> None:
    sections = {e.text: e.section for e in seed_article.entities}
    assert sections["Jerman"] == "boilerplate"  # only in the "Berita Terkait" list


def test_seed_dateline_dates_topic(seed_article: beritanlp.Article) -> None:
    dateline = seed_article.dateline
    assert dateline is not None
    assert (dateline.text, dateline.place, dateline.source, dateline.date) == (
        "Goa, India (Xinhua) –",
        "Goa, India",
        "Xinhua",
        "2023-05-04",
    )
    values = {d.text: d.value for d in seed_article.dates}
    assert values["Kamis (4/5)"] == "2023-05-04"
    assert values["4 Mei 2023"] == "2023-05-04"
    assert seed_article.published == "2023-05-04"
    assert seed_article.published_source == "inferred"
    assert seed_article.topic is not None and seed_article.topic.label == "internasional"
    assert seed_article.keywords


@pytest.mark.parametrize(
    ("text", "person", "role"),
    [
        (
            "Menteri Luar Negeri Rusia Sergei Lavrov tiba di Goa.",
            "Sergei Lavrov",
            "Menteri Luar Negeri Rusia",
        ),
        ("Presiden China Xi Jinping berkunjung ke Moskow.", "Xi Jinping", "Presiden China"),
        ("Kemarin Perdana Menteri Selandia Baru Chris Hipkins tiba.", "Chris Hipkins", None),
    ],
)
def test_seed_role_announces_person(text: str, person: str, role: str | None) -> None:
    entities = {e.text: e for e in beritanlp.analyze(text).entities}
    assert entities[person].label == "PER"
    if role is not None:
        assert entities[person].role == role


def test_seed_photo_credit_names_a_person() -> None:
    article = beritanlp.analyze(
        "Warga antre minyak goreng di Jakarta. (ANTARA FOTO/Sigid Kurniawan)\nJAKARTA - Isi."
    )
    assert [(e.text, e.label) for e in article.entities if e.text == "Sigid Kurniawan"] == [
        ("Sigid Kurniawan", "PER")
    ]
