"""Tests of the ``beritanlp_gazetteer`` component (components/gazetteer.py).

The linguistic cases are Indonesian sentences written for these tests; the seed article is the
bundled ``examples/xinhua-sco-2023-05-04.txt``. No statistical NER is used: where a model's
entities matter, they are set on the ``Doc`` by hand before the gazetteer runs.
"""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Span

from beritanlp.components import gazetteer, sections, sentences  # noqa: F401
from beritanlp.components.gazetteer import (
    DEFAULT_FILES,
    Gazetteer,
    GazetteerSettings,
    entry_table,
    load_entries,
)
from beritanlp.errors import ConfigError, ResourceError
from beritanlp.lang import blank

SEED_LOC = {"China", "Rusia", "Goa", "India", "Asia-Pasifik", "Ukraina"}
SEED_ORG = {
    "SCO",
    "Organisasi Kerja Sama Shanghai",
    "Shanghai Cooperation Organization",
    "BRICS",
    "Kelompok 20",
    "PBB",
    "Perserikatan Bangsa-Bangsa",
    "Xinhua",
    "Dewan Negara",
}


def _pipeline(**config: object) -> Language:
    nlp = blank()
    nlp.add_pipe("beritanlp_sections")
    nlp.add_pipe("beritanlp_sentences")
    nlp.add_pipe("beritanlp_gazetteer", config=config)
    return nlp


@pytest.fixture(scope="module")
def gaz_nlp() -> Language:
    return _pipeline()


@pytest.fixture(scope="module")
def seed_doc(gaz_nlp: Language, seed_text: str) -> Doc:
    return gaz_nlp(seed_text)


def _ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def _with_model_ents(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    """The doc after sections + sentences, with ``ents`` (text, label) set as a model would."""
    doc = nlp.make_doc(text)
    for name in ("beritanlp_sections", "beritanlp_sentences"):
        doc = nlp.get_pipe(name)(doc)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None, surface
        spans.append(span)
    doc.ents = spans
    return doc


# -- the data -----------------------------------------------------------------------------------
def test_gazetteer_data_files_parse_with_headers() -> None:
    entries = load_entries(DEFAULT_FILES)
    assert len(entries) > 1500
    for name in DEFAULT_FILES:
        text = resources.files("beritanlp.data").joinpath(name).read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name} needs a # header saying where its entries come from"
        assert "licen" in text.split("\n\n")[0].lower() or "MIT" in text[:1000]
    assert {e.label for e in entries} == {"LOC", "ORG", "PER"}  # PER: public_figures.tsv


def test_gazetteer_data_canonicals_are_names_themselves() -> None:
    table = entry_table(DEFAULT_FILES)
    missing = {e.canonical for e in load_entries(DEFAULT_FILES) if e.canonical not in table}
    assert not missing


@pytest.mark.parametrize(
    ("name", "label", "canonical"),
    [
        ("AS", "LOC", "Amerika Serikat"),
        ("Tiongkok", "LOC", "China"),
        ("Korsel", "LOC", "Korea Selatan"),
        ("Selandia Baru", "LOC", "Selandia Baru"),
        ("Jabar", "LOC", "Jawa Barat"),
        ("DKI Jakarta", "LOC", "Jakarta"),
        ("Kabupaten Agam", "LOC", "Agam"),
        ("Kabupaten Bandung", "LOC", "Kabupaten Bandung"),
        ("Kota Bandung", "LOC", "Bandung"),
        ("SCO", "ORG", "Organisasi Kerja Sama Shanghai"),
        ("G20", "ORG", "Kelompok 20"),
        ("PBB", "ORG", "Perserikatan Bangsa-Bangsa"),
        ("Kemenkeu", "ORG", "Kementerian Keuangan"),
        ("PDIP", "ORG", "Partai Demokrasi Indonesia Perjuangan"),
        ("ANTARA", "ORG", "ANTARA"),
        ("Asia Tenggara", "LOC", "Asia Tenggara"),
    ],
)
def test_gazetteer_data_entries(name: str, label: str, canonical: str) -> None:
    entry = entry_table(DEFAULT_FILES)[name]
    assert (entry.label, entry.canonical) == (label, canonical)


@pytest.mark.parametrize("name", ["Batu", "Lima Puluh Kota", "Metro", "Puncak", "Kamis", "Kedua"])
def test_gazetteer_data_common_words_are_not_bare_names(name: str) -> None:
    assert name not in entry_table(DEFAULT_FILES)


def test_gazetteer_missing_file_raises_resource_error() -> None:
    nlp = blank()
    component = Gazetteer(nlp, "g", files=["gazetteer/absent.tsv"])
    with pytest.raises(ResourceError, match="Reinstall"):
        component(nlp.make_doc("Jakarta"))


def test_gazetteer_needs_files() -> None:
    with pytest.raises(ConfigError):
        Gazetteer(blank(), "g", files=[])


# -- the seed article -----------------------------------------------------------------------
def test_gazetteer_seed_finds_all_loc_and_org(seed_doc: Doc) -> None:
    found = set(_ents(seed_doc))
    assert {(name, "LOC") for name in SEED_LOC} <= found
    assert {(name, "ORG") for name in SEED_ORG} <= found


def test_gazetteer_seed_no_common_words(seed_doc: Doc) -> None:
    texts = {e.text for e in seed_doc.ents}
    assert not texts & {"Kamis", "Kedua", "Mereka", "Dalam", "Maret", "Perang Dingin"}
    assert all(e.label_ in {"LOC", "ORG", "PER"} for e in seed_doc.ents)
    # the only persons the gazetteer finds are listed public figures (public_figures.tsv)
    assert {e.text for e in seed_doc.ents if e.label_ == "PER"} <= {
        "Qin Gang",
        "Sergei Lavrov",
        "Vladimir Putin",
        "Xi Jinping",
        "Wang Yi",
    }


def test_gazetteer_seed_boilerplate_untouched_but_recorded(seed_doc: Doc) -> None:
    assert all(e._.beritanlp_section != "boilerplate" for e in seed_doc.ents)
    raw = seed_doc.spans["gazetteer"]
    assert any(s._.beritanlp_section == "boilerplate" and s.text == "Jerman" for s in raw)


def test_gazetteer_raw_matches_keep_overlaps_and_canonical(seed_doc: Doc) -> None:
    raw = [(s.text, s.label_, s.kb_id_) for s in seed_doc.spans["gazetteer"]]
    assert ("SCO", "ORG", "Organisasi Kerja Sama Shanghai") in raw
    assert ("Kelompok 20", "ORG", "Kelompok 20") in raw
    ents = {(e.text, e.kb_id_) for e in seed_doc.ents}
    assert ("Group of 20", "Kelompok 20") in ents


# -- linguistic cases -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Perdana Menteri Selandia Baru tiba di Wellington pada Senin.",
            [("Selandia Baru", "LOC"), ("Wellington", "LOC")],
        ),
        (
            "Hubungan AS dan Korsel memburuk, kata pejabat Kemenlu kepada ANTARA.",
            [("AS", "LOC"), ("Korsel", "LOC"), ("Kemenlu", "ORG"), ("ANTARA", "ORG")],
        ),
        (
            "Banjir melanda Kab. Bantul dan kabupaten Tanah Datar pekan lalu.",
            [("Kab. Bantul", "LOC"), ("kabupaten Tanah Datar", "LOC")],
        ),
        (
            "Warga Kabupaten Lima Puluh Kota menerima bantuan dari BNPB.",
            [("Kabupaten Lima Puluh Kota", "LOC"), ("BNPB", "ORG")],
        ),
        (
            "Lima orang tewas dan lima puluh kota terdampak banjir.",
            [],
        ),
        ("Padang menjadi tuan rumah, dan hujan turun di Padang.", [("Padang", "LOC")]),
        ("Antara lain warga meminta dikutip dari Antara.", [("Antara", "ORG")]),
        ("Dalam tempo singkat, harga batu bara naik.", []),
        ("JAKARTA - Ketua Umum PDI-P bertemu pengurus Partai Golkar.", None),
        (
            "Negara anggota Uni Eropa, NATO, dan G20 bertemu di Asia Tenggara.",
            [("Uni Eropa", "ORG"), ("NATO", "ORG"), ("G20", "ORG"), ("Asia Tenggara", "LOC")],
        ),
        (
            "Dewan Keamanan PBB membahas Timur Tengah.",
            [("Dewan Keamanan PBB", "ORG"), ("Timur Tengah", "LOC")],
        ),
        ("Kamis (4/5), Kedua pihak sepakat.", []),
    ],
)
def test_gazetteer_linguistic_cases(
    gaz_nlp: Language, text: str, expected: list[tuple[str, str]] | None
) -> None:
    doc = gaz_nlp(text)
    if expected is None:  # the dateline case: check the items instead of the whole list
        assert {("JAKARTA", "LOC"), ("PDI-P", "ORG"), ("Partai Golkar", "ORG")} <= set(_ents(doc))
        return
    assert _ents(doc) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Massa berkumpul di Jalan Medan Merdeka Utara.", []),
        ("Ia kuliah di Universitas Indonesia.", []),
        ("Festival Danau Poso digelar.", [("Danau Poso", "LOC")]),
        ("Pemain AS Roma dan Real Madrid tiba.", [("AS Roma", "ORG"), ("Real Madrid", "ORG")]),
        (
            "Semen Padang kalah di Kabupaten Agam.",
            [("Semen Padang", "ORG"), ("Kabupaten Agam", "LOC")],
        ),
    ],
)
def test_gazetteer_longer_names_around_matches(
    gaz_nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _ents(gaz_nlp(text)) == expected


def test_gazetteer_title_cased_headline_skips_common_words(gaz_nlp: Language) -> None:
    doc = gaz_nlp("Harga Cabai Di Pasar Padang Naik Tajam Jelang Lebaran")
    assert "Padang" not in {e.text for e in doc.ents}


def test_gazetteer_dateline_allows_nostart_names(gaz_nlp: Language) -> None:
    doc = gaz_nlp("Padang (ANTARA) - Hujan deras melanda kota itu sejak pagi.")
    assert ("Padang", "LOC") in _ents(doc)


# -- the merge policy ---------------------------------------------------------------------------
def test_gazetteer_merge_fills_gaps_and_keeps_model_entities(gaz_nlp: Language) -> None:
    text = "Sergei Lavrov tiba di India."
    doc = _with_model_ents(gaz_nlp, text, [("Sergei Lavrov", "PER")])
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Sergei Lavrov", "PER"), ("India", "LOC")]


def test_gazetteer_merge_org_label_overrides_exact_match(gaz_nlp: Language) -> None:
    doc = _with_model_ents(gaz_nlp, "Rusia mendukung SCO.", [("SCO", "LOC")])
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Rusia", "LOC"), ("SCO", "ORG")]
    assert doc.ents[1].kb_id_ == "Organisasi Kerja Sama Shanghai"


def test_gazetteer_merge_loc_label_does_not_override(gaz_nlp: Language) -> None:
    doc = _with_model_ents(gaz_nlp, "Tim Indonesia menang.", [("Indonesia", "ORG")])
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Indonesia", "ORG")]


def test_gazetteer_merge_prefers_longer_full_form(gaz_nlp: Language) -> None:
    text = "Dia memuji Organisasi Kerja Sama Shanghai."
    doc = _with_model_ents(gaz_nlp, text, [("Shanghai", "LOC")])
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Organisasi Kerja Sama Shanghai", "ORG")]


def test_gazetteer_merge_keeps_longer_model_entity(gaz_nlp: Language) -> None:
    text = "Kedutaan Besar Amerika Serikat dan Komjen Badrodin Haiti hadir."
    ents = [("Kedutaan Besar Amerika Serikat", "ORG"), ("Badrodin Haiti", "PER")]
    doc = _with_model_ents(gaz_nlp, text, ents)
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == ents
    assert {s.text for s in doc.spans["gazetteer"]} >= {"Amerika Serikat", "Haiti"}


def test_gazetteer_merge_keeps_crossing_model_entity(gaz_nlp: Language) -> None:
    text = "Pameran di Bank Dunia Baru dibuka."
    doc = _with_model_ents(gaz_nlp, text, [("Dunia Baru", "ORG")])
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Dunia Baru", "ORG")]


def test_gazetteer_merge_overwrite_ents() -> None:
    nlp = _pipeline(overwrite_ents=True)
    text = "Pameran di Bank Dunia Baru dibuka."
    doc = _with_model_ents(nlp, text, [("Dunia Baru", "ORG")])
    doc = nlp.get_pipe("beritanlp_gazetteer")(doc)
    assert _ents(doc) == [("Bank Dunia", "ORG")]


def test_gazetteer_merge_without_fill_gaps() -> None:
    doc = _pipeline(fill_gaps=False)("Presiden berkunjung ke Jepang.")
    assert _ents(doc) == []
    assert [s.text for s in doc.spans["gazetteer"]] == ["Jepang"]


def test_gazetteer_skip_sections_configurable(seed_text: str) -> None:
    doc = _pipeline(skip_sections=[])(seed_text)
    assert any(e._.beritanlp_section == "boilerplate" for e in doc.ents)


def test_gazetteer_works_without_sections_or_sentences() -> None:
    nlp = blank()
    nlp.add_pipe("beritanlp_gazetteer")
    assert _ents(nlp("Wakil rakyat dari Jawa Barat mengunjungi Kairo.")) == [
        ("Jawa Barat", "LOC"),
        ("Kairo", "LOC"),
    ]
    assert _ents(nlp("")) == []


# -- invariants and speed -----------------------------------------------------------------------
_WORDS = [
    "China",
    "Rusia",
    "AS",
    "Padang",
    "Lima",
    "Kabupaten",
    "Agam",
    "Organisasi",
    "Kerja",
    "Sama",
    "Shanghai",
    "(SCO)",
    "PBB",
    "Dewan",
    "Keamanan",
    "Kamis",
    "kata",
    "dan",
    "di",
    "Menteri",
    "Luar",
    "Negeri",
    "Sergei",
    "Lavrov",
    "Bank",
    "Dunia",
    ".",
    ",",
    "\n",
    "Berita Terkait\n",
    "Baca juga:",
]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=40),
    model=st.lists(st.tuples(st.integers(0, 40), st.integers(1, 4)), max_size=4),
)
def test_gazetteer_property_offsets_valid_no_overlaps(
    gaz_nlp: Language, words: list[str], model: list[tuple[int, int]]
) -> None:
    text = " ".join(words)
    doc = gaz_nlp.make_doc(text)
    for name in ("beritanlp_sections", "beritanlp_sentences"):
        doc = gaz_nlp.get_pipe(name)(doc)
    spans = [
        Span(doc, start, min(len(doc), start + length), label="PER")
        for start, length in model
        if start < len(doc)
    ]
    from spacy.util import filter_spans

    doc.ents = filter_spans(spans)
    doc = gaz_nlp.get_pipe("beritanlp_gazetteer")(doc)
    ents = list(doc.ents)
    for a, b in itertools.pairwise(ents):
        assert a.end <= b.start
    for ent in ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
        assert ent.label_ in {"PER", "LOC", "ORG"}


def test_gazetteer_repeated_article_gives_repeated_matches(
    gaz_nlp: Language, seed_text: str
) -> None:
    # one pass over the matches: the seed repeated 20 times gives its matches 20 times, at the
    # same places (the timing is in benchmarks/bench_components.py)
    def matches(text: str) -> list[tuple[int, int, str, str]]:
        doc = gaz_nlp.make_doc(text)  # no sections or sentences: the same context every copy
        found = gaz_nlp.get_pipe("beritanlp_gazetteer").matches(doc)
        return [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in found]

    body = seed_text.split("\n\n", 1)[1]  # without the title line
    one = matches(body)
    assert len(one) > 30
    joined = "\n\n".join([body] * 20)
    step = len(body) + 2
    expected = [(a + k * step, b + k * step, lab, kb) for k in range(20) for a, b, lab, kb in one]
    assert matches(joined) == expected


# -- settings, your own names, saving -----------------------------------------------------------
def test_gazetteer_settings_declared_once() -> None:
    # the class used to default to no prefix variants and no blocked/extend words while the
    # factory (what the pipeline uses) had them: both are now the dataclass's defaults
    defaults = GazetteerSettings()
    assert Gazetteer(blank(), "g").settings == defaults
    assert _pipeline().get_pipe("beritanlp_gazetteer").settings == defaults
    assert "Kab." in defaults.prefix_variants["Kabupaten"]
    assert "Jalan" in defaults.blocked_after and "Danau" in defaults.extend_after
    doc = Gazetteer(blank(), "g")(blank()("Festival Danau Poso digelar."))
    assert _ents(doc) == [("Danau Poso", "LOC")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title_case_ratio": 0}, "title_case_ratio"),
        ({"files": ["gazetteer/countries.tsv", ""]}, "files"),
        ({"prefix_variants": {"Kota": "kota"}}, "prefix_variants"),
        ({"file": ["gazetteer/countries.tsv"]}, "unknown setting"),
    ],
)
def test_gazetteer_bad_settings(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Gazetteer(blank(), "g", **overrides)


#: A name list of one's own (the example of docs/gazetteer.md, "Adding your own names").
OWN_NAMES = (
    "# my_names.tsv: name<TAB>label<TAB>canonical<TAB>flags\n"
    "Koperasi Sinar Tani Makmur\tORG\tKoperasi Sinar Tani Makmur\n"
    "KSTM\tORG\tKoperasi Sinar Tani Makmur\tnoupper\n"
    "Sukamaju\tLOC\tSukamaju\tnostart\n"
)
OWN_TEXT = "Pengurus KSTM bertemu warga Desa Sukamaju di Bandung."
OWN_ENTS = [("KSTM", "ORG"), ("Desa Sukamaju", "LOC"), ("Bandung", "LOC")]


@pytest.fixture
def own_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``./my_names.tsv`` in a working directory of its own."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my_names.tsv").write_text(OWN_NAMES, encoding="utf-8")
    return "./my_names.tsv"


def test_gazetteer_own_names_file(own_names: str) -> None:
    assert _ents(_pipeline()(OWN_TEXT)) == [("Bandung", "LOC")]
    nlp = _pipeline(files=[own_names, *DEFAULT_FILES])
    doc = nlp(OWN_TEXT)
    assert _ents(doc) == OWN_ENTS
    assert doc.ents[0].kb_id_ == "Koperasi Sinar Tani Makmur"
    # the flags work as in the bundled lists: nostart at a sentence start
    assert _ents(nlp("Sukamaju tenang. Warga Sukamaju senang.")) == [("Sukamaju", "LOC")]


def test_gazetteer_own_names_through_load(own_names: str) -> None:
    # the example of docs/gazetteer.md, "Adding your own names", as written there
    import beritanlp

    files = [own_names, *DEFAULT_FILES]
    nlp = beritanlp.load(
        config={
            "gazetteer": {"files": files},
            "entity_consistency": {"gazetteer_files": files},
        }
    )
    doc = nlp(OWN_TEXT)
    assert [(s.text, s.label_, s.kb_id_) for s in doc.spans["gazetteer"]] == [
        ("KSTM", "ORG", "Koperasi Sinar Tani Makmur"),
        ("Desa Sukamaju", "LOC", "Sukamaju"),
        ("Bandung", "LOC", "Bandung"),
    ]


def test_gazetteer_own_names_file_is_read_again_when_edited(own_names: str) -> None:
    assert ("KSTM", "ORG") in _ents(_pipeline(files=[own_names])(OWN_TEXT))
    Path(own_names).write_text("KSTM\tLOC\tKSTM\tnoupper\n# more to change the size\n")
    assert ("KSTM", "LOC") in _ents(_pipeline(files=[own_names])(OWN_TEXT))


def test_gazetteer_own_names_file_errors(own_names: str) -> None:
    Path(own_names).write_text("KSTM ORG KSTM\n", encoding="utf-8")  # spaces, not tabs
    with pytest.raises(ResourceError, match=r"my_names\.tsv, data row 1"):
        _pipeline(files=[own_names])("KSTM")
    with pytest.raises(ResourceError, match="does not exist"):
        _pipeline(files=["./absent.tsv"])("KSTM")
    with pytest.raises(ResourceError, match="A file of your own is named by its path"):
        _pipeline(files=["my_names.tsv"])("KSTM")  # a bundled name: there is none


def test_gazetteer_to_disk_carries_the_name_lists(own_names: str, tmp_path: Path) -> None:
    import spacy

    nlp = _pipeline(files=[own_names, *DEFAULT_FILES], skip_sections=[])
    nlp.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_gazetteer"
    assert (folder / "files" / "00-my_names.tsv").read_text(encoding="utf-8") == OWN_NAMES
    assert len(list((folder / "files").iterdir())) == 1 + len(DEFAULT_FILES)
    Path(own_names).unlink()  # the saved pipeline does not need the original file
    again = spacy.load(tmp_path / "pipeline")
    component = again.get_pipe("beritanlp_gazetteer")
    assert component.settings == nlp.get_pipe("beritanlp_gazetteer").settings
    assert component.skip_sections == frozenset()
    assert _ents(again(OWN_TEXT)) == OWN_ENTS
    # the saved copy is what counts: edit it and load again
    copy = folder / "files" / "00-my_names.tsv"
    copy.write_text(OWN_NAMES.replace("KSTM\tORG", "KSTM\tLOC"), encoding="utf-8")
    assert ("KSTM", "LOC") in _ents(spacy.load(tmp_path / "pipeline")(OWN_TEXT))


def test_gazetteer_from_disk_missing_or_damaged_copy(tmp_path: Path) -> None:
    import spacy

    _pipeline().to_disk(tmp_path / "pipeline")
    files = tmp_path / "pipeline" / "beritanlp_gazetteer" / "files"
    (files / "04-countries.tsv").write_text("Jakarta\tLOC\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"04-countries\.tsv, data row 1"):
        spacy.load(tmp_path / "pipeline")
    (files / "04-countries.tsv").unlink()
    with pytest.raises(ResourceError, match=r"incomplete.*04-countries\.tsv"):
        spacy.load(tmp_path / "pipeline")


def test_gazetteer_initialize_reads_the_files_again(own_names: str) -> None:
    nlp = _pipeline(files=[own_names])
    assert ("KSTM", "ORG") in _ents(nlp(OWN_TEXT))
    Path(own_names).write_text("KSTM\tLOC\tKSTM\tnoupper\n# edited\n", encoding="utf-8")
    assert ("KSTM", "ORG") in _ents(nlp(OWN_TEXT))  # read once, on first use
    nlp.get_pipe("beritanlp_gazetteer").initialize()
    assert ("KSTM", "LOC") in _ents(nlp(OWN_TEXT))
