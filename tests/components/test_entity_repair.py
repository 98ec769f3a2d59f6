"""Tests of the ``beritanlp_entity_repair`` component (components/entity_repair.py): persons
announced by a role, one label per name, later mentions by one name, role phrases trimmed off
person spans; its settings, its dictionary and saving it with the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from beritanlp.components.entity_repair import EntityRepair, EntityRepairSettings
from beritanlp.errors import ConfigError
from beritanlp.lang import blank
from tests.components._entities import build, finish, info, person, prepare, run, shared_nlp


@pytest.fixture(scope="module")
def link_nlp() -> Language:
    return shared_nlp()


def _persons(nlp: Language, text: str, model: list[tuple[str, str]] = []) -> list[str]:  # noqa: B006
    return [e.text for e in run(nlp, text, model).ents if e.label_ == "PER"]


# -- settings -------------------------------------------------------------------------------------
def test_entity_repair_config_errors() -> None:
    with pytest.raises(ConfigError, match="person_labels"):
        EntityRepair(blank(), "x", person_labels=[])
    with pytest.raises(ConfigError, match="max_name_tokens"):
        EntityRepairSettings(max_name_tokens=0)
    with pytest.raises(ConfigError, match="unknown setting"):
        EntityRepair(blank(), "x", propagate=False)


def test_entity_repair_config_round_trips() -> None:
    nlp = blank()
    nlp.add_pipe("beritanlp_entity_repair", config={"max_name_tokens": 3, "refill": False})
    section = nlp.config["components"]["beritanlp_entity_repair"]
    assert section["max_name_tokens"] == 3 and section["roles"] == "roles.txt"
    rebuilt = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    settings = rebuilt.get_pipe("beritanlp_entity_repair").settings
    assert settings == EntityRepairSettings(max_name_tokens=3, refill=False)


# -- 1: persons announced by a role ---------------------------------------------------------------
def test_entity_repair_announced_person_after_role(link_nlp: Language) -> None:
    doc = run(link_nlp, "Kemarin Presiden China Xi Jinping tiba di Moskow.")
    assert person(doc, "Xi Jinping")._.beritanlp_role == "Presiden China"


@pytest.mark.parametrize(
    "text",
    [
        "Dalam rapat itu Menteri Pekerjaan Umum dan Perumahan Rakyat menyampaikan laporan.",
        "Acara dibuka oleh Dekan Fakultas Kehutanan pada pagi hari.",
        "Sementara itu Menko Polhukam menegaskan sikap pemerintah.",
    ],
)
def test_entity_repair_office_words_are_not_announced_persons(
    link_nlp: Language, text: str
) -> None:
    # a role followed by ordinary words only: the words go on naming the office
    assert _persons(link_nlp, text) == []


def test_entity_repair_splits_a_known_name_run_into_a_person(link_nlp: Language) -> None:
    # the model ran the country into the name: "China Xi Jinping" as one ORG
    doc = run(link_nlp, "Kemarin Presiden China Xi Jinping tiba di Moskow.", [
        ("China Xi Jinping", "ORG"),
    ])  # fmt: skip
    found = {(e.text, e.label_) for e in doc.ents}
    assert {("China", "LOC"), ("Xi Jinping", "PER")} <= found
    assert person(doc, "Xi Jinping")._.beritanlp_role == "Presiden China"


def test_entity_repair_photo_credit_names_a_person(link_nlp: Language) -> None:
    doc = run(link_nlp, "Suasana pertemuan di Goa. (Xinhua/Javed Dar)")
    assert ("Javed Dar", "PER") in {(e.text, e.label_) for e in doc.ents}


def test_entity_repair_role_persons_off(link_nlp: Language) -> None:
    text = "Kemarin Presiden Zulkarnaen Bahtiar tiba di Moskow."
    assert _persons(link_nlp, text) == ["Zulkarnaen Bahtiar"]
    nlp = build(beritanlp_entity_repair={"role_persons": False})
    assert _persons(nlp, text) == []


def test_entity_repair_person_label_is_the_first_person_label() -> None:
    nlp = build(
        beritanlp_entity_repair={"person_labels": ["PERSON", "PER"]},
        beritanlp_canonical_names={"person_labels": ["PERSON", "PER"]},
        beritanlp_roles={"person_labels": ["PERSON", "PER"]},
    )
    doc = run(nlp, "Kemarin Presiden Zulkarnaen Bahtiar tiba di Moskow.")
    assert [(e.text, e._.beritanlp_role) for e in doc.ents if e.label_ == "PERSON"] == [
        ("Zulkarnaen Bahtiar", "Presiden")
    ]


# -- 2: one label per name ------------------------------------------------------------------------
def _goa(nlp: Language) -> list[tuple[str, str]]:
    text = "Pertemuan di Goa berlangsung lama. Goa menjadi tuan rumah."
    doc = prepare(nlp, text)
    first, second = (i for i, t in enumerate(doc) if t.text == "Goa")
    doc.ents = [Span(doc, first, first + 1, "LOC"), Span(doc, second, second + 1, "PER")]
    return [(e.text, e.label_) for e in finish(nlp, doc).ents]


def test_entity_repair_one_label_per_name(link_nlp: Language) -> None:
    assert _goa(link_nlp) == [("Goa", "LOC"), ("Goa", "LOC")]
    assert _goa(build(beritanlp_entity_repair={"consistent_labels": False})) == [
        ("Goa", "LOC"),
        ("Goa", "PER"),
    ]


# -- 3: later mentions by one name --------------------------------------------------------------
PROPAGATE_TEXT = (
    "Lavrov sudah tiba. Menteri Luar Negeri Rusia Sergei Lavrov bertemu Qin Gang. "
    "Menurut Lavrov, Gang di kota itu ramai."
)
PROPAGATE_MODEL = [("Sergei Lavrov", "PER"), ("Qin Gang", "PER")]


def test_entity_repair_propagates_a_full_name_to_later_mentions(link_nlp: Language) -> None:
    doc = run(link_nlp, PROPAGATE_TEXT, PROPAGATE_MODEL)
    persons = [
        (e.start_char, e.text, e._.beritanlp_canonical) for e in doc.ents if e.label_ == "PER"
    ]
    later = PROPAGATE_TEXT.index("Menurut Lavrov") + len("Menurut ")
    assert (later, "Lavrov", "Sergei Lavrov") in persons
    assert all(start != 0 for start, _, _ in persons)  # not before the full name
    assert not any(t == "Gang" for _, t, _ in persons)  # an ordinary word ("gang": alley)


def test_entity_repair_propagate_off() -> None:
    nlp = build(beritanlp_entity_repair={"propagate_names": False})
    assert _persons(nlp, PROPAGATE_TEXT, PROPAGATE_MODEL) == ["Sergei Lavrov", "Qin Gang"]


def test_entity_repair_dictionary_is_a_setting(tmp_path: Path) -> None:
    """The ordinary-word test comes from the dictionary files the settings name: with
    ``Lavrov`` made a root of a dictionary of our own, it is no longer propagated."""
    roots = tmp_path / "roots.txt"
    roots.write_text("# test roots\nlavrov\n", encoding="utf-8")
    nlp = build(beritanlp_entity_repair={"stem_roots": str(roots)})
    assert nlp.get_pipe("beritanlp_entity_repair").lexicon.is_common_word("Lavrov")
    assert "Lavrov" not in _persons(nlp, PROPAGATE_TEXT, PROPAGATE_MODEL)


# -- 4: role phrases off person spans -----------------------------------------------------------
TRIM_CASES = [
    ("Menteri Luar Negeri Rusia", "Sergei Lavrov"),
    ("Presiden", "Joko Widodo"),
    ("Wapres", "Ma'ruf Amin"),
    ("Ketua DPR", "Puan Maharani"),
    ("Kapolri Jenderal", "Listyo Sigit Prabowo"),
    ("Gubernur DKI Jakarta", "Anies Baswedan"),
    ("Anggota Dewan Negara sekaligus Menteri Luar Negeri China", "Qin Gang"),
    ("Sekretaris Jenderal PBB", "Antonio Guterres"),
    ("PM Inggris", "Rishi Sunak"),
    ("Kepala BNPB", "Suharyanto"),
]


@pytest.mark.parametrize(("role", "name"), TRIM_CASES)
def test_entity_repair_role_trimmed_off_person(link_nlp: Language, role: str, name: str) -> None:
    """The model put the title inside the PER span: it is trimmed off and becomes the role."""
    doc = run(
        link_nlp,
        f"Pada hari itu {role} {name} mengatakan hal tersebut.",
        [(f"{role} {name}", "PER")],
    )
    found = person(doc, name)
    assert (found._.beritanlp_role, found._.beritanlp_canonical) == (role, name)


def test_entity_repair_trim_refills_gazetteer_names(link_nlp: Language) -> None:
    text = "Kemarin Menteri Luar Negeri Rusia Sergei Lavrov tiba."
    model = [("Menteri Luar Negeri Rusia Sergei Lavrov", "PER")]
    assert info(run(link_nlp, text, model)) == [
        ("Rusia", "LOC", "Rusia", None),
        ("Sergei Lavrov", "PER", "Sergei Lavrov", "Menteri Luar Negeri Rusia"),
    ]
    no_refill = build(beritanlp_entity_repair={"refill": False})
    assert [e.text for e in run(no_refill, text, model).ents] == ["Sergei Lavrov"]
    no_trim = build(beritanlp_entity_repair={"trim_roles": False})
    assert [e.text for e in run(no_trim, text, model).ents] == [model[0][0]]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("Menteri Luar Negeri", "Menteri Luar Negeri"),  # only role words: left alone
        ("Ketua DPR Agung Laksono", "Agung Laksono"),  # a name word that is also a role word
        ("Komjen Pol Badrodin Haiti", "Badrodin Haiti"),
    ],
)
def test_entity_repair_trim_guards(link_nlp: Language, model: str, expected: str) -> None:
    assert _persons(link_nlp, f"Kemarin {model} datang.", [(model, "PER")]) == [expected]


def test_entity_repair_trim_keeps_at_least_one_token(link_nlp: Language) -> None:
    doc = run(link_nlp, "Kata Presiden SBY kemarin.", [("Presiden SBY", "PER")])
    # SBY is a public figure (data/gazetteer/public_figures.tsv): canonical is the full name
    assert info(doc) == [("SBY", "PER", "Susilo Bambang Yudhoyono", "Presiden")]
    doc = run(link_nlp, "Menurut Presiden hal itu penting.", [("Presiden", "PER")])
    assert info(doc)[0][:2] == ("Presiden", "PER")


def test_entity_repair_keeps_the_entities_when_nothing_changes(link_nlp: Language) -> None:
    doc = prepare(link_nlp, "Warga kota itu senang.", [("Warga", "ORG")])
    before = [(e.start, e.end, e.label_) for e in doc.ents]
    repaired = link_nlp.get_pipe("beritanlp_entity_repair")(doc)
    assert [(e.start, e.end, e.label_) for e in repaired.ents] == before


# -- saving with the pipeline ---------------------------------------------------------------------
def test_entity_repair_saved_pipeline_carries_its_data_files(tmp_path: Path) -> None:
    roots = tmp_path / "roots.txt"
    roots.write_text("lavrov\n", encoding="utf-8")
    nlp = build(("beritanlp_entity_repair",), beritanlp_entity_repair={"stem_roots": str(roots)})
    expected = _persons(nlp, PROPAGATE_TEXT, PROPAGATE_MODEL)
    nlp.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / "beritanlp_entity_repair"
    assert sorted(p.name for p in folder.iterdir()) == [
        "gazetteer_files",  # 00-organisations.tsv, … (the gazetteer's label for a name)
        "roles.txt",
        "settings.json",
        "stem_exceptions.tsv",
        "stem_roots.txt",
    ]
    assert len(list((folder / "gazetteer_files").iterdir())) == 8
    roots.unlink()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("beritanlp_entity_repair").lexicon.is_common_word("Lavrov")
    assert _persons(loaded, PROPAGATE_TEXT, PROPAGATE_MODEL) == expected
