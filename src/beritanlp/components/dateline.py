"""The dateline opening a news body: ``Goa, India (Xinhua) –`` → place, source (and date).

The sections component finds the dateline *region* (``doc.spans["sections"]``, label
``dateline``) with the patterns of ``data/dateline_patterns.json``. This component parses that
region with the same patterns' named groups (``place``, ``source``, ``date``), so the two never
disagree, and normalises what it finds.

The patterns are shapes, not one pattern per outlet: ``{{outlet}} , {{place}} -`` and the like,
their parts written once in the file (``parts``) and the names *learned from lists* the file
names (``lists``: the outlets and agencies of ``outlets.tsv`` / ``agencies.tsv`` and the places
of the gazetteer, bundled by default). :func:`dateline_rules` compiles them, for this component,
the sections component and the entity components alike. A listed outlet followed by a known
place is a dateline even when scraping lost the separator (``Liputan6.com, Jakarta Ketua …``);
a listed outlet or a domain in capitals is found after a credit (``TribunTravel.com/Name
TRIBUNNEWS.COM -``).

* ``place``: as written, but an all-capitals place is title-cased (``JAKARTA`` → ``Jakarta``,
  ``KUALA LUMPUR`` → ``Kuala Lumpur``, ``RIO DE JANEIRO`` → ``Rio de Janeiro``: words listed
  under ``keep_upper`` such as ``DC`` stay, ``particles`` are lower-cased); separators and line
  breaks inside it are collapsed (``Goa, India``).
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.tokens import Doc, Span

from .. import extensions, records
from ..errors import ResourceError
from ..records import DateExpression
from ..regex_trie import trie
from ..resources import DataFile, DataFileUser, parse_json, parse_tsv, read_data_file
from .base import DataFileComponent, Settings, register_factory, text_rules

__all__ = [
    "Dateline",
    "DatelineParser",
    "DatelineRules",
    "DatelineSettings",
    "dateline_rules",
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
    rules: DatelineRules
    byline: re.Pattern[str] | None
    sources: dict[str, str]  # alias key -> canonical spelling


def _key(name: str) -> str:
    return _KEY.sub("", name.lower())


# -- the dateline shapes: dateline_patterns.json with its parts and lists ----------------------
#: How far into a line a credit may run before the dateline (``TribunTravel.com/Name TRIBUN…``).
CREDIT_CHARS = 120
#: How many lines a table of contents (``Daftar Isi`` and its headings) may take before the
#: dateline line, and how long a heading may be.
CONTENTS_LINES = 30
HEADING_CHARS = 160
_PART = re.compile(r"\{\{(\w+)\}\}")
#: Where a dateline may start after a credit on the same line: after spaces or ``)``, or at a
#: capital glued to a lower-case letter (``… Rizki A TiaraTRIBUNNEWS.COM -``).
_CANDIDATE = re.compile(r"[\s)]+(?=\S)|(?<=[a-z])(?=[A-Z])")


#: The letters of the Latin scripts for the ``{{U}}`` / ``{{L}}`` parts (the inside of a character
#: class): Python's ``re`` has no ``\\p{Lu}``, and place names keep their accents
#: (``MÖNCHENGLADBACH``, ``GDAŃSK``). Latin Extended-A alternates upper and lower case letter by
#: letter, so the whole block is in both (a short class compiles and runs faster).
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"


def _trie(words: Iterable[str], emit: Callable[[str], str]) -> str:
    """One case-insensitive regular expression matching any of ``words``, as a trie
    (:func:`beritanlp.regex_trie.trie`: a few steps per character whatever the number of words);
    ``emit`` writes one character."""
    body = trie(words, emit)
    return f"(?i:{body})" if body else "(?!x)x"


def _emit_outlet(char: str) -> str:
    """An outlet's spelling as scraped: ``.`` also written ``,`` or as a space
    (``WARTAKOTALIVE,COM``, ``KOMPAS com``), a space or hyphen also left out."""
    if char == ".":
        return r"(?:\.[ \t\xa0]?|,|[ \t\xa0])"
    if char in " -":
        return r"[- \t\xa0]?"
    return re.escape(char)


def _emit_place(char: str) -> str:
    if char == " ":
        return r"[ \t\xa0]{1,2}"
    if char == "-":
        return r"[- \t\xa0]"
    if char == ".":
        return r"\.?"
    return re.escape(char)


@dataclass(frozen=True, slots=True)
class DatelineRules:
    """The compiled dateline shapes of a ``dateline_patterns.json`` (see :func:`dateline_rules`):
    shared by the sections component, which finds the dateline region, and this one, which parses
    it, so that the two never disagree."""

    #: the patterns in order (first match wins), with named groups place/place2/source/date
    patterns: tuple[re.Pattern[str], ...]
    #: a photo or reporter credit that may stand before the dateline (``None``: none)
    credit: re.Pattern[str] | None
    #: the head line of a table of contents before the dateline (``Daftar Isi``; ``None``: none)
    contents: re.Pattern[str] | None
    #: place words kept in capitals when an all-capitals place is title-cased
    keep_upper: frozenset[str]
    #: place words written in lower case in a title-cased place (``Rio de Janeiro``)
    particles: frozenset[str]
    #: the spellings of the listed outlets and agencies (``{{known_outlet}}``), whole
    known_outlet: re.Pattern[str]

    def at(self, text: str, start: int, limit: int) -> re.Match[str] | None:
        """The first pattern matching at ``start`` (not beyond ``limit``), or ``None``."""
        for pattern in self.patterns:
            match = pattern.match(text, start, limit)
            if match and match.end() > start:
                return match
        return None

    def after_contents(
        self, text: str, lines: Sequence[tuple[int, int]], i: int, window: int
    ) -> int:
        """How many lines a table of contents takes from line ``i`` (``Daftar Isi``, then short
        headings) when a dateline line follows within :data:`CONTENTS_LINES` lines; else 0.
        ``lines`` are ``(start, end)`` spans, trimmed."""
        if self.contents is None or not self.contents.fullmatch(text, *lines[i]):
            return 0
        for j in range(i + 1, min(len(lines), i + 1 + CONTENTS_LINES)):
            start, end = lines[j]
            if start < end and self.at(text, start, min(len(text), start + window)):
                return j - i
            if end - start > HEADING_CHARS:
                return 0
        return 0

    def credit_line(self, text: str, start: int, end: int, next_start: int, limit: int) -> bool:
        """Whether the line ``[start, end)`` is a credit (``POS-KUPANG.COM, Name``, ``Laporan
        Name``) and the next line (from ``next_start``) opens with a dateline naming its source."""
        if self.credit is None or end - start > CREDIT_CHARS:
            return False
        if not self.credit.fullmatch(text, start, end):
            return False
        match = self.at(text, next_start, limit)
        return match is not None and bool(match.groupdict().get("source"))

    def after_credit(self, text: str, start: int, end: int, window: int) -> re.Match[str] | None:
        """A dateline naming its source after a credit at the start of the line ``[start,
        end)``: ``TribunTravel.com/Name TRIBUNNEWS.COM -``, ``Reporter: Name TRIBUNNEWS.COM,
        JAKARTA -``. ``None`` when the line does not open with a credit."""
        credit = self.credit
        stop = min(end, start + CREDIT_CHARS)
        if credit is None or not credit.match(text, start, stop):
            return None
        for candidate in _CANDIDATE.finditer(text, start + 1, stop):
            at = candidate.end()
            prefix_end = at
            while prefix_end > start and text[prefix_end - 1].isspace():
                prefix_end -= 1
            if not credit.fullmatch(text, start, prefix_end):
                continue
            match = self.at(text, at, min(len(text), at + window))
            if match is not None and self._credited(match, at):
                return match
        return None

    def _credited(self, match: re.Match[str], at: int) -> bool:
        """A dateline after a credit opens with its source, a listed outlet or a domain in
        capitals (not ``TiaraTRIBUNNEWS.COM``: the credit's name glued to it), and ends with its
        separator (a dateline whose separator was lost cannot be told from the credit's name)."""
        source = match.groupdict().get("source")
        if not source or match.start("source") != at:
            return False
        if not (source.isupper() or self.known_outlet.fullmatch(source)):
            return False
        return match.group().rstrip()[-1:] in ("-", "–", "—", ":")


def dateline_rules(patterns_file: DataFile) -> DatelineRules:
    """The dateline shapes of a patterns file (its text: bundled, a path of your own or a saved
    pipeline's copy), with the parts its patterns name built from the lists it names (outlets,
    agencies and places: bundled data files by default). Compiled once per file content."""
    raw = parse_json(patterns_file.text, patterns_file.where)
    try:
        lists = raw.get("lists", {})
        files = tuple(
            (kind, read_data_file(entry["file"]), tuple(entry["columns"]))
            for kind in ("outlet", "place")
            for entry in lists.get(kind, ())
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ResourceError(
            f"{patterns_file.where}: 'lists' must map outlet/place to a list of "
            f'{{"file": name, "columns": [n, …]}} ({type(exc).__name__}: {exc})'
        ) from exc
    return _build_rules(patterns_file, files)


def _list_words(files: tuple[tuple[str, DataFile, tuple[int, ...]], ...], kind: str) -> set[str]:
    """The spellings of ``kind`` (outlet or place) in the listed files, lower-cased."""
    words: set[str] = set()
    for name, datafile, columns in files:
        if name != kind:
            continue
        for row in parse_tsv(datafile.text, datafile.where):
            for column in columns:
                if column < len(row):
                    words.update(w.strip().lower() for w in row[column].split("|"))
    # short spellings (AP, AA, AS) would open too many ordinary sentences
    return {w for w in words if len(w) >= 3 and any(c.isalpha() for c in w)}


@lru_cache(maxsize=8)
def _build_rules(
    patterns_file: DataFile, files: tuple[tuple[str, DataFile, tuple[int, ...]], ...]
) -> DatelineRules:
    raw = parse_json(patterns_file.text, patterns_file.where)
    where = patterns_file.where
    try:
        particles = [str(p) for p in raw.get("particles", ())]
        not_places = [str(p) for p in raw.get("not_places", ())]
        outlets = {w.replace(". ", ".") for w in _list_words(files, "outlet")}
        built = {
            "U": _UPPER,
            "L": _LOWER,
            "known_outlet": _trie(outlets, _emit_outlet),
            "known_place": _trie(_list_words(files, "place"), _emit_place),
            "not_place": "(?:" + "|".join(map(re.escape, not_places)) + ")"
            if not_places
            else "(?!x)x",
            "particle": "(?:" + "|".join(map(re.escape, particles)) + ")"
            if particles
            else "(?!x)x",
        }
        parts = {**built, **{str(k): str(v) for k, v in raw.get("parts", {}).items()}}

        def expand(pattern: str, depth: int = 0) -> str:
            if depth > 10:
                raise ResourceError(f"{where}: the parts refer to each other in a loop")

            def part(match: re.Match[str]) -> str:
                name = match.group(1)
                if name not in parts:
                    raise ResourceError(f"{where}: a pattern names an unknown part {{{{{name}}}}}")
                return expand(parts[name], depth + 1)

            return _PART.sub(part, pattern)

        patterns = tuple(re.compile(expand(entry["pattern"])) for entry in raw["patterns"])
        credit = re.compile(expand(raw["credit"])) if raw.get("credit") else None
        contents = re.compile(expand(raw["contents"])) if raw.get("contents") else None
    except (re.error, KeyError, TypeError, AttributeError) as exc:
        raise ResourceError(f"{where}: a dateline pattern is invalid: {exc}") from exc
    return DatelineRules(
        patterns,
        credit,
        contents,
        frozenset(raw.get("keep_upper", ())),
        frozenset(p.lower() for p in particles),
        re.compile(expand("{{known_outlet}}")),
    )


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
    rules = dateline_rules(patterns_file)
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
    return _Data(rules, byline, sources)


def _capitalised(word: str) -> str:
    """``SAINT-DENIS`` → ``Saint-Denis``, ``TAI’AN`` → ``Tai’an``, ``D’ASCQ`` → ``d’Ascq``."""
    if len(word) > 2 and word[1] in "'’" and word[0] in "DdLl":
        return word[:2].lower() + _capitalised(word[2:])
    return "-".join(piece[:1].upper() + piece[1:].lower() for piece in word.split("-"))


def normalise_place(
    place: str | None,
    keep_upper: frozenset[str] = frozenset(),
    particles: frozenset[str] = frozenset(),
) -> str | None:
    """``JAKARTA`` → ``Jakarta``; ``Goa,India`` → ``Goa, India``; mixed case is kept. In an
    all-capitals place the words of ``keep_upper`` stay (``DC``) and, after the first word,
    the ``particles`` are written in lower case (``RIO DE JANEIRO`` → ``Rio de Janeiro``)."""
    if not place:
        return None
    place = _SPACES.sub(" ", place).strip(" ,")
    place = re.sub(r"\s*,\s*", ", ", place)
    if not place:
        return None
    letters = [
        c
        for word in place.split(" ")
        if word.lower() not in particles
        for c in (word[2:] if word[1:2] in ("'", "’") else word)
        if c.isalpha()
    ]
    if letters and all(c.isupper() for c in letters):
        words = []
        for number, word in enumerate(place.split(" ")):
            bare = word.strip(",")
            if bare in keep_upper:
                words.append(word)
            elif number and bare.lower() in particles:
                words.append(word.lower())
            else:
                words.append(_capitalised(word))
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
            "place": normalise_place(place, data.rules.keep_upper, data.rules.particles),
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
        limit = min(len(text), start + self.settings.window_chars)
        best: tuple[re.Match[str], int] | None = None
        for pattern in self.data.rules.patterns:
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
        """Look for a dateline at the start of one of the first lines (no sections known); a
        table of contents (``Daftar Isi`` and its headings) before it does not count."""
        data = self.data
        window = self.settings.window_chars
        lines: list[tuple[int, int]] = []  # the first lines, trimmed (a blank one: empty)
        for match in _LINE.finditer(text):
            if len(lines) >= self.settings.max_lines + CONTENTS_LINES:
                break
            start, end = match.span()
            while start < end and text[start] in _TRIM:
                start += 1
            lines.append((start, end))
        limit = self.settings.max_lines
        number = 0
        while number < min(limit, len(lines)):
            start, end = lines[number]
            if start >= end:
                number += 1
                continue
            skip = data.rules.after_contents(text, lines, number, window)
            if skip:  # "Daftar Isi", its headings, then the dateline line
                number += skip
                limit += skip
                continue
            found = self.parse_at(text, start)
            if found is None and data.byline is not None:
                head = data.byline.match(text, start, end)
                if head:
                    after = head.end()
                    while after < end and text[after] in _TRIM:
                        after += 1
                    found = self.parse_at(text, after)
            if found is None:  # after a credit: "TribunTravel.com/Name TRIBUNNEWS.COM -"
                credited = data.rules.after_credit(text, start, end, window)
                if credited is not None:
                    found = self.parse_at(text, credited.start())
            if found is not None:
                return found
            if end - start > 300:  # a body paragraph without a dateline
                break
            number += 1
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
