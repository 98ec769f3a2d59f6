"""Every custom ``Doc``/``Span``/``Token`` attribute beritanlp uses, registered in one place.

Every name starts with ``beritanlp_``, so another library's ``doc._.topic`` cannot collide with
ours. Each attribute has one owner, the only component that writes it:

==================================  ==========================================  =================
attribute                           value                                       owner
==================================  ==========================================  =================
``doc._.beritanlp_context``         ``{"title", "published", "url"}`` or None   ``analyze()``
``doc._.beritanlp_stems``           one stem (``str``) or None per token        stemmer
``token._.beritanlp_stem``          getter: ``doc._.beritanlp_stems[token.i]``  (stemmer)
``token._.beritanlp_section``       getter: the kind of the section the token   (sections)
                                    lies in, or None
``span._.beritanlp_section``        getter: ... the span *starts* in            (sections)
``span._.beritanlp_role``           the role phrase of a person mention         roles
``span._.beritanlp_canonical``      the canonical name of a mention             canonical_names
``doc._.beritanlp_dateline``        :class:`~beritanlp.records.Dateline`        dateline
``doc._.beritanlp_dates``           tuple of ``DateExpression``                 dates
``doc._.beritanlp_published``       :class:`~beritanlp.records.Published`       dates
``doc._.beritanlp_topic``           :class:`~beritanlp.records.Topic`           topic
``doc._.beritanlp_keywords``        tuple of ``Keyword``                        keywords
``doc._.beritanlp_quotes``          tuple of ``Quote``                          quotes
``doc._.beritanlp_noun_phrases``    tuple of ``Phrase``                         syntax
==================================  ==========================================  =================

The record attributes (:data:`RECORDS`) are typed: reading gives the records of
:mod:`beritanlp.records` (or None / an empty tuple before their component ran), and writing
takes records only. They are *stored* as plain data in ``doc.user_data`` (the records'
``to_dict()``), so docs survive ``nlp.pipe(n_process=N)`` and ``DocBin`` round trips.

Sections themselves are ``doc.spans["sections"]`` (span label = section kind).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from spacy.tokens import Doc, Span, Token

from .errors import ConfigError
from .records import DateExpression, Dateline, Keyword, Phrase, Published, Quote, Record, Topic

if TYPE_CHECKING:
    from spacy.tokens import SpanGroup

__all__ = [
    "RECORDS",
    "SECTIONS_KEY",
    "doc_text",
    "register",
    "section_index",
    "section_of_token",
]

SECTIONS_KEY = "sections"

_registered = False


def _stem_getter(token: Token) -> str | None:
    stems = token.doc._.beritanlp_stems
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
    text: str | None = _user_data(doc).get(_TEXT_KEY)
    last = doc[n - 1]
    tail = last.text_with_ws
    if text is None or len(text) != last.idx + len(tail) or not text.endswith(tail):
        text = doc.text
        _user_data(doc)[_TEXT_KEY] = text
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


#: the record attributes of ``Doc``: name -> (record class, one record (False) or a tuple (True))
RECORDS: dict[str, tuple[type[Record], bool]] = {
    "beritanlp_dateline": (Dateline, False),
    "beritanlp_dates": (DateExpression, True),
    "beritanlp_published": (Published, False),
    "beritanlp_topic": (Topic, False),
    "beritanlp_keywords": (Keyword, True),
    "beritanlp_quotes": (Quote, True),
    "beritanlp_noun_phrases": (Phrase, True),
}


def _user_data(doc: Doc) -> dict[Any, Any]:
    """``doc.user_data`` (spaCy types it ``dict[str, Any]``; it takes any hashable key)."""
    data: dict[Any, Any] = doc.user_data
    return data


def _record_key(name: str) -> tuple[str, str]:
    return ("beritanlp", name)


def _record_getter(name: str, cls: type[Record], many: bool) -> Callable[[Doc], Any]:
    def get(doc: Doc) -> Any:
        data = _user_data(doc).get(_record_key(name))
        if data is None:
            return () if many else None
        if many:
            return tuple(cls.from_dict(d) for d in data)
        return cls.from_dict(data)

    return get


def _record_setter(name: str, cls: type[Record], many: bool) -> Callable[[Doc, Any], None]:
    def put(doc: Doc, value: Any) -> None:
        if value is None or (many and not value):
            _user_data(doc).pop(_record_key(name), None)
            return
        items = tuple(value) if many else (value,)
        for record in items:
            if not isinstance(record, cls):
                raise TypeError(
                    f"doc._.{name} takes {cls.__name__} records"
                    f"{' (a sequence of them)' if many else ''}, got {type(record).__name__}"
                )
        _user_data(doc)[_record_key(name)] = (
            [r.to_dict() for r in items] if many else items[0].to_dict()
        )

    return put


def register() -> None:
    """Register all extensions (safe to call many times). A name registered by someone else
    with another meaning is an error (not silently shared)."""
    global _registered
    if _registered:
        return
    _ensure(Doc, "beritanlp_context", default=None)
    _ensure(Doc, "beritanlp_stems", default=None)
    _ensure(Token, "beritanlp_stem", getter=_stem_getter)
    _ensure(Token, "beritanlp_section", getter=_token_section)
    _ensure(Span, "beritanlp_section", getter=_span_section)
    _ensure(Span, "beritanlp_canonical", default=None)
    _ensure(Span, "beritanlp_role", default=None)
    for name, (cls, many) in RECORDS.items():
        _ensure(
            Doc,
            name,
            getter=_record_getter(name, cls, many),
            setter=_record_setter(name, cls, many),
        )
    _registered = True


def _ensure(owner: Any, name: str, **how: Any) -> None:
    """Register ``owner``'s extension ``name`` unless ours is already there (a re-import, or a
    reloaded module): keeps a getter of ours, and fails on a foreign one."""
    if owner.has_extension(name):
        _default, _method, getter, _setter = owner.get_extension(name)
        ours = getter is None or getattr(getter, "__module__", "") == __name__
        if not ours:
            raise ConfigError(
                f"{owner.__name__}._.{name} is already registered by another library; "
                "beritanlp needs that name"
            )
        return
    owner.set_extension(name, **how)
