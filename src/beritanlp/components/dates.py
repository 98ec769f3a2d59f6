"""Date and time expressions, normalised to ISO 8601 (TIMEX3-like values).

One compiled regular expression (built lazily from ``data/dates_id.json``: month and weekday
names, relative words, parts of the day, time zones) is run once over ``doc.text``; each match is
checked (context rules for bare years and months) and resolved against an *anchor*, the
publication date:

1. ``doc._.beritanlp_context["published"]`` when the caller gave one (``published_source =
"given"``);
2. otherwise it is inferred from the text (``"inferred"``): a short *date line*
   (``Rabu, 18 Jun 2025 07:30 WIB``, ``Kompas.com - 18/06/2025, 21:35 WIB``), else the first full
   date in a photo caption (``… pada 4 Mei 2023. (Xinhua/…)``), else the first full date with
   its weekday (``Senin (9/6/2025)``) near the start of the body (any full date there only with
   ``infer_from_body_any``); dates in boilerplate (``Berita Terkait`` lists) are never used;
3. with no anchor, absolute expressions are still resolved; a date without its year is written
   ``XXXX-05-04`` (TIMEX3 style) and relative expressions (``kemarin``) get ``value: None``.

``doc._.beritanlp_dates`` is a tuple of :class:`beritanlp.records.DateExpression` (``text,
start, end, value, granularity, kind``); the kinds and granularities are documented in
``docs/dates.md``. ``doc._.beritanlp_published`` is the publication date this component
*inferred* (a :class:`beritanlp.records.Published`, ``source="inferred"``), ``None`` when the
caller gave one (that stays in ``doc._.beritanlp_context``; :class:`~beritanlp.article.Article`
shows the given date first) or none could be inferred. The dateline region (where a bare
``27/11`` is a date, and where the body starts) is the ``dateline`` section of
``doc.spans["sections"]``. This component writes nothing else: the dateline component, which
runs after it, takes the dateline's date from ``doc._.beritanlp_dates``.

Settings: :class:`DatesSettings`. ``data`` names the language data file, a bundled name or a path
of your own (see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves its text with the component
(``data.json`` beside ``settings.json``) and ``from_disk`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.tokens import Doc

from .. import extensions
from ..errors import ResourceError
from ..records import DateExpression, Published
from ..resources import DataFile, DataFileUser, parse_json
from .base import DataFileComponent, Settings, register_factory, text_rules

__all__ = ["DateFinder", "Dates", "DatesSettings", "find_dates", "make_dates"]

Found = dict[str, Any]
#: (end offset, value, granularity, kind) of a resolved match
_Resolved = tuple[int, str | None, str, str]


def _alt(words: list[str]) -> str:
    """A regex alternation of words, longest first, spaces matching any white space."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _trie(words: set[str]) -> str:
    """A regex alternation with shared prefixes factored out (much faster to try than a flat
    alternation: one character comparison per branch point)."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + emit(sub) for c, sub in sorted(node.items()) if c]
        if not branches:
            return ""
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if "" in node else body

    return emit(root)


@dataclass(frozen=True, slots=True)
class _Lang:
    pattern: re.Pattern[str]
    first_words: frozenset[str]  # the words an expression can start with (besides digits, "(")
    candidates: re.Pattern[str]  # where an expression may start (on lower-cased text)
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: dict[str, dict[str, Any]]
    past: frozenset[str]
    future: frozenset[str]
    units: dict[str, str]
    numbers: dict[str, int]
    parts: dict[str, str]
    afternoon: frozenset[str]
    modifiers: dict[str, str]
    timezones: dict[str, str]
    year_strong: frozenset[str]
    year_before: frozenset[str]
    year_nouns: frozenset[str]
    year_after: frozenset[str]
    month_before: frozenset[str]


def _norm(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").split())


@lru_cache(maxsize=4)
def _compile(data_file: DataFile) -> _Lang:
    data: dict[str, Any] = parse_json(data_file.text, data_file.where)
    try:
        return _build(data)
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        raise ResourceError(
            f"{data_file.where} is not a valid date data file ({type(exc).__name__}: {exc}); "
            f"start from a copy of the bundled dates_id.json"
        ) from exc


def _build(data: dict[str, Any]) -> _Lang:
    months: dict[str, int] = {}
    standalone: list[str] = []
    excluded = set(data.get("standalone_month_names_exclude", ()))
    for number, entry in data["months"].items():
        for name in entry["names"]:
            months[name] = int(number)
            if name not in excluded:
                standalone.append(name)
        for abbreviation in entry["abbreviations"]:
            months[abbreviation] = int(number)
    weekdays = {_norm(n): int(k) for k, names in data["weekdays"].items() for n in names}
    weekday_forms = [n for names in data["weekdays"].values() for n in names]
    units: dict[str, str] = data["units"]
    numbers: dict[str, int] = data["numbers"]
    parts: dict[str, str] = data["parts_of_day"]
    tzs: dict[str, str] = data["timezones"]
    past = list(data["past"])
    future = list(data["future"])
    present = list(data["present"])

    wd = f"(?:{_alt(weekday_forms)})"
    mn_any = f"(?:{_alt(list(months))})"
    mn_full = f"(?:{_alt(standalone)})"
    pod = f"(?:{_alt(list(parts))})"
    tz = f"(?:{_alt(list(tzs))})"
    marker = f"(?:{_alt(data['time_markers'])})"
    rel_all = f"(?:{_alt(past + future + present)})"
    unit = f"(?:{_alt(list(units))})"
    num_words = [n for n in numbers if n != "se"]
    num = rf"(?:\d{{1,3}}|{_alt(num_words)}|beberapa)"
    mod = f"(?:{_alt(list(data['modifiers']))})"
    reldays = f"(?:{_alt(list(data['relative_days']))})"
    sep = r"[ \t\xa0]"

    def time(p: str) -> str:
        return (
            rf"(?P<{p}_time>{sep}*(?:,{sep}*)?"
            # only a real clock time: a marker, hh:mm, or hh.mm before a time zone
            rf"(?=(?:{marker})|\d{{1,2}}:\d\d|\d{{1,2}}\.\d\d{sep}*{tz}\b)"
            rf"(?:(?P<{p}_mk>{marker}){sep}*)?"
            rf"(?P<{p}_hh>\d{{1,2}})(?:[.:](?P<{p}_mm>\d{{2}}))?(?![\d]|[.,:]\d)"
            rf"(?:{sep}*(?P<{p}_tz>{tz})\b)?(?:{sep}+(?P<{p}_pod2>{pod})\b)?)"
        )

    branches = [
        # A: calendar dates, optional weekday before and time / part of day after
        rf"(?P<A>(?:(?P<a_wd>{wd})\b{sep}*(?:,{sep}*)?)?"
        rf"(?:\({sep}*(?P<a_pd>\d{{1,2}}){sep}?/{sep}?(?P<a_pm>\d{{1,2}})"
        rf"(?:{sep}?/{sep}?(?P<a_py>\d{{4}}|\d{{2}}))?{sep}*\)"
        rf"|(?<![\d/.,])(?P<a_nd>\d{{1,2}})/(?P<a_nm>\d{{1,2}})(?:/(?P<a_ny>\d{{4}}|\d{{2}}))?(?![\d/])"
        rf"|(?<![\d/.,])(?P<a_hd>\d{{1,2}})-(?P<a_hm>\d{{1,2}})-(?P<a_hy>\d{{4}})(?!\d)"
        rf"|(?<![\d/.,])(?P<a_d>\d{{1,2}}){sep}*(?P<a_mn>{mn_any})\b\.?"
        rf"(?:{sep}*(?:,{sep}*)?(?P<a_y>\d{{4}})(?![\d]|[.,]\d))?)"
        rf"(?:{sep}+(?P<a_pod>{pod})\b)?{time('a')}?)",
        # B: weekday alone or with a relative word / part of day / time
        rf"(?P<B>(?P<b_wd>{wd})\b(?:{sep}+(?P<b_rel>(?:pekan|minggu){sep}+(?:lalu|depan)|{rel_all})\b)?"
        rf"(?:{sep}+(?P<b_pod>{pod})\b)?{time('b')}?)",
        # G: N units ago / ahead ("dua hari lalu", "3 jam lalu", "sepekan lalu")
        rf"(?P<G>\b(?:(?P<g_num>{num}){sep}+|(?P<g_se>se))(?P<g_unit>{unit}){sep}+"
        rf"(?P<g_rel>{_alt(past + future)})\b)",
        # H: durations ("selama dua hari")
        rf"(?P<H>\bselama{sep}+(?:(?P<h_num>{num}){sep}+|(?P<h_se>se))(?P<h_unit>{unit})\b)",
        # F: relative days ("kemarin", "hari ini", "besok", "kemarin lusa", "tadi malam")
        rf"(?P<F>\b(?P<f_rel>{reldays})\b(?:{sep}+(?P<f_pod>{pod})\b)?{time('f')}?)",
        # E: relative weeks, months, years ("pekan lalu", "akhir pekan", "bulan depan")
        rf"(?P<E>\b(?:(?P<e_mod>{mod}){sep}+)?(?P<e_unit>pekan|minggu|bulan|tahun)"
        rf"(?:{sep}+(?P<e_rel>{rel_all})\b|(?<=pekan)|(?<=minggu)))",
        # C: month names with a year, relative word or modifier ("awal Mei", "Maret lalu")
        rf"(?P<C>\b(?:(?P<c_mod>{mod}){sep}+)?(?:(?P<c_bulan>bulan){sep}+)?(?P<c_mn>{mn_full})\b"
        rf"(?:{sep}+(?P<c_y>\d{{4}})(?![\d]|[.,]\d)|{sep}+(?P<c_rel>{rel_all})\b)?)",
        # D: years ("tahun 2019", "pada 1998", "akhir 2020")
        rf"(?P<D>\b(?:(?P<d_mod>{mod}){sep}+)?(?:(?P<d_tahun>tahun){sep}+)?(?<![\d.,/-])"
        rf"(?P<d_y>(?:1[89]|20)\d\d)(?![\d]|[.,/\-–]\d)(?:{sep}+(?P<d_rel>lalu|silam)\b)?)",
        # T: clock times ("pukul 14.30 WIB", "14:30 WITA")
        rf"(?P<T>(?:\b(?P<t_mk>{marker}){sep}*(?P<t_hh>\d{{1,2}})(?:[.:](?P<t_mm>\d{{2}}))?"
        rf"|(?<![\d.,])(?P<t_hh2>\d{{1,2}})[.:](?P<t_mm2>\d{{2}})(?={sep}*{tz}\b))"
        rf"(?![\d]|[.,:]\d)(?:{sep}*(?P<t_tz>{tz})\b)?(?:{sep}+(?P<t_pod>{pod})\b)?)",
    ]
    # only at word starts: the lookbehind rejects mid-word positions before any branch is tried
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(branches) + ")", re.IGNORECASE)
    starters: list[str] = [
        *months,
        *weekday_forms,
        *data["relative_days"],
        *data["modifiers"],
        *units,
        *numbers,
        *data["time_markers"],
        "selama",
        "beberapa",
        "bulan",
        "tahun",
    ]
    first_words = {_FIRST.findall(w.lower())[0] for w in starters if _FIRST.findall(w)}
    first_words |= {"se" + u for u in units}
    candidates = re.compile(r"(?<![^\W_])(?:[0-9(]|" + _trie(first_words) + r"(?![^\W_]))")
    return _Lang(
        pattern=pattern,
        first_words=frozenset(first_words),
        candidates=candidates,
        months=months,
        weekdays=weekdays,
        relative_days={_norm(k): v for k, v in data["relative_days"].items()},
        past=frozenset(past),
        future=frozenset(future),
        units=units,
        numbers=numbers,
        parts=parts,
        afternoon=frozenset(data.get("afternoon_parts", ())),
        modifiers=data["modifiers"],
        timezones={k.upper(): v for k, v in tzs.items()},
        year_strong=frozenset(data.get("year_context_strong", ())),
        year_before=frozenset(data["year_context_before"]),
        year_nouns=frozenset(data.get("year_count_nouns", ())),
        year_after=frozenset(data["year_followers"]),
        month_before=frozenset(data["month_context_before"]),
    )


_FIRST = re.compile(r"[^\W_]+")
_PREV_WORD = re.compile(r"([A-Za-z]+)[^\w\n]{0,3}$")
_NEXT_WORD = re.compile(r"[ \t\xa0]+([a-z]+)")
_WORDS = re.compile(r"[A-Za-z]{2,}")


def _week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


@dataclass(slots=True)
class _Anchor:
    day: dt.date
    moment: dt.datetime | None  # with a time of day (aware or naive)


def _parse_anchor(value: str | None) -> _Anchor | None:
    if not value:
        return None
    try:
        if len(value) <= 10:
            return _Anchor(dt.date.fromisoformat(value), None)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return _Anchor(moment.date(), moment)
    except ValueError:
        return None


#: The settings that name data files (saved with the component by ``to_disk``).
_DATA_SETTINGS = ("data",)


@dataclass(frozen=True, slots=True)
class DatesSettings(Settings):
    """Settings of ``beritanlp_dates`` (and of :class:`DateFinder`)."""

    #: data file of month and weekday names, relative words, parts of the day and time zones
    #: (bundled name or path)
    data: str = "dates_id.json"
    #: infer the publication date from the text when the caller gave none
    infer_published: bool = True
    #: ... from the first full date with its weekday near the start of the body
    infer_from_body: bool = True
    #: ... or from any full date there
    infer_from_body_any: bool = False
    #: how far after the start of the body (characters) a date line or body date is looked for
    infer_window_chars: int = 1500
    #: the longest line (characters) that is a date line (``Rabu, 18 Jun 2025 07:30 WIB``)
    date_line_max_chars: int = 100
    #: how many other words a date line may hold
    date_line_max_words: int = 3

    def check(self) -> None:
        self.require_file("data")
        self.require_int(
            "infer_window_chars", "date_line_max_chars", "date_line_max_words", least=0
        )


class DateFinder(DataFileUser):
    """The date rules applied to plain text (usable without spaCy: :meth:`find`).

    ``DateFinder(settings=None, *, data=None, **overrides)``: ``settings`` (default: the defaults
    of :class:`DatesSettings`) with ``overrides`` applied; ``data`` the text of the language data
    file (by setting) where it does not come from the file the settings name (a saved
    pipeline)."""

    SETTINGS = DatesSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: DatesSettings

    @cached_property
    def lang(self) -> _Lang:
        """The compiled language data."""
        return _compile(self.data_files["data"][0])

    # -- the procedure --------------------------------------------------------------------------
    def find(
        self,
        text: str,
        published: str | None = None,
        *,
        captions: list[tuple[int, int]] | None = None,
        dateline: tuple[int, int] | None = None,
        body_start: int = 0,
        boilerplate: list[tuple[int, int]] | None = None,
    ) -> tuple[list[Found], str | None, str | None]:
        """Return (dates, published ISO string, published source) for ``text``.

        ``captions``: caption sections (start, end); ``dateline``: the dateline region (a bare
        ``27/11`` is a date there); ``body_start``: where the body starts (for inference);
        ``boilerplate``: regions whose dates are reported but never taken as the publication date
        (``Berita Terkait`` lists).
        """
        raw = [m for m in self._scan(text) if self._accept(text, m, dateline)]
        anchor = _parse_anchor(published)
        source: str | None = "given" if anchor else None
        if anchor is None and self.settings.infer_published:
            inferred = self._infer(text, raw, captions or [], body_start, boilerplate or [])
            if inferred is not None:
                published, anchor, source = inferred[0], inferred[1], "inferred"
        out = []
        for match in raw:
            found = self._resolve(text, match, anchor)
            if found is not None:
                out.append(found)
        return out, (published if anchor else None), source

    def _scan(self, text: str) -> list[re.Match[str]]:
        """Matches of the date pattern, tried only where a word could start an expression (a
        digit, a bracket or a listed first word): far faster than ``finditer`` over every
        position of the text."""
        lang = self.lang
        lower = text.lower()
        if len(lower) != len(text):  # a few characters change length when lower-cased
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        match = lang.pattern.match
        out: list[re.Match[str]] = []
        resume = 0
        for candidate in lang.candidates.finditer(lower):
            start = candidate.start()
            if start < resume:
                continue
            found = match(text, start)
            if found is not None and found.end() > start:
                out.append(found)
                resume = found.end()
        return out

    # -- acceptance (context rules) -------------------------------------------------------------
    def _accept(self, text: str, m: re.Match[str], dateline: tuple[int, int] | None) -> bool:
        lang = self.lang
        kind = m.lastgroup
        if kind == "A":
            if m.group("a_nd") and not m.group("a_ny") and not m.group("a_wd"):
                # a bare 4/5 is a date only in the dateline (27/11) or after a weekday
                return dateline is not None and dateline[0] <= m.start() < dateline[1]
            return True
        if kind == "B":
            if m.group("b_rel") or m.group("b_pod") or m.group("b_time"):
                return True
            # a bare weekday must be capitalised ("pada Senin"); "Senin (4/5)" is branch A
            return m.group("b_wd")[0].isupper()
        if kind == "E":
            return bool(m.group("e_rel")) or (
                _norm(m.group("e_mod") or "") == "akhir"
                and m.group("e_unit").lower() in ("pekan", "minggu")
            )
        if kind == "C":
            if m.group("c_y") or m.group("c_rel") or m.group("c_mod") or m.group("c_bulan"):
                return True
            return self._prev_word(text, m.start()) in lang.month_before
        if kind == "D":
            if m.group("d_tahun") or m.group("d_rel") or m.group("d_mod"):
                return True
            previous = self._prev_word(text, m.start())
            nxt = _NEXT_WORD.match(text, m.end())
            if previous in lang.year_strong:  # "pada 1998 membuat …", not "pada 1998 orang"
                return nxt is None or nxt.group(1) not in lang.year_nouns
            if previous not in lang.year_before:
                return False
            return nxt is None or nxt.group(1) in lang.year_after
        if kind == "T":
            hour = int(m.group("t_hh") or m.group("t_hh2"))
            minute = int(m.group("t_mm") or m.group("t_mm2") or 0)
            if hour > 24 or minute > 59:
                return False
            return (
                bool(m.group("t_mm") or m.group("t_tz") or m.group("t_pod"))
                or (m.group("t_mk") or "").lower() != "jam"
            )
        return True

    @staticmethod
    def _prev_word(text: str, start: int) -> str:
        match = _PREV_WORD.search(text, max(0, start - 20), start)
        return match.group(1).lower() if match else ""

    # -- publication date -----------------------------------------------------------------------
    def _infer(
        self,
        text: str,
        raw: list[re.Match[str]],
        captions: list[tuple[int, int]],
        body_start: int,
        boilerplate: list[tuple[int, int]],
    ) -> tuple[str, _Anchor, str] | None:
        full = [
            m
            for m in raw
            if m.lastgroup == "A"
            and self._full_date(m) is not None
            and not any(s <= m.start() < e for s, e in boilerplate)
        ]
        # 1. a date line: the date with a few words around it on a short line
        for m in full:
            if m.start() >= body_start + self.settings.infer_window_chars:
                break
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line_end = len(text) if line_end < 0 else line_end
            if line_end - line_start > self.settings.date_line_max_chars:
                continue
            rest = text[line_start : m.start()] + " " + text[m.end() : line_end]
            if rest.rstrip().endswith((".", "!", "?", '"', "”")):
                continue  # a sentence that mentions a date, not a date line
            if len(_WORDS.findall(rest)) <= self.settings.date_line_max_words:
                return self._published_of(m)
        # 2. the first full date in a caption
        for m in full:
            if any(s <= m.start() < e for s, e in captions):
                return self._published_of(m)
        # 3. the first full date with its weekday near the start of the body ("Senin
        # (9/6/2025)": the news event, usually the day of publication or the day before), then
        # (only with infer_from_body_any) any full date there
        limit = body_start + self.settings.infer_window_chars
        window = [m for m in full if body_start <= m.start() < limit]
        if self.settings.infer_from_body:
            for m in window:
                if m.group("a_wd"):
                    return self._published_of(m, self._apposition_days(text, raw, m))
        if self.settings.infer_from_body_any and window:
            return self._published_of(window[0])
        return None

    def _apposition_days(self, text: str, raw: list[re.Match[str]], m: re.Match[str]) -> int:
        """The day offset of a relative day written right before ``m`` ("kemarin, Senin
        (1/5/2023)": the date is the day *before* publication, so -1), else 0."""
        for previous in raw:
            if previous.end() > m.start():
                break
            if (
                previous.lastgroup == "F"
                and not text[previous.end() : m.start()].strip(" ,\t\xa0")
                and not previous.group("f_time")
            ):
                entry = self.lang.relative_days.get(_norm(previous.group("f_rel")), {})
                return int(entry.get("days", 0))
        return 0

    def _published_of(self, m: re.Match[str], offset_days: int = 0) -> tuple[str, _Anchor, str]:
        day = self._full_date(m)
        assert day is not None
        if offset_days:
            day -= dt.timedelta(days=offset_days)
        clock = self._clock(m, "a")
        if clock is not None and clock[1] is not None:
            hour, minute, offset = clock
            moment = dt.datetime.combine(day, dt.time(hour % 24, minute or 0))
            if offset:
                sign = 1 if offset[0] == "+" else -1
                hours, minutes = offset[1:].split(":")
                zone = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
                moment = moment.replace(tzinfo=zone)
            return moment.isoformat(), _Anchor(day, moment), "inferred"
        return day.isoformat(), _Anchor(day, None), "inferred"

    def _full_date(self, m: re.Match[str]) -> dt.date | None:
        """The date of an A match that has day, month and year."""
        day, month, year = self._dmy(m)
        if year is None or day is None or month is None:
            return None
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None

    def _dmy(self, m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
        g = m.group
        if g("a_pd"):
            d, mo, y = g("a_pd"), g("a_pm"), g("a_py")
        elif g("a_nd"):
            d, mo, y = g("a_nd"), g("a_nm"), g("a_ny")
        elif g("a_hd"):
            d, mo, y = g("a_hd"), g("a_hm"), g("a_hy")
        else:
            month = self.lang.months.get(g("a_mn").lower().rstrip("."))
            return int(g("a_d")), month, int(g("a_y")) if g("a_y") else None
        day, month_n = int(d), int(mo)
        if month_n > 12 and day <= 12:  # 10/19/2025: month first
            day, month_n = month_n, day
        year = None
        if y:
            year = int(y)
            if year < 100:
                year += 2000 if year < 70 else 1900
        return day, month_n, year

    def _clock(self, m: re.Match[str], p: str) -> tuple[int, int | None, str | None] | None:
        """(hour, minute, offset) of a time group, or None when it is not a time."""
        if not m.group(f"{p}_time"):
            return None
        marker, minute, zone = m.group(f"{p}_mk"), m.group(f"{p}_mm"), m.group(f"{p}_tz")
        separator = m.group(f"{p}_time")
        if not (marker or zone or (minute and ":" in separator)):
            return None
        hour = int(m.group(f"{p}_hh"))
        if hour > 24 or (minute and int(minute) > 59):
            return None
        part = m.group(f"{p}_pod2")
        hour = self._shift(hour, part)
        return (
            hour,
            int(minute) if minute else None,
            self.lang.timezones.get(zone.upper()) if zone else None,
        )

    def _shift(self, hour: int, part: str | None) -> int:
        if not part:
            return hour
        part = _norm(part)
        if (part == "siang" and hour < 6) or (part in ("sore", "petang") and hour < 12):
            return hour + 12
        if part == "malam" and 6 <= hour < 12:
            return hour + 12
        return hour

    # -- resolution -----------------------------------------------------------------------------
    def _resolve(self, text: str, m: re.Match[str], anchor: _Anchor | None) -> Found | None:
        kind = m.lastgroup
        handler = getattr(self, f"_resolve_{kind}")
        result = handler(m, anchor)
        if result is None:
            return None
        end, value, granularity, kind_name = result
        start = m.start()
        while end > start and text[end - 1] in " \t\xa0,":
            end -= 1
        return {
            "text": text[start:end],
            "start": start,
            "end": end,
            "value": value,
            "granularity": granularity,
            "kind": kind_name,
        }

    def _part(self, m: re.Match[str], *names: str) -> str | None:
        for name in names:
            if m.group(name):
                return self.lang.parts.get(_norm(m.group(name)))
        return None

    def _with_time(
        self, m: re.Match[str], p: str, day_value: str, part: str | None, kind: str
    ) -> _Resolved:
        """Append a clock time or part of day to a day value."""
        clock = self._clock(m, p)
        if clock is not None:
            hour, minute, offset = clock
            value = f"{day_value}T{hour % 24:02d}:{minute or 0:02d}{offset or ''}"
            return m.end(), value, "minute" if minute is not None else "hour", f"{kind}time"
        end = m.start(f"{p}_time") if m.group(f"{p}_time") else m.end()
        if part:
            return end, f"{day_value}T{part}", "part_of_day", kind
        return end, day_value, "day", kind

    def _resolve_A(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        day_n, month, year = self._dmy(m)
        if not month or not day_n or not 1 <= month <= 12 or not 1 <= day_n <= 31:
            return None
        weekday = self.lang.weekdays.get(_norm(m.group("a_wd"))) if m.group("a_wd") else None
        if year is None and anchor is not None:
            year = self._nearest_year(month, day_n, anchor.day)
        if year is None:
            value = f"XXXX-{month:02d}-{day_n:02d}"
            mismatch = False
        else:
            try:
                day = dt.date(year, month, day_n)
            except ValueError:
                return None
            value = day.isoformat()
            mismatch = weekday is not None and day.weekday() != weekday
        part = self._part(m, "a_pod")
        end, resolved, granularity, kind = self._with_time(m, "a", value, part, "date")
        if mismatch:
            kind += "_weekday_mismatch"
        return end, resolved, granularity, kind

    @staticmethod
    def _nearest_year(month: int, day: int, anchor: dt.date) -> int | None:
        best: tuple[int, int] | None = None
        for year in (anchor.year, anchor.year - 1, anchor.year + 1):
            try:
                distance = abs((dt.date(year, month, day) - anchor).days)
            except ValueError:
                continue
            if best is None or distance < best[0]:
                best = (distance, year)
        return None if best is None else best[1]

    def _direction(self, word: str | None) -> int:
        if not word:
            return 0
        word = _norm(word)
        if word in self.lang.past:
            return -1
        if word in self.lang.future:
            return 1
        return 0

    def _resolve_B(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        word = _norm(m.group("b_wd"))
        rel = _norm(m.group("b_rel")) if m.group("b_rel") else None
        if word == "minggu" and rel in ("lalu", "depan", "ini", "mendatang", "yang lalu"):
            # "minggu lalu" is "last week", not "last Sunday"
            if anchor is None:
                return m.end("b_rel"), None, "week", "relative"
            shift = {"lalu": -7, "yang lalu": -7, "depan": 7, "mendatang": 7}.get(rel, 0)
            return m.end("b_rel"), _week(anchor.day + dt.timedelta(days=shift)), "week", "relative"
        weekday = self.lang.weekdays[word]
        part = self._part(m, "b_pod")
        if anchor is None:
            end = m.start("b_time") if m.group("b_time") else m.end()
            if self._clock(m, "b") is not None:
                end = m.end()
            return end, None, "day", "relative"
        base = anchor.day
        if rel and rel.startswith(("pekan", "minggu")):
            monday_last = base - dt.timedelta(days=base.weekday() + 7)
            day = monday_last + dt.timedelta(days=weekday)
            if "depan" in rel:
                day = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7 + weekday)
        else:
            direction = self._direction(rel)
            if direction > 0:
                ahead = (weekday - base.weekday()) % 7 or 7
                day = base + dt.timedelta(days=ahead)
            elif direction < 0:
                back = (base.weekday() - weekday) % 7 or 7
                day = base - dt.timedelta(days=back)
            elif rel == "ini":
                day = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=weekday)
            else:  # a bare weekday in news: the most recent one (today included)
                day = base - dt.timedelta(days=(base.weekday() - weekday) % 7)
        end, value, granularity, kind = self._with_time(m, "b", day.isoformat(), part, "")
        return end, value, granularity, "relative" if not kind else "relative_datetime"

    def _count(self, num: str | None, se: str | None) -> int | None:
        if se:
            return 1
        if num is None:
            return None
        num = _norm(num)
        if num.isdigit():
            return int(num)
        return self.lang.numbers.get(num)

    def _shift_unit(self, base: dt.date, unit: str, n: int) -> tuple[str, str] | None:
        if unit == "day":
            return (base + dt.timedelta(days=n)).isoformat(), "day"
        if unit == "week":
            return _week(base + dt.timedelta(days=7 * n)), "week"
        if unit == "month":
            year, month = _add_months(base, n)
            return f"{year:04d}-{month:02d}", "month"
        if unit == "year":
            return f"{base.year + n:04d}", "year"
        if unit == "decade":
            return f"{(base.year + 10 * n) // 10:03d}X", "decade"
        if unit == "century":
            return f"{(base.year + 100 * n) // 100:02d}XX", "century"
        return None

    def _resolve_G(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        unit = self.lang.units[_norm(m.group("g_unit"))]
        n = self._count(m.group("g_num"), m.group("g_se"))
        direction = self._direction(m.group("g_rel")) or 1
        if anchor is None or n is None:
            return m.end(), None, unit, "relative"
        if unit in ("hour", "minute"):
            if anchor.moment is None:
                return m.end(), anchor.day.isoformat(), "day", "relative"
            delta = dt.timedelta(hours=n) if unit == "hour" else dt.timedelta(minutes=n)
            moment = anchor.moment + direction * delta
            text = moment.isoformat(timespec="minutes")
            return m.end(), text, unit, "relative"
        shifted = self._shift_unit(anchor.day, unit, direction * n)
        if shifted is None:
            return None
        return m.end(), shifted[0], shifted[1], "relative"

    def _resolve_H(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        unit = self.lang.units[_norm(m.group("h_unit"))]
        n = self._count(m.group("h_num"), m.group("h_se"))
        code = {
            "day": "D",
            "week": "W",
            "month": "M",
            "year": "Y",
            "hour": "H",
            "minute": "M",
            "decade": "DE",
            "century": "CE",
        }[unit]
        if n is None:
            value = None
        elif unit in ("hour", "minute"):
            value = f"PT{n}{code}"
        elif unit == "decade":
            value = f"P{10 * n}Y"
        elif unit == "century":
            value = f"P{100 * n}Y"
        else:
            value = f"P{n}{code}"
        return m.end(), value, unit, "duration"

    def _resolve_F(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        entry = self.lang.relative_days[_norm(m.group("f_rel"))]
        part = self._part(m, "f_pod") or entry.get("part")
        if anchor is None:
            end = m.start("f_time") if m.group("f_time") else m.end()
            if self._clock(m, "f") is not None:
                end = m.end()
            return end, None, "day", "relative"
        day = anchor.day + dt.timedelta(days=entry["days"])
        end, value, granularity, kind = self._with_time(m, "f", day.isoformat(), part, "")
        return end, value, granularity, "relative" if not kind else "relative_datetime"

    def _resolve_E(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        unit = self.lang.units[_norm(m.group("e_unit"))]
        rel = _norm(m.group("e_rel")) if m.group("e_rel") else None
        modifier = self.lang.modifiers.get(_norm(m.group("e_mod"))) if m.group("e_mod") else None
        direction = self._direction(rel)
        weekend = unit == "week" and modifier == "end"
        suffix = "" if weekend or modifier is None else f"_{modifier}"
        if anchor is None:
            return m.end(), None, "week" if weekend else unit, "relative" + suffix
        shifted = self._shift_unit(anchor.day, unit, direction)
        if shifted is None:
            return None
        value, granularity = shifted
        if weekend:
            value += "-WE"
        return m.end(), value, granularity, "relative" + suffix

    def _resolve_C(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        month = self.lang.months[m.group("c_mn").lower()]
        modifier = self.lang.modifiers.get(_norm(m.group("c_mod"))) if m.group("c_mod") else None
        suffix = f"_{modifier}" if modifier else ""
        if m.group("c_y"):
            return m.end(), f"{int(m.group('c_y')):04d}-{month:02d}", "month", "month" + suffix
        rel = _norm(m.group("c_rel")) if m.group("c_rel") else None
        direction = self._direction(rel)
        if anchor is None:
            if direction:
                return m.end(), None, "month", "relative" + suffix
            return m.end(), f"XXXX-{month:02d}", "month", "month" + suffix
        year = anchor.day.year
        if direction < 0 and month > anchor.day.month:
            year -= 1
        elif direction > 0 and month < anchor.day.month:
            year += 1
        elif not direction:
            if month - anchor.day.month > 6:
                year -= 1
            elif anchor.day.month - month > 6:
                year += 1
        kind = "relative" if direction else "month"
        return m.end(), f"{year:04d}-{month:02d}", "month", kind + suffix

    def _resolve_D(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        modifier = self.lang.modifiers.get(_norm(m.group("d_mod"))) if m.group("d_mod") else None
        suffix = f"_{modifier}" if modifier else ""
        return m.end(), m.group("d_y"), "year", "year" + suffix

    def _resolve_T(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        hour = int(m.group("t_hh") or m.group("t_hh2"))
        minute_text = m.group("t_mm") or m.group("t_mm2")
        part = m.group("t_pod")
        hour = self._shift(hour, part)
        zone = m.group("t_tz")
        offset = self.lang.timezones.get(zone.upper(), "") if zone else ""
        minute = int(minute_text) if minute_text else 0
        value = f"T{hour % 24:02d}:{minute:02d}{offset}"
        return m.end(), value, "minute" if minute_text else "hour", "time"


def find_dates(text: str, published: str | None = None, **settings: Any) -> list[Found]:
    """The date expressions of ``text`` (no spaCy needed; ``settings``: those of
    :class:`DatesSettings`)."""
    return DateFinder(None, **settings).find(text, published)[0]


class Dates(DataFileComponent):
    """spaCy component: ``doc._.beritanlp_dates`` and the inferred
    ``doc._.beritanlp_published(_source)``.

    ``initialize`` reads the data file the settings name (again); ``to_disk`` writes the settings
    and the text of the data file, ``from_disk`` reads them back
    (:class:`~beritanlp.components.base.DataFileComponent`)."""

    SETTINGS = DatesSettings
    DATA_SETTINGS = _DATA_SETTINGS
    settings: DatesSettings
    #: the rules applied to plain text, with this component's settings and data files
    finder = text_rules(DateFinder)

    def _prepare(self) -> None:
        self.finder.lang  # noqa: B018  (compile: a damaged file fails here)

    def __call__(self, doc: Doc) -> Doc:
        text = extensions.doc_text(doc)
        context = doc._.beritanlp_context or {}
        given = context.get("published")
        captions: list[tuple[int, int]] = []
        boilerplate: list[tuple[int, int]] = []
        body_start = 0
        dateline: tuple[int, int] | None = None
        if extensions.SECTIONS_KEY in doc.spans:
            found_body = False
            for span in doc.spans[extensions.SECTIONS_KEY]:
                label = span.label_
                if label == "caption":
                    captions.append((span.start_char, span.end_char))
                elif label == "boilerplate":
                    boilerplate.append((span.start_char, span.end_char))
                elif label == "dateline" and dateline is None:
                    # the body starts at the dateline even after a lead section
                    dateline = (span.start_char, span.end_char)
                    body_start, found_body = span.start_char, True
                elif label in ("lead", "body") and not found_body:
                    body_start, found_body = span.start_char, True
        dates: list[Found] = []
        published: str | None = None
        source: str | None = None
        if text.strip():
            dates, published, source = self.finder.find(
                text,
                given,
                captions=captions,
                dateline=dateline,
                body_start=body_start,
                boilerplate=boilerplate,
            )
        # the given date is the caller's (doc._.beritanlp_context); this component owns the
        # inferred one
        inferred = published if source == "inferred" else None
        doc._.beritanlp_dates = tuple(DateExpression(**d) for d in dates)
        doc._.beritanlp_published = Published(inferred, "inferred") if inferred else None
        return doc


make_dates = register_factory(
    "beritanlp_dates",
    DatesSettings,
    Dates,
    assigns=["doc._.beritanlp_dates", "doc._.beritanlp_published"],
    requires=["doc._.beritanlp_context", "doc.spans"],
)
