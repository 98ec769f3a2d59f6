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
* **Glued sentences split.** Scrapers drop the space after a period (``menguntungkan.Dalam``,
  ``(SCO).Dalam``, ``2023.Presiden``, ``AS.Menteri``, ``90%.Desa``, ``2007."Kami``,
  ``Yogyakarta.(ANTARA``); the period becomes its own token so the sentence segmenter can see
  it. Known abbreviations (``data/abbreviations.txt``) stay one token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, ALPHA_UPPER, CONCAT_QUOTES
from spacy.lang.id import Indonesian
from spacy.lang.id.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
from spacy.lang.tokenizer_exceptions import URL_MATCH
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

from .resources import read_lines

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["TOKENIZER_NAME", "blank", "create_news_tokenizer", "infixes"]

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
        # separator dashes, glued on either side (not a single hyphen: compounds stay whole)
        rf"(?<=[{ALPHA}0-9).,])(?:{_DASHES})(?=[{ALPHA}0-9(\"'‘“])",
        rf"(?<=[{ALPHA}0-9])[:<>=/](?=[{ALPHA}])",
        rf"(?<=[{ALPHA}])/(?=[0-9])",
        rf"(?<=[0-9])%(?=[{ALPHA}0-9/])",
        rf"(?<=[{ALPHA})][.,'])[\"—](?=[{ALPHA}])",
    ]


def _suffixes() -> list[str]:
    # a glued dash at the end ("Jakarta-", "JAKARTA--") is a suffix; spaCy id already has [—-]
    return [*TOKENIZER_SUFFIXES, _DASHES]


def _prefixes() -> list[str]:
    return [*TOKENIZER_PREFIXES, _DASHES]


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

    def make_tokenizer(nlp: Language) -> Tokenizer:
        return Tokenizer(
            nlp.vocab,
            rules=_exceptions(),
            prefix_search=compile_prefix_regex(_prefixes()).search,
            suffix_search=compile_suffix_regex(_suffixes()).search,
            infix_finditer=compile_infix_regex(infixes()).finditer,
            url_match=URL_MATCH,
        )

    return make_tokenizer


def blank(**config_overrides: Any) -> Language:
    """A blank Indonesian ``Language`` with the news tokenizer (no pipeline components)."""
    import spacy

    config: dict[str, Any] = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}}
    for key, value in config_overrides.items():
        config["nlp"][key] = value
    return spacy.blank("id", config=config)
