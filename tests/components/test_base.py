"""Tests of components/base.py beyond the settings tables (tests/test_docs_settings.py): the value
checks the settings classes share and :class:`DataFileComponent`, the base of the components
whose settings name data files (lazy reading, initialize, to_disk/from_disk, other parts)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
import spacy

from beritanlp.components.base import DataFileComponent, Settings, register_factory, text_rules
from beritanlp.errors import ConfigError, ResourceError
from beritanlp.lang import blank
from beritanlp.resources import DataFileUser, parse_lines


@dataclass(frozen=True, slots=True)
class WordListSettings(Settings):
    """Settings of the test component."""

    #: the words (data file)
    words: str = "event_words.txt"
    #: more words ("" = none)
    extra: str = ""
    #: several files
    lists: tuple[str, ...] = ()
    #: a whole number >= 1
    limit: int = 3
    #: a flag
    flag: bool = True
    #: labels, one at least
    labels: tuple[str, ...] = ("PER",)

    def check(self) -> None:
        self.require_file("words", "lists")
        self.require_file("extra", optional=True)
        self.require_int("limit", least=1, note=" (the longest list)")
        self.require_bool("flag")
        self.require_strings("labels", non_empty=True)


class Vocabulary(DataFileUser):
    """Plain-text rules of the same settings: the words of the files."""

    SETTINGS = WordListSettings
    DATA_SETTINGS = ("words", "extra")

    @cached_property
    def words(self) -> frozenset[str]:
        files = self.data_files
        return frozenset(
            w for key in ("words", "extra") for f in files[key] for w in parse_lines(f.text)
        )


class WordList(DataFileComponent):
    """A component whose settings name data files and which carries a part of its own."""

    SETTINGS = WordListSettings
    DATA_SETTINGS = ("words", "extra", "lists")
    NAME = "word_list"
    vocabulary = text_rules(Vocabulary)
    part: str

    def __call__(self, doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
        return doc

    @cached_property
    def first_word(self) -> str:
        return sorted(self.vocabulary.words)[0]

    def _load_parts(self, folder: Path | None, exclude: frozenset[str]) -> None:
        if folder is None:
            self.part = "built"
        elif "part" not in exclude:
            self.part = (folder / "part.txt").read_text(encoding="utf-8")

    def _save_parts(self, folder: Path, exclude: frozenset[str]) -> None:
        if "part" not in exclude:
            (folder / "part.txt").write_text(self.part, encoding="utf-8")


make_word_list = register_factory("beritanlp_test_word_list", WordListSettings, WordList)


def _own(tmp_path: Path, name: str, words: str) -> str:
    path = tmp_path / name
    path.write_text(words, encoding="utf-8")
    return str(path)


# -- the value checks ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"limit": 0},
            r"word_list: limit must be a whole number >= 1 \(the longest list\), got 0 "
            r'\(e\.g\. config=\{"limit": 3\}\)',
        ),
        ({"limit": True}, "limit must be a whole number"),
        ({"limit": "3"}, "limit must be a whole number"),
        ({"flag": 1}, "flag must be true or false, got 1"),
        ({"words": ""}, "words must name a data file .*beritanlp/data or a path"),
        ({"words": None}, "words must name a data file"),
        ({"lists": ("a.tsv", "")}, "lists must name data files"),
        ({"extra": 5}, r"extra must name a data file \(''"),
        ({"labels": ()}, "labels needs at least one entry"),
        ({"labels": "PER"}, "labels must be a list of strings"),
        ({"labels": ("PER", 5)}, "labels must be a list of strings"),
    ],
)
def test_settings_checks_name_the_component_and_the_setting(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        WordListSettings(**overrides)  # type: ignore[arg-type]


def test_settings_checks_accept_good_values() -> None:
    settings = WordListSettings(extra="", lists=("a.tsv", "b.tsv"), limit=1, flag=False)
    assert settings.lists == ("a.tsv", "b.tsv") and settings.limit == 1


# -- DataFileComponent -----------------------------------------------------------------------------
def test_component_reads_its_files_on_first_use(tmp_path: Path) -> None:
    words = _own(tmp_path, "words.txt", "Piala\n")
    component = WordList(words=words)
    assert component.name == "word_list" and component.part == "built"
    Path(words).unlink()
    with pytest.raises(ResourceError, match=r"words\.txt"):
        component.data_files  # noqa: B018  (read now: the file is gone)


def test_component_saves_and_loads_its_files_and_parts(tmp_path: Path) -> None:
    words = _own(tmp_path, "words.txt", "Piala\nLiga\n")
    lists = [_own(tmp_path, "a.tsv", "x\n"), _own(tmp_path, "b.tsv", "y\n")]
    component = WordList(None, "mine", words=words, lists=lists, limit=5)
    assert component.first_word == "Liga"
    component.part = "trained"
    component.to_disk(tmp_path / "saved")
    saved = tmp_path / "saved"
    assert sorted(str(p.relative_to(saved)) for p in saved.rglob("*") if p.is_file()) == [
        "lists/00-a.tsv",
        "lists/01-b.tsv",
        "part.txt",
        "settings.json",
        "words.txt",
    ]
    Path(words).write_text("Kejurnas\n", encoding="utf-8")  # the saved copy is what is read
    again = WordList(None, "again").from_disk(saved)
    assert again.settings == component.settings
    assert again.vocabulary.words == {"Piala", "Liga"} and again.part == "trained"
    # loading into a built component forgets what it derived from its own files
    other = WordList(words=words)
    assert other.first_word == "Kejurnas"
    other.from_disk(saved)
    assert other.first_word == "Liga"
    # initialize reads the files the settings name again
    other.initialize()
    assert other.first_word == "Kejurnas" and other.part == "built"


def test_component_exclude(tmp_path: Path) -> None:
    words = _own(tmp_path, "words.txt", "Piala\n")
    component = WordList(words=words)
    component.part = "trained"
    component.to_disk(tmp_path / "saved", exclude=["data", "part"])
    assert sorted(p.name for p in (tmp_path / "saved").iterdir()) == ["settings.json"]
    component.to_disk(tmp_path / "full")
    loaded = WordList(words=words, limit=7).from_disk(
        tmp_path / "full", exclude=["settings", "part"]
    )
    assert loaded.settings.limit == 7 and loaded.part == "built"


def test_component_missing_saved_copy_says_so(tmp_path: Path) -> None:
    WordList(words=_own(tmp_path, "words.txt", "Piala\n")).to_disk(tmp_path / "saved")
    (tmp_path / "saved" / "words.txt").unlink()
    with pytest.raises(ResourceError, match=r"incomplete.*words\.txt"):
        WordList().from_disk(tmp_path / "saved")


def test_component_through_spacy(tmp_path: Path) -> None:
    words = _own(tmp_path, "words.txt", "Piala\n")
    nlp = blank()
    nlp.add_pipe("beritanlp_test_word_list", config={"words": words, "limit": "4"})
    assert nlp.get_pipe("beritanlp_test_word_list").settings.limit == 4
    nlp.to_disk(tmp_path / "pipeline")
    Path(words).unlink()
    loaded = spacy.load(tmp_path / "pipeline").get_pipe("beritanlp_test_word_list")
    assert loaded.vocabulary.words == {"Piala"} and loaded.settings.limit == 4
