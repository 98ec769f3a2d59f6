"""Word knowledge of Indonesian news text, shared by the tokenizer and the components.

* **The dictionary** (:class:`Lexicon`): the root words PySastrawi ships
  (``Sastrawi/Stemmer/data/kata-dasar.txt``) plus the extra roots of a data file
  (``stem_roots.txt``), and the stem corrections and protected names of ``stem_exceptions.tsv``.
  With them: word stemming (Sastrawi with five general corrections, :class:`WordStemmer`) and the
  test for ordinary words, :meth:`Lexicon.is_common_word` (``Perumahan`` → ``rumah``: ordinary;
  ``Lavrov``: a name).
* **Role phrases** (``roles.txt``): :func:`role_phrases`, :func:`parse_role_phrases`,
  :func:`role_words`.
* **Calendar words**: weekday and month names (:func:`calendar_words`).

Data files are named as everywhere in beritanlp (:mod:`beritanlp.resources`): a bundled name
(``stem_roots.txt``) or a path of your own; a :class:`Lexicon` can also be built from the texts a
saved pipeline carries (``files=``). Everything is read on first use and cached by content, so
building a ``Lexicon`` reads nothing.

This module sits beside ``resources`` and ``lang`` below the components: the tokenizer
(``glued.py``) and every component that tells ordinary words from names use it, and a component
gets its own :class:`Lexicon` from its settings (the file names) when it is built.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources as importlib_resources

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Context.Context import Context
from Sastrawi.Stemmer.Stemmer import Stemmer as SastrawiStemmer

from .errors import ResourceError
from .resources import DataFile, parse_lines, parse_tsv, read_data_files, read_json, read_text

__all__ = [
    "DEFAULT_EXCEPTIONS",
    "DEFAULT_ROLES",
    "DEFAULT_ROOTS",
    "MIN_STEM_LENGTH",
    "Lexicon",
    "WordStemmer",
    "calendar_words",
    "default_lexicon",
    "is_common_word",
    "parse_role_phrases",
    "role_phrases",
    "role_words",
]

logger = logging.getLogger(__name__)

#: The extra roots added to Sastrawi's dictionary (a bundled name or a path).
DEFAULT_ROOTS = "stem_roots.txt"
#: Stem corrections and protected names (``form<TAB>stem``, ``=`` keeps the form).
DEFAULT_EXCEPTIONS = "stem_exceptions.tsv"
#: Role and title phrases (``Menteri Luar Negeri``), one per line.
DEFAULT_ROLES = "roles.txt"
#: Words shorter than this are not stemmed (only lower-cased).
MIN_STEM_LENGTH = 4

_SASTRAWI_DICTIONARY = ("Sastrawi.Stemmer", "data/kata-dasar.txt")
# What Sastrawi can stem safely: lower-case ASCII words, optionally hyphenated. (Sastrawi builds
# regular expressions from word parts, so anything else must not reach it.)
STEMMABLE = re.compile(r"[a-z]+(?:-[a-z]+)*")
_PARTICLES = ("lah", "kah", "tah", "pun")
_CLITICS = ("nya", "lah", "kah", "pun", "ku", "mu")
_NOMINAL_PREFIXES = ("pe", "ke", "ber")
_NO_I_PREFIXES = ("be", "se", "ke")


# -- the dictionary -------------------------------------------------------------------------------
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
    """Sastrawi's dictionary plus the extra roots of the text ``roots`` (one per line)."""
    words = set(_kata_dasar())
    words.update(line.lower() for line in parse_lines(roots))
    dictionary = ArrayDictionary()
    # ArrayDictionary.add_words() checks each word; the set is clean, so fill the dict directly
    dictionary.words = {word: word for word in words}
    return dictionary


@lru_cache(maxsize=8)
def _exceptions(text: str, where: str) -> tuple[dict[str, str], frozenset[str]]:
    """(corrections: lower-case form → stem, names: lower-case forms of protected names)."""
    corrections: dict[str, str] = {}
    names: set[str] = set()
    for form, stem_ in parse_tsv(text, where, 2) if text else ():
        lower = form.lower()
        if stem_ == "=":
            if form != lower:  # a capitalised form marks a proper name
                names.add(lower)
            corrections[lower] = lower
        else:
            corrections[lower] = stem_.lower()
    return corrections, frozenset(names)


class WordStemmer(SastrawiStemmer):  # type: ignore[misc]
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
def _word_stemmer(roots: str, exceptions: str, where: str, rules: bool) -> WordStemmer:
    corrections, _ = _exceptions(exceptions, where)
    return WordStemmer(_dictionary(roots), corrections, rules)


#: How many words' "ordinary word?" answers a :class:`Lexicon` keeps.
_COMMON_CACHE = 65_536


class Lexicon:
    """The dictionary of roots and the stem corrections: stemming and the ordinary-word test.

    ``roots`` and ``exceptions`` name the data files (bundled names or paths; ``""``: none);
    ``files`` gives their texts instead (``{"roots": (DataFile,), "exceptions": (...)}``, as a
    saved pipeline carries them). Nothing is read before the first use; a lexicon with the same
    file contents shares the dictionary and the stemmer with every other one.
    """

    def __init__(
        self,
        roots: str = DEFAULT_ROOTS,
        exceptions: str = DEFAULT_EXCEPTIONS,
        *,
        rules: bool = True,
        files: Mapping[str, tuple[DataFile, ...]] | None = None,
    ) -> None:
        self.roots = roots
        self.exceptions = exceptions
        self.rules = bool(rules)
        self._files = dict(files) if files is not None else None
        self._stemmer: WordStemmer | None = None
        self._names: frozenset[str] | None = None
        self._corrections: dict[str, str] | None = None
        self.is_common_word = lru_cache(maxsize=_COMMON_CACHE)(self._is_common_word)

    @property
    def files(self) -> dict[str, tuple[DataFile, ...]]:
        """The data files (``"roots"``, ``"exceptions"``), read on first use."""
        if self._files is None:
            self._files = read_data_files({"roots": self.roots, "exceptions": self.exceptions})
        return self._files

    def _text(self, key: str) -> tuple[str, str]:
        found = self.files.get(key, ())
        return (found[0].text, found[0].where) if found else ("", "")

    def _load(self) -> WordStemmer:
        roots, _ = self._text("roots")
        exceptions, where = self._text("exceptions")
        self._corrections, self._names = _exceptions(exceptions, where)
        self._stemmer = _word_stemmer(roots, exceptions, where, self.rules)
        return self._stemmer

    @property
    def stemmer(self) -> WordStemmer:
        """Sastrawi with the corrections (built on first use)."""
        return self._stemmer if self._stemmer is not None else self._load()

    @property
    def corrections(self) -> dict[str, str]:
        """The exceptions file: lower-case form → stem (the form itself for ``=``)."""
        if self._corrections is None:
            self._load()
        assert self._corrections is not None
        return self._corrections

    @property
    def names(self) -> frozenset[str]:
        """Lower-case forms the exceptions file marks as names (a capitalised form with ``=``)."""
        if self._names is None:
            self._load()
        assert self._names is not None
        return self._names

    def is_root(self, word: str) -> bool:
        """Whether ``word`` (lower-cased) is a root of the dictionary."""
        return bool(self.stemmer.dictionary.contains(word.lower()))

    def stem(self, word: str, min_length: int = MIN_STEM_LENGTH) -> str:
        """The stem of one word, lower-cased; words shorter than ``min_length`` and anything that
        is not a (hyphenated) word of ASCII letters come back lower-cased, unchanged."""
        lower = word.lower()
        if len(lower) < min_length or not STEMMABLE.fullmatch(lower):
            return lower
        return str(self.stemmer.stem_word(lower))

    def _is_common_word(self, word: str) -> bool:
        """Whether ``word`` is an ordinary Indonesian word: a root of the dictionary, or an
        affixed form of one (``Perumahan`` → ``rumah``). Names mostly are not (``Lavrov``,
        ``Jinping``, ``Gunawan``), though some are (``Budi``, ``Puan``). Cached per word."""
        lower = word.lower()
        return self.is_root(lower) or self.is_root(self.stem(lower))


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon of the bundled data files (shared by the tokenizer's glued-word rules)."""
    return Lexicon()


def is_common_word(word: str) -> bool:
    """:meth:`Lexicon.is_common_word` of the bundled dictionary (:func:`default_lexicon`)."""
    return bool(default_lexicon().is_common_word(word))


# -- role phrases ---------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def parse_role_phrases(text: str) -> dict[str, int]:
    """The role phrases of a roles text, lower-cased, white space collapsed (phrase → number of
    words). The dict is shared between callers: do not change it."""
    return {" ".join(line.lower().split()): len(line.split()) for line in parse_lines(text)}


def role_phrases(name: str = DEFAULT_ROLES) -> dict[str, int]:
    """:func:`parse_role_phrases` of the roles file ``name`` (a bundled name or a path)."""
    return parse_role_phrases(read_text(name))


@lru_cache(maxsize=8)
def _role_words(key: frozenset[str]) -> frozenset[str]:
    return frozenset(word for phrase in key for word in phrase.split())


def role_words(phrases: Mapping[str, int]) -> frozenset[str]:
    """Every word of the role phrases (lower case)."""
    return _role_words(frozenset(phrases))


# -- calendar words -------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Weekday and month names and month abbreviations (lower case), from the dates data file
    (``dates_id.json``): never part of a name."""
    data = read_json("dates_id.json")
    words: set[str] = set()
    for names in data["weekdays"].values():
        words.update(names)
    for entry in data["months"].values():
        words.update(entry["names"])
        words.update(a.rstrip(".") for a in entry["abbreviations"])
    return frozenset(w.lower() for w in words)
