"""The dateline opening a news body: ``Goa, India (Xinhua) –`` → place, source (and date).

The sections component finds the dateline *region* (``doc.spans["sections"]``, label
``dateline``) with the patterns of ``data/dateline_patterns.json``. This component parses that
region with the same patterns' named groups (``place``, ``source``, ``date``), so the two never
disagree, and normalises what it finds:

* ``place``: as written, but an all-capitals place is title-cased (``JAKARTA`` → ``Jakarta``,
  ``KUALA LUMPUR`` → ``Kuala Lumpur``; words listed under ``keep_upper`` such as ``DC`` stay);
  separators and line breaks inside it are collapsed (``Goa, India``).
* ``source``: the canonical spelling from ``data/agencies.tsv`` / ``data/outlets.tsv``
  (``ANTARA News`` → ``ANTARA``, ``KOMPAS.com`` → ``Kompas.com``); an unknown outlet keeps its
  spelling, except that an all-capitals domain is written ``Juara.net``.

Without a sections component in the pipeline, the patterns are run on the first lines of the
text (a byline such as ``Laporan Wartawan …`` before the dateline is skipped).

``doc._.beritanlp_dateline`` is a :class:`beritanlp.records.Dateline` (``text, start, end,
place, source, date``) or ``None``, written by this component only. ``date`` is taken from the
date expressions the dates component (``beritanlp_dates``, which runs *before* this one) wrote
to ``doc._.beritanlp_dates``: the resolved date of
the dateline's own date group (``27/11``) or else the first day-level date expression of the lead
paragraph, at most ``lead_window_chars`` after the dateline (see ``docs/dates.md``). Without the
dates component (or before it) ``date`` is ``None``.

Settings: :class:`DatelineSettings`. ``patterns``, ``outlets``, ``agencies`` and ``byline`` name
the data files, bundled names or paths of your own (see :mod:`beritanlp.resources`);
``nlp.to_disk`` saves their text with the component (``patterns.json``, ``outlets.tsv``,
``agencies.tsv``, ``byline.json`` beside ``settings.json``) and ``from_disk`` reads them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.tokens import Doc, Span

from .. import extensions, records
from ..errors import ResourceError
from ..records import DateExpression
from ..resources import DataFile, DataFileUser, parse_json, parse_tsv
from .base import DataFileComponent, Settings, register_factory, text_rules

__all__ = [
    "Dateline",
    "DatelineParser",
    "DatelineSettings",
    "lead_date",
    "make_dateline",
    "normalise_place",
    "normalise_source",
]

_KEY = re.compile(r"[^a-z0-9]")
_SPACES = re.compile(r"\s+")
_LINE = re.compile(r"[^\n]+")
_TRIM = " \t\r\f\v\u00a0\u200b\ufeff"


@dataclass(frozen=True, slots=True)
class _Data:
    patterns: tuple[re.Pattern[str], ...]
    byline: re.Pattern[str] | None
    keep_upper: frozenset[str]
    sources: dict[str, str]  # alias key -> canonical spelling


def _key(name: str) -> str:
    return _KEY.sub("", name.lower())


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("patterns", "outlets", "agencies", "byline")
#: The granularities of a date expression that name a day (``doc._.beritanlp_dates``).
_DAY_LEVEL = frozenset({"day", "part_of_day", "hour", "minute"})


@dataclass(frozen=True, slots=True)
class DatelineSettings(Settings):
    """Settings of ``beritanlp_dateline`` (and of :class:`DatelineParser`)."""

    #: data file of the dateline shapes, with named groups place/place2/source/date (bundled
    #: name or path; the sections component reads the same shapes, its ``dateline_patterns``)
    patterns: str = "dateline_patterns.json"
    #: data file of news outlets and their spellings (TSV: canonical, …, …, aliases; "" = none)
    outlets: str = "outlets.tsv"
    #: data file of news agencies and their spellings (TSV: canonical, …, aliases; "" = none)
    agencies: str = "agencies.tsv"
    #: data file whose ``head_phrases`` mark a byline before the dateline (``Laporan Wartawan
    #: …``), read when there is no sections component ("" = none)
    byline: str = "sections.json"
    #: how far (characters) a dateline may run from its start
    window_chars: int = 160
    #: without sections: how many first lines are tried
    max_lines: int = 4
    #: read the dateline region the sections component found, when it ran
    use_sections: bool = True
    #: the dateline's date is a date expression at most this far (characters) after the dateline
    lead_window_chars: int = 800

    def check(self) -> None:
        self.require_file("patterns")
        self.require_file("outlets", "agencies", "byline", optional=True)
        self.require_int("window_chars", "max_lines", "lead_window_chars", least=0)


def _sources(table: Sequence[tuple[str, ...]], aliases: int, into: dict[str, str]) -> None:
    """Add the canonical names of ``table`` and their aliases (column ``aliases``, ``|``-joined)."""
    for row in table:
        canonical = row[0]
        for alias in (canonical, *(row[aliases].split("|") if len(row) > aliases else ())):
            into.setdefault(_key(alias), canonical)


@lru_cache(maxsize=8)
def _compile(
    patterns_file: DataFile,
    outlets_file: DataFile | None,
    agencies_file: DataFile | None,
    byline_file: DataFile | None,
) -> _Data:
    raw = parse_json(patterns_file.text, patterns_file.where)
    try:
        patterns = tuple(re.compile(entry["pattern"]) for entry in raw["patterns"])
    except (re.error, KeyError, TypeError) as exc:
        raise ResourceError(f"{patterns_file.where}: a dateline pattern is invalid: {exc}") from exc
    sources: dict[str, str] = {}
    for table, aliases in ((agencies_file, 2), (outlets_file, 3)):
        if table is not None:
            _sources(parse_tsv(table.text, table.where), aliases, sources)
    byline = None
    if byline_file is not None:
        heads = parse_json(byline_file.text, byline_file.where).get("head_phrases", [])
        try:
            byline = re.compile("|".join(f"(?:{h['pattern']})" for h in heads)) if heads else None
        except (re.error, KeyError, TypeError) as exc:
            raise ResourceError(f"{byline_file.where}: a head phrase is invalid: {exc}") from exc
    return _Data(patterns, byline, frozenset(raw.get("keep_upper", ())), sources)


def normalise_place(place: str | None, keep_upper: frozenset[str] = frozenset()) -> str | None:
    """``JAKARTA`` → ``Jakarta``; ``Goa,India`` → ``Goa, India``; mixed case is kept."""
    if not place:
        return None
    place = _SPACES.sub(" ", place).strip(" ,")
    place = re.sub(r"\s*,\s*", ", ", place)
    if not place:
        return None
    letters = [c for c in place if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        words = []
        for word in place.split(" "):
            bare = word.strip(",")
            words.append(word if bare in keep_upper else word.title())
        place = " ".join(words)
    return place


def normalise_source(source: str | None, known: dict[str, str] | None = None) -> str | None:
    """The canonical spelling of an agency or outlet (``ANTARA News`` → ``ANTARA``)."""
    if not source:
        return None
    source = _SPACES.sub(" ", source).strip(" ,")
    if not source:
        return None
    if known:
        hit = known.get(_key(source))
        if hit:
            return hit
        if "/" in source:  # (Antara/Reuters)
            parts = [known.get(_key(p), p.strip()) for p in source.split("/") if p.strip()]
            return "/".join(parts)
    if "." in source and source.upper() == source:  # JUARA.NET -> Juara.net
        return source[0] + source[1:].lower()
    return source


class DatelineParser(DataFileUser):
    """Dateline patterns, outlet and agency lists applied to plain text (no spaCy needed).

    ``DatelineParser(settings=None, *, data=None, **overrides)``: ``settings`` (default: the
    defaults of :class:`DatelineSettings`) with ``overrides`` applied; ``data`` the texts of the
    data files (by setting) where they do not come from the files the settings name (a saved
    pipeline). Only the patterns are needed to find a dateline's place and source spans
    (:meth:`group_spans`): ``outlets``, ``agencies`` and ``byline`` may be ``""`` (none)."""

    SETTINGS = DatelineSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: DatelineSettings

    @cached_property
    def data(self) -> _Data:
        """The compiled patterns and source names."""
        files = self.data_files
        first = {key: found[0] if found else None for key, found in files.items()}
        patterns = files["patterns"][0]
        return _compile(patterns, first["outlets"], first["agencies"], first["byline"])

    def parse_at(self, text: str, start: int, end: int | None = None) -> dict[str, Any] | None:
        """Parse a dateline starting at ``start`` (``end``: the known end of the region, e.g.
        the sections span; the match must not run past it)."""
        found = self._match_at(text, start, end)
        if found is None:
            return None
        match, stop = found
        data = self.data
        groups = match.groupdict()
        place = groups.get("place")
        if groups.get("place2"):
            place = f"{place}, {groups['place2']}"
        return {
            "text": text[start:stop],
            "start": start,
            "end": stop,
            "place": normalise_place(place, data.keep_upper),
            "source": normalise_source(groups.get("source"), data.sources),
            "date": None,
        }

    def group_spans(
        self, text: str, start: int, end: int | None = None
    ) -> list[tuple[int, int, str]]:
        """Character spans of the dateline's place(s) and source as ``(start, end, group)``
        (``group`` is ``place``, ``place2`` or ``source``), for the entity components."""
        found = self._match_at(text, start, end)
        if found is None:
            return []
        match = found[0]
        out = []
        for group in ("place", "place2", "source"):
            if group in match.re.groupindex and match.group(group):
                s, e = match.span(group)
                while s < e and not text[s].isalnum():
                    s += 1
                while e > s and not text[e - 1].isalnum():
                    e -= 1
                if s < e:
                    out.append((s, e, group))
        return out

    def _match_at(
        self, text: str, start: int, end: int | None = None
    ) -> tuple[re.Match[str], int] | None:
        data = self.data
        limit = min(len(text), start + self.settings.window_chars)
        best: tuple[re.Match[str], int] | None = None
        for pattern in data.patterns:
            match = pattern.match(text, start, limit)
            if not match or match.end() <= start:
                continue
            stop = match.end()
            while stop > start and text[stop - 1] in _TRIM + "\n":
                stop -= 1
            if end is None or stop == end:
                best = (match, stop)
                break
            if best is None and stop <= end:
                best = (match, stop)
        return best

    def find(self, text: str) -> dict[str, Any] | None:
        """Look for a dateline at the start of one of the first lines (no sections known)."""
        data = self.data
        for number, match in enumerate(_LINE.finditer(text)):
            if number >= self.settings.max_lines:
                break
            start, end = match.span()
            while start < end and text[start] in _TRIM:
                start += 1
            if start >= end:
                continue
            found = self.parse_at(text, start)
            if found is None and data.byline is not None:
                head = data.byline.match(text, start, end)
                if head:
                    after = head.end()
                    while after < end and text[after] in _TRIM:
                        after += 1
                    found = self.parse_at(text, after)
            if found is not None:
                return found
            if end - start > 300:  # a body paragraph without a dateline
                break
        return None


def lead_date(
    text: str, dates: Sequence[DateExpression], dateline: dict[str, Any], window: int
) -> str | None:
    """The dateline's date: its own date group (``27/11``), else the first day-level date of the
    lead paragraph, at most ``window`` characters after the dateline; ``dates`` are the
    ``doc._.beritanlp_dates`` records of the dates component (in text order)."""
    start, end = dateline["start"], dateline["end"]
    paragraph_end = text.find("\n", end)
    # detik splits the dateline over lines: skip a line holding only the separator
    while 0 <= paragraph_end < len(text) and not text[end:paragraph_end].strip(" -–—\t\n"):
        end = paragraph_end + 1
        paragraph_end = text.find("\n", end)
    if paragraph_end < 0:
        paragraph_end = len(text)
    limit = min(paragraph_end, dateline["end"] + window)
    for found in dates:
        if found.start >= limit:
            break
        if found.start < start or found.value is None:
            continue
        if found.granularity in _DAY_LEVEL and not found.value.startswith("T"):
            return found.value[:10]
    return None


class Dateline(DataFileComponent):
    """spaCy component: ``doc._.beritanlp_dateline`` from the ``dateline`` section (or the first
    lines), its date from ``doc._.beritanlp_dates``.

    ``initialize`` reads the data files the settings name (again); ``to_disk`` writes the settings
    and the texts of the data files, ``from_disk`` reads them back
    (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = DatelineSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: DatelineSettings
    #: the rules applied to plain text, with this component's settings and data files
    parser = text_rules(DatelineParser)

    def _prepare(self) -> None:
        self.parser.data  # noqa: B018  (compile: a bad pattern fails here)

    def __call__(self, doc: Doc) -> Doc:
        result = None
        text = extensions.doc_text(doc)
        if self.settings.use_sections and extensions.SECTIONS_KEY in doc.spans:
            for span in doc.spans[extensions.SECTIONS_KEY]:
                if span.label_ == "dateline":
                    result = self._parse_span(doc, span)
                    break
        elif text.strip():
            result = self.parser.find(text)
        if result is not None and (dates := doc._.beritanlp_dates):
            result["date"] = lead_date(text, dates, result, self.settings.lead_window_chars)
        doc._.beritanlp_dateline = None if result is None else records.Dateline(**result)
        return doc

    def _parse_span(self, doc: Doc, span: Span) -> dict[str, Any]:
        """Parse the dateline section. Only a window of tokens around it is turned into text
        (``doc.text`` joins every token of the document, which costs more than the parsing)."""
        stop = span.end
        reach = span.end_char + self.settings.window_chars
        while stop < len(doc) and doc[stop].idx < reach:
            stop += 1
        base = span.start_char
        window = doc[span.start : stop].text
        result = self.parser.parse_at(window, 0, span.end_char - base)
        if result is None:  # pragma: no cover - the same patterns found the region
            result = {
                "text": span.text,
                "start": 0,
                "end": span.end_char - base,
                "place": None,
                "source": None,
                "date": None,
            }
        result["start"] += base
        result["end"] += base
        return result


make_dateline = register_factory(
    "beritanlp_dateline",
    DatelineSettings,
    Dateline,
    assigns=["doc._.beritanlp_dateline"],
    requires=["doc.spans", "doc._.beritanlp_dates"],
)
