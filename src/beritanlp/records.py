"""The typed records of the output contract: frozen, slotted dataclasses with character offsets.

This module is the single source of the output layout. Each field carries its documentation
and constraints as dataclass metadata (:func:`item`); ``to_dict``/``from_dict`` here, and the
JSON Schema, the Arrow schema, the pandas columns and the ``docs/schema.md`` tables
(:mod:`beritanlp.contract`) are all generated from these classes, never written by hand.

Every record with ``start``/``end`` satisfies ``article.text[start:end] == record.text``.
Components write the records they own (see :mod:`beritanlp.extensions`);
:meth:`beritanlp.Article.from_doc` gathers them.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar

__all__ = [
    "SECTION_KINDS",
    "DateExpression",
    "Dateline",
    "Entity",
    "EntitySummary",
    "Keyword",
    "Mention",
    "Phrase",
    "Published",
    "Quote",
    "Record",
    "Section",
    "Sentence",
    "Token",
    "Topic",
    "entity_summary",
    "item",
]

#: The section kinds, in the order they usually appear in an article.
SECTION_KINDS = ("title", "caption", "lead", "dateline", "body", "boilerplate")

R = TypeVar("R", bound="Record")
_MISSING: Any = dataclasses.MISSING


def item(
    default: Any = _MISSING,
    *,
    doc: str = "",
    enum: tuple[Any, ...] | None = None,
    offset: bool = False,
    min_length: int | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    only_with: str | None = None,
    from_text: bool = False,
    default_factory: Any = _MISSING,
) -> Any:
    """A record field with its contract metadata.

    ``doc``: its meaning (docs and JSON Schema); ``enum``: the allowed values; ``offset``: a
    character offset into the article text; ``min_length``/``minimum``/``maximum``:
    constraints; ``only_with``: the key is written only when that other field is not None
    (the tokens' syntax fields); ``from_text``: not written, rebuilt from the article text and
    the record's offsets by ``from_dict`` (sections' and sentences' ``text``).
    """
    metadata = {
        "doc": doc,
        "enum": enum,
        "offset": offset,
        "min_length": min_length,
        "minimum": minimum,
        "maximum": maximum,
        "only_with": only_with,
        "from_text": from_text,
    }
    if default_factory is not _MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


_HINTS: dict[type, dict[str, Any]] = {}  # one entry per record class
_WRITTEN: dict[type, tuple[dataclasses.Field[Any], ...]] = {}


def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a record class (cached)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def record_type(hint: Any) -> type[Record] | None:
    """The Record class inside ``hint`` (``X``, ``X | None``, ``tuple[X, ...]``), if any."""
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    return None


def _dump(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    if isinstance(value, Mapping):
        return dict(value)
    return value


def load_value(hint: Any, value: Any, text: str | None) -> Any:
    """A field value from its JSON form (``hint``: the field's type)."""
    if value is None:
        return None
    inner = record_type(hint)
    origin = typing.get_origin(hint)
    if origin is tuple:
        if inner is not None:
            return tuple(inner.from_dict(v, text=text) for v in value)
        return tuple(value)
    if inner is not None:
        return inner.from_dict(value, text=text)
    if origin in (dict, Mapping) or hint is dict:
        return dict(value)
    return value


def written_fields(cls: type[Record]) -> tuple[dataclasses.Field[Any], ...]:
    """The fields ``to_dict`` writes, in key order (``from_text`` fields are rebuilt from the
    article text, not written); cached per class."""
    found = _WRITTEN.get(cls)
    if found is None:
        fields = [f for f in dataclasses.fields(cls) if not f.metadata.get("from_text")]  # type: ignore[arg-type]
        if cls.KEY_ORDER:
            fields.sort(key=lambda f: cls.KEY_ORDER.index(f.name))
        found = _WRITTEN[cls] = tuple(fields)
    return found


class Record:
    """Base of the records: ``to_dict`` and ``from_dict`` generated from the fields."""

    __slots__ = ()
    #: for the docs: what the record is
    DOC: ClassVar[str] = ""
    #: the order of the keys of ``to_dict`` when it differs from the fields' (set where a
    #: published layout predates the class)
    KEY_ORDER: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data (the fields in :func:`written_fields` order)."""
        data: dict[str, Any] = {}
        for f in written_fields(type(self)):
            meta = f.metadata
            only_with = meta.get("only_with")
            if only_with is not None and getattr(self, only_with) is None:
                continue
            data[f.name] = _dump(getattr(self, f.name))
        return data

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any], *, text: str | None = None) -> R:
        """The record back from :meth:`to_dict` output. ``text`` is the article text, needed for
        fields rebuilt from offsets (``Section.text``); unknown keys are ignored."""
        types = hints(cls)
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.metadata.get("from_text"):
                if text is None:
                    raise ValueError(
                        f"{cls.__name__}.from_dict needs the article text to rebuild "
                        f"{f.name!r} (the data was written without it)"
                    )
                values[f.name] = text[data["start"] : data["end"]]
            elif f.name in data:
                values[f.name] = load_value(types[f.name], data[f.name], text)
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Section(Record):
    """A region of the article: one of :data:`SECTION_KINDS`."""

    DOC = "sorted, non-overlapping regions of the text"
    kind: str = item(doc="the section kind (below)", enum=SECTION_KINDS)
    start: int = item(offset=True)
    end: int = item(offset=True)
    text: str = item(from_text=True)


@dataclass(frozen=True, slots=True)
class Sentence(Record):
    DOC = "whitespace-trimmed sentence spans"
    start: int = item(offset=True)
    end: int = item(offset=True)
    text: str = item(from_text=True)
    section: str | None = item(
        None, doc="the kind of the section the sentence starts in", enum=SECTION_KINDS
    )


@dataclass(frozen=True, slots=True)
class Token(Record):
    """A non-space token. The syntax fields (``pos`` … ``head``) are set only by the optional
    Stanza layer (``load(syntax="stanza")``); ``head`` is the index of the head token in
    ``Article.tokens`` (a root points at itself)."""

    DOC = (
        "only with `to_dict(tokens=True)` / `--tokens`; whitespace tokens are left out; the "
        'syntax fields appear only when `load(syntax="stanza")` ran'
    )
    text: str = item(min_length=1)
    start: int = item(offset=True)
    end: int = item(offset=True)
    stem: str | None = item(
        None, doc="the Sastrawi stem of a common word; other words keep their form"
    )
    is_stop: bool = item(False, doc="a stop word")
    pos: str | None = item(None, doc="Universal POS (syntax layer)", only_with="pos")
    tag: str | None = item(None, doc="the treebank tag (syntax layer)", only_with="pos")
    morph: str | None = item(None, doc="UD features, `Number=Sing` (syntax layer)", only_with="pos")
    lemma: str | None = item(None, doc="lemma (syntax layer)", only_with="pos")
    dep: str | None = item(
        None, doc="UD relation, `ROOT` for the root (syntax layer)", only_with="pos"
    )
    head: int | None = item(
        None,
        doc="index of the head token in `tokens`; a root points at itself (syntax layer)",
        minimum=0,
        only_with="pos",
    )


@dataclass(frozen=True, slots=True)
class Entity(Record):
    """A named entity mention. ``canonical`` is the name all mentions of it share."""

    DOC = "named entity mentions"
    text: str = item(min_length=1)
    label: str = item(doc="`PER`, `LOC` or `ORG`")
    start: int = item(offset=True)
    end: int = item(offset=True)
    canonical: str = item(doc="the name all mentions of the entity share")
    section: str | None = item(None, doc="the section the mention starts in", enum=SECTION_KINDS)
    role: str | None = item(None, doc="the title/role phrase of a person (`Menteri Luar Negeri`)")


@dataclass(frozen=True, slots=True)
class EntitySummary(Record):
    """One canonical entity of an article (``Article.entity_summary()``)."""

    DOC = (
        "one row per canonical entity, sorted by first mention; `roles` of short mentions "
        "count for the full name"
    )
    canonical: str = item()
    label: str = item()
    mentions: int = item(doc="number of mentions", minimum=1)
    first_start: int = item(doc="start of the first mention", offset=True)
    roles: tuple[str, ...] = item(doc="the distinct roles, in order", default_factory=tuple)


class Mention(Protocol):
    """What :func:`entity_summary` reads from an entity mention (an :class:`Entity`, or
    anything alike)."""

    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def canonical(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...


_SPACES = re.compile(r"\s+")


def entity_summary(entities: Iterable[Mention]) -> list[dict[str, Any]]:
    """One row per canonical entity: ``{canonical, label, mentions, first_start, roles}``
    (:class:`~beritanlp.records.EntitySummary` as data).

    ``entities`` are objects with ``text``, ``label``, ``start``, ``canonical`` and ``role``
    attributes (``Article`` entities, or anything alike). ``mentions`` counts the mentions,
    ``label`` is the most frequent label of the mentions (ties: the first), ``roles`` are the
    distinct roles in order of first use (roles of short mentions count for the full name).
    Rows are sorted by ``first_start``.
    """
    rows: dict[str, dict[str, Any]] = {}
    labels: dict[str, Counter[str]] = {}
    for mention in sorted(entities, key=lambda m: m.start):
        canonical = mention.canonical or _SPACES.sub(" ", mention.text).strip()
        row = rows.get(canonical)
        if row is None:
            row = rows[canonical] = {
                "canonical": canonical,
                "label": mention.label,
                "mentions": 0,
                "first_start": mention.start,
                "roles": [],
            }
            labels[canonical] = Counter()
        row["mentions"] += 1
        labels[canonical][mention.label] += 1
        if mention.role and mention.role not in row["roles"]:
            row["roles"].append(mention.role)
    for canonical, row in rows.items():
        counts = labels[canonical]
        best = max(counts.values())
        if counts[row["label"]] != best:
            row["label"] = next(label for label, n in counts.items() if n == best)
    return sorted(rows.values(), key=lambda row: row["first_start"])


@dataclass(frozen=True, slots=True)
class Dateline(Record):
    """The dateline opening the body, e.g. ``Goa, India (Xinhua) –``."""

    DOC = "the dateline opening the body"
    text: str = item()
    start: int = item(offset=True)
    end: int = item(offset=True)
    place: str | None = item(None, doc="the place(s) named")
    source: str | None = item(None, doc="the agency or outlet named")
    date: str | None = item(
        None,
        doc="the event date of the lead: the dateline's own date, else the first day-level "
        "date of the first body paragraph (ISO 8601)",
    )


@dataclass(frozen=True, slots=True)
class DateExpression(Record):
    """A date or time expression normalised to ISO 8601 (``value``)."""

    DOC = "date and time expressions (see docs/dates.md)"
    text: str = item()
    start: int = item(offset=True)
    end: int = item(offset=True)
    value: str | None = item(
        doc="ISO 8601, TIMEX3-like (`2023-05-04`, `2023-W18`, `XXXX-05-04`, `198X`, intervals "
        "`2025-06-24/2025-06-25`); null when it cannot be resolved"
    )
    granularity: str | None = item(None, doc="day, month, year, time, …")
    kind: str | None = item(
        None,
        doc="date, datetime, time, month, year, decade, week, relative, interval, holiday, "
        "hijri, season, day_of_month, set, duration (schema 1.2 added interval … set; see "
        "docs/dates.md)",
    )


@dataclass(frozen=True, slots=True)
class Quote(Record):
    """A quotation and its speaker. ``speaker`` is the canonical name of a person entity (or
    ``None`` when only quotation marks show it is a quote); ``speaker_start``/``speaker_end``
    locate the mention that names the speaker (a pronoun for ``kata dia``; ``None`` for
    ``katanya``); ``kind`` is ``"quoted"`` (in quotation marks) or ``"reported"``."""

    DOC = "quotations and who said them"
    KEY_ORDER = ("speaker", "text", "start", "end", "cue", "kind", "speaker_start", "speaker_end")
    text: str = item(doc="without its quotation marks and final punctuation", min_length=1)
    start: int = item(offset=True)
    end: int = item(offset=True)
    speaker: str | None = item(
        doc="the canonical name of a person entity, or null when only quotation marks show a quote"
    )
    cue: str = item(
        doc="the speech verb as written (`kata`, `mengatakan`, `Menurut`)", min_length=1
    )
    kind: str = item(doc="in quotation marks, or reported speech", enum=("quoted", "reported"))
    speaker_start: int | None = item(
        None, doc="start of the mention naming the speaker (null for `katanya`)", minimum=0
    )
    speaker_end: int | None = item(None, doc="end of that mention", minimum=0)


@dataclass(frozen=True, slots=True)
class Phrase(Record):
    """A noun phrase (from the syntax layer): its text, offsets and head word."""

    DOC = 'noun phrases from the syntax layer (`load(syntax="stanza")`); empty without it'
    text: str = item(min_length=1)
    start: int = item(offset=True)
    end: int = item(offset=True)
    root: str = item(doc="the head word")


@dataclass(frozen=True, slots=True)
class Topic(Record):
    DOC = "the article's topic (see docs/topic.md)"
    label: str | None = item(doc="the best label, or null below the component's threshold")
    score: float = item(doc="the best label's probability", minimum=0, maximum=1)
    scores: dict[str, float] = item(
        doc="every label's probability (they sum to 1)", default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class Published(Record):
    """The publication date the dates component inferred from the text (``doc._``
    record; the Article shows it as ``published`` / ``published_source``)."""

    DOC = "the inferred publication date"
    value: str | None = item(None, doc="ISO 8601 date or datetime")
    source: str | None = item(None, doc="`inferred` (or null)", enum=("inferred", None))


@dataclass(frozen=True, slots=True)
class Keyword(Record):
    DOC = "top keyphrases, best first"
    text: str = item(doc="a surface form from the article")
    score: float = item(doc="TF-IDF-style score")
