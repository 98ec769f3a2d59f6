"""What the entity components (``entity_repair``, ``canonical_names``, ``roles``) share.

* :class:`RolePhrases` and :class:`GazetteerTable`: bases, on top of
  :class:`~beritanlp.components.base.DataFileComponent`, of the components that read the role
  phrases (the data file the ``roles`` setting names) and the gazetteer's name table (the files
  the ``gazetteer_files`` setting names);
* the role phrases found in a document (:func:`phrase_at`), the name-shape tests
  (:func:`is_acronym`, :func:`clean`) and the default label sets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property

from spacy.tokens import Doc, Span

from .. import extensions
from ..lexicon import parse_role_phrases
from ..resources import DataFiles
from .base import DataFileComponent
from .gazetteer import Entry, table_of

__all__ = [
    "CONNECTORS",
    "INNER_CONNECTORS",
    "NAME_LABELS",
    "PERSON_LABELS",
    "SKIP_SECTIONS",
    "GazetteerTable",
    "RolePhrases",
    "clean",
    "in_skipped_section",
    "inside",
    "is_acronym",
    "phrase_at",
    "phrases_of",
    "starts_sentence",
]

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


class RolePhrases(DataFileComponent):
    """Base of the components that read the role phrases (``roles``, ``entity_repair``): the
    :attr:`phrases` of the data file the ``roles`` setting names."""

    def _prepare(self) -> None:
        super()._prepare()
        self.phrases  # noqa: B018  (parse now)

    @cached_property
    def phrases(self) -> dict[str, int]:
        """The role phrases (lower case → number of words)."""
        return phrases_of(self.data_files)


class GazetteerTable(DataFileComponent):
    """Base of the components that look names up in the gazetteer's lists (``entity_repair``,
    ``canonical_names``): the :attr:`table` of the data files the ``gazetteer_files`` setting
    names."""

    def _prepare(self) -> None:
        super()._prepare()
        self.table  # noqa: B018  (parse now: a damaged file fails here)

    @cached_property
    def table(self) -> dict[str, Entry]:
        """The gazetteer's ``name → Entry`` table (empty without gazetteer files)."""
        return table_of(self.data_files["gazetteer_files"])
