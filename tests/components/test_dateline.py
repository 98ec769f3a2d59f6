"""Tests of the dateline component (beritanlp_dateline) and its data files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from beritanlp.components import dateline, dates, sections, sentences  # noqa: F401
from beritanlp.components.dateline import (
    DatelineParser,
    DatelineSettings,
    normalise_place,
    normalise_source,
)
from beritanlp.errors import ConfigError
from beritanlp.lang import blank
from beritanlp.records import Dateline
from beritanlp.resources import read_tsv

BODY = " Pemerintah menyatakan harga beras stabil pada Kamis (4/5).\nIa menambahkan hal lain."


@pytest.fixture(scope="module")
def pipe() -> Language:
    nlp = blank()
    for name in ("sections", "sentences", "dates", "dateline"):
        nlp.add_pipe(f"beritanlp_{name}")
    return nlp


@pytest.fixture(scope="module")
def bare() -> Language:
    """Without the sections component: the dateline component runs the patterns itself."""
    nlp = blank()
    nlp.add_pipe("beritanlp_dateline")
    return nlp


def run(nlp: Language, text: str, published: str | None = "2023-05-04") -> Any:
    doc = nlp.make_doc(text)
    doc._.beritanlp_context = {"title": None, "published": published, "url": None}
    return nlp(doc)


FORMS = [
    ("Goa, India (Xinhua) –", "Goa, India", "Xinhua"),
    ("Jakarta (ANTARA) -", "Jakarta", "ANTARA"),
    ("Jakarta (ANTARA News) -", "Jakarta", "ANTARA"),
    ("JAKARTA, KOMPAS.com -", "Jakarta", "Kompas.com"),
    ("KOMPAS.com -", None, "Kompas.com"),
    ("TEMPO.CO, Jakarta -", "Jakarta", "Tempo.co"),
    ("TEMPO.CO,Jakarta-", "Jakarta", "Tempo.co"),
    ("Jakarta, CNN Indonesia --", "Jakarta", "CNN Indonesia"),
    ("Liputan6.com, Jakarta -", "Jakarta", "Liputan6.com"),
    ("Liputan6.com, Jakarta:", "Jakarta", "Liputan6.com"),
    ("REPUBLIKA.CO.ID, JAKARTA --", "Jakarta", "Republika.co.id"),
    ("JAKARTA -", "Jakarta", None),
    ("JAKARTA–", "Jakarta", None),
    ("MOSKOW -", "Moskow", None),
    ("Merdeka.com -", None, "Merdeka.com"),
    ("TRIBUNNEWS.COM, JAKARTA -", "Jakarta", "Tribunnews.com"),
    ("WARTAKOTALIVE.COM, JAKARTA -", "Jakarta", "Wartakotalive.com"),
    ("JUARA.NET, TOKYO -", "Tokyo", "Juara.net"),
    ("KUALA LUMPUR, KOMPAS.com -", "Kuala Lumpur", "Kompas.com"),
    ("SURABAYA, BERITAKOTA.COM -", "Surabaya", "Beritakota.com"),  # unknown outlet, known shape
    ("Singkil, Aceh, (ANTARA News) -", "Singkil, Aceh", "ANTARA"),
    ("Liputan6.com, Washington, DC -", "Washington, DC", "Liputan6.com"),
]


@pytest.mark.parametrize(("opening", "place", "source"), FORMS)
def test_dateline_forms(pipe: Language, opening: str, place: str | None, source: str) -> None:
    text = opening + BODY
    found = run(pipe, text)._.beritanlp_dateline
    assert isinstance(found, Dateline)  # a typed record, not a dict
    assert found.text == opening
    assert text[found.start : found.end] == found.text
    assert (found.place, found.source) == (place, source)
    assert found.date == "2023-05-04"  # "Kamis (4/5)" in the lead sentence
    assert set(found.to_dict()) == {"text", "start", "end", "place", "source", "date"}


@pytest.mark.parametrize(("opening", "place", "source"), FORMS)
def test_dateline_forms_without_sections(
    bare: Language, opening: str, place: str | None, source: str
) -> None:
    found = run(bare, opening + BODY)._.beritanlp_dateline
    assert found is not None and found.text == opening
    assert (found.place, found.source, found.date) == (place, source, None)


def test_dateline_seed(pipe: Language, seed_text: str) -> None:
    found = run(pipe, seed_text)._.beritanlp_dateline
    assert found.text == "Goa, India (Xinhua) –"
    assert (found.place, found.source, found.date) == (
        "Goa, India",
        "Xinhua",
        "2023-05-04",
    )
    assert seed_text[found.start : found.end] == found.text
    # inferred publication date (from the caption's "4 Mei 2023") gives the same date
    assert run(pipe, seed_text, None)._.beritanlp_dateline.date == "2023-05-04"


def test_dateline_body_only(pipe: Language, seed_text: str) -> None:
    body = seed_text[seed_text.index("Goa, India (Xinhua)") :]
    found = run(pipe, body)._.beritanlp_dateline
    assert (found.start, found.place, found.date) == (0, "Goa, India", "2023-05-04")


def test_dateline_with_date_group(pipe: Language) -> None:
    text = "Jeddah, Saudi Arabia, 27/11 (Antara) - Jemaah haji tiba dengan selamat.\nLainnya."
    found = run(pipe, text, "2023-11-28")._.beritanlp_dateline
    assert found.text == "Jeddah, Saudi Arabia, 27/11 (Antara) -"
    assert (found.place, found.source, found.date) == (
        "Jeddah, Saudi Arabia",
        "ANTARA",
        "2023-11-27",
    )


def test_dateline_after_byline(pipe: Language) -> None:
    text = (
        "Laporan Wartawan Tribunnews.com, Budi Santoso\nTRIBUNNEWS.COM, JAKARTA - Harga cabai "
        "naik pada Senin (1/5/2023).\nPedagang mengeluh."
    )
    found = run(pipe, text)._.beritanlp_dateline
    assert (found.text, found.place, found.date) == (
        "TRIBUNNEWS.COM, JAKARTA -",
        "Jakarta",
        "2023-05-01",
    )


def test_dateline_detik_split_lines(pipe: Language) -> None:
    text = "Jakarta\n-\nPresiden meresmikan bendungan baru hari ini.\nIa didampingi menteri."
    found = run(pipe, text)._.beritanlp_dateline
    assert (found.text, found.place, found.source) == ("Jakarta\n-", "Jakarta", None)
    assert found.date == "2023-05-04"  # "hari ini"


def test_dateline_glued_to_first_word(pipe: Language) -> None:
    text = "Liputan6.com, JakartaKita semua tahu harga emas naik.\nLainnya."
    found = run(pipe, text)._.beritanlp_dateline
    assert (found.text, found.place, found.source) == (
        "Liputan6.com, Jakarta",
        "Jakarta",
        "Liputan6.com",
    )


@pytest.mark.parametrize(
    ("text", "opening", "place", "source"),
    [
        (
            "Liputan6.com, Ogan IlirPT Bank membuka cabang.",
            "Liputan6.com, Ogan Ilir",
            "Ogan Ilir",
            "Liputan6.com",
        ),
        (
            "Liputan6.com, Jakarta“Iris” bukan lagu baru.",
            "Liputan6.com, Jakarta",
            "Jakarta",
            "Liputan6.com",
        ),
        (
            "JAKARTA KOMPAS.com -Kader partai diperiksa.",
            "JAKARTA KOMPAS.com -",
            "Jakarta",
            "Kompas.com",
        ),
        (
            "BANJARMASINPOST.CO.ID, MARTAPURA, - Warga antre.",
            "BANJARMASINPOST.CO.ID, MARTAPURA, -",
            "Martapura",
            "BanjarmasinPost.co.id",
        ),
        (
            "SURYA.co.id | SIDOARJO - Banjir meredam rumah.",
            "SURYA.co.id | SIDOARJO -",
            "Sidoarjo",
            "Surya.co.id",
        ),
        (
            "JAKARTA, KOMPAS.com\n- Presiden memimpin rapat.",
            "JAKARTA, KOMPAS.com\n-",
            "Jakarta",
            "Kompas.com",
        ),
    ],
)
def test_dateline_scrape_variants(
    pipe: Language, text: str, opening: str, place: str, source: str
) -> None:
    found = run(pipe, text)._.beritanlp_dateline
    assert (found.text, found.place, found.source) == (opening, place, source)


def test_dateline_after_title_line(pipe: Language) -> None:
    text = (
        "Harga Beras Naik Lagi di Pasar Induk Cipinang\n\nJAKARTA, KOMPAS.com - Harga beras naik."
    )
    found = run(pipe, text)._.beritanlp_dateline
    assert found.text == "JAKARTA, KOMPAS.com -" and found.place == "Jakarta"


@pytest.mark.parametrize(
    "text",
    [
        "PELATIH Timnas Indonesia memanggil 30 pemain untuk pemusatan latihan.",
        "PEKAN ini tim Ekonomi menurunkan laporan tentang pajak.",
        "Mercedes - Benz meluncurkan mobil listrik terbaru di Jakarta.",
        "GO - JEK menambah layanan baru bagi pengguna di Bandung.",
        "Harga cabai naik tajam pekan ini di pasar tradisional.",
        "",
        "   \n  ",
    ],
)
def test_dateline_none(pipe: Language, bare: Language, text: str) -> None:
    assert run(pipe, text)._.beritanlp_dateline is None
    assert run(bare, text)._.beritanlp_dateline is None


def test_normalisation() -> None:
    assert normalise_place("JAKARTA") == "Jakarta"
    assert normalise_place("Goa,India") == "Goa, India"
    assert normalise_place("WASHINGTON, DC", frozenset({"DC"})) == "Washington, DC"
    assert normalise_place(None) is None
    assert normalise_source("JUARA.NET") == "Juara.net"
    assert normalise_source("Some Agency") == "Some Agency"


def test_source_files_well_formed() -> None:
    for row in read_tsv("outlets.tsv"):
        assert len(row) == 4 and all(row)
    for row in read_tsv("agencies.tsv"):
        assert len(row) == 3 and all(row)
    parser = DatelineParser()
    assert parser.data.sources["antaranews"] == "ANTARA"


TEXTS = st.lists(
    st.one_of(
        st.sampled_from(
            [o for o, _, _ in FORMS]
            + ["\n", " ", "-", "Kamis (4/5)", "Laporan Wartawan X, Y ", "(", ")", ",", "JAKARTA"]
        ),
        st.text(max_size=10),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_dateline_never_crashes(pipe: Language, text: str) -> None:
    found = run(pipe, text)._.beritanlp_dateline
    if found is not None:
        assert 0 <= found.start <= found.end <= len(text)
        assert text[found.start : found.end] == found.text


def test_dateline_settings_declared_once() -> None:
    nlp = blank()
    component = nlp.add_pipe("beritanlp_dateline", config={"lead_window_chars": 50})
    assert isinstance(component.settings, DatelineSettings)
    assert component.settings.lead_window_chars == 50 and component.settings.window_chars == 160
    assert DatelineParser().settings == DatelineSettings()
    with pytest.raises(ConfigError, match="patterns"):
        DatelineSettings(patterns="")


def test_dateline_date_needs_the_dates_component_first(seed_text: str) -> None:
    nlp = blank()
    for name in ("sections", "sentences", "dateline", "dates"):  # dates after: no date yet
        nlp.add_pipe(f"beritanlp_{name}")
    found = run(nlp, seed_text)._.beritanlp_dateline
    assert found.place == "Goa, India" and found.date is None


OWN_OUTLET = "Berita Kota\tberitakota.com\tberitakota.com\tBERITAKOTA.COM\n"


def test_dateline_own_outlet_file_and_saved_copy(tmp_path: Path) -> None:
    text = "SURABAYA, BERITAKOTA.COM -" + BODY
    own = tmp_path / "outlets.tsv"
    own.write_text(OWN_OUTLET, encoding="utf-8")
    nlp = blank()
    for name in ("sections", "dates"):
        nlp.add_pipe(f"beritanlp_{name}", name=name)
    nlp.add_pipe("beritanlp_dateline", name="dateline", config={"outlets": str(own)})
    assert run(nlp, text)._.beritanlp_dateline.source == "Berita Kota"
    nlp.to_disk(tmp_path / "pipe")
    own.unlink()  # the saved pipeline carries its own copy
    loaded = spacy.load(tmp_path / "pipe")
    assert run(loaded, text)._.beritanlp_dateline == run(nlp, text)._.beritanlp_dateline
    (tmp_path / "pipe" / "dateline" / "outlets.tsv").write_text(
        OWN_OUTLET.replace("Berita Kota", "BK"), encoding="utf-8"
    )
    assert run(spacy.load(tmp_path / "pipe"), text)._.beritanlp_dateline.source == "BK"
