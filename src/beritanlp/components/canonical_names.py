"""Canonical names of entity mentions (``beritanlp_canonical_names``):
``span._.beritanlp_canonical``.

Runs after ``entity_repair`` and sets, on every entity in ``doc.ents``,
``span._.beritanlp_canonical``:
the one name all mentions of the entity share. It writes ``doc.ents`` at most once, to add the
acronyms it tags (``tag_acronyms``).

1. **Acronym definitions.** ``LONG (SHORT)``, ``LONG (ENGLISH/SHORT)``, ``LONG (ENGLISH)`` and
   ``SHORT (LONG)`` link every form to one canonical: the gazetteer's canonical when any form
   is in the gazetteer, else the long form before the brackets (the Indonesian one in
   Indonesian news), else the first long form. An undefined acronym in the brackets of an
   ORG/LOC becomes an entity with that label (``tag_acronyms``), and every later mention of a
   defined form in the document gets the same canonical (and, when ``tag_acronyms``, the
   entity, outside the ``skip_sections``).
2. **Gazetteer aliases.** An entity whose text is a gazetteer name (same label) takes the
   gazetteer canonical (``AS`` → ``Amerika Serikat``, ``Tiongkok`` → ``China``); an entity
   with a knowledge-base id takes that id.
3. **Short person mentions.** A PER mention whose tokens occur, in order and contiguous, inside a
   longer PER mention of the same document links to it (``Lavrov`` → ``Sergei Lavrov``,
   ``Qin`` → ``Qin Gang``): the nearest longer mention before it, else the first one after it
   (``link_short_names``).
4. **Public figures.** A person listed in the gazetteer takes the list's canonical name
   (``Jokowi`` → ``Joko Widodo``) unless the article links the mention to a longer name of its
   own.
5. Everything else is its own canonical (its text with white space collapsed, and a space
   restored inside a glued name: ``PrabowoSubianto`` → ``Prabowo Subianto``).

:func:`beritanlp.records.entity_summary` turns the mentions into one row per canonical entity
(re-exported here).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import extensions
from ..records import entity_summary
from ..resources import DataFiles
from .base import Settings, register_factory
from .gazetteer import DEFAULT_FILES
from .shared import (
    PERSON_LABELS,
    SKIP_SECTIONS,
    GazetteerTable,
    clean,
    in_skipped_section,
    is_acronym,
)

__all__ = [
    "CanonicalNames",
    "CanonicalNamesSettings",
    "entity_summary",
    "make_canonical_names",
]

#: Names sharing a word with more names than this are not linked (bounds the work on adversarial
#: input; real articles name a few dozen people at most).
_MAX_NAME_POOL = 200


def _short_form(text: str) -> bool:
    """A one-word short form: an acronym (``BRIN``) or a title-case blend (``Bapanas``)."""
    return " " not in text and (
        is_acronym(text) or (text[:1].isupper() and text[1:].islower() and len(text) <= 12)
    )


def _spaced(span: Span) -> str:
    """The span's text with a space restored where the tokenizer split a glued name
    (``PrabowoSubianto`` → ``Prabowo Subianto``), for canonical names."""
    parts = []
    for token in span:
        parts.append(token.text_with_ws)
        if (
            not token.whitespace_
            and token.i + 1 < span.end
            and token.text[-1:].isalpha()
            and span.doc[token.i + 1].text[:1].isupper()
        ):
            parts.append(" ")
    return clean("".join(parts))


def _abbreviates(acronym: str, long: str) -> bool:
    """``acronym`` could stand for ``long``: same first letter, its letters in order in it."""
    letters = [c for c in acronym.lower() if c.isalnum()]
    text = long.lower()
    if not letters or not text or text[0] != letters[0] or len(long.split()) < 2:
        return False
    position = 0
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def _compatible(gazetteer_label: str, label: str) -> bool:
    return gazetteer_label == label or (gazetteer_label == "LOC" and label == "GPE")


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


# -- the summary ----------------------------------------------------------------------------------
# -- the component --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CanonicalNamesSettings(Settings):
    """Settings of ``beritanlp_canonical_names``."""

    #: the gazetteer files whose canonical names and aliases are used (bundled names or paths)
    gazetteer_files: tuple[str, ...] = DEFAULT_FILES
    #: labels of person entities
    person_labels: tuple[str, ...] = PERSON_LABELS
    #: tag undefined acronyms in definitions and later mentions of defined ones as entities
    tag_acronyms: bool = True
    #: link short person mentions (``Lavrov``) to the full name (``Sergei Lavrov``)
    link_short_names: bool = True
    #: section kinds where later acronym mentions are not tagged
    skip_sections: tuple[str, ...] = SKIP_SECTIONS

    def check(self) -> None:
        self.require_strings("person_labels", non_empty=True)


class CanonicalNames(GazetteerTable):
    """spaCy component: ``span._.beritanlp_canonical`` on every entity of ``doc.ents``.

    ``CanonicalNames(nlp, name, settings=None, **overrides)``; the gazetteer files are read on
    first use. ``to_disk`` writes ``settings.json`` and the gazetteer files' texts,
    ``from_disk`` reads them back (:class:`~beritanlp.components.base.DataFileComponent`).
    """

    SETTINGS = CanonicalNamesSettings
    DATA_SETTINGS = ("gazetteer_files",)
    NAME = "canonical_names"
    settings: CanonicalNamesSettings

    def _install(self, settings: CanonicalNamesSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self.person_labels = frozenset(settings.person_labels)
        self.skip_sections = frozenset(settings.skip_sections)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        definitions = self._acronym_definitions(doc)
        ents = list(doc.ents)
        table = self.table
        canonical: dict[tuple[int, int], str] = {}
        listed: dict[tuple[int, int], str] = {}
        persons: list[tuple[Span, list[str]]] = []
        for ent in ents:
            key = (ent.start, ent.end)
            text = _spaced(ent)
            if ent.label_ in self.person_labels:
                persons.append((ent, [t.lower_ for t in ent if not t.is_space]))
                if text in definitions:
                    canonical[key] = definitions[text]
                elif (entry := table.get(text)) is not None and entry.label == ent.label_:
                    listed[key] = entry.canonical  # a public figure: Jokowi -> Joko Widodo
                continue
            if text in definitions:
                canonical[key] = definitions[text]
                continue
            entry = table.get(text)
            if ent.kb_id_:
                canonical[key] = ent.kb_id_
            elif entry is not None and _compatible(entry.label, ent.label_):
                canonical[key] = entry.canonical
        if self.settings.link_short_names:
            canonical.update(self._link_persons(persons, canonical))
        # a listed public figure keeps the list's canonical name unless the article links the
        # mention to a longer name of its own (``Jokowi`` → ``Joko Jokowi Widodo`` there)
        for ent, _words in persons:
            key = (ent.start, ent.end)
            if key in listed and canonical.get(key, _spaced(ent)) == _spaced(ent):
                canonical[key] = listed[key]
        for ent in ents:
            name = canonical.get((ent.start, ent.end)) or _spaced(ent)
            ent._.beritanlp_canonical = name
        return doc

    # -- acronym definitions -------------------------------------------------------------------
    def _acronym_definitions(self, doc: Doc) -> dict[str, str]:
        """Surface form -> canonical for the forms linked by bracketed definitions; the acronyms
        tagged on the way are written to ``doc.ents`` (once)."""
        table = self.table
        ents = list(doc.ents)
        by_bounds = {(e.start, e.end): e for e in ents}
        occupied = {i for e in ents for i in range(e.start, e.end)}
        new_ents: list[Span] = []
        definitions: dict[str, str] = {}
        tag = self.settings.tag_acronyms
        for ent in ents:
            if ent.end >= len(doc) or doc[ent.end].text != "(":
                continue
            close = next(
                (k for k in range(ent.end + 1, min(len(doc), ent.end + 12)) if doc[k].text == ")"),
                None,
            )
            if close is None or close == ent.end + 1:
                continue
            pieces: list[tuple[int, int]] = []
            begin = ent.end + 1
            for k in range(ent.end + 1, close + 1):
                if k == close or doc[k].text == "/":
                    if k > begin:
                        pieces.append((begin, k))
                    begin = k + 1
            person = ent.label_ in self.person_labels
            forms: list[str] = [clean(ent.text)]
            longs = [forms[0], *(clean(doc[a:b].text) for a, b in pieces)]
            for start, end in pieces:
                text = clean(doc[start:end].text)
                other = by_bounds.get((start, end))
                if other is not None:
                    if other.label_ != ent.label_:
                        continue
                    forms.append(text)
                elif (
                    end - start == 1
                    and not person
                    and _short_form(text)
                    and any(_abbreviates(text, long) for long in longs if long != text)
                ):
                    forms.append(text)
                    if tag and start not in occupied:
                        new_ents.append(Span(doc, start, end, label=ent.label_))
                        occupied.add(start)
                elif person and end - start == 1 and doc[start].is_title:
                    forms.append(text)
            if len(forms) < 2:
                continue
            chosen = next((table[t].canonical for t in forms if t in table), None)
            if chosen is None:
                outside = forms[0]
                if not _short_form(outside) or person:
                    chosen = outside
                else:
                    chosen = next((t for t in forms[1:] if not _short_form(t)), outside)
            for text in forms:
                definitions.setdefault(text, chosen)
        if new_ents:
            ents = filter_spans([*ents, *new_ents])
        later = self._defined_mentions(doc, ents, definitions) if tag and definitions else []
        if later:
            ents = filter_spans([*ents, *later])
        if new_ents or later:
            doc.ents = ents
        return definitions

    def _defined_mentions(
        self, doc: Doc, ents: list[Span], definitions: dict[str, str]
    ) -> list[Span]:
        """The later mentions of a defined single-token acronym that nothing tagged."""
        labels = {clean(e.text): e.label_ for e in ents if e.label_ not in self.person_labels}
        acronyms = {t for t in definitions if _short_form(t) and t in labels}
        if not acronyms:
            return []
        occupied = {i for e in ents for i in range(e.start, e.end)}
        index = extensions.section_index(doc)
        return [
            Span(doc, i, i + 1, label=labels[token.text])
            for i, token in enumerate(doc)
            if token.text in acronyms
            and i not in occupied
            and not in_skipped_section(doc, i, index, self.skip_sections)
        ]

    # -- short person mentions -----------------------------------------------------------------
    def _link_persons(
        self, persons: list[tuple[Span, list[str]]], known: dict[tuple[int, int], str]
    ) -> dict[tuple[int, int], str]:
        """A person mentioned by part of a name (``Lavrov``) gets the canonical name of the
        nearest earlier mention whose words contain it (``Sergei Lavrov``), else of the first
        later one. Names are compared once per distinct name, and the containing mentions are
        found by binary search, so the work grows with the number of mentions, not its square
        (``'Budi Santoso, ' * n``)."""
        by_name: dict[tuple[str, ...], list[Span]] = {}
        for ent, words in persons:
            by_name.setdefault(tuple(words), []).append(ent)
        # the distinct longer names that contain each distinct name, found through a word index
        index: dict[str, list[tuple[str, ...]]] = {}
        for name in by_name:
            for word in set(name):
                index.setdefault(word, []).append(name)
        containing: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for name in by_name:
            if not name:
                continue
            pool = min((index[w] for w in set(name)), key=len)
            if len(pool) > _MAX_NAME_POOL:  # adversarial: thousands of names share a word
                continue
            longer = [
                other
                for other in pool
                if len(other) > len(name) and _contains(list(other), list(name))
            ]
            if longer:
                containing[name] = longer
        out: dict[tuple[int, int], str] = {}
        for name in sorted(by_name, key=len, reverse=True):
            targets = sorted(
                (e.start, e) for other in containing.get(name, ()) for e in by_name[other]
            )
            starts = [start for start, _ in targets]
            for ent in by_name[name]:
                key = (ent.start, ent.end)
                if key in known:
                    out[key] = known[key]
                    continue
                if not targets:
                    out[key] = _spaced(ent)
                    continue
                k = bisect.bisect_left(starts, ent.start)
                target = targets[k - 1][1] if k > 0 else targets[k][1]
                out[key] = out.get((target.start, target.end)) or _spaced(target)
        return out


make_canonical_names = register_factory(
    "beritanlp_canonical_names",
    CanonicalNamesSettings,
    CanonicalNames,
    assigns=["doc.ents", "span._.beritanlp_canonical"],
    requires=["doc.ents"],
)
