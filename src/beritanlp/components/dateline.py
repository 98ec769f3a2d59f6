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

``doc._.dateline`` is a plain dict ``{text, start, end, place, source, date}`` (or ``None``).
``date`` is filled by the dates component (``beritanlp_dates``), which runs after this one: the
resolved date of the dateline's own date group (``27/11``) or else the first date expression of
the lead paragraph (see ``docs/dates.md``). Run alone, this component leaves it ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions
from ..errors import ResourceError
from ..resources import read_json, read_tsv

__all__ = ["DatelineParser", "make_dateline", "normalise_place", "normalise_source"]

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


@lru_cache(maxsize=8)
def _data(patterns_file: str, outlets_file: str, agencies_file: str) -> _Data:
    raw = read_json(patterns_file)
    try:
        patterns = tuple(re.compile(entry["pattern"]) for entry in raw["patterns"])
    except (re.error, KeyError) as exc:
        raise ResourceError(f"{patterns_file}: a dateline pattern is invalid: {exc}") from exc
    sources: dict[str, str] = {}
    for row in read_tsv(agencies_file):
        canonical = row[0]
        for alias in (canonical, *(row[2].split("|") if len(row) > 2 else ())):
            sources.setdefault(_key(alias), canonical)
    for row in read_tsv(outlets_file):
        canonical = row[0]
        for alias in (canonical, *(row[3].split("|") if len(row) > 3 else ())):
            sources.setdefault(_key(alias), canonical)
    byline = None
    try:
        heads = read_json("sections.json").get("head_phrases", [])
        if heads:
            byline = re.compile("|".join(f"(?:{h['pattern']})" for h in heads))
    except (ResourceError, re.error, KeyError):  # pragma: no cover - sections data is optional
        byline = None
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


class DatelineParser:
    """Dateline patterns, outlet and agency lists applied to plain text (no spaCy needed)."""

    def __init__(
        self,
        *,
        patterns: str = "dateline_patterns.json",
        outlets: str = "outlets.tsv",
        agencies: str = "agencies.tsv",
        window_chars: int = 160,
        max_lines: int = 4,
    ) -> None:
        self.patterns_file = patterns
        self.outlets_file = outlets
        self.agencies_file = agencies
        self.window_chars = window_chars
        self.max_lines = max_lines

    @property
    def data(self) -> _Data:
        return _data(self.patterns_file, self.outlets_file, self.agencies_file)

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
        limit = min(len(text), start + self.window_chars)
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
            if number >= self.max_lines:
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


class Dateline:
    """spaCy component: ``doc._.dateline`` from the ``dateline`` section (or the first lines)."""

    def __init__(self, nlp: Language, name: str, **settings: Any) -> None:
        extensions.register()
        self.name = name
        self.use_sections: bool = settings.pop("use_sections", True)
        self.parser = DatelineParser(**settings)

    def __call__(self, doc: Doc) -> Doc:
        if self.use_sections and extensions.SECTIONS_KEY in doc.spans:
            group = doc.spans[extensions.SECTIONS_KEY]
            result = None
            for span in group:
                if span.label_ == "dateline":
                    result = self._parse_span(doc, span)
                    break
            doc._.dateline = result
            return doc
        text = extensions.doc_text(doc)
        doc._.dateline = self.parser.find(text) if text.strip() else None
        return doc

    def _parse_span(self, doc: Doc, span: Span) -> dict[str, Any]:
        """Parse the dateline section. Only a window of tokens around it is turned into text
        (``doc.text`` joins every token of the document, which costs more than the parsing)."""
        stop = span.end
        reach = span.end_char + self.parser.window_chars
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


@Language.factory(
    "beritanlp_dateline",
    assigns=["doc._.dateline"],
    requires=["doc.spans"],
    default_config={
        "patterns": "dateline_patterns.json",
        "outlets": "outlets.tsv",
        "agencies": "agencies.tsv",
        "window_chars": 160,
        "max_lines": 4,
        "use_sections": True,
    },
)
def make_dateline(
    nlp: Language,
    name: str,
    patterns: str,
    outlets: str,
    agencies: str,
    window_chars: int,
    max_lines: int,
    use_sections: bool,
) -> Dateline:
    """Factory of ``beritanlp_dateline``. ``use_sections``: read the region found by the sections
    component when it ran (otherwise the patterns run on the first ``max_lines`` lines)."""
    return Dateline(
        nlp,
        name,
        patterns=patterns,
        outlets=outlets,
        agencies=agencies,
        window_chars=window_chars,
        max_lines=max_lines,
        use_sections=use_sections,
    )
