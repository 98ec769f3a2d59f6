"""Tests of the ``beritanlp_roles`` component (components/roles.py): ``span._.beritanlp_role``,
the role phrases, your own roles file, saving with the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from beritanlp.components.roles import Roles, RolesSettings, role_phrases
from beritanlp.errors import ConfigError, ResourceError
from beritanlp.lang import blank
from tests.components._entities import build, person, run, shared_nlp


@pytest.fixture(scope="module")
def link_nlp() -> Language:
    return shared_nlp()


def test_roles_file_parses() -> None:
    phrases = role_phrases()
    assert {"presiden", "menteri luar negeri", "kapolri", "perdana menteri", "pm"} <= set(phrases)
    assert phrases["menteri luar negeri"] == 3


def test_roles_config_errors() -> None:
    with pytest.raises(ConfigError, match="max_role_tokens"):
        Roles(blank(), "x", max_role_tokens=0)
    with pytest.raises(ConfigError, match="person_labels"):
        RolesSettings(person_labels=())
    with pytest.raises(ConfigError, match="unknown setting"):
        Roles(blank(), "x", max_tokens=3)
    nlp = blank()
    with pytest.raises(ConfigError, match="max_role_tokens"):
        nlp.add_pipe("beritanlp_roles", config={"max_role_tokens": -1})


def test_roles_settings_declared_once() -> None:
    nlp = blank()
    nlp.add_pipe("beritanlp_roles", config={"max_role_tokens": "9"})
    component = nlp.get_pipe("beritanlp_roles")
    assert component.settings == RolesSettings(max_role_tokens=9)
    section = nlp.config["components"]["beritanlp_roles"]
    assert section["roles"] == "roles.txt" and section["person_labels"] == ["PER", "PERSON"]


ROLE_CASES = [
    ("Menteri Luar Negeri Rusia", "Sergei Lavrov"),
    ("Presiden", "Joko Widodo"),
    ("Wapres", "Ma'ruf Amin"),
    ("Wakil Presiden", "Gibran Rakabuming Raka"),
    ("Ketua DPR", "Puan Maharani"),
    ("Kapolri Jenderal", "Listyo Sigit Prabowo"),
    ("Gubernur DKI Jakarta", "Anies Baswedan"),
    ("Anggota Dewan Negara sekaligus Menteri Luar Negeri China", "Qin Gang"),
    ("Menteri Keuangan", "Sri Mulyani Indrawati"),
    ("Sekretaris Jenderal PBB", "Antonio Guterres"),
    ("Perdana Menteri Selandia Baru", "Chris Hipkins"),
    ("PM Inggris", "Rishi Sunak"),
    ("Kepala BNPB", "Suharyanto"),
    ("Menteri Koordinator Bidang Politik dan Keamanan", "Budi Gunawan"),
]


@pytest.mark.parametrize(("role", "name"), ROLE_CASES)
def test_roles_role_before_name(link_nlp: Language, role: str, name: str) -> None:
    doc = run(link_nlp, f"Pada hari itu {role} {name} mengatakan hal tersebut.", [(name, "PER")])
    found = person(doc, name)
    assert found._.beritanlp_role == role
    assert found._.beritanlp_role == role  # the namespaced attribute holds the same
    assert found._.beritanlp_canonical == name


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Hal itu penting, kata Qin Gang kemarin.", "Qin Gang", None),
        ("Lavrov dan Presiden China Xi Jinping bertemu.", "Xi Jinping", "Presiden China"),
        ("Presiden Rusia dan Presiden China Xi Jinping bertemu.", "Xi Jinping", "Presiden China"),
        (
            "Ia bertemu dengan Menteri Luar Negeri Rusia Sergei Lavrov.",
            "Sergei Lavrov",
            "Menteri Luar Negeri Rusia",
        ),
        ("Kunjungan Presiden China Xi Jinping berlanjut.", "Xi Jinping", "Presiden China"),
        ("Tersangka. Budi Santoso kemudian ditahan.", "Budi Santoso", None),
        ("Hasilnya, Budi Santoso menang.", "Budi Santoso", None),
    ],
)
def test_roles_role_boundaries(link_nlp: Language, text: str, name: str, role: str | None) -> None:
    doc = run(link_nlp, text, [(name, "PER"), ("Lavrov", "PER")])
    assert person(doc, name)._.beritanlp_role == role


def test_roles_only_persons_get_a_role(link_nlp: Language) -> None:
    doc = run(link_nlp, "Presiden China Xi Jinping tiba di Moskow.", [("Xi Jinping", "PER")])
    assert {e.text: e._.beritanlp_role for e in doc.ents} == {
        "China": None,
        "Xi Jinping": "Presiden China",
        "Moskow": None,
    }


def test_roles_max_role_tokens_bounds_the_role() -> None:
    nlp = build(beritanlp_roles={"max_role_tokens": 2})
    text = "Pada hari itu Menteri Luar Negeri Rusia Sergei Lavrov tiba."
    doc = run(nlp, text, [("Sergei Lavrov", "PER")])
    assert (
        person(doc, "Sergei Lavrov")._.beritanlp_role is None
    )  # the role phrase starts 4 tokens back


def test_roles_run_after_canonical_names() -> None:
    """An acronym that ``canonical_names`` tags is a name inside a role (``Ketua FKE20``): the
    roles component runs after it. Without it, ``FKE20`` (not a word) ends the role scan."""
    text = (
        "Forum Kerja Sama Ekonomi 20 (FKE20) bersidang. Kemarin Ketua FKE20 Budi Santoso "
        "membuka sidang."
    )
    model = [("Forum Kerja Sama Ekonomi 20", "ORG"), ("Budi Santoso", "PER")]
    doc = run(shared_nlp(), text, model)
    assert ("FKE20", "ORG") in {(e.text, e.label_) for e in doc.ents}
    assert person(doc, "Budi Santoso")._.beritanlp_role == "Ketua FKE20"
    alone = build(("beritanlp_entity_repair", "beritanlp_roles"))
    assert person(run(alone, text, model), "Budi Santoso")._.beritanlp_role is None


# -- your own role phrases ----------------------------------------------------------------------
TEXT = "Pada hari itu Juragan Besar Budi Santoso membuka acara."
MODEL = [("Budi Santoso", "PER")]


def _own_roles(tmp_path: Path) -> Path:
    path = tmp_path / "my_roles.txt"
    bundled = (Path(__file__).parents[2] / "src/beritanlp/data/roles.txt").read_text("utf-8")
    path.write_text(bundled + "\n# our own\nJuragan Besar\n", encoding="utf-8")
    return path


def test_roles_own_roles_file(tmp_path: Path) -> None:
    assert person(run(shared_nlp(), TEXT, MODEL), "Budi Santoso")._.beritanlp_role is None
    path = _own_roles(tmp_path)
    nlp = build(beritanlp_roles={"roles": str(path)})
    assert person(run(nlp, TEXT, MODEL), "Budi Santoso")._.beritanlp_role == "Juragan Besar"


def test_roles_missing_roles_file_fails_clearly(tmp_path: Path) -> None:
    nlp = blank()
    nlp.add_pipe("beritanlp_roles", config={"roles": str(tmp_path / "nope.txt")})
    with pytest.raises(ResourceError, match=r"nope\.txt"):
        nlp.get_pipe("beritanlp_roles").initialize()


def test_roles_saved_pipeline_carries_the_roles_file(tmp_path: Path) -> None:
    path = _own_roles(tmp_path)
    nlp = build(beritanlp_roles={"roles": str(path)})
    expected = person(run(nlp, TEXT, MODEL), "Budi Santoso")._.beritanlp_role
    nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / "beritanlp_roles"
    assert (saved / "settings.json").is_file() and "Juragan Besar" in (
        saved / "roles.txt"
    ).read_text("utf-8")
    path.unlink()  # the saved pipeline needs no file of the settings
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("beritanlp_roles").settings.roles == str(path)
    assert (
        person(run(loaded, TEXT, MODEL), "Budi Santoso")._.beritanlp_role
        == expected
        == "Juragan Besar"
    )
