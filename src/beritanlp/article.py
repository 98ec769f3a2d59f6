"""The article: :class:`Article`, built from a processed ``Doc`` by :meth:`Article.from_doc`.

:meth:`Article.to_dict` is the JSON output, a public contract versioned by
:data:`SCHEMA_VERSION`; :meth:`Article.from_dict` reads it back. Both are generated from the
record dataclasses (:mod:`beritanlp.records`, re-exported here) and the layout below, as are the
JSON Schema (``beritanlp/schema/article.schema.json``), the Arrow schema of Parquet archives, the
pandas columns and the tables of ``docs/schema.md`` (:mod:`beritanlp.contract`).

Every item with ``start``/``end`` satisfies ``article.text[item.start:item.end] == item.text``.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import InputTypeError
from .records import (
    SECTION_KINDS,
    DateExpression,
    Dateline,
    Entity,
    EntitySummary,
    Keyword,
    Phrase,
    Quote,
    Record,
    Section,
    Sentence,
    Token,
    Topic,
    entity_summary,
    hints,
    item,
    load_value,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = [
    "SCHEMA_VERSION",
    "SECTION_KINDS",
    "Article",
    "DateExpression",
    "Dateline",
    "Entity",
    "EntitySummary",
    "Keyword",
    "Phrase",
    "Quote",
    "Section",
    "Sentence",
    "Token",
    "Topic",
    "entity_summary",
]

#: Version of the ``to_dict()`` layout. Minor: fields added; major: fields renamed or removed.
SCHEMA_VERSION = "1.2"


def _first_text(sections: Iterable[Section], kind: str) -> str | None:
    for section in sections:
        if section.kind == kind:
            return section.text
    return None


@dataclass(frozen=True, slots=True)
class Article(Record):
    """An annotated news article. Build one with :func:`beritanlp.analyze`."""

    DOC = "an annotated news article"
    text: str = item(doc="the input text (left out with `to_dict(text=False)` / `--no-text`)")
    title: str | None = item(
        None,
        doc='the headline: from the text (`title_source: "text"`) or the `title=` argument '
        '(`"given"`)',
    )
    title_source: str | None = item(
        None, doc="where the title came from", enum=("text", "given", None)
    )
    sections: tuple[Section, ...] = item(doc=Section.DOC, default_factory=tuple)
    sentences: tuple[Sentence, ...] = item(doc=Sentence.DOC, default_factory=tuple)
    tokens: tuple[Token, ...] = item(doc=Token.DOC, default_factory=tuple)
    entities: tuple[Entity, ...] = item(doc=Entity.DOC, default_factory=tuple)
    dateline: Dateline | None = item(None, doc=Dateline.DOC)
    dates: tuple[DateExpression, ...] = item(doc=DateExpression.DOC, default_factory=tuple)
    published: str | None = item(None, doc="ISO 8601 date or datetime")
    published_source: str | None = item(
        None,
        doc="given by the caller (`published=`), or inferred from the text",
        enum=("given", "inferred", None),
    )
    url: str | None = item(None, doc="as given")
    topic: Topic | None = item(None, doc=Topic.DOC)
    keywords: tuple[Keyword, ...] = item(doc=Keyword.DOC, default_factory=tuple)
    quotes: tuple[Quote, ...] = item(doc=Quote.DOC, default_factory=tuple)
    noun_phrases: tuple[Phrase, ...] = item(doc=Phrase.DOC, default_factory=tuple)

    #: The ``to_dict()`` layout after ``schema_version`` and ``text``: fields, and the derived
    #: views of :data:`DERIVED`; ``tokens`` comes last, only with ``to_dict(tokens=True)``.
    LAYOUT: ClassVar[tuple[str, ...]] = (
        "title",
        "title_source",
        "caption",
        "lead",
        "url",
        "published",
        "published_source",
        "sections",
        "dateline",
        "sentences",
        "entities",
        "entity_summary",
        "dates",
        "topic",
        "keywords",
        "quotes",
        "noun_phrases",
    )
    #: Keys of ``to_dict()`` computed from the fields (``from_dict`` ignores them): their type
    #: and meaning, for the generated schemas.
    DERIVED: ClassVar[dict[str, tuple[Any, str]]] = {
        "caption": (str | None, "text of the first `caption` section"),
        "lead": (str | None, "text of the first `lead` section (a standfirst the body repeats)"),
        "entity_summary": (tuple[EntitySummary, ...], EntitySummary.DOC),
    }

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
        return entity_summary(self.entities)

    def sections_of(self, kind: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == kind)

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def from_doc(cls, doc: Doc) -> Article:
        """Convert a ``Doc`` processed by :func:`beritanlp.load`'s pipeline into an Article."""
        from .extensions import SECTIONS_KEY, doc_text, section_index, section_of_token

        text = doc_text(doc)
        context = doc._.beritanlp_context or {}
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
                ent._.beritanlp_canonical or ent.kb_id_ or ent.text,
                section_of_token(doc, ent.start, index),
                ent._.beritanlp_role,
            )
            for ent in doc.ents
        )
        if context.get("published"):
            published, published_source = context["published"], "given"
        elif (inferred := doc._.beritanlp_published) is not None:
            published, published_source = inferred.value, inferred.source
        else:
            published, published_source = None, None
        # the records each component wrote (typed: see extensions.RECORDS)
        return cls(
            text=text,
            title=title,
            title_source=title_source,
            sections=sections,
            sentences=sentences,
            tokens=tokens,
            entities=entities,
            dateline=doc._.beritanlp_dateline,
            dates=doc._.beritanlp_dates,
            published=published,
            published_source=published_source if published else None,
            url=context.get("url"),
            topic=doc._.beritanlp_topic,
            keywords=doc._.beritanlp_keywords,
            quotes=doc._.beritanlp_quotes,
            noun_phrases=doc._.beritanlp_noun_phrases,
        )

    # -- output --------------------------------------------------------------------------------
    def to_dict(self, *, tokens: bool = False, text: bool = True) -> dict[str, Any]:  # type: ignore[override]
        """The article as JSON-ready data (schema :data:`SCHEMA_VERSION`, see docs/schema.md).

        ``tokens=True`` adds the (large) token list; ``text=False`` leaves out the input text.
        """
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if text:
            data["text"] = self.text
        for key in self.LAYOUT:
            if key == "entity_summary":
                data[key] = self.entity_summary()
            else:
                value = getattr(self, key)
                if isinstance(value, tuple):
                    data[key] = [v.to_dict() for v in value]
                else:
                    data[key] = value.to_dict() if isinstance(value, Record) else value
        if tokens:
            data["tokens"] = [t.to_dict() for t in self.tokens]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, text: str | None = None) -> Article:  # type: ignore[override]
        """The Article back from :meth:`to_dict` output (or a row of ``beritanlp.read_archive``):
        ``Article.from_dict(a.to_dict(tokens=True)) == a``. Without ``tokens`` in the data the
        article has no tokens. The text comes from ``data["text"]`` (or ``text=`` when the data
        was written with ``text=False``); derived keys (``caption``, ``lead``,
        ``entity_summary``) and unknown keys are ignored.
        """
        if not isinstance(data, Mapping):
            raise InputTypeError(
                f"Article.from_dict() takes a mapping (Article.to_dict() output), "
                f"got {type(data).__name__}"
            )
        version = str(data.get("schema_version", SCHEMA_VERSION))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise InputTypeError(
                f"Article.from_dict() reads schema {SCHEMA_VERSION.split('.')[0]}.x, "
                f"got schema_version {version!r}"
            )
        body = data.get("text", text)
        if not isinstance(body, str):
            raise InputTypeError(
                "Article.from_dict() needs the article text: the data has no 'text' "
                "(written with text=False); pass it as text="
            )
        types = hints(cls)
        values: dict[str, Any] = {"text": body}
        try:
            for f in dataclasses.fields(cls):
                if f.name != "text" and f.name in data:
                    values[f.name] = load_value(types[f.name], data[f.name], body)
            return cls(**values)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputTypeError(
                f"Article.from_dict(): the data does not follow schema {SCHEMA_VERSION}: {exc!r}"
            ) from exc

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
    stems = doc._.beritanlp_stems
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
