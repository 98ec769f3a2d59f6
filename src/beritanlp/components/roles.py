"""Roles of person mentions (``beritanlp_roles``): ``span._.beritanlp_role``.

Runs after ``entity_repair`` and ``canonical_names`` and sets, on every person entity in
``doc.ents``, ``span._.beritanlp_role``: the title/role phrase before the name (``Menteri Luar
Negeri
Rusia`` for ``… Menteri Luar Negeri Rusia Sergei Lavrov``), or ``None``. It does not change
``doc.ents``.

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

This module also holds what the three entity components (``entity_repair``,
``canonical_names``, ``roles``) share: the role phrases found in a document (:func:`phrase_at`),
the name-shape tests and the default label sets.

**Your own role phrases**: point ``roles`` at a file of your own (one phrase per line, ``#``
comments), e.g. ``beritanlp.load(config={"roles": {"roles": "./my_roles.txt"},
"entity_repair": {"roles": "./my_roles.txt"}})``; ``nlp.to_disk`` saves the file's text with
the pipeline (see ``docs/entities.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions
from ..errors import ConfigError
from ..lexicon import DEFAULT_ROLES, parse_role_phrases, role_phrases
from ..resources import DataFileComponent, DataFiles
from .base import Settings, register_factory
from .gazetteer import GAZETTEER_KEY, Entry, table_of

__all__ = [
    "CONNECTORS",
    "INNER_CONNECTORS",
    "NAME_LABELS",
    "PERSON_LABELS",
    "SKIP_SECTIONS",
    "GazetteerTable",
    "RolePhrases",
    "Roles",
    "RolesSettings",
    "clean",
    "is_acronym",
    "make_roles",
    "phrase_at",
    "phrases_of",
    "role_phrases",
]

# -- what the entity components share ---------------------------------------------------------

#: Labels of person entities (the first is the label given to persons the rules find).
PERSON_LABELS: tuple[str, ...] = ("PER", "PERSON")
#: Labels of names that can stand inside a role (``Menteri Luar Negeri Rusia``).
NAME_LABELS: tuple[str, ...] = ("ORG", "LOC", "GPE", "NORP")
#: Words joining two roles of one person (``Anggota Dewan Negara sekaligus Menteri …``).
CONNECTORS: tuple[str, ...] = ("sekaligus", "merangkap")
#: Words inside one role (``Menteri Koordinator Bidang Politik dan Keamanan``).
INNER_CONNECTORS: tuple[str, ...] = ("dan", "&")
#: Section kinds where the rules add no entities (related-article lists, share buttons).
SKIP_SECTIONS: tuple[str, ...] = ("boilerplate",)

_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&.+\-]{0,11}$")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """``text`` with white space runs collapsed to one space, stripped."""
    return _SPACES.sub(" ", text).strip()


def is_acronym(text: str) -> bool:
    """An acronym: a capital, then up to 11 letters, digits or ``&.+-``, two capitals at least
    (``SCO``, ``KemenPUPR``, ``FKE20``)."""
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in text) >= 2


def check_labels(settings: Any) -> None:
    """The checks of the label settings the entity components share (``ConfigError``)."""
    if not settings.person_labels:
        raise ConfigError("person_labels needs at least one label, e.g. ['PER']")


def in_skipped_section(
    doc: Doc, i: int, index: list[tuple[int, int, str]], skip: frozenset[str]
) -> bool:
    """Whether token ``i`` lies in a section of a kind in ``skip`` (``index``: the doc's
    :func:`~beritanlp.extensions.section_index`)."""
    return bool(index) and extensions.section_of_token(doc, i, index) in skip


def inside(spans: Iterable[Span]) -> frozenset[int]:
    """The token boundaries strictly inside the spans (the boundary before token k is k)."""
    return frozenset(k for span in spans for k in range(span.start + 1, span.end))


def phrase_at(
    doc: Doc, i: int, limit: int, phrases: dict[str, int], within: frozenset[int] = frozenset()
) -> int:
    """End of the longest role phrase starting at token ``i`` and ending by ``limit``, or 0.

    ``within`` holds token boundaries that fall inside a name (:func:`inside`): a role phrase
    never ends there (``Anggota Dewan`` + ``Negara`` is ``Anggota`` + ``Dewan Negara``)."""
    if i >= limit or not doc[i].is_alpha:
        return 0
    words: list[str] = []
    best = 0
    for j in range(i, limit):
        token = doc[j]
        if token.is_space or token.is_punct:
            break
        words.append(token.lower_)
        if " ".join(words) in phrases and (j + 1) not in within:
            best = j + 1
    return best


def starts_sentence(doc: Doc, i: int) -> bool:
    """Whether token ``i`` starts a sentence (when sentence boundaries are set)."""
    return doc.has_annotation("SENT_START") and bool(doc[i].is_sent_start)


def phrases_of(files: DataFiles) -> dict[str, int]:
    """The role phrases of a component's data files (``files["roles"]``: the roles file's text,
    none for no phrases)."""
    found = files.get("roles", ())
    return parse_role_phrases(found[0].text if found else "")


# -- the component --------------------------------------------------------------------------------
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
        check_labels(self)
        if self.max_role_tokens < 1:
            raise ConfigError(
                f"max_role_tokens must be a positive number, got {self.max_role_tokens}"
            )


@dataclass(slots=True)
class _Marks:
    """Per-document lookups for the role scanner."""

    role_end: dict[int, int]  # a role phrase covering [start, end): start -> end
    role_start_of: dict[int, int]  # token -> start of the role phrase covering it
    name_start_of: dict[int, int]  # token -> start of the ORG/LOC name covering it
    person: set[int]  # tokens of PER entities


class RolePhrases(DataFileComponent):
    """What the components that read the role phrases share (``roles``, ``entity_repair``):
    the :attr:`phrases` of the data file the ``roles`` setting names, on top of
    :class:`~beritanlp.resources.DataFileComponent` (the files read on first use;
    ``initialize``, ``to_disk``, ``from_disk``)."""

    _phrases: dict[str, int] | None = None

    def _install(self, settings: Any, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self._phrases = None

    def _prepare(self) -> None:
        super()._prepare()
        self.phrases  # noqa: B018  (parse now)

    @property
    def phrases(self) -> dict[str, int]:
        """The role phrases (lower case → number of words)."""
        if self._phrases is None:
            self._phrases = phrases_of(self.data_files)
        return self._phrases


class GazetteerTable(DataFileComponent):
    """What the components that look names up in the gazetteer's lists share
    (``entity_repair``, ``canonical_names``): the :attr:`table` of the data files the
    ``gazetteer_files`` setting names, on top of :class:`~beritanlp.resources.DataFileComponent`."""

    _table: dict[str, Entry] | None = None

    def _install(self, settings: Any, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self._table = None

    def _prepare(self) -> None:
        super()._prepare()
        self.table  # noqa: B018  (parse now: a damaged file fails here)

    @property
    def table(self) -> dict[str, Entry]:
        """The gazetteer's ``name → Entry`` table (empty without gazetteer files)."""
        if self._table is None:
            self._table = table_of(self.data_files["gazetteer_files"])
        return self._table


class Roles(RolePhrases):
    """spaCy component: ``span._.beritanlp_role`` on the person entities of ``doc.ents``.

    ``Roles(nlp, name, settings=None, **overrides)``. ``to_disk`` writes ``settings.json`` and
    the roles file's text (``roles.txt``); ``from_disk`` reads them back, so a saved pipeline
    needs no file of the settings.
    """

    DATA_SETTINGS = ("roles",)

    def __init__(
        self,
        nlp: Language | None,
        name: str = "roles",
        settings: RolesSettings | None = None,
        **overrides: Any,
    ) -> None:
        extensions.register()
        self.name = name
        self._install(RolesSettings.build(settings, overrides), None)

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
