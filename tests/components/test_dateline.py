"""Tests of the dateline component (beritanlp_dateline) and its data files."""

from __future__ import annotations

import copy
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
    dateline_rules,
    normalise_place,
    normalise_source,
)
from beritanlp.components.sections import find_sections
from beritanlp.errors import ConfigError, ResourceError
from beritanlp.lang import blank
from beritanlp.records import Dateline
from beritanlp.resources import DataFile, read_data_file, read_json, read_tsv

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


# Issue 16: forms learned from the outlet list and the place gazetteer (no pattern per outlet):
# (text, dateline text, place, source)
LEARNED = [
    # the separator lost in scraping: a listed outlet, a known place, a capitalised word
    ("Liputan6.com, Jakarta Ketua DPR membuka sidang.", "Liputan6.com, Jakarta", "Jakarta",
     "Liputan6.com"),
    ("Liputan6.com, Jakarta Selatan Polisi menangkap dua orang.", "Liputan6.com, Jakarta Selatan",
     "Jakarta Selatan", "Liputan6.com"),
    ("TRIBUNNEWS.COM, JAKARTA Aspal landasan pacu retak.", "TRIBUNNEWS.COM, JAKARTA", "Jakarta",
     "Tribunnews.com"),
    ("BANJARMASINPOST.CO.ID  Presenter itu menolak tawaran.", "BANJARMASINPOST.CO.ID", None,
     "BanjarmasinPost.co.id"),
    # double spaces before the dash
    ("JAKARTA, KOMPAS.com  - Harga naik.", "JAKARTA, KOMPAS.com  -", "Jakarta", "Kompas.com"),
    ("Jakarta  - Harga naik.", "Jakarta  -", "Jakarta", None),
    ("KIEV  -Menjelang turnamen, kota bersiap.", "KIEV  -", "Kiev", None),
    # comma-glued outlets
    ("Tribunnews,co.id,CIREBON – Warga antre.", "Tribunnews,co.id,CIREBON –", "Cirebon",
     "Tribunnews,co.id"),
    ("WARTAKOTALIVE,COM -- Pelatih baru tiba.", "WARTAKOTALIVE,COM --", None, "Wartakotalive.com"),
    ("TRIBUNNEWS,COM, JAKARTA - Pasar ramai.", "TRIBUNNEWS,COM, JAKARTA -", "Jakarta",
     "Tribunnews.com"),
    ("TRIBUN-MEDAN.COM,- Hari ini cerah.", "TRIBUN-MEDAN.COM,-", None, "Tribun-Medan.com"),
    ("BANJARMASINPOST.CO.ID. BANJARBARU - Warga antre.", "BANJARMASINPOST.CO.ID. BANJARBARU -",
     "Banjarbaru", "BanjarmasinPost.co.id"),
    ("POS KUPANG.COM -- Simak lirik lagu ini.", "POS KUPANG.COM --", None, "Pos-Kupang.com"),
    ("TRIBUNNEWS, JAKARTA - Pasar ramai.", "TRIBUNNEWS, JAKARTA -", "Jakarta", "Tribunnews.com"),
    # all-capitals places of several words, with particles and accents
    ("RIO DE JANEIRO, KOMPAS.com - Karnaval dimulai.", "RIO DE JANEIRO, KOMPAS.com -",
     "Rio de Janeiro", "Kompas.com"),
    ("SANTA CRUZ DE LA SIERRA, KOMPAS.com - Hujan turun.",
     "SANTA CRUZ DE LA SIERRA, KOMPAS.com -", "Santa Cruz de la Sierra", "Kompas.com"),
    ("HO CHI MINH CITY– Tim nasional menang.", "HO CHI MINH CITY–", "Ho Chi Minh City", None),
    ("VILLENEUVE d’ASCQ– Wales menang.", "VILLENEUVE d’ASCQ–", "Villeneuve d’Ascq", None),
    ("GDAŃSK- Menteri berpidato.", "GDAŃSK-", "Gdańsk", None),
    ("MÖNCHENGLADBACH –Sebagai warga negara ia bangga.", "MÖNCHENGLADBACH –", "Mönchengladbach",
     None),
    ("TRBUNNEWS.COM, DIDCOT, INGGRIS - Para ilmuwan heran.", "TRBUNNEWS.COM, DIDCOT, INGGRIS -",
     "Didcot, Inggris", "Tribunnews.com"),
    ("Tribunjogja.com Inggris --- Bursa transfer ditutup.", "Tribunjogja.com Inggris ---",
     "Inggris", "TribunJogja.com"),
    ("JAKARTA- realme merilis ponsel baru.", "JAKARTA-", "Jakarta", None),
    ("PALEMBANG, 9 JUNI 2025 – Program baru diluncurkan.", "PALEMBANG, 9 JUNI 2025 –",
     "Palembang", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "opening", "place", "source"), LEARNED)
def test_dateline_learned_forms(
    pipe: Language, bare: Language, text: str, opening: str, place: str | None, source: str | None
) -> None:
    for nlp in (pipe, bare):
        found = run(nlp, text)._.beritanlp_dateline
        assert found is not None, text
        assert (found.text, found.place, found.source) == (opening, place, source)
        assert text[found.start : found.end] == found.text


# a credit before the dateline, on the same line or on a line of its own:
# (text, dateline text, place, source, the credit left as boilerplate)
CREDITED = [
    ("TribunTravel.com/Sari Wulandani TRIBUNNEWS.COM - Hewan itu langka.",
     "TRIBUNNEWS.COM -", None, "Tribunnews.com", "TribunTravel.com/Sari Wulandani"),
    ("(TribunStyle.com/Dimas Hutomo) TRIBUNNEWS.COM -- Di tengah perayaan itu.",
     "TRIBUNNEWS.COM --", None, "Tribunnews.com", "(TribunStyle.com/Dimas Hutomo)"),
    ("Laporan Wartawan TribunnewsBogor.com, Budi KartonoTRIBUNNEWS.COM - Banyak video beredar di"
     " media sosial sejak pekan lalu.",
     "TRIBUNNEWS.COM -", None, "Tribunnews.com",
     "Laporan Wartawan TribunnewsBogor.com, Budi Kartono"),
    ("Reporter: Ghina Quddus TRIBUNNEWS.COM, JAKARTA - Pajak naik.", "TRIBUNNEWS.COM, JAKARTA -",
     "Jakarta", "Tribunnews.com", "Reporter: Ghina Quddus"),
    ("POS-KUPANG.COM, Dionisius Rebon\nPOS-KUPANG.COM, KEFAMENANU - Kepala dinas hadir.",
     "POS-KUPANG.COM, KEFAMENANU -", "Kefamenanu", "Pos-Kupang.com",
     "POS-KUPANG.COM, Dionisius Rebon"),
    ("Laporan Ahsan Faradisi\nSURYAMALANG.COM, PROBOLINGGO - Wisatawan datang.",
     "SURYAMALANG.COM, PROBOLINGGO -", "Probolinggo", "SuryaMalang.com",
     "Laporan Ahsan Faradisi"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "opening", "place", "source", "credit"), CREDITED)
def test_dateline_after_a_credit(
    pipe: Language,
    bare: Language,
    text: str,
    opening: str,
    place: str | None,
    source: str,
    credit: str,
) -> None:
    for nlp in (pipe, bare):
        found = run(nlp, text)._.beritanlp_dateline
        assert (found.text, found.place, found.source) == (opening, place, source)
        assert text[found.start : found.end] == found.text
    found_sections = [(s.kind, text[s.start : s.end]) for s in find_sections(text)]
    assert found_sections[:2] == [("boilerplate", credit), ("dateline", opening)]


def test_dateline_after_a_table_of_contents(pipe: Language, bare: Language) -> None:
    """detik opens some articles with "Daftar Isi" and the article's headings, then the dateline
    line; a table of contents with no dateline after it is left alone."""
    text = (
        "Daftar Isi\nBiaya Bikin SIM Baru Juni 2025\nWajib Menyertakan Kartu BPJS Kesehatan\n"
        "Jakarta\n-\nBiaya bikin SIM belum naik.\nLainnya."
    )
    for nlp in (pipe, bare):
        found = run(nlp, text)._.beritanlp_dateline
        assert (found.text, found.place, found.source) == ("Jakarta\n-", "Jakarta", None)
    found_sections = [(s.kind, text[s.start : s.end]) for s in find_sections(text)]
    assert found_sections[0] == ("boilerplate", text[: text.index("\nJakarta")])
    without = "Daftar Isi\nJalan Tol A:\nDari Gerbang B:\nIsi berita tanpa dateline.\nLainnya."
    assert run(pipe, without)._.beritanlp_dateline is None
    assert run(bare, without)._.beritanlp_dateline is None


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
        # rubrics that open a body like a place (not_places)
        "INFO NASIONAL - PT Pertamina membangun sarana air bersih.",
        "OPINI - Dalam konstelasi pilkada tahun ini.",
        # a compound, a route: not a dateline
        "China-Rusia berjanji tingkatkan hubungan dan kerja sama.",
        "Jakarta-Ciwidey bisa ditempuh dengan kereta.",
        # a lower-case word before a dash is not an outlet
        "Operator co - working space itu resmi dibuka.",
        # a credit line without a dateline after it
        "POS-KUPANG.COM, Dionisius Rebon\nWarga antre sejak pagi di kantor kelurahan.",
        "Menurut laporan KOMPAS.com - harga naik.",
        "",
        "   \n  ",
    ],
)
def test_dateline_none(pipe: Language, bare: Language, text: str) -> None:
    assert run(pipe, text)._.beritanlp_dateline is None
    assert run(bare, text)._.beritanlp_dateline is None


def test_normalisation() -> None:
    particles = frozenset({"de", "la"})
    assert normalise_place("RIO DE JANEIRO", particles=particles) == "Rio de Janeiro"
    assert normalise_place("SAINT-DENIS") == "Saint-Denis"
    assert normalise_place("TAI’AN") == "Tai’an"
    assert normalise_place("VILLENEUVE d’ASCQ") == "Villeneuve d’Ascq"
    assert normalise_place("Rio de Janeiro", particles=particles) == "Rio de Janeiro"
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


# Adversarial shapes: long runs of what the patterns repeat (capitals, commas, dashes, outlet
# names, particles, credits). Each must finish (the patterns use bounded repetitions, and run on
# a window of window_chars) and give valid offsets; the speed itself is measured in benchmarks/.
ADVERSARIAL = [
    "A" * 20000,
    "AB " * 7000,
    "," * 20000,
    "-" * 20000,
    "JAKARTA, " * 2000,
    "JAKARTA " * 2000 + "-",
    "RIO DE " * 3000 + "- Kota",
    "A de " * 4000 + "- X",
    "Liputan6.com, " * 1500,
    "Liputan6.com, Jakarta" * 1000,
    "(" * 20000,
    "TRIBUNNEWS.COM/" * 1500,
    "Laporan " * 2500,
    "JAKARTA\n" * 2500,
    "A." * 10000,
    "AB-" * 7000,
    "A’" * 10000,
    "aB" * 10000,
    " " * 20000 + "JAKARTA - Isi.",
    "\xa0" * 20000,
    "JAKARTA, KOMPAS.com " * 1000 + "- Isi.",
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_dateline_adversarial_shapes(bare: Language, text: str) -> None:
    parser = DatelineParser()
    for found in (parser.find(text), parser.parse_at(text, 0)):
        if found is not None:
            assert 0 <= found["start"] <= found["end"] <= len(text)
            assert text[found["start"] : found["end"]] == found["text"]
    # the shapes themselves, on the whole text (no window): still a match or None
    rules = parser.data.rules
    match = rules.at(text, 0, len(text))
    assert match is None or 0 < match.end() <= len(text)
    credited = rules.after_credit(text, 0, len(text), 160)
    assert credited is None or 0 < credited.start() < credited.end() <= len(text)
    for segment in find_sections(text):
        assert 0 <= segment.start < segment.end <= len(text)
    record = run(bare, text[:5000])._.beritanlp_dateline
    assert record is None or text[record.start : record.end] == record.text


def _rules_file(raw: dict[str, Any]) -> DataFile:
    import json

    return DataFile("own.json", json.dumps(raw), "own.json")


def test_dateline_rules_are_learned_from_the_lists(tmp_path: Path) -> None:
    """A spelling added to the outlet list (a file the patterns file names) is recognised in
    every shape, including the one whose separator was lost; so is a place added to the list."""
    raw = copy.deepcopy(read_json("dateline_patterns.json"))  # the parsed file is cached: copy
    text = "Warta Desa, Kampung Durian Runtuh Ketua RT membuka rapat."
    assert dateline_rules(_rules_file(raw)).at(text, 0, len(text)) is None
    outlets = tmp_path / "outlets.tsv"
    outlets.write_text("Warta Desa\twartadesa.id\twartadesa.id\tWarta Desa\n", encoding="utf-8")
    places = tmp_path / "places.tsv"
    places.write_text("Kampung Durian Runtuh\tLOC\tKampung Durian Runtuh\t\n", encoding="utf-8")
    raw["lists"] = {
        "outlet": [{"file": str(outlets), "columns": [0, 3]}],
        "place": [{"file": str(places), "columns": [0]}],
    }
    match = dateline_rules(_rules_file(raw)).at(text, 0, len(text))
    assert match is not None
    assert (match.group("source"), match.group("place")) == ("Warta Desa", "Kampung Durian Runtuh")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"patterns": [{"pattern": "{{nowhere}}"}]}, "unknown part"),
        ({"parts": {"a": "{{b}}", "b": "{{a}}"}, "patterns": [{"pattern": "{{a}}"}]}, "loop"),
        ({"patterns": [{"pattern": "("}]}, "invalid"),
        ({"lists": {"outlet": [{"columns": [0]}]}}, "lists"),
    ],
)
def test_dateline_rules_errors(change: dict[str, Any], message: str) -> None:
    raw = {**copy.deepcopy(read_json("dateline_patterns.json")), **change}
    with pytest.raises(ResourceError, match=message):
        dateline_rules(_rules_file(raw))


def test_dateline_bundled_lists_are_read() -> None:
    rules = dateline_rules(read_data_file("dateline_patterns.json"))
    assert rules.known_outlet.fullmatch("TRIBUNNEWS,COM")  # "." also scraped as ","
    assert rules.known_outlet.fullmatch("CNN Indonesia") and not rules.known_outlet.fullmatch("AP")
    assert {"de", "la"} <= rules.particles and "DC" in rules.keep_upper


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
