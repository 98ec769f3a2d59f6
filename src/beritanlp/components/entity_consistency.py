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
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .. import extensions
from ..resources import read_json, word_set
from .dateline import DatelineParser
from .gazetteer import DEFAULT_FILES, entry_table
from .stemmer import is_common_word

__all__ = ["EntityConsistency", "furniture_regions", "make_entity_consistency"]

FACTORY_NAME = "beritanlp_entity_consistency"


@lru_cache(maxsize=4)
def _furniture_pattern(name: str) -> re.Pattern[str]:
    data = read_json(name)
    return re.compile("|".join(f"(?:{p})" for p in data["patterns"]), re.M)


def furniture_regions(text: str, patterns: str = "furniture.json") -> list[tuple[int, int]]:
    """Character regions of page furniture in ``text`` (sorted, not overlapping)."""
    return [m.span() for m in _furniture_pattern(patterns).finditer(text) if m.end() > m.start()]


@lru_cache(maxsize=4)
def _name_starts(files: tuple[str, ...]) -> frozenset[str]:
    """First words of multi-word gazetteer names (``Bank``, ``Partai``, ``Kota``)."""
    return frozenset(
        name.split()[0] for name in entry_table(files) if " " in name and name[:1].isupper()
    )


class EntityConsistency:
    """spaCy component: the five steps of the module docstring, on ``doc.ents``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        furniture: bool = True,
        furniture_patterns: str = "furniture.json",
        events: bool = True,
        event_words: str = "event_words.txt",
        trim_lower: bool = True,
        dateline: bool = True,
        sentence_start: bool = True,
        everywhere: bool = True,
        person_parts: bool = True,
        min_mentions: int = 2,
        max_name_tokens: int = 8,
        person_label: str = "PER",
        place_label: str = "LOC",
        source_label: str = "ORG",
        gazetteer_files: Iterable[str] = DEFAULT_FILES,
    ) -> None:
        extensions.register()
        self.name = name
        self.furniture = furniture
        self.furniture_patterns = furniture_patterns
        self.events = events
        self.event_words = event_words
        self.trim_lower = trim_lower
        self.dateline = dateline
        self.sentence_start = sentence_start
        self.everywhere = everywhere
        self.person_parts = person_parts
        self.min_mentions = min_mentions
        self.max_name_tokens = max_name_tokens
        self.person_label = person_label
        self.place_label = place_label
        self.source_label = source_label
        self.gazetteer_files = tuple(gazetteer_files)
        self._parser = DatelineParser()

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        text = extensions.doc_text(doc)
        blocked = bytearray(len(doc))  # tokens in furniture: never part of an entity
        if self.furniture:
            for start, end in furniture_regions(text, self.furniture_patterns):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    blocked[span.start : span.end] = b"\x01" * (span.end - span.start)
        ents = [e for e in doc.ents if not any(blocked[e.start : e.end])]
        no_start = bytearray(len(doc))  # tokens no entity may start at (right after an event word)
        if self.events:
            words = word_set(self.event_words, lower=False)
            for token in doc[:-1]:
                if token.text in words:
                    no_start[token.i + 1] = 1
            ents = [e for e in ents if not no_start[e.start]]
        if self.trim_lower:
            ents = [t for t in (self._trim(doc, e) for e in ents) if t is not None]
        if self.dateline:
            ents = self._dateline(doc, text, ents)
        # words the article writes in lower case (one pass, for steps 4 and 5)
        lower_words = (
            {t.text for t in doc if t.is_lower and t.is_alpha}
            if self.sentence_start or self.everywhere
            else set()
        )
        if self.sentence_start:
            ents = self._sentence_start(doc, ents, lower_words)
        if self.everywhere and ents:
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
        spans = self._parser.group_spans(text, region.start_char, region.end_char)
        new: list[Span] = []
        for start, end, kind in spans:
            label = self.source_label if kind == "source" else self.place_label
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
        name_starts = _name_starts(self.gazetteer_files)
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
        table = entry_table(self.gazetteer_files)
        for ent in ents:
            words = tuple(t.orth for t in ent)
            if len(words) > self.max_name_tokens or any(t.is_space for t in ent):
                continue
            if len(ent) == 1 and not self._name_like(ent[0].text):
                continue
            labels.setdefault(words, Counter())[ent.label_] += 1
            if self.person_parts and ent.label_ == self.person_label and len(ent) > 1:
                parts = [t for t in ent if t.is_alpha]
                for token in {parts[0], parts[-1]} if parts else ():
                    if self._name_like(token.text) and token.text not in table:
                        # the name is known (to spread) without adding a vote for its label
                        labels.setdefault((token.orth,), Counter()).setdefault(self.person_label, 0)
        if not labels:
            return ents
        chosen: dict[tuple[int, ...], str] = {}
        for words, counts in labels.items():
            if len(words) == 1 and 0 < sum(counts.values()) < self.min_mentions:
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


@Language.factory(
    FACTORY_NAME,
    assigns=["doc.ents"],
    requires=["doc.ents", "doc.spans"],
    default_config={
        "furniture": True,
        "furniture_patterns": "furniture.json",
        "events": True,
        "event_words": "event_words.txt",
        "trim_lower": True,
        "dateline": True,
        "sentence_start": True,
        "everywhere": True,
        "person_parts": True,
        "min_mentions": 2,
        "max_name_tokens": 8,
        "person_label": "PER",
        "place_label": "LOC",
        "source_label": "ORG",
        "gazetteer_files": list(DEFAULT_FILES),
    },
)
def make_entity_consistency(
    nlp: Language,
    name: str,
    furniture: bool,
    furniture_patterns: str,
    events: bool,
    event_words: str,
    trim_lower: bool,
    dateline: bool,
    sentence_start: bool,
    everywhere: bool,
    person_parts: bool,
    min_mentions: int,
    max_name_tokens: int,
    person_label: str,
    place_label: str,
    source_label: str,
    gazetteer_files: list[str],
) -> EntityConsistency:
    """Factory of :class:`EntityConsistency` (settings: see the module docstring)."""
    return EntityConsistency(
        nlp,
        name,
        furniture=furniture,
        furniture_patterns=furniture_patterns,
        events=events,
        event_words=event_words,
        trim_lower=trim_lower,
        dateline=dateline,
        sentence_start=sentence_start,
        everywhere=everywhere,
        person_parts=person_parts,
        min_mentions=min_mentions,
        max_name_tokens=max_name_tokens,
        person_label=person_label,
        place_label=place_label,
        source_label=source_label,
        gazetteer_files=gazetteer_files,
    )
