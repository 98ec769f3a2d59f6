"""The Indonesian news tokenizer and the blank ``Language`` beritanlp builds on.

spaCy's ``id`` language is the base: its prefixes, suffixes, stop words and lexical attributes are
kept. Three things change, each for news text and for speed:

* **Hyphenated words stay whole.** spaCy splits ``a-b`` and then re-joins ~15,600 reduplications
  (``negara-negara``) through tokenizer exceptions; building those exceptions is what makes
  ``spacy.blank("id")`` take seconds. We simply do not split a single ``-`` between letters, so
  ``negara-negara``, ``Asia-Pasifik``, ``Bangsa-Bangsa`` and ``Jokowi-JK`` (as the Indonesian NER
  corpora tokenise it) are one token each, with no exception table at all. Dashes used as
  separators (``–``, ``—``, ``--``) still split, glued or not (``JAKARTA–Presiden``).
* **Dates stay whole.** ``4/5`` and ``10/5/2023`` are single tokens (spaCy ``id`` splits digits
  around ``/``), which the date components rely on.
* **Glued words split** (``dariCarscoops``, ``kepadaAFPbahwa``, ``PresidenPrabowoSubianto``):
  :class:`NewsTokenizer` splits them after spaCy's rules, where ``glued.py`` finds clear evidence,
  keeping the text and offsets.
* **Glued sentences split.** Scrapers drop the space after a period (``menguntungkan.Dalam``,
  ``(SCO).Dalam``, ``2023.Presiden``, ``AS.Menteri``, ``90%.Desa``, ``2007."Kami``,
  ``Yogyakarta.(ANTARA``); the period becomes its own token so the sentence segmenter can see
  it. Known abbreviations (``data/abbreviations.txt``) stay one token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, CONCAT_QUOTES
from spacy.lang.id import Indonesian
from spacy.lang.id.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.lang.tokenizer_exceptions import URL_MATCH
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from . import glued
from .resources import read_lines

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "TOKENIZER_NAME",
    "NewsTokenizer",
    "blank",
    "create_news_tokenizer",
    "infixes",
    "split_glued",
]

TOKENIZER_NAME = "beritanlp.news_tokenizer.v1"

_DASHES = r"(?:--+|–|—|―)"


def infixes() -> list[str]:
    """The infix patterns of the news tokenizer (see the module docstring for the choices)."""
    return [
        r"\.\.+",
        r"…",
        # arithmetic between digits (2019-2024, 3+4); not "/" (dates stay whole)
        r"(?<=[0-9])[+\-\*^](?=[0-9-])",
        # glued sentences: lower-case or closing bracket/quote, period, upper-case or quote
        rf"(?<=[{ALPHA_LOWER}{CONCAT_QUOTES}])\.(?=[{ALPHA_UPPER}{CONCAT_QUOTES}])",
        rf"(?<=[{ALPHA}0-9])[)\]](?=\.[{ALPHA_UPPER}])",
        rf"(?<=[)\]])\.(?=[{ALPHA_UPPER}])",
        rf"(?<=[0-9%°²])\.(?=[{ALPHA_UPPER}][{ALPHA_LOWER}]|[\"“])",
        rf"(?<=[{ALPHA_UPPER}]{{2}})\.(?=[{ALPHA_UPPER}][{ALPHA_LOWER}])",
        rf"(?<=[{ALPHA_LOWER}])\.(?=\()",
        # ... and the quote or bracket after such a period (infix pieces get no prefix pass)
        rf"(?<=[{ALPHA}0-9%)]\.)[\"“(](?=[{ALPHA}])",
        # glued sentence ends with ? and !
        rf"(?<=[{ALPHA_LOWER}])[?!]+(?=[{ALPHA_UPPER}])",
        rf"(?<=[{ALPHA}]),(?=[{ALPHA}])",
        # brackets glued to words by scraping: Indonesia(BI), Kemendagri)dalam
        rf"(?<=[{ALPHA}0-9])\((?=[{ALPHA}0-9])",
        rf"(?<=[{ALPHA}0-9])\)(?=[{ALPHA}])",
        # a single hyphen glued after an outlet's domain (KOMPAS.com-Mauricio, detik.com-Jakarta)
        rf"(?:(?<=\.com)|(?<=\.id)|(?<=\.net)|(?<=\.co))-(?=[{ALPHA}])",
        # separator dashes, glued on either side (not a single hyphen: compounds stay whole)
        rf"(?<=[{ALPHA}0-9).,])(?:{_DASHES})(?=[{ALPHA}0-9(\"'‘“])",
        rf"(?<=[{ALPHA}0-9])[:<>=/](?=[{ALPHA}])",
        rf"(?<=[{ALPHA}])/(?=[0-9])",
        rf"(?<=[0-9])%(?=[{ALPHA}0-9/])",
        rf"(?<=[{ALPHA})][.,'])[\"—](?=[{ALPHA}])",
    ]


_INVISIBLE = "[\u200b\u200c\u200d\u2060\ufeff]"  # zero-width characters left by scraping


def _suffixes() -> list[str]:
    # a glued dash at the end ("Jakarta-", "JAKARTA--") is a suffix; spaCy id already has [—-]
    return [*TOKENIZER_SUFFIXES, _DASHES, _INVISIBLE]


def _prefixes() -> list[str]:
    # a single hyphen glued before a name, after a dateline ("Jakarta -Meghan Markle")
    return [*TOKENIZER_PREFIXES, _DASHES, _INVISIBLE, r"-(?=[A-Z][a-z])"]


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, list[dict[int, str]]]:
    rules: dict[str, list[dict[int, str]]] = {
        key: value
        for key, value in Indonesian.Defaults.tokenizer_exceptions.items()
        if "-" not in key  # the reduplications: hyphenated words are never split here
    }
    for abbreviation in read_lines("abbreviations.txt"):
        rules[abbreviation] = [{ORTH: abbreviation}]
    return rules


@registry.tokenizers(TOKENIZER_NAME)
def create_news_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy registry entry: ``[nlp.tokenizer] @tokenizers = "beritanlp.news_tokenizer.v1"``."""

    def make_tokenizer(nlp: Language) -> NewsTokenizer:
        return NewsTokenizer(
            Tokenizer(
                nlp.vocab,
                rules=_exceptions(),
                prefix_search=compile_prefix_regex(_prefixes()).search,
                suffix_search=compile_suffix_regex(_suffixes()).search,
                infix_finditer=compile_infix_regex(infixes()).finditer,
                url_match=URL_MATCH,
            )
        )

    return make_tokenizer


class NewsTokenizer:
    """spaCy's rule tokenizer, then glued words from scraping split (``glued.py``).

    ``dariCarscoops`` becomes ``dari`` + ``Carscoops`` with no whitespace between them, so
    ``doc.text`` and every offset are unchanged. Documents without a glued word (most) are returned
    as spaCy's tokenizer made them. Serialisation is the wrapped tokenizer's, so a pipeline saved
    with ``nlp.to_disk`` loads as before.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        if _LONG_RUN.search(text):
            doc = self._guarded(text)
        else:
            doc = self.tokenizer(text)
        return split_glued(doc)

    def _guarded(self, text: str) -> Doc:
        """Tokenize a text holding very long runs without whitespace (``((((…``, ``“““…``).

        spaCy strips prefixes and suffixes one at a time, copying the rest of the token each
        time: quadratic in the token's length. Such runs are cut here, linearly, into words and
        single punctuation marks (what spaCy would make of them); the text between them goes
        through spaCy's tokenizer as usual. The text and every offset stay the same.
        """
        words: list[str] = []
        spaces: list[bool] = []
        last = 0
        for match in _LONG_RUN.finditer(text):
            self._spacy_part(text[last : match.start()], words, spaces)
            run = match.group()
            if run[0].isspace():  # a long run of spaces: whitespace tokens of bounded length
                pieces = _WHITE_PIECES.findall(run)
            else:
                pieces = [run] if URL_MATCH(run) else _RUN_PIECES.findall(run)
            for piece in pieces:
                if piece[0].isspace() or len(pieces) == 1 or not any(c.isalnum() for c in piece):
                    words.append(piece)  # whitespace, a URL, or a run of marks (`((((`)
                    spaces.append(False)
                    continue
                for token in self.tokenizer(piece):  # at most MAX_RUN characters: cheap
                    words.append(token.text)
                    spaces.append(bool(token.whitespace_))
            last = match.end()
        self._spacy_part(text[last:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _spacy_part(self, part: str, words: list[str], spaces: list[bool]) -> None:
        if not part:
            return
        if words and not spaces[-1] and part[0] == " ":
            spaces[-1] = True  # the space after a long run belongs to its last piece
            part = part[1:]
            if not part:
                return
        for token in self.tokenizer(part):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:  # rules, explain, to_bytes ... of the wrapped one
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        self.tokenizer.to_disk(path, **kwargs)

    def from_disk(self, path: Any, **kwargs: Any) -> NewsTokenizer:
        self.tokenizer.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data: bytes, **kwargs: Any) -> NewsTokenizer:
        self.tokenizer.from_bytes(data, **kwargs)
        return self


#: Runs without whitespace longer than this are cut by ``NewsTokenizer._guarded`` (no real word
#: is this long; a URL stays one token). spaCy's cost on one run grows with its square: at 100
#: characters it is about 3 ms, so a text made only of such runs stays near 3 s per 100,000.
MAX_RUN = 100
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}|[^\S\n]{{{MAX_RUN + 1},}}")
_WHITE_PIECES = re.compile(rf"[^\S\n]{{1,{MAX_RUN}}}")
# pieces of at most MAX_RUN characters, ending at a mark where there is one (so words and dates
# stay whole); each piece then goes through spaCy's tokenizer, except runs of marks (`((((`,
# `“““`), which stay one token each: a token per character would make the NER model read
# 100,000 tokens per 100,000 characters of brackets
_RUN_PIECES = re.compile(rf"[^\w\s]{{1,{MAX_RUN}}}|\S{{0,{MAX_RUN - 1}}}[^\w\s]|\S{{1,{MAX_RUN}}}")

_NAME_DIGITS = re.compile(r"[A-Z][a-z]{2,}[0-9]{1,2}\Z")


def _worth_a_look(text: str) -> bool:
    """Could ``glued.split_points`` (or the two cases below) split this token? Only a token with
    a lower-case letter and a case change or a mark in it can be glued; most tokens are not."""
    if len(text) < 4 or text.islower() or not any(c.islower() for c in text):
        return False
    if _NAME_DIGITS.match(text):
        return True
    if text[0].isupper() and text[1:].islower():
        return len(text) >= 8 and text.isalpha()
    return True


def split_glued(doc: Doc) -> Doc:
    """``doc`` with its glued tokens split (a new ``Doc`` only when something is split).

    One pass collects the capitalised words the document uses on their own (evidence for
    ``glued.split_points``) and the few tokens worth a look; only those are examined."""
    doc_words: set[str] = set()
    todo: list[int] = []
    for token in doc:
        text = token.text
        if len(text) >= 3 and text[0].isupper() and text.isalpha():
            doc_words.add(text)
        if _worth_a_look(text):
            todo.append(token.i)
    splits: dict[int, list[int]] = {}
    for i in todo:
        points = _split_token(doc[i].text, doc_words)
        if points:
            splits[i] = points
    if not splits:
        return doc
    words: list[str] = []
    spaces: list[bool] = []
    for token in doc:
        text = token.text
        last = 0
        for point in splits.get(token.i, ()):
            words.append(text[last:point])
            spaces.append(False)
            last = point
        words.append(text[last:])
        spaces.append(bool(token.whitespace_))
    return Doc(doc.vocab, words=words, spaces=spaces)


def _split_token(text: str, doc_words: set[str]) -> list[int]:
    """Where one token is split: ``glued.split_points``, a list number glued on, or a glued word
    behind leading punctuation."""
    points = glued.split_points(text, doc_words)
    if not points and _NAME_DIGITS.match(text):
        points = [len(text.rstrip("0123456789"))]  # a list number glued on: "Fei9", "Hua11"
    if not points and len(text) > 4 and not text[0].isalnum():
        # punctuation glued in front of a glued word: "-Opporesmi" (after a dateline dash)
        lead = len(text) - len(text.lstrip("-–—\"“'‘(,"))
        if 0 < lead < len(text) and text[lead:].isalpha():
            inner = glued.split_points(text[lead:], doc_words)
            if inner:
                points = [lead, *(lead + p for p in inner)]
    return points


def blank(**config_overrides: Any) -> Language:
    """A blank Indonesian ``Language`` with the news tokenizer (no pipeline components)."""
    import spacy

    config: dict[str, Any] = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}
    for key, value in config_overrides.items():
        config["nlp"][key] = value
    return spacy.blank("id", config=config)
