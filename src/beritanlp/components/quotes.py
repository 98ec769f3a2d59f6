"""Quotations attributed to their speaker (``beritanlp_quotes``): ``doc._.beritanlp_quotes``.

Rules over beritanlp's sentences and person entities; no syntax layer needed. Three patterns,
with the speech verbs in ``data/quote_cues.json``:

* **cue after** the quotation: ``…, kata Qin.`` / ``"…," ujar Menteri Luar Negeri Rusia Sergei
  Lavrov.`` The quotation runs from the sentence start (or its opening quotation mark, which may
  be a few sentences back for a multi-sentence quote) to the comma or closing mark before the cue;
  the speaker is the first person entity within ``max_speaker_gap`` tokens after the cue (a role
  such as ``Menteri Luar Negeri Rusia`` may stand between), or the previous speaker for a pronoun
  (``kata dia``) or a clitic (``katanya``).
* **cue before**: ``Lavrov mengatakan bahwa …`` / ``Qin menegaskan, "…"``. The speaker is a
  person entity (or a pronoun) right before the verb, with at most ``fillers`` (``juga``,
  ``kembali`` …) in between; the quotation is the rest of the sentence (after ``bahwa``, a comma or
  a colon), or up to the closing quotation mark when it opens one.
* **according to**: ``Menurut X, …``.

Settings: :class:`QuotesSettings`. ``cues`` and ``roles`` name the two data files, bundled names
or paths of your own (see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves their text with the
component (``cues.json``, ``roles.txt`` beside ``settings.json``) and ``from_disk`` reads them
back.

Each quote is a dict ``{speaker, speaker_start, speaker_end, text, start, end, cue, kind}``:
``speaker`` is the person's canonical name (``Qin`` → ``Qin Gang``) or ``None`` when no person
could be found (kept only for text in quotation marks); ``speaker_start/end`` are the offsets of
the mention that names the speaker (the pronoun for ``kata dia``; ``None`` for ``katanya``);
``text``/``start``/``end`` the quotation without its marks and final punctuation; ``cue`` the
speech verb as written; ``kind`` is ``"quoted"`` (in quotation marks) or ``"reported"``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.attrs import IS_SPACE, LOWER, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from .. import extensions
from ..errors import ResourceError
from ..records import Quote
from ..resources import DataFile, DataFiles, parse_json, parse_lines
from .base import DataFileComponent, Settings, register_factory

__all__ = ["FACTORY_NAME", "QuoteFinder", "QuotesSettings", "make_quotes"]

FACTORY_NAME = "beritanlp_quotes"
_OPEN = frozenset({'"', "“", "„", "«", "'", "‘"})
_CLOSE = frozenset({'"', "”", "»", "'", "’"})
_FINAL = frozenset({".", "!", "?", "…"})
_COMMA = frozenset({",", ":"})


@dataclass(frozen=True, slots=True)
class _Cues:
    after: frozenset[str]
    before: frozenset[str]
    according: frozenset[str]
    skip: frozenset[str]
    fillers: frozenset[str]
    pronouns: frozenset[str]
    addressee: frozenset[str]
    role_words: frozenset[str]

    @property
    def trigger_ids(self) -> frozenset[int]:
        """Hashes (spaCy ``LOWER`` values) of every cue word."""
        return _trigger_ids(self.after | self.before | self.according)


@lru_cache(maxsize=8)
def _trigger_ids(words: frozenset[str]) -> frozenset[int]:
    return frozenset(get_string_id(word) for word in words)


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("cues", "roles")


@dataclass(frozen=True, slots=True)
class QuotesSettings(Settings):
    """Settings of ``beritanlp_quotes``."""

    #: data file of the speech verbs and the other cue words (bundled name or path)
    cues: str = "quote_cues.json"
    #: data file of the role phrases, one a line: their words never name a speaker
    roles: str = "roles.txt"
    #: the entity labels of persons
    person_labels: tuple[str, ...] = ("PER",)
    #: how many tokens after a trailing cue (``kata …``) the speaker may stand
    max_speaker_gap: int = 12
    #: how many sentences a quotation in quotation marks may span
    max_quote_sentences: int = 6
    #: shorter quotations are dropped
    min_quote_chars: int = 8
    #: a capitalised name right after a trailing cue that the entity model missed is the speaker
    name_fallback: bool = True
    #: the longest such name, in tokens
    max_name_tokens: int = 3

    def check(self) -> None:
        self.require_file(*_DATA_SETTINGS)
        self.require_int("max_speaker_gap", "min_quote_chars", "max_name_tokens", least=0)
        self.require_int("max_quote_sentences", least=1)


_CUE_KEYS = ("after", "before", "according", "skip_after_cue", "fillers", "pronouns", "addressee")


@lru_cache(maxsize=4)
def _compile(cues_file: DataFile, roles_file: DataFile) -> _Cues:
    raw = parse_json(cues_file.text, cues_file.where)
    role_words = frozenset(
        word for line in parse_lines(roles_file.text) for word in line.lower().split()
    )
    try:
        words = [frozenset(w.lower() for w in raw[key]["words"]) for key in _CUE_KEYS]
    except (KeyError, TypeError) as exc:
        raise ResourceError(
            f"{cues_file.where} must map {'/'.join(_CUE_KEYS)} to "
            f'{{"words": [...]}} lists (see data/quote_cues.json): {exc!r}'
        ) from exc
    after, before, according, skip, fillers, pronouns, addressee = words
    return _Cues(after, before, according, skip, fillers, pronouns, addressee, role_words)


class QuoteFinder(DataFileComponent):
    """The ``beritanlp_quotes`` component.

    ``initialize`` reads the data files the settings name (again); ``to_disk`` writes the settings
    and the texts of the data files, ``from_disk`` reads them back
    (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = QuotesSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: QuotesSettings

    def _install(self, settings: QuotesSettings, data: DataFiles | None) -> None:
        super()._install(settings, data)
        self.person_labels = frozenset(settings.person_labels)

    def _prepare(self) -> None:
        self.cues  # noqa: B018  (compile: a damaged file fails here)

    @cached_property
    def cues(self) -> _Cues:
        """The cue words and role words (compiled on first use)."""
        data = self.data_files
        return _compile(data["cues"][0], data["roles"][0])

    def __call__(self, doc: Doc) -> Doc:
        cues = self.cues
        # column-wise reads: no spaCy Token object per token (most sentences have no cue)
        rows = doc.to_array([LOWER, IS_SPACE, SENT_START]).tolist() if len(doc) else []
        trigger_ids = cues.trigger_ids
        hits = [i for i, row in enumerate(rows) if row[0] in trigger_ids]
        if not hits:
            doc._.beritanlp_quotes = ()
            return doc
        lower = _Lower(doc.vocab.strings, [row[0] for row in rows])
        starts = [i for i, row in enumerate(rows) if row[2] == 1 or i == 0]
        bounds = list(zip(starts, [*starts[1:], len(rows)], strict=True))
        persons = sorted(
            (e for e in doc.ents if e.label_ in self.person_labels), key=lambda e: e.start
        )
        ctx = _Context(doc, lower, cues, {e.start: e for e in persons}, bounds)
        quotes: list[dict[str, Any]] = []
        last_speaker: str | None = None  # of the previous quote
        last_person: str | None = None  # the last person named before this sentence
        upcoming = iter(persons)
        pending = next(upcoming, None)
        hit_sentences = {bisect.bisect_right(starts, i) - 1 for i in hits}
        for k, (start, end) in enumerate(bounds):
            if k in hit_sentences:
                words = [i for i in range(start, end) if not rows[i][1]]
                found = self._sentence(ctx, k, words) if words else None
                if found is not None:
                    quote, how = found
                    if how == "pronoun":
                        quote["speaker"] = last_speaker or last_person
                    if quote["end"] - quote["start"] >= self.settings.min_quote_chars and (
                        quote["speaker"] is not None or quote["kind"] == "quoted"
                    ):
                        quotes.append(quote)
                        last_speaker = quote["speaker"] or last_speaker
            while pending is not None and pending.start < end:
                last_person = pending._.beritanlp_canonical or pending.text
                pending = next(upcoming, None)
        doc._.beritanlp_quotes = tuple(Quote(**q) for q in quotes)
        return doc

    # -- one sentence ------------------------------------------------------------------------
    def _sentence(self, ctx: _Context, k: int, words: list[int]) -> _Found | None:
        """The first quote of sentence ``k`` (non-space token indices ``words``), if any."""
        for pos, i in enumerate(words):
            word = ctx.lower[i]
            found: _Found | None = None
            if word in ctx.cues.after and pos > 0 and self._before_is_break(ctx.doc, words, pos):
                found = self._cue_after(ctx, k, words, pos)
            elif word in ctx.cues.before:
                found = self._cue_before(ctx, k, words, pos)
            elif word in ctx.cues.according and (pos == 0 or ctx.doc[words[pos - 1]].is_punct):
                found = self._according(ctx, words, pos)
            if found is not None:
                return found
        return None

    @staticmethod
    def _before_is_break(doc: Doc, words: list[int], pos: int) -> bool:
        """A trailing cue follows a comma and/or a closing quotation mark."""
        prev = doc[words[pos - 1]].text
        return prev in _COMMA or prev in _CLOSE

    def _person(self, ctx: _Context, i: int) -> Span | None:
        """The person entity that token ``i`` belongs to, if any."""
        token = ctx.doc[i]
        if token.ent_type_ not in self.person_labels or token.ent_iob_ not in ("B", "I"):
            return None
        start = i
        while ctx.doc[start].ent_iob_ == "I" and start > 0:
            start -= 1
        ent = ctx.persons.get(start)
        if ent is not None and all(t.lower_ in ctx.cues.role_words for t in ent):
            return None  # 'Wakapolri' tagged as a person: a title, not a name
        return ent

    @staticmethod
    def _mention(ent: Span) -> tuple[str, int, int, str]:
        return ent._.beritanlp_canonical or ent.text, ent.start_char, ent.end_char, "entity"

    def _cue_after(self, ctx: _Context, k: int, words: list[int], pos: int) -> _Found | None:
        """``…, kata Qin.`` / ``"…," ujar Lavrov.``"""
        doc = ctx.doc
        speaker: str | None = None
        s_start = s_end = None
        how = "none"
        cue = ctx.lower[words[pos]]
        if cue.endswith("nya") and cue[:-3] in ctx.cues.after:
            how = "pronoun"
        else:
            # a role may stand between the cue and the name, with commas: 'kata Kepala Bantuan
            # PBB, Tom Fletcher, kepada …'
            for step in range(pos + 1, min(len(words), pos + 1 + self.settings.max_speaker_gap)):
                token = doc[words[step]]
                if token.text in _FINAL or token.text in _OPEN:
                    break
                if step == pos + 1 and ctx.lower[words[step]] in ctx.cues.pronouns:
                    s_start, s_end, how = token.idx, token.idx + len(token.text), "pronoun"
                    break
                ent = self._person(ctx, words[step])
                if ent is not None:
                    speaker, s_start, s_end, how = self._mention(ent)
                    break
            if how == "none":
                found = self._role_speaker(ctx, words, pos + 1)
                if found is not None:
                    speaker, s_start, s_end = found
                    how = "role"
            if how == "none" and self.settings.name_fallback:
                found = self._name_after(ctx, words, pos + 1)
                if found is not None:
                    speaker, s_start, s_end = found
                    how = "name"
        end_tok = pos - 1  # back over the comma and closing mark before the cue
        while end_tok >= 0 and (
            doc[words[end_tok]].text in _COMMA or doc[words[end_tok]].text in _CLOSE
        ):
            end_tok -= 1
        if end_tok < 0:
            return None
        closes = any(doc[words[j]].text in _CLOSE for j in range(end_tok + 1, pos))
        first = words[0]
        kind = "reported"
        if closes:
            kind = "quoted"
            opener = self._find_opener(ctx, k, words[end_tok])
            if opener is not None:
                first = opener + 1
        elif doc[first].text in _OPEN and len(words) > 1:
            first = words[1]
        last = doc[words[end_tok]]
        start, end = doc[first].idx, last.idx + len(last.text)
        return _quote(ctx, speaker, s_start, s_end, start, end, doc[words[pos]], kind), how

    def _role_speaker(
        self, ctx: _Context, words: list[int], pos: int
    ) -> tuple[str, int, int] | None:
        """A speaker named only by a role (``kata Menkumham``): the person the article
        introduced with that role (``Menkumham Supratman Andi Agtas``), if exactly one."""
        doc = ctx.doc
        run: list[int] = []
        for step in range(pos, min(len(words), pos + self.settings.max_name_tokens + 1)):
            token = doc[words[step]]
            if token.is_punct or ctx.lower[words[step]] not in ctx.cues.role_words:
                break
            run.append(words[step])
        if not run:
            return None
        first, last = doc[run[0]], doc[run[-1]]
        start, end = first.idx, last.idx + len(last.text)
        role = extensions.doc_text(doc)[start:end].lower()
        people = {
            ent._.beritanlp_canonical or ent.text
            for ent in ctx.persons.values()
            if ent._.beritanlp_role
            and ent._.beritanlp_role.lower().split()[-len(role.split()) :] == role.split()
        }
        if len(people) != 1:
            return None
        return next(iter(people)), start, end

    def _name_after(self, ctx: _Context, words: list[int], pos: int) -> tuple[str, int, int] | None:
        """A capitalised name right after a trailing cue that the entity model missed
        (``ujar Muazzim.``, ``ungkap Eng Hian saat …``): up to ``max_name_tokens`` title-case
        words, none of them a role word (``kata Wakapolri`` names no one)."""
        doc = ctx.doc
        run: list[int] = []
        for step in range(pos, min(len(words), pos + self.settings.max_name_tokens + 1)):
            token = doc[words[step]]
            if not token.is_title or token.is_punct:
                break
            run.append(words[step])
        if not run or len(run) > self.settings.max_name_tokens:
            return None
        if any(
            ctx.lower[i] in ctx.cues.role_words or ctx.lower[i] in ctx.cues.pronouns for i in run
        ):
            return None
        first, last = doc[run[0]], doc[run[-1]]
        start, end = first.idx, last.idx + len(last.text)
        return extensions.doc_text(doc)[start:end], start, end

    def _find_opener(self, ctx: _Context, k: int, before: int) -> int | None:
        """The opening mark of a quote that closes at token ``before``: in this sentence or up
        to ``max_quote_sentences - 1`` sentences back."""
        first = ctx.sentences[max(0, k - self.settings.max_quote_sentences + 1)][0]
        for i in range(before, first - 1, -1):
            if ctx.doc[i].text in _OPEN and (ctx.doc[i].text not in _CLOSE or _opens(ctx.doc, i)):
                return i
        return None

    def _find_closer(self, ctx: _Context, k: int, after: int) -> int | None:
        last = ctx.sentences[
            min(len(ctx.sentences) - 1, k + self.settings.max_quote_sentences - 1)
        ][1]
        for i in range(after, last):
            if ctx.doc[i].text in _CLOSE and not _opens(ctx.doc, i):
                return i
        return None

    def _cue_before(self, ctx: _Context, k: int, words: list[int], pos: int) -> _Found | None:
        """``Lavrov mengatakan bahwa …`` / ``Qin menegaskan, "…"``."""
        doc, lower, cues = ctx.doc, ctx.lower, ctx.cues
        j = pos - 1
        while j >= 0 and lower[words[j]] in cues.fillers:
            j -= 1
        if j < 0:
            return None
        token = doc[words[j]]
        ent = self._person(ctx, words[j])
        speaker: str | None
        if ent is not None:
            speaker, s_start, s_end, how = self._mention(ent)
        elif lower[words[j]] in cues.pronouns:
            speaker, s_start, s_end, how = None, token.idx, token.idx + len(token.text), "pronoun"
        else:
            return None
        c = pos + 1  # the content starts after 'bahwa', a comma or a colon
        if c < len(words) and lower[words[c]] in cues.addressee:
            # 'mengaku kepada wartawan bahwa …': skip to 'bahwa' or a comma, else no quote
            ahead = [
                n
                for n in range(c + 1, len(words))
                if lower[words[n]] in cues.skip or doc[words[n]].text in _COMMA
            ]
            if not ahead:
                return None
            c = ahead[0]
        while c < len(words) and (lower[words[c]] in cues.skip or doc[words[c]].text in _COMMA):
            c += 1
        kind = "reported"
        if c < len(words) and doc[words[c]].text in _OPEN:
            kind = "quoted"
            c += 1
        if c >= len(words):
            return None
        last = words[-1]
        if kind == "quoted":
            closer = self._find_closer(ctx, k, words[c])
            if closer is not None:
                last = closer - 1
        end_token = doc[last]
        while end_token.i > words[c] and (
            end_token.text in _FINAL or end_token.text in _CLOSE or end_token.is_space
        ):
            end_token = doc[end_token.i - 1]
        start, end = doc[words[c]].idx, end_token.idx + len(end_token.text)
        return _quote(ctx, speaker, s_start, s_end, start, end, doc[words[pos]], kind), how

    def _according(self, ctx: _Context, words: list[int], pos: int) -> _Found | None:
        """``Menurut <person>, <content>.``"""
        doc = ctx.doc
        if pos + 1 >= len(words):
            return None
        token = doc[words[pos + 1]]
        ent = self._person(ctx, words[pos + 1])
        speaker: str | None
        if ent is not None:
            speaker, s_start, s_end, how = self._mention(ent)
            after = ent.end
        elif ctx.lower[token.i] in ctx.cues.pronouns:
            speaker, s_start, s_end, how = None, token.idx, token.idx + len(token.text), "pronoun"
            after = token.i + 1
        else:
            return None
        rest = [w for w in words if w >= after]
        if len(rest) < 2 or doc[rest[0]].text not in _COMMA:
            return None
        first = rest[1]
        end_token = doc[rest[-1]]
        while end_token.i > first and (end_token.text in _FINAL or end_token.text in _CLOSE):
            end_token = doc[end_token.i - 1]
        start, end = doc[first].idx, end_token.idx + len(end_token.text)
        return _quote(ctx, speaker, s_start, s_end, start, end, doc[words[pos]], "reported"), how


class _Lower:
    """Lower-cased token texts, looked up only for the tokens the rules read."""

    __slots__ = ("ids", "strings")

    def __init__(self, strings: Any, ids: list[int]) -> None:
        self.strings = strings
        self.ids = ids

    def __getitem__(self, i: int) -> str:
        return self.strings[self.ids[i]]  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class _Context:
    """What the rules need about one doc."""

    doc: Doc
    lower: _Lower
    cues: _Cues
    persons: dict[int, Span]  # start token -> person entity
    sentences: list[tuple[int, int]]  # token bounds [start, end) of every sentence


_Found = tuple[dict[str, Any], str]  # (quote, how the speaker was found)


def _quote(
    ctx: _Context,
    speaker: str | None,
    s_start: int | None,
    s_end: int | None,
    start: int,
    end: int,
    cue: Token,
    kind: str,
) -> dict[str, Any]:
    text = extensions.doc_text(ctx.doc)
    return {
        "speaker": speaker,
        "speaker_start": s_start,
        "speaker_end": s_end,
        "text": text[start:end],
        "start": start,
        "end": end,
        "cue": cue.text,
        "kind": kind,
    }


def _opens(doc: Doc, i: int) -> bool:
    """Whether an ambiguous mark (``"`` or ``'``) at ``i`` opens a quotation: nothing but
    whitespace, punctuation or the text start before it, and a word right after it."""
    before = doc[i - 1] if i > 0 else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    if after is None or after.is_space or after.is_punct:
        return False
    return before is None or before.is_space or bool(before.whitespace_) or before.is_punct


make_quotes = register_factory(
    FACTORY_NAME,
    QuotesSettings,
    QuoteFinder,
    assigns=["doc._.beritanlp_quotes"],
    requires=["token.is_sent_start", "doc.ents"],
)
