"""Tests of components/shared.py: what the entity components share (the role phrases in a
document, the name-shape tests, the bases that read the role phrases and the gazetteer table)."""

from __future__ import annotations

from pathlib import Path

from beritanlp.components.canonical_names import CanonicalNames
from beritanlp.components.entity_repair import EntityRepair
from beritanlp.components.roles import Roles
from beritanlp.components.shared import clean, inside, is_acronym, phrase_at, phrases_of
from beritanlp.lang import blank
from beritanlp.lexicon import role_phrases
from beritanlp.resources import DataFile


def test_phrase_at_never_ends_inside_a_name() -> None:
    doc = blank().make_doc("Anggota Dewan Negara Qin Gang")
    phrases = role_phrases()
    assert phrase_at(doc, 0, 5, phrases) >= 1
    # with "Dewan Negara" a name, the phrase may not end between its two words
    assert inside([doc[1:3]]) == frozenset({2})
    assert phrase_at(doc, 0, 5, phrases, frozenset({2})) != 2
    assert phrase_at(doc, 3, 5, phrases) == 0  # not a role phrase


def test_is_acronym_and_clean() -> None:
    assert is_acronym("SCO") and is_acronym("FKE20") and is_acronym("KemenPUPR")
    assert not is_acronym("G20")  # two capitals at least
    assert not is_acronym("Bapanas") and not is_acronym("S") and not is_acronym("sco")
    assert clean(" Menteri\n Luar  Negeri ") == "Menteri Luar Negeri"


def test_phrases_of_files() -> None:
    files = {"roles": (DataFile("mine.txt", "# roles\nJuragan Besar\n", "mine.txt"),)}
    assert phrases_of(files) == {"juragan besar": 2}
    assert phrases_of({"roles": ()}) == {}


def test_role_phrases_and_gazetteer_table_follow_the_files(tmp_path: Path) -> None:
    own = tmp_path / "roles.txt"
    own.write_text("Juragan Besar\n", encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text("Koperasi Sinar Tani\tORG\tKoperasi Sinar Tani\n", encoding="utf-8")
    repair = EntityRepair(None, roles=str(own), gazetteer_files=(str(names),))
    assert repair.name == "entity_repair"
    assert repair.phrases == {"juragan besar": 2}
    assert repair.table["Koperasi Sinar Tani"].label == "ORG"
    assert Roles(None).phrases == role_phrases()
    assert "Indonesia" in CanonicalNames(None).table
    # saved and loaded into a component of the bundled files: the saved copies win
    repair.to_disk(tmp_path / "saved")
    own.unlink()
    names.unlink()
    loaded = EntityRepair(None).from_disk(tmp_path / "saved")
    assert loaded.phrases == {"juragan besar": 2}
    assert set(loaded.table) == {"Koperasi Sinar Tani", "KOPERASI SINAR TANI"}
