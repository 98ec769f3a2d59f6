"""Tests of the ``beritanlp_stemmer`` component and its word-level stemmer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from beritanlp import lexicon
from beritanlp.components.stemmer import (
    FACTORY_NAME,
    Stemmer,
    StemmerSettings,
    reset_caches,
    stem,
)
from beritanlp.errors import ConfigError, InputTypeError, ResourceError
from beritanlp.lang import blank
from beritanlp.resources import read_tsv


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = blank()
    pipeline.add_pipe(FACTORY_NAME)
    return pipeline


@pytest.fixture(scope="module")
def nlp_sentences() -> Language:
    """The stemmer after spaCy's rule-based sentencizer (sentence boundaries are set)."""
    pipeline = blank()
    pipeline.add_pipe("sentencizer")
    pipeline.add_pipe(FACTORY_NAME)
    return pipeline


def stems_of(doc: Doc) -> dict[str, str]:
    return {token.text: token._.beritanlp_stem for token in doc}


# -- word level -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("berjanji", "janji"),
        ("pertemuan", "temu"),
        ("menguntungkan", "untung"),
        ("bersama-sama", "sama"),
        ("negara-negara", "negara"),
        ("berbalas-balasan", "balas"),
        ("anak-anaknya", "anak"),
        ("kesetaraan", "setara"),
        ("penyelidikan", "selidik"),
        ("mengimplementasikan", "implementasi"),
        ("memperkuat", "kuat"),
        ("kebijakan", "bijak"),
        ("pemerintahan", "perintah"),
        ("bukunya", "buku"),
        ("pergilah", "pergi"),
        ("siapapun", "siapa"),
        ("rumahku", "rumah"),
        ("bajumu", "baju"),
        ("kuasa-Mu", "kuasa"),
        ("Pertemuan", "temu"),
        # the general corrections of Sastrawi's parses
        ("kerusakan", "rusak"),
        ("pergerakan", "gerak"),
        ("bernilai", "nilai"),
        ("senilai", "nilai"),
        ("menikah", "nikah"),
        ("membantah", "bantah"),
        ("berbasis", "basis"),
        ("menangis", "tangis"),
        ("penghuninya", "huni"),
        ("tercapainya", "capai"),
        # the exceptions file
        ("perhatian", "hati"),
        ("berikan", "beri"),
        ("pasukannya", "pasukan"),
        # names, whole or in parts: Sastrawi gives bal, bekas, sus, diri
        ("bali", "bali"),
        ("Bekasi", "bekasi"),
        ("susi", "susi"),
        ("kediri", "kediri"),
        # not stemmed
        ("di", "di"),
        ("asia-pasifik", "asia-pasifik"),
        ("jum'at", "jum'at"),
    ],
)
def test_stemmer_stems_words(word: str, expected: str) -> None:
    assert stem(word) == expected
    assert Stemmer().stem_word(word) == expected


def test_stemmer_word_level_rejects_non_strings() -> None:
    with pytest.raises(InputTypeError) as info:
        stem(["pertemuan"])  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert "stem_word('pertemuan')" in str(info.value)


def test_stemmer_min_length_and_rules_are_tunable() -> None:
    assert Stemmer(min_length=20).stem_word("pertemuan") == "pertemuan"
    assert Stemmer(fix_rules=False, exceptions="").stem_word("kerusakan") == "rusa"
    assert Stemmer(exceptions="").stem_word("bali") == "bal"  # plain Sastrawi behaviour
    assert Stemmer(roots="").stem_word("kesetaraan") == "tara"


def test_stemmer_missing_data_file_is_a_resource_error() -> None:
    broken = Stemmer(exceptions="stem_does_not_exist.tsv")  # lazy: no error yet
    with pytest.raises(ResourceError, match=r"stem_does_not_exist\.tsv"):
        broken.stem_word("pertemuan")


def test_stemmer_exceptions_file_is_well_formed() -> None:
    rows = read_tsv("stem_exceptions.tsv", 2)
    forms = [form.lower() for form, _ in rows]
    assert len(forms) == len(set(forms)), "duplicate forms in stem_exceptions.tsv"
    for form, target in rows:
        assert target == "=" or (target.islower() and target.isalpha()), (form, target)
        if form != form.lower():
            assert target == "=", f"capitalised forms mark names and need '=': {form}"


# -- in context ---------------------------------------------------------------------------------


def test_stemmer_assigns_one_string_per_token(nlp: Language) -> None:
    doc = nlp("Presiden  berjanji: pertemuan (4/5) menguntungkan!\n\nKedua pihak sepakat.")
    assert len(doc._.beritanlp_stems) == len(doc)
    assert all(isinstance(value, str) for value in doc._.beritanlp_stems)
    for token in doc:
        if token.is_punct or token.is_space:
            assert token._.beritanlp_stem == token.text
    assert nlp("")._.beritanlp_stems == []


def test_stemmer_protects_names_acronyms_and_non_words(nlp: Language) -> None:
    doc = nlp(
        "Menteri Luar Negeri China Qin Gang bertemu Sergei Lavrov di Bali dan Bekasi bersama "
        "Susi dari Kediri membahas kerja sama SCO dan BRICS senilai 1.000 dolar, kata KPK. "
        "Kunjungi https://www.antaranews.com/berita atau tulis ke redaksi@kompas.com dengan "
        "#pemilu2024 dan #pilpres serta @jokowi tentang kawasan Asia-Pasifik dan "
        "Perserikatan Bangsa-Bangsa."
    )
    stems = stems_of(doc)
    for kept in (
        "Qin", "Gang", "Sergei", "Lavrov", "Bali", "Bekasi", "Susi", "Kediri", "SCO", "BRICS",
        "KPK", "1.000", "https://www.antaranews.com/berita", "redaksi@kompas.com",
        "#pemilu2024", "#pilpres", "@jokowi", "Asia-Pasifik", "Perserikatan", "Bangsa-Bangsa",
        "China",
    ):  # fmt: skip
        assert stems[kept] == kept, kept
    assert stems["Menteri"] == "menteri"  # a capitalised root is a common word
    assert stems["bertemu"] == "temu"
    assert stems["senilai"] == "nilai"
    assert stems["membahas"] == "bahas"


@pytest.mark.parametrize("pipeline", ["nlp", "nlp_sentences"])
def test_stemmer_sentence_initial_words(pipeline: str, request: pytest.FixtureRequest) -> None:
    nlp = request.getfixturevalue(pipeline)
    doc = nlp(
        "Penyelidikan dilakukan polisi. Kesetaraan dijunjung. Bali diguncang gempa.\n"
        'Kediri juga. Presiden datang. Kedua negara sepakat. Ia menegaskan: "Pertemuan '
        'itu penting." Qin Gang hadir.'
    )
    stems = stems_of(doc)
    assert stems["Penyelidikan"] == "selidik"
    assert stems["Kesetaraan"] == "setara"
    assert stems["Bali"] == "Bali"
    assert stems["Kediri"] == "Kediri"
    assert stems["Presiden"] == "presiden"
    assert stems["Kedua"] == "dua"
    assert stems["Ia"] == "ia"
    assert stems["Pertemuan"] == "temu"  # first word of a quotation
    assert stems["Qin"] == "Qin"
    assert stems["Gang"] == "Gang"


def test_stemmer_uses_the_rest_of_the_document(nlp: Language) -> None:
    # "Permadi" (a name) would be stemmed to "madi" at the start of a sentence, but the document
    # also writes it capitalised in mid-sentence
    doc = nlp("Permadi tiba di Jakarta. Wartawan bertanya kepada Permadi tentang hal itu.")
    assert [t._.beritanlp_stem for t in doc if t.text == "Permadi"] == ["Permadi", "Permadi"]
    # with no evidence, a derived word at the start of a sentence is a common word
    assert nlp("Permadi tiba di Jakarta.")[0]._.beritanlp_stem == "madi"
    # an unknown word at the start of a sentence stays, unless it is also written lower-case
    assert nlp("Xyzabad tiba.")[0]._.beritanlp_stem == "Xyzabad"
    doc = nlp("Pemanasan global terus terjadi. Dampak pemanasan terasa.")
    assert doc[0]._.beritanlp_stem == "panas"


def test_stemmer_protects_named_entities(nlp: Language) -> None:
    stemmer = nlp.get_pipe(FACTORY_NAME)
    doc = nlp.make_doc("pemerintah membahas anggaran pekan depan")
    doc.ents = [Span(doc, 0, 1, label="ORG"), Span(doc, 3, 5, label="DATE")]
    stemmer(doc)
    assert doc[0]._.beritanlp_stem == "pemerintah"  # Sastrawi: perintah; protected as an ORG
    assert doc[1]._.beritanlp_stem == "bahas"
    assert doc[2]._.beritanlp_stem == "anggar"  # dates are ordinary words: not protected
    assert [t._.beritanlp_stem for t in doc[3:]] == ["pekan", "depan"]


def test_stemmer_protect_proper_nouns_off() -> None:
    nlp = blank()
    nlp.add_pipe(FACTORY_NAME, config={"protect_proper_nouns": False})
    stems = stems_of(nlp("Warga Bekasi dan Permadi melapor ke KPK pada 4/5."))
    assert stems["Bekasi"] == "bekasi"
    assert stems["Permadi"] == "madi"
    assert stems["KPK"] == "kpk"
    assert stems["4/5"] == "4/5"
    assert stems["melapor"] == "lapor"


# -- caches -----------------------------------------------------------------------------------


def test_stemmer_caches_are_bounded_and_reset() -> None:
    nlp = blank()
    nlp.add_pipe(FACTORY_NAME, config={"cache_size": 8})
    stemmer: Stemmer = nlp.get_pipe(FACTORY_NAME)
    words = [f"{prefix}{root}" for prefix in ("me", "di", "ber") for root in ("laku", "kirim")]
    text = " ".join(words * 3) + " " + " ".join(f"kata{i:02d}" for i in range(40))
    doc = nlp(text)
    assert doc[0]._.beritanlp_stem == "laku"
    assert 0 < len(stemmer._form_cache) <= 8
    assert 0 < len(stemmer._word_cache) <= 8
    for i in range(100):
        stemmer.stem_word(f"pemeriksaan{i}")
    assert len(stemmer._word_cache) <= 8
    reset_caches()
    assert not stemmer._form_cache and not stemmer._word_cache
    assert nlp("menerima")[0]._.beritanlp_stem == "terima"  # still works after a reset
    stemmer.reset_caches()
    assert not stemmer._form_cache
    # no cache at all
    assert Stemmer(cache_size=0).stem_word("pertemuan") == "temu"


def test_stemmer_dictionary_is_loaded_lazily_and_once() -> None:
    for cached in (lexicon._word_stemmer, lexicon._dictionary, lexicon._kata_dasar):
        cached.cache_clear()
    first, second = Stemmer(), Stemmer(cache_size=10)
    assert lexicon._kata_dasar.cache_info().currsize == 0  # building reads nothing
    assert (first.stem_word("pertemuan"), second.stem_word("perjalanan")) == ("temu", "jalan")
    assert stem("pemerintahan") == "perintah"
    assert lexicon._kata_dasar.cache_info().misses == 1
    assert first.lexicon.stemmer is second.lexicon.stemmer  # same files: one dictionary


# -- configuration and serialisation -------------------------------------------------------------


@pytest.mark.parametrize(
    "config",
    [
        {"cache_size": -1},
        {"cache_size": "big"},
        {"min_length": 0},
        {"exceptions": None},
        {"protected_entity_labels": "PER"},
    ],
)
def test_stemmer_rejects_bad_config(config: dict[str, object]) -> None:
    nlp = blank()
    with pytest.raises((ConfigError, ValueError)) as info:
        nlp.add_pipe(FACTORY_NAME, config=config)
    if isinstance(info.value, ConfigError):
        assert "config=" in str(info.value) or "beritanlp/data" in str(info.value)


def test_stemmer_config_round_trips(nlp: Language) -> None:
    custom = blank()
    custom.add_pipe(FACTORY_NAME, config={"cache_size": 1234, "min_length": 5})
    config = custom.config
    section = config["components"][FACTORY_NAME]
    assert section["factory"] == FACTORY_NAME
    assert section["cache_size"] == 1234
    assert {"protect_proper_nouns", "exceptions", "roots", "fix_rules"} <= set(section)
    rebuilt = spacy.util.load_model_from_config(config, auto_fill=True)
    stemmer: Stemmer = rebuilt.get_pipe(FACTORY_NAME)
    assert stemmer.cache_size == 1234
    assert stemmer.min_length == 5
    text = "Penyelidikan di Bekasi menguntungkan negara-negara anggota SCO."
    assert rebuilt(text)._.beritanlp_stems == custom(text)._.beritanlp_stems


def test_stemmer_settings_declared_once() -> None:
    assert Stemmer(min_length=5).settings == StemmerSettings(min_length=5)
    with pytest.raises(ConfigError, match="unknown setting"):
        Stemmer(min_len=5)
    with pytest.raises(ConfigError, match="protected_pos"):
        StemmerSettings(protected_pos="PROPN")  # type: ignore[arg-type]


def test_stemmer_own_data_files_saved_with_the_pipeline(tmp_path: Path) -> None:
    """Files of your own (paths) are used, and ``to_disk`` saves their text: the loaded
    pipeline needs no file of the settings."""
    roots = tmp_path / "roots.txt"
    roots.write_text("# own roots\nsetara\n", encoding="utf-8")
    exceptions = tmp_path / "exceptions.tsv"
    exceptions.write_text("Permadi\t=\n", encoding="utf-8")
    nlp = blank()
    nlp.add_pipe(FACTORY_NAME, config={"roots": str(roots), "exceptions": str(exceptions)})
    text = "Kesetaraan dijunjung. Permadi tiba."
    stems = nlp(text)._.beritanlp_stems
    assert stems[0] == "setara"  # a root of our file (Sastrawi alone: "tara")
    assert stems[3] == "Permadi"  # a name of our exceptions file (by default: "madi")
    nlp.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / FACTORY_NAME
    assert sorted(p.name for p in folder.iterdir()) == [
        "exceptions.tsv",
        "roots.txt",
        "settings.json",
    ]
    roots.unlink()
    exceptions.unlink()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded(text)._.beritanlp_stems == stems
    assert loaded.get_pipe(FACTORY_NAME).settings.roots == str(roots)


def test_stemmer_pipeline_serialises(nlp: Language, tmp_path: Path) -> None:
    text = "Qin Gang dan Lavrov memperkuat kerja sama di Bali."
    expected = nlp(text)._.beritanlp_stems
    copy = blank()
    copy.add_pipe(FACTORY_NAME)
    copy.from_bytes(nlp.to_bytes())
    assert copy(text)._.beritanlp_stems == expected
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == [FACTORY_NAME]
    assert loaded(text)._.beritanlp_stems == expected


# -- shared data --------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_stemmer_passes_sastrawi_integration_tests(shared_data: Path) -> None:
    path = shared_data / "stem" / "sastrawi_tests.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            row
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row["test_kind"] == "integration" and row["status"] == "active"
        ]
    assert len(rows) >= 30
    failures = [(r["word"], stem(r["word"]), r["expected_stem"]) for r in rows]
    failures = [item for item in failures if item[1] != item[2]]
    assert not failures
