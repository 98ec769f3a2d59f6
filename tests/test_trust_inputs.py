"""Issue 14, section 5: text at the front door.

Any ``str`` subclass (``numpy.str_`` from a NumPy/pandas column, a user's own subclass) is
accepted as its plain ``str`` value; every other non-text type is still an InputTypeError.
"""

from __future__ import annotations

import numpy as np
import pytest

import beritanlp
from beritanlp.api import prepare_text
from beritanlp.errors import InputTooLongError, InputTypeError

TEXT = "Jakarta (ANTARA) - Presiden Joko Widodo tiba di Bandung, Senin (4/5)."


class Tagged(str):
    """A str subclass that lies about itself: the text is its ``str`` value, nothing else."""

    def __str__(self) -> str:
        return "something else"

    def __len__(self) -> int:
        return 0


class Broken(str):
    def __str__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize("make", [np.str_, Tagged, Broken], ids=["numpy.str_", "tagged", "broken"])
def test_trust_prepare_text_accepts_str_subclasses(make: type) -> None:
    text = prepare_text(make(TEXT))
    assert type(text) is str
    assert text == TEXT


def test_trust_prepare_text_str_subclass_keeps_surrogate_fix_and_limit() -> None:
    assert prepare_text(np.str_("a\ud800b")) == "a\ufffdb"
    with pytest.raises(InputTooLongError):
        prepare_text(Tagged("x" * 11), max_length=10)  # its own __len__ says 0


def test_trust_analyze_numpy_str_equals_str() -> None:
    expected = beritanlp.analyze(TEXT).to_dict()
    assert beritanlp.analyze(np.str_(TEXT)).to_dict() == expected
    assert beritanlp.analyze(Tagged(TEXT)).to_dict() == expected


def test_trust_analyze_many_numpy_str_column() -> None:
    column = np.array([TEXT, "Berita kedua dari Surabaya."])
    results = list(beritanlp.analyze_many(list(column)))
    assert [r.error for r in results] == [None, None]
    assert results[0].article is not None and results[0].article.text == TEXT


@pytest.mark.parametrize(
    "value",
    [
        12,
        None,
        3.5,
        ["teks"],
        np.array(["teks"]),
        np.array("teks"),  # a 0-d array is not a str, even if it holds one
        np.int64(3),
        object(),
    ],
    ids=["int", "None", "float", "list", "ndarray", "0-d ndarray", "numpy int", "object"],
)
def test_trust_non_text_is_still_input_type_error(value: object) -> None:
    with pytest.raises(InputTypeError):
        prepare_text(value)
    with pytest.raises(InputTypeError):
        beritanlp.analyze(value)  # type: ignore[arg-type]
