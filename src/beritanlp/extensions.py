"""Every custom ``Doc``/``Span``/``Token`` attribute beritanlp uses, registered in one place.

Components call :func:`register` in their constructor (idempotent). The attributes are plain
data so that docs survive ``nlp.pipe(n_process=N)`` and ``DocBin`` round trips:

========================  =====================================================================
``doc._.context``         ``{"title", "published", "url"}`` given by the caller (or ``None``)
``doc._.stems``           one stem (``str``) or ``None`` per token, written by the stemmer
``token._.stem``          getter: ``doc._.stems[token.i]`` (``None`` before the stemmer ran)
``token._.section``       getter: the kind of the section the token lies in (or ``None``)
``span._.section``        getter: the kind of the section the span *starts* in (or ``None``)
``span._.canonical``      the canonical name of an entity mention (``None``: its own text)
``span._.role``           the title/role phrase of a person mention (``"Menteri Luar Negeri"``)
``doc._.dateline``        the parsed dateline: ``{text, start, end, place, source, date}`` or None
``doc._.dates``           date expressions: ``[{text, start, end, value, granularity, kind}]``
``doc._.published``       ISO publication date: given (``doc._.context``) or inferred
``doc._.published_source`` ``"given"`` | ``"inferred"`` | ``None``
``doc._.topic``           ``{label, score, scores}`` or ``None``
``doc._.keywords``        ``[{text, score}]``
========================  =====================================================================

Extensions hold plain JSON-like values (dicts, lists, strings), never objects: the Article layer
(``article.py``) is the one place that turns them into dataclasses.

Sections themselves are ``doc.spans["sections"]`` (span label = section kind).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    from spacy.tokens import SpanGroup

__all__ = ["SECTIONS_KEY", "doc_text", "register", "section_index", "section_of_token"]

SECTIONS_KEY = "sections"

_registered = False


def _stem_getter(token: Token) -> str | None:
    stems = token.doc._.stems
    return None if stems is None else stems[token.i]


_TEXT_KEY = ("beritanlp", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc and kept in ``doc.user_data``.

    spaCy builds ``doc.text`` anew on every access by joining a ``Token`` object per token
    (0.6 us per token); several components need the text. A token's text cannot change after
    tokenisation (the retokenizer keeps the text), so the kept string stays valid; its length
    and end are checked against the last token all the same.
    """
    n = len(doc)
    if not n:
        return ""
    text: str | None = doc.user_data.get(_TEXT_KEY)
    last = doc[n - 1]
    tail = last.text_with_ws
    if text is None or len(text) != last.idx + len(tail) or not text.endswith(tail):
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


def section_index(doc: Doc) -> list[tuple[int, int, str]]:
    """The sections of ``doc`` as sorted (start token, end token, kind) triples."""
    group: SpanGroup | None = doc.spans.get(SECTIONS_KEY)
    return [(span.start, span.end, span.label_) for span in group] if group else []


def section_of_token(
    doc: Doc, i: int, index: list[tuple[int, int, str]] | None = None
) -> str | None:
    """The kind of the section holding token ``i`` (``index``: a precomputed
    :func:`section_index`, for callers that look up many tokens)."""
    if index is None:
        index = section_index(doc)
    k = bisect_right(index, (i, float("inf"))) - 1
    if k >= 0 and index[k][0] <= i < index[k][1]:
        return index[k][2]
    return None


def _token_section(token: Token) -> str | None:
    return section_of_token(token.doc, token.i)


def _span_section(span: Span) -> str | None:
    return section_of_token(span.doc, span.start)


def register() -> None:
    """Register all extensions (safe to call many times)."""
    global _registered
    if _registered:
        return
    if not Doc.has_extension("context"):
        Doc.set_extension("context", default=None)
    if not Doc.has_extension("stems"):
        Doc.set_extension("stems", default=None)
    if not Token.has_extension("stem"):
        Token.set_extension("stem", getter=_stem_getter)
    if not Token.has_extension("section"):
        Token.set_extension("section", getter=_token_section)
    if not Span.has_extension("section"):
        Span.set_extension("section", getter=_span_section)
    for name in ("canonical", "role"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)
    for name in ("dateline", "published", "published_source", "topic"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in ("dates", "keywords", "quotes", "noun_phrases"):
        if not Doc.has_extension(name):
            # a getter-free default must be immutable: components assign a new list
            Doc.set_extension(name, default=())
    _registered = True
