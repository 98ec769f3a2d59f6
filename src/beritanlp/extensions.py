"""Every custom ``Doc``/``Span``/``Token`` attribute beritanlp uses, registered in one place.

Components call :func:`register` in their constructor (idempotent). The attributes are plain
data so that docs survive ``nlp.pipe(n_process=N)`` and ``DocBin`` round trips:

========================  =====================================================================
``doc._.context``         ``{"title", "published", "url"}`` given by the caller (or ``None``)
``doc._.stems``           one stem (``str``) or ``None`` per token, written by the stemmer
``token._.stem``          getter: ``doc._.stems[token.i]`` (``None`` before the stemmer ran)
``token._.section``       getter: the kind of the section the token lies in (or ``None``)
``span._.section``        getter: the kind of the section the span *starts* in (or ``None``)
========================  =====================================================================

Sections themselves are ``doc.spans["sections"]`` (span label = section kind).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

if TYPE_CHECKING:
    from spacy.tokens import SpanGroup

__all__ = ["SECTIONS_KEY", "register", "section_index", "section_of_token"]

SECTIONS_KEY = "sections"

_registered = False


def _stem_getter(token: Token) -> str | None:
    stems = token.doc._.stems
    return None if stems is None else stems[token.i]


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
    _registered = True
