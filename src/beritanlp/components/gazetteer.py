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
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, SpanGroup
from spacy.util import filter_spans

from .. import extensions
from ..errors import ConfigError, ResourceError
from ..resources import read_tsv

__all__ = [
    "DEFAULT_FILES",
    "GAZETTEER_KEY",
    "Entry",
    "Gazetteer",
    "entry_table",
    "load_entries",
    "make_gazetteer",
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


@lru_cache(maxsize=8)
def load_entries(files: tuple[str, ...] = DEFAULT_FILES) -> tuple[Entry, ...]:
    """Parse the gazetteer files (cached). A name listed twice keeps its first row."""
    entries: list[Entry] = []
    seen: dict[str, Entry] = {}
    for source in files:
        for number, row in enumerate(read_tsv(source), 1):
            if len(row) not in (3, 4) or not all(row[:3]):
                raise ResourceError(
                    f"beritanlp/data/{source}, data row {number}: expected "
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
                    f"beritanlp/data/{source}, data row {number}: unknown flag(s) "
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
def entry_table(files: tuple[str, ...] = DEFAULT_FILES) -> dict[str, Entry]:
    """``name -> Entry`` for exact lookups (also keyed by the all-caps form where unambiguous)."""
    table: dict[str, Entry] = {}
    for entry in load_entries(files):
        table.setdefault(entry.name, entry)
    for entry in load_entries(files):
        if "noupper" not in entry.flags:
            table.setdefault(entry.name.upper(), entry)
    return table


@dataclass(frozen=True, slots=True)
class _Key:
    label: str
    canonical: str
    nostart: bool


class _Compiled:
    """The phrase matchers of one vocabulary and one set of files and variants."""

    def __init__(
        self, nlp: Language, entries: Sequence[Entry], variants: dict[str, list[str]]
    ) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.keys: dict[int, _Key] = {}
        exact: dict[str, dict[str, None]] = {}
        lower: dict[str, dict[str, None]] = {}
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
        for matcher, table in ((self.exact, exact), (self.lower, lower)):
            for key, forms in table.items():
                label, canonical, nostart = key.split("\t")
                match_id = nlp.vocab.strings.add(key)
                self.keys[match_id] = _Key(label, canonical, nostart == "1")
                matcher.add(key, list(nlp.tokenizer.pipe(forms)))
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


class Gazetteer:
    """spaCy component: gazetteer matches into ``doc.spans["gazetteer"]`` and ``doc.ents``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        files: Sequence[str] = DEFAULT_FILES,
        overwrite_ents: bool = False,
        fill_gaps: bool = True,
        prefer_longer: bool = True,
        override_labels: Iterable[str] = ("ORG", "PER"),
        skip_sections: Iterable[str] = ("boilerplate",),
        prefix_variants: dict[str, list[str]] | None = None,
        blocked_after: Iterable[str] = (),
        extend_after: Iterable[str] = (),
        spans_key: str = GAZETTEER_KEY,
        title_case_ratio: float = 0.8,
    ) -> None:
        extensions.register()
        if not files:
            raise ConfigError("beritanlp_gazetteer needs at least one data file in 'files'")
        if not 0.0 < title_case_ratio <= 1.0:
            raise ConfigError(f"title_case_ratio must be in (0, 1], got {title_case_ratio}")
        self.name = name
        self.nlp = nlp
        self.files = tuple(files)
        self.overwrite_ents = overwrite_ents
        self.fill_gaps = fill_gaps
        self.prefer_longer = prefer_longer
        self.override_labels = frozenset(override_labels)
        self.skip_sections = frozenset(skip_sections)
        self.prefix_variants = dict(prefix_variants or {})
        self.blocked_after = frozenset(blocked_after)
        self.extend_after = frozenset(extend_after)
        self.spans_key = spans_key
        self.title_case_ratio = title_case_ratio
        self._compiled: _Compiled | None = None

    @property
    def compiled(self) -> _Compiled:
        """The matchers, built on first use (data files are read lazily)."""
        if self._compiled is None:
            self._compiled = _Compiled(self.nlp, load_entries(self.files), self.prefix_variants)
            logger.debug(
                "gazetteer: %d patterns from %d files", self._compiled.size, len(self.files)
            )
        return self._compiled

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
        return not _title_cased(doc, i, self.title_case_ratio)

    # -- merging ---------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        ents = _trim_space(list(doc.ents))
        if len(ents) != len(doc.ents) or any(
            a.end != b.end or a.start != b.start for a, b in zip(ents, doc.ents, strict=False)
        ):
            doc.ents = ents
        matches = self.matches(doc)
        doc.spans[self.spans_key] = SpanGroup(doc, name=self.spans_key, spans=matches)
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
                if self.fill_gaps:
                    put(g)
                continue
            if self.overwrite_ents:
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
            if self.prefer_longer and contains_all:
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


@Language.factory(
    "beritanlp_gazetteer",
    assigns=["doc.ents", "doc.spans"],
    requires=[],
    default_config={
        "files": list(DEFAULT_FILES),
        "overwrite_ents": False,
        "fill_gaps": True,
        "prefer_longer": True,
        "override_labels": ["ORG", "PER"],
        "skip_sections": ["boilerplate"],
        "prefix_variants": {
            "Kabupaten": ["kabupaten", "Kab."],
            "Kota": ["kota"],
            "Provinsi": ["provinsi", "Prov."],
            "Partai": ["partai"],
            "Kementerian": ["kementerian"],
        },
        "blocked_after": [
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
        ],
        "extend_after": [
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
        ],
        "spans_key": GAZETTEER_KEY,
        "title_case_ratio": 0.8,
    },
)
def make_gazetteer(
    nlp: Language,
    name: str,
    files: list[str],
    overwrite_ents: bool,
    fill_gaps: bool,
    prefer_longer: bool,
    override_labels: list[str],
    skip_sections: list[str],
    prefix_variants: dict[str, list[str]],
    blocked_after: list[str],
    extend_after: list[str],
    spans_key: str,
    title_case_ratio: float,
) -> Gazetteer:
    """Factory of the ``beritanlp_gazetteer`` component (settings: see :class:`Gazetteer`)."""
    return Gazetteer(
        nlp,
        name,
        files=files,
        overwrite_ents=overwrite_ents,
        fill_gaps=fill_gaps,
        prefer_longer=prefer_longer,
        override_labels=override_labels,
        skip_sections=skip_sections,
        prefix_variants=prefix_variants,
        blocked_after=blocked_after,
        extend_after=extend_after,
        spans_key=spans_key,
        title_case_ratio=title_case_ratio,
    )
