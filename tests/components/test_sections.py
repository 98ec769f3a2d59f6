"""Tests of the sections component (beritanlp_sections) and its data file."""

from __future__ import annotations

import copy
import itertools
import json
import re
from pathlib import Path

import pytest

from beritanlp.components.dateline import dateline_rules
from beritanlp.components.sections import SectionFinder, SectionsSettings, Segment, find_sections
from beritanlp.errors import ConfigError, ResourceError
from beritanlp.resources import read_data_file, read_json


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in find_sections(text)]


def test_sections_rules_compile() -> None:
    data = read_json("sections.json")
    for family, entries in data.items():
        if family.startswith("_"):
            continue
        for entry in entries:
            re.compile(entry["pattern"])
    # the dateline shapes are compiled with their parts and lists (components/dateline.py)
    rules = dateline_rules(read_data_file("dateline_patterns.json"))
    assert len(rules.patterns) == len(read_json("dateline_patterns.json")["patterns"])


def test_sections_seed_layout(seed_text: str) -> None:
    found = find_sections(seed_text)
    assert [s.kind for s in found] == [
        "title",
        "caption",
        "lead",
        "dateline",
        "body",
        "boilerplate",
    ]
    by_kind = {s.kind: seed_text[s.start : s.end] for s in found}
    assert by_kind["title"] == "China-Rusia berjanji tingkatkan hubungan dan kerja sama SCO"
    assert by_kind["caption"].endswith("(Xinhua/Javed Dar)")
    assert by_kind["lead"].startswith("China dan Rusia sepakat")
    assert by_kind["dateline"] == "Goa, India (Xinhua) –"
    assert by_kind["body"].endswith("yang menjadi perhatian bersama.")
    assert by_kind["boilerplate"].startswith("Laporan: RedaksiBagikan")
    assert "Berita Terkait" in by_kind["boilerplate"]
    assert by_kind["boilerplate"].endswith("30 Jan 2026")


def test_sections_offsets_are_sorted_and_disjoint(seed_text: str) -> None:
    found = find_sections(seed_text)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for s in found:
        piece = seed_text[s.start : s.end]
        assert piece == piece.strip() and piece


def test_sections_body_only_has_no_title() -> None:
    text = (
        "Jakarta (ANTARA) - Presiden Joko Widodo meresmikan jalan tol baru di Jawa Tengah pada "
        "Senin.\nPeresmian itu dihadiri sejumlah menteri."
    )
    found = kinds(text)
    assert found[0] == ("dateline", "Jakarta (ANTARA) -")
    assert all(kind != "title" for kind, _ in found)


def test_sections_single_line_is_body() -> None:
    assert kinds("Harga cabai naik tajam pekan ini") == [
        ("body", "Harga cabai naik tajam pekan ini")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Baca juga: Harga Cabai Naik Lagi", "boilerplate"),
        ("Baca Juga:KPK Tetapkan Tersangka Baru", "boilerplate"),
        ("ADVERTISEMENT", "boilerplate"),
        ("SCROLL TO CONTINUE WITH CONTENT", "boilerplate"),
        ("[Gambas:Video CNN]", "boilerplate"),
        ("Simak Video: Banjir Rendam Jakarta", "boilerplate"),
        ("Warga membagikan makanan kepada korban banjir di Bekasi.", "body"),
        ("Komentar warganet di media sosial beragam, sebagian mendukung.", "body"),
        ("Laporan keuangan perusahaan itu dirilis pekan lalu.", "body"),
        ("Simak informasi selengkapnya di bawah ini.", "body"),
        ("Editor: Budi Santoso", "body"),  # tail-only rule: mid-text it is not a byline
    ],
)
def test_sections_boilerplate_lines_anywhere(line: str, expected: str) -> None:
    text = f"JAKARTA - Pemerintah menaikkan harga BBM.\n{line}\nKebijakan itu berlaku besok."
    found = kinds(text)
    if expected == "boilerplate":
        assert (expected, line) in found
    else:  # body lines merge with their neighbours
        assert any(kind == "body" and line in piece for kind, piece in found)
        assert all(kind != "boilerplate" for kind, _ in found)


def test_sections_marker_line_takes_its_headline() -> None:
    text = "JAKARTA - Isi berita.\nBaca juga:\nKPK Tetapkan Tersangka Baru\nKalimat lanjutan."
    assert kinds(text)[2:4] == [
        ("boilerplate", "Baca juga:\nKPK Tetapkan Tersangka Baru"),
        ("body", "Kalimat lanjutan."),
    ]


@pytest.mark.parametrize(
    "tail",
    [
        "(rah/rah)",
        "Editor: Budi Santoso",
        "Penulis: Ani",
        "(*)",
        "Artikel ini telah tayang di Kompas.com dengan judul X",
        "Ikuti kami di Google News",
        "Bagikan",
        "(Fitra Iskandar)",
    ],
)
def test_sections_tail_lines(tail: str) -> None:
    text = f"JAKARTA - Pemerintah menaikkan harga BBM.\nKebijakan itu berlaku besok.\n{tail}"
    found = kinds(text)
    assert found[-1] == ("boilerplate", tail)
    assert found[-2] == ("body", "Pemerintah menaikkan harga BBM.\nKebijakan itu berlaku besok.")


@pytest.mark.parametrize(
    ("ending", "signoff"),
    [
        ("berlaku besok.", "(rah/rah)"),
        ("berlaku besok.", " (mir / rer)"),
        ("berlaku besok.", "(Antara)"),
        ("berlaku besok.", " (*)"),
    ],
)
def test_sections_glued_signoffs(ending: str, signoff: str) -> None:
    text = f"JAKARTA - Kebijakan itu {ending}{signoff}"
    found = kinds(text)
    assert found[-1] == ("boilerplate", signoff.strip())
    assert found[-2] == ("body", f"Kebijakan itu {ending}")


def test_sections_reporter_line_in_head() -> None:
    text = (
        "Laporan Wartawan Tribunnews.com, Rudi Hartanto\n"
        "TRIBUNNEWS.COM, JAKARTA - KPK memeriksa saksi.\nPemeriksaan berlangsung lama."
    )
    found = kinds(text)
    assert found[0] == ("boilerplate", "Laporan Wartawan Tribunnews.com, Rudi Hartanto")
    assert found[1] == ("dateline", "TRIBUNNEWS.COM, JAKARTA -")
    same_line = "Laporan Wartawan Tribunnews.com, Ilham TRIBUNNEWS.COM, JAKARTA - KPK memeriksa."
    assert [k for k, _ in kinds(same_line)] == ["boilerplate", "dateline", "body"]


def test_sections_glued_credit_and_share_word() -> None:
    text = (
        "Jakarta (ANTARA) - Hujan turun sejak pagi.Banjir merendam jalan."
        "Laporan: RedaksiBagikan\nKomentar"
    )
    found = kinds(text)
    assert ("body", "Hujan turun sejak pagi.Banjir merendam jalan.") in found
    assert found[-1] == ("boilerplate", "Laporan: RedaksiBagikan\nKomentar")


def test_sections_tail_list_is_boilerplate() -> None:
    text = (
        "MOSKOW - Rusia menggelar latihan militer.\nLatihan berlangsung tiga hari.\n"
        "Berita Terkait\n\nHarga minyak naik\nIndonesia\n•\n29 Oct 2023"
    )
    found = kinds(text)
    assert found[-1][0] == "boilerplate"
    assert found[-1][1].startswith("Berita Terkait")
    assert found[-2] == ("body", "Rusia menggelar latihan militer.\nLatihan berlangsung tiga hari.")


@pytest.mark.parametrize(
    "caption",
    [
        "Presiden berpidato di Istana Merdeka, Jakarta, Senin. (ANTARA FOTO/Sigid Kurniawan)",
        "Suasana rapat paripurna DPR. (Foto: Dok. DPR)",
        "Petugas memeriksa kendaraan di gerbang tol. (Liputan6.com/Angga Yuniar)",
        "Ilustrasi pasar saham. (Istimewa)",
    ],
)
def test_sections_caption_credits(caption: str) -> None:
    text = f"Judul Berita Hari Ini Di Jakarta\n{caption}\nJAKARTA - Isi berita dimulai di sini."
    assert ("caption", caption) in kinds(text)


def test_sections_detik_split_dateline() -> None:
    text = "Jakarta\n-\nPresiden meninjau lokasi banjir di Bekasi.\nWarga menyambut baik."
    found = kinds(text)
    assert found[0] == ("dateline", "Jakarta\n-")
    assert found[1][0] == "body"


@pytest.mark.parametrize(
    "opening",
    [
        "PELATIH Timnas Indonesia memanggil 30 pemain.",
        "PEKAN ini harga emas turun.",
        "Harga emas turun pekan ini.",
    ],
)
def test_sections_no_dateline_for_plain_openings(opening: str) -> None:
    found = kinds(opening + "\nKalimat kedua.")
    assert found[0][0] == "body"


@pytest.mark.parametrize(
    "opening",
    [
        "China-Rusia berjanji tingkatkan hubungan dan kerja sama.",  # a compound, not a dateline
        "INFO NASIONAL - PT Pertamina membangun sarana air bersih.",  # a rubric
    ],
)
def test_sections_no_dateline_for_compounds_and_rubrics(opening: str) -> None:
    assert kinds(opening + "\nKalimat kedua.")[0][0] == "body"


def test_sections_credit_line_before_the_dateline() -> None:
    """A credit on its own line (an outlet and a name) before a dateline is boilerplate, so the
    dateline on the next line is found; the same line without a dateline after it is body."""
    text = (
        "POS-KUPANG.COM, Dionisius Rebon\nPOS-KUPANG.COM, KEFAMENANU - Kepala dinas hadir.\n"
        "Rapat berlangsung lama."
    )
    found = kinds(text)
    assert found[:3] == [
        ("boilerplate", "POS-KUPANG.COM, Dionisius Rebon"),
        ("dateline", "POS-KUPANG.COM, KEFAMENANU -"),
        ("body", "Kepala dinas hadir.\nRapat berlangsung lama."),
    ]
    alone = "POS-KUPANG.COM, Dionisius Rebon\nWarga antre sejak pagi.\nRapat berlangsung lama."
    assert "dateline" not in [k for k, _ in kinds(alone)]


def test_sections_credit_before_the_dateline_on_the_same_line() -> None:
    text = "TribunTravel.com/Dewi Anggrek TRIBUNNEWS.COM - Gambar ini viral.\nBanyak yang heran."
    assert kinds(text)[:3] == [
        ("boilerplate", "TribunTravel.com/Dewi Anggrek"),
        ("dateline", "TRIBUNNEWS.COM -"),
        ("body", "Gambar ini viral.\nBanyak yang heran."),
    ]


def test_sections_lost_separator_dateline() -> None:
    text = "Liputan6.com, Jakarta Ketua DPR membuka sidang.\nSidang berlangsung lama."
    assert kinds(text)[:2] == [
        ("dateline", "Liputan6.com, Jakarta"),
        ("body", "Ketua DPR membuka sidang.\nSidang berlangsung lama."),
    ]


def test_sections_empty_and_blank() -> None:
    assert find_sections("") == []
    assert find_sections(" \n\r\n\t ") == []


def test_sections_crlf_offsets() -> None:
    text = "Judul Berita Penting Hari Ini\r\n\r\nJAKARTA - Isi berita.\r\nKalimat kedua.\r\n"
    for s in find_sections(text):
        assert "\r" not in text[s.start : s.end].strip("\n") or s.kind == "body"
        assert text[s.start] not in " \r\n"
    assert kinds(text)[0] == ("title", "Judul Berita Penting Hari Ini")


def test_sections_component_splits_glued_tokens(nlp, seed_text: str) -> None:
    doc = nlp(seed_text)
    spans = list(doc.spans["sections"])
    assert [s.label_ for s in spans][:4] == ["title", "caption", "lead", "dateline"]
    for span in spans:
        assert span.text == seed_text[span.start_char : span.end_char]
    # every token lies in at most one section, and section starts are token starts
    starts = {t.idx for t in doc}
    assert all(s.start_char in starts for s in spans)


def test_sections_token_and_span_extension(nlp) -> None:
    doc = nlp("Judul Berita Yang Cukup Panjang\nJAKARTA - Isi.\nBaca juga: Judul Lain Di Sini")
    assert doc[0]._.beritanlp_section == "title"
    assert doc[-1]._.beritanlp_section == "boilerplate"


def test_sections_segment_is_frozen() -> None:
    segment = Segment("body", 0, 1)
    with pytest.raises(AttributeError):
        segment.kind = "title"  # type: ignore[misc]
    assert json.dumps([segment.kind, segment.start, segment.end])


# -- settings, your own rules, saving -----------------------------------------------------------
OWN_RULE_TEXT = "JAKARTA - Isi berita.\nDukung kami di Saweria\nKalimat lanjutan."


def _own_rules(tmp_path: Path) -> Path:
    """A copy of the bundled rules with one more boilerplate line ("Dukung kami di …")."""
    data = copy.deepcopy(read_json("sections.json"))
    data["lines"].append(
        {"name": "support_us", "where": "anywhere", "pattern": "Dukung kami di .+"}
    )
    path = tmp_path / "my_sections.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_sections_settings_declared_once() -> None:
    from beritanlp.components.base import settings_to_json
    from beritanlp.lang import blank

    nlp = blank()
    component = nlp.add_pipe("beritanlp_sections")
    assert component.settings == SectionsSettings() == SectionFinder().settings
    assert dict(nlp.config["components"]["beritanlp_sections"]) == {
        "factory": "beritanlp_sections",
        **settings_to_json(SectionsSettings()),
    }
    with pytest.raises(ConfigError, match="head_lines"):
        SectionsSettings(head_lines=-1)
    with pytest.raises(ConfigError, match="unknown setting"):
        find_sections("x", rule="sections.json")


def test_sections_own_rules_file(tmp_path: Path) -> None:
    assert ("boilerplate", "Dukung kami di Saweria") not in kinds(OWN_RULE_TEXT)
    own = find_sections(OWN_RULE_TEXT, rules=str(_own_rules(tmp_path)))
    found = [(s.kind, OWN_RULE_TEXT[s.start : s.end]) for s in own]
    assert ("boilerplate", "Dukung kami di Saweria") in found


def test_sections_to_disk_carries_the_rules(tmp_path: Path) -> None:
    import spacy

    from beritanlp.lang import blank

    own = _own_rules(tmp_path)
    nlp = blank()
    nlp.add_pipe("beritanlp_sections", config={"rules": str(own)})
    nlp.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_sections"
    assert sorted(p.name for p in folder.iterdir()) == [
        "dateline_patterns.json",
        "rules.json",
        "settings.json",
    ]
    own.unlink()  # the saved pipeline does not need the original file
    again = spacy.load(tmp_path / "pipeline")
    doc = again(OWN_RULE_TEXT)
    spans = [(s.label_, s.text) for s in doc.spans["sections"]]
    assert ("boilerplate", "Dukung kami di Saweria") in spans
    assert again.get_pipe("beritanlp_sections").settings.rules == str(own)
    # a damaged saved rule stops the load, naming the file
    (folder / "rules.json").write_text('{"lines": [', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"rules\.json is not valid JSON"):
        spacy.load(tmp_path / "pipeline")


def test_sections_own_rules_file_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"lines": []}', encoding="utf-8")  # the other families are missing
    with pytest.raises(ResourceError, match=r"broken\.json.*not a valid rule file"):
        find_sections("Isi berita.", rules=str(broken))
    broken.write_text('{"to_end": [{"pattern": "("}]}', encoding="utf-8")
    with pytest.raises(ResourceError, match=r"broken\.json.*does not compile"):
        find_sections("Isi berita.", rules=str(broken))
