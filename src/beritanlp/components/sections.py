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
5. the dateline at the start of the first body line (possibly split over lines, as detik does);
6. what is left is body; neighbouring pieces of the same kind are merged.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from .. import extensions
from ..errors import ResourceError
from ..resources import read_json

__all__ = ["SectionFinder", "Segment", "find_sections", "make_sections"]

logger = logging.getLogger(__name__)

_LINE = re.compile(r"[^\n]+")
_TRIM = " \t\r\f\v\u00a0\u200b\u2028\u2029\ufeff"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A section as character offsets (``end`` exclusive)."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Rules:
    line_boilerplate: re.Pattern[str]
    tail_markers: re.Pattern[str]
    phrase_boilerplate: re.Pattern[str]
    caption_credit: re.Pattern[str]
    caption_start: re.Pattern[str]
    datelines: tuple[re.Pattern[str], ...]


def _alternation(entries: list[dict[str, str]], flags: int = 0) -> re.Pattern[str]:
    parts = [f"(?:{entry['pattern']})" for entry in entries]
    if not parts:
        return re.compile(r"(?!x)x")
    try:
        return re.compile("|".join(parts), flags)
    except re.error as exc:  # pragma: no cover - guarded by the tests of the data file
        raise ResourceError(f"a section rule does not compile: {exc}") from exc


@lru_cache(maxsize=8)
def _rules(rules_file: str, dateline_file: str) -> _Rules:
    data: dict[str, Any] = read_json(rules_file)
    datelines = read_json(dateline_file)
    return _Rules(
        line_boilerplate=_alternation(data["line_boilerplate"]),
        tail_markers=_alternation(data["tail_markers"]),
        phrase_boilerplate=_alternation(data["phrase_boilerplate"]),
        caption_credit=_alternation(data["caption_credit"]),
        caption_start=_alternation(data["caption_start"]),
        datelines=tuple(re.compile(entry["pattern"]) for entry in datelines["patterns"]),
    )


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) offsets with surrounding spaces trimmed."""
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


class SectionFinder:
    """The section rules applied to plain text (usable without spaCy: :meth:`find`)."""

    def __init__(
        self,
        *,
        rules: str = "sections.json",
        dateline_patterns: str = "dateline_patterns.json",
        detect_title: bool = True,
        title_max_chars: int = 200,
        title_max_words: int = 30,
        head_lines: int = 6,
        caption_max_chars: int = 600,
        lead_min_chars: int = 40,
    ) -> None:
        self.rules_file = rules
        self.dateline_file = dateline_patterns
        self.detect_title = detect_title
        self.title_max_chars = title_max_chars
        self.title_max_words = title_max_words
        self.head_lines = head_lines
        self.caption_max_chars = caption_max_chars
        self.lead_min_chars = lead_min_chars

    @property
    def rules(self) -> _Rules:
        return _rules(self.rules_file, self.dateline_file)

    # -- the procedure --------------------------------------------------------------------------
    def find(self, text: str) -> list[Segment]:
        lines = _lines(text)
        if not lines:
            return []
        rules = self.rules
        kinds: list[str | None] = [None] * len(lines)

        # 2. tail markers: everything from the marker on is boilerplate
        for i, (start, end) in enumerate(lines):
            if i > 0 and rules.tail_markers.match(text, start, end):
                for j in range(i, len(lines)):
                    kinds[j] = "boilerplate"
                break
        # 3a. whole boilerplate lines
        for i, (start, end) in enumerate(lines):
            if kinds[i] is None and rules.line_boilerplate.match(text, start, end):
                kinds[i] = "boilerplate"

        # 4. the head: title, captions, lead
        head = [i for i in range(len(lines)) if kinds[i] is None][: self.head_lines]
        if head and self.detect_title and len(lines) > 1:
            first = head[0]
            if first == 0 or all(kinds[j] == "boilerplate" for j in range(first)):
                if self._looks_like_title(text, *lines[first]) and not self._dateline_at(
                    text, lines[first][0]
                ):
                    kinds[first] = "title"
        for i, (start, end) in enumerate(lines):
            if kinds[i] is None and self._is_caption(text, start, end, in_head=i in head):
                kinds[i] = "caption"
        self._mark_lead(text, lines, kinds, head)

        # 3b/5/6: phrases inside lines, the dateline, the body
        segments: list[Segment] = []
        dateline_done = False
        for i, (start, end) in enumerate(lines):
            kind = kinds[i]
            if kind is not None:
                segments.append(Segment(kind, start, end))
                continue
            if not dateline_done:
                dateline_done = True
                dl_end = self._dateline_at(text, start)
                if dl_end:
                    segments.append(Segment("dateline", start, dl_end))
                    if dl_end >= end:  # a dateline split over lines (detik): skip those lines
                        for k in range(i + 1, len(lines)):
                            if lines[k][0] < dl_end:
                                kinds[k] = "dateline"
                        continue
                    start = dl_end
                    while start < end and text[start].isspace():
                        start += 1
            segments.extend(self._phrases(text, start, end))
        segments = [s for s in segments if s.kind != "dateline" or s.end > s.start]
        return _merge(text, _drop_covered(segments))

    def _looks_like_title(self, text: str, start: int, end: int) -> bool:
        line = text[start:end]
        if len(line) > self.title_max_chars or len(line.split()) > self.title_max_words:
            return False
        if len(line.split()) < 2 or line[-1] in ".:;,":
            return False
        return line[0].isupper() or line[0].isdigit() or line[0] in "\"'‘“"

    def _is_caption(self, text: str, start: int, end: int, *, in_head: bool) -> bool:
        if end - start > self.caption_max_chars:
            return False
        rules = self.rules
        if rules.caption_credit.search(text, start, end):
            return True
        return in_head and bool(rules.caption_start.match(text, start, end))

    def _mark_lead(
        self, text: str, lines: list[tuple[int, int]], kinds: list[str | None], head: list[int]
    ) -> None:
        """A head paragraph whose words open (or are contained in) the next body paragraph."""
        for position, i in enumerate(head):
            if kinds[i] is not None or position + 1 >= len(head):
                continue
            start, end = lines[i]
            if end - start < self.lead_min_chars:
                continue
            following = next((j for j in range(i + 1, len(lines)) if kinds[j] is None), None)
            if following is None:
                return
            lead = _norm(text[start:end])
            nstart, nend = lines[following]
            window = _norm(text[nstart : min(nend, nstart + 2 * (end - start) + 200)])
            if lead and lead in window:
                kinds[i] = "lead"
                return

    def _dateline_at(self, text: str, start: int) -> int:
        """End offset of a dateline starting at ``start`` (its separator included), or 0."""
        window_end = min(len(text), start + 160)
        for pattern in self.rules.datelines:
            match = pattern.match(text, start, window_end)
            if match and match.end() > start:
                end = match.end()
                while end > start and text[end - 1].isspace():
                    end -= 1
                return end
        return 0

    def _phrases(self, text: str, start: int, end: int) -> Iterator[Segment]:
        """Split one body line into body and boilerplate phrases."""
        cursor = start
        for match in self.rules.phrase_boilerplate.finditer(text, start, end):
            m_start, m_end = match.span()
            if m_end <= m_start:
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
    """The sections of ``text`` as :class:`Segment` objects (no spaCy needed)."""
    return SectionFinder(**settings).find(text)


class Sections:
    """spaCy component: ``doc.spans["sections"]`` from :class:`SectionFinder`."""

    def __init__(self, nlp: Language, name: str, **settings: Any) -> None:
        extensions.register()
        self.name = name
        self.finder = SectionFinder(**settings)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text  # a join over all tokens in spaCy: read it once
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


@Language.factory(
    "beritanlp_sections",
    assigns=["doc.spans"],
    requires=[],
    default_config={
        "rules": "sections.json",
        "dateline_patterns": "dateline_patterns.json",
        "detect_title": True,
        "title_max_chars": 200,
        "title_max_words": 30,
        "head_lines": 6,
        "caption_max_chars": 600,
        "lead_min_chars": 40,
    },
)
def make_sections(
    nlp: Language,
    name: str,
    rules: str,
    dateline_patterns: str,
    detect_title: bool,
    title_max_chars: int,
    title_max_words: int,
    head_lines: int,
    caption_max_chars: int,
    lead_min_chars: int,
) -> Sections:
    """Factory of the ``beritanlp_sections`` component (settings: see :class:`SectionFinder`)."""
    return Sections(
        nlp,
        name,
        rules=rules,
        dateline_patterns=dateline_patterns,
        detect_title=detect_title,
        title_max_chars=title_max_chars,
        title_max_words=title_max_words,
        head_lines=head_lines,
        caption_max_chars=caption_max_chars,
        lead_min_chars=lead_min_chars,
    )


def sections_of(doc: Doc) -> list[Span]:
    """The section spans of a processed doc (empty list if the component did not run)."""
    return list(doc.spans.get(extensions.SECTIONS_KEY, []))
