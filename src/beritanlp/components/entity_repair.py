"""Entity spans repaired with role phrases and the document's own evidence
(``beritanlp_entity_repair``).

Runs after the NER, the gazetteer and ``entity_consistency``, and writes ``doc.ents`` at most
once, after four steps (each can be switched off):

1. **Persons announced by a role** (``role_persons``). A capitalised name right after a role
   phrase is a person, even when the model missed it: ``Menteri Luar Negeri Rusia Sergei
   Lavrov``, ``Presiden China Xi Jinping``. The role may carry names (``Rusia``, ``Dewan
   Negara``) and connectors (``sekaligus``); the name is 1 to ``max_name_tokens`` title-case
   words outside any entity, not role words, not weekday or month names, and not ordinary words
   only (``Menteri Pekerjaan Umum dan Perumahan Rakyat`` names an office). A photo credit
   (``(Xinhua/Javed Dar)``) names a person too.
2. **One label per name** (``consistent_labels``). A name tagged with different labels in one
   article gets one label: the gazetteer's when it lists the name, else the majority label.
3. **Later mentions by one name** (``propagate_names``). Once a person is named in full
   (``Sergei Lavrov``), a later capitalised token equal to the first or last word of that name
   and outside any entity is a mention of that person (``Lavrov``), unless it is an ordinary word
   (``Gang`` of ``Qin Gang``) or lies in a skipped section.
4. **Role phrases off person spans** (``trim_roles``). A PER entity that starts with a role
   phrase (plus the ORG/LOC names, acronyms and connectors inside the role) is trimmed to the
   name; at least one token always stays. The freed tokens get the gazetteer spans that fit in
   them back (``refill``), so ``Rusia`` in ``Menteri Luar Negeri Rusia`` becomes a LOC entity.

Ordinary words are told from names by the dictionary of :mod:`beritanlp.lexicon`, built from the
``stem_roots`` and ``stem_exceptions`` settings (the stemmer's files by default).

Data files (bundled names or paths of your own): ``roles``, ``stem_roots``,
``stem_exceptions``, ``gazetteer_files``. ``to_disk`` writes ``settings.json`` and their texts;
``from_disk`` reads them back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import extensions
from ..lexicon import (
    DEFAULT_EXCEPTIONS,
    DEFAULT_ROLES,
    DEFAULT_ROOTS,
    Lexicon,
    calendar_words,
    role_words,
)
from ..resources import DataFiles
from .base import Settings, register_factory
from .gazetteer import DEFAULT_FILES, GAZETTEER_KEY
from .shared import (
    CONNECTORS,
    INNER_CONNECTORS,
    NAME_LABELS,
    PERSON_LABELS,
    SKIP_SECTIONS,
    GazetteerTable,
    RolePhrases,
    clean,
    in_skipped_section,
    inside,
    is_acronym,
    phrase_at,
)

__all__ = ["EntityRepair", "EntityRepairSettings", "make_entity_repair"]

# "(Agency/Name)" at the end of a photo caption: the part after the slash names the photographer
_CREDIT = re.compile(
    r"\((?:[A-Z][\w.]*(?: [A-Z][\w.]*){0,2})\s*/\s*"
    r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3})\)"
)

#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("roles", "stem_roots", "stem_exceptions", "gazetteer_files")


@dataclass(frozen=True, slots=True)
class EntityRepairSettings(Settings):
    """Settings of ``beritanlp_entity_repair``."""

    #: the role phrases: a bundled data file name or a path of your own (one phrase a line)
    roles: str = DEFAULT_ROLES
    #: extra roots of the dictionary that tells ordinary words from names ('' for none)
    stem_roots: str = DEFAULT_ROOTS
    #: stem corrections of that dictionary ('' for none)
    stem_exceptions: str = DEFAULT_EXCEPTIONS
    #: the gazetteer files whose labels settle a name's label (bundled names or paths)
    gazetteer_files: tuple[str, ...] = DEFAULT_FILES
    #: the span group of the gazetteer's matches
    gazetteer_key: str = GAZETTEER_KEY
    #: labels of person entities; the first is the label of the persons found here
    person_labels: tuple[str, ...] = PERSON_LABELS
    #: labels of names that can stand inside a role
    name_labels: tuple[str, ...] = NAME_LABELS
    #: words joining two roles of one person
    connectors: tuple[str, ...] = CONNECTORS
    #: words inside one role
    inner_connectors: tuple[str, ...] = INNER_CONNECTORS
    #: section kinds where no entities are added
    skip_sections: tuple[str, ...] = SKIP_SECTIONS
    #: step 1: persons announced by a role, and photo credits
    role_persons: bool = True
    #: the longest name found after a role, in tokens
    max_name_tokens: int = 4
    #: step 2: one label per name in a document
    consistent_labels: bool = True
    #: step 3: later mentions of a person by the first or last word of the name
    propagate_names: bool = True
    #: step 4: role phrases trimmed off person spans
    trim_roles: bool = True
    #: gazetteer names put back into the tokens a trim freed
    refill: bool = True

    def check(self) -> None:
        self.require_strings("person_labels", non_empty=True)
        self.require_int("max_name_tokens", least=1)


class EntityRepair(RolePhrases, GazetteerTable):
    """spaCy component: persons announced by a role, one label per name, later mentions by one
    name, role phrases trimmed off person spans (see the module docstring).

    ``EntityRepair(nlp, name, settings=None, **overrides)``; the data files are read on first
    use. ``to_disk`` writes ``settings.json`` and the data files' texts, ``from_disk`` reads them
    back (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = EntityRepairSettings
    DATA_SETTINGS = _DATA_SETTINGS
    NAME = "entity_repair"
    settings: EntityRepairSettings

    def _install(self, settings: EntityRepairSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self.person_label = settings.person_labels[0]  # the label given to persons found here
        self.person_labels = frozenset(settings.person_labels)
        self.name_labels = frozenset(settings.name_labels)
        self.connectors = frozenset(c.lower() for c in settings.connectors)
        self.inner_connectors = frozenset(c.lower() for c in settings.inner_connectors)
        self.skip_sections = frozenset(settings.skip_sections)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The dictionary that tells ordinary words from names, from the settings' files."""
        files = self.data_files
        s = self.settings
        dictionary = {"roots": files["stem_roots"], "exceptions": files["stem_exceptions"]}
        return Lexicon(s.stem_roots, s.stem_exceptions, files=dictionary)

    def _prepare(self) -> None:
        super()._prepare()
        self.lexicon.stemmer  # noqa: B018  (build now: a damaged file fails here)

    # -- the pipeline step -----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        s = self.settings
        before = list(doc.ents)
        ents = self._add_role_persons(doc, before) if s.role_persons else before
        if ents:
            if s.consistent_labels:
                ents = self._make_labels_consistent(ents)
            if s.propagate_names:
                ents = self._propagate_names(doc, ents)
            if s.trim_roles:
                ents = self._trim_person_roles(doc, ents)
        if ents is not before:
            doc.ents = ents
        return doc

    # -- step 1: persons announced by a role ---------------------------------------------------
    def _add_role_persons(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """The entities with the persons announced by a role and by photo credits added (the
        same list when there are none). See the module docstring, step 1."""
        phrases = self.phrases
        longest = max(phrases.values(), default=1)
        words_of_roles = role_words(phrases)
        not_names = calendar_words()
        is_common_word = self.lexicon.is_common_word
        gazetteer = doc.spans.get(self.settings.gazetteer_key)
        names: dict[int, int] = {}
        known: dict[int, Span] = {}  # gazetteer names by start
        for span in gazetteer or ():
            if span.label_ in self.name_labels:
                names[span.start] = max(names.get(span.start, 0), span.end)
                if span.start not in known or span.end > known[span.start].end:
                    known[span.start] = span
        model_names = {e.start: e for e in ents if e.label_ in self.name_labels}
        for ent in model_names.values():
            names[ent.start] = max(names.get(ent.start, 0), ent.end)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        splits: list[tuple[Span, Span]] = []  # (model entity, its known head) to cut apart
        persons = {ent.start for ent in ents if ent.label_ in self.person_labels}
        index = extensions.section_index(doc)
        found: list[Span] = []
        n = len(doc)
        i = 0
        while i < n:
            token = doc[i]
            if not (token.is_title or token.is_upper) or i in taken:
                i += 1
                continue
            end = phrase_at(doc, i, min(n, i + longest), phrases)
            if not end:
                i += 1
                continue
            j = end
            loose: range = range(0)  # tokens of a model entity that ran on into the name
            straddle: tuple[Span, Span] | None = None
            while j < n:  # the role goes on: more role words, names, connectors
                more = phrase_at(doc, j, min(n, j + longest), phrases)
                if more and doc[j].is_title:
                    j = more
                elif names.get(j, 0) > j:
                    run_on, head = model_names.get(j), known.get(j)
                    if run_on is not None and head is not None and run_on.end > head.end:
                        # the model ran a known name into the person: "China Xi Jinping"/ORG
                        loose, straddle = range(head.end, run_on.end), (run_on, head)
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
                and k - j < self.settings.max_name_tokens
                and (k not in taken or k in loose)
                and doc[k].is_alpha
                and doc[k].is_title
                and doc[k].lower_ not in words_of_roles
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
                and not in_skipped_section(doc, j, index, self.skip_sections)
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
        if not found:
            return ents
        new = {i for span in found for i in range(span.start, span.end)}
        keep = [e for e in ents if not any(i in new for i in range(e.start, e.end))]
        heads = [Span(doc, head.start, head.end, label=head.label) for _, head in splits]
        return filter_spans([*keep, *heads, *found])

    # -- step 2: one label per name in a document ----------------------------------------------
    def _make_labels_consistent(self, ents: list[Span]) -> list[Span]:
        """A name tagged with different labels in one article gets one label: the gazetteer's
        when it lists the name (``Goa``: LOC, though the model once said PER), else the
        majority label; a tie without gazetteer entry is left alone."""
        by_text: dict[str, Counter[str]] = {}
        for ent in ents:
            by_text.setdefault(clean(ent.text), Counter())[ent.label_] += 1
        mixed = {text: labels for text, labels in by_text.items() if len(labels) > 1}
        if not mixed:
            return ents
        table = self.table
        chosen: dict[str, str] = {}
        for text, labels in mixed.items():
            entry = table.get(text)
            if entry is not None and entry.label in labels:
                chosen[text] = entry.label
                continue
            (first, top), *rest = labels.most_common()
            if not rest or rest[0][1] < top:
                chosen[text] = first
        if not chosen:
            return ents
        return [
            Span(e.doc, e.start, e.end, label=chosen[text])
            if (text := clean(e.text)) in chosen and chosen[text] != e.label_
            else e
            for e in ents
        ]

    # -- step 3: later mentions of a person by one name ----------------------------------------
    def _propagate_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Once a person is named in full (``Sergei Lavrov``), a later capitalised token equal to
        the first or last word of that name and outside any entity is a mention of that person
        (``Lavrov``), unless it is an ordinary word (``Gang`` of ``Qin Gang``) or lies in a
        skipped section."""
        is_common_word = self.lexicon.is_common_word
        parts: dict[str, int] = {}  # name word -> end of the first full mention
        for ent in ents:
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
            return ents
        taken = {i for e in ents for i in range(e.start, e.end)}
        index = extensions.section_index(doc)
        # compare hashes from one column, not a Token object per token
        wanted = {doc.vocab.strings[text]: end for text, end in parts.items()}
        extra = [
            Span(doc, i, i + 1, label=self.person_label)
            for i, orth in enumerate(doc.to_array(ORTH).tolist())
            if orth in wanted
            and i >= wanted[orth]
            and i not in taken
            and not in_skipped_section(doc, i, index, self.skip_sections)
        ]
        return filter_spans([*ents, *extra]) if extra else ents

    # -- step 4: role phrases off person spans -------------------------------------------------
    def _trim_person_roles(self, doc: Doc, ents: list[Span]) -> list[Span]:
        phrases = self.phrases
        longest = max(phrases.values(), default=1)
        gazetteer = doc.spans.get(self.settings.gazetteer_key)
        names: dict[int, int] = {}
        name_spans = [s for s in gazetteer or () if s.label_ in self.name_labels]
        for span in name_spans:
            names[span.start] = max(names.get(span.start, 0), span.end)
        within = inside(name_spans)
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
                end = phrase_at(doc, i, min(ent.end - 1, i + longest), phrases, within)
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
                    and not phrase_at(doc, i + 1, ent.end - 1, phrases, within)
                ):
                    i += 1
                    continue
                if token.is_upper and is_acronym(token.text) and i + 1 < ent.end:
                    i += 1
                    continue
                break
            # never start the name on a connector or punctuation
            while i < ent.end - 1 and (doc[i].is_punct or doc[i].lower_ in self.connectors):
                i += 1
            if seen_role and i > ent.start and self._looks_like_name(doc[i : ent.end]):
                out.append(Span(doc, i, ent.end, label=ent.label_, kb_id=ent.kb_id_))
                freed.append((ent.start, i))
                changed = True
            else:
                out.append(ent)
        if not changed:
            return ents
        if self.settings.refill and gazetteer is not None:
            for start, end in freed:
                for span in filter_spans(
                    [s for s in gazetteer if start <= s.start and s.end <= end]
                ):
                    out.append(span)
        return filter_spans(out)

    def _looks_like_name(self, rest: Span) -> bool:
        """What is left after trimming can be a name: capitalised, and not made only of role
        words (a model PER on ``Menteri Luar Negeri`` is not trimmed to ``Luar Negeri``)."""
        if not (rest[0].is_title or rest[0].is_upper or not rest[0].is_alpha):
            return False
        words = role_words(self.phrases)
        return any(t.lower_ not in words for t in rest if not t.is_space and not t.is_punct)


make_entity_repair = register_factory(
    "beritanlp_entity_repair",
    EntityRepairSettings,
    EntityRepair,
    assigns=["doc.ents"],
    requires=["doc.ents"],
)
