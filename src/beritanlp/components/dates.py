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
``docs/dates.md``; ``docs/dates_guidelines.md`` says what an expression is and which value it
gets. Holidays take their dates from Indonesia's official calendar (the ``holidays`` package) or
their Hijri day (``hijridate``), named in ``data/holidays_id.json``; Hijri dates are converted
with ``hijridate``. After the expressions are resolved one by one, a second pass gives the
context-dependent ones their values: a holiday without its year takes a year of its sentence, a
clock time the day of the nearest date before it in its sentence (or after it there, or before
it in its paragraph, else the anchor), ``tanggal 14`` the month of its sentence (or the anchor's).
``doc._.beritanlp_published`` is the publication date this component
*inferred* (a :class:`beritanlp.records.Published`, ``source="inferred"``), ``None`` when the
caller gave one (that stays in ``doc._.beritanlp_context``; :class:`~beritanlp.article.Article`
shows the given date first) or none could be inferred. The dateline region (where a bare
``27/11`` is a date, and where the body starts) is the ``dateline`` section of
``doc.spans["sections"]``. This component writes nothing else: the dateline component, which
runs after it, takes the dateline's date from ``doc._.beritanlp_dates``.

Settings: :class:`DatesSettings`. ``data`` and ``holidays`` name the language data files, bundled
names or paths of your own (see :mod:`beritanlp.resources`); ``nlp.to_disk`` saves their text with
the component (``data.json`` and ``holidays.json`` beside ``settings.json``) and ``from_disk`` reads
them back.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from spacy.tokens import Doc

from .. import extensions
from ..errors import ResourceError
from ..records import DateExpression, Published
from ..regex_trie import trie
from ..resources import DataFile, DataFileUser, parse_json
from .base import DataFileComponent, Settings, register_factory, text_rules

__all__ = ["DateFinder", "Dates", "DatesSettings", "find_dates", "make_dates"]

Found = dict[str, Any]
#: (end offset, value, granularity, kind) of a resolved match
_Resolved = tuple[int, str | None, str, str]


_PIECES = {" ": r"\s+", "'": "['’]"}


def _alt(words: Sequence[str]) -> str:
    """A regex alternation of words as a trie (one comparison per branch point, which matters
    for the ~300 holiday and month names tried at every candidate position): spaces match any
    white space and an apostrophe is ``'`` or ``’``."""
    return trie(
        (word.replace("’", "'") for word in words), lambda c: _PIECES.get(c) or re.escape(c)
    )


@dataclass(frozen=True, slots=True)
class _Holiday:
    """One holiday of ``holidays_id.json`` (where its date comes from; see the file's
    ``_source``)."""

    key: str
    package: tuple[str, ...] = ()
    shift_days: int = 0
    hijri: tuple[int, int] | None = None
    hijri_month: int | None = None
    fixed: tuple[int, int] | None = None
    founded: int | None = None
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    person_name: bool = False  # also a given name (Ramadhan)


@dataclass(frozen=True, slots=True)
class _Lang:
    pattern: re.Pattern[str]
    numeric_pattern: re.Pattern[str]  # the branches that can start with a digit or "("
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
    year_not_after: frozenset[str]
    month_before: frozenset[str]
    hijri_months: dict[str, int]
    hijri_marks: frozenset[str]
    set_units: dict[str, str]
    season_calendar: re.Pattern[str]  # a competition whose seasons are calendar years
    season_not_after: frozenset[str]
    holidays: dict[str, _Holiday]
    holiday_names: dict[str, str]  # name (normalised) → holiday key
    holiday_subjects: dict[str, str]  # anniversary subject (normalised) → holiday key
    holiday_generic: frozenset[str]
    person_verbs: frozenset[str]
    holiday_cues: frozenset[str]
    context_relative: dict[str, int]
    quarters: dict[str, str]
    ordinals: dict[str, int]
    month_names: frozenset[str]  # full month names (not abbreviations)


def _norm(word: str) -> str:
    return " ".join(word.lower().replace("’", "'").split())


@lru_cache(maxsize=4)
def _compile(data_file: DataFile, holidays_file: DataFile | None) -> _Lang:
    data: dict[str, Any] = parse_json(data_file.text, data_file.where)
    days: dict[str, Any] = {}
    if holidays_file is not None:
        days = parse_json(holidays_file.text, holidays_file.where)
    try:
        return _build(data, days)
    except (KeyError, TypeError, AttributeError, ValueError, re.error) as exc:
        where = (
            data_file.where
            if holidays_file is None
            else (f"{data_file.where} or {holidays_file.where}")
        )
        raise ResourceError(
            f"{where} is not a valid date data file ({type(exc).__name__}: {exc}); "
            f"start from a copy of the bundled dates_id.json / holidays_id.json"
        ) from exc


def _holidays(days: dict[str, Any]) -> tuple[dict[str, _Holiday], dict[str, str], dict[str, str]]:
    """The holidays of ``holidays_id.json``, their names and anniversary subjects."""
    table: dict[str, _Holiday] = {}
    names: dict[str, str] = {}
    subjects: dict[str, str] = {}
    for key, entry in days.get("holidays", {}).items():
        hijri = entry.get("hijri")
        fixed = entry.get("fixed")
        table[key] = _Holiday(
            key=key,
            package=tuple(entry.get("package", ())),
            shift_days=int(entry.get("shift_days", 0)),
            hijri=(int(hijri[0]), int(hijri[1])) if hijri else None,
            hijri_month=int(entry["hijri_month"]) if entry.get("hijri_month") else None,
            fixed=(int(fixed[0]), int(fixed[1])) if fixed else None,
            founded=int(entry["founded"]) if entry.get("founded") else None,
            not_after=frozenset(_norm(w) for w in entry.get("not_after", ())),
            not_before=frozenset(_norm(w) for w in entry.get("not_before", ())),
            person_name=bool(entry.get("person_name", False)),
        )
        for name in entry.get("names", ()):
            names[_norm(name)] = key
        for subject in entry.get("subjects", ()):
            subjects[_norm(subject)] = key
    return table, names, subjects


def _build(data: dict[str, Any], days: dict[str, Any]) -> _Lang:
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
    hijri_months = {
        _norm(n): int(k) for k, names in data.get("hijri_months", {}).items() for n in names
    }
    set_words = list(data.get("set_words", ()))
    set_units: dict[str, str] = data.get("set_units", {})
    season_words = list(data.get("season_words", ()))
    dom_words = list(data.get("day_of_month_words", ()))
    decade_words = list(data.get("decade_words", ()))
    century_words = list(data.get("century_words", ()))
    range_seps = list(data.get("range_separators", ("-",)))
    context_words = list(data.get("context_relative", {}))
    quarters: dict[str, str] = data.get("quarters", {})
    ordinals: dict[str, int] = data.get("ordinals", {})
    holidays, holiday_names, holiday_subjects = _holidays(days)
    prefixes = list(days.get("optional_prefixes", ()))
    heads = list(days.get("anniversary_heads", ()))
    marks = list(days.get("hijri_year_marks", ()))
    suffixes = [s for e in days.get("holidays", {}).values() for s in e.get("suffixes", ())]
    org_heads = list(days.get("organisation_anniversary_heads", ()))
    # a capitalised word (case-sensitive inside the case-insensitive pattern)
    capitalised = r"(?-i:[A-Z][\w.&'’-]*)"

    def alt_or_never(words: Sequence[str]) -> str:
        return _alt(words) if words else "(?!)"

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
    hijri = f"(?:{alt_or_never(list(hijri_months))})"
    hmark = f"(?:{alt_or_never(marks)})"
    rsep = f"(?:{_alt(range_seps)})"
    dom = f"(?:{alt_or_never(dom_words)})"
    # the relative words that attach to a date ("8 Agustus lalu", "13 Juni mendatang")
    attach = _alt([w for w in past + future if w not in ("lagi", "ke depan", "kedepan")])
    sep = r"[ \t\xa0]"
    year4 = r"(?:1[89]|20)\d\d"
    not_now = rf"(?!{sep}+(?:ini|itu)(?![^\W_]))"
    list_joiner = rf"{sep}*(?:,|dan|atau){sep}*"
    # a year after a Hijri or Gregorian day ("1446 H", "1446 H/2025 M", "2025")
    hyear = (
        rf"(?:{sep}+(?:tahun{sep}+)?(?P<{{p}}_y>\d{{{{4}}}})(?![\d]|[.,]\d)"
        rf"(?:{sep}*(?P<{{p}}_mark>{hmark})(?![^\W_])"
        rf"(?:{sep}*/{sep}*\d{{{{4}}}}{sep}*M(?![^\W_]))?)?)?"
    )

    def time(p: str) -> str:
        return (
            rf"(?P<{p}_time>{sep}*(?:,{sep}*)?"
            # only a real clock time: a marker, hh:mm, or hh.mm before a time zone
            rf"(?=(?:{marker})|\d{{1,2}}:\d\d"
            rf"|\d{{1,2}}\.\d\d(?:{sep}*{rsep}{sep}*\d{{1,2}}[.:]\d\d)?{sep}*{tz}\b)"
            rf"(?:(?P<{p}_mk>{marker}){sep}*)?"
            rf"(?P<{p}_hh>\d{{1,2}})(?:[.:](?P<{p}_mm>\d{{2}}))?(?![\d]|[.,:]\d)"
            # a range of times: the date and the two times are one interval
            rf"(?:{sep}*{rsep}{sep}*(?:{marker}{sep}*)?(?P<{p}_hh3>\d{{1,2}})[.:]"
            rf"(?P<{p}_mm3>\d{{2}})(?![\d]|[.,:]\d))?"
            rf"(?:{sep}*(?P<{p}_tz>{tz})\b)?(?:{sep}+(?P<{p}_pod2>{pod})\b)?)"
        )

    holiday_name = alt_or_never(list(holiday_names))
    subject = alt_or_never(list(holiday_subjects))
    nth = rf"ke{sep}?-?{sep}?"
    # "-an" of a decade: "1980-an", "1980an", "1980 - an" (no "{sep}*-?{sep}*": quadratic on a
    # run of spaces)
    decade_an = rf"(?:{sep}*-)?{sep}*an(?![^\W_])"
    branches = [
        # R: a range of days ("24–25 Juni", "1-3 Mei 2023", "30 Juni - 2 Juli 2025")
        rf"(?P<R>(?:(?:hari{sep}+)?{wd}(?:{sep}*(?:dan|{rsep}){sep}*{wd})?\b{sep}*(?:,{sep}*)?)?"
        rf"(?:(?:{dom}{sep}*)?(?<![\d/.,])(?P<r_d1>\d{{1,2}})(?:{sep}*(?P<r_m1>{mn_any})\b\.?"
        rf"(?:{sep}+(?P<r_y1>\d{{4}})(?!\d))?)?{sep}*(?:{rsep}|/){sep}*"
        rf"(?P<r_d2>\d{{1,2}}){sep}*(?P<r_m2>{mn_any})\b\.?"
        rf"(?:{sep}*(?:,{sep}*)?(?P<r_y2>\d{{4}})(?![\d]|[.,]\d)"
        rf"|{sep}+tahun{sep}+(?P<r_trel>{rel_all})(?![^\W_]))?"
        # in brackets after weekdays: "Sabtu-Minggu (12-13/5)", "(24-25/6/2025)"
        rf"|(?<=[\w)]){sep}*\({sep}*(?P<r_bd1>\d{{1,2}}){sep}*{rsep}{sep}*(?P<r_bd2>\d{{1,2}})"
        rf"{sep}?/{sep}?(?P<r_bm>\d{{1,2}})(?:{sep}?/{sep}?(?P<r_by>\d{{4}}))?{sep}*\)))",
        # A: calendar dates, optional weekday before and time / part of day after
        rf"(?P<A>(?:(?P<a_rd>{reldays}){sep}+(?=(?:hari{sep}+)?{wd}\b|\())?"
        rf"(?:(?:hari{sep}+)?(?P<a_wd>{wd})\b(?:{sep}+(?P<a_wpod>{pod})\b)?{sep}*(?:,{sep}*)?)?"
        rf"(?:{dom}{sep}*(?=\d))?"
        rf"(?:\({sep}*(?P<a_pd>\d{{1,2}}){sep}?/{sep}?(?P<a_pm>\d{{1,2}})"
        rf"(?:{sep}?/{sep}?(?P<a_py>\d{{4}}|\d{{2}}))?{sep}*\)"
        rf"|\({sep}*(?P<a_bd>\d{{1,2}}){sep}*-{sep}*(?P<a_bm>\d{{1,2}}){sep}*-{sep}*"
        rf"(?P<a_by>\d{{4}}){sep}*\)"
        rf"|(?<![\d/.,])(?P<a_nd>\d{{1,2}})/(?P<a_nm>\d{{1,2}})(?:/(?P<a_ny>\d{{4}}|\d{{2}}))?(?![\d/])"
        rf"|(?<![\d/.,])(?P<a_hd>\d{{1,2}})-(?P<a_hm>\d{{1,2}})-(?P<a_hy>\d{{4}})(?!\d)"
        rf"|(?<![\d/.,\-])(?P<a_iy>{year4})-(?P<a_im>\d\d)-(?P<a_id>\d\d)(?![\d]|[.,:/]\d)"
        rf"|(?<![\d/.,])(?P<a_d>\d{{1,2}}){sep}*(?P<a_mn>{mn_any})\b\.?"
        rf"(?:{sep}*(?:,{sep}*)?(?P<a_y>\d{{4}})(?![\d]|[.,]\d))?)"
        rf"(?:{sep}+(?P<a_pod>{pod})\b(?:{sep}+{tz}\b(?!{sep}*[.:]?\d))?)?{time('a')}?"
        rf"(?:{sep}+(?P<a_rel>{attach})(?![^\W_])|{sep}+tahun{sep}+(?P<a_trel>{rel_all})(?![^\W_]))?)",
        # J: Hijri dates ("10 Dzulhijjah 1446 H", "1 Muharram")
        rf"(?P<J>(?<![\d/.,])(?P<j_d>\d{{1,2}}){sep}+(?P<j_m>{hijri})(?![^\W_])"
        + hyear.format(p="j")
        + ")",
        # O: holidays ("Idul Adha 1446 H", "HUT RI ke-80", "H-7 Lebaran", "Natal tahun lalu")
        rf"(?P<O>(?:(?P<o_mod>{mod}){sep}+)?(?:(?P<o_h>H{sep}?[-+]{sep}?\d{{1,2}}){sep}+)?"
        rf"(?:(?P<o_head>{alt_or_never(heads)}){sep}+(?:{nth}(?P<o_n1>\d{{1,4}}){sep}+)?"
        rf"(?P<o_subj>{subject})"
        rf"|(?:(?:{alt_or_never(prefixes)}){sep}+)?(?P<o_name>{holiday_name}))(?![^\W_])"
        rf"(?:{sep}+{nth}(?P<o_n2>\d{{1,4}})(?!\d))?"
        rf"(?:{sep}+(?:{alt_or_never(suffixes)})(?![^\W_]))?"
        rf"(?:{hyear.format(p='o')[:-1]}"
        rf"|{sep}+(?P<o_tahun>tahun){sep}+(?P<o_rel>{rel_all})(?![^\W_])"
        rf"|{sep}+(?P<o_rel2>{rel_all})(?![^\W_]))?)",
        # U: the anniversary of something else ("HUT ke-50 PT Semen Gresik"): value null
        rf"(?P<U>(?:{alt_or_never(org_heads)}){sep}+(?:{nth}(?P<u_n>\d{{1,4}})(?!\d)"
        rf"(?:{sep}+{capitalised}(?:{sep}+{capitalised}){{0,4}})?"
        rf"|(?!(?:{alt_or_never(org_heads + heads)})(?![^\W_])){capitalised}"
        rf"(?:{sep}+{capitalised}){{0,4}}{sep}+{nth}\d{{1,4}}(?!\d)))",
        # B: weekday alone or with a relative word / part of day / time
        rf"(?P<B>(?:hari{sep}+)?(?P<b_wd>{wd})\b(?:{sep}+(?P<b_rel>(?:pekan|minggu){sep}+(?:lalu|depan)|{rel_all})\b)?"
        rf"(?:{sep}+(?P<b_pod>{pod})\b(?:{sep}+(?P<b_rel2>{attach})(?![^\W_]))?)?{time('b')}?)",
        # G: N units ago / ahead ("dua hari lalu", "3 jam lalu", "sepekan lalu")
        rf"(?P<G>\b(?:(?P<g_num>{num}){sep}+|(?P<g_se>se))(?P<g_unit>{unit}){sep}+"
        rf"(?P<g_rel>{_alt(past + future + context_words)})\b)",
        # H: durations ("selama dua hari")
        rf"(?P<H>\bselama{sep}+(?:(?P<h_num>{num}){sep}+|(?P<h_se>se))(?P<h_unit>{unit})\b)",
        # F: relative days ("kemarin", "hari ini", "besok", "kemarin lusa", "tadi malam")
        rf"(?P<F>\b(?P<f_rel>{reldays})\b(?:{sep}+(?P<f_pod>{pod})\b)?{time('f')}?)",
        # P: sets ("setiap hari", "tiap Senin", "setiap hari Jumat")
        rf"(?P<P>(?:{alt_or_never(set_words)}){sep}+(?:(?:hari{sep}+)?(?P<p_wd>{wd})"
        rf"|(?P<p_pod>{pod})|(?P<p_unit>{alt_or_never(list(set_units))})"
        rf"|(?P<p_dd>\d{{1,2}}){sep}+(?P<p_mn>{mn_full})|{dom}{sep}*(?P<p_dom>\d{{1,2}})"
        rf"(?![\d]|[.,:/\-–]\d|{sep}*{mn_any}\b))(?![^\W_]){not_now})",
        # S: sport seasons ("musim ini", "musim 2016/2017", "musim 2016 - 17")
        rf"(?P<S>(?:(?P<s_mod>{mod}){sep}+)?(?:{alt_or_never(season_words)}){sep}+(?:(?P<s_rel>{rel_all})(?![^\W_])"
        rf"|(?P<s_a>{year4})(?:{sep}*(?:{rsep}|/){sep}*(?P<s_b>{year4}|\d\d))?"
        rf"(?![\d]|[.,/]\d)))",
        # M: a day of the month alone ("tanggal 14", "Tanggal 14 nanti")
        rf"(?P<M>(?:{alt_or_never(dom_words)}){sep}*(?P<m_d>\d{{1,2}})"
        rf"(?![\d]|[.,:/\-–]\d|{sep}*(?:{rsep}|/){sep}*\d|{sep}*(?:{mn_any}|{hijri})\b)"
        rf"(?:{sep}+(?P<m_rel>{rel_all})(?![^\W_]))?"
        # a bare day joined to a date ("pada 10 dan 11 Juni 2025"; at most 6 days between, so
        # the lookahead stays short on a long list of numbers)
        rf"|(?<![\d/.,])(?P<m_d2>\d{{1,2}})(?=(?:{list_joiner}\d{{1,2}}(?!\d)){{0,6}}"
        rf"{list_joiner}\d{{1,2}}{sep}*(?:{mn_any})\b))",
        # K: decades and centuries ("1980-an", "era 90-an", "abad ke-21")
        rf"(?P<K>(?:(?P<k_mod>{mod}){sep}+)?"
        rf"(?:(?:{alt_or_never(century_words)}){sep}+(?:{nth})?(?P<k_cn>\d{{1,2}}|[IVX]{{1,5}})"
        rf"(?![^\W_]|-)|(?:{alt_or_never(century_words)}){sep}+(?P<k_now>ini)(?![^\W_])"
        rf"|(?:(?P<k_era>{alt_or_never(decade_words)}){sep}+)?"
        rf"(?:(?<![\d.,/:])(?P<k_y4>(?:1[5-9]|20)\d0)|(?P<k_ap>['’])?(?P<k_y2>\d0))"
        rf"{decade_an}))",
        # Y: year ranges ("2012 - 2017", "Tahun 2025–2029", "2016/17", "1980 - 90 - an")
        rf"(?P<Y>(?:(?P<y_tahun>tahun){sep}+)?(?<![\d.,/:#+])(?P<y_a>{year4})"
        rf"(?P<y_an1>{decade_an})?{sep}*(?P<y_sep>{rsep}|/){sep}*"
        rf"(?P<y_b>{year4}|\d\d)(?![\d]|[.,/\-–]\d)(?P<y_an>{decade_an})?)",
        # N: a range of months ("Januari - September 2016", "Juli - September")
        rf"(?P<N>(?P<n_m1>{mn_full})(?:{sep}+(?P<n_y1>{year4})(?!\d))?{sep}*{rsep}{sep}*"
        rf"(?P<n_m2>{mn_full})\b(?:{sep}+(?P<n_y2>\d{{4}})(?![\d]|[.,]\d))?)",
        # Q: quarters and halves ("kuartal III 2016", "triwulan pertama", "semester I 2025")
        rf"(?P<Q>(?P<q_w>{alt_or_never(list(quarters))}){sep}+(?:{nth})?"
        rf"(?P<q_n>{alt_or_never(list(ordinals))})(?![^\W_])"
        rf"(?:{sep}+(?:tahun{sep}+)?(?P<q_y>{year4})(?![\d]|[.,]\d)"
        rf"|{sep}+tahun{sep}+(?P<q_rel>{rel_all})(?![^\W_])"
        rf"|{sep}+(?P<q_rel2>{rel_all})(?![^\W_]))?)",
        # E: relative weeks, months, years ("pekan lalu", "akhir pekan", "bulan depan")
        rf"(?P<E>\b(?:(?P<e_mod>{mod}){sep}+)?(?P<e_unit>pekan|minggu|bulan|tahun)"
        rf"(?:{sep}+(?P<e_rel>{rel_all}|{alt_or_never(context_words)})\b|(?<=pekan)|(?<=minggu)))",
        # C: month names with a year, relative word or modifier ("awal Mei", "Maret lalu")
        rf"(?P<C>\b(?:(?P<c_mod>{mod}){sep}+)?(?:(?P<c_bulan>bulan){sep}+)?(?P<c_mn>{mn_full})\b"
        rf"(?:{sep}+(?P<c_y>\d{{4}})(?![\d]|[.,]\d)|{sep}+(?P<c_rel>{rel_all})\b)?)",
        # D: years ("tahun 2019", "pada 1998", "akhir 2020", "Piala Dunia 2026")
        rf"(?P<D>\b(?:(?P<d_mod>{mod}){sep}+)?(?:(?P<d_tahun>tahun){sep}+)?(?<![\d.,/:#+\-])"
        rf"(?P<d_y>{year4})(?![\d]|[.,/\-–]\d|-[^\W\d_])(?:{sep}+(?P<d_rel>lalu|silam)\b)?)",
        # T: clock times ("pukul 14.30 WIB", "14:30 WITA")
        rf"(?P<T>(?:\b(?P<t_mk>{marker}){sep}*(?P<t_hh>\d{{1,2}})(?:[.:](?P<t_mm>\d{{2}}))?"
        rf"|(?<![\d.,])(?P<t_hh2>\d{{1,2}})[.:](?P<t_mm2>\d{{2}})"
        rf"(?=(?:{sep}*{rsep}{sep}*\d{{1,2}}[.:]\d\d)?{sep}*{tz}\b))"
        rf"(?![\d]|[.,:]\d)(?:{sep}*(?P<t_tz1>{tz})\b)?"
        # a range of times ("pukul 13.00-15.00", "08.00-16.00 WIB", "05.45 WIB - pukul 07.15 WIB")
        rf"(?:{sep}*{rsep}{sep}*(?:{marker}{sep}*)?(?P<t_hh3>\d{{1,2}})[.:](?P<t_mm3>\d{{2}})"
        rf"(?![\d]|[.,:]\d))?"
        rf"(?:{sep}*(?P<t_tz>{tz})\b)?(?:{sep}+(?P<t_pod>{pod})\b)?)",
    ]
    # only at word starts: the lookbehind rejects mid-word positions before any branch is tried
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(branches) + ")", re.IGNORECASE)
    # the branches that can start with a digit or "(", tried where the candidate is one: the
    # same order, fewer alternatives to fail
    numeric = [b for b in branches if b.startswith(_NUMERIC_BRANCHES)]
    numeric_pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(numeric) + ")", re.IGNORECASE)
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
        "h",
        *holiday_names,
        *prefixes,
        *heads,
        *set_words,
        *season_words,
        *dom_words,
        *decade_words,
        *century_words,
        *quarters,
        *org_heads,
    ]
    first_words = {_FIRST.findall(_norm(w))[0] for w in starters if _FIRST.findall(w)}
    first_words |= {"se" + u for u in units}
    candidates = re.compile(r"(?<![^\W_])(?:[0-9(]|" + trie(first_words) + r"(?![^\W_]))")
    calendar_words = list(data.get("season_calendar_year_words", ()))
    return _Lang(
        pattern=pattern,
        numeric_pattern=numeric_pattern,
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
        year_not_after=frozenset(data.get("year_not_after", ())),
        month_before=frozenset(data["month_context_before"]),
        hijri_months=hijri_months,
        hijri_marks=frozenset(_norm(m) for m in marks),
        set_units={_norm(k): v for k, v in set_units.items()},
        season_calendar=re.compile(
            rf"(?<![^\W_])(?:{alt_or_never(calendar_words)})(?![^\W_])", re.IGNORECASE
        ),
        season_not_after=frozenset(data.get("season_not_after", ())),
        holidays=holidays,
        holiday_names=holiday_names,
        holiday_subjects=holiday_subjects,
        holiday_generic=frozenset(_norm(w) for w in days.get("generic_before", ())),
        person_verbs=frozenset(_norm(w) for w in days.get("person_verbs", ())),
        holiday_cues=frozenset(_norm(w) for w in days.get("holiday_cues", ())),
        context_relative={_norm(k): int(v) for k, v in data.get("context_relative", {}).items()},
        quarters={_norm(k): v for k, v in quarters.items()},
        ordinals={_norm(k): int(v) for k, v in ordinals.items()},
        month_names=frozenset(n for e in data["months"].values() for n in e["names"]),
    )


_FIRST = re.compile(r"[^\W_]+")
#: the branches of the pattern that can start with a digit or "(" (by their group name)
_NUMERIC_BRANCHES = tuple(f"(?P<{k}>" for k in ("R", "A", "J", "G", "M", "K", "Y", "D", "T"))
_PREV_WORD = re.compile(r"([A-Za-z]+)[^\w\n]{0,3}$")
_NEXT_WORD = re.compile(r"[ \t\xa0]+([a-z]+)")
_LAST_WORD = re.compile(r"[^\W\d_]+$")
_NEXT_ANY = re.compile(r"[ \t\xa0]+([A-Za-z]+)")
_WORDS = re.compile(r"[A-Za-z]{2,}")
#: a regulation number right before "Tahun 2023" or a year ("Nomor 12 Tahun", "PP 71 Tahun",
#: "No. 5/"): searched in the 30 characters before a year
_REGULATION = re.compile(
    r"(?<![^\W_])(?:nomor|no|nomer|nmr)\.?[ \t\xa0]*[\w./-]{0,15}[ \t\xa0]+$", re.IGNORECASE
)
#: ... or a bare number before "Tahun 2019" ("PP 71 Tahun 2019")
_NUMBER_TAHUN = re.compile(r"(?<![\d.,-])\d{1,4}[ \t\xa0]+$")
_REDUPLICATED = re.compile(r"[^\W\d_]-$")
_DIGITS_BEFORE = re.compile(r"\d{3,}$")
_DIGITS_AFTER = re.compile(r"[ \t\xa0]+\d{3,}")
_NUMBER_BEFORE = re.compile(r"\d[ \t\xa0]*$")
#: the last year a bare number (without a cue word) is read as
_LAST_BARE_YEAR = 2070
#: the end of a sentence (the start of the next), for the context of holidays, times, days
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*[ \t\xa0]+(?=[A-Z\"“‘(\[])|\n")
#: a value with a calendar day (``2025-06-18``, ``XXXX-05-04``, ``2025-06-18TMO``)
_DAY_VALUE = re.compile(r"(?:\d{4}|XXXX)-\d\d-\d\d(?=$|T)")
_ROMAN = {"i": 1, "v": 5, "x": 10}
#: a year or a month of a value (``2025``, ``2025-06``, ``2025-06-18``)
_MONTH_VALUE = re.compile(r"(\d{4}|XXXX)-(\d\d)")
#: the words joining ``tanggal 14`` to the date it shares a month with (``14 dan 15 Juni``)
_JOINER = r"[ \t\xa0]*(?:,|dan|atau|-|–|hingga|sampai|s\.?d\.?|s/d)[ \t\xa0]*"
_JOINED = re.compile(rf"(?:{_JOINER}\d{{1,2}}){{0,6}}{_JOINER}")
#: the one or two words before a holiday (``setiap``, ``setiap kali``)
_PREV_WORDS = re.compile(r"(?:([A-Za-z-]+)[ \t\xa0]+)?([A-Za-z-]+)[ \t\xa0]+$")
#: a year below this is a Hijri year (``Idulfitri 1446``)
_HIJRI_BEFORE = 1600
#: an official holiday this many days from its Hijri day is the same holiday
_HIJRI_OFFICIAL_DAYS = 5
#: a holiday of the anchor's year this far from it (days) is the one meant; farther, one of
#: the next or last year within _HOLIDAY_NEAR_DAYS is taken
_HOLIDAY_SAME_YEAR_DAYS = 183
_HOLIDAY_NEAR_DAYS = 45
#: European club seasons start in July
_SEASON_START_MONTH = 7
#: "era 00-an", "10-an" are 2000s/2010s; "20-an" … "90-an" the 1900s
_TWO_DIGIT_2000S = 10
#: how many expressions on each side the context pass looks at
_NEIGHBOURS = 40
#: the kinds whose year a holiday of the same sentence takes
_YEAR_GIVING = frozenset({"year", "date", "datetime", "month", "hijri", "interval"})
#: a value naming a year, a month or a day (``2025``, ``2025-06``, ``2025-06-18``)
_DATED_VALUE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?![\dWQHX])")
#: how precise a base date must be to count a unit from it (1 year, 2 month, 3 day)
_PRECISION = {"day": 3, "week": 3, "month": 2, "year": 1, "decade": 1, "century": 1}
_SET_GRANULARITY = {"P1D": "day", "P1W": "week", "P1M": "month", "P1Y": "year", "PT1H": "hour"}


def _century(text: str) -> int:
    """The number of ``abad ke-21`` / ``abad XXI``."""
    if text.isdigit():
        return int(text)
    total = 0
    values = [_ROMAN.get(c, 0) for c in text.lower()]
    for i, value in enumerate(values):
        total += -value if i + 1 < len(values) and values[i + 1] > value else value
    return total


@lru_cache(maxsize=64)
def _official(year: int) -> dict[str, tuple[dt.date, ...]]:
    """Indonesia's official holidays of ``year`` by their name in the ``holidays`` package
    (``language="id"``): imported on first use, one table per year, 64 years kept."""
    import holidays

    try:
        table = holidays.country_holidays("ID", years=year, language="id")
    except (NotImplementedError, ValueError, KeyError, OverflowError):
        return {}
    out: dict[str, list[dt.date]] = {}
    for day, names in sorted(table.items()):
        for name in str(names).split("; "):
            out.setdefault(name, []).append(day)
    return {name: tuple(days) for name, days in out.items()}


@lru_cache(maxsize=1024)
def _from_hijri(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of a Hijri date (``hijridate``: Umm al-Qura), None out of range."""
    from hijridate import Hijri

    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return dt.date(g.year, g.month, g.day)


def _hijri_year(day: dt.date) -> int | None:
    """The Hijri year ``day`` falls in."""
    from hijridate import Gregorian

    try:
        return int(Gregorian(day.year, day.month, day.day).to_hijri().year)
    except (ValueError, OverflowError):
        return None


class _Context:
    """Where the sentences and paragraphs of a text start (computed on first use) and whether
    the text names a competition whose seasons are calendar years."""

    __slots__ = ("_calendar", "_lines", "_sentences", "lang", "text")

    def __init__(self, text: str, lang: _Lang) -> None:
        self.text = text
        self.lang = lang
        self._sentences: list[int] | None = None
        self._lines: list[int] | None = None
        self._calendar: bool | None = None

    def sentence(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding ``pos``."""
        if self._sentences is None:
            self._sentences = [0] + [m.end() for m in _SENTENCE_END.finditer(self.text)]
        return self._bounds(self._sentences, pos)

    def paragraph(self, pos: int) -> tuple[int, int]:
        """(start, end) of the paragraph (line) holding ``pos``."""
        if self._lines is None:
            self._lines = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._bounds(self._lines, pos)

    def _bounds(self, starts: list[int], pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(starts, pos) - 1
        end = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        return starts[i], end

    @property
    def calendar_seasons(self) -> bool:
        """The text names a competition whose seasons are calendar years (MotoGP, F1)."""
        if self._calendar is None:
            self._calendar = self.lang.season_calendar.search(self.text) is not None
        return self._calendar


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
_DATA_SETTINGS = ("data", "holidays")


@dataclass(frozen=True, slots=True)
class DatesSettings(Settings):
    """Settings of ``beritanlp_dates`` (and of :class:`DateFinder`)."""

    #: data file of month and weekday names, relative words, parts of the day and time zones
    #: (bundled name or path)
    data: str = "dates_id.json"
    #: data file of holiday names and spellings and where their dates come from (bundled name or
    #: path; ``""``: no holidays)
    holidays: str = "holidays_id.json"
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
        self.require_file("holidays", optional=True)
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
        holidays = self.data_files.get("holidays", ())
        return _compile(self.data_files["data"][0], holidays[0] if holidays else None)

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
        context = _Context(text, self.lang)
        pairs: list[tuple[re.Match[str], Found]] = []
        for match in raw:
            found = self._resolve(text, match, anchor, context)
            if found is not None:
                pairs.append((match, found))
        if pairs:
            self._in_context(text, pairs, anchor, context)
        return [found for _, found in pairs], (published if anchor else None), source

    def _scan(self, text: str) -> list[re.Match[str]]:
        """Matches of the date pattern, tried only where a word could start an expression (a
        digit, a bracket or a listed first word): far faster than ``finditer`` over every
        position of the text."""
        lang = self.lang
        lower = text.lower()
        if len(lower) != len(text):  # a few characters change length when lower-cased
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        match, numeric = lang.pattern.match, lang.numeric_pattern.match
        out: list[re.Match[str]] = []
        resume = 0
        for candidate in lang.candidates.finditer(lower):
            start = candidate.start()
            if start < resume:
                continue
            first = text[start]
            found = numeric(text, start) if first.isdigit() or first == "(" else match(text, start)
            if found is not None and found.end() > start:
                out.append(found)
                resume = found.end()
        return out

    # -- acceptance (context rules) -------------------------------------------------------------
    def _accept(self, text: str, m: re.Match[str], dateline: tuple[int, int] | None) -> bool:
        lang = self.lang
        kind = m.lastgroup
        if kind in ("E", "F", "G", "H") and _REDUPLICATED.search(
            text, max(0, m.start() - 2), m.start()
        ):
            return False  # "bertahun-tahun kemudian", "berhari-hari"
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
        if kind in ("D", "Y", "K") and self._regulation(text, m):
            return False  # "UU Nomor 12 Tahun 2023", "PP 71 Tahun 2019": identifiers
        if kind == "D":
            nxt = _NEXT_WORD.match(text, m.end())
            if m.group("d_tahun") or m.group("d_rel") or m.group("d_mod"):
                return True
            if nxt is not None and nxt.group(1) in lang.year_nouns:
                return False  # "1998 orang"
            previous = self._prev_word(text, m.start())
            if previous in lang.year_not_after or self._in_a_number(text, m.start(), m.end()):
                return False  # "sebanyak 2019", "Rp 2025", "Nomor 2 / 2017", phone numbers
            year = int(m.group("d_y"))
            if year % 100 and year <= _LAST_BARE_YEAR:
                return True  # "Piala Dunia 2026", "pada 2025", "(2013, 2015, dan 2022)"
            # a round number ("2000") or a far year: a year only in date context
            if previous in lang.year_strong:  # "pada 1998 membuat …", not "pada 1998 orang"
                return True
            if previous not in lang.year_before:
                return False
            return nxt is None or nxt.group(1) in lang.year_after
        if kind in ("Y", "K"):
            if m.group("k_y2") and not (m.group("k_era") or m.group("k_mod") or m.group("k_ap")):
                return False  # "usia 20-an" is an age
            if m.group("k_cn") and not 1 <= _century(m.group("k_cn")) <= 30:
                return False
            previous = self._prev_word(text, m.start())
            if previous in lang.year_not_after or self._in_a_number(text, m.start(), m.end()):
                return False
            nxt = _NEXT_WORD.match(text, m.end())
            return nxt is None or nxt.group(1) not in lang.year_nouns
        if kind == "O":
            spec = lang.holidays[self._holiday_key(m)]
            if spec.not_after and self._prev_word(text, m.start()) in spec.not_after:
                return False  # "Mandailing Natal"
            after = _NEXT_ANY.match(text, m.end())
            if spec.not_before and after is not None and after.group(1).lower() in spec.not_before:
                return False  # "Lebaran Betawi"
            if spec.person_name and after is not None and self._a_person(text, m, after.group(1)):
                return False  # "Ramadhan Sananta", "Ramadhan mengatakan"
            # "20 tahun baru lulus": "tahun baru" after a number is not New Year
            return not _NUMBER_BEFORE.search(text, max(0, m.start() - 12), m.start())
        if kind == "M":
            return 1 <= int(m.group("m_d") or m.group("m_d2")) <= 31
        if kind == "G" and self.lang.units[_norm(m.group("g_unit"))] in ("hour", "minute"):
            # "24 jam kemudian": counted from an event, not from a date
            return _norm(m.group("g_rel")) not in self.lang.context_relative
        if kind == "J":
            return 1 <= int(m.group("j_d")) <= 30
        if kind == "T":
            hour = int(m.group("t_hh") or m.group("t_hh2"))
            minute = int(m.group("t_mm") or m.group("t_mm2") or 0)
            if hour > 24 or minute > 59:
                return False
            return (
                bool(m.group("t_mm") or m.group("t_tz") or m.group("t_tz1") or m.group("t_pod"))
                or (m.group("t_mk") or "").lower() != "jam"
            )
        return True

    @staticmethod
    def _prev_word(text: str, start: int) -> str:
        match = _PREV_WORD.search(text, max(0, start - 20), start)
        return match.group(1).lower() if match else ""

    def _a_person(self, text: str, m: re.Match[str], after: str) -> bool:
        """A holiday name that is a person's here: no holiday cue before it (``bulan``,
        ``selama``), and a capitalised word or a speech verb after it."""
        if m.group("o_mod") or m.end() != m.end("o_name") or " " in _norm(m.group("o_name")):
            return False  # "awal Ramadan", "Ramadan 2025", "bulan Ramadan"
        if self._prev_word(text, m.start()) in self.lang.holiday_cues:
            return False
        return after[0].isupper() or after.lower() in self.lang.person_verbs

    @staticmethod
    def _regulation(text: str, m: re.Match[str]) -> bool:
        """The year of a regulation's number (``Nomor 12 Tahun 2023``, ``PP 71 Tahun 2019``)."""
        start = m.start()
        if _REGULATION.search(text, max(0, start - 30), start):
            return True
        tahun = m.group("d_tahun") or m.group("y_tahun")
        return bool(tahun) and bool(_NUMBER_TAHUN.search(text, max(0, start - 8), start))

    @staticmethod
    def _in_a_number(text: str, start: int, end: int) -> bool:
        """A year-like number that is part of a longer number or identifier: after ``/``,
        ``:`` or ``#`` (``Nomor 2 / 2017``, ``ISO 9001:2015``) or between digit groups (a phone
        number ``0812 2019 3344``)."""
        before = text[max(0, start - 12) : start].rstrip(" \t\xa0")
        if before.endswith(("/", ":", "#", "+", "=")):
            return True
        return bool(_DIGITS_BEFORE.search(before)) or bool(_DIGITS_AFTER.match(text, end))

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
        (1/5/2023)": the date is the day *before* publication, so -1; also inside the date's own
        span, "kemarin Senin (1/5/2023)"), else 0."""
        if m.group("a_rd"):
            entry = self.lang.relative_days.get(_norm(m.group("a_rd")), {})
            return int(entry.get("days", 0) or 0)
        for previous in raw:
            if previous.end() > m.start():
                break
            if (
                previous.lastgroup == "F"
                and not text[previous.end() : m.start()].strip(" ,\t\xa0")
                and not previous.group("f_time")
            ):
                entry = self.lang.relative_days.get(_norm(previous.group("f_rel")), {})
                return int(entry.get("days", 0) or 0)
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
        elif g("a_bd"):  # (21 - 04 - 2017)
            d, mo, y = g("a_bd"), g("a_bm"), g("a_by")
        elif g("a_iy"):  # ISO 2025-06-18
            return int(g("a_id")), int(g("a_im")), int(g("a_iy"))
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
    def _resolve(
        self, text: str, m: re.Match[str], anchor: _Anchor | None, context: _Context
    ) -> Found | None:
        kind = m.lastgroup
        if kind == "S":
            result = self._resolve_S(m, anchor, context.calendar_seasons if anchor else False)
        else:
            result = getattr(self, f"_resolve_{kind}")(m, anchor)
        if result is None:
            return None
        return self._found(text, m, result)

    def _found(self, text: str, m: re.Match[str], result: _Resolved) -> Found:
        end, value, granularity, kind_name = result
        start = m.start()
        while end > start and text[end - 1] in " \t\xa0,":
            end -= 1
        if text[end - 1] == "." and end - start > 1:  # "2 Maret." ends a sentence; "Agt." not
            word = _LAST_WORD.search(text, max(start, end - 16), end - 1)
            if word is not None and word.group().lower() in self.lang.month_names:
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
            value = f"{day_value}T{_hour(hour, minute):02d}:{minute or 0:02d}{offset or ''}"
            last_hour = m.group(f"{p}_hh3")
            if last_hour and int(last_hour) <= 24 and int(m.group(f"{p}_mm3")) <= 59:
                last_minute = int(m.group(f"{p}_mm3"))
                hours = _hour(self._shift(int(last_hour), m.group(f"{p}_pod2")), last_minute)
                last = f"{day_value}T{hours:02d}:{last_minute:02d}{offset or ''}"
                return m.end(), f"{value}/{last}", "minute", "interval"
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
            year = self._year_of(month, day_n, anchor.day, m.group("a_rel"), m.group("a_trel"))
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
        part = self._part(m, "a_pod", "a_wpod")
        end, resolved, granularity, kind = self._with_time(m, "a", value, part, "date")
        if mismatch:
            kind += "_weekday_mismatch"
        return end, resolved, granularity, kind

    def _year_of(
        self, month: int, day: int, anchor: dt.date, rel: str | None, year_rel: str | None
    ) -> int | None:
        """The year of a date written without one: the one ``tahun lalu``/``depan`` says, the
        last (``lalu``) or next (``mendatang``) such day, else the one nearest the anchor."""
        if year_rel:
            return anchor.year + self._direction(year_rel)
        direction = self._direction(rel)
        if direction < 0:
            return anchor.year - ((month, day) > (anchor.month, anchor.day))
        if direction > 0:
            return anchor.year + ((month, day) < (anchor.month, anchor.day))
        return self._nearest_year(month, day, anchor)

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
        rel_word = m.group("b_rel") or m.group("b_rel2")
        rel = _norm(rel_word) if rel_word else None
        if (
            word == "minggu"
            and m.group("b_rel")
            and rel
            in (
                "lalu",
                "depan",
                "ini",
                "mendatang",
                "yang lalu",
            )
        ):
            # "minggu lalu" is "last week", not "last Sunday"
            if anchor is None:
                return m.end("b_rel"), None, "week", "week"
            shift = {"lalu": -7, "yang lalu": -7, "depan": 7, "mendatang": 7}.get(rel, 0)
            return m.end("b_rel"), _week(anchor.day + dt.timedelta(days=shift)), "week", "week"
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
        return end, value, granularity, _relative_kind(kind)

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
            return m.end(), None, unit, _unit_kind(unit)
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
        return m.end(), shifted[0], shifted[1], _unit_kind(unit)

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
        if entry.get("vague"):  # "baru-baru ini": a time, but not one day
            return m.end("f_rel"), None, "day", "relative"
        part = self._part(m, "f_pod") or entry.get("part")
        if anchor is None:
            end = m.start("f_time") if m.group("f_time") else m.end()
            if self._clock(m, "f") is not None:
                end = m.end()
            return end, None, "day", "relative"
        day = anchor.day + dt.timedelta(days=entry["days"])
        end, value, granularity, kind = self._with_time(m, "f", day.isoformat(), part, "")
        return end, value, granularity, _relative_kind(kind)

    def _resolve_E(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        unit = self.lang.units[_norm(m.group("e_unit"))]
        rel = _norm(m.group("e_rel")) if m.group("e_rel") else None
        modifier = self.lang.modifiers.get(_norm(m.group("e_mod"))) if m.group("e_mod") else None
        direction = self._direction(rel)
        weekend = unit == "week" and modifier == "end"
        suffix = "" if weekend or modifier is None else f"_{modifier}"
        kind = _unit_kind(unit) + suffix
        if anchor is None:
            return m.end(), None, "week" if weekend else unit, kind
        shifted = self._shift_unit(anchor.day, unit, direction)
        if shifted is None:
            return None
        value, granularity = shifted
        if weekend:
            value += "-WE"
        return m.end(), value, granularity, kind

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
        zone = m.group("t_tz") or m.group("t_tz1")
        offset = self.lang.timezones.get(zone.upper(), "") if zone else ""
        minute = int(minute_text) if minute_text else 0
        value = f"T{_hour(hour, minute):02d}:{minute:02d}{offset}"
        if m.group("t_hh3"):  # one interval ("pukul 13.00-15.00"): the zone is both ends'
            last_hour, last_minute = int(m.group("t_hh3")), int(m.group("t_mm3"))
            if last_hour > 24 or last_minute > 59:
                return None
            last = f"T{_hour(self._shift(last_hour, part), last_minute):02d}:{last_minute:02d}"
            return m.end(), f"{value}/{last}{offset}", "minute", "interval"
        return m.end(), value, "minute" if minute_text else "hour", "time"

    # -- the new kinds (issue 16) ---------------------------------------------------------------
    def _resolve_R(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """A range of days (``24–25 Juni``): one interval."""
        months = self.lang.months
        if m.group("r_bm"):  # "(12-13/5)"
            last_month = first_month = int(m.group("r_bm"))
            first_day, last_day = int(m.group("r_bd1")), int(m.group("r_bd2"))
            year = int(m.group("r_by")) if m.group("r_by") else None
            if not 1 <= last_month <= 12:
                return None
        else:
            last_month = months[m.group("r_m2").lower()]
            first_month = months[m.group("r_m1").lower()] if m.group("r_m1") else last_month
            first_day, last_day = int(m.group("r_d1")), int(m.group("r_d2"))
            year = int(m.group("r_y2")) if m.group("r_y2") else None
        if not (1 <= first_day <= 31 and 1 <= last_day <= 31):
            return None
        first_year = int(m.group("r_y1")) if m.group("r_y1") else None
        if year is None and first_year is not None:
            year = first_year + ((first_month, first_day) > (last_month, last_day))
        if year is None and anchor is not None:
            year = self._year_of(last_month, last_day, anchor.day, None, m.group("r_trel"))
        if year is None:
            if (first_month, first_day) >= (last_month, last_day):
                return None
            value = f"XXXX-{first_month:02d}-{first_day:02d}/XXXX-{last_month:02d}-{last_day:02d}"
            return m.end(), value, "day", "interval"
        if first_year is None:
            first_year = year - ((first_month, first_day) > (last_month, last_day))
        try:
            first = dt.date(first_year, first_month, first_day)
            last = dt.date(year, last_month, last_day)
        except ValueError:
            return None
        if not first < last:
            return None
        return m.end(), f"{first.isoformat()}/{last.isoformat()}", "day", "interval"

    def _resolve_J(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """A Hijri date (``10 Dzulhijjah 1446 H``): its Gregorian day."""
        day = int(m.group("j_d"))
        month = self.lang.hijri_months[_norm(m.group("j_m"))]
        found: dt.date | None = None
        if m.group("j_y"):
            year = int(m.group("j_y"))
            if m.group("j_mark") or year < _HIJRI_BEFORE:
                found = _from_hijri(year, month, day)
            else:  # "13 Dzulhijjah 2025": the one of that Gregorian year
                first = _hijri_year(dt.date(year, 1, 1))
                for hijri_year in (first, first + 1) if first else ():
                    g = _from_hijri(hijri_year, month, day)
                    if g is not None and g.year == year:
                        found = g
                        break
        elif anchor is not None:
            found = self._nearest_hijri(month, day, anchor.day)
        return m.end(), found.isoformat() if found else None, "day", "hijri"

    @staticmethod
    def _nearest_hijri(month: int, day: int, anchor: dt.date) -> dt.date | None:
        current = _hijri_year(anchor)
        if current is None:
            return None
        dates = [_from_hijri(y, month, day) for y in (current - 1, current, current + 1)]
        known = [d for d in dates if d is not None]
        return min(known, key=lambda d: abs((d - anchor).days)) if known else None

    def _holiday_key(self, m: re.Match[str]) -> str:
        if m.group("o_subj"):
            return self.lang.holiday_subjects[_norm(m.group("o_subj"))]
        return self.lang.holiday_names[_norm(m.group("o_name"))]

    def _resolve_U(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """The anniversary of something the holidays file does not know: its day is unknown."""
        return m.end(), None, "day", "holiday"

    def _resolve_O(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        return self._holiday(m, anchor, None)

    def _holiday(
        self, m: re.Match[str], anchor: _Anchor | None, context_year: int | None
    ) -> _Resolved:
        """A holiday: its day in the year it is written with (``Idul Adha 1446 H``, ``Natal
        2024``), counted from (``HUT RI ke-80``) or related to (``Lebaran tahun lalu``), else
        ``context_year`` (a year of its sentence), else the anchor's (guideline §5)."""
        spec = self.lang.holidays[self._holiday_key(m)]
        modifier = self.lang.modifiers.get(_norm(m.group("o_mod"))) if m.group("o_mod") else None
        kind = "holiday" + (f"_{modifier}" if modifier else "")
        span = self._holiday_span(spec, m, anchor, context_year)
        if span is None:
            if anchor is None and spec.fixed and not spec.package and not spec.hijri:
                month, day = spec.fixed
                return m.end(), f"XXXX-{month:02d}-{day:02d}", "day", kind
            return m.end(), None, "day", kind
        first, last = span
        if first == last:
            if m.group("o_h"):  # "H-7 Lebaran": seven days before it
                first = first + dt.timedelta(days=int(re.sub(r"[^\d+-]", "", m.group("o_h")[1:])))
            return m.end(), first.isoformat(), "day", kind
        return m.end(), f"{first.isoformat()}/{last.isoformat()}", "day", kind

    def _holiday_span(
        self,
        spec: _Holiday,
        m: re.Match[str],
        anchor: _Anchor | None,
        context_year: int | None,
    ) -> tuple[dt.date, dt.date] | None:
        if m.group("o_y"):
            year = int(m.group("o_y"))
            if m.group("o_mark") or year < _HIJRI_BEFORE:
                return self._in_hijri_year(spec, year)
            return self._occurrence(spec, year, anchor)
        number = m.group("o_n1") or m.group("o_n2")
        if number and spec.founded:
            return self._occurrence(spec, spec.founded + int(number), anchor)
        if anchor is None:
            return None if context_year is None else self._occurrence(spec, context_year, None)
        base = anchor.day
        if m.group("o_rel"):  # "Lebaran tahun lalu"
            year = base.year + self._direction(m.group("o_rel"))
            return self._occurrence(spec, year, anchor)
        direction = self._direction(m.group("o_rel2"))
        if direction:  # "Lebaran lalu": the last one before the anchor; "nanti": the next
            years = (base.year, base.year - 1) if direction < 0 else (base.year, base.year + 1)
            for year in years:
                days = self._occurrences(spec, year)
                chosen = [d for d in days if (d[0] < base if direction < 0 else d[0] >= base)]
                if chosen:
                    return chosen[-1] if direction < 0 else chosen[0]
            return None
        if m.group("o_rel2"):  # "lebaran haji ini"
            return self._occurrence(spec, base.year, anchor)
        if context_year is not None:
            return self._occurrence(spec, context_year, anchor)
        found = self._occurrence(spec, base.year, anchor)
        if found is None or abs((found[0] - base).days) <= _HOLIDAY_SAME_YEAR_DAYS:
            return found
        # late December's "Tahun Baru", "Imlek" is the next one; early January's "Natal" the last
        for year in (base.year - 1, base.year + 1):
            near = self._occurrence(spec, year, anchor)
            if near is not None and abs((near[0] - base).days) <= _HOLIDAY_NEAR_DAYS:
                return near
        return found

    def _occurrence(
        self, spec: _Holiday, year: int, anchor: _Anchor | None
    ) -> tuple[dt.date, dt.date] | None:
        """The holiday in ``year`` (the one nearest the anchor when there are two)."""
        days = self._occurrences(spec, year)
        if not days:
            return None
        if anchor is None or len(days) == 1:
            return days[0]
        return min(days, key=lambda d: abs((d[0] - anchor.day).days))

    def _occurrences(self, spec: _Holiday, year: int) -> list[tuple[dt.date, dt.date]]:
        """The (first, last) days of the holiday in ``year``: Indonesia's official calendar,
        else its Hijri day or month converted, else its fixed day."""
        if not 1 <= year <= 9998:
            return []
        if spec.hijri_month:
            hijri_year = _hijri_year(dt.date(year, 1, 1))
            out = []
            for candidate in (hijri_year, hijri_year + 1) if hijri_year else ():
                month = self._hijri_month_span(candidate, spec.hijri_month)
                if month is not None and month[0].year == year:
                    out.append(month)
            return out
        if spec.package:
            official = _official(year)
            shift = dt.timedelta(days=spec.shift_days)
            days = sorted({d + shift for name in spec.package for d in official.get(name, ())})
            if days:
                return [(d, d) for d in days]
        if spec.hijri:
            hijri_year = _hijri_year(dt.date(year, 1, 1))
            out = []
            for candidate in (hijri_year, hijri_year + 1) if hijri_year else ():
                g = _from_hijri(candidate, *spec.hijri)
                if g is not None and g.year == year:
                    out.append((g, g))
            return out
        if spec.fixed:
            try:
                day = dt.date(year, *spec.fixed)
            except ValueError:
                return []
            return [(day, day)]
        return []

    def _in_hijri_year(self, spec: _Holiday, hijri_year: int) -> tuple[dt.date, dt.date] | None:
        """The holiday of a Hijri year (``Idul Adha 1446 H``): its official day in the Gregorian
        year the Hijri day falls in (when they are a few days apart at most), else the Hijri day
        converted."""
        if spec.hijri_month:
            return self._hijri_month_span(hijri_year, spec.hijri_month)
        if spec.hijri is None:
            return None
        converted = _from_hijri(hijri_year, *spec.hijri)
        if converted is None:
            return None
        for first, last in self._occurrences(spec, converted.year):
            if abs((first - converted).days) <= _HIJRI_OFFICIAL_DAYS:
                return first, last
        return converted, converted

    def _hijri_month_span(self, hijri_year: int, month: int) -> tuple[dt.date, dt.date] | None:
        """First and last day of a Hijri month (Ramadan); the last is the day before the official
        holiday on the next month's first day (Idulfitri) when there is one nearby."""
        first = _from_hijri(hijri_year, month, 1)
        following = _from_hijri(hijri_year + month // 12, month % 12 + 1, 1)
        if first is None or following is None:
            return None
        for spec in self.lang.holidays.values():
            if spec.hijri == (month % 12 + 1, 1) and spec.package:
                official = _official(following.year)
                for name in spec.package:
                    for day in official.get(name, ()):
                        if abs((day - following).days) <= _HIJRI_OFFICIAL_DAYS:
                            following = day
                break
        return first, following - dt.timedelta(days=1)

    def _resolve_P(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """A set (``setiap hari`` → ``P1D``, ``tiap Senin`` → ``XXXX-WXX-1``)."""
        weekday = m.group("p_wd")
        if weekday and not (_norm(weekday) == "minggu" and weekday[0].islower()):
            number = self.lang.weekdays[_norm(weekday)] + 1
            return m.end(), f"XXXX-WXX-{number}", "day", "set"
        if m.group("p_mn"):  # "setiap 17 Agustus"
            month = self.lang.months[m.group("p_mn").lower()]
            return m.end(), f"XXXX-{month:02d}-{int(m.group('p_dd')):02d}", "day", "set"
        if m.group("p_dom"):  # "setiap tanggal 15"
            return m.end(), f"XXXX-XX-{int(m.group('p_dom')):02d}", "day", "set"
        if m.group("p_pod"):  # "setiap malam"
            return m.end(), f"XXXX-XX-XXT{self._part(m, 'p_pod')}", "part_of_day", "set"
        word = weekday or m.group("p_unit")
        value = self.lang.set_units.get(_norm(word), "P1W")
        return m.end(), value, _SET_GRANULARITY.get(value, "day"), "set"

    def _resolve_S(
        self, m: re.Match[str], anchor: _Anchor | None, calendar: bool
    ) -> _Resolved | None:
        """A sport season: ``musim 2016/2017`` → ``2016/2017``; ``musim ini`` the July–June
        season holding the anchor (a calendar year when the text names MotoGP, F1 …)."""
        modifier = self.lang.modifiers.get(_norm(m.group("s_mod"))) if m.group("s_mod") else None
        kind = "season" + (f"_{modifier}" if modifier else "")
        if m.group("s_a"):
            first = int(m.group("s_a"))
            if not m.group("s_b"):
                return m.end(), str(first), "year", kind
            last = self._range_end(first, m.group("s_b"))
            if last is None or last - first > 1:
                return None
            return m.end(), f"{first}/{last}", "year", kind
        if anchor is None:
            return m.end(), None, "year", kind
        direction = self._direction(m.group("s_rel"))
        if calendar:
            return m.end(), str(anchor.day.year + direction), "year", kind
        first = anchor.day.year - (anchor.day.month < _SEASON_START_MONTH) + direction
        return m.end(), f"{first}/{first + 1}", "year", kind

    @staticmethod
    def _range_end(first: int, text: str) -> int | None:
        """The second year of ``2016 - 17`` / ``2016-2017`` (None when not after the first)."""
        last = int(text)
        if len(text) == 2:
            last += first // 100 * 100
            if last <= first:
                last += 100
        return last if first < last <= first + 100 else None

    def _resolve_M(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """``tanggal 14``: the anchor's month (the context pass may give another)."""
        day = int(m.group("m_d") or m.group("m_d2"))
        if anchor is None:
            return m.end(), f"XXXX-XX-{day:02d}", "day", "day_of_month"
        year, month = anchor.day.year, anchor.day.month
        direction = self._direction(m.group("m_rel"))
        if direction < 0 and day > anchor.day.day:
            year, month = _add_months(anchor.day, -1)
        elif direction > 0 and day < anchor.day.day:
            year, month = _add_months(anchor.day, 1)
        return m.end(), _day_value(year, month, day), "day", "day_of_month"

    def _resolve_K(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """Decades (``1980-an`` → ``198X``, ``era 90-an`` → ``199X``) and centuries (``abad
        ke-21`` → ``20``)."""
        modifier = self.lang.modifiers.get(_norm(m.group("k_mod"))) if m.group("k_mod") else None
        kind = "decade" + (f"_{modifier}" if modifier else "")
        if m.group("k_cn"):
            return m.end(), f"{_century(m.group('k_cn')) - 1:02d}", "century", kind
        if m.group("k_now"):  # "abad ini"
            value = f"{anchor.day.year // 100:02d}" if anchor else None
            return m.end(), value, "century", kind
        if m.group("k_y4"):
            return m.end(), f"{int(m.group('k_y4')) // 10:03d}X", "decade", kind
        two = int(m.group("k_y2"))
        year = (2000 if two <= _TWO_DIGIT_2000S else 1900) + two
        return m.end(), f"{year // 10:03d}X", "decade", kind

    def _resolve_Y(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """Year ranges (``2012 - 2017`` → ``2012/2017``; ``1980 - 90 - an`` → ``198X/199X``); a
        slash between consecutive years is a season (``2016/17``) unless it is a school or
        budget year (``tahun ajaran 2024/2025``)."""
        first = int(m.group("y_a"))
        last = self._range_end(first, m.group("y_b"))
        if last is None:
            return None
        if m.group("y_an") or m.group("y_an1"):
            return m.end(), f"{first // 10:03d}X/{last // 10:03d}X", "decade", "interval"
        if m.group("y_sep") == "/" and last == first + 1 and not m.group("y_tahun"):
            previous = self._prev_word(self._text_of(m), m.start())
            if previous not in self.lang.season_not_after:
                return m.end(), f"{first}/{last}", "year", "season"
        return m.end(), f"{first}/{last}", "year", "interval"

    @staticmethod
    def _text_of(m: re.Match[str]) -> str:
        return m.string

    def _resolve_N(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """A range of months (``Januari - September 2016`` → ``2016-01/2016-09``)."""
        months = self.lang.months
        first, last = months[m.group("n_m1").lower()], months[m.group("n_m2").lower()]
        year = int(m.group("n_y2")) if m.group("n_y2") else None
        first_year = int(m.group("n_y1")) if m.group("n_y1") else None
        if year is None and first_year is not None:
            year = first_year + (first > last)
        if year is None and anchor is not None:
            year = anchor.day.year
            if last - anchor.day.month > 6:
                year -= 1
            elif anchor.day.month - last > 6:
                year += 1
        if year is None:
            if first >= last:
                return None
            return m.end(), f"XXXX-{first:02d}/XXXX-{last:02d}", "month", "interval"
        if first_year is None:
            first_year = year - (first > last)
        if (first_year, first) >= (year, last):
            return None
        return m.end(), f"{first_year:04d}-{first:02d}/{year:04d}-{last:02d}", "month", "interval"

    def _resolve_Q(self, m: re.Match[str], anchor: _Anchor | None) -> _Resolved | None:
        """Quarters and halves (``kuartal III 2016`` → ``2016-Q3``, ``semester I 2025`` →
        ``2025-H1``); without a year, the anchor's (or the last/next one)."""
        letter = self.lang.quarters[_norm(m.group("q_w"))]
        number = self.lang.ordinals[_norm(m.group("q_n"))]
        count = 4 if letter == "Q" else 2
        if not 1 <= number <= count:
            return None
        granularity = "quarter" if letter == "Q" else "half_year"
        if m.group("q_y"):
            return m.end(), f"{m.group('q_y')}-{letter}{number}", granularity, "date"
        if anchor is None:
            return m.end(), f"XXXX-{letter}{number}", granularity, "relative"
        year = anchor.day.year
        current = (anchor.day.month - 1) * count // 12 + 1
        if m.group("q_rel"):
            year += self._direction(m.group("q_rel"))
        else:
            direction = self._direction(m.group("q_rel2"))
            if direction < 0 and number > current:
                year -= 1
            elif direction > 0 and number < current:
                year += 1
        return m.end(), f"{year}-{letter}{number}", granularity, "relative"

    # -- the context pass -----------------------------------------------------------------------
    def _in_context(
        self,
        text: str,
        pairs: list[tuple[re.Match[str], Found]],
        anchor: _Anchor | None,
        context: _Context,
    ) -> None:
        """Give holidays, ``tanggal 14`` and clock times the values their context decides (in
        place): holidays and days first, as times take their day from them."""
        days_of_month = []
        for i, (m, _found) in enumerate(pairs):
            if m.lastgroup == "O":
                self._holiday_in_context(text, pairs, i, anchor, context)
            elif m.lastgroup == "M":
                days_of_month.append(i)
        for i in reversed(days_of_month):  # "1, 2 dan 3 Mei": each from the one after it
            self._day_of_month_in_context(text, pairs, i, context)
        last_day: tuple[int, str] | None = None  # (start, day) of the last dated expression
        following: list[tuple[int, str] | None] = [None] * len(pairs)
        upcoming: tuple[int, str] | None = None
        for i in range(len(pairs) - 1, -1, -1):
            following[i] = upcoming
            dated = _day_of(pairs[i][1])
            if dated is not None:
                upcoming = (pairs[i][1]["start"], dated)
        last_dated: tuple[int, str] | None = None  # (start, value) of the last dated one
        for i, (m, found) in enumerate(pairs):
            value = found["value"]
            if m.lastgroup == "T" and value and value.startswith("T"):
                dated = self._day_for_time(found["start"], last_day, following[i], context)
                if dated is None and anchor is not None:
                    dated = anchor.day.isoformat()
                if dated is not None:
                    found["value"] = "/".join(dated + end for end in value.split("/"))
                continue
            counted = self._counts_from_context(m)
            if counted:  # from the last date before it, not from another counted one
                self._from_context(m, found, last_dated[1] if last_dated else None, anchor)
            dated = _day_of(found)
            if dated is not None:
                last_day = (found["start"], dated)
            value = found["value"]
            if not counted and value and _DATED_VALUE.match(value) and "/" not in value:
                if not found["kind"].startswith(("set", "time")):
                    last_dated = (found["start"], value)

    def _counts_from_context(self, m: re.Match[str]) -> bool:
        """``dua hari kemudian``, ``tahun sebelumnya``, ``keesokan harinya``: counted from the
        date before them."""
        kind = m.lastgroup
        if kind == "F":
            return bool(self.lang.relative_days[_norm(m.group("f_rel"))].get("context"))
        if kind == "G":
            return _norm(m.group("g_rel")) in self.lang.context_relative
        if kind == "E":
            return bool(m.group("e_rel")) and _norm(m.group("e_rel")) in self.lang.context_relative
        return False

    def _from_context(
        self, m: re.Match[str], found: Found, base: str | None, anchor: _Anchor | None
    ) -> None:
        """Count a context-relative expression from ``base`` (the value of the last date before
        it) when it is precise enough for the unit, else from the anchor."""
        kind = m.lastgroup
        if kind == "F":
            unit, steps = "day", int(self.lang.relative_days[_norm(m.group("f_rel"))]["days"])
        elif kind == "G":
            unit = self.lang.units[_norm(m.group("g_unit"))]
            count = self._count(m.group("g_num"), m.group("g_se"))
            if count is None:
                return
            steps = count * self.lang.context_relative[_norm(m.group("g_rel"))]
        else:
            unit = self.lang.units[_norm(m.group("e_unit"))]
            steps = self.lang.context_relative[_norm(m.group("e_rel"))]
        needed = _PRECISION.get(unit)
        if needed is None:
            return  # hours and minutes: not from a date
        day = _date_of_value(base, needed) if base else None
        if day is None:
            if anchor is None:
                return
            day = anchor.day
        shifted = self._shift_unit(day, unit, steps)
        if shifted is None:
            return
        value, granularity = shifted
        old = found["value"] or ""
        if "T" in old and granularity == "day":
            value += old[old.index("T") :]
        found["value"], found["granularity"] = value, granularity

    @staticmethod
    def _day_for_time(
        start: int,
        before: tuple[int, str] | None,
        after: tuple[int, str] | None,
        context: _Context,
    ) -> str | None:
        """The day of a clock time: the nearest date before it in its sentence, else after it
        in its sentence, else before it in its paragraph (guideline §4)."""
        first, last = context.sentence(start)
        if before is not None and before[0] >= first:
            return before[1]
        if after is not None and after[0] < last:
            return after[1]
        if before is not None and before[0] >= context.paragraph(start)[0]:
            return before[1]
        return None

    def _holiday_in_context(
        self,
        text: str,
        pairs: list[tuple[re.Match[str], Found]],
        i: int,
        anchor: _Anchor | None,
        context: _Context,
    ) -> None:
        m, found = pairs[i]
        if self._generic_holiday(text, m.start()):
            found["value"] = None  # "setiap Iduladha": a custom, not one day
            return
        if any(m.group(g) for g in ("o_y", "o_n1", "o_n2", "o_rel", "o_rel2")):
            return
        first, last = context.sentence(found["start"])
        best: tuple[int, int] | None = None  # (distance, year)
        for j in self._neighbours(pairs, i, first, last):
            other = pairs[j][1]
            if other["kind"].split("_")[0] not in _YEAR_GIVING or not other["value"]:
                continue
            year = other["value"][:4]
            if year.isdigit():
                distance = abs(other["start"] - found["start"])
                if best is None or distance < best[0]:
                    best = (distance, int(year))
        if best is not None:
            found["value"] = self._holiday(m, anchor, best[1])[1]

    @staticmethod
    def _neighbours(
        pairs: list[tuple[re.Match[str], Found]], i: int, first: int, last: int
    ) -> list[int]:
        """The indexes of the expressions of ``pairs`` between ``first`` and ``last`` near
        ``i`` (at most :data:`_NEIGHBOURS` on each side)."""
        out = []
        for j in range(i - 1, max(-1, i - 1 - _NEIGHBOURS), -1):
            if pairs[j][1]["start"] < first:
                break
            out.append(j)
        for j in range(i + 1, min(len(pairs), i + 1 + _NEIGHBOURS)):
            if pairs[j][1]["start"] >= last:
                break
            out.append(j)
        return out

    def _generic_holiday(self, text: str, start: int) -> bool:
        words = _PREV_WORDS.search(text, max(0, start - 24), start)
        if words is None:
            return False
        generic = self.lang.holiday_generic
        last = words.group(2).lower()
        return last in generic or f"{(words.group(1) or '').lower()} {last}" in generic

    def _day_of_month_in_context(
        self,
        text: str,
        pairs: list[tuple[re.Match[str], Found]],
        i: int,
        context: _Context,
    ) -> None:
        """``tanggal 14`` in the month of a date it is joined to (``tanggal 14 dan 15 Juni``,
        ``tanggal 10 hingga 13 Dzulhijjah``: then a Hijri date), else of the nearest expression
        with a month before it in its sentence (else the anchor's, as resolved)."""
        m, found = pairs[i]
        day = int(m.group("m_d") or m.group("m_d2"))
        if i + 1 < len(pairs):
            after, nxt = pairs[i + 1]
            if nxt["value"] and _JOINED.fullmatch(text, found["end"], nxt["start"]):
                if after.lastgroup == "J":
                    hijri_year = _hijri_year(dt.date.fromisoformat(nxt["value"]))
                    month_n = self.lang.hijri_months[_norm(after.group("j_m"))]
                    converted = _from_hijri(hijri_year, month_n, day) if hijri_year else None
                    if converted is not None:
                        found["value"], found["kind"] = converted.isoformat(), "hijri"
                    return
                month = _month_of(nxt)
                if month is not None:
                    found["value"] = _day_value(month[0], month[1], day)
                    return
        month = self._month_in_context(pairs, i, context)
        if month is not None:
            found["value"] = _day_value(month[0], month[1], day)

    @staticmethod
    def _month_in_context(
        pairs: list[tuple[re.Match[str], Found]], i: int, context: _Context
    ) -> tuple[int | None, int] | None:
        """The month of the nearest expression with a month before ``i`` in its sentence."""
        found = pairs[i][1]
        first, _ = context.sentence(found["start"])
        for j in range(i - 1, max(-1, i - 1 - _NEIGHBOURS), -1):
            other = pairs[j][1]
            if other["start"] < first:
                break
            month = _month_of(other)
            if month is not None:
                return month
        return None


def _unit_kind(unit: str) -> str:
    """The kind of a relative expression of ``unit``: weeks are ``week`` (guideline §2:
    ``pekan lalu``, ``akhir pekan``), the others ``relative``."""
    return "week" if unit == "week" else "relative"


def _relative_kind(kind: str) -> str:
    """The kind of a relative day (``kemarin``, ``Senin``) from :meth:`DateFinder._with_time`'s:
    with a time ``relative_datetime``, with a range of times ``interval``."""
    return "relative" if not kind else ("interval" if kind == "interval" else "relative_datetime")


def _hour(hour: int, minute: int | None) -> int:
    """The hour of a value: ``24.00`` stays ``T24:00`` (ISO 8601's end of the day)."""
    return hour if hour == 24 and not minute else hour % 24


def _day_value(year: int | None, month: int, day: int) -> str | None:
    if year is None:  # no anchor: "XXXX-08-30"
        return f"XXXX-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_of_value(value: str, needed: int) -> dt.date | None:
    """The date a value names, when it is at least as precise as ``needed`` (1 year, 2 month,
    3 day): ``2025-06`` → 2025-06-01 for a month count, None for a day count."""
    match = _DATED_VALUE.match(value)
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p]
    if len(parts) < needed:
        return None
    try:
        return dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )
    except ValueError:
        return None


def _day_of(found: Found) -> str | None:
    """The calendar day of an expression's value (``2025-06-18``), None without one."""
    value = found["value"]
    if not value or found["kind"] == "set" or "/" in value:
        return None
    match = _DAY_VALUE.match(value)
    return match.group() if match else None


def _month_of(found: Found) -> tuple[int | None, int] | None:
    """(year, month) of an expression's value (year None in ``XXXX-08-31``), None without a
    month."""
    value = found["value"]
    if not value or found["kind"].startswith(("time", "set")):
        return None
    match = _MONTH_VALUE.match(value)
    if match is None:
        return None
    return None if match.group(1) == "XXXX" else int(match.group(1)), int(match.group(2))


def find_dates(text: str, published: str | None = None, **settings: Any) -> list[Found]:
    """The date expressions of ``text`` (no spaCy needed; ``settings``: those of
    :class:`DatesSettings`)."""
    return DateFinder(None, **settings).find(text, published)[0]


class Dates(DataFileComponent):
    """spaCy component: ``doc._.beritanlp_dates`` and the inferred
    ``doc._.beritanlp_published``.

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
