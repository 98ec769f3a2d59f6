"""Stems of Indonesian words: PySastrawi, wrapped for news text (``beritanlp_stemmer``).

The component writes ``doc._.beritanlp_stems``: a list with exactly one ``str`` per token, read per
token
as ``token._.beritanlp_stem``. The contract:

* **Common words** get their stem, lower-cased: ``pertemuan`` → ``temu``, ``Penyelidikan`` (at
  the start of a sentence) → ``selidik``, ``negara-negara`` → ``negara``, ``bukunya`` → ``buku``.
  A capitalised word that is a root of the dictionary is a common word too (``Presiden`` →
  ``presiden``), unless it continues a protected name (``Qin Gang``).
* **Protected tokens** keep their **original form, case unchanged**: named entities (when
  ``doc.ents`` is set and the label names a name), words capitalised in mid-sentence that are not
  roots of the dictionary (``Bekasi``, ``Lavrov``, ``Asia-Pasifik``), known names of the
  exceptions file (``Bali``, ``Kediri``, also at the start of a sentence), ALL-CAPS acronyms
  (``SCO``, ``BRICS``), mixed case (``iPhone``, ``Jokowi-JK``), tokens with digits (``1.000``,
  ``4/5``), URLs, e-mail addresses, hashtags and mentions.
* **Punctuation and whitespace** tokens: the token text itself.

At the start of a sentence (``token.is_sent_start`` when sentence boundaries are set, otherwise
the first word of the text, of a line or after ``.``/``!``/``?``; also the first word inside an
opening quote) capitalisation says nothing, so a capitalised word there is stemmed like a common
word unless it is a known name, occurs capitalised in mid-sentence elsewhere in the document, or
looks like a name (no root found, or only a final ``-i`` / initial ``ke-`` stripped: ``Susi``,
``Kediri``); a lower-case occurrence elsewhere in the document makes it a common word again.

Word-level stemming is :meth:`Stemmer.stem_word` (module-level :func:`stem`): PySastrawi's
``Stemmer.stem_word`` on the lower-cased word, with the ``stem_exceptions.tsv`` corrections, the
extra roots of ``stem_roots.txt`` and five general corrections of Sastrawi's parses (the
dictionary and the word stemmer are :mod:`beritanlp.lexicon`'s, built from the ``roots``,
``exceptions`` and ``fix_rules`` settings); words shorter than ``min_length`` are only
lower-cased.

Settings: :class:`StemmerSettings`. ``roots`` and ``exceptions`` name data files, bundled names
or paths of your own (see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves their text with the
component and ``spacy.load`` reads them back from there.

Speed: stems are cached per token form (``token.orth``) and per word in bounded dicts of at most
``cache_size`` entries (the oldest quarter is dropped when full), so a cache hit is one dict
lookup and the component never touches ``Token`` objects on the hot path; ``doc._.beritanlp_stems``
is set
once per doc. :func:`reset_caches` empties every cache. The Sastrawi dictionary is read on first
use, once per process.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any

from spacy.attrs import ORTH, POS, SENT_START
from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from ..errors import InputTypeError
from ..lexicon import (
    DEFAULT_EXCEPTIONS,
    DEFAULT_ROOTS,
    MIN_STEM_LENGTH,
    STEMMABLE,
    Lexicon,
    WordStemmer,
)
from ..resources import DataFiles
from .base import DataFileComponent, Settings, register_factory

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_ENTITY_LABELS",
    "FACTORY_NAME",
    "Stemmer",
    "StemmerSettings",
    "make_stemmer",
    "reset_caches",
    "stem",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_stemmer"
DEFAULT_CACHE_SIZE = 200_000
# Entity labels that name something (the label sets of the Indonesian NER corpora and OntoNotes);
# dates, times, quantities and money are ordinary words and are stemmed.
DEFAULT_ENTITY_LABELS: tuple[str, ...] = (
    "PER",
    "PERSON",
    "ORG",
    "ORGANIZATION",
    "ORGANISATION",
    "LOC",
    "LOCATION",
    "GPE",
    "PLACE",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "WORK_OF_ART",
    "LAW",
)

#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("roots", "exceptions")
_NUMBER_WORDS = frozenset(
    "satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus seribu".split()
)
_TERMINALS = frozenset({".", "!", "?", "…", "...", "?!", "!?", "!!", "??"})
_OPEN_QUOTES = frozenset({'"', "“", "‘", "'", "«", "„"})

# token kinds (cached per form)
_K_OTHER = 0  # punctuation, symbols, whitespace: the text itself
_K_KEEP = 1  # digits, URL, e-mail, hashtag, mention, dotted abbreviation: the text itself
_K_LOWER = 2  # a lower-case word: its stem
_K_TITLE = 3  # a capitalised word: depends on the context
_K_NAMELIKE = 4  # ALL-CAPS or mIxEd case word: the text itself; continues a name

# what to do with a capitalised word, at the start of a sentence and in mid-sentence
_STEM = 0
_PROTECT = 1
_DEFER_STEM = 2  # look at the rest of the document; stem if it says nothing
_DEFER_PROTECT = 3  # look at the rest of the document; protect if it says nothing

# flags of _K_OTHER forms
_F_TERMINAL = 1
_F_OPEN_QUOTE = 2

# form entry: (kind, stem, text, action at sentence start, action in mid-sentence, flags)
_Entry = tuple[int, str, str, int, int, int]

_instances: weakref.WeakSet[Stemmer] = weakref.WeakSet()


# --------------------------------------------------------------------------------------------
# bounded caches


def _store(cache: dict[Any, Any], key: Any, value: Any, max_size: int) -> None:
    """Insert into a bounded cache. When full, the oldest quarter (insertion order) is dropped in
    one go: a hit stays one plain dict lookup (no LRU bookkeeping on the hot path), and batch
    eviction keeps the cost amortised O(1). Eviction takes a lock, so a pipeline shared by
    threads never iterates a dict that another thread is shrinking."""
    if max_size <= 0:
        return
    if len(cache) >= max_size:
        with _EVICTION_LOCK:
            if len(cache) >= max_size:
                drop = max(1, len(cache) - (max_size * 3) // 4)
                for old in list(islice(cache, drop)):
                    cache.pop(old, None)
    cache[key] = value


_EVICTION_LOCK = threading.Lock()


def reset_caches() -> None:
    """Empty the stem caches of every :class:`Stemmer` (and of :func:`stem`)."""
    for instance in list(_instances):
        instance.reset_caches()


# --------------------------------------------------------------------------------------------
# the component


@dataclass(frozen=True, slots=True)
class StemmerSettings(Settings):
    """Settings of ``beritanlp_stemmer`` (and of :class:`Stemmer` on its own)."""

    #: stems cached per token form and per word, at most this many of each (0: no cache)
    cache_size: int = DEFAULT_CACHE_SIZE
    #: keep names, acronyms and capitalised non-roots as written (see the module docstring)
    protect_proper_nouns: bool = True
    #: stem corrections and protected names: a bundled name or a path of your own ('' for none)
    exceptions: str = DEFAULT_EXCEPTIONS
    #: extra roots of the dictionary: a bundled name or a path of your own ('' for none)
    roots: str = DEFAULT_ROOTS
    #: shorter words are only lower-cased
    min_length: int = MIN_STEM_LENGTH
    #: the five general corrections of Sastrawi's parses
    fix_rules: bool = True
    #: entity labels whose tokens keep their form
    protected_entity_labels: tuple[str, ...] = DEFAULT_ENTITY_LABELS
    #: part-of-speech tags (from the optional syntax layer) whose words keep their form
    protected_pos: tuple[str, ...] = ("PROPN",)

    def check(self) -> None:
        self.require_int("cache_size", least=0, note=" (0 = no cache)")
        self.require_int("min_length", least=1, note=" (shorter words are not stemmed)")
        self.require_file(*_DATA_SETTINGS, optional=True)
        self.require_strings("protected_entity_labels", "protected_pos")


class Stemmer(DataFileComponent):
    """The ``beritanlp_stemmer`` component (see the module docstring for the contract).

    It can also be used on its own, without a pipeline: ``Stemmer().stem_word("pertemuan")``,
    ``Stemmer(min_length=5)`` (the settings of :class:`StemmerSettings` as keywords).
    ``to_disk`` writes ``settings.json`` and the two data files' texts; ``from_disk`` reads them
    back (:class:`~beritanlp.components.base.DataFileComponent`).
    """

    SETTINGS = StemmerSettings
    DATA_SETTINGS = _DATA_SETTINGS
    NAME = FACTORY_NAME
    settings: StemmerSettings

    def __init__(
        self,
        nlp: Language | None = None,
        name: str | None = None,
        settings: StemmerSettings | None = None,
        **overrides: Any,
    ) -> None:
        super().__init__(nlp, name, settings, **overrides)
        _instances.add(self)

    def _install(self, settings: StemmerSettings, data: DataFiles | None) -> None:
        """Take ``settings`` and, from a saved pipeline, the data files' texts (else the files
        the settings name are read on first use). Empties the caches."""
        super()._install(settings, data)
        self.cache_size = settings.cache_size
        self.protect_proper_nouns = bool(settings.protect_proper_nouns)
        self.min_length = settings.min_length
        self.protected_entity_labels = frozenset(settings.protected_entity_labels)
        # POS tags (from the optional syntax layer) whose words keep their form, as symbol ids
        self.protected_pos = frozenset(get_string_id(tag) for tag in settings.protected_pos)
        self._word_cache: dict[str, str] = {}
        self._form_cache: dict[int, _Entry] = {}

    def _prepare(self) -> None:
        self.lexicon.stemmer  # noqa: B018  (build now: a missing or damaged file fails here)

    @cached_property
    def lexicon(self) -> Lexicon:
        """The dictionary and the word stemmer, from the settings' files."""
        s, files = self.settings, self.data_files
        return Lexicon(s.roots, s.exceptions, rules=s.fix_rules, files=files)

    # -- word level ----------------------------------------------------------------------------

    @property
    def _sastrawi(self) -> WordStemmer:
        return self.lexicon.stemmer

    def is_root(self, word: str) -> bool:
        """Whether ``word`` (lower-cased) is a root of the stemming dictionary."""
        return self.lexicon.is_root(word)

    def stem_word(self, word: str) -> str:
        """The stem of one word, lower-cased (``"Pertemuan"`` → ``"temu"``).

        No context is used: names are left alone only if the exceptions file knows them
        (``"Bali"`` → ``"bali"``). Words shorter than ``min_length`` and anything that is not a
        (hyphenated) word of ASCII letters come back lower-cased, unchanged.
        """
        if not isinstance(word, str):
            raise InputTypeError(
                f"stem_word() takes one word as a str, got {type(word).__name__}. "
                f"Pass a token's text, e.g. stem_word('pertemuan')."
            )
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        lower = word.lower()
        if len(lower) < self.min_length or not STEMMABLE.fullmatch(lower):
            result = lower
        else:
            result = self._sastrawi.stem_word(lower)
        _store(self._word_cache, word, result, self.cache_size)
        return result

    def reset_caches(self) -> None:
        """Empty this stemmer's caches."""
        self._word_cache.clear()
        self._form_cache.clear()

    # -- form analysis (cached per form) -----------------------------------------------------

    def _analyse(self, text: str) -> _Entry:
        if not any(char.isalnum() for char in text):
            flags = 0
            if text in _TERMINALS or "\n" in text:
                flags |= _F_TERMINAL
            if text in _OPEN_QUOTES:
                flags |= _F_OPEN_QUOTE
            return (_K_OTHER, text, text, _STEM, _STEM, flags)
        # Only (hyphenated) alphabetic words are stemmed. Everything else is kept as written:
        # numbers and dates (1.000, 4/5), URLs and e-mail addresses (a token with like_url or
        # like_email always has a "." or "@"), hashtags and mentions, "Jum'at", "Jl.".
        if not all(part.isalpha() for part in text.split("-")):
            return (_K_KEEP, text, text, _STEM, _STEM, 0)
        lower = text.lower()
        if text == lower:
            return (_K_LOWER, self.stem_word(text), text, _STEM, _STEM, 0)
        stem_ = self.stem_word(lower)
        if not self.protect_proper_nouns:
            return (_K_LOWER, stem_, text, _STEM, _STEM, 0)
        if not (text[0].isupper() and (text[1:] == text[1:].lower() or text.istitle())):
            return (_K_NAMELIKE, text, text, _PROTECT, _PROTECT, 0)
        return (_K_TITLE, stem_, text, *self._title_actions(lower, stem_), 0)

    def _title_actions(self, lower: str, stem_: str) -> tuple[int, int]:
        """(at sentence start, in mid-sentence) for a capitalised word."""
        if lower in self.lexicon.names:
            return _PROTECT, _PROTECT
        corrections = self.lexicon.corrections
        hyphenated = "-" in lower
        common = (not hyphenated and self._sastrawi.dictionary.contains(lower)) or (
            lower in STOP_WORDS
        )
        middle = _STEM if common else _PROTECT
        if common or lower in corrections:
            return _STEM, middle
        if stem_ == lower:  # no root found: an unknown word, likely a name
            return _DEFER_PROTECT, middle
        if lower == stem_ + "i" or (lower == "ke" + stem_ and stem_ not in _NUMBER_WORDS):
            return _DEFER_PROTECT, middle  # Susi, Bali, Bekasi; Kediri
        return _DEFER_STEM, middle

    # -- the component ---------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            doc._.beritanlp_stems = []
            return doc
        strings = doc.vocab.strings
        cache = self._form_cache
        size = self.cache_size
        orths: list[int] = doc.to_array(ORTH).tolist()
        entries: list[_Entry] = []
        append = entries.append
        for orth in orths:
            entry = cache.get(orth)
            if entry is None:
                entry = self._analyse(strings[orth])
                _store(cache, orth, entry, size)
            append(entry)
        stems = [entry[1] for entry in entries]

        entity = self._entity_mask(doc, n)
        if entity is not None:
            for i, entry in enumerate(entries):
                if entity[i] and entry[0] in (_K_LOWER, _K_TITLE):
                    stems[i] = entry[2]

        titles = [i for i, entry in enumerate(entries) if entry[0] == _K_TITLE]
        if titles:
            self._resolve_titles(doc, orths, entries, stems, titles, entity)
        doc._.beritanlp_stems = stems
        return doc

    def _entity_mask(self, doc: Doc, n: int) -> bytearray | None:
        """Tokens kept as they are: inside a protected entity, or tagged ``PROPN`` by the
        optional syntax layer (``load(syntax="stanza")``)."""
        if not self.protect_proper_nouns:
            return None
        mask: bytearray | None = None
        if doc.has_annotation("ENT_IOB"):
            labels = self.protected_entity_labels
            for ent in doc.ents:
                if ent.label_ in labels:
                    if mask is None:
                        mask = bytearray(n)
                    mask[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
        if self.protected_pos and doc.has_annotation("POS"):
            pos = doc.to_array(POS).tolist()
            for i, value in enumerate(pos):
                if value in self.protected_pos:
                    if mask is None:
                        mask = bytearray(n)
                    mask[i] = 1
        return mask

    def _resolve_titles(
        self,
        doc: Doc,
        orths: list[int],
        entries: list[_Entry],
        stems: list[str],
        titles: list[int],
        entity: bytearray | None,
    ) -> None:
        """Decide every capitalised word (the only tokens whose stem depends on context)."""
        sent_starts: list[int] | None = None
        if doc.has_annotation("SENT_START"):
            sent_starts = doc.to_array(SENT_START).tolist()
        n = len(entries)
        protected = bytearray(n)  # capitalised words kept as they are (names continue)
        chained = bytearray(n)  # stemmed mid-sentence roots that would continue a name
        deferred: list[tuple[int, int]] = []
        mid_names: set[int] = set()
        for i in titles:
            entry = entries[i]
            if entity is not None and entity[i]:
                protected[i] = 1
                continue
            if self._is_initial(doc, i, entries, sent_starts):
                action = entry[3]
            else:
                action = entry[4]
                if action == _PROTECT:
                    mid_names.add(orths[i])
                elif i and (protected[i - 1] or entries[i - 1][0] == _K_NAMELIKE):
                    action = _PROTECT  # Qin Gang, PT Bank Mandiri: a root inside a name
                else:
                    chained[i] = 1
            if action == _PROTECT:
                protected[i] = 1
                stems[i] = entry[2]
            elif action != _STEM:
                deferred.append((i, action))
        if not deferred:
            return
        present = set(orths)
        for i, action in deferred:
            text = entries[i][2]
            if orths[i] in mid_names:
                keep = True  # capitalised in mid-sentence elsewhere in this document
            elif get_string_id(text.lower()) in present:
                keep = False  # also written lower-case in this document: a common word
            else:
                keep = action == _DEFER_PROTECT
            if not keep:
                continue
            stems[i] = text
            protected[i] = 1
            j = i + 1
            while j < n and chained[j]:  # a name continues with capitalised roots
                stems[j] = entries[j][2]
                chained[j] = 0
                j += 1

    @staticmethod
    def _is_initial(doc: Doc, i: int, entries: list[_Entry], sent_starts: list[int] | None) -> bool:
        """Whether token ``i`` is the first word of its sentence (or of a quotation)."""
        j = i
        while True:
            if sent_starts is not None and sent_starts[j] == 1:
                return True
            j -= 1
            if j < 0:
                return True
            kind, _, _, _, _, flags = entries[j]
            if kind != _K_OTHER:
                return False
            if flags & _F_OPEN_QUOTE and not doc[j].whitespace_:
                return True
            if sent_starts is None and flags & _F_TERMINAL:
                return True


make_stemmer = register_factory(
    FACTORY_NAME,
    StemmerSettings,
    Stemmer,
    assigns=["doc._.beritanlp_stems", "token._.beritanlp_stem"],
    requires=[],
)


@lru_cache(maxsize=1)
def _default_stemmer() -> Stemmer:
    return Stemmer()


def stem(word: str) -> str:
    """The stem of one word with the default settings (see :meth:`Stemmer.stem_word`)."""
    return _default_stemmer().stem_word(word)
