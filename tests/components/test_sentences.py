"""Tests of the ``beritanlp_sentences`` component (components/sentences.py).

The linguistic cases are Indonesian sentences written for these tests; the seed article is the
bundled ``examples/xinhua-sco-2023-05-04.txt``.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Span

from beritanlp.components.sentences import SentenceSegmenter
from beritanlp.errors import ConfigError
from beritanlp.lang import blank


def _make(**config: object) -> Language:
    nlp = blank()
    nlp.add_pipe("beritanlp_sentences", config=config)
    return nlp


@pytest.fixture(scope="module")
def sent_nlp() -> Language:
    return _make()


def _sents(nlp: Language, text: str) -> list[str]:
    return [sent.text.strip() for sent in nlp(text).sents]


def _check(nlp: Language, text: str, expected: list[str]) -> None:
    assert _sents(nlp, text) == expected


# -- linguistic cases -------------------------------------------------------------------------

ABBREVIATIONS = [
    (
        "Kantor itu berada di Jl. Sudirman No. 12, Jakarta. Warga sering datang ke sana.",
        ["Kantor itu berada di Jl. Sudirman No. 12, Jakarta.", "Warga sering datang ke sana."],
    ),
    (
        "Prof. Dr. Budi Santoso, S.H., M.Si. hadir dalam sidang itu.",
        ["Prof. Dr. Budi Santoso, S.H., M.Si. hadir dalam sidang itu."],
    ),
    (
        "Acara dibuka oleh H. Ahmad dan Hj. Siti. Keduanya tokoh desa.",
        ["Acara dibuka oleh H. Ahmad dan Hj. Siti.", "Keduanya tokoh desa."],
    ),
    (
        "Pasien dirawat oleh dr. Rina di Puskesmas. Kondisinya terus membaik.",
        ["Pasien dirawat oleh dr. Rina di Puskesmas.", "Kondisinya terus membaik."],
    ),
    (
        "Biayanya Rp. 1.500.000 per orang. Panitia menanggung sisanya.",
        ["Biayanya Rp. 1.500.000 per orang.", "Panitia menanggung sisanya."],
    ),
    (
        "Surat itu bertanggal tgl. 5 Mei 2023 dan diteken kepala desa.",
        ["Surat itu bertanggal tgl. 5 Mei 2023 dan diteken kepala desa."],
    ),
    (
        "Rapat dipimpin Kapolres AKBP. Joko dan Kompol. Rudi di aula.",
        ["Rapat dipimpin Kapolres AKBP. Joko dan Kompol. Rudi di aula."],
    ),
    (
        "Pembicara utama ialah dr. Ani, Sp.A. Ia membahas gizi anak.",
        ["Pembicara utama ialah dr. Ani, Sp.A.", "Ia membahas gizi anak."],
    ),
    (
        "Hasil rapat diumumkan. dr. Budi lalu memberi keterangan.",
        ["Hasil rapat diumumkan.", "dr. Budi lalu memberi keterangan."],
    ),
    (
        "Alamatnya di Jl.Merdeka No.5 sejak lama.",  # a scrape glued the abbreviation
        ["Alamatnya di Jl.Merdeka No.5 sejak lama."],
    ),
]

FINAL_ABBREVIATIONS = [
    (
        "Pasar menjual beras, gula, minyak, dll. Harga semuanya naik.",
        ["Pasar menjual beras, gula, minyak, dll.", "Harga semuanya naik."],
    ),
    (
        "Ada lomba lari, panjat pinang, dsb. Semua peserta senang.",
        ["Ada lomba lari, panjat pinang, dsb.", "Semua peserta senang."],
    ),
    (
        "Bahan pokok seperti beras, gula, dsb. juga ikut naik.",
        ["Bahan pokok seperti beras, gula, dsb. juga ikut naik."],
    ),
    (
        "Saham PT Maju Jaya Tbk. naik tajam. Investor pun senang.",
        ["Saham PT Maju Jaya Tbk. naik tajam.", "Investor pun senang."],
    ),
]

INITIALS = [
    (
        "B. J. Habibie lahir di Parepare. Ia presiden ketiga.",
        ["B. J. Habibie lahir di Parepare.", "Ia presiden ketiga."],
    ),
    (
        "Pidato itu dibacakan oleh Susilo B. Yudhoyono di Istana.",
        ["Pidato itu dibacakan oleh Susilo B. Yudhoyono di Istana."],
    ),
    (
        "Direktur Utama Agus D.W. Martowardojo memimpin rapat itu.",
        ["Direktur Utama Agus D.W. Martowardojo memimpin rapat itu."],
    ),
]

NUMBERS = [
    (
        "Inflasi naik 25,5 persen pada pukul 14.30 WIB. Angka itu tertinggi sejak 2019.",
        ["Inflasi naik 25,5 persen pada pukul 14.30 WIB.", "Angka itu tertinggi sejak 2019."],
    ),
    (
        "Penonton mencapai 1.000 orang. 500 di antaranya anak-anak.",
        ["Penonton mencapai 1.000 orang.", "500 di antaranya anak-anak."],
    ),
    (
        "Pertemuan berlangsung Kamis (4/5) di Goa, India, dan berjalan lancar.",
        ["Pertemuan berlangsung Kamis (4/5) di Goa, India, dan berjalan lancar."],
    ),
    (
        "Proyek selesai tahun 2023.Presiden meresmikannya.",
        ["Proyek selesai tahun 2023.", "Presiden meresmikannya."],
    ),
]

QUOTES = [
    (
        '"Kami siap bekerja sama." Pernyataan itu disampaikan Senin.',
        ['"Kami siap bekerja sama."', "Pernyataan itu disampaikan Senin."],
    ),
    ('"Saya tidak tahu..." katanya singkat.', ['"Saya tidak tahu..." katanya singkat.']),
    ("“Saya belum tahu…” ujarnya pelan.", ["“Saya belum tahu…” ujarnya pelan."]),
    (
        "“Mengapa harus sekarang?” tanya seorang warga.",
        ["“Mengapa harus sekarang?” tanya seorang warga."],
    ),
    (
        "“Kami menolak.” Warga lalu membubarkan diri.",
        ["“Kami menolak.”", "Warga lalu membubarkan diri."],
    ),
    (
        "Ia menyebutnya ‘awal baru.’ Semua hadirin bertepuk tangan.",
        ["Ia menyebutnya ‘awal baru.’", "Semua hadirin bertepuk tangan."],
    ),
    ("«Ini luar biasa.» Penonton pun bersorak.", ["«Ini luar biasa.»", "Penonton pun bersorak."]),
    (
        'Ia berkata, "Kami akan datang lagi." Lalu ia pergi.',
        ['Ia berkata, "Kami akan datang lagi."', "Lalu ia pergi."],
    ),
    (
        'Harga naik lagi," ujarnya."Kami akan memantau pasar.',  # a scrape dropped the space
        ['Harga naik lagi," ujarnya.', '"Kami akan memantau pasar.'],
    ),
    (
        '"Kami tetap optimistis."Menurut dia, pasar akan pulih.',
        ['"Kami tetap optimistis."', "Menurut dia, pasar akan pulih."],
    ),
]

GLUED = [
    (
        "Kerja sama itu saling menguntungkan.Dalam pertemuan itu hadir para menteri.",
        ["Kerja sama itu saling menguntungkan.", "Dalam pertemuan itu hadir para menteri."],
    ),
    (
        "Negara anggota Organisasi Kerja Sama Shanghai (SCO).Dalam rapat itu mereka sepakat.",
        ["Negara anggota Organisasi Kerja Sama Shanghai (SCO).", "Dalam rapat itu mereka sepakat."],
    ),
    (
        "Perdagangan harus terus meningkat, kata Budi.Sementara itu harga turun.",
        ["Perdagangan harus terus meningkat, kata Budi.", "Sementara itu harga turun."],
    ),
]

PUNCTUATION = [
    (
        "Apakah harga beras akan turun? Belum ada kepastian.",
        ["Apakah harga beras akan turun?", "Belum ada kepastian."],
    ),
    ("Luar biasa! Timnas menang 3-0.", ["Luar biasa!", "Timnas menang 3-0."]),
    ("Kenapa?! Tidak ada yang tahu.", ["Kenapa?!", "Tidak ada yang tahu."]),
    ("Ia terdiam… Lalu ia menangis.", ["Ia terdiam…", "Lalu ia menangis."]),
    ("Ia terdiam … lalu pergi begitu saja.", ["Ia terdiam … lalu pergi begitu saja."]),
    (
        "Nilainya naik. dibanding tahun lalu tetap rendah.",
        ["Nilainya naik. dibanding tahun lalu tetap rendah."],
    ),
    ("Hasilnya (lihat tabel.) cukup baik.", ["Hasilnya (lihat tabel.) cukup baik."]),
]

LINES = [
    (
        "Baca juga: Harga cabai naik lagi\nPemerintah menyiapkan operasi pasar.",
        ["Baca juga: Harga cabai naik lagi", "Pemerintah menyiapkan operasi pasar."],
    ),
    (
        "Syarat pendaftaran:\n• KTP asli\n• Kartu Keluarga",
        ["Syarat pendaftaran:", "• KTP asli", "• Kartu Keluarga"],
    ),
    ("Rapat selesai.\nkemudian peserta pulang.", ["Rapat selesai.", "kemudian peserta pulang."]),
    ("1. Siapkan dokumen\n2. Datang ke kantor", ["1. Siapkan dokumen", "2. Datang ke kantor"]),
    (
        "Harga BBM naik\n\nMasyarakat mengeluh",
        ["Harga BBM naik", "Masyarakat mengeluh"],
    ),
    (
        "Mereka punya\npressing\nyang luar biasa, ujarnya.",  # link text put on its own line
        ["Mereka punya\npressing\nyang luar biasa, ujarnya."],
    ),
    (
        "Jakarta\n-\nPresiden meresmikan jalan tol. Jalan itu panjang.",
        ["Jakarta\n-\nPresiden meresmikan jalan tol.", "Jalan itu panjang."],
    ),
    (
        "Berita terkait\nIndonesia\n•\n29 Okt 2023",
        ["Berita terkait", "Indonesia", "•", "29 Okt 2023"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS)
def test_sentences_abbreviations_and_titles(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), FINAL_ABBREVIATIONS)
def test_sentences_final_abbreviations(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), INITIALS)
def test_sentences_initials(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_sentences_numbers_and_dates(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), QUOTES)
def test_sentences_quotes(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_sentences_glued(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), PUNCTUATION)
def test_sentences_question_exclamation_ellipsis(
    sent_nlp: Language, text: str, expected: list[str]
):
    _check(sent_nlp, text, expected)


@pytest.mark.parametrize(("text", "expected"), LINES)
def test_sentences_line_breaks(sent_nlp: Language, text: str, expected: list[str]):
    _check(sent_nlp, text, expected)


def test_sentences_newline_tokens_attach_to_previous_sentence(sent_nlp: Language):
    doc = sent_nlp("Harga naik.\n\nWarga mengeluh.")
    sents = list(doc.sents)
    assert [s.text for s in sents] == ["Harga naik.\n\n", "Warga mengeluh."]
    assert all(not t.is_sent_start for t in doc if t.is_space)


def test_sentences_leading_whitespace_is_not_a_sentence(sent_nlp: Language):
    doc = sent_nlp("\n\n  Harga naik. Warga mengeluh.")
    assert [s.text.strip() for s in doc.sents] == ["Harga naik.", "Warga mengeluh."]
    assert doc[0].is_sent_start


# -- configuration ----------------------------------------------------------------------------


def test_sentences_config_join_wrapped_lines_off():
    nlp = _make(join_wrapped_lines=False)
    _check(
        nlp,
        "Mereka punya\npressing\nyang luar biasa.",
        ["Mereka punya", "pressing", "yang luar biasa."],
    )


def test_sentences_config_break_on_newline_off():
    nlp = _make(break_on_newline=False)
    _check(nlp, "Harga BBM naik\n\nMasyarakat mengeluh", ["Harga BBM naik\n\nMasyarakat mengeluh"])


def test_sentences_config_min_newlines():
    nlp = _make(min_newlines=2)
    _check(nlp, "Satu baris\nlanjut\n\nParagraf baru", ["Satu baris\nlanjut", "Paragraf baru"])


def test_sentences_config_abbreviation_lists():
    nlp = _make(non_final_abbreviations=["dll."], extra_final_abbreviations=["Kol."])
    _check(nlp, "Ada beras, gula, dll. Semua murah.", ["Ada beras, gula, dll. Semua murah."])
    _check(
        nlp,
        "Ia berpangkat Kol. Dia memimpin upacara.",
        ["Ia berpangkat Kol.", "Dia memimpin upacara."],
    )


def test_sentences_config_break_before_digit_off():
    nlp = _make(break_before_digit=False)
    _check(nlp, "Penonton 1.000 orang. 500 anak-anak.", ["Penonton 1.000 orang. 500 anak-anak."])


@pytest.mark.parametrize(
    "config",
    [
        {"min_newlines": 0},
        {"min_newlines": "2"},
        {"respect_sections": "yes"},
        {"non_final_abbreviations": "dll."},
    ],
)
def test_sentences_config_errors(config: dict[str, object]):
    with pytest.raises(ConfigError):
        SentenceSegmenter(blank(), **config)  # type: ignore[arg-type]


def test_sentences_config_error_through_add_pipe():
    with pytest.raises(ConfigError, match="min_newlines"):
        _make(min_newlines=0)


def test_sentences_settings_declared_once():
    # the class, the factory's default_config and a built component agree
    from beritanlp.components.base import settings_to_json
    from beritanlp.components.sentences import SentencesSettings

    defaults = SentencesSettings()
    component = _make().get_pipe("beritanlp_sentences")
    assert component.settings == defaults == SentenceSegmenter(blank()).settings
    assert dict(_make().config["components"]["beritanlp_sentences"]) == {
        "factory": "beritanlp_sentences",
        **settings_to_json(defaults),
    }
    with pytest.raises(ConfigError, match="unknown setting"):
        SentenceSegmenter(blank(), min_newline=2)


XYZ = "Ia bertemu Xyz. Budi di sana."  # "Xyz." is no abbreviation of the bundled lists


def test_sentences_own_abbreviations_file(tmp_path: Path):
    own = tmp_path / "abbreviations.txt"
    own.write_text("# my abbreviations\nXyz.\n", encoding="utf-8")
    assert _sents(_make(), XYZ) == ["Ia bertemu Xyz.", "Budi di sana."]
    assert _sents(_make(abbreviations=str(own)), XYZ) == [XYZ]


def test_sentences_to_disk_carries_the_abbreviation_files(tmp_path: Path):
    import spacy

    own = tmp_path / "abbreviations.txt"
    own.write_text("Xyz.\n", encoding="utf-8")
    nlp = _make(abbreviations=str(own), final_abbreviations="")
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / "beritanlp_sentences"
    assert (saved / "abbreviations.txt").read_text(encoding="utf-8") == "Xyz.\n"
    assert not (saved / "final_abbreviations.txt").exists()  # "" names no file
    own.unlink()  # the saved pipeline does not need the original file
    again = spacy.load(tmp_path / "pipeline")
    assert _sents(again, XYZ) == [XYZ]
    assert (
        again.get_pipe("beritanlp_sentences").settings
        == nlp.get_pipe("beritanlp_sentences").settings
    )


def test_sentences_config_round_trip():
    import spacy

    nlp = _make(non_final_abbreviations=["dll."])
    again = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    assert again.pipe_names == ["beritanlp_sentences"]
    assert _sents(again, "Ada beras, dll. Semua murah.") == ["Ada beras, dll. Semua murah."]


# -- sections ---------------------------------------------------------------------------------


def _with_sections(nlp: Language, text: str, sections: list[tuple[str, str]]) -> Doc:
    """Run the pipeline on ``text`` with ``sections`` = [(label, exact substring), ...]."""
    doc = nlp.make_doc(text)
    spans = []
    position = 0
    for label, part in sections:
        start = text.index(part, position)
        position = start + len(part)
        span = doc.char_span(start, position, label=label, alignment_mode="expand")
        assert span is not None
        spans.append(span)
    doc.spans["sections"] = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


DETIK = "Tol baru diresmikan\n\nJakarta\n-\nPresiden meresmikan jalan tol. Jalan itu 10 km."


def test_sentences_sections_dateline_joins_body(sent_nlp: Language):
    nlp = _make(join_wrapped_lines=False)  # the sections alone must keep the dateline whole
    doc = _with_sections(
        nlp,
        DETIK,
        [("title", "Tol baru diresmikan"), ("dateline", "Jakarta\n-\n"), ("body", "Presiden")],
    )
    assert [s.text.strip() for s in doc.sents] == [
        "Tol baru diresmikan",
        "Jakarta\n-\nPresiden meresmikan jalan tol.",
        "Jalan itu 10 km.",
    ]


def test_sentences_sections_inline_dateline(sent_nlp: Language):
    text = "Goa, India (Xinhua) – China dan Rusia sepakat. Kerja sama diperkuat."
    doc = _with_sections(
        sent_nlp, text, [("dateline", "Goa, India (Xinhua) –"), ("body", "China dan Rusia")]
    )
    assert [s.text for s in doc.sents] == [
        "Goa, India (Xinhua) – China dan Rusia sepakat.",
        "Kerja sama diperkuat.",
    ]


def test_sentences_sections_start_sentences(sent_nlp: Language):
    text = "Foto: ANTARA/Budi Harga beras naik di pasar"
    doc = _with_sections(sent_nlp, text, [("caption", "Foto: ANTARA/Budi"), ("body", "Harga")])
    assert [s.text for s in doc.sents] == ["Foto: ANTARA/Budi", "Harga beras naik di pasar"]


def test_sentences_sections_ignored_when_configured():
    nlp = _make(respect_sections=False)
    text = "Foto: ANTARA/Budi Harga beras naik di pasar"
    doc = _with_sections(nlp, text, [("caption", "Foto: ANTARA/Budi"), ("body", "Harga")])
    assert len(list(doc.sents)) == 1


def test_sentences_without_sections_group_is_plain_text(sent_nlp: Language):
    doc = sent_nlp.make_doc("Harga naik. Warga mengeluh.")
    doc.spans["sections"] = []
    doc = sent_nlp.get_pipe("beritanlp_sentences")(doc)
    assert len(list(doc.sents)) == 2


# -- the seed article -------------------------------------------------------------------------


def test_sentences_seed_article(sent_nlp: Language, seed_text: str):
    doc = sent_nlp(seed_text)
    assert doc.has_annotation("SENT_START")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "China-Rusia berjanji tingkatkan hubungan dan kerja sama SCO"
    # "... saling menguntungkan.Dalam pertemuan ..." splits after the glued period
    k = next(i for i, s in enumerate(sents) if s.startswith("Dalam pertemuan dengan"))
    assert sents[k - 1].endswith("saling menguntungkan.")
    assert sents[k - 1].startswith("Goa, India (Xinhua) – China dan Rusia sepakat")
    # "..., kata Qin.Lavrov mengatakan ..." splits too
    k = next(i for i, s in enumerate(sents) if s.startswith("Lavrov mengatakan bahwa kunjungan"))
    assert sents[k - 1].endswith("kata Qin.")
    assert any(s.endswith("ujar Qin.") for s in sents)
    # "Kamis (4/5)" and "‘Perang Dingin’" stay inside their sentences
    assert not any(s.startswith(("(4/5)", "Perang Dingin", "’")) for s in sents)
    # the related-news list: one sentence per line
    assert sents.count("Indonesia") == 8
    assert sents.count("•") == 8
    assert "30 Jan 2026" in sents
    assert 40 <= len(sents) <= 60


def test_sentences_token_classes_computed_once_per_distinct_text(seed_text: str):
    # the pass looks each token text up once (the cache); copies of an article add no classes
    # and get the same sentence starts (the timing is in benchmarks/bench_components.py)
    nlp = _make()
    component = nlp.get_pipe("beritanlp_sentences")
    first = component(nlp.make_doc(seed_text))
    size = len(component._cache)
    assert size == len({t.orth for t in first})
    expected = [t.is_sent_start for t in first]
    for _ in range(20):
        doc = component(nlp.make_doc(seed_text))
        assert [t.is_sent_start for t in doc] == expected
    assert len(component._cache) == size


# -- properties -------------------------------------------------------------------------------

ALPHABET = st.sampled_from(
    list("aBcDeKmRsZ019 ") + list(".?!…\"'“”‘’«»()[]:-–•\n") + ["\n\n", "  ", "Jl.", "dll.", "B."]
)
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
def test_sentences_property_arbitrary_text(sent_nlp: Language, text: str):
    doc = sent_nlp(text)
    if not len(doc):
        return
    assert doc.has_annotation("SENT_START")
    assert doc[0].is_sent_start is True
    assert all(t.is_sent_start in (True, False) for t in doc)
    assert all(not t.is_sent_start for t in doc[1:] if t.is_space)
    assert sum(len(s) for s in doc.sents) == len(doc)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=TEXTS,
    cuts=st.lists(st.integers(min_value=0, max_value=80), max_size=6),
    labels=st.lists(
        st.sampled_from(["title", "caption", "lead", "dateline", "body", "boilerplate"]),
        min_size=6,
        max_size=6,
    ),
)
def test_sentences_property_sections(
    sent_nlp: Language, text: str, cuts: list[int], labels: list[str]
):
    doc = sent_nlp.make_doc(text)
    bounds = sorted({c for c in cuts if c < len(doc)} | {len(doc)})
    pairs = enumerate(itertools.pairwise(bounds))
    spans = [Span(doc, a, b, label=labels[k]) for k, (a, b) in pairs]
    doc.spans["sections"] = spans
    doc = sent_nlp.get_pipe("beritanlp_sentences")(doc)
    if not len(doc):
        return
    assert doc[0].is_sent_start is True
    assert all(t.is_sent_start in (True, False) for t in doc)
    previous: Span | None = None
    for span in spans:
        first = next((t for t in span if not t.is_space), None)
        glued = (
            previous is not None
            and previous.label_ == "dateline"
            and span.label_ == "body"
            and previous.end == span.start
        )
        if first is not None and not glued and any(not t.is_space for t in doc[: first.i]):
            assert first.is_sent_start, (text, [(s.label_, s.text) for s in spans])
        previous = span


def test_sentences_trailing_credit_stays_with_its_sentence() -> None:
    from beritanlp.lang import blank

    nlp = blank()
    nlp.add_pipe("beritanlp_sentences")
    doc = nlp("Menlu China bertemu Menlu Rusia pada 4 Mei 2023. (Xinhua/Javed Dar)\nIsi berita.")
    assert [s.text.strip() for s in doc.sents] == [
        "Menlu China bertemu Menlu Rusia pada 4 Mei 2023. (Xinhua/Javed Dar)",
        "Isi berita.",
    ]
    doc = nlp("Harga naik. (Baca juga: Harga turun) Lalu stabil.")
    assert next(s.text.strip() for s in doc.sents) == "Harga naik."
