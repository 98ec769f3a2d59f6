"""Tests of the ``beritanlp_canonical_names`` component and ``entity_summary``
(components/canonical_names.py), of the three entity components on the seed article, and of
their invariants on random input."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Span
from spacy.util import filter_spans

import beritanlp.components.stemmer  # noqa: F401  (the factory)
from beritanlp.components.canonical_names import (
    CanonicalNames,
    CanonicalNamesSettings,
    entity_summary,
)
from beritanlp.errors import ConfigError
from beritanlp.lang import blank
from tests.components._entities import (
    build,
    finish,
    info,
    mentions,
    prepare,
    run,
    shared_nlp,
)


@pytest.fixture(scope="module")
def link_nlp() -> Language:
    return shared_nlp()


def test_canonical_names_config_errors() -> None:
    with pytest.raises(ConfigError, match="person_labels"):
        CanonicalNames(blank(), "x", person_labels=())
    with pytest.raises(ConfigError, match="unknown setting"):
        CanonicalNamesSettings.build(None, {"acronyms": False})
    nlp = blank()
    nlp.add_pipe("beritanlp_canonical_names", config={"tag_acronyms": False})
    assert nlp.get_pipe("beritanlp_canonical_names").settings == CanonicalNamesSettings(
        tag_acronyms=False
    )


# -- short names ---------------------------------------------------------------------------------
SHORT_TEXT = (
    "Menteri Luar Negeri China Qin Gang bertemu Menteri Luar Negeri Rusia Sergei Lavrov. "
    "Kedua negara sering bertemu, kata Qin. Lavrov setuju."
)
SHORT_MODEL = [("Qin Gang", "PER"), ("Sergei Lavrov", "PER"), ("Qin", "PER"), ("Lavrov", "PER")]


def test_canonical_names_short_names_link_to_full_name(link_nlp: Language) -> None:
    doc = run(link_nlp, SHORT_TEXT, SHORT_MODEL)
    canon = {(e.text, e.start): e._.beritanlp_canonical for e in doc.ents if e.label_ == "PER"}
    assert sorted(set(canon.values())) == ["Qin Gang", "Sergei Lavrov"]
    assert [
        e.text for e in doc.ents if e.label_ == "PER" and e._.beritanlp_canonical == "Qin Gang"
    ] == [
        "Qin Gang",
        "Qin",
    ]
    assert all(e._.beritanlp_canonical == e._.beritanlp_canonical for e in doc.ents)


def test_canonical_names_link_short_names_off() -> None:
    nlp = build(beritanlp_canonical_names={"link_short_names": False})
    doc = run(nlp, SHORT_TEXT, SHORT_MODEL)
    assert {e._.beritanlp_canonical for e in doc.ents if e.label_ == "PER"} == {
        "Qin Gang",
        "Sergei Lavrov",
        "Qin",
        "Lavrov",
    }


def test_canonical_names_short_name_before_full_name(link_nlp: Language) -> None:
    doc = run(
        link_nlp,
        "Jokowi tiba. Presiden Joko Jokowi Widodo disambut.",
        [("Jokowi", "PER"), ("Joko Jokowi Widodo", "PER")],
    )
    assert [e._.beritanlp_canonical for e in doc.ents] == ["Joko Jokowi Widodo"] * 2


def test_canonical_names_short_name_nearest_earlier_wins(link_nlp: Language) -> None:
    text = "Budi Gunawan datang. Budi Karya menyusul. Lalu Budi pulang."
    doc = run(link_nlp, text, [("Budi Gunawan", "PER"), ("Budi Karya", "PER"), ("Budi", "PER")])
    assert doc.ents[-1]._.beritanlp_canonical == "Budi Karya"


def test_canonical_names_public_figure(link_nlp: Language) -> None:
    doc = run(link_nlp, "Kemarin Jokowi tiba di Solo.", [("Jokowi", "PER")])
    assert [e._.beritanlp_canonical for e in doc.ents if e.label_ == "PER"] == ["Joko Widodo"]


def test_canonical_names_glued_name_is_spaced(link_nlp: Language) -> None:
    doc = run(link_nlp, "Kata PresidenPrabowoSubianto kemarin.", [("PrabowoSubianto", "PER")])
    assert [e._.beritanlp_canonical for e in doc.ents if e.label_ == "PER"] == ["Prabowo Subianto"]


# -- acronym definitions and aliases ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "forms", "canonical"),
    [
        (
            "Ia membangun Organisasi Kerja Sama Shanghai (SCO) bersama.",
            ["Organisasi Kerja Sama Shanghai", "SCO"],
            "Organisasi Kerja Sama Shanghai",
        ),
        (
            "Ia menghadiri Perserikatan Bangsa-Bangsa (PBB) di sana.",
            ["Perserikatan Bangsa-Bangsa", "PBB"],
            "Perserikatan Bangsa-Bangsa",
        ),
        (
            "Mereka bekerja sama dalam Kelompok 20 (Group of 20) itu.",
            ["Kelompok 20", "Group of 20"],
            "Kelompok 20",
        ),
        (
            "Pertemuan Organisasi Kerja Sama Shanghai (Shanghai Cooperation Organization/SCO) "
            "digelar.",
            ["Organisasi Kerja Sama Shanghai", "Shanghai Cooperation Organization", "SCO"],
            "Organisasi Kerja Sama Shanghai",
        ),
    ],
)
def test_canonical_names_acronym_definitions_known(
    link_nlp: Language, text: str, forms: list[str], canonical: str
) -> None:
    doc = run(link_nlp, text)
    assert [(e.text, e._.beritanlp_canonical) for e in doc.ents] == [(f, canonical) for f in forms]


BRIN_TEXT = (
    "Peneliti Badan Riset dan Inovasi Nasional (BRIN) menemukan spesies baru. BRIN juga meneliti."
)
BRIN_MODEL = [("Badan Riset dan Inovasi Nasional", "ORG")]
# an acronym no gazetteer lists
NEW_TEXT = "Peneliti Lembaga Riset Kelautan Nusantara (LRKN) berlayar. LRKN juga meneliti."
NEW_MODEL = [("Lembaga Riset Kelautan Nusantara", "ORG")]


def test_canonical_names_acronym_definition_new_org(link_nlp: Language) -> None:
    assert info(run(link_nlp, BRIN_TEXT, BRIN_MODEL)) == [
        ("Badan Riset dan Inovasi Nasional", "ORG", "Badan Riset dan Inovasi Nasional", None),
        ("BRIN", "ORG", "Badan Riset dan Inovasi Nasional", None),
        ("BRIN", "ORG", "Badan Riset dan Inovasi Nasional", None),
    ]


def test_canonical_names_tag_acronyms_off() -> None:
    assert [e.text for e in run(shared_nlp(), NEW_TEXT, NEW_MODEL).ents] == [
        NEW_MODEL[0][0],
        "LRKN",
        "LRKN",
    ]
    nlp = build(beritanlp_canonical_names={"tag_acronyms": False})
    doc = run(nlp, NEW_TEXT, NEW_MODEL)
    assert [(e.text, e._.beritanlp_canonical) for e in doc.ents] == [
        (NEW_MODEL[0][0], NEW_MODEL[0][0])
    ]


def test_canonical_names_later_acronyms_not_tagged_in_skipped_sections(
    link_nlp: Language,
) -> None:
    doc = prepare(link_nlp, NEW_TEXT, NEW_MODEL)
    later = max(i for i, t in enumerate(doc) if t.text == "LRKN")
    doc.spans["sections"] = [Span(doc, 0, later, "body"), Span(doc, later, len(doc), "boilerplate")]
    assert [e.text for e in finish(link_nlp, doc).ents] == [NEW_MODEL[0][0], "LRKN"]


def test_canonical_names_acronym_definition_title_case_blend(link_nlp: Language) -> None:
    text = "Kepala Badan Pangan Nasional (Bapanas) hadir. Bapanas menjamin stok."
    doc = run(link_nlp, text, [("Badan Pangan Nasional", "ORG")])
    assert [(e.text, e._.beritanlp_canonical) for e in doc.ents] == [
        ("Badan Pangan Nasional", "Badan Pangan Nasional"),
        ("Bapanas", "Badan Pangan Nasional"),
        ("Bapanas", "Badan Pangan Nasional"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Goa, India (Xinhua) – Hujan turun.",
        "Jakarta (ANT) - Hujan turun.",
        "Ia tinggal di Jawa Barat (Jabar) sejak lama.",
    ],
)
def test_canonical_names_brackets_that_are_not_definitions(link_nlp: Language, text: str) -> None:
    doc = run(link_nlp, text)
    for ent in doc.ents:
        assert ent._.beritanlp_canonical in {"Goa", "India", "Xinhua", "Jakarta", "Jawa Barat"}
    assert "ANT" not in {e.text for e in doc.ents}


def test_canonical_names_person_nickname_in_brackets(link_nlp: Language) -> None:
    doc = run(
        link_nlp,
        "Joko Widodo (Jokowi) tiba. Jokowi tersenyum.",
        [("Joko Widodo", "PER"), ("Jokowi", "PER")],
    )
    assert [e._.beritanlp_canonical for e in doc.ents] == ["Joko Widodo"] * 3


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("AS", "Amerika Serikat"),
        ("Tiongkok", "China"),
        ("Korsel", "Korea Selatan"),
        ("Kemenkeu", "Kementerian Keuangan"),
        ("PDIP", "Partai Demokrasi Indonesia Perjuangan"),
        ("DKI Jakarta", "Jakarta"),
        ("JAKARTA", "Jakarta"),
    ],
)
def test_canonical_names_gazetteer_aliases(link_nlp: Language, text: str, canonical: str) -> None:
    doc = run(link_nlp, f"Kabar dari {text} hari ini.")
    assert [e._.beritanlp_canonical for e in doc.ents] == [canonical]


def test_canonical_names_model_entity_takes_gazetteer_canonical(link_nlp: Language) -> None:
    doc = run(link_nlp, "Kabar dari Tiongkok hari ini.", [("Tiongkok", "LOC")])
    assert info(doc) == [("Tiongkok", "LOC", "China", None)]


def test_canonical_names_knowledge_base_id_wins(link_nlp: Language) -> None:
    doc = prepare(link_nlp, "Kabar dari Negeri Tirai Bambu hari ini.")
    doc.ents = [Span(doc, 2, 5, label="LOC", kb_id="China")]
    assert info(finish(link_nlp, doc)) == [("Negeri Tirai Bambu", "LOC", "China", None)]


def test_canonical_names_own_gazetteer_file_saved_with_the_pipeline(tmp_path: Path) -> None:
    own = tmp_path / "aliases.tsv"
    own.write_text("# name, label, canonical\nNegeri Tirai Bambu\tLOC\tChina\n", encoding="utf-8")
    nlp = build(beritanlp_canonical_names={"gazetteer_files": [str(own)]})
    text, model = "Kabar dari Negeri Tirai Bambu hari ini.", [("Negeri Tirai Bambu", "LOC")]
    assert info(run(nlp, text, model)) == [("Negeri Tirai Bambu", "LOC", "China", None)]
    nlp.to_disk(tmp_path / "pipeline")
    own.unlink()
    loaded = spacy.load(tmp_path / "pipeline")
    assert info(run(loaded, text, model)) == [("Negeri Tirai Bambu", "LOC", "China", None)]


def test_canonical_names_unknown_entity_is_its_own_canonical(link_nlp: Language) -> None:
    doc = run(link_nlp, "Warga Desa\nSukamaju senang.", [("Desa\nSukamaju", "LOC")])
    assert info(doc) == [("Desa\nSukamaju", "LOC", "Desa Sukamaju", None)]


# -- the seed article ----------------------------------------------------------------------------
SEED_PERSONS = [
    ("Menteri Luar Negeri China Qin Gang", "PER"),
    ("Menteri Luar Negeri Rusia Sergei Lavrov", "PER"),
    ("Xi Jinping", "PER"),
    ("Javed Dar", "PER"),
    ("Qin", "PER"),
    ("Lavrov", "PER"),
]


def test_canonical_names_seed_article(link_nlp: Language, seed_text: str) -> None:
    doc = run(link_nlp, seed_text, SEED_PERSONS)
    labels = {(e.text, e.label_) for e in doc.ents}
    for name in ("Qin Gang", "Sergei Lavrov", "Xi Jinping", "Javed Dar"):
        assert (name, "PER") in labels
    for name in ("China", "Rusia", "Goa", "India", "Asia-Pasifik", "Ukraina"):
        assert (name, "LOC") in labels
    for name in (
        "SCO",
        "Organisasi Kerja Sama Shanghai",
        "Shanghai Cooperation Organization",
        "BRICS",
        "Kelompok 20",
        "PBB",
        "Perserikatan Bangsa-Bangsa",
        "Xinhua",
        "Dewan Negara",
    ):
        assert (name, "ORG") in labels
    assert not {text for text, _ in labels} & {"Kamis", "Kedua", "Kedua pihak"}
    rows = {row["canonical"]: row for row in entity_summary(mentions(doc))}
    assert rows["Qin Gang"]["roles"] == ["Anggota Dewan Negara sekaligus Menteri Luar Negeri China"]
    assert rows["Qin Gang"]["mentions"] == 4
    assert rows["Sergei Lavrov"]["roles"] == ["Menteri Luar Negeri Rusia"]
    assert rows["Xi Jinping"]["roles"] == ["Presiden China"]
    assert rows["Organisasi Kerja Sama Shanghai"]["label"] == "ORG"
    assert "SCO" not in rows and "Lavrov" not in rows and "PBB" not in rows


def test_entity_components_saved_and_loaded_give_the_same_output(
    seed_text: str, tmp_path: Path
) -> None:
    """A pipeline with the three entity components and the stemmer, saved with ``nlp.to_disk``
    and loaded with ``spacy.load`` (after importing the component modules), gives the same
    entities, canonical names, roles and stems on the seed article."""
    nlp = build((*_ENTITY, "beritanlp_stemmer"))

    def output(pipeline: Language) -> tuple[list[tuple[str, str, str | None, str | None]], list]:  # type: ignore[type-arg]
        doc = pipeline(seed_text)
        return info(doc), list(doc._.beritanlp_stems)

    expected = output(nlp)
    assert any(role for _, _, _, role in expected[0])
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / "beritanlp_canonical_names"
    assert sorted(p.name for p in saved.iterdir()) == ["gazetteer_files", "settings.json"]
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    assert output(loaded) == expected


_ENTITY = ("beritanlp_entity_repair", "beritanlp_canonical_names", "beritanlp_roles")


def test_canonical_names_summary_of_an_article_entity() -> None:
    """``entity_summary`` reads the attributes ``Article`` entities have."""
    from beritanlp.records import Entity

    entity = Entity("Lavrov", "PER", 5, 11, "Sergei Lavrov", "body", None)
    assert entity_summary([entity]) == [
        {"canonical": "Sergei Lavrov", "label": "PER", "mentions": 1, "first_start": 5, "roles": []}
    ]


# -- entity_summary ------------------------------------------------------------------------------
def test_canonical_names_summary_groups_by_canonical() -> None:
    m = SimpleNamespace
    rows = entity_summary(
        [
            m(text="Lavrov", label="PER", start=90, canonical="Sergei Lavrov", role="Menlu Rusia"),
            m(
                text="SCO",
                label="LOC",
                start=5,
                canonical="Organisasi Kerja Sama Shanghai",
                role=None,
            ),
            m(
                text="Sergei Lavrov",
                label="PER",
                start=40,
                canonical="Sergei Lavrov",
                role="Menteri Luar Negeri Rusia",
            ),
            m(
                text="SCO",
                label="ORG",
                start=60,
                canonical="Organisasi Kerja Sama Shanghai",
                role=None,
            ),
            m(
                text="Organisasi Kerja Sama Shanghai",
                label="ORG",
                start=20,
                canonical=None,
                role=None,
            ),
            m(text="Goa", label="LOC", start=70, canonical=None, role=None),
        ]
    )
    assert rows == [
        {
            "canonical": "Organisasi Kerja Sama Shanghai",
            "label": "ORG",
            "mentions": 3,
            "first_start": 5,
            "roles": [],
        },
        {
            "canonical": "Sergei Lavrov",
            "label": "PER",
            "mentions": 2,
            "first_start": 40,
            "roles": ["Menteri Luar Negeri Rusia", "Menlu Rusia"],
        },
        {"canonical": "Goa", "label": "LOC", "mentions": 1, "first_start": 70, "roles": []},
    ]
    assert entity_summary([]) == []


# -- invariants ----------------------------------------------------------------------------------
_WORDS = [
    "Menteri", "Luar", "Negeri", "Rusia", "Sergei", "Lavrov", "Presiden", "China", "Xi",
    "(", ")", "SCO", "PBB", "/", "dan", "sekaligus", "kata", ".", ",", "Kamis", "BRIN",
    "Badan", "Organisasi", "Kerja", "Sama", "Shanghai", "\n", "Qin", "Gang", "Baca juga:",
]  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=40),
    model=st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 5), st.sampled_from(["PER", "ORG", "LOC"])),
        max_size=5,
    ),
)
def test_entity_components_property_offsets_valid_no_overlaps(
    link_nlp: Language, words: list[str], model: list[tuple[int, int, str]]
) -> None:
    text = " ".join(words)
    doc = prepare(link_nlp, text)
    doc.ents = filter_spans(
        [
            Span(doc, start, min(len(doc), start + length), label=label)
            for start, length, label in model
            if start < len(doc)
        ]
    )
    doc = finish(link_nlp, doc)
    ents = list(doc.ents)
    for a, b in itertools.pairwise(ents):
        assert a.end <= b.start
    for ent in ents:
        assert doc.text[ent.start_char : ent.end_char] == ent.text
        assert isinstance(ent._.beritanlp_canonical, str) and ent._.beritanlp_canonical
        assert ent._.beritanlp_role is None or ent.label_ == "PER"
        if ent._.beritanlp_role:  # the role is the text right before the name
            assert " ".join(doc.text[: ent.start_char].split()).endswith(ent._.beritanlp_role)
