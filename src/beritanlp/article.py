"""The result objects: frozen, slotted dataclasses with character offsets into the original text.

:meth:`Article.from_doc` is the one place where a processed spaCy ``Doc`` becomes an
:class:`Article`; :meth:`Article.to_dict` is the JSON output, a public contract versioned by
:data:`SCHEMA_VERSION` and described in ``docs/schema.md`` and
``beritanlp/schema/article.schema.json``.

Every item with ``start``/``end`` satisfies ``article.text[item.start:item.end] == item.text``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "SCHEMA_VERSION",
    "SECTION_KINDS",
    "Article",
    "DateExpression",
    "Dateline",
    "Entity",
    "Keyword",
    "Phrase",
    "Quote",
    "Section",
    "Sentence",
    "Token",
    "Topic",
]

#: Version of the ``to_dict()`` layout. Minor: fields added; major: fields renamed or removed.
SCHEMA_VERSION = "1.1"

#: The section kinds, in the order they usually appear in an article.
SECTION_KINDS = ("title", "caption", "lead", "dateline", "body", "boilerplate")


@dataclass(frozen=True, slots=True)
class Section:
    """A region of the article: one of :data:`SECTION_KINDS`."""

    kind: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    section: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "section": self.section}


@dataclass(frozen=True, slots=True)
class Token:
    """A non-space token. The syntax fields (``pos`` … ``head``) are set only by the optional
    Stanza layer (``load(syntax="stanza")``); ``head`` is the index of the head token in
    ``Article.tokens`` (a root points at itself)."""

    text: str
    start: int
    end: int
    stem: str | None = None
    is_stop: bool = False
    pos: str | None = None
    tag: str | None = None
    morph: str | None = None
    lemma: str | None = None
    dep: str | None = None
    head: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "stem": self.stem,
            "is_stop": self.is_stop,
        }
        if self.pos is not None:  # schema 1.1: present only when the syntax layer ran
            data.update(
                pos=self.pos,
                tag=self.tag,
                morph=self.morph,
                lemma=self.lemma,
                dep=self.dep,
                head=self.head,
            )
        return data


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity mention. ``canonical`` is the name all mentions of it share."""

    text: str
    label: str
    start: int
    end: int
    canonical: str
    section: str | None = None
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "label": self.label,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "section": self.section,
            "role": self.role,
        }


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dateline opening the body, e.g. ``Goa, India (Xinhua) –``."""

    text: str
    start: int
    end: int
    place: str | None = None
    source: str | None = None
    date: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "place": self.place,
            "source": self.source,
            "date": self.date,
        }


@dataclass(frozen=True, slots=True)
class DateExpression:
    """A date or time expression normalised to ISO 8601 (``value``)."""

    text: str
    start: int
    end: int
    value: str | None
    granularity: str | None = None
    kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "granularity": self.granularity,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation and its speaker. ``speaker`` is the canonical name of a person entity (or
    ``None`` when only quotation marks show it is a quote); ``speaker_start``/``speaker_end``
    locate the mention that names the speaker (a pronoun for ``kata dia``; ``None`` for
    ``katanya``); ``kind`` is ``"quoted"`` (in quotation marks) or ``"reported"``."""

    text: str
    start: int
    end: int
    speaker: str | None
    cue: str
    kind: str
    speaker_start: int | None = None
    speaker_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "kind": self.kind,
            "speaker_start": self.speaker_start,
            "speaker_end": self.speaker_end,
        }


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase (from the syntax layer): its text, offsets and head word."""

    text: str
    start: int
    end: int
    root: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "root": self.root}


@dataclass(frozen=True, slots=True)
class Topic:
    label: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "score": self.score, "scores": dict(self.scores)}


@dataclass(frozen=True, slots=True)
class Keyword:
    text: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "score": self.score}


def _first_text(sections: Iterable[Section], kind: str) -> str | None:
    for section in sections:
        if section.kind == kind:
            return section.text
    return None


@dataclass(frozen=True, slots=True)
class Article:
    """An annotated news article. Build one with :func:`beritanlp.analyze`."""

    text: str
    title: str | None = None
    title_source: str | None = None  # "text" | "given" | None
    sections: tuple[Section, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()
    dateline: Dateline | None = None
    dates: tuple[DateExpression, ...] = ()
    published: str | None = None
    published_source: str | None = None  # "given" | "inferred" | None
    url: str | None = None
    topic: Topic | None = None
    keywords: tuple[Keyword, ...] = ()
    quotes: tuple[Quote, ...] = ()
    noun_phrases: tuple[Phrase, ...] = ()

    # -- derived views -------------------------------------------------------------------------
    @property
    def caption(self) -> str | None:
        """The text of the first photo caption, if any."""
        return _first_text(self.sections, "caption")

    @property
    def lead(self) -> str | None:
        """The standfirst/lead paragraph that the body repeats, if any."""
        return _first_text(self.sections, "lead")

    @property
    def body(self) -> str:
        """The body text: the dateline and body sections, joined by blank lines."""
        return "\n\n".join(s.text for s in self.sections if s.kind in ("dateline", "body"))

    def entity_summary(self) -> list[dict[str, Any]]:
        """One row per canonical entity: ``{canonical, label, mentions, first_start, roles}``,
        sorted by first mention (roles of short mentions count for the full name)."""
        from .components.entity_linker import entity_summary

        return entity_summary(self.entities)

    def sections_of(self, kind: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == kind)

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def from_doc(cls, doc: Doc) -> Article:
        """Convert a ``Doc`` processed by :func:`beritanlp.load`'s pipeline into an Article."""
        from .extensions import SECTIONS_KEY, doc_text, section_index, section_of_token

        text = doc_text(doc)
        context = doc._.context or {}
        sections = tuple(
            Section(span.label_, span.start_char, span.end_char, span.text)
            for span in doc.spans.get(SECTIONS_KEY, ())
        )
        title_span = _first_text(sections, "title")
        if context.get("title"):
            title, title_source = str(context["title"]), "given"
        elif title_span is not None:
            title, title_source = title_span, "text"
        else:
            title, title_source = None, None

        rows = _token_rows(doc)
        tokens = _tokens(doc, rows, text)
        index = section_index(doc)
        sentences = _sentences(doc, rows, text, index)
        entities = tuple(
            Entity(
                ent.text,
                ent.label_,
                ent.start_char,
                ent.end_char,
                ent._.canonical or ent.kb_id_ or ent.text,
                section_of_token(doc, ent.start, index),
                ent._.role,
            )
            for ent in doc.ents
        )
        dateline = doc._.dateline
        topic = doc._.topic
        if context.get("published"):
            published, published_source = context["published"], "given"
        else:
            published, published_source = doc._.published, doc._.published_source
        return cls(
            text=text,
            title=title,
            title_source=title_source,
            sections=sections,
            sentences=sentences,
            tokens=tokens,
            entities=entities,
            dateline=None if dateline is None else Dateline(**dateline),
            dates=tuple(DateExpression(**d) for d in doc._.dates or ()),
            published=published,
            published_source=published_source if published else None,
            url=context.get("url"),
            topic=None if topic is None else Topic(**topic),
            keywords=tuple(Keyword(**k) for k in doc._.keywords or ()),
            quotes=tuple(Quote(**q) for q in doc._.quotes or ()),
            noun_phrases=tuple(Phrase(**p) for p in doc._.noun_phrases or ()),
        )

    # -- output --------------------------------------------------------------------------------
    def to_dict(self, *, tokens: bool = False, text: bool = True) -> dict[str, Any]:
        """The article as JSON-ready data (schema :data:`SCHEMA_VERSION`, see docs/schema.md).

        ``tokens=True`` adds the (large) token list; ``text=False`` leaves out the input text.
        """
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if text:
            data["text"] = self.text
        data.update(
            {
                "title": self.title,
                "title_source": self.title_source,
                "caption": self.caption,
                "lead": self.lead,
                "url": self.url,
                "published": self.published,
                "published_source": self.published_source,
                "sections": [s.to_dict() for s in self.sections],
                "dateline": None if self.dateline is None else self.dateline.to_dict(),
                "sentences": [s.to_dict() for s in self.sentences],
                "entities": [e.to_dict() for e in self.entities],
                "entity_summary": self.entity_summary(),
                "dates": [d.to_dict() for d in self.dates],
                "topic": None if self.topic is None else self.topic.to_dict(),
                "keywords": [k.to_dict() for k in self.keywords],
                "quotes": [q.to_dict() for q in self.quotes],
                "noun_phrases": [p.to_dict() for p in self.noun_phrases],
            }
        )
        if tokens:
            data["tokens"] = [t.to_dict() for t in self.tokens]
        return data

    def to_json(self, *, tokens: bool = False, text: bool = True, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(tokens=tokens, text=text), ensure_ascii=False, indent=indent)

    def __repr__(self) -> str:
        title = self.title if self.title is None or len(self.title) <= 60 else self.title[:57] + "…"
        return (
            f"Article(title={title!r}, chars={len(self.text)}, sections={len(self.sections)}, "
            f"sentences={len(self.sentences)}, tokens={len(self.tokens)}, "
            f"entities={len(self.entities)})"
        )

    def _repr_html_(self) -> str:
        """Jupyter's rich view (:func:`beritanlp.display.article_html`)."""
        from .display import article_html

        return article_html(self)


def _token_rows(doc: Doc) -> list[list[int]]:
    """Per token: [idx, length, is_space, is_stop, sent_start], read column-wise with
    ``Doc.to_array`` — much cheaper than a spaCy ``Token`` object per token, which matters for
    archive-scale runs."""
    from spacy.attrs import IDX, IS_SPACE, IS_STOP, LENGTH, SENT_START

    if not len(doc):
        return []
    rows: list[list[int]] = doc.to_array([IDX, LENGTH, IS_SPACE, IS_STOP, SENT_START]).tolist()
    return rows


def _tokens(doc: Doc, rows: list[list[int]], text: str) -> tuple[Token, ...]:
    stems = doc._.stems
    syntax = _syntax_columns(doc, rows) if doc.has_annotation("POS") else None
    out = []
    for i, (start, length, is_space, is_stop, _) in enumerate(rows):
        if is_space:
            continue
        end = start + length
        stem = None if stems is None else stems[i]
        if syntax is None:
            out.append(Token(text[start:end], start, end, stem, bool(is_stop)))
        else:
            out.append(Token(text[start:end], start, end, stem, bool(is_stop), *syntax[i]))
    return tuple(out)


def _syntax_columns(doc: Doc, rows: list[list[int]]) -> list[tuple[Any, ...]]:
    """Per spaCy token: (pos, tag, morph, lemma, dep, head) with ``head`` re-indexed into the
    Article's token list (which leaves whitespace tokens out). A head on a whitespace token
    cannot occur (the syntax layer never attaches words to whitespace); it would give None."""
    position: list[int | None] = []
    kept = 0
    for row in rows:
        position.append(None if row[2] else kept)
        kept += 0 if row[2] else 1
    parsed = doc.has_annotation("DEP")
    out = []
    for token in doc:
        head = position[token.head.i] if parsed else None
        out.append(
            (
                token.pos_ or None,
                token.tag_ or None,
                str(token.morph) or None,
                token.lemma_ or None,
                (token.dep_ or None) if parsed else None,
                head,
            )
        )
    return out


def _sentences(
    doc: Doc, rows: list[list[int]], text: str, index: list[tuple[int, int, str]]
) -> tuple[Sentence, ...]:
    """Sentences from the SENT_START column, whitespace-trimmed, with the section they start in."""
    from .extensions import section_of_token

    if not rows or not any(row[4] == 1 for row in rows):
        return ()
    starts = [i for i, row in enumerate(rows) if row[4] == 1 or i == 0]
    out = []
    for k, first in enumerate(starts):
        last = (starts[k + 1] if k + 1 < len(starts) else len(rows)) - 1
        start, end = _strip_offsets(text, rows[first][0], rows[last][0] + rows[last][1])
        if start < end:
            out.append(Sentence(start, end, text[start:end], section_of_token(doc, first, index)))
    return tuple(out)


def _strip_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
