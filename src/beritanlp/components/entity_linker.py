"""Canonical names and roles of entity mentions (``beritanlp_entity_linker``).

Runs after the NER and the gazetteer and sets, on every entity in ``doc.ents``:

* ``span._.canonical``: the one name all mentions of the entity share;
* ``span._.role``: for persons, the title/role phrase before the name
  (``Menteri Luar Negeri Rusia`` for ``… Menteri Luar Negeri Rusia Sergei Lavrov``).

The steps, in order:

1. **Roles off person spans.** A PER entity that starts with a role phrase (``data/roles.txt``,
   case-insensitive, longest first, plus the ORG/LOC names, acronyms and ``sekaligus``/
   ``merangkap`` inside the role) is trimmed to the name; at least one token always stays. The
   freed tokens get the gazetteer spans that fit in them back (``refill``), so ``Rusia`` in
   ``Menteri Luar Negeri Rusia`` becomes a LOC entity of its own.
2. **Role phrases.** Reading leftwards from a PER entity over role phrases, ORG/LOC names,
   capitalised qualifiers, ``sekaligus``/``merangkap`` and ``dan`` (only inside one role, not
   between two: ``… dan Presiden China Xi Jinping`` gives ``Presiden China``) up to
   punctuation, another person or a lower-case word; the role starts at the leftmost role
   phrase found (``Anggota Dewan Negara sekaligus Menteri Luar Negeri China``).
3. **Acronym definitions.** ``LONG (SHORT)``, ``LONG (ENGLISH/SHORT)``, ``LONG (ENGLISH)`` and
   ``SHORT (LONG)`` link every form to one canonical: the gazetteer's canonical when any form
   is in the gazetteer, else the long form before the brackets (the Indonesian one in
   Indonesian news), else the first long form. An undefined acronym in the brackets of an
   ORG/LOC becomes an entity with that label (``tag_acronyms``), and every later mention of a
   defined form in the document gets the same canonical.
4. **Gazetteer aliases.** An entity whose text is a gazetteer name (same label) takes the
   gazetteer canonical (``AS`` → ``Amerika Serikat``, ``Tiongkok`` → ``China``).
5. **Short person mentions.** A PER mention whose tokens occur, in order and contiguous, inside a
   longer PER mention of the same document links to it (``Lavrov`` → ``Sergei Lavrov``,
   ``Qin`` → ``Qin Gang``): the nearest longer mention before it, else the first one after it.
6. Everything else is its own canonical (its text with white space collapsed).

:func:`entity_summary` turns the mentions into one row per canonical entity.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import extensions
from ..errors import ConfigError
from ..resources import read_json, read_lines
from .gazetteer import DEFAULT_FILES, GAZETTEER_KEY, entry_table
from .stemmer import is_common_word

__all__ = ["EntityLinker", "Mention", "entity_summary", "make_entity_linker", "role_phrases"]

logger = logging.getLogger(__name__)

_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&.+\-]{0,11}$")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8)
def role_phrases(name: str = "roles.txt") -> dict[str, int]:
    """Lower-cased role phrases of the roles file (phrase -> number of words), cached."""
    return {" ".join(line.lower().split()): len(line.split()) for line in read_lines(name)}


@lru_cache(maxsize=8)
def _role_words_cached(key: frozenset[str]) -> frozenset[str]:
    return frozenset(word for phrase in key for word in phrase.split())


def _role_words(phrases: dict[str, int]) -> frozenset[str]:
    """Every word of the role phrases (lower case)."""
    return _role_words_cached(frozenset(phrases))


# "(Agency/Name)" at the end of a photo caption: the part after the slash names the photographer
_CREDIT = re.compile(
    r"\((?:[A-Z][\w.]*(?: [A-Z][\w.]*){0,2})\s*/\s*"
    r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})\)"
)


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    """Weekday and month names (lower case), from the dates data file: never part of a name."""
    data = read_json("dates_id.json")
    words: set[str] = set()
    for names in data["weekdays"].values():
        words.update(names)
    for entry in data["months"].values():
        words.update(entry["names"])
        words.update(a.rstrip(".") for a in entry["abbreviations"])
    return frozenset(w.lower() for w in words)


def _is_acronym(text: str) -> bool:
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in text) >= 2


def _short_form(text: str) -> bool:
    """A one-word short form: an acronym (``BRIN``) or a title-case blend (``Bapanas``)."""
    return " " not in text and (
        _is_acronym(text) or (text[:1].isupper() and text[1:].islower() and len(text) <= 12)
    )


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


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
    return _clean("".join(parts))


class Mention(Protocol):
    """What :func:`entity_summary` reads from an entity mention (read-only attributes)."""

    @property
    def text(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def canonical(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...


def entity_summary(entities: Iterable[Mention]) -> list[dict[str, Any]]:
    """One row per canonical entity: ``{canonical, label, mentions, first_start, roles}``.

    ``entities`` are objects with ``text``, ``label``, ``start``, ``canonical`` and ``role``
    attributes (``Article`` entities, or anything alike). ``mentions`` counts the mentions,
    ``label`` is the most frequent label of the mentions (ties: the first), ``roles`` are the
    distinct roles in order of first use (roles of short mentions count for the full name).
    Rows are sorted by ``first_start``.
    """
    rows: dict[str, dict[str, Any]] = {}
    labels: dict[str, Counter[str]] = {}
    for mention in sorted(entities, key=lambda m: m.start):
        canonical = mention.canonical or _clean(mention.text)
        row = rows.get(canonical)
        if row is None:
            row = rows[canonical] = {
                "canonical": canonical,
                "label": mention.label,
                "mentions": 0,
                "first_start": mention.start,
                "roles": [],
            }
            labels[canonical] = Counter()
        row["mentions"] += 1
        labels[canonical][mention.label] += 1
        if mention.role and mention.role not in row["roles"]:
            row["roles"].append(mention.role)
    for canonical, row in rows.items():
        counts = labels[canonical]
        best = max(counts.values())
        if counts[row["label"]] != best:
            row["label"] = next(label for label, n in counts.items() if n == best)
    return sorted(rows.values(), key=lambda row: row["first_start"])


@dataclass(slots=True)
class _Marks:
    """Per-document lookups for the role scanner."""

    role_end: dict[int, int]  # a role phrase covering [start, end): start -> end
    role_start_of: dict[int, int]  # token -> start of the role phrase covering it
    name_start_of: dict[int, int]  # token -> start of the ORG/LOC name covering it
    person: set[int]  # tokens of PER entities


class EntityLinker:
    """spaCy component: ``span._.canonical`` and ``span._.role`` on ``doc.ents``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        roles: str = "roles.txt",
        gazetteer_files: Sequence[str] = DEFAULT_FILES,
        gazetteer_key: str = GAZETTEER_KEY,
        person_labels: Iterable[str] = ("PER", "PERSON"),
        name_labels: Iterable[str] = ("ORG", "LOC", "GPE", "NORP"),
        connectors: Iterable[str] = ("sekaligus", "merangkap"),
        inner_connectors: Iterable[str] = ("dan", "&"),
        max_role_tokens: int = 14,
        trim_roles: bool = True,
        refill: bool = True,
        tag_acronyms: bool = True,
        link_short_names: bool = True,
        skip_sections: Iterable[str] = ("boilerplate",),
        role_persons: bool = True,
        max_name_tokens: int = 4,
        propagate_names: bool = True,
        consistent_labels: bool = True,
    ) -> None:
        extensions.register()
        if max_role_tokens < 1:
            raise ConfigError(f"max_role_tokens must be a positive number, got {max_role_tokens}")
        self.name = name
        self.roles_file = roles
        self.gazetteer_files = tuple(gazetteer_files)
        self.gazetteer_key = gazetteer_key
        person_labels = list(person_labels)
        if not person_labels:
            raise ConfigError("person_labels needs at least one label, e.g. ['PER']")
        self.person_label = person_labels[0]  # the label given to persons found by a role
        self.person_labels = frozenset(person_labels)
        self.role_persons = role_persons
        self.max_name_tokens = max_name_tokens
        self.propagate_names = propagate_names
        self.consistent_labels = consistent_labels
        self.name_labels = frozenset(name_labels)
        self.connectors = frozenset(c.lower() for c in connectors)
        self.inner_connectors = frozenset(c.lower() for c in inner_connectors)
        self.max_role_tokens = max_role_tokens
        self.trim_roles = trim_roles
        self.refill = refill
        self.tag_acronyms = tag_acronyms
        self.link_short_names = link_short_names
        self.skip_sections = frozenset(skip_sections)

    # -- the pipeline step -------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.role_persons:
            self._add_role_persons(doc)
        if not doc.ents:
            return doc
        if self.consistent_labels:
            self._make_labels_consistent(doc)
        if self.propagate_names:
            self._propagate_names(doc)
        if self.trim_roles:
            self._trim_person_roles(doc)
        definitions = self._acronym_definitions(doc)
        ents = list(doc.ents)
        marks = self._marks(doc, ents)
        table = entry_table(self.gazetteer_files) if self.gazetteer_files else {}
        canonical: dict[tuple[int, int], str] = {}
        listed: dict[tuple[int, int], str] = {}
        persons: list[tuple[Span, list[str]]] = []
        for ent in ents:
            key = (ent.start, ent.end)
            text = _spaced(ent)
            if ent.label_ in self.person_labels:
                persons.append((ent, [t.lower_ for t in ent if not t.is_space]))
                ent._.role = self._role_before(doc, ent.start, marks)
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
        if self.link_short_names:
            canonical.update(self._link_persons(persons, canonical))
        # a listed public figure keeps the list's canonical name unless the article links the
        # mention to a longer name of its own (``Jokowi`` → ``Joko Jokowi Widodo`` there)
        for ent, _words in persons:
            key = (ent.start, ent.end)
            if key in listed and canonical.get(key, _spaced(ent)) == _spaced(ent):
                canonical[key] = listed[key]
        for ent in ents:
            ent._.canonical = canonical.get((ent.start, ent.end)) or _spaced(ent)
        return doc

    # -- step 0: persons announced by a role ------------------------------------------------
    def _add_role_persons(self, doc: Doc) -> None:
        """A capitalised name right after a role phrase is a person, even when the model missed
        it: ``Menteri Luar Negeri Rusia Sergei Lavrov``, ``Presiden China Xi Jinping``. The role
        may carry names (``Rusia``, ``Dewan Negara``) and connectors (``sekaligus``); the name is
        1 to ``max_name_tokens`` title-case words outside any entity, not role words, not
        weekday or month names, ending at anything else, and not ordinary words only (a root
        of the stemming dictionary or an affixed form of one, such as ``Perumahan Rakyat``)."""
        phrases = role_phrases(self.roles_file)
        longest = max(phrases.values(), default=1)
        role_words = _role_words(phrases)
        not_names = _calendar_words()
        gazetteer = doc.spans.get(self.gazetteer_key)
        names: dict[int, int] = {}
        known: dict[int, Span] = {}  # gazetteer names by start
        for span in gazetteer or ():
            if span.label_ in self.name_labels:
                names[span.start] = max(names.get(span.start, 0), span.end)
                if span.start not in known or span.end > known[span.start].end:
                    known[span.start] = span
        model_names = {e.start: e for e in doc.ents if e.label_ in self.name_labels}
        for ent in model_names.values():
            names[ent.start] = max(names.get(ent.start, 0), ent.end)
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        splits: list[tuple[Span, Span]] = []  # (model entity, its known head) to cut apart
        persons = {
            ent.start for ent in doc.ents if ent.label_ in self.person_labels
        }  # where a known person starts
        index = extensions.section_index(doc)
        found: list[Span] = []
        n = len(doc)
        i = 0
        while i < n:
            token = doc[i]
            if not (token.is_title or token.is_upper) or i in taken:
                i += 1
                continue
            end = _phrase_at(doc, i, min(n, i + longest), phrases)
            if not end:
                i += 1
                continue
            j = end
            loose: range = range(0)  # tokens of a model entity that ran on into the name
            straddle: tuple[Span, Span] | None = None
            while j < n:  # the role goes on: more role words, names, connectors
                more = _phrase_at(doc, j, min(n, j + longest), phrases)
                if more and doc[j].is_title:
                    j = more
                elif names.get(j, 0) > j:
                    ent, head = model_names.get(j), known.get(j)
                    if ent is not None and head is not None and ent.end > head.end:
                        # the model ran a known name into the person: "China Xi Jinping"/ORG
                        loose, straddle = range(head.end, ent.end), (ent, head)
                        j = head.end
                        break
                    j = names[j]
                elif doc[j].lower_ in self.connectors:
                    j += 1
                else:
                    break
            k = j
            while (
                k < n
                and k - j < self.max_name_tokens
                and (k not in taken or k in loose)
                and doc[k].is_alpha
                and doc[k].is_title
                and doc[k].lower_ not in role_words
                and doc[k].lower_ not in not_names
                and not doc[k].is_stop
                and not doc[k].is_sent_start
            ):
                k += 1
            # "Bidang Politik dan Keamanan Budi Gunawan": the role goes on after the run, or
            # a person the model found follows shortly: then the run is part of the role
            role_goes_on = k < n and doc[k].lower_ in self.inner_connectors
            person_follows = any(p in persons for p in range(k, min(n, k + 6)))
            # a run of ordinary words goes on naming the office, not a person: "Menteri
            # Pekerjaan Umum dan Perumahan Rakyat", "Dekan Fakultas Kehutanan"
            if k > j and all(is_common_word(doc[x].text) for x in range(j, k)):
                k = j
            if straddle is not None and k < straddle[0].end:
                k = j  # the name must cover the rest of the model's entity
            if (
                k > j
                and not role_goes_on
                and not person_follows
                and (
                    not index
                    or extensions.section_of_token(doc, j, index) not in self.skip_sections
                )
            ):
                found.append(Span(doc, j, k, label=self.person_label))
                taken.update(range(j, k))
                if straddle is not None:
                    splits.append(straddle)
            i = max(k, i + 1)
        # photo credits: "(Xinhua/Javed Dar)", "(ANTARA FOTO/Sigid Kurniawan)": a person's name
        text = extensions.doc_text(doc)
        for match in _CREDIT.finditer(text):
            span = doc.char_span(match.start(1), match.end(1), label=self.person_label)
            if span is not None:
                found.append(span)
                taken.update(range(span.start, span.end))
        if found:
            new = {i for span in found for i in range(span.start, span.end)}
            keep = [e for e in doc.ents if not any(i in new for i in range(e.start, e.end))]
            heads = [Span(doc, head.start, head.end, label=head.label) for _, head in splits]
            doc.ents = filter_spans([*keep, *heads, *found])

    # -- step 0b: one label per name in a document ---------------------------------------------
    def _make_labels_consistent(self, doc: Doc) -> None:
        """A name tagged with different labels in one article gets one label: the gazetteer's
        when it lists the name (``Goa``: LOC, though the model once said PER), else the
        majority label; a tie without gazetteer entry is left alone."""
        by_text: dict[str, Counter[str]] = {}
        for ent in doc.ents:
            by_text.setdefault(_clean(ent.text), Counter())[ent.label_] += 1
        mixed = {text: labels for text, labels in by_text.items() if len(labels) > 1}
        if not mixed:
            return
        table = entry_table(self.gazetteer_files) if self.gazetteer_files else {}
        chosen: dict[str, str] = {}
        for text, labels in mixed.items():
            entry = table.get(text)
            if entry is not None and entry.label in labels:
                chosen[text] = entry.label
                continue
            (first, top), *rest = labels.most_common()
            if not rest or rest[0][1] < top:
                chosen[text] = first
        if chosen:
            doc.ents = [
                Span(doc, e.start, e.end, label=chosen[text])
                if (text := _clean(e.text)) in chosen and chosen[text] != e.label_
                else e
                for e in doc.ents
            ]

    # -- step 0c: later mentions of a person by one name --------------------------------------
    def _propagate_names(self, doc: Doc) -> None:
        """Once a person is named in full (``Sergei Lavrov``), a later capitalised token equal to
        the first or last word of that name and outside any entity is a mention of that person
        (``Lavrov``), unless it is an ordinary word (``Gang`` of ``Qin Gang``) or lies in a
        skipped section."""
        parts: dict[str, int] = {}  # name word -> end of the first full mention
        for ent in doc.ents:
            if ent.label_ not in self.person_labels:
                continue
            words = [t for t in ent if not t.is_space and not t.is_punct]
            if len(words) < 2:
                continue
            for word in (words[0], words[-1]):
                text = word.text
                if len(text) > 2 and text[0].isupper() and not is_common_word(text):
                    parts.setdefault(text, ent.end)
        if not parts:
            return
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        index = extensions.section_index(doc)
        # compare hashes from one column, not a Token object per token
        wanted = {doc.vocab.strings[text]: end for text, end in parts.items()}
        extra = [
            Span(doc, i, i + 1, label=self.person_label)
            for i, orth in enumerate(doc.to_array(ORTH).tolist())
            if orth in wanted
            and i >= wanted[orth]
            and i not in taken
            and not self._skipped(doc, i, index)
        ]
        if extra:
            doc.ents = filter_spans([*doc.ents, *extra])

    # -- step 1: roles inside person spans ---------------------------------------------------
    def _trim_person_roles(self, doc: Doc) -> None:
        ents = list(doc.ents)
        phrases = role_phrases(self.roles_file)
        longest = max(phrases.values(), default=1)
        gazetteer = doc.spans.get(self.gazetteer_key)
        names: dict[int, int] = {}
        name_spans = [s for s in gazetteer or () if s.label_ in self.name_labels]
        for span in name_spans:
            names[span.start] = max(names.get(span.start, 0), span.end)
        inside = _inside(name_spans)
        changed = False
        out: list[Span] = []
        freed: list[tuple[int, int]] = []
        for ent in ents:
            if ent.label_ not in self.person_labels or len(ent) < 2:
                out.append(ent)
                continue
            i = ent.start
            seen_role = False
            while i < ent.end - 1:
                end = _phrase_at(doc, i, min(ent.end - 1, i + longest), phrases, inside)
                if end:
                    i, seen_role = end, True
                    continue
                if not seen_role:
                    break
                name_end = names.get(i, 0)
                if name_end and name_end < ent.end:
                    i = name_end
                    continue
                token = doc[i]
                lower = token.lower_
                if lower in self.connectors or (
                    lower in self.inner_connectors
                    and not _phrase_at(doc, i + 1, ent.end - 1, phrases, inside)
                ):
                    i += 1
                    continue
                if token.is_upper and _is_acronym(token.text) and i + 1 < ent.end:
                    i += 1
                    continue
                break
            # never start the name on a connector or punctuation
            while i < ent.end - 1 and (doc[i].is_punct or doc[i].lower_ in self.connectors):
                i += 1
            if seen_role and i > ent.start and self._looks_like_name(doc[i : ent.end], phrases):
                out.append(Span(doc, i, ent.end, label=ent.label_, kb_id=ent.kb_id_))
                freed.append((ent.start, i))
                changed = True
            else:
                out.append(ent)
        if not changed:
            return
        if self.refill and gazetteer is not None:
            for start, end in freed:
                for span in filter_spans(
                    [s for s in gazetteer if start <= s.start and s.end <= end]
                ):
                    out.append(span)
        doc.ents = filter_spans(out)

    @staticmethod
    def _looks_like_name(rest: Span, phrases: dict[str, int]) -> bool:
        """What is left after trimming can be a name: capitalised, and not made only of role
        words (a model PER on ``Menteri Luar Negeri`` is not trimmed to ``Luar Negeri``)."""
        if not (rest[0].is_title or rest[0].is_upper or not rest[0].is_alpha):
            return False
        words = _role_words(phrases)
        return any(t.lower_ not in words for t in rest if not t.is_space and not t.is_punct)

    # -- step 2: role phrases before persons ---------------------------------------------------
    def _marks(self, doc: Doc, ents: list[Span]) -> _Marks:
        phrases = role_phrases(self.roles_file)
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
        gazetteer = doc.spans.get(self.gazetteer_key)
        names = [e for e in ents if e.label_ in self.name_labels]
        if gazetteer is not None:
            for span in gazetteer:
                if span.label_ in self.name_labels and not any(
                    i in person for i in range(span.start, span.end)
                ):
                    names.append(span)
                    for i in range(span.start, span.end):
                        name_start_of.setdefault(i, span.start)
        inside = _inside(names)
        # role phrases only where a person follows within the window
        starts = sorted(ent.start for ent in ents if ent.label_ in self.person_labels)
        covered: set[int] = set()
        for p in starts:
            for i in range(max(0, p - self.max_role_tokens), p):
                if i in covered:
                    continue
                end = _phrase_at(doc, i, min(p, i + longest), phrases, inside)
                if end:
                    role_end[i] = end
                    for j in range(i, end):
                        role_start_of[j] = i
                        covered.add(j)
        return _Marks(role_end, role_start_of, name_start_of, person)

    def _role_before(self, doc: Doc, start: int, marks: _Marks) -> str | None:
        floor = max(0, start - self.max_role_tokens)
        j = start - 1
        left = start
        while j >= floor:
            token = doc[j]
            if j in marks.person or _starts_sentence(doc, j + 1):
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
        return _clean(doc[head:start].text) or None

    # -- step 3: acronym definitions -----------------------------------------------------------
    def _acronym_definitions(self, doc: Doc) -> dict[str, str]:
        """Surface form -> canonical for the forms linked by bracketed definitions."""
        table = entry_table(self.gazetteer_files) if self.gazetteer_files else {}
        ents = list(doc.ents)
        by_bounds = {(e.start, e.end): e for e in ents}
        occupied = {i for e in ents for i in range(e.start, e.end)}
        new_ents: list[Span] = []
        definitions: dict[str, str] = {}
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
            forms: list[tuple[str, bool]] = [(_clean(ent.text), False)]
            longs = [forms[0][0], *(_clean(doc[a:b].text) for a, b in pieces)]
            for start, end in pieces:
                text = _clean(doc[start:end].text)
                other = by_bounds.get((start, end))
                if other is not None:
                    if other.label_ != ent.label_:
                        continue
                    forms.append((text, True))
                elif (
                    end - start == 1
                    and not person
                    and _short_form(text)
                    and any(_abbreviates(text, long) for long in longs if long != text)
                ):
                    forms.append((text, True))
                    if self.tag_acronyms and start not in occupied:
                        new_ents.append(Span(doc, start, end, label=ent.label_))
                        occupied.add(start)
                elif person and end - start == 1 and doc[start].is_title:
                    forms.append((text, True))
            if len(forms) < 2:
                continue
            chosen = next((table[t].canonical for t, _ in forms if t in table), None)
            if chosen is None:
                outside = forms[0][0]
                if not _short_form(outside) or person:
                    chosen = outside
                else:
                    chosen = next((t for t, _ in forms[1:] if not _short_form(t)), outside)
            for text, _ in forms:
                definitions.setdefault(text, chosen)
        if new_ents:
            doc.ents = filter_spans([*doc.ents, *new_ents])
        if self.tag_acronyms and definitions:
            self._tag_defined_mentions(doc, definitions)
        return definitions

    def _tag_defined_mentions(self, doc: Doc, definitions: dict[str, str]) -> None:
        """Tag the later mentions of a defined single-token acronym that nothing tagged."""
        labels = {_clean(e.text): e.label_ for e in doc.ents if e.label_ not in self.person_labels}
        acronyms = {t for t in definitions if _short_form(t) and t in labels}
        if not acronyms:
            return
        occupied = {i for e in doc.ents for i in range(e.start, e.end)}
        index = extensions.section_index(doc)
        extra = [
            Span(doc, i, i + 1, label=labels[token.text])
            for i, token in enumerate(doc)
            if token.text in acronyms and i not in occupied and not self._skipped(doc, i, index)
        ]
        if extra:
            doc.ents = filter_spans([*doc.ents, *extra])

    def _skipped(self, doc: Doc, i: int, index: list[tuple[int, int, str]]) -> bool:
        return bool(index) and extensions.section_of_token(doc, i, index) in self.skip_sections

    # -- step 5: short person mentions ---------------------------------------------------------
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


#: Names sharing a word with more names than this are not linked (bounds the work on adversarial
#: input; real articles name a few dozen people at most).
_MAX_NAME_POOL = 200


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


def _starts_sentence(doc: Doc, i: int) -> bool:
    return doc.has_annotation("SENT_START") and bool(doc[i].is_sent_start)


def _inside(spans: Iterable[Span]) -> frozenset[int]:
    """The token boundaries strictly inside the spans."""
    return frozenset(k for span in spans for k in range(span.start + 1, span.end))


def _compatible(gazetteer_label: str, label: str) -> bool:
    return gazetteer_label == label or (gazetteer_label == "LOC" and label == "GPE")


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _phrase_at(
    doc: Doc, i: int, limit: int, phrases: dict[str, int], inside: frozenset[int] = frozenset()
) -> int:
    """End of the longest role phrase starting at token ``i`` and ending by ``limit``, or 0.

    ``inside`` holds token boundaries that fall inside a name (the boundary before token k is
    k): a role phrase never ends there (``Anggota Dewan`` + ``Negara`` is ``Anggota`` +
    ``Dewan Negara``)."""
    if i >= limit or not doc[i].is_alpha:
        return 0
    words: list[str] = []
    best = 0
    for j in range(i, limit):
        token = doc[j]
        if token.is_space or token.is_punct:
            break
        words.append(token.lower_)
        if " ".join(words) in phrases and (j + 1) not in inside:
            best = j + 1
    return best


@Language.factory(
    "beritanlp_entity_linker",
    assigns=["doc.ents", "span._.canonical", "span._.role"],
    requires=["doc.ents"],
    default_config={
        "roles": "roles.txt",
        "gazetteer_files": list(DEFAULT_FILES),
        "gazetteer_key": GAZETTEER_KEY,
        "person_labels": ["PER", "PERSON"],
        "name_labels": ["ORG", "LOC", "GPE", "NORP"],
        "connectors": ["sekaligus", "merangkap"],
        "inner_connectors": ["dan", "&"],
        "max_role_tokens": 14,
        "trim_roles": True,
        "refill": True,
        "tag_acronyms": True,
        "link_short_names": True,
        "skip_sections": ["boilerplate"],
        "role_persons": True,
        "max_name_tokens": 4,
        "propagate_names": True,
        "consistent_labels": True,
    },
)
def make_entity_linker(
    nlp: Language,
    name: str,
    roles: str,
    gazetteer_files: list[str],
    gazetteer_key: str,
    person_labels: list[str],
    name_labels: list[str],
    connectors: list[str],
    inner_connectors: list[str],
    max_role_tokens: int,
    trim_roles: bool,
    refill: bool,
    tag_acronyms: bool,
    link_short_names: bool,
    skip_sections: list[str],
    role_persons: bool,
    max_name_tokens: int,
    propagate_names: bool,
    consistent_labels: bool,
) -> EntityLinker:
    """Factory of the ``beritanlp_entity_linker`` component (see :class:`EntityLinker`)."""
    return EntityLinker(
        nlp,
        name,
        roles=roles,
        gazetteer_files=gazetteer_files,
        gazetteer_key=gazetteer_key,
        person_labels=person_labels,
        name_labels=name_labels,
        connectors=connectors,
        inner_connectors=inner_connectors,
        max_role_tokens=max_role_tokens,
        trim_roles=trim_roles,
        refill=refill,
        tag_acronyms=tag_acronyms,
        link_short_names=link_short_names,
        skip_sections=skip_sections,
        role_persons=role_persons,
        max_name_tokens=max_name_tokens,
        propagate_names=propagate_names,
        consistent_labels=consistent_labels,
    )
