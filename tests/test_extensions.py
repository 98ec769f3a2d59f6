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


def test_extensions_are_namespaced_typed_and_plain_data_inside() -> None:
    import pytest as _pytest
    from spacy.tokens import DocBin

    from beritanlp import extensions
    from beritanlp.records import DateExpression, Topic

    extensions.register()
    nlp = blank()
    doc = nlp.make_doc("Kamis (4/5) di Goa.")
    assert doc._.beritanlp_topic is None and doc._.beritanlp_dates == ()
    doc._.beritanlp_topic = Topic("internasional", 0.9, {"internasional": 0.9})
    doc._.beritanlp_dates = (DateExpression("Kamis (4/5)", 0, 11, "2023-05-04", "day", "date"),)
    with _pytest.raises(TypeError, match="Topic records"):
        doc._.beritanlp_topic = {"label": "x"}
    # stored as plain data: the doc survives a DocBin round trip with its records
    back = next(DocBin(docs=[doc], store_user_data=True).get_docs(nlp.vocab))
    assert back._.beritanlp_topic == doc._.beritanlp_topic
    assert back._.beritanlp_dates == doc._.beritanlp_dates
    for name in extensions.RECORDS:
        assert name.startswith("beritanlp_")


def test_extensions_refuse_a_foreign_owner_of_our_names() -> None:
    from spacy.tokens import Token

    from beritanlp import extensions

    extensions.register()
    # another library's `doc._.topic` does not matter to us (our names are prefixed)
    if not Doc.has_extension("topic"):
        Doc.set_extension("topic", default="theirs")
    assert blank().make_doc("x")._.topic == "theirs"
    # taking one of our names with a getter of its own is refused at registration
    Token.remove_extension("beritanlp_section")
    Token.set_extension("beritanlp_section", getter=lambda token: "theirs")
    extensions._registered = False
    try:
        with pytest.raises(Exception, match="another library"):
            extensions.register()
    finally:
        Token.remove_extension("beritanlp_section")
        Token.set_extension("beritanlp_section", getter=extensions._token_section)
        extensions._registered = True
