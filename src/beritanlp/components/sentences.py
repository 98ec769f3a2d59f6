"""Rule-based sentence segmentation for Indonesian news (``beritanlp_sentences``).

The component sets ``token.is_sent_start`` on every token in one pass, so ``doc.sents`` works and
``doc.has_annotation("SENT_START")`` is true. The rules, in order of precedence:

1. **Sections** (``respect_sections``): when ``doc.spans["sections"]`` exists, the first
   non-space token of every section starts a sentence, except a ``body`` section that directly
   follows a ``dateline`` section: the dateline (``Goa, India (Xinhua) –``, detik's split
   ``Jakarta\\n-\\n``) is glued to the first sentence of the body and never broken inside.
2. **Line breaks** (``break_on_newline``, ``min_newlines``): a whitespace token holding a line
   break ends the paragraph, and the next non-space token starts a sentence. Whitespace attaches
   to the sentence before it, so no sentence is whitespace only. With ``join_wrapped_lines``, a
   *single* line break inside a running sentence does not break it when the next line starts
   with a lower-case word, or is a lone dash (scrapes put hyperlink text on its own line:
   ``Mereka punya\\npressing\\nyang luar biasa``; detik's ``Jakarta\\n-\\nPresiden ...``). A line
   ending in ``.`` ``?`` ``!`` ``:`` or a closing quote or bracket always ends the sentence.
3. **Terminal punctuation** (``.``, ``?``, ``!``, ``…``, ``...``), followed by any closing quotes
   and brackets (``."``, ``.”``, ``?’``, ``!)``), ends the sentence when the next token looks like a
   sentence start: a capitalised word (``iPhone`` and ``dr.`` count), an opening quote, a bullet,
   a number (``break_before_digit``) or an opening bracket (``break_before_bracket``). A lower-case
   word or other punctuation (``,`` ``;`` ``:``) never follows a break, so ``"Kenapa?" tanya dia``
   and ``"Saya tidak tahu…" katanya`` stay whole. A straight ``"`` glued on both sides
   (``ujarnya."Kami``) closes a quotation if one is open, else opens the next sentence (the same
   for ``'``).
4. **Abbreviations**: a period-final token from ``abbreviations`` (plus spaCy's ``id``
   exceptions and ``non_final_abbreviations``), initials (``B.`` in ``B. J. Habibie``, ``D.W.``),
   an abbreviation the tokenizer split off (``Jl`` ``.`` ``Sudirman``) and a list marker (``1.``
   at the start of a line, with ``list_markers``) never end a sentence. The
   ``final_abbreviations`` (``dll.``, ``dsb.``, ``Tbk.``, post-nominal degrees such as ``S.H.``)
   and unknown period-final tokens end one when the next word is capitalised.

Token classes are computed once per distinct token text and cached, so a document costs one
``Doc.to_array`` call, one loop over integers and one ``Doc.from_array`` call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy
from spacy.attrs import ORTH, SENT_START, SPACY
from spacy.language import Language

from ..errors import ConfigError
from ..extensions import SECTIONS_KEY, register
from ..resources import read_lines

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc

__all__ = ["SentenceSegmenter", "make_sentences"]

logger = logging.getLogger(__name__)

# token kinds: the role a token plays as a possible sentence end
_SPACE = 0  # whitespace without (enough) line breaks
_NEWLINE = 1  # whitespace with line breaks (the flags slot holds how many)
_PERIOD = 2  # "."
_TERM = 3  # "?", "!", "…", "...", "?!"
_CLOSE = 4  # closing quote or bracket: ” ’ » ) ]
_QUOTE = 5  # straight quote: closing when glued to the token before, else opening
_ABBR_FINAL = 6  # period-final token that ends a sentence before a capitalised word
_ABBR_NON_FINAL = 7  # period-final token that never ends a sentence
_WORD = 8  # anything else

# start classes: how a token looks as a possible sentence start
_S_CAP = 0
_S_DIGIT = 1
_S_OPEN = 2  # opening quote or bullet
_S_BRACKET = 3
_S_QUOTE = 4
_S_LOWER = 5
_S_OTHER = 6

# flags
_F_STEM = 1  # text + "." is a non-final abbreviation ("Jl" "." when a scrape glued "Jl.Sudirman")
_F_MARKER = 2  # a list marker before "." ("1", "a", "IV")
_F_DQUOTE = 4  # a straight double quote: its role may depend on the quote before it
_F_SQUOTE = 32  # a straight single quote: the same
_F_DASH = 8  # a separator dash ("-", "–", "—")
_F_LINE_END = 16  # a line ending in this token is complete (". ? ! : ” ) ...")

_TERMINAL_CHARS = frozenset(".?!…‽")
_CLOSING = frozenset({"”", "’", "»", "›", ")", "]", "}", "''", "」", "』"})
_STRAIGHT_QUOTES = frozenset({'"', "'", "`"})
_OPENING = frozenset({"“", "‘", "«", "‹", "„", "‚", "「", "『", "``"})
_BRACKETS = frozenset({"(", "[", "{"})
_BULLETS = frozenset("•·▪▫◦‣►▶➤➢■□●○◆◇★☆✓✔")
_DASHES = frozenset({"-", "--", "–", "—", "―"})
_LINE_BREAKS = ("\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85")
_ROMAN = frozenset("IVX")
# lower-case titles that can open a sentence ("dr. Budi mengatakan ...")
_LOWER_TITLES = frozenset({"dr.", "drg.", "drh.", "dr", "drg", "drh"})

_DATELINE = "dateline"
_BODY = "body"

_CACHE_LIMIT = 500_000

_DEFAULT_CONFIG: dict[str, Any] = {
    "respect_sections": True,
    "break_on_newline": True,
    "min_newlines": 1,
    "join_wrapped_lines": True,
    "abbreviations": "abbreviations.txt",
    "final_abbreviations": "sentence_final_abbreviations.txt",
    "use_spacy_abbreviations": True,
    "non_final_abbreviations": [],
    "extra_final_abbreviations": [],
    "list_markers": True,
    "break_before_digit": True,
    "break_before_bracket": True,
}

_Info = tuple[int, int, int]


def _newline_count(text: str) -> int:
    count = sum(text.count(char) for char in _LINE_BREAKS)
    # a lone carriage return (old Mac line ends) counts too; "\r\n" is already counted once
    return count + text.count("\r") - text.count("\r\n")


def _is_initials(text: str) -> bool:
    """``B.``, ``a.``, ``D.W.``, ``B.J.``: one to three single letters, each with a period."""
    size = len(text)
    if size not in (2, 4, 6):
        return False
    return all(text[k].isalpha() and text[k + 1] == "." for k in range(0, size, 2))


def _spacy_period_exceptions() -> frozenset[str]:
    from spacy.lang.id import Indonesian

    return frozenset(
        key
        for key in Indonesian.Defaults.tokenizer_exceptions
        if key.endswith(".") and len(key) > 1 and not key.startswith(".")
    )


def _closes_line(doc: Doc, i: int, window: int = 16) -> bool:
    """True when the bracket at token ``i`` closes within ``window`` tokens at the end of its line
    or of the text: a trailing credit or sign-off such as ``… 2023. (Xinhua/Javed Dar)`` belongs
    to the sentence before it."""
    opening = doc[i].text
    closer = {"(": ")", "[": "]"}.get(opening[:1])
    if closer is None:
        return False
    for j in range(i + 1, min(len(doc), i + window)):
        token = doc[j]
        if "\n" in token.text:
            return False
        if token.text.endswith(closer):
            k = j + 1  # only white space may follow, up to the end of the line or text
            while k < len(doc) and doc[k].is_space and "\n" not in doc[k].text:
                k += 1
            return k >= len(doc) or "\n" in doc[k].text
    return False


class SentenceSegmenter:
    """Sets ``token.is_sent_start`` for every token (see the module docstring for the rules)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "beritanlp_sentences",
        *,
        respect_sections: bool = True,
        break_on_newline: bool = True,
        min_newlines: int = 1,
        join_wrapped_lines: bool = True,
        abbreviations: str = "abbreviations.txt",
        final_abbreviations: str = "sentence_final_abbreviations.txt",
        use_spacy_abbreviations: bool = True,
        non_final_abbreviations: Iterable[str] = (),
        extra_final_abbreviations: Iterable[str] = (),
        list_markers: bool = True,
        break_before_digit: bool = True,
        break_before_bracket: bool = True,
    ) -> None:
        register()
        for key, value in (
            ("respect_sections", respect_sections),
            ("break_on_newline", break_on_newline),
            ("join_wrapped_lines", join_wrapped_lines),
            ("use_spacy_abbreviations", use_spacy_abbreviations),
            ("list_markers", list_markers),
            ("break_before_digit", break_before_digit),
            ("break_before_bracket", break_before_bracket),
        ):
            if not isinstance(value, bool):
                raise ConfigError(f"{name}: {key} must be true or false, got {value!r}.")
        if isinstance(min_newlines, bool) or not isinstance(min_newlines, int) or min_newlines < 1:
            raise ConfigError(
                f"{name}: min_newlines must be an integer >= 1, got {min_newlines!r} "
                f"(set break_on_newline to false to ignore line breaks)."
            )
        for key, value in (
            ("abbreviations", abbreviations),
            ("final_abbreviations", final_abbreviations),
        ):
            if not isinstance(value, str):
                raise ConfigError(
                    f"{name}: {key} must be a data file name (or '' for none), got {value!r}."
                )
        non_final_extra = _word_list(name, "non_final_abbreviations", non_final_abbreviations)
        final_extra = _word_list(name, "extra_final_abbreviations", extra_final_abbreviations)

        self.name = name
        self.respect_sections = respect_sections
        self.break_on_newline = break_on_newline
        self.min_newlines = min_newlines
        self.join_wrapped_lines = join_wrapped_lines
        self.list_markers = list_markers
        self.break_before_digit = break_before_digit
        self.break_before_bracket = break_before_bracket

        known: set[str] = set(read_lines(abbreviations)) if abbreviations else set()
        if use_spacy_abbreviations:
            known |= _spacy_period_exceptions()
        final = set(read_lines(final_abbreviations)) if final_abbreviations else set()
        final = (final | final_extra) - non_final_extra
        self.final_abbreviations: frozenset[str] = frozenset(final)
        self.non_final_abbreviations: frozenset[str] = frozenset((known | non_final_extra) - final)
        self._stems = frozenset(a[:-1] for a in self.non_final_abbreviations if a.endswith("."))
        self._cache: dict[int, _Info] = {}
        logger.debug(
            "%s: %d non-final and %d final abbreviations",
            name,
            len(self.non_final_abbreviations),
            len(self.final_abbreviations),
        )

    # -- token classes ------------------------------------------------------------------------

    def _classify(self, text: str) -> _Info:
        """``(kind, start class, flags)`` of a token text."""
        if text.isspace():
            count = _newline_count(text) if self.break_on_newline else 0
            if count >= self.min_newlines and count:
                return (_NEWLINE, _S_OTHER, count)
            return (_SPACE, _S_OTHER, 0)
        first = text[0]
        if len(text) > 1 and not first.isalnum() and text not in _OPENING:
            # a quote or bracket the tokenizer left attached ("``Apa"): look at the word
            first = next((char for char in text if char.isalnum()), first)
        if (
            first.isupper()
            or (len(text) > 1 and first.islower() and text[1].isupper())  # iPhone, eKTP
            or text in _LOWER_TITLES
        ):
            start = _S_CAP
        elif first.isdigit():
            start = _S_DIGIT
        elif text in _BRACKETS:
            start = _S_BRACKET
        elif text in _OPENING or first in _BULLETS:
            start = _S_OPEN
        elif text in _STRAIGHT_QUOTES:
            start = _S_QUOTE
        elif first.islower():
            start = _S_LOWER
        else:
            start = _S_OTHER

        if text == ".":
            kind = _PERIOD
        elif all(char in _TERMINAL_CHARS for char in text):
            kind = _TERM
        elif text in _CLOSING:
            kind = _CLOSE
        elif text in _STRAIGHT_QUOTES:
            kind = _QUOTE
        elif text.endswith("."):
            if text in self.final_abbreviations:
                kind = _ABBR_FINAL
            elif text in self.non_final_abbreviations or _is_initials(text):
                kind = _ABBR_NON_FINAL
            else:
                kind = _ABBR_FINAL  # unknown ("U.S.A."): ends only before a capitalised word
        else:
            kind = _WORD

        flags = 0
        if text in self._stems or (len(text) == 1 and first.isupper()):
            flags |= _F_STEM
        if self.list_markers and (
            (text.isdigit() and len(text) <= 2)
            or (len(text) == 1 and first.isalpha())
            or (len(text) <= 4 and set(text) <= _ROMAN)
        ):
            flags |= _F_MARKER
        if text == '"':
            flags |= _F_DQUOTE
        elif text == "'":
            flags |= _F_SQUOTE
        if text in _DASHES:
            flags |= _F_DASH
        if kind in (_PERIOD, _TERM, _CLOSE, _ABBR_FINAL, _ABBR_NON_FINAL) or text[-1] in ":;":
            flags |= _F_LINE_END
        return (kind, start, flags)

    def _infos(self, orths: list[int], strings: StringStore) -> list[_Info]:
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        infos = []
        for orth in orths:
            info = cache.get(orth)
            if info is None:
                info = cache[orth] = self._classify(strings[orth])
            infos.append(info)
        return infos

    # -- sections -----------------------------------------------------------------------------

    @staticmethod
    def _section_overrides(doc: Doc, infos: list[_Info]) -> dict[int, int]:
        """Token index -> +1 (must start a sentence) or -1 (must not), from the sections."""
        group = doc.spans.get(SECTIONS_KEY)
        if not group:
            return {}
        overrides: dict[int, int] = {}
        previous_label: str | None = None
        previous_end = -1
        for span in sorted(group, key=lambda s: (s.start, s.end)):
            label = span.label_
            first = span.start
            while first < span.end and infos[first][0] <= _NEWLINE:
                first += 1
            if first < span.end:
                after_dateline = (
                    label == _BODY
                    and previous_label == _DATELINE
                    and 0 <= previous_end <= span.start
                    and all(infos[t][0] <= _NEWLINE for t in range(previous_end, span.start))
                )
                overrides[first] = -1 if after_dateline else 1
                if label == _DATELINE:
                    for t in range(first + 1, span.end):
                        overrides[t] = -1
            previous_label = label
            previous_end = span.end
        return overrides

    # -- the pass -----------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        array = doc.to_array([ORTH, SPACY])
        infos = self._infos(array[:, 0].tolist(), doc.vocab.strings)
        spaces = array[:, 1].tolist()
        overrides = self._section_overrides(doc, infos) if self.respect_sections else {}
        join_lines = self.join_wrapped_lines
        break_digit = self.break_before_digit
        break_bracket = self.break_before_bracket

        starts = [-1] * n
        starts[0] = 1
        content = 0  # non-space tokens in the current sentence
        newlines = 0  # line breaks since the last non-space token
        term = -1  # the kind ending an open terminal run ("." + closing quotes), or -1
        glued = False  # the last non-space token had no whitespace after it
        dquote_open = False  # the last straight double quote opened a quotation
        squote_open = False  # the same for single quotes
        prev_flags = _F_LINE_END  # flags of the last non-space token
        dash_line = False  # the last non-space token was a lone dash line joined to the one before

        for i in range(n):
            kind, start_class, flags = infos[i]
            if kind == _SPACE:
                glued = False
                continue
            if kind == _NEWLINE:
                newlines += flags
                term = -1
                glued = False
                dquote_open = squote_open = False
                continue

            closing = False
            if kind == _QUOTE:
                # glued to the word before: closing, unless glued on both sides ("."Kami) while
                # no double quote is open, as when a scrape drops the space between sentences
                if flags & _F_DQUOTE:
                    closing = glued and (bool(spaces[i]) or dquote_open or i + 1 == n)
                    dquote_open = not closing
                elif flags & _F_SQUOTE:
                    closing = glued and (bool(spaces[i]) or squote_open or i + 1 == n)
                    squote_open = not closing
                else:
                    closing = glued

            brk = False
            joined_dash = False
            if newlines:
                brk = True
                if join_lines and newlines == 1 and not prev_flags & _F_LINE_END:
                    if start_class == _S_LOWER or dash_line:
                        brk = False
                    elif flags & _F_DASH and (i + 1 == n or infos[i + 1][0] == _NEWLINE):
                        brk = False
                        joined_dash = True
            elif term >= 0:
                if kind == _CLOSE or closing or kind == _PERIOD or kind == _TERM:
                    pass  # the terminal run goes on: ".”", "?!", ".)."
                else:
                    if term == _ABBR_FINAL:
                        brk = start_class == _S_CAP
                    elif term != _ABBR_NON_FINAL:
                        brk = (
                            start_class == _S_CAP
                            or start_class == _S_OPEN
                            or start_class == _S_QUOTE
                            or (start_class == _S_DIGIT and break_digit)
                            or (
                                start_class == _S_BRACKET
                                and break_bracket
                                and not _closes_line(doc, i)
                            )
                        )
                    term = -1

            if overrides:
                forced = overrides.get(i, 0)
                if forced:
                    brk = forced > 0
            if brk:
                term = -1
                if content:
                    starts[i] = 1
                    content = 0

            if kind == _PERIOD:
                if glued and prev_flags & _F_STEM:
                    term = _ABBR_NON_FINAL  # "Jl" "." "Sudirman": a split abbreviation
                elif glued and content == 1 and prev_flags & _F_MARKER:
                    term = _ABBR_NON_FINAL  # "1." opening a line: a list item
                else:
                    term = _PERIOD
            elif kind == _TERM:
                term = _TERM
            elif kind == _ABBR_FINAL or kind == _ABBR_NON_FINAL:
                term = kind

            content += 1
            newlines = 0
            dash_line = joined_dash
            glued = not spaces[i]
            prev_flags = flags | _F_LINE_END if closing else flags

        values = numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64)
        doc.from_array([SENT_START], values.reshape(-1, 1))
        return doc


def _word_list(name: str, key: str, value: Iterable[str]) -> set[str]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{name}: {key} must be a list of strings, got {value!r}.")
    return {v.strip() for v in value if v.strip()}


@Language.factory(
    "beritanlp_sentences",
    assigns=["token.is_sent_start"],
    requires=[],
    default_config=_DEFAULT_CONFIG,
)
def make_sentences(
    nlp: Language,
    name: str,
    respect_sections: bool,
    break_on_newline: bool,
    min_newlines: int,
    join_wrapped_lines: bool,
    abbreviations: str,
    final_abbreviations: str,
    use_spacy_abbreviations: bool,
    non_final_abbreviations: list[str],
    extra_final_abbreviations: list[str],
    list_markers: bool,
    break_before_digit: bool,
    break_before_bracket: bool,
) -> SentenceSegmenter:
    """spaCy factory: ``nlp.add_pipe("beritanlp_sentences", config={...})``."""
    return SentenceSegmenter(
        nlp,
        name,
        respect_sections=respect_sections,
        break_on_newline=break_on_newline,
        min_newlines=min_newlines,
        join_wrapped_lines=join_wrapped_lines,
        abbreviations=abbreviations,
        final_abbreviations=final_abbreviations,
        use_spacy_abbreviations=use_spacy_abbreviations,
        non_final_abbreviations=non_final_abbreviations,
        extra_final_abbreviations=extra_final_abbreviations,
        list_markers=list_markers,
        break_before_digit=break_before_digit,
        break_before_bracket=break_before_bracket,
    )
