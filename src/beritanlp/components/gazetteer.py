"""Gazetteer lookup of place and organisation names (``beritanlp_gazetteer``).

Curated name lists (``data/gazetteer/*.tsv``: countries, Indonesian regions, world places,
international organisations, Indonesian state bodies, parties, media) are compiled once per
process into spaCy ``PhraseMatcher`` objects and matched against every document. The component:

* keeps every match that passes the context checks, overlapping ones included, in
  ``doc.spans["gazetteer"]`` (label = entity label, ``kb_id_`` = canonical name);
* merges the non-overlapping longest matches into ``doc.ents``, with whatever entities a
  statistical NER wrote before it, by the policy below (without an NER it works alone).

Data rows are ``name<TAB>label<TAB>canonical<TAB>flags``, one surface form per row. Matching is
on the exact token text (``ORTH``); an all-caps variant is added for every name (headlines,
datelines: ``JAKARTA``) unless the row is flagged ``noupper``; rows flagged ``lower`` also match
case-insensitively (``kompas.com``); names starting with a word in ``prefix_variants`` also
match with that word's variants (``kabupaten Bantul``, ``Kab. Bantul``). Rows flagged
``nostart`` are common words as well as names (``Padang``, ``Goa``, ``Antara``, ``Tempo``):
they are dropped at the start of a sentence and in title-cased lines (except in a dateline).
A match right after a word of ``blocked_after`` (``Jalan``, ``Universitas``, ``Stadion`` …) is
part of a longer name and dropped; a LOC match right after a word of ``extend_after``
(``Danau``, ``Gunung``, ``Pulau`` …) takes that word in (``Danau Poso``).

Merge policy (``overwrite_ents=False``, the default):

1. In the sections named in ``skip_sections`` (default: boilerplate) nothing is changed.
2. A gazetteer span overlapping no entity is added (``fill_gaps``).
3. A gazetteer span with exactly the boundaries of an entity keeps the entity, but takes the
   gazetteer label if that label is in ``override_labels`` (default ``["ORG"]``: a model
   ``LOC`` on ``SCO`` becomes ``ORG``); the canonical name is attached (``kb_id_``) when the
   labels then agree.
4. A gazetteer span that strictly contains the entities it overlaps replaces them
   (``prefer_longer``: the full form ``Organisasi Kerja Sama Shanghai`` wins over a model
   ``Shanghai``). A model entity that contains or crosses a gazetteer span is kept.
5. With ``overwrite_ents=True`` the gazetteer span wins every conflict.

Settings: :class:`GazetteerSettings`. ``files`` are bundled names or paths of your own (see
:mod:`beritanlp.resources` and ``docs/gazetteer.md``, "Adding your own names");
``nlp.to_disk`` saves the name lists with the component (``files/00-….tsv`` beside
``settings.json``) and ``spacy.load`` reads them back from there.

Why not spaCy's ``SpanRuler``: the matching *is* spaCy's ``PhraseMatcher`` (what
``SpanRuler`` uses for phrase patterns); the rest of this component (the ``nostart`` context
check, ``blocked_after``/``extend_after`` and the merge policy) has no ``SpanRuler`` setting, so
a ruler would only replace the two matcher calls and need the same code after it. Measured
with ``python benchmarks/bench_gazetteer_ruler.py --n 500 --rounds 5`` (500 articles of
``news/articles.jsonl``, 168,920 tokens, two runs): the same matches and entities on 500 of 500
articles, but matching is 7.5-9x slower through the ruler (it builds, deduplicates and sorts a
``Span`` per match), the whole component 3.4-4.3x slower, and building the ruler where the
gazetteer sits is 2.9x slower (``add_patterns`` runs the components before it on each of the
6,249 pattern texts). See ``docs/gazetteer.md``, "Why not SpanRuler".
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from .. import extensions
from ..errors import ConfigError, ResourceError
from ..resources import DataFile, DataFiles, parse_tsv, read_data_files
from .base import DataFileComponent, Settings, register_factory

__all__ = [
    "DEFAULT_FILES",
    "GAZETTEER_KEY",
    "Entry",
    "Gazetteer",
    "GazetteerSettings",
    "entry_table",
    "load_entries",
    "make_gazetteer",
    "parse_entries",
    "table_of",
]

logger = logging.getLogger(__name__)

#: The name of the span group holding every gazetteer match.
GAZETTEER_KEY = "gazetteer"

#: The data files, in priority order (a name listed twice keeps its first row).
DEFAULT_FILES: tuple[str, ...] = (
    "gazetteer/organisations.tsv",
    "gazetteer/state_bodies.tsv",
    "gazetteer/parties.tsv",
    "gazetteer/media.tsv",
    "gazetteer/countries.tsv",
    "gazetteer/regions_id.tsv",
    "gazetteer/world_places.tsv",
    "gazetteer/public_figures.tsv",
)

_FLAGS = frozenset({"nostart", "noupper", "lower"})
_SENTENCE_END = frozenset({".", "!", "?", "…", "...", "\n"})
_OPENERS = frozenset({'"', "“", "'", "‘", "(", "[", "-", "–", "—", "•"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One surface form of a gazetteer name."""

    name: str
    label: str
    canonical: str
    flags: frozenset[str]
    source: str


#: First words with other spellings: a name starting with one also matches with the others.
DEFAULT_PREFIX_VARIANTS: dict[str, tuple[str, ...]] = {
    "Kabupaten": ("kabupaten", "Kab."),
    "Kota": ("kota",),
    "Provinsi": ("provinsi", "Prov."),
    "Partai": ("partai",),
    "Kementerian": ("kementerian",),
}
#: Words before a match that make it part of a longer name (the match is dropped).
DEFAULT_BLOCKED_AFTER: tuple[str, ...] = (
    "Jalan",
    "Jl.",
    "Jl",
    "Jln.",
    "Gg.",
    "Stadion",
    "Bandara",
    "Universitas",
    "Institut",
    "Politeknik",
    "Hotel",
    "Pelabuhan",
    "Stasiun",
    "Terminal",
    "Masjid",
    "Gereja",
    "Kampus",
    "Apartemen",
)
#: Geographic words a LOC match right after them takes in (``Danau Poso``).
DEFAULT_EXTEND_AFTER: tuple[str, ...] = (
    "Danau",
    "Gunung",
    "Sungai",
    "Pulau",
    "Kepulauan",
    "Selat",
    "Teluk",
    "Tanjung",
    "Kecamatan",
    "Desa",
    "Kelurahan",
)


@dataclass(frozen=True, slots=True)
class GazetteerSettings(Settings):
    """Settings of ``beritanlp_gazetteer`` (see the module docstring for the policy)."""

    #: name lists, in priority order (a name listed twice keeps its first row); bundled names
    #: or paths of your own
    files: tuple[str, ...] = DEFAULT_FILES
    #: the gazetteer span wins every conflict with a model entity
    overwrite_ents: bool = False
    #: add a gazetteer span that overlaps no entity
    fill_gaps: bool = True
    #: a gazetteer span that strictly contains every entity it overlaps replaces them
    prefer_longer: bool = True
    #: on the same boundaries as a model entity, these gazetteer labels replace the model's
    override_labels: tuple[str, ...] = ("ORG", "PER")
    #: sections where nothing is added or changed
    skip_sections: tuple[str, ...] = ("boilerplate",)
    #: extra spellings of a name's first word
    prefix_variants: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_PREFIX_VARIANTS)
    )
    #: a match right after one of these words is part of a longer name and is dropped
    blocked_after: tuple[str, ...] = DEFAULT_BLOCKED_AFTER
    #: a LOC match right after one of these words takes the word in
    extend_after: tuple[str, ...] = DEFAULT_EXTEND_AFTER
    #: the ``doc.spans`` key of all matches
    spans_key: str = GAZETTEER_KEY
    #: share of capitalised words around a match above which its line counts as title-cased
    title_case_ratio: float = 0.8

    def __post_init__(self) -> None:
        # the variants as tuples, like every other sequence here (a config holds lists)
        if isinstance(self.prefix_variants, Mapping):
            variants = {
                k: tuple(v) if isinstance(v, (list, tuple)) else v
                for k, v in self.prefix_variants.items()
            }
            object.__setattr__(self, "prefix_variants", variants)
        Settings.__post_init__(self)

    def check(self) -> None:
        self.require_file("files")
        if not self.files:
            raise ConfigError("gazetteer: files needs at least one data file (name or path)")
        if not isinstance(self.prefix_variants, Mapping) or not all(
            isinstance(v, tuple) for v in self.prefix_variants.values()
        ):
            raise ConfigError(
                f"prefix_variants must map a word to a list of its spellings, got "
                f"{self.prefix_variants!r}"
            )
        ratio = self.title_case_ratio
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 < ratio <= 1:
            raise ConfigError(f"title_case_ratio must be in (0, 1], got {ratio}")


@lru_cache(maxsize=8)
def parse_entries(files: tuple[DataFile, ...]) -> tuple[Entry, ...]:
    """Parse gazetteer name lists (cached by content). A name listed twice keeps its first row."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for datafile in files:
        source = datafile.name
        for number, row in enumerate(parse_tsv(datafile.text, datafile.where), 1):
            if len(row) not in (3, 4) or not all(row[:3]):
                raise ResourceError(
                    f"{datafile.where}, data row {number}: expected "
                    f"name<TAB>label<TAB>canonical[<TAB>flags], got {row!r}. Fix the file."
                )
            flags = (
                frozenset(f.strip() for f in row[3].split(",") if f.strip())
                if len(row) > 3
                else frozenset()
            )
            unknown = flags - _FLAGS
            if unknown:
                raise ResourceError(
                    f"{datafile.where}, data row {number}: unknown flag(s) "
                    f"{sorted(unknown)}; the flags are {sorted(_FLAGS)}."
                )
            entry = Entry(row[0], row[1], row[2], flags, source)
            previous = seen.get(entry.name)
            if previous is not None:
                if (previous.label, previous.canonical) != (entry.label, entry.canonical):
                    logger.debug(
                        "gazetteer: %r in %s shadowed by %s", entry.name, source, previous.source
                    )
                continue
            seen[entry.name] = entry
            entries.append(entry)
    return tuple(entries)


@lru_cache(maxsize=8)
def table_of(files: tuple[DataFile, ...]) -> dict[str, Entry]:
    """``name -> Entry`` for exact lookups (also keyed by the all-caps form where unambiguous)."""
    entries = parse_entries(files)
    table: dict[str, Entry] = {}
    for entry in entries:
        table.setdefault(entry.name, entry)
    for entry in entries:
        if "noupper" not in entry.flags:
            table.setdefault(entry.name.upper(), entry)
    return table


def _read(files: Iterable[str]) -> tuple[DataFile, ...]:
    return read_data_files({"files": tuple(files)})["files"]


def load_entries(files: Iterable[str] = DEFAULT_FILES) -> tuple[Entry, ...]:
    """Parse the gazetteer files (bundled names or paths; cached by content)."""
    return parse_entries(_read(files))


def entry_table(files: Iterable[str] = DEFAULT_FILES) -> dict[str, Entry]:
    """``name -> Entry`` of the gazetteer files (see :func:`table_of`)."""
    return table_of(_read(files))


@dataclass(frozen=True, slots=True)
class _Key:
    label: str
    canonical: str
    nostart: bool


#: A match key (``label<TAB>canonical<TAB>nostart``) -> its surface forms, in order.
_Forms = dict[str, dict[str, None]]


def _forms(
    entries: Sequence[Entry], variants: Mapping[str, Sequence[str]]
) -> tuple[_Forms, _Forms]:
    """The surface forms to match on ``ORTH`` (names, their all-caps and prefix variants) and on
    ``LOWER`` (rows flagged ``lower``), by match key."""
    exact: _Forms = {}
    lower: _Forms = {}
    for entry in entries:
        key = f"{entry.label}\t{entry.canonical}\t{int('nostart' in entry.flags)}"
        forms = exact.setdefault(key, {})
        names = [entry.name]
        first, _, rest = entry.name.partition(" ")
        if rest and first in variants:
            names += [f"{variant} {rest}" for variant in variants[first]]
        for name in names:
            forms[name] = None
            if "noupper" not in entry.flags and name.upper() != name:
                forms[name.upper()] = None
        if "lower" in entry.flags:
            lower.setdefault(key, {})[entry.name] = None
    return exact, lower


class _Compiled:
    """The phrase matchers of one vocabulary and one set of files and variants."""

    def __init__(
        self, nlp: Language, entries: Sequence[Entry], variants: Mapping[str, Sequence[str]]
    ) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[int, _Key] = {}
        exact, lower = _forms(entries, variants)
        tokenizer: Any = nlp.tokenizer  # spaCy types it as a plain callable; it has pipe()
        for matcher, table in ((self.exact, exact), (self.lower, lower)):
            for key, forms in table.items():
                label, canonical, nostart = key.split("\t")
                match_id = nlp.vocab.strings.add(key)
                self.keys[match_id] = _Key(label, canonical, nostart == "1")
                matcher.add(key, list(tokenizer.pipe(forms)))
        self.size = sum(len(forms) for forms in exact.values()) + sum(
            len(forms) for forms in lower.values()
        )


def _trim_space(ents: list[Span]) -> list[Span]:
    """Entities without white-space tokens at their edges: the statistical model was trained on
    corpora without line-break tokens and sometimes takes one in (``Gaza⏎``)."""
    out = []
    for ent in ents:
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and doc[start].is_space:
            start += 1
        while end > start and doc[end - 1].is_space:
            end -= 1
        if start < end:
            out.append(
                ent
                if (start, end) == (ent.start, ent.end)
                else Span(doc, start, end, label=ent.label, kb_id=ent.kb_id)
            )
    return out


class Gazetteer(DataFileComponent):
    """spaCy component: gazetteer matches into ``doc.spans["gazetteer"]`` and ``doc.ents``.

    ``Gazetteer(nlp, name, settings=None, **overrides)``; the name lists are read and the
    matchers built on first use. ``initialize`` reads the lists again and builds the matchers,
    ``to_disk`` writes the settings and the name lists, ``from_disk`` reads them back
    (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = GazetteerSettings
    DATA_SETTINGS = ("files",)
    settings: GazetteerSettings

    def __init__(
        self,
        nlp: Language,
        name: str | None = None,
        settings: GazetteerSettings | None = None,
        **overrides: Any,
    ) -> None:
        self.nlp = nlp  # the vocabulary and tokenizer of the matchers
        super().__init__(nlp, name, settings, **overrides)

    def _install(self, settings: GazetteerSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        # the word lists as sets, looked up for every match
        self.override_labels = frozenset(settings.override_labels)
        self.skip_sections = frozenset(settings.skip_sections)
        self.blocked_after = frozenset(settings.blocked_after)
        self.extend_after = frozenset(settings.extend_after)

    def _prepare(self) -> None:
        self.compiled  # noqa: B018  (parse and build now: a damaged list fails here)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The parsed name lists."""
        return parse_entries(self.data_files["files"])

    @cached_property
    def compiled(self) -> _Compiled:
        """The matchers, built on first use (data files are read lazily)."""
        compiled = _Compiled(self.nlp, self.entries, self.settings.prefix_variants)
        logger.debug(
            "gazetteer: %d patterns from %d files", compiled.size, len(self.settings.files)
        )
        return compiled

    # -- matching --------------------------------------------------------------------------
    def matches(self, doc: Doc) -> list[Span]:
        """Every gazetteer match in ``doc`` that passes the context checks (may overlap)."""
        compiled = self.compiled
        found: dict[tuple[int, int], Span] = {}
        index = extensions.section_index(doc)
        raw = compiled.exact(doc)
        if len(compiled.lower):
            raw = [*raw, *compiled.lower(doc)]
        for match_id, start, end in raw:
            key = compiled.keys[match_id]
            if (start, end) in found:
                continue
            if key.nostart and not self._capitalised_in_context(doc, start, index):
                continue
            if start > 0 and doc[start - 1].text in self.blocked_after:
                continue  # inside a longer name: "Jalan Medan Merdeka", "Universitas Indonesia"
            if (
                key.label == "LOC"
                and start > 0
                and doc[start - 1].text in self.extend_after
                and (start - 1, end) not in found
            ):
                start -= 1  # "Danau Poso", "Gunung Bromo": the geographic word is part of it
            found[(start, end)] = Span(doc, start, end, label=key.label, kb_id=key.canonical)
        return sorted(found.values(), key=lambda s: (s.start, -s.end))

    def _capitalised_in_context(self, doc: Doc, i: int, index: list[tuple[int, int, str]]) -> bool:
        """Whether the match at token ``i`` is a name by its capital letter: not the first word
        of a sentence and not in a title-cased line (a dateline is always fine)."""
        section = extensions.section_of_token(doc, i, index) if index else None
        if section == "dateline":
            return True
        if _sentence_initial(doc, i):
            return False
        return not _title_cased(doc, i, self.settings.title_case_ratio)

    # -- merging ---------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ents = _trim_space(list(doc.ents))
        if len(ents) != len(doc.ents) or any(
            a.end != b.end or a.start != b.start for a, b in zip(ents, doc.ents, strict=False)
        ):
            doc.ents = ents
        matches = self.matches(doc)
        key = self.settings.spans_key
        doc.spans[key] = SpanGroup(doc, name=key, spans=matches)
        if not matches:
            return doc
        index = extensions.section_index(doc)
        candidates = [
            span
            for span in filter_spans(matches)
            if not index
            or extensions.section_of_token(doc, span.start, index) not in self.skip_sections
        ]
        doc.ents = self.merge(list(doc.ents), candidates)
        return doc

    def merge(self, ents: list[Span], gazetteer: list[Span]) -> list[Span]:
        """Merge non-overlapping gazetteer spans into the entities ``ents`` (see the module
        docstring for the policy). Returns a sorted, non-overlapping list."""
        settings = self.settings
        result: dict[tuple[int, int], Span] = {(e.start, e.end): e for e in ents}
        if not gazetteer:
            return filter_spans(list(result.values()))
        # which entity covers each token: overlaps are found by looking at a span's own tokens,
        # not by comparing every gazetteer match with every entity ('Jakarta, ' * n)
        owner: list[tuple[int, int] | None] = [None] * len(gazetteer[0].doc)

        def put(span: Span) -> None:
            result[(span.start, span.end)] = span
            for i in range(span.start, span.end):
                owner[i] = (span.start, span.end)

        def drop(key: tuple[int, int]) -> None:
            del result[key]
            for i in range(key[0], key[1]):
                if owner[i] == key:
                    owner[i] = None

        for e in ents:
            put(e)
        for g in gazetteer:
            keys = {owner[i] for i in range(g.start, g.end)}
            overlapping = [result[k] for k in keys if k is not None]
            if not overlapping:
                if settings.fill_gaps:
                    put(g)
                continue
            if settings.overwrite_ents:
                for e in overlapping:
                    drop((e.start, e.end))
                put(g)
                continue
            if len(overlapping) == 1 and (overlapping[0].start, overlapping[0].end) == (
                g.start,
                g.end,
            ):
                e = overlapping[0]
                # a listed place is never a person (Asia-Pasifik): LOC replaces a model PER
                override = g.label_ in self.override_labels or (
                    g.label_ == "LOC" and e.label_ == "PER"
                )
                label = g.label_ if override else e.label_
                kb_id = g.kb_id_ if label == g.label_ else e.kb_id_
                put(Span(g.doc, g.start, g.end, label=label, kb_id=kb_id))
                continue
            contains_all = all(g.start <= e.start and e.end <= g.end for e in overlapping)
            if settings.prefer_longer and contains_all:
                for e in overlapping:
                    drop((e.start, e.end))
                put(g)
        return filter_spans(list(result.values()))


def _sentence_initial(doc: Doc, i: int) -> bool:
    """Token ``i`` starts a sentence (skipping opening quotes/brackets before it)."""
    j = i
    while j > 0 and (
        doc[j - 1].text in _OPENERS or (doc[j - 1].is_space and "\n" not in doc[j - 1].text)
    ):
        j -= 1
    if j == 0:
        return True
    if doc.has_annotation("SENT_START") and doc[j].is_sent_start:
        return True
    previous = doc[j - 1]
    return previous.text in _SENTENCE_END or "\n" in previous.text


def _title_cased(doc: Doc, i: int, ratio: float, window: int = 6) -> bool:
    """Most words around token ``i`` on its line are capitalised (a headline): in running text
    short function words (``di``, ``dan``, ``yang``) are lower-case."""
    words = 0
    upper = 0
    left = range(i - 1, max(-1, i - window - 1), -1)
    right = range(i + 1, min(len(doc), i + window + 1))
    for side in (left, right):
        for j in side:
            token = doc[j]
            if "\n" in token.text:
                break
            if token.is_alpha:
                words += 1
                upper += token.text[0].isupper()
    return words >= 3 and upper >= ratio * words


make_gazetteer = register_factory(
    "beritanlp_gazetteer",
    GazetteerSettings,
    Gazetteer,
    assigns=["doc.ents", "doc.spans"],
    requires=[],
)
