"""Helpers of beritanlp.extensions."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from beritanlp.extensions import doc_text
from beritanlp.lang import blank


@pytest.mark.parametrize(
    "text",
    ["", " ", "Goa, India (Xinhua) -- Menteri Luar Negeri China Qin Gang.\n\nBagikan  ", "a\tb"],
)
def test_extensions_doc_text_equals_spacy_text(text: str) -> None:
    doc = blank().make_doc(text)
    assert doc_text(doc) == doc.text == text
    assert doc_text(doc) == text  # the second call is served from user_data


def test_extensions_doc_text_ignores_a_stale_copy() -> None:
    nlp = blank()
    doc = nlp.make_doc("Jakarta hujan deras.")
    doc_text(doc)
    other = Doc(nlp.vocab, words=["Bandung", "cerah"], user_data=dict(doc.user_data))
    assert doc_text(other) == "Bandung cerah "
