"""Tests of beritanlp.resources: naming and reading data files, the data files of a class whose
settings name them (:class:`DataFileUser`), and a component's folder of a saved pipeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from beritanlp.components.base import Settings
from beritanlp.errors import ResourceError
from beritanlp.resources import (
    SETTINGS_FILE,
    DataFile,
    DataFileUser,
    describe,
    is_file_path,
    load_component,
    read_data_files,
    read_lines,
    read_tsv,
    save_component,
    saved_names,
)


def test_names_bundled_or_own() -> None:
    assert not is_file_path("gazetteer/countries.tsv")
    assert all(is_file_path(n) for n in ("/srv/a.tsv", "~/a.tsv", "./a.tsv", "../a.tsv"))
    assert describe("roles.txt") == "beritanlp/data/roles.txt"
    with pytest.raises(ResourceError, match="own is named by its path"):
        read_lines("no_such_file.txt")


def test_own_file_read_again_when_it_changes(tmp_path: Path) -> None:
    own = tmp_path / "words.txt"
    own.write_text("# a comment\nsatu\n\n", encoding="utf-8")
    assert read_lines(str(own)) == ("satu",)
    own.write_text("satu\ndua tiga\n", encoding="utf-8")
    assert read_lines(str(own)) == ("satu", "dua tiga")
    own.write_text("a\tb\nc\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="data row 2: expected 2"):
        read_tsv(str(own), columns=2)


def test_saved_names() -> None:
    assert saved_names("rules", "sections.json") == ["rules.json"]
    assert saved_names("rules", "") == []
    assert saved_names("files", ("gazetteer/a.tsv", "", "/x/b.tsv")) == [
        "files/00-a.tsv",
        "files/02-b.tsv",
    ]


@dataclass(frozen=True, slots=True)
class _Names(Settings):
    first: str = "roles.txt"
    second: str = ""


class _User(DataFileUser):
    SETTINGS = _Names
    DATA_SETTINGS = ("first", "second")


def test_data_file_user_reads_what_is_not_given() -> None:
    given = DataFile("roles.txt", "presiden\n", "a saved copy")
    user = _User(data={"first": (given,)})
    assert user.data_files == {"first": (given,), "second": ()}  # '' names no file
    read = _User(second="event_words.txt").data_files
    assert read["first"][0].where == "beritanlp/data/roles.txt"
    assert read == read_data_files({"first": "roles.txt", "second": "event_words.txt"})


def test_component_folder_round_trip(tmp_path: Path) -> None:
    settings = {"rules": "sections.json", "files": ["a.tsv", "b.tsv"], "limit": 3}
    files = {
        "rules": (DataFile("sections.json", "{}", "x"),),
        "files": (DataFile("a.tsv", "A\n", "x"), DataFile("b.tsv", "B\n", "x")),
    }
    save_component(tmp_path, settings, files)
    assert json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8")) == settings
    saved, data = load_component(tmp_path, {}, ("rules", "files"))
    assert saved == settings
    assert data is not None and [f.text for f in data["files"]] == ["A\n", "B\n"]
    assert data["rules"][0].name == "sections.json"
    # a data setting the saved settings do not hold (saved before it existed) is left out:
    # the component reads the file its settings name
    saved, data = load_component(tmp_path, {}, ("rules", "newer"))
    assert data is not None and set(data) == {"rules"}
    # excluded: the current settings, no files
    saved, data = load_component(tmp_path, {"limit": 9}, ("rules",), exclude=["settings", "data"])
    assert saved == {"limit": 9} and data is None


def test_component_folder_damaged(tmp_path: Path) -> None:
    (tmp_path / SETTINGS_FILE).write_text('{"rules": 5}', encoding="utf-8")
    with pytest.raises(ResourceError, match="rules must name data files"):
        load_component(tmp_path, {}, ("rules",))
    (tmp_path / SETTINGS_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ResourceError, match="not a JSON object"):
        load_component(tmp_path, {}, ("rules",))
