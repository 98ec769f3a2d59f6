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
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import ORTH, SENT_START, SPACY

from ..extensions import SECTIONS_KEY
from ..resources import DataFiles, parse_lines
from .base import DataFileComponent, Settings, register_factory

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc

__all__ = ["SentenceSegmenter", "SentencesSettings", "make_sentences"]

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


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("abbreviations", "final_abbreviations")
_FLAGS = (
    "respect_sections",
    "break_on_newline",
    "join_wrapped_lines",
    "use_spacy_abbreviations",
    "list_markers",
    "break_before_digit",
    "break_before_bracket",
)


@dataclass(frozen=True, slots=True)
class SentencesSettings(Settings):
    """Settings of ``beritanlp_sentences`` (see the module docstring for the rules)."""

    #: every section starts a sentence (a dateline stays glued to the first body sentence)
    respect_sections: bool = True
    #: a line break ends a sentence
    break_on_newline: bool = True
    #: how many line breaks a whitespace token needs to end a sentence
    min_newlines: int = 1
    #: a single line break inside a running sentence does not break it when the next line
    #: starts in lower case or is a lone dash
    join_wrapped_lines: bool = True
    #: data file of period-final abbreviations that never end a sentence (bundled name or
    #: path; ``""`` for none)
    abbreviations: str = "abbreviations.txt"
    #: data file of abbreviations that may end a sentence before a capitalised word (``dll.``,
    #: ``Tbk.``, degrees; bundled name or path; ``""`` for none)
    final_abbreviations: str = "sentence_final_abbreviations.txt"
    #: also use the period-final tokenizer exceptions of spaCy's ``id`` language
    use_spacy_abbreviations: bool = True
    #: extra abbreviations that never end a sentence
    non_final_abbreviations: tuple[str, ...] = ()
    #: extra abbreviations that may end a sentence
    extra_final_abbreviations: tuple[str, ...] = ()
    #: ``1.`` at the start of a line is a list marker, not a sentence end
    list_markers: bool = True
    #: a sentence may start with a number
    break_before_digit: bool = True
    #: a sentence may start with an opening bracket
    break_before_bracket: bool = True

    def check(self) -> None:
        self.require_bool(*_FLAGS)
        note = " (set break_on_newline to false to ignore line breaks)"
        self.require_int("min_newlines", least=1, note=note)
        self.require_file(*_DATA_SETTINGS, optional=True)
        self.require_strings("non_final_abbreviations", "extra_final_abbreviations")


@dataclass(frozen=True, slots=True)
class _Abbreviations:
    final: frozenset[str]
    non_final: frozenset[str]
    stems: frozenset[str]  # a non-final abbreviation without its period ("Jl" of "Jl.")


def _abbreviations(settings: SentencesSettings, data: DataFiles) -> _Abbreviations:
    known: set[str] = {w for f in data["abbreviations"] for w in parse_lines(f.text)}
    if settings.use_spacy_abbreviations:
        known |= _spacy_period_exceptions()
    final = {w for f in data["final_abbreviations"] for w in parse_lines(f.text)}
    non_final_extra = _stripped(settings.non_final_abbreviations)
    final = (final | _stripped(settings.extra_final_abbreviations)) - non_final_extra
    non_final = frozenset((known | non_final_extra) - final)
    stems = frozenset(a[:-1] for a in non_final if a.endswith("."))
    return _Abbreviations(frozenset(final), non_final, stems)


def _stripped(words: tuple[str, ...]) -> set[str]:
    return {w.strip() for w in words if w.strip()}


class SentenceSegmenter(DataFileComponent):
    """Sets ``token.is_sent_start`` for every token (see the module docstring for the rules).

    ``SentenceSegmenter(nlp, name, settings=None, **overrides)``; the abbreviation files are read
    on first use. ``initialize`` reads them again, ``to_disk`` writes the settings and the
    abbreviation files, ``from_disk`` reads them back
    (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = SentencesSettings
    DATA_SETTINGS = _DATA_SETTINGS
    NAME = "beritanlp_sentences"
    settings: SentencesSettings

    def _install(self, settings: SentencesSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self._cache: dict[int, _Info] = {}

    def _prepare(self) -> None:
        self.abbreviations  # noqa: B018  (read now: a missing file fails here)

    @cached_property
    def abbreviations(self) -> _Abbreviations:
        found = _abbreviations(self.settings, self.data_files)
        logger.debug(
            "%s: %d non-final and %d final abbreviations",
            self.name,
            len(found.non_final),
            len(found.final),
        )
        return found

    @property
    def final_abbreviations(self) -> frozenset[str]:
        """Period-final tokens that end a sentence before a capitalised word."""
        return self.abbreviations.final

    @property
    def non_final_abbreviations(self) -> frozenset[str]:
        """Period-final tokens that never end a sentence."""
        return self.abbreviations.non_final

    # -- token classes ------------------------------------------------------------------------

    def _classify(self, text: str) -> _Info:
        """``(kind, start class, flags)`` of a token text."""
        abbreviations = self.abbreviations
        if text.isspace():
            count = _newline_count(text) if self.settings.break_on_newline else 0
            if count >= self.settings.min_newlines and count:
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
            if text in abbreviations.final:
                kind = _ABBR_FINAL
            elif text in abbreviations.non_final or _is_initials(text):
                kind = _ABBR_NON_FINAL
            else:
                kind = _ABBR_FINAL  # unknown ("U.S.A."): ends only before a capitalised word
        else:
            kind = _WORD

        flags = 0
        if text in abbreviations.stems or (len(text) == 1 and first.isupper()):
            flags |= _F_STEM
        if self.settings.list_markers and (
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
        settings = self.settings
        overrides = self._section_overrides(doc, infos) if settings.respect_sections else {}
        join_lines = settings.join_wrapped_lines
        break_digit = settings.break_before_digit
        break_bracket = settings.break_before_bracket

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
        # a uint64 column is what Doc.from_array takes; thinc's Ints2d alias is not a NumPy type
        doc.from_array([SENT_START], values.reshape(-1, 1))  # type: ignore[arg-type]
        return doc


make_sentences = register_factory(
    "beritanlp_sentences",
    SentencesSettings,
    SentenceSegmenter,
    assigns=["token.is_sent_start"],
    requires=[],
)
