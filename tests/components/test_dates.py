"""Tests of the dates component (beritanlp_dates): expressions, values, publication date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from beritanlp.components import dateline, dates, sections, sentences  # noqa: F401
from beritanlp.components.dates import DateFinder, DatesSettings, find_dates
from beritanlp.errors import ConfigError
from beritanlp.lang import blank
from beritanlp.records import DateExpression, Published
from beritanlp.resources import read_text

PUBLISHED = "2023-05-04"  # a Thursday


@pytest.fixture(scope="module")
def pipe() -> Language:
    nlp = blank()
    for name in ("sections", "sentences", "dates", "dateline"):
        nlp.add_pipe(f"beritanlp_{name}")
    return nlp


def run(nlp: Language, text: str, published: str | None = PUBLISHED) -> Any:
    doc = nlp.make_doc(text)
    doc._.beritanlp_context = {"title": None, "published": published, "url": None}
    return nlp(doc)


CASES = [
    # (sentence, expression, value, granularity, kind)
    ("Rapat digelar pada 4 Mei 2023 di Bali.", "4 Mei 2023", "2023-05-04", "day", "date"),
    ("Diperbarui 30 Jan 2026 pukul delapan.", "30 Jan 2026", "2026-01-30", "day", "date"),
    ("Surat bertanggal 4/5/2023 itu beredar.", "4/5/2023", "2023-05-04", "day", "date"),
    ("Ia tiba Kamis (4/5) di Jakarta.", "Kamis (4/5)", "2023-05-04", "day", "date"),
    ("Ia tiba Kamis (4/5) pagi.", "Kamis (4/5) pagi", "2023-05-04TMO", "part_of_day", "date"),
    (
        "Ia tiba Jumat (4/5) sore.",
        "Jumat (4/5) sore",
        "2023-05-04TAF",
        "part_of_day",
        "date_weekday_mismatch",
    ),
    (
        "Sidang Rabu (10/5/2023) pukul 14.30 WIB.",
        "Rabu (10/5/2023) pukul 14.30 WIB",
        "2023-05-10T14:30+07:00",
        "minute",
        "datetime",
    ),
    (
        "Acara Sabtu (6/5) pukul 09.00 WITA.",
        "Sabtu (6/5) pukul 09.00 WITA",
        "2023-05-06T09:00+08:00",
        "minute",
        "datetime",
    ),
    # a clock time takes the day of its context, here the anchor (guideline §4, issue 16)
    (
        "Gempa terjadi pukul 20.15 WIT.",
        "pukul 20.15 WIT",
        "2023-05-04T20:15+09:00",
        "minute",
        "time",
    ),
    ("Ia datang kemarin bersama istrinya.", "kemarin", "2023-05-03", "day", "relative"),
    ("Harga naik hari ini.", "hari ini", "2023-05-04", "day", "relative"),
    ("Sidang dilanjutkan besok.", "besok", "2023-05-05", "day", "relative"),
    ("Sidang dilanjutkan lusa.", "lusa", "2023-05-06", "day", "relative"),
    ("Ia tiba kemarin lusa.", "kemarin lusa", "2023-05-02", "day", "relative"),
    ("Rapat digelar Senin lalu.", "Senin lalu", "2023-05-01", "day", "relative"),
    ("Rapat digelar pada Selasa.", "Selasa", "2023-05-02", "day", "relative"),
    # weeks are kind "week" (guideline §2, issue 16)
    ("Harga turun pekan lalu.", "pekan lalu", "2023-W17", "week", "week"),
    ("Harga turun sepekan lalu.", "sepekan lalu", "2023-W17", "week", "week"),
    ("Tarif naik bulan depan.", "bulan depan", "2023-06", "month", "relative"),
    ("Ekspor turun tahun lalu.", "tahun lalu", "2022", "year", "relative"),
    ("Kunjungan pada Maret lalu.", "Maret lalu", "2023-03", "month", "relative"),
    ("Ia pulang awal Mei.", "awal Mei", "2023-05", "month", "month_start"),
    ("Konser digelar akhir pekan.", "akhir pekan", "2023-W18-WE", "week", "week"),
    ("Ia dirawat dua hari lalu.", "dua hari lalu", "2023-05-02", "day", "relative"),
    ("Data dirilis tahun 2019.", "tahun 2019", "2019", "year", "year"),
    ("Krisis terjadi pada 1998 ketika rupiah jatuh.", "1998", "1998", "year", "year"),
    ("Proyek selesai 12 Agt 2020.", "12 Agt 2020", "2020-08-12", "day", "date"),
    ("Proyek selesai 12 Agu 2020.", "12 Agu 2020", "2020-08-12", "day", "date"),
    ("Proyek selesai 3 Sept 2021.", "3 Sept 2021", "2021-09-03", "day", "date"),
    ("Ia lahir 7 Nop 1990.", "7 Nop 1990", "1990-11-07", "day", "date"),
    ("Ia lahir 9 Peb 1985.", "9 Peb 1985", "1985-02-09", "day", "date"),
    ("Berita 29 Oct 2023", "29 Oct 2023", "2023-10-29", "day", "date"),
    ("Pameran berlangsung selama tiga hari.", "selama tiga hari", "P3D", "day", "duration"),
    ("Rapat Mei 2023 itu batal.", "Mei 2023", "2023-05", "month", "month"),
    ("Pada akhir tahun 2020 ia pensiun.", "akhir tahun 2020", "2020", "year", "year_end"),
    (
        "Ia kembali Senin (8/5) malam pukul 19.00 WIB.",
        "Senin (8/5) malam pukul 19.00 WIB",
        "2023-05-08T19:00+07:00",
        "minute",
        "datetime",
    ),
    ("Rapat digelar pukul 7 malam.", "pukul 7 malam", "2023-05-04T19:00", "hour", "time"),
    # "malam" is the evening, TEV (guideline §4, issue 16)
    ("Ia tiba tadi malam.", "tadi malam", "2023-05-03TEV", "part_of_day", "relative"),
]


@pytest.mark.parametrize(("text", "expr", "value", "granularity", "kind"), CASES)
def test_dates_expressions(
    pipe: Language, text: str, expr: str, value: str, granularity: str, kind: str
) -> None:
    found = run(pipe, text)._.beritanlp_dates
    assert isinstance(found, tuple) and all(isinstance(d, DateExpression) for d in found)
    hits = [d for d in found if d.text == expr]
    assert hits, [d.text for d in found]
    got = hits[0]
    assert (got.value, got.granularity, got.kind) == (value, granularity, kind)
    assert text[got.start : got.end] == expr
    assert set(got.to_dict()) == {"text", "start", "end", "value", "granularity", "kind"}


def test_dates_three_hours_ago_with_a_time() -> None:
    found = find_dates("Gempa terjadi 3 jam lalu.", "2023-05-04T10:30:00+07:00")
    assert found[0]["value"] == "2023-05-04T07:30+07:00"
    assert found[0]["granularity"] == "hour"


@pytest.mark.parametrize(
    "text",
    [
        "Sebanyak 1998 orang hadir.",
        "Skor akhir 2 - 1 untuk tuan rumah.",
        "Harga naik 4/5 persen.",
        "Mereka bekerja 24 jam sehari.",
        "Ia membeli 1.998 unit motor.",
        # a count is not a year (a year in an event name is: test_dates_news_forms.py)
        "Tim itu membawa 2022 penonton ke Qatar.",
        "",
    ],
)
def test_dates_negatives(pipe: Language, text: str) -> None:
    assert [d.text for d in run(pipe, text)._.beritanlp_dates] == []


def test_dates_without_anchor() -> None:
    found = {d["text"]: d for d in find_dates("Kamis (4/5) kemarin, 4 Mei 2023 ya.", None)}
    assert found["4 Mei 2023"]["value"] == "2023-05-04"


def test_dates_no_anchor_at_all(pipe: Language) -> None:
    doc = run(pipe, "Ia datang kemarin, Kamis (4/5), pada 1998 silam.", None)
    found = {d.text: d.value for d in doc._.beritanlp_dates}
    assert found == {"kemarin": None, "Kamis (4/5)": "XXXX-05-04", "1998 silam": "1998"}
    assert doc._.beritanlp_published is None


def test_dates_seed_given(pipe: Language, seed_text: str) -> None:
    doc = run(pipe, seed_text)
    found = {d.text: d for d in doc._.beritanlp_dates}
    assert found["Kamis (4/5)"].value == "2023-05-04"
    assert found["Kamis (4/5)"].kind == "date"
    assert found["4 Mei 2023"].value == "2023-05-04"
    assert found["Maret lalu"].value == "2023-03"
    assert found["29 Oct 2023"].value == "2023-10-29"  # boilerplate dates are reported
    assert found["30 Jan 2026"].value == "2026-01-30"
    # the given date stays the caller's (doc._.beritanlp_context): the component owns only
    # an inferred one
    assert doc._.beritanlp_published is None
    for d in doc._.beritanlp_dates:
        assert seed_text[d.start : d.end] == d.text


def test_dates_seed_inferred(pipe: Language, seed_text: str) -> None:
    doc = run(pipe, seed_text, None)
    assert doc._.beritanlp_published == Published("2023-05-04", "inferred")
    found = {d.text: d.value for d in doc._.beritanlp_dates}
    assert found["Kamis (4/5)"] == "2023-05-04"


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Rabu, 18 Jun 2025 07:30 WIB\n\nJakarta - Harga cabai naik.", "2025-06-18T07:30:00+07:00"),
        ("Kompas.com - 18/06/2025, 21:35 WIB\nHarga cabai naik.", "2025-06-18T21:35:00+07:00"),
        ("Harga cabai naik pada Senin (9/6/2025), kata pedagang.", "2025-06-09"),
    ],
)
def test_dates_published_inferred(pipe: Language, text: str, published: str) -> None:
    doc = run(pipe, text, None)
    assert doc._.beritanlp_published == Published(published, "inferred")


def test_dates_published_apposition(pipe: Language) -> None:
    # "kemarin, Senin (1/5/2023)": the weekday date is the day before publication
    doc = run(pipe, "Presiden tiba di Bali kemarin, Senin (1/5/2023), untuk rapat.", None)
    assert doc._.beritanlp_published == Published("2023-05-02", "inferred")
    assert [d.value for d in doc._.beritanlp_dates] == ["2023-05-01", "2023-05-01"]


def test_dates_published_given_wins(pipe: Language) -> None:
    doc = run(pipe, "Rabu, 18 Jun 2025 07:30 WIB\nIa datang kemarin.", "2025-06-20")
    assert doc._.beritanlp_published is None  # nothing inferred
    assert [d.value for d in doc._.beritanlp_dates if d.text == "kemarin"] == ["2025-06-19"]


def test_dates_year_of_a_partial_date_is_nearest(pipe: Language) -> None:
    doc = run(pipe, "Ia tiba Kamis (28/12) lalu.", "2023-01-02")
    assert doc._.beritanlp_dates[0].value == "2022-12-28"


def test_analyze_api(seed_text: str) -> None:
    import beritanlp

    names = beritanlp.load().pipe_names
    if "dates" not in names:
        pytest.skip("the dates component is not in the default pipeline yet")
    if names.index("dates") > names.index("dateline"):
        pytest.xfail(
            "the dateline takes its date from doc._.beritanlp_dates: dates must run before it"
        )
    article = beritanlp.analyze(seed_text, published="2023-05-04")
    assert article.dateline is not None and article.dateline.date == "2023-05-04"


WORDS = st.sampled_from(
    [
        "Kamis",
        "(4/5)",
        "4",
        "Mei",
        "2023",
        "pukul",
        "14.30",
        "WIB",
        "kemarin",
        "lalu",
        "pekan",
        "akhir",
        "awal",
        "tahun",
        "1998",
        "se",
        "dua",
        "hari",
        "/",
        "(",
        ")",
        ",",
        "\n",
        "Jum'at",
        "Minggu",
        "malam",
        "31/2",
        "99/99/2023",
        "selama",
    ]
)
TEXTS = st.one_of(
    st.text(max_size=80), st.lists(st.one_of(WORDS, st.text(max_size=4)), max_size=25).map(" ".join)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from([None, "2023-05-04", "2024-02-29T23:30:00+07:00"]))
def test_dates_never_crash(pipe: Language, text: str, published: str | None) -> None:
    doc = run(pipe, text, published)
    previous = -1
    for d in doc._.beritanlp_dates:
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text
        assert d.start >= previous
        previous = d.end


def test_dates_settings_declared_once() -> None:
    component = blank().add_pipe("beritanlp_dates", config={"infer_window_chars": 10})
    assert isinstance(component.settings, DatesSettings)
    assert component.settings.infer_window_chars == 10 and component.settings.infer_published
    assert DateFinder(infer_published=False).settings == DatesSettings(infer_published=False)
    with pytest.raises(ConfigError, match="date_line_max_words"):
        DatesSettings(date_line_max_words=-1)


def _data_without(word: str, target: Path) -> Path:
    raw = json.loads(read_text("dates_id.json"))
    del raw["relative_days"][word]
    target.write_text(json.dumps(raw), encoding="utf-8")
    return target


def test_dates_own_data_file_and_saved_copy(tmp_path: Path) -> None:
    text = "Ia datang kemarin dan pulang besok."
    own = _data_without("kemarin", tmp_path / "dates.json")
    nlp = blank()
    nlp.add_pipe("beritanlp_dates", name="dates", config={"data": str(own)})
    assert [d.text for d in run(nlp, text)._.beritanlp_dates] == ["besok"]
    nlp.to_disk(tmp_path / "pipe")
    own.unlink()  # the saved pipeline carries its own copy
    assert (
        run(spacy.load(tmp_path / "pipe"), text)._.beritanlp_dates
        == run(nlp, text)._.beritanlp_dates
    )
    _data_without("besok", tmp_path / "pipe" / "dates" / "data.json")
    assert [d.text for d in run(spacy.load(tmp_path / "pipe"), text)._.beritanlp_dates] == [
        "kemarin"
    ]
