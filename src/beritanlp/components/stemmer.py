"""Stems of Indonesian words: PySastrawi, wrapped for news text (``beritanlp_stemmer``).

The component writes ``doc._.stems``: a list with exactly one ``str`` per token, read per token
as ``token._.stem``. The contract:

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
extra roots of ``stem_roots.txt`` and five general corrections of Sastrawi's parses (see
:class:`_FixedSastrawi`); words shorter than ``min_length`` are only lower-cased.

Speed: stems are cached per token form (``token.orth``) and per word in bounded dicts of at most
``cache_size`` entries (the oldest quarter is dropped when full), so a cache hit is one dict
lookup and the component never touches ``Token`` objects on the hot path; ``doc._.stems`` is set
once per doc. :func:`reset_caches` empties every cache. The Sastrawi dictionary is read on first
use, once per process.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources as importlib_resources
from itertools import islice
from typing import Any

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Stemmer import Stemmer as SastrawiStemmer
from spacy.attrs import ORTH, POS, SENT_START
from spacy.lang.id.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .. import extensions
from ..errors import ConfigError, InputTypeError, ResourceError
from ..resources import read_tsv, word_set

__all__ = [
    "DEFAULT_CACHE_SIZE",
    "DEFAULT_ENTITY_LABELS",
    "FACTORY_NAME",
    "Stemmer",
    "is_common_word",
    "make_stemmer",
    "reset_caches",
    "stem",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_stemmer"
DEFAULT_CACHE_SIZE = 200_000
DEFAULT_EXCEPTIONS = "stem_exceptions.tsv"
DEFAULT_ROOTS = "stem_roots.txt"
DEFAULT_MIN_LENGTH = 4
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

_SASTRAWI_DICTIONARY = ("Sastrawi.Stemmer", "data/kata-dasar.txt")
# What Sastrawi can stem safely: lower-case ASCII words, optionally hyphenated. (Sastrawi builds
# regular expressions from word parts, so anything else must not reach it.)
_STEMMABLE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_PARTICLES = ("lah", "kah", "tah", "pun")
_CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")
_NOMINAL_PREFIXES = ("pe", "ke", "ber")
_NO_I_PREFIXES = ("be", "se", "ke")
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
# Sastrawi, with the dictionary loaded once per process


@lru_cache(maxsize=1)
def _kata_dasar() -> frozenset[str]:
    """The root words PySastrawi ships (``Sastrawi/Stemmer/data/kata-dasar.txt``)."""
    package, path = _SASTRAWI_DICTIONARY
    try:
        text = importlib_resources.files(package).joinpath(path).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise ResourceError(
            f"PySastrawi's root dictionary {package.replace('.', '/')}/{path} is missing: the "
            f"PySastrawi installation is broken. Reinstall it with "
            f"`pip install --force-reinstall 'PySastrawi>=1.2'`."
        ) from exc
    words = frozenset(word.strip() for word in text.split("\n") if word.strip())
    logger.debug("loaded %d Sastrawi root words", len(words))
    return words


@lru_cache(maxsize=4)
def _dictionary(roots: str) -> ArrayDictionary:
    """Sastrawi's dictionary plus the extra roots of the data file ``roots`` ("" = none)."""
    words = set(_kata_dasar())
    if roots:
        words.update(word_set(roots))
    dictionary = ArrayDictionary()
    # ArrayDictionary.add_words() checks each word; the set is clean, so fill the dict directly
    dictionary.words = {word: word for word in words}
    return dictionary


@lru_cache(maxsize=8)
def _exceptions(name: str) -> tuple[dict[str, str], frozenset[str]]:
    """(corrections: lower-case form → stem, names: lower-case forms of protected names)."""
    corrections: dict[str, str] = {}
    names: set[str] = set()
    if not name:
        return corrections, frozenset()
    for form, stem_ in read_tsv(name, 2):
        lower = form.lower()
        if stem_ == "=":
            if form != lower:  # a capitalised form marks a proper name
                names.add(lower)
            corrections[lower] = lower
        else:
            corrections[lower] = stem_.lower()
    return corrections, frozenset(names)


class _FixedSastrawi(SastrawiStemmer):  # type: ignore[misc]
    """PySastrawi's stemmer (its plural, clitic and confix handling) with general corrections.

    Sastrawi returns the first dictionary hit of a fixed order of affix removals, which goes
    wrong in a few recurring, rule-describable ways. Each fix below re-parses with Sastrawi's own
    ``Context`` and only ever switches to another *dictionary* root (measured on the UD lemmas
    by ``eval/eval_stemmer.py``; none changes a Sastrawi integration test):

    1. ``-kan`` vs ``-an``: in ``pe-/per-/ke-/ber-`` nouns on a root ending in ``k``, Sastrawi
       strips ``-kan`` and lands on a shorter root: penyelidikan → lidi (selidik), kerusakan →
       rusa (rusak), pergerakan → gera (gerak), pemasukan → pasu (masuk). Nouns take ``-an``,
       not ``-kan``, so the root plus ``k`` (or the parse of the word minus ``-an``) wins.
    2. ``ber-/se-/ke-…-i`` are not Indonesian confixes, yet Sastrawi strips ``-i`` first:
       bernilai → nila, senilai → nila, berapi → rap, bertopi → top. The prefix-only parse wins.
    3. A root that ends in a particle (``-kah``, ``-tah``, ``-lah``, ``-pun``) loses it: menikah
       → meni (nikah), membantah → ban (bantah). A longer prefix-only parse wins.
    4. Sastrawi strips the loan suffix ``-is`` from native roots ending in ``is``: berbasis →
       bas, menipis → tip, menangis → menang. The root plus ``is`` (when that is a root), else a
       prefix-only parse ending in ``is``, wins.
    5. ``-nya`` hides Sastrawi's prefix-first order (``pe-…-i``, ``me-…-i``): penghuninya → hun,
       membelinya → bel, tercapainya → capa. The word without ``-nya`` is stemmed on its own.

    The exceptions file is consulted first, for the word and for the word minus a clitic.
    """

    def __init__(self, dictionary: ArrayDictionary, corrections: dict[str, str], rules: bool):
        super().__init__(dictionary)
        self._corrections = corrections
        self._rules = rules

    def _correction(self, word: str) -> str | None:
        hit = self._corrections.get(word)
        if hit is None and self._corrections and word.endswith(_CLITICS):
            for clitic in _CLITICS:
                if word.endswith(clitic):
                    hit = self._corrections.get(word[: -len(clitic)])
                    if hit is not None:
                        break
        return hit

    def stem_word(self, word: str) -> str:
        hit = self._correction(word)
        return hit if hit is not None else super().stem_word(word)

    def _sastrawi_singular(self, word: str) -> str:
        context = Context(word, self.dictionary, self.visitor_provider)
        context.execute()
        return str(context.result)

    def _prefix_only(self, word: str) -> str | None:
        context = Context(word, self.dictionary, self.visitor_provider)
        context.remove_prefixes()
        current = str(context.current_word)
        return current if current != word and self.dictionary.contains(current) else None

    def stem_singular_word(self, word: str) -> str:
        hit = self._correction(word)
        if hit is not None:
            return hit
        result = self._sastrawi_singular(word)
        if not self._rules or result == word:
            return result
        contains = self.dictionary.contains
        # 5. -nya: stem the rest on its own (with every rule)
        if word.endswith("nya") and len(word) > 6:
            rest = self.stem_singular_word(word[:-3])
            if rest != word[:-3] or contains(rest):
                return rest
        # 1. nominal -an on a root ending in k
        if len(word) > 6 and word.endswith("kan") and word.startswith(_NOMINAL_PREFIXES):
            if contains(result + "k"):
                return result + "k"
            alternative = self._sastrawi_singular(word[:-2])
            if (
                alternative != word[:-2]
                and alternative.endswith("k")
                and len(alternative) > len(result)
                and alternative[:-1].endswith(result[1:])
            ):
                return alternative
        # 2. ber-/se-/ke-...-i are not confixes: keep the -i in the root
        if word.endswith("i") and word.startswith(_NO_I_PREFIXES) and not result.endswith("i"):
            prefix_only = self._prefix_only(word)
            if prefix_only is not None and prefix_only.endswith("i"):
                return prefix_only
        # 3. a root ending in a particle
        if word.endswith(_PARTICLES):
            prefix_only = self._prefix_only(word)
            if (
                prefix_only is not None
                and len(prefix_only) > len(result)
                and prefix_only.endswith(_PARTICLES)
            ):
                return prefix_only
        # 4. a native root ending in -is
        if word.endswith("is"):
            if word.endswith(result[1:] + "is") and contains(result + "is"):
                return result + "is"
            prefix_only = None if result.endswith("is") else self._prefix_only(word)
            if prefix_only is not None and prefix_only.endswith("is"):
                return prefix_only
        return result


@lru_cache(maxsize=8)
def _engine(exceptions: str, roots: str, rules: bool) -> _FixedSastrawi:
    corrections, _ = _exceptions(exceptions)
    return _FixedSastrawi(_dictionary(roots), corrections, rules)


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


def _check_config(
    cache_size: int, min_length: int, exceptions: str, roots: str, labels: Iterable[str]
) -> None:
    if isinstance(cache_size, bool) or not isinstance(cache_size, int) or cache_size < 0:
        raise ConfigError(
            f"cache_size must be an int >= 0 (0 = no cache), got {cache_size!r}. Set e.g. "
            f'nlp.add_pipe("{FACTORY_NAME}", config={{"cache_size": {DEFAULT_CACHE_SIZE}}}).'
        )
    if isinstance(min_length, bool) or not isinstance(min_length, int) or min_length < 1:
        raise ConfigError(
            f"min_length must be an int >= 1 (shorter words are not stemmed), got "
            f'{min_length!r}. Set e.g. config={{"min_length": {DEFAULT_MIN_LENGTH}}}.'
        )
    for key, value in (("exceptions", exceptions), ("roots", roots)):
        if not isinstance(value, str):
            raise ConfigError(
                f"{key} must be the name of a file under beritanlp/data (or '' for none), got "
                f"{value!r}."
            )
    if isinstance(labels, str) or not all(isinstance(label, str) for label in labels):
        raise ConfigError(
            f"protected_entity_labels must be a list of label strings, got {labels!r}. "
            f'Set e.g. config={{"protected_entity_labels": ["PER", "ORG", "LOC"]}}.'
        )


class Stemmer:
    """The ``beritanlp_stemmer`` component (see the module docstring for the contract).

    It can also be used on its own, without a pipeline: ``Stemmer().stem_word("pertemuan")``.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = FACTORY_NAME,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        protect_proper_nouns: bool = True,
        exceptions: str = DEFAULT_EXCEPTIONS,
        roots: str = DEFAULT_ROOTS,
        min_length: int = DEFAULT_MIN_LENGTH,
        fix_rules: bool = True,
        protected_entity_labels: Sequence[str] = DEFAULT_ENTITY_LABELS,
        protected_pos: Sequence[str] = ("PROPN",),
    ) -> None:
        _check_config(cache_size, min_length, exceptions, roots, protected_entity_labels)
        extensions.register()
        self.name = name
        self.cache_size = cache_size
        self.protect_proper_nouns = bool(protect_proper_nouns)
        self.exceptions = exceptions
        self.roots = roots
        self.min_length = min_length
        self.fix_rules = bool(fix_rules)
        self.protected_entity_labels = frozenset(protected_entity_labels)
        # POS tags (from the optional syntax layer) whose words keep their form, as symbol ids
        self.protected_pos = frozenset(get_string_id(tag) for tag in protected_pos)
        self._word_cache: dict[str, str] = {}
        self._form_cache: dict[int, _Entry] = {}
        _instances.add(self)

    # -- word level ----------------------------------------------------------------------------

    @property
    def _sastrawi(self) -> _FixedSastrawi:
        return _engine(self.exceptions, self.roots, self.fix_rules)

    def is_root(self, word: str) -> bool:
        """Whether ``word`` (lower-cased) is a root of the stemming dictionary."""
        return bool(self._sastrawi.dictionary.contains(word.lower()))

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
        if len(lower) < self.min_length or not _STEMMABLE.fullmatch(lower):
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
        _, names = _exceptions(self.exceptions)
        if lower in names:
            return _PROTECT, _PROTECT
        corrections, _ = _exceptions(self.exceptions)
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
            doc._.stems = []
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
        doc._.stems = stems
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


@Language.factory(
    FACTORY_NAME,
    assigns=["doc._.stems", "token._.stem"],
    requires=[],
    default_config={
        "cache_size": DEFAULT_CACHE_SIZE,
        "protect_proper_nouns": True,
        "exceptions": DEFAULT_EXCEPTIONS,
        "roots": DEFAULT_ROOTS,
        "min_length": DEFAULT_MIN_LENGTH,
        "fix_rules": True,
        "protected_entity_labels": list(DEFAULT_ENTITY_LABELS),
        "protected_pos": ["PROPN"],
    },
)
def make_stemmer(
    nlp: Language,
    name: str,
    cache_size: int,
    protect_proper_nouns: bool,
    exceptions: str,
    roots: str,
    min_length: int,
    fix_rules: bool,
    protected_entity_labels: list[str],
    protected_pos: list[str],
) -> Stemmer:
    """spaCy factory of ``beritanlp_stemmer`` (every setting is in ``default_config``)."""
    return Stemmer(
        nlp,
        name,
        cache_size=cache_size,
        protect_proper_nouns=protect_proper_nouns,
        exceptions=exceptions,
        roots=roots,
        min_length=min_length,
        fix_rules=fix_rules,
        protected_entity_labels=protected_entity_labels,
        protected_pos=protected_pos,
    )


@lru_cache(maxsize=1)
def _default_stemmer() -> Stemmer:
    return Stemmer()


def stem(word: str) -> str:
    """The stem of one word with the default settings (see :meth:`Stemmer.stem_word`)."""
    return _default_stemmer().stem_word(word)


def is_common_word(word: str) -> bool:
    """Whether ``word`` is an ordinary Indonesian word: a root of the stemming dictionary, or an
    affixed form of one (``Perumahan`` → ``rumah``). Names mostly are not (``Lavrov``,
    ``Jinping``, ``Gunawan``), though some are (``Budi``, ``Puan``)."""
    stemmer = _default_stemmer()
    lower = word.lower()
    return stemmer.is_root(lower) or stemmer.is_root(stemmer.stem_word(lower))
