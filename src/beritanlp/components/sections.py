"""Article sections: title, photo caption, lead, dateline, body and boilerplate.

Scraped Indonesian news mixes the article with its page furniture: a headline line, photo
captions ending in a credit (``(Xinhua/Javed Dar)``), a standfirst the body repeats, the dateline
(``Goa, India (Xinhua) –``), and boilerplate such as ``Baca juga: …`` lines, ``ADVERTISEMENT``,
share buttons, ``Berita Terkait`` lists and credits glued to the last word (``RedaksiBagikan``).

The component finds these as character spans of the *original* text (nothing is deleted or
rewritten) and stores them as ``doc.spans["sections"]``, sorted and non-overlapping, labelled with
the section kind. Where a boundary falls inside a token (``Redaksi|Bagikan``) the token is split,
so every section is token-aligned and every token belongs to at most one section.

The rules are data (``data/sections.json``: boilerplate, tail markers, caption credits;
``data/dateline_patterns.json``: the shapes of datelines); the procedure is:

1. split the text into lines (``\\n``; ``\\r`` and other spaces at line ends are trimmed);
2. a *tail marker* line (``Berita Terkait``, ``Komentar`` …) after the body has started turns it
   and everything after it into boilerplate;
3. whole boilerplate lines anywhere, then boilerplate *phrases* inside lines (line-final credits
   such as ``Laporan: Redaksi``, glued share words, ``(rah/rah)`` editor codes);
4. in the head (before the first body line): the title (first line, when it looks like one),
   photo captions (a credit at the end of the line), a lead that the next paragraph repeats;
   captions are also recognised further down (a short line ending in a photo credit);
5. the dateline at the start of the first body line (possibly split over lines, as detik does),
   or after a credit: on the same line (``TribunTravel.com/Name TRIBUNNEWS.COM -``) or on a line
   of its own (``POS-KUPANG.COM, Name``) or a table of contents (``Daftar Isi`` and its
   headings), which become boilerplate; the dateline shapes are
   compiled with their outlet and place lists by ``components.dateline.dateline_rules``;
6. what is left is body; neighbouring pieces of the same kind are merged.

Settings: :class:`SectionsSettings`. ``rules`` and ``dateline_patterns`` name the two data files,
bundled names or paths of your own (see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves their
text with the component (``rules.json``, ``dateline_patterns.json`` beside ``settings.json``) and
``spacy.load`` reads them back from there.

Why not spaCy's ``Matcher``/``SpanRuler``: the rules are about *lines* of the raw text (a whole
line of boilerplate, a line ending in a photo credit, the first body line's opening) and about
character offsets inside tokens (``Redaksi|Bagikan``); token patterns cannot say "the whole
line" or cut inside a token, so the rules are regular expressions over the text.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Span, SpanGroup

from .. import extensions
from ..errors import ResourceError
from ..resources import DataFile, DataFileUser, parse_json
from .base import DataFileComponent, Settings, register_factory, text_rules
from .dateline import DatelineRules, dateline_rules

__all__ = [
    "SectionFinder",
    "Sections",
    "SectionsSettings",
    "Segment",
    "find_sections",
    "make_sections",
    "sections_of",
]

logger = logging.getLogger(__name__)

_LINE = re.compile(r"[^\n]+")
_TRIM = " \t\r\f\v\u00a0\u200b\u2028\u2029\ufeff"
#: How far back from the end of the last body line the tail phrases are searched (the longest
#: tail phrase in data/sections.json is under 200 characters).
TAIL_WINDOW = 400
_WORD = re.compile(r"\w+")
#: How far (characters) a dateline may run from its start (the dateline component's window_chars).
_DATELINE_WINDOW = 160


@dataclass(frozen=True, slots=True)
class Segment:
    """A section as character offsets (``end`` exclusive)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Rules:
    to_end: re.Pattern[str]
    lines_anywhere: re.Pattern[str]
    lines_head: re.Pattern[str]
    lines_tail: re.Pattern[str]
    consume_next: re.Pattern[str]
    phrases_anywhere: re.Pattern[str]
    phrases_tail: re.Pattern[str]
    head_phrases: re.Pattern[str]
    captions: re.Pattern[str]
    datelines: DatelineRules


def _alternation(entries: list[dict[str, Any]]) -> re.Pattern[str]:
    """One compiled alternation of the rules' patterns (``(?!x)x`` matches nothing)."""
    parts = [f"(?:{entry['pattern']})" for entry in entries]
    try:
        return re.compile("|".join(parts) if parts else r"(?!x)x")
    except re.error as exc:
        raise ResourceError(f"a section rule does not compile: {exc}; fix the data file") from exc


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("rules", "dateline_patterns")


@dataclass(frozen=True, slots=True)
class SectionsSettings(Settings):
    """Settings of ``beritanlp_sections`` (and of :class:`SectionFinder`)."""

    #: data file of the boilerplate, tail-marker and caption rules (bundled name or path)
    rules: str = "sections.json"
    #: data file of the dateline shapes, shared with ``dateline`` (bundled name or path)
    dateline_patterns: str = "dateline_patterns.json"
    #: label the first line ``title`` when it looks like a headline
    detect_title: bool = True
    #: shortest title line, in characters
    title_min_chars: int = 25
    #: longest title line, in characters
    title_max_chars: int = 160
    #: how many lines before the body are examined for title, captions and lead
    head_lines: int = 6
    #: longest line that can be a photo caption
    caption_max_chars: int = 400
    #: shortest paragraph that can be a lead
    lead_min_chars: int = 40
    #: a boilerplate marker line also takes the next line when it is at most this long and does
    #: not end in ``.`` or ``:`` (a related-article headline)
    consume_max_chars: int = 160

    def check(self) -> None:
        self.require_file(*_DATA_SETTINGS)
        self.require_int(
            "title_min_chars",
            "title_max_chars",
            "head_lines",
            "caption_max_chars",
            "lead_min_chars",
            "consume_max_chars",
            least=0,
        )


@lru_cache(maxsize=8)
def _compile(rules_file: DataFile, dateline_file: DataFile) -> _Rules:
    data: dict[str, Any] = parse_json(rules_file.text, rules_file.where)
    datelines = dateline_rules(dateline_file)

    def where(family: str, place: str) -> re.Pattern[str]:
        return _alternation([r for r in data[family] if r.get("where", "anywhere") == place])

    try:
        return _Rules(
            to_end=_alternation(data["to_end"]),
            lines_anywhere=where("lines", "anywhere"),
            lines_head=where("lines", "head"),
            lines_tail=where("lines", "tail"),
            consume_next=_alternation([r for r in data["lines"] if r.get("consume_next")]),
            phrases_anywhere=where("phrases", "anywhere"),
            phrases_tail=where("phrases", "tail"),
            head_phrases=_alternation(data["head_phrases"]),
            captions=_alternation(data["captions"]),
            datelines=datelines,
        )
    except ResourceError as exc:
        raise ResourceError(f"{rules_file.where}: {exc}") from exc
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ResourceError(
            f"{rules_file.where} or {dateline_file.where} is not a valid rule file "
            f"({type(exc).__name__}: {exc}); start from a copy of the bundled file"
        ) from exc


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) offsets with surrounding spaces trimmed.

    Lines end at ``\n`` only (not at U+2028 and friends, which occur inside scraped paragraphs)."""
    out = []
    for match in _LINE.finditer(text):
        start, end = match.span()
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


_SENTENCE_BREAK = re.compile(r"[a-z0-9)][.!?]\s+[A-Z]|[a-z][.!?][A-Z]")
_DROP_CAP = re.compile(r"[A-Z]{3,}[a-z]")
_BYLINE_START = re.compile(r"(?:Laporan|Oleh|[A-Z][a-z]+:)\s")


class SectionFinder(DataFileUser):
    """The section rules applied to plain text (usable without spaCy: :meth:`find`).

    ``SectionFinder(settings=None, *, data=None, **overrides)``: ``settings`` (default: the
    defaults of :class:`SectionsSettings`) with ``overrides`` applied; ``data`` the texts of the
    data files (by setting) where they do not come from the files the settings name (a saved
    pipeline's copies). The files are read on first use.
    """

    SETTINGS = SectionsSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: SectionsSettings

    @cached_property
    def rules(self) -> _Rules:
        data = self.data_files
        return _compile(data["rules"][0], data["dateline_patterns"][0])

    # -- the procedure --------------------------------------------------------------------------
    def find(self, text: str) -> list[Segment]:
        lines = _lines(text)
        if not lines:
            return []
        rules = self.rules
        n = len(lines)
        kinds: list[str | None] = [None] * n

        def full(pattern: re.Pattern[str], i: int) -> bool:
            return pattern.fullmatch(text, *lines[i]) is not None

        # whole boilerplate lines anywhere; a marker line takes its headline line with it
        for i in range(n):
            if full(rules.lines_anywhere, i):
                kinds[i] = "boilerplate"
                if full(rules.consume_next, i) and i + 1 < n:
                    start, end = lines[i + 1]
                    nxt = text[start:end]
                    if end - start <= self.settings.consume_max_chars and nxt[-1] not in ".:":
                        kinds[i + 1] = "boilerplate"
        # the head: lines before the first body line
        first_body = self._head(text, lines, kinds)
        # to-end markers, after the body has started
        for i in range(first_body + 1, n):
            if kinds[i] is None and rules.to_end.match(text, *lines[i]):
                for j in range(i, n):
                    kinds[j] = "boilerplate"
                break
        # the tail: walk back over boilerplate lines
        for i in range(n - 1, first_body, -1):
            if kinds[i] == "boilerplate":
                continue
            if kinds[i] is None and full(rules.lines_tail, i):
                kinds[i] = "boilerplate"
                continue
            break
        # captions further down (never the last line: a final "(Antara)" is a sign-off)
        for i in range(first_body + 1, n - 1):
            if kinds[i] is None and self._is_caption(text, *lines[i]):
                kinds[i] = "caption"
        last_body = max((i for i in range(n) if kinds[i] is None), default=-1)

        segments: list[Segment] = []
        for i, (start, end) in enumerate(lines):
            kind = kinds[i]
            if kind is not None:
                segments.append(Segment(kind, start, end))
                continue
            if i == first_body:
                start = self._opening(text, lines, kinds, i, segments)
                if start >= end:
                    continue
            segments.extend(self._phrases(text, start, end, tail=i == last_body))
        return _merge(text, _drop_covered(segments))

    def _head(self, text: str, lines: list[tuple[int, int]], kinds: list[str | None]) -> int:
        """Label title, reporter lines, captions and lead before the body; return the index of the
        first body line (``len(lines)`` if there is none)."""
        rules = self.rules
        n = len(lines)
        position = 0
        for i in range(n):
            if kinds[i] is not None:
                continue
            start, end = lines[i]
            if self._dateline_at(text, start):
                return i
            if rules.lines_head.fullmatch(text, start, end) or self._credit_line(text, lines, i):
                kinds[i] = "boilerplate"
            elif skip := rules.datelines.after_contents(text, lines, i, _DATELINE_WINDOW):
                for k in range(i, i + skip):  # "Daftar Isi" and its headings, then the dateline
                    kinds[k] = "boilerplate"
            elif (
                position == 0
                and self.settings.detect_title
                and n > 1
                and self._looks_like_title(text, lines, i)
            ):
                kinds[i] = "title"
            elif self._is_caption(text, start, end) and i < n - 1:
                kinds[i] = "caption"
            elif self._is_lead(text, lines, kinds, i):
                kinds[i] = "lead"
            else:
                return i
            position += 1
            if position >= self.settings.head_lines:
                break
        return next((i for i in range(n) if kinds[i] is None), n)

    def _looks_like_title(self, text: str, lines: list[tuple[int, int]], i: int) -> bool:
        """The first line is a headline: short, unpunctuated at the end, one sentence, and with
        enough support (a blank line after it, Title Case, a dateline or a longer line next)."""
        start, end = lines[i]
        line = text[start:end]
        words = line.split()
        if (
            not self.settings.title_min_chars <= len(line) <= self.settings.title_max_chars
            or len(words) < 4
        ):
            return False
        if (line[-1] in ".:;," and not line.endswith("...")) or line[0] in "([\"'“‘":
            return False
        if _SENTENCE_BREAK.search(line) or _DROP_CAP.match(line) or _BYLINE_START.match(line):
            return False
        if line.isupper() or self._is_caption(text, start, end):
            return False
        score = 0
        if i + 1 < len(lines):
            between = text[end : lines[i + 1][0]]
            if between.count("\n") >= 2:
                score += 2
            nstart, nend = lines[i + 1]
            if self._dateline_at(text, nstart):
                score += 1
            if nend - nstart >= 1.5 * len(line):
                score += 1
        content = [w for w in words if len(w) > 3]
        if content and sum(w[0].isupper() for w in content) / len(content) >= 0.6:
            score += 1
        return score >= 2

    def _is_caption(self, text: str, start: int, end: int) -> bool:
        return end - start <= self.settings.caption_max_chars and bool(
            self.rules.captions.fullmatch(text, start, end)
        )

    def _is_lead(
        self, text: str, lines: list[tuple[int, int]], kinds: list[str | None], i: int
    ) -> bool:
        """A standfirst: a head paragraph that the next body paragraph repeats."""
        start, end = lines[i]
        if end - start < self.settings.lead_min_chars:
            return False
        following = next((j for j in range(i + 1, len(lines)) if kinds[j] is None), None)
        if following is None:
            return False
        nstart, nend = lines[following]
        lead = _norm(text[start:end])[:300]
        window = _norm(text[nstart : min(nend, nstart + 2 * len(lead) + 200)])
        return bool(lead) and lead in window

    def _opening(
        self,
        text: str,
        lines: list[tuple[int, int]],
        kinds: list[str | None],
        i: int,
        segments: list[Segment],
    ) -> int:
        """Reporter phrase and dateline at the start of the first body line; returns where the
        body proper starts. A dateline split over lines (detik's ``Jakarta⏎-⏎``) covers them."""
        start, end = lines[i]
        head = self.rules.head_phrases.match(text, start, end)
        if head:
            segments.extend(_trimmed("boilerplate", text, start, head.end()))
            start = head.end()
            while start < end and text[start] in _TRIM:
                start += 1
        dateline_end = self._dateline_at(text, start)
        if not dateline_end:  # after a credit: "TribunTravel.com/Name TRIBUNNEWS.COM -"
            credited = self.rules.datelines.after_credit(text, start, end, _DATELINE_WINDOW)
            if credited is None:
                return start
            segments.extend(_trimmed("boilerplate", text, start, credited.start()))
            start = credited.start()
            dateline_end = self._dateline_at(text, start)
        segments.append(Segment("dateline", start, dateline_end))
        for k in range(i + 1, len(lines)):
            if lines[k][0] < dateline_end:
                kinds[k] = "dateline"  # covered: the split lines are skipped by _drop_covered
        if dateline_end >= end:
            return end
        while dateline_end < end and text[dateline_end] in _TRIM:
            dateline_end += 1
        return dateline_end

    def _dateline_at(self, text: str, start: int) -> int:
        """End offset of a dateline starting at ``start`` (its separator included), or 0."""
        window_end = min(len(text), start + _DATELINE_WINDOW)
        match = self.rules.datelines.at(text, start, window_end)
        if match is None:
            return 0
        end = match.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        return end

    def _credit_line(self, text: str, lines: list[tuple[int, int]], i: int) -> bool:
        """A credit on its own line (``POS-KUPANG.COM, Name``, ``Laporan Name``) right before a
        dateline that names its source."""
        if i + 1 >= len(lines):
            return False
        start, end = lines[i]
        following = lines[i + 1][0]
        window_end = min(len(text), following + _DATELINE_WINDOW)
        return self.rules.datelines.credit_line(text, start, end, following, window_end)

    def _phrases(self, text: str, start: int, end: int, *, tail: bool) -> Iterator[Segment]:
        """Split one body line into body and boilerplate phrases (tail phrases only on the last
        body line, where they are anchored at its end)."""
        found = [m.span() for m in self.rules.phrases_anywhere.finditer(text, start, end)]
        if tail:
            # repeatedly peel sign-offs off the end: "….(rah/rah)", "…Laporan: RedaksiBagikan"
            stop = end
            while True:
                # tail phrases are anchored at the line's end and short: search only the last
                # TAIL_WINDOW characters before any trailing whitespace (a pattern's leading
                # whitespace run would otherwise be rescanned from every position: quadratic)
                content_end = start + len(text[start:stop].rstrip())
                window = max(start, content_end - TAIL_WINDOW)
                match = self.rules.phrases_tail.search(text, window, content_end)
                if not match or match.end() < stop - len(text[match.end() : stop].rstrip(_TRIM)):
                    break
                if match.end() != stop and text[match.end() : stop].strip(_TRIM):
                    break
                found.append(match.span())
                stop = match.start()
                if stop <= start:
                    break
        cursor = start
        for m_start, m_end in sorted(found):
            if m_end <= m_start or m_start < cursor:
                continue
            if m_start > cursor:
                yield from _trimmed("body", text, cursor, m_start)
            yield from _trimmed("boilerplate", text, m_start, m_end)
            cursor = m_end
        if cursor < end:
            yield from _trimmed("body", text, cursor, end)


def _trimmed(kind: str, text: str, start: int, end: int) -> Iterator[Segment]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    if start < end:
        yield Segment(kind, start, end)


def _drop_covered(segments: list[Segment]) -> list[Segment]:
    segments.sort(key=lambda s: (s.start, -s.end))
    out: list[Segment] = []
    for segment in segments:
        if out and segment.start < out[-1].end:
            continue  # the split dateline lines are already covered
        out.append(segment)
    return out


def _merge(text: str, segments: list[Segment]) -> list[Segment]:
    """Join neighbours of the same kind (body, boilerplate) separated only by white space."""
    out: list[Segment] = []
    for segment in segments:
        if (
            out
            and out[-1].kind == segment.kind
            and segment.kind in ("body", "boilerplate")
            and not text[out[-1].end : segment.start].strip()
        ):
            out[-1] = Segment(segment.kind, out[-1].start, segment.end)
        else:
            out.append(segment)
    return out


def find_sections(text: str, **settings: Any) -> list[Segment]:
    """The sections of ``text`` as :class:`Segment` objects (no spaCy needed); ``settings`` are
    those of :class:`SectionsSettings`."""
    return SectionFinder(**settings).find(text)


class Sections(DataFileComponent):
    """spaCy component: ``doc.spans["sections"]`` from :class:`SectionFinder`.

    ``Sections(nlp, name, settings=None, **overrides)``; the rule files are read on first use.
    ``initialize`` reads them again, ``to_disk`` writes the settings and the rule files,
    ``from_disk`` reads them back (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = SectionsSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: SectionsSettings
    #: the rules applied to plain text, with this component's settings and data files
    finder = text_rules(SectionFinder)

    def _prepare(self) -> None:
        self.finder.rules  # noqa: B018  (compile: a bad rule fails here)

    def __call__(self, doc: Doc) -> Doc:
        text = extensions.doc_text(doc)
        segments = self.finder.find(text) if text.strip() else []
        if segments:
            _split_at(doc, {b for s in segments for b in (s.start, s.end)})
        spans = []
        for segment in segments:
            span = doc.char_span(segment.start, segment.end, label=segment.kind)
            if span is None:  # pragma: no cover - boundaries were split above
                span = doc.char_span(
                    segment.start, segment.end, label=segment.kind, alignment_mode="expand"
                )
            if span is not None and len(span):
                spans.append(span)
        doc.spans[extensions.SECTIONS_KEY] = SpanGroup(doc, name="sections", spans=spans)
        return doc


def _split_at(doc: Doc, boundaries: set[int]) -> None:
    """Split the tokens that straddle a section boundary (``RedaksiBagikan``)."""
    starts = doc.to_array(IDX).tolist() if len(doc) else []
    cuts: dict[int, list[int]] = {}
    for boundary in boundaries:
        i = bisect_right(starts, boundary) - 1
        if i < 0:
            continue
        token = doc[i]
        if token.idx < boundary < token.idx + len(token.text):
            cuts.setdefault(i, []).append(boundary - token.idx)
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            pieces, previous = [], 0
            for offset in (*sorted(offsets), len(token.text)):
                pieces.append(token.text[previous:offset])
                previous = offset
            heads: list[Any] = [(token, 0)] * len(pieces)
            retokenizer.split(token, pieces, heads=heads)


make_sections = register_factory(
    "beritanlp_sections", SectionsSettings, Sections, assigns=["doc.spans"], requires=[]
)


def sections_of(doc: Doc) -> list[Span]:
    """The section spans of a processed doc (empty list if the component did not run)."""
    return list(doc.spans.get(extensions.SECTIONS_KEY, []))
