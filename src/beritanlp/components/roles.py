"""Roles of person mentions (``beritanlp_roles``): ``span._.beritanlp_role``.

Runs after ``entity_repair`` and ``canonical_names`` and sets, on every person entity in
``doc.ents``, ``span._.beritanlp_role``: the title/role phrase before the name (``Menteri Luar
Negeri Rusia`` for ``… Menteri Luar Negeri Rusia Sergei Lavrov``), or ``None``. It does not
change ``doc.ents``.

Reading leftwards from a PER entity over role phrases (the roles file, ``data/roles.txt``,
case-insensitive, longest first), ORG/LOC names (entities and gazetteer names), capitalised
qualifiers, ``sekaligus``/``merangkap`` and ``dan`` (only inside one role, not between two:
``… dan Presiden China Xi Jinping`` gives ``Presiden China``) up to punctuation, another person,
a sentence start or a lower-case word; the role starts at the leftmost role phrase found
(``Anggota Dewan Negara sekaligus Menteri Luar Negeri China``) and spans at most
``max_role_tokens`` tokens.

The component runs after ``canonical_names`` because an acronym that component tags (``FKE20``,
defined by ``Forum Kerja Sama Ekonomi 20 (FKE20)``) is a name inside a role (``Ketua FKE20 Budi
Santoso``); a word that is not a title-case word ends the scan otherwise.

What the three entity components share (the role phrases, the name-shape tests, the default
label sets) is in :mod:`beritanlp.components.shared`.

**Your own role phrases**: point ``roles`` at a file of your own (one phrase per line, ``#``
comments), e.g. ``beritanlp.load(config={"roles": {"roles": "./my_roles.txt"},
"entity_repair": {"roles": "./my_roles.txt"}})``; ``nlp.to_disk`` saves the file's text with
the pipeline (see ``docs/entities.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..lexicon import DEFAULT_ROLES, role_phrases
from ..resources import DataFiles
from .base import Settings, register_factory
from .gazetteer import GAZETTEER_KEY
from .shared import (
    CONNECTORS,
    INNER_CONNECTORS,
    NAME_LABELS,
    PERSON_LABELS,
    RolePhrases,
    clean,
    inside,
    phrase_at,
    starts_sentence,
)

__all__ = ["Roles", "RolesSettings", "make_roles", "role_phrases"]


@dataclass(frozen=True, slots=True)
class RolesSettings(Settings):
    """Settings of ``beritanlp_roles``."""

    #: the role phrases: a bundled data file name or a path of your own (one phrase a line)
    roles: str = DEFAULT_ROLES
    #: the span group of the gazetteer's matches (names inside roles)
    gazetteer_key: str = GAZETTEER_KEY
    #: labels of person entities
    person_labels: tuple[str, ...] = PERSON_LABELS
    #: labels of names that can stand inside a role
    name_labels: tuple[str, ...] = NAME_LABELS
    #: words joining two roles of one person
    connectors: tuple[str, ...] = CONNECTORS
    #: words inside one role
    inner_connectors: tuple[str, ...] = INNER_CONNECTORS
    #: the longest role, in tokens
    max_role_tokens: int = 14

    def check(self) -> None:
        self.require_strings("person_labels", non_empty=True)
        self.require_int("max_role_tokens", least=1)


@dataclass(slots=True)
class _Marks:
    """Per-document lookups for the role scanner."""

    role_end: dict[int, int]  # a role phrase covering [start, end): start -> end
    role_start_of: dict[int, int]  # token -> start of the role phrase covering it
    name_start_of: dict[int, int]  # token -> start of the ORG/LOC name covering it
    person: set[int]  # tokens of PER entities


class Roles(RolePhrases):
    """spaCy component: ``span._.beritanlp_role`` on the person entities of ``doc.ents``.

    ``Roles(nlp, name, settings=None, **overrides)``. ``to_disk`` writes ``settings.json`` and
    the roles file's text (``roles.txt``); ``from_disk`` reads them back, so a saved pipeline
    needs no file of the settings.
    """

    SETTINGS = RolesSettings
    DATA_SETTINGS = ("roles",)
    NAME = "roles"
    settings: RolesSettings

    def _install(self, settings: RolesSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self.person_labels = frozenset(settings.person_labels)
        self.name_labels = frozenset(settings.name_labels)
        self.connectors = frozenset(c.lower() for c in settings.connectors)
        self.inner_connectors = frozenset(c.lower() for c in settings.inner_connectors)

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        if not any(ent.label_ in self.person_labels for ent in ents):
            return doc
        marks = self._marks(doc, ents)
        for ent in ents:
            if ent.label_ in self.person_labels:
                role = self._role_before(doc, ent.start, marks)
                ent._.beritanlp_role = role
        return doc

    def _marks(self, doc: Doc, ents: list[Span]) -> _Marks:
        phrases = self.phrases
        longest = max(phrases.values(), default=1)
        role_end: dict[int, int] = {}
        role_start_of: dict[int, int] = {}
        name_start_of: dict[int, int] = {}
        person: set[int] = set()
        for ent in ents:
            if ent.label_ in self.person_labels:
                person.update(range(ent.start, ent.end))
            elif ent.label_ in self.name_labels:
                for i in range(ent.start, ent.end):
                    name_start_of[i] = ent.start
        gazetteer = doc.spans.get(self.settings.gazetteer_key)
        names = [e for e in ents if e.label_ in self.name_labels]
        if gazetteer is not None:
            for span in gazetteer:
                if span.label_ in self.name_labels and not any(
                    i in person for i in range(span.start, span.end)
                ):
                    names.append(span)
                    for i in range(span.start, span.end):
                        name_start_of.setdefault(i, span.start)
        within = inside(names)
        # role phrases only where a person follows within the window
        starts = sorted(ent.start for ent in ents if ent.label_ in self.person_labels)
        covered: set[int] = set()
        for p in starts:
            for i in range(max(0, p - self.settings.max_role_tokens), p):
                if i in covered:
                    continue
                end = phrase_at(doc, i, min(p, i + longest), phrases, within)
                if end:
                    role_end[i] = end
                    for j in range(i, end):
                        role_start_of[j] = i
                        covered.add(j)
        return _Marks(role_end, role_start_of, name_start_of, person)

    def _role_before(self, doc: Doc, start: int, marks: _Marks) -> str | None:
        floor = max(0, start - self.settings.max_role_tokens)
        j = start - 1
        left = start
        while j >= floor:
            token = doc[j]
            if j in marks.person or starts_sentence(doc, j + 1):
                break
            if j in marks.role_start_of:
                left = j = marks.role_start_of[j]
                j -= 1
                continue
            if j in marks.name_start_of:
                left = j = max(marks.name_start_of[j], floor)
                j -= 1
                continue
            lower = token.lower_
            if lower in self.connectors:
                j -= 1
                continue
            if lower in self.inner_connectors and (j + 1) not in marks.role_end:
                j -= 1
                continue
            if token.is_alpha and (token.is_title or token.is_upper):
                left = j
                j -= 1
                continue
            break
        head = next((i for i in range(left, start) if i in marks.role_end), None)
        if head is None:
            return None
        return clean(doc[head:start].text) or None


make_roles = register_factory(
    "beritanlp_roles",
    RolesSettings,
    Roles,
    assigns=["span._.beritanlp_role"],
    requires=["doc.ents"],
)
