"""Tests of the word knowledge (lexicon.py): the dictionary and the ordinary-word test, role
phrases, calendar words; files of your own and the texts of a saved pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from beritanlp import lexicon
from beritanlp.errors import ResourceError
from beritanlp.lexicon import Lexicon, is_common_word, role_phrases, role_words
from beritanlp.resources import DataFile


@pytest.mark.parametrize(
    ("word", "common"),
    [
        ("rumah", True),
        ("Perumahan", True),  # an affixed form of a root
        ("pertemuan", True),
        ("Gang", True),  # "gang": alley
        ("Lavrov", False),
        ("Jinping", False),
        ("Sergei", False),
        ("Budi", True),  # some names are words too
    ],
)
def test_lexicon_common_words(word: str, common: bool) -> None:
    assert is_common_word(word) is common


def test_lexicon_stems_like_the_stemmer() -> None:
    from beritanlp.components.stemmer import stem

    lex = lexicon.default_lexicon()
    for word in ("pertemuan", "penyelidikan", "bernilai", "menangis", "di", "asia-pasifik"):
        assert lex.stem(word) == stem(word)
    assert lex.stem("pertemuan", min_length=20) == "pertemuan"
    assert lex.is_root("Rumah") and not lex.is_root("perumahan")


def test_lexicon_building_reads_nothing(tmp_path: Path) -> None:
    missing = Lexicon(str(tmp_path / "nope.txt"))  # no error yet: nothing read
    with pytest.raises(ResourceError, match=r"nope\.txt"):
        missing.is_common_word("rumah")


def test_lexicon_own_roots_and_exceptions(tmp_path: Path) -> None:
    roots = tmp_path / "roots.txt"
    roots.write_text("# my roots\nlavrov\n", encoding="utf-8")
    exceptions = tmp_path / "exceptions.tsv"
    exceptions.write_text("Gangga\t=\nperumahan\tperumahan\n", encoding="utf-8")
    lex = Lexicon(str(roots), str(exceptions))
    assert lex.is_common_word("Lavrov") and not lexicon.default_lexicon().is_common_word("Lavrov")
    assert "gangga" in lex.names
    assert lex.stem("perumahan") == "perumahan"
    assert set(lex.files) == {"roots", "exceptions"}
    assert lex.files["roots"][0].text == roots.read_text(encoding="utf-8")
    # no extra roots, no exceptions
    bare = Lexicon("", "")
    assert bare.files == {"roots": (), "exceptions": ()} and bare.corrections == {}


def test_lexicon_from_texts_of_a_saved_pipeline() -> None:
    files = {
        "roots": (DataFile("roots.txt", "lavrov\n", "saved/roots.txt"),),
        "exceptions": (),
    }
    lex = Lexicon("gone.txt", "gone.tsv", files=files)  # the names are not read
    assert lex.is_common_word("Lavrov")


def test_lexicon_bad_exceptions_file_names_it(tmp_path: Path) -> None:
    exceptions = tmp_path / "bad.tsv"
    exceptions.write_text("only-one-field\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"bad\.tsv"):
        Lexicon("", str(exceptions)).stem("pertemuan")


def test_lexicon_role_phrases() -> None:
    phrases = role_phrases()
    assert phrases["menteri luar negeri"] == 3 and phrases["presiden"] == 1
    words = role_words(phrases)
    assert {"menteri", "luar", "negeri", "presiden"} <= words
    own = lexicon.parse_role_phrases("# comment\nJuragan  Besar\n\n")
    assert own == {"juragan besar": 2}


def test_lexicon_calendar_words() -> None:
    words = lexicon.calendar_words()
    assert {"senin", "kamis", "januari", "mei", "agu", "des"} <= words
    assert "jakarta" not in words and all(w == w.lower() for w in words)
