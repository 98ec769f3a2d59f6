"""One answer per name per article (``beritanlp_entity_consistency``).

Runs after the NER model and the gazetteer, before the entity linker (which adds canonical names
and roles). Each step is a setting; each was kept because it raised the exact-span F1 on the dev
part of the article NER corpus (``docs/ner.md``, "Article corpus"):

1. ``furniture``: page furniture is never an entity: ``Baca juga: …`` / ``Simak Video …`` lines,
   ``(Baca: …)``, ``[Gambas:…]`` embeds, an outlet's self-promotion footer (the patterns are
   ``data/furniture.json``).
2. ``events``: a name right after a word that opens an event's name is part of that name, not an
   entity (``Piala Eropa``, ``GP Monaco``, ``Liga Inggris``; ``data/event_words.txt``).
   Lower-case words at an entity's edges are trimmed (``kediaman Driana`` → ``Driana``;
   ``trim_lower``).
3. ``dateline``: the dateline's place(s) are LOC and its source is ORG, from the dateline
   patterns (``WASHINGTON -``, ``RIO DE JANEIRO, …``, ``Goa, India (Xinhua) –``), whatever the
   model said of the all-caps words.
4. ``sentence_start``: a capitalised word at the start of a sentence or line that the article
   also writes in lower case is not a name (``Sekadar``, ``Massa``, ``Demonstran``); a longer
   entity that starts with such a word loses it (``Melansir X`` → ``X``) unless the word begins
   a known name (``Bank``, ``Partai``).
5. ``everywhere``: every name the article tags somewhere is tagged at each of its other
   occurrences (the same words, outside other entities and furniture), with the article's label
   for it; a person's first and last names are names of their own (``Lavrov``, ``Sergei``),
   unless they are ordinary words. An occurrence that strictly contains entities replaces them
   (``Prabowo Subianto`` over a lone ``Subianto``).

Every step is linear in the number of tokens: names are looked up by their first word in a dict,
each name at most ``max_name_tokens`` long.

Settings: :class:`EntityConsistencySettings`. ``furniture_patterns``, ``event_words``,
``dateline_patterns`` and ``gazetteer_files`` name data files, bundled names or paths of your own
(see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves their text with the component and
``spacy.load`` reads them back from there. The dateline step finds the place and source spans
with :class:`~beritanlp.components.dateline.DatelineParser` over the ``dateline_patterns`` (the
same shapes the ``sections`` and ``dateline`` components read by default).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .. import extensions
from ..errors import ResourceError
from ..lexicon import is_common_word
from ..resources import DataFile, DataFiles, parse_json, parse_lines, read_data_file
from .base import DataFileComponent, Settings, register_factory
from .dateline import DatelineParser
from .gazetteer import DEFAULT_FILES, Entry, table_of

__all__ = [
    "EntityConsistency",
    "EntityConsistencySettings",
    "furniture_regions",
    "make_entity_consistency",
]

FACTORY_NAME = "beritanlp_entity_consistency"

#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("furniture_patterns", "event_words", "dateline_patterns", "gazetteer_files")


@dataclass(frozen=True, slots=True)
class EntityConsistencySettings(Settings):
    """Settings of ``beritanlp_entity_consistency`` (the steps: see the module docstring)."""

    #: step 1: no entity in page furniture
    furniture: bool = True
    #: the furniture patterns (data file: bundled name or path)
    furniture_patterns: str = "furniture.json"
    #: step 2: a name right after a word that opens an event's name is not an entity
    events: bool = True
    #: those words (data file: bundled name or path)
    event_words: str = "event_words.txt"
    #: lower-case words at an entity's edges are trimmed
    trim_lower: bool = True
    #: step 3: the dateline's place(s) are LOC and its source ORG
    dateline: bool = True
    #: the dateline shapes, with named groups place/place2/source (data file: bundled name or
    #: path; the ``dateline`` component's ``patterns``)
    dateline_patterns: str = "dateline_patterns.json"
    #: step 4: a capitalised word at a sentence or line start that the article also writes in
    #: lower case is not a name
    sentence_start: bool = True
    #: step 5: every name tagged somewhere is tagged at all its other occurrences, one label
    everywhere: bool = True
    #: a person's first and last names count as names of their own
    person_parts: bool = True
    #: a one-word name must have been tagged this many times before it is spread
    min_mentions: int = 2
    #: longest name spread, in tokens
    max_name_tokens: int = 8
    #: the label of persons (first and last names count with ``person_parts``)
    person_label: str = "PER"
    #: the label given to the dateline's place(s)
    place_label: str = "LOC"
    #: the label given to the dateline's source (the agency or outlet)
    source_label: str = "ORG"
    #: the names whose listed label wins a label vote (data files: bundled names or paths)
    gazetteer_files: tuple[str, ...] = DEFAULT_FILES

    def check(self) -> None:
        self.require_file(*_DATA_SETTINGS)
        self.require_int("min_mentions", "max_name_tokens", least=0)


@lru_cache(maxsize=4)
def _compile_furniture(datafile: DataFile) -> re.Pattern[str]:
    data = parse_json(datafile.text, datafile.where)
    try:
        return re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.M)
    except (re.error, KeyError, TypeError) as exc:
        raise ResourceError(f"{datafile.where}: the furniture patterns are invalid: {exc}") from exc


def _furniture_pattern(name: str) -> re.Pattern[str]:
    return _compile_furniture(read_data_file(name))


def furniture_regions(text: str, patterns: str = "furniture.json") -> list[tuple[int, int]]:
    """Character regions of page furniture in ``text`` (sorted, not overlapping); ``patterns``
    names the data file (bundled name or path)."""
    return _regions(_furniture_pattern(patterns), text)


def _regions(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


@lru_cache(maxsize=4)
def _name_starts(files: tuple[DataFile, ...]) -> frozenset[str]:
    """First words of multi-word gazetteer names (``Bank``, ``Partai``, ``Kota``)."""
    return frozenset(
        name.split()[0] for name in table_of(files) if " " in name and name[:1].isupper()
    )


@dataclass(frozen=True, slots=True)
class _Data:
    """What the data files give, ready for use."""

    furniture: re.Pattern[str]
    event_words: frozenset[str]
    table: dict[str, Entry]
    name_starts: frozenset[str]


def _derive(data: DataFiles) -> _Data:
    gazetteer = data["gazetteer_files"]
    return _Data(
        furniture=_compile_furniture(data["furniture_patterns"][0]),
        event_words=frozenset(parse_lines(data["event_words"][0].text)),
        table=table_of(gazetteer),
        name_starts=_name_starts(gazetteer),
    )


class EntityConsistency(DataFileComponent):
    """spaCy component: the five steps of the module docstring, on ``doc.ents``.

    ``EntityConsistency(nlp, name, settings=None, **overrides)``; the data files are read on
    first use. ``initialize`` reads them again, ``to_disk`` writes the settings and the data
    files, ``from_disk`` reads them back (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = EntityConsistencySettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: EntityConsistencySettings

    def _prepare(self) -> None:
        self.data  # noqa: B018  (parse now: a damaged file fails here)
        self.dateline_parser.data  # noqa: B018

    @cached_property
    def data(self) -> _Data:
        """The data files' content, ready for use."""
        return _derive(self.data_files)

    @cached_property
    def dateline_parser(self) -> DatelineParser:
        """The dateline patterns applied to text (the patterns only: no outlet names)."""
        files = {"patterns": self.data_files["dateline_patterns"]}
        patterns = self.settings.dateline_patterns
        return DatelineParser(data=files, patterns=patterns, outlets="", agencies="", byline="")

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        settings = self.settings
        data = self.data
        text = extensions.doc_text(doc)
        blocked = bytearray(len(doc))  # tokens in furniture: never part of an entity
        if settings.furniture:
            for start, end in _regions(data.furniture, text):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    blocked[span.start : span.end] = b"\x01" * (span.end - span.start)
        ents = [e for e in doc.ents if not any(blocked[e.start : e.end])]
        no_start = bytearray(len(doc))  # tokens no entity may start at (right after an event word)
        if settings.events:
            words = data.event_words
            for token in doc[:-1]:
                if token.text in words:
                    no_start[token.i + 1] = 1
            ents = [e for e in ents if not no_start[e.start]]
        if settings.trim_lower:
            ents = [t for t in (self._trim(doc, e) for e in ents) if t is not None]
        if settings.dateline:
            ents = self._dateline(doc, text, ents)
        # words the article writes in lower case (one pass, for steps 4 and 5)
        lower_words = (
            {t.text for t in doc if t.is_lower and t.is_alpha}
            if settings.sentence_start or settings.everywhere
            else set()
        )
        if settings.sentence_start:
            ents = self._sentence_start(doc, ents, lower_words)
        if settings.everywhere and ents:
            ents = self._everywhere(doc, ents, blocked, no_start, lower_words)
        if ents != list(doc.ents):
            doc.ents = filter_spans(ents)
        return doc

    @staticmethod
    def _trim(doc: Doc, ent: Span) -> Span | None:
        """Lower-case words at the edges of an entity are not part of the name
        (``kediaman Driana`` → ``Driana``, ``Dewan Perdamaian usulan`` → ``Dewan Perdamaian``);
        name particles (``van``, ``de``, ``bin``) stay."""
        start, end = ent.start, ent.end
        while start < end and _lower_edge(doc[start]):
            start += 1
        while end > start and (_lower_edge(doc[end - 1]) or doc[end - 1].is_space):
            end -= 1
        if start == end:
            return None
        if (start, end) == (ent.start, ent.end):
            return ent
        return Span(doc, start, end, label=ent.label, kb_id=ent.kb_id)

    # -- 2: the dateline ---------------------------------------------------------------------
    def _dateline(self, doc: Doc, text: str, ents: list[Span]) -> list[Span]:
        group = doc.spans.get(extensions.SECTIONS_KEY)
        region = next((s for s in group if s.label_ == "dateline"), None) if group else None
        if region is None:
            return ents
        spans = self.dateline_parser.group_spans(text, region.start_char, region.end_char)
        new: list[Span] = []
        for start, end, kind in spans:
            label = self.settings.source_label if kind == "source" else self.settings.place_label
            pieces = [(start, end)]
            if kind != "source":  # "Goa, India": two places
                pieces = [
                    (start + m.start(), start + m.end())
                    for m in re.finditer(r"[^,/]+", text[start:end])
                    if text[start + m.start() : start + m.end()].strip()
                ]
            for s, e in pieces:
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                span = doc.char_span(s, e, label=label)
                if span is not None:
                    new.append(span)
        if not new:
            return ents
        taken = {i for span in new for i in range(span.start, span.end)}
        kept = [e for e in ents if not any(i in taken for i in range(e.start, e.end))]
        return sorted([*kept, *new], key=lambda s: s.start)

    # -- 3: capitalised ordinary words at a sentence start -------------------------------------
    def _sentence_start(self, doc: Doc, ents: list[Span], lower_words: set[str]) -> list[Span]:
        name_starts = self.data.name_starts
        out: list[Span] = []
        for ent in ents:
            first = doc[ent.start]
            at_start = first.is_sent_start or (
                ent.start > 0 and "\n" in doc[ent.start - 1].text_with_ws
            )
            word = first.text
            if (
                at_start
                and word[:1].isupper()
                and word[1:].islower()
                and word.lower() in lower_words
                and word not in name_starts
            ):
                if len(ent) == 1:
                    continue
                if is_common_word(word):
                    rest = ent.start + 1
                    while rest < ent.end and doc[rest].is_space:
                        rest += 1
                    if rest < ent.end:
                        out.append(Span(doc, rest, ent.end, label=ent.label))
                    continue
            out.append(ent)
        return out

    # -- 4: every mention of a name found anywhere ---------------------------------------------
    def _everywhere(
        self,
        doc: Doc,
        ents: list[Span],
        blocked: bytearray,
        no_start: bytearray,
        lower_words: set[str],
    ) -> list[Span]:
        labels: dict[tuple[int, ...], Counter[str]] = {}
        table = self.data.table
        settings = self.settings
        for ent in ents:
            words = tuple(t.orth for t in ent)
            if len(words) > settings.max_name_tokens or any(t.is_space for t in ent):
                continue
            if len(ent) == 1 and not self._name_like(ent[0].text):
                continue
            labels.setdefault(words, Counter())[ent.label_] += 1
            if settings.person_parts and ent.label_ == settings.person_label and len(ent) > 1:
                parts = [t for t in ent if t.is_alpha]
                for token in {parts[0], parts[-1]} if parts else ():
                    if self._name_like(token.text) and token.text not in table:
                        # the name is known (to spread) without adding a vote for its label
                        labels.setdefault((token.orth,), Counter()).setdefault(
                            settings.person_label, 0
                        )
        if not labels:
            return ents
        chosen: dict[tuple[int, ...], str] = {}
        for words, counts in labels.items():
            if len(words) == 1 and 0 < sum(counts.values()) < settings.min_mentions:
                continue  # a one-word name tagged too rarely to trust everywhere
            text = " ".join(doc.vocab.strings[w] for w in words)
            entry = table.get(text)
            if entry is not None and entry.label in counts:
                chosen[words] = entry.label
            else:
                chosen[words] = counts.most_common(1)[0][0]
        by_first: dict[int, list[tuple[int, ...]]] = {}
        for words in sorted(chosen, key=len, reverse=True):
            by_first.setdefault(words[0], []).append(words)
        orths = doc.to_array(ORTH).tolist()
        owner = [-1] * len(doc)
        for k, ent in enumerate(ents):
            for i in range(ent.start, ent.end):
                owner[i] = k
        added: list[Span] = []
        dropped: set[int] = set()
        i = 0
        n = len(orths)
        while i < n:
            candidates = by_first.get(orths[i])
            if not candidates:
                i += 1
                continue
            matched = None
            for words in candidates:  # longest first
                j = i + len(words)
                if j <= n and tuple(orths[i:j]) == words:
                    matched = words
                    break
            if matched is None:
                i += 1
                continue
            j = i + len(matched)
            if any(blocked[i:j]) or no_start[i]:
                i = j
                continue
            if owner[i] >= 0 and (ents[owner[i]].start, ents[owner[i]].end) == (i, j):
                i = j  # already tagged exactly here
                continue
            inside = {owner[x] for x in range(i, j) if owner[x] >= 0}
            if inside and not all(
                ents[k].start >= i and ents[k].end <= j for k in inside
            ):  # crosses an entity: leave it
                i += 1
                continue
            if len(matched) == 1 and doc[i].is_sent_start and doc[i].text.lower() in lower_words:
                i = j
                continue
            dropped |= inside
            added.append(Span(doc, i, j, label=chosen[matched]))
            i = j
        # one label per name: relabel the article's other mentions of a chosen name
        out = []
        for k, ent in enumerate(ents):
            if k in dropped:
                continue
            words = tuple(t.orth for t in ent)
            label = chosen.get(words)
            if label is not None and label != ent.label_:
                ent = Span(doc, ent.start, ent.end, label=label)
            out.append(ent)
        return sorted([*out, *added], key=lambda s: s.start)

    @staticmethod
    def _name_like(text: str) -> bool:
        """A one-word name worth propagating: capitalised or an acronym, not an ordinary word."""
        if len(text) < 2 or not text[:1].isupper() or not any(c.isalpha() for c in text):
            return False
        if text.isupper():
            return len(text) >= 2
        return len(text) > 2 and not is_common_word(text)


_PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "da",
        "der",
        "den",
        "del",
        "della",
        "di",
        "al",
        "el",
        "bin",
        "binti",
        "dos",
        "das",
        "du",
        "le",
        "la",
        "ibn",
        "y",
        "e",
        "of",
        "and",
        "dan",
        "&",
        "the",
        "for",
    }
)


def _lower_edge(token: Token) -> bool:
    text = token.text
    return token.is_space or (
        text.isalpha() and text.islower() and len(text) > 1 and text not in _PARTICLES
    )


make_entity_consistency = register_factory(
    FACTORY_NAME,
    EntityConsistencySettings,
    EntityConsistency,
    assigns=["doc.ents"],
    requires=["doc.ents", "doc.spans"],
)
