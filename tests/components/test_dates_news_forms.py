"""The date forms of real news (issue 16, ``docs/dates_guidelines.md``): holidays, Hijri dates,
years in names, ranges, decades, seasons, day of month alone, sets, anchored clock times; the
identifiers that stay out; adversarial shapes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy

from beritanlp.components import dates as dates_module
from beritanlp.components.dates import DateFinder, find_dates
from beritanlp.lang import blank
from beritanlp.resources import read_text

ANCHOR = "2025-06-18"  # a Wednesday


def found(text: str, published: str | None = ANCHOR, **settings: Any) -> dict[str, Any]:
    """expression text → (value, kind) of every expression of ``text``."""
    out = {}
    for d in find_dates(text, published, **settings):
        assert text[d["start"] : d["end"]] == d["text"]
        out[d["text"]] = (d["value"], d["kind"])
    return out


FORMS = [
    # (sentence, expression, value, kind)
    # holidays: Indonesia's official calendar (the holidays package) and fixed days
    ("Harga sapi naik jelang Idul Adha 1446 H.", "Idul Adha 1446 H", "2025-06-06", "holiday"),
    ("Salat Hari Raya Iduladha digelar di masjid.", "Hari Raya Iduladha", "2025-06-06", "holiday"),
    ("Pasar ramai menjelang lebaran haji ini.", "lebaran haji ini", "2025-06-06", "holiday"),
    ("Arus mudik Idulfitri padat.", "Idulfitri", "2025-03-31", "holiday"),
    ("Umat Hindu merayakan Nyepi dengan tenang.", "Nyepi", "2025-03-29", "holiday"),
    ("Umat Buddha merayakan Waisak di Borobudur.", "Waisak", "2025-05-12", "holiday"),
    ("Perayaan Imlek 2024 meriah.", "Imlek 2024", "2024-02-10", "holiday"),
    ("Gereja bersiap menyambut Natal.", "Natal", "2025-12-25", "holiday"),
    ("Upacara Hari Bhayangkara ke-79 digelar.", "Hari Bhayangkara ke-79", "2025-07-01", "holiday"),
    ("Lomba menyambut HUT RI ke-80 digelar.", "HUT RI ke-80", "2025-08-17", "holiday"),
    ("Peringatan HUT ke-79 Bhayangkara meriah.", "HUT ke-79 Bhayangkara", "2025-07-01", "holiday"),
    ("Sekolah merayakan Hari Kartini.", "Hari Kartini", "2025-04-21", "holiday"),
    ("Buruh turun ke jalan pada Hari Buruh.", "Hari Buruh", "2025-05-01", "holiday"),
    ("Isra Mikraj 2025 jatuh pada hari Senin.", "Isra Mikraj 2025", "2025-01-27", "holiday"),
    ("Ia pulang saat Natal tahun lalu.", "Natal tahun lalu", "2024-12-25", "holiday"),
    ("Pemudik mulai bergerak H-7 Lebaran.", "H-7 Lebaran", "2025-03-24", "holiday"),
    ("Warga berziarah setiap Iduladha.", "Iduladha", None, "holiday"),
    ("Puasa Ramadan 2025 dimulai bulan Maret.", "Ramadan 2025", "2025-03-01/2025-03-30", "holiday"),
    ("Harga naik pada awal Ramadan.", "awal Ramadan", "2025-03-01/2025-03-30", "holiday_start"),
    # Hijri dates (hijridate)
    ("Puncak haji jatuh 10 Dzulhijjah 1446 H.", "10 Dzulhijjah 1446 H", "2025-06-06", "hijri"),
    ("Sekolah libur 1 Muharram 1447 H.", "1 Muharram 1447 H", "2025-06-26", "hijri"),
    ("Wukuf digelar tanggal 9 Dzulhijjah.", "9 Dzulhijjah", "2025-06-05", "hijri"),
    # years: in event names and more sentence shapes; ranges, decades, centuries
    ("Indonesia lolos ke Piala Dunia 2026.", "2026", "2026", "year"),
    ("Pemilu 2024 berjalan damai.", "2024", "2024", "year"),
    ("Marquez menang di MotoGP Spanyol 2020.", "2020", "2020", "year"),
    ("Hingga 2020 jumlah penduduk naik.", "2020", "2020", "year"),
    ("Ia menjabat 2012 - 2017 di sana.", "2012 - 2017", "2012/2017", "interval"),
    ("Rencana Tahun 2025–2029 disusun.", "Tahun 2025–2029", "2025/2029", "interval"),
    ("Musik 1980-an kembali populer.", "1980-an", "198X", "decade"),
    ("Lagu era 90-an diputar.", "era 90-an", "199X", "decade"),
    ("Tren 1980 - 90 - an muncul lagi.", "1980 - 90 - an", "198X/199X", "interval"),
    ("Tantangan abad ke-21 berat.", "abad ke-21", "20", "decade"),
    # ranges of days and months: one interval
    ("Pameran digelar 24–25 Juni di Jakarta.", "24–25 Juni", "2025-06-24/2025-06-25", "interval"),
    ("Festival 25-26 Juli 2020 batal.", "25-26 Juli 2020", "2020-07-25/2020-07-26", "interval"),
    ("Rapat 1-3 Mei 2023 digelar.", "1-3 Mei 2023", "2023-05-01/2023-05-03", "interval"),
    ("Libur 30 Juni - 2 Juli 2025.", "30 Juni - 2 Juli 2025", "2025-06-30/2025-07-02", "interval"),
    (
        "Penjualan Januari - September 2016 naik.",
        "Januari - September 2016",
        "2016-01/2016-09",
        "interval",
    ),
    # sport seasons: July to June (guideline §6)
    ("Ia bermain bagus musim ini.", "musim ini", "2024/2025", "season"),
    ("Ia cedera musim lalu.", "musim lalu", "2023/2024", "season"),
    ("Gelar musim 2016 - 17 diraih.", "musim 2016 - 17", "2016/2017", "season"),
    ("Gelar musim 2016/2017 diraih.", "musim 2016/2017", "2016/2017", "season"),
    ("Laga Premier League 2017/18 seru.", "2017/18", "2017/2018", "season"),
    ("Tahun ajaran 2024/2025 dimulai.", "2024/2025", "2024/2025", "interval"),
    # a day of the month alone: the anchor's month
    ("Pendaftaran ditutup tanggal 14.", "tanggal 14", "2025-06-14", "day_of_month"),
    ("Tanggal 14 nanti ia pulang.", "Tanggal 14 nanti", "2025-07-14", "day_of_month"),
    # sets
    ("Ia berlatih setiap hari.", "setiap hari", "P1D", "set"),
    ("Pasar buka tiap Senin.", "tiap Senin", "XXXX-WXX-1", "set"),
    ("Pajak dibayar setiap tahun.", "setiap tahun", "P1Y", "set"),
    ("Ronda digelar setiap malam.", "setiap malam", "XXXX-XX-XXTEV", "set"),
    ("Data dirilis setiap tanggal 15.", "setiap tanggal 15", "XXXX-XX-15", "set"),
    ("Upacara digelar setiap 17 Agustus.", "setiap 17 Agustus", "XXXX-08-17", "set"),
    # ranges of clock times: one interval, anchored like a time
    (
        "Loket buka pukul 08.00-16.00 WIB.",
        "pukul 08.00-16.00 WIB",
        "2025-06-18T08:00+07:00/2025-06-18T16:00+07:00",
        "interval",
    ),
    (
        "Rapat Senin (16/6) pukul 10.00 - 12.00 WIB.",
        "Senin (16/6) pukul 10.00 - 12.00 WIB",
        "2025-06-16T10:00+07:00/2025-06-16T12:00+07:00",
        "interval",
    ),
    # anniversaries of what the holidays file does not know; vague relatives: value null
    ("Perayaan HUT ke-76 Kota Bekasi meriah.", "HUT ke-76 Kota Bekasi", None, "holiday"),
    ("Kasus serupa terjadi baru-baru ini.", "baru-baru ini", None, "relative"),
    # a bare day joined to a date; a pair of weekdays before a range
    ("Ritual digelar pada 10 dan 11 Juni 2025.", "10", "2025-06-10", "day_of_month"),
    (
        "Pembersihan pada Kamis dan Jumat, 12─13 Juni 2025.",
        "Kamis dan Jumat, 12─13 Juni 2025",
        "2025-06-12/2025-06-13",
        "interval",
    ),
    ("Kasus naik pada minggu ke-19 tahun 2025.", "tahun 2025", "2025", "year"),
    (
        "Lomba digelar Sabtu-Minggu (12-13/7).",
        "Sabtu-Minggu (12-13/7)",
        "2025-07-12/2025-07-13",
        "interval",
    ),
    # attached relative words, "tanggal", "hari", quarters
    ("Ia datang pada 8 Juni lalu.", "8 Juni lalu", "2025-06-08", "date"),
    ("Rapat digelar tanggal 2 Juli mendatang.", "tanggal 2 Juli mendatang", "2025-07-02", "date"),
    ("Ia datang hari Senin (16/6/2025).", "hari Senin (16/6/2025)", "2025-06-16", "date"),
    ("Ekonomi tumbuh pada kuartal III 2024.", "kuartal III 2024", "2024-Q3", "date"),
    ("Ekspor naik pada semester I 2025.", "semester I 2025", "2025-H1", "date"),
]


@pytest.mark.parametrize(("text", "expr", "value", "kind"), FORMS)
def test_news_forms(text: str, expr: str, value: str | None, kind: str) -> None:
    got = found(text)
    assert expr in got, got
    assert got[expr] == (value, kind)


@pytest.mark.parametrize(
    "text",
    [
        "UU Nomor 12 Tahun 2023 tentang Kesehatan berlaku.",
        "PP 71 Tahun 2019 direvisi.",
        "Perppu Nomor 2 / 2017 tentang ormas.",
        "Sebanyak 2019 orang hadir.",
        "Harganya Rp 2025 per lembar.",
        "Hubungi 0812 2019 3344 untuk info.",
        "Sertifikat ISO 9001:2015 diraih.",
        "Warga Mandailing Natal berkumpul.",
        "Pria berusia 20-an itu ditangkap.",
        "Bertahun-tahun kemudian mereka bertemu.",
        "Listrik menyala 24 jam kemudian.",
        "Mahasiswa semester 3 ikut lomba.",
        "Ia memakai iPhone 15 baru.",
        "Ia membeli Toyota Avanza 2019 bekas.",  # a year in a product name (guideline §2)
        "Skor akhir (2-1) untuk tuan rumah.",
        "Virus 2019-nCoV menyebar.",
        "Ramadhan mengatakan timnya siap.",  # a given name
        "Gol Ramadhan Sananta membawa kemenangan.",
    ],
)
def test_news_negatives(text: str) -> None:
    assert found(text) == {}


def test_holiday_takes_the_year_of_its_sentence() -> None:
    got = found("Pada 2023, Idulfitri jatuh pada Sabtu.")
    assert got["Idulfitri"] == ("2023-04-22", "holiday")  # the official day of 2023


def test_holiday_near_the_turn_of_the_year() -> None:
    # late December: "Tahun Baru" and "Imlek" are the next ones; early January: "Natal" the last
    assert found("Warga bersiap merayakan Tahun Baru.", "2024-12-28")["Tahun Baru"][0] == (
        "2025-01-01"
    )
    assert found("Harga naik jelang Imlek.", "2024-12-20")["Imlek"][0] == "2025-01-29"
    assert found("Libur Natal usai.", "2025-01-03")["Natal"][0] == "2024-12-25"


def test_holiday_takes_the_year_of_an_interval_in_its_sentence() -> None:
    got = found("Libur Idul Fitri jatuh pada tanggal 15-16 Juni 2018.", None)
    assert got["Idul Fitri"] == ("2018-06-15", "holiday")


def test_day_of_month_without_an_anchor_takes_the_month_it_is_joined_to() -> None:
    got = found("Cuti diambil pada tanggal 30 dan 31 Agustus.", None)
    assert got["tanggal 30"] == ("XXXX-08-30", "day_of_month")


def test_holiday_without_an_anchor() -> None:
    got = found("Warga merayakan Natal dan Idulfitri.", None)
    assert got["Natal"] == ("XXXX-12-25", "holiday")
    assert got["Idulfitri"] == (None, "holiday")
    assert found("Idul Adha 1446 H tiba.", None)["Idul Adha 1446 H"][0] == "2025-06-06"


def test_holidays_from_the_official_calendar_are_cached_per_year() -> None:
    find_dates("Nyepi 2023 dan Nyepi 2024.", ANCHOR)
    info = dates_module._official.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize
    assert {2023, 2024} <= {
        year for year in (2023, 2024) if dates_module._official(year).get("Hari Suci Nyepi")
    }


def test_hijri_date_without_a_year_is_the_nearest() -> None:
    # 10 Dzulhijjah nearest 2025-06-18 is 1446 H (2025-06-06), not 1447 H (2026-05-27)
    assert found("Kurban disembelih 10 Dzulhijjah.")["10 Dzulhijjah"][0] == "2025-06-06"
    assert found("Kurban disembelih 10 Dzulhijjah.", "2026-05-01")["10 Dzulhijjah"][0] == (
        "2026-05-27"
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # the nearest date before it in the sentence
        ("Rapat digelar Senin (16/6/2025) dan dimulai pukul 14.00 WIB.", "2025-06-16T14:00+07:00"),
        # after it in the sentence
        ("Mulai pukul 09.00 WIB, Senin (16/6), warga antre.", "2025-06-16T09:00+07:00"),
        # before it in the paragraph
        ("Gempa terjadi Senin (16/6). Getaran terasa pukul 14.00 WIB.", "2025-06-16T14:00+07:00"),
        # the anchor: the date is in another paragraph
        ("Gempa terjadi Senin (16/6).\nWarga keluar pukul 14.00 WIB.", "2025-06-18T14:00+07:00"),
        # a holiday is a date too
        ("Salat Idul Adha 1446 H dimulai pukul 06.30 WIB.", "2025-06-06T06:30+07:00"),
    ],
)
def test_clock_times_are_anchored(text: str, value: str) -> None:
    times = [d for d in find_dates(text, ANCHOR) if d["kind"] == "time"]
    assert [d["value"] for d in times] == [value]


def test_clock_time_without_any_day_stays_a_time() -> None:
    assert found("Warga keluar pukul 14.00 WIB.", None)["pukul 14.00 WIB"] == (
        "T14:00+07:00",
        "time",
    )


def test_day_of_month_takes_the_month_of_its_context() -> None:
    got = found("Ujian digelar tanggal 14 dan 15 Juli.")
    assert got["tanggal 14"] == ("2025-07-14", "day_of_month")
    got = found("Pada Mei 2024 hujan turun, terutama tanggal 14.")
    assert got["tanggal 14"] == ("2024-05-14", "day_of_month")


def test_day_of_month_joined_to_a_date() -> None:
    got = found("Pertempuran terjadi tanggal 19, 20 sampai 21 November 1945.")
    assert got["tanggal 19"] == ("1945-11-19", "day_of_month")
    got = found("Penyembelihan dilakukan tanggal 10 hingga 13 Dzulhijjah.")
    assert got["tanggal 10"] == ("2025-06-06", "hijri")  # 10 Dzulhijjah 1446 H
    assert got["13 Dzulhijjah"] == ("2025-06-09", "hijri")


def test_seasons_of_calendar_year_competitions() -> None:
    text = "Marquez memimpin klasemen MotoGP musim ini."
    assert found(text)["musim ini"] == ("2025", "season")
    assert found("Pebalap itu pensiun musim 2025.")["musim 2025"] == ("2025", "season")
    assert found("Ia pindah musim depan.", "2025-09-01")["musim depan"] == ("2026/2027", "season")


def test_counted_from_the_date_before() -> None:
    text = (
        "Ia ditangkap Senin (3/3/2025). Dua hari kemudian ia dibebaskan. Tahun sebelumnya ia bebas."
    )
    got = found(text)
    assert got["Dua hari kemudian"] == ("2025-03-05", "relative")
    assert got["Tahun sebelumnya"] == ("2024", "relative")
    assert found("Keesokan harinya ia pulang.")["Keesokan harinya"][0] == "2025-06-19"


def test_holidays_can_be_switched_off() -> None:
    assert found("Warga merayakan Natal.", holidays="") == {}


def test_saved_pipeline_carries_the_holidays(tmp_path: Path) -> None:
    own = tmp_path / "holidays.json"
    raw = json.loads(read_text("holidays_id.json"))
    raw["holidays"] = {"natal": raw["holidays"]["natal"]}
    own.write_text(json.dumps(raw), encoding="utf-8")
    nlp = blank()
    nlp.add_pipe("beritanlp_dates", name="dates", config={"holidays": str(own)})
    nlp.to_disk(tmp_path / "pipe")
    own.unlink()
    assert (tmp_path / "pipe" / "dates" / "holidays.json").is_file()
    loaded = spacy.load(tmp_path / "pipe")
    doc = loaded.make_doc("Natal dan Nyepi tiba.")
    doc._.beritanlp_context = {"title": None, "published": ANCHOR, "url": None}
    assert [d.text for d in loaded(doc)._.beritanlp_dates] == ["Natal"]


ADVERSARIAL = [
    "2019" * 5000,
    "2019 " * 5000,
    "2019-" * 5000,
    "2019 - " * 3000 + "an",
    "-an " * 5000,
    "1980" + " " * 20000 + "an",
    "1980" + " " * 20000 + "-" + " " * 20000 + "an",
    "24" + " " * 20000 + "–",
    "Idul Adha " * 3000,
    "HUT RI ke-" * 3000,
    "H-7 " * 3000 + "Lebaran",
    "setiap " * 5000 + "hari",
    "musim " * 5000,
    "tanggal " * 5000 + "14",
    "pukul 10.00 WIB " * 3000,
    "abad ke-" * 3000,
    "Senin (1/1) " * 2000 + "pukul 10.00",
    "dua hari kemudian " * 2000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_shapes_finish_with_valid_offsets(text: str) -> None:
    out = DateFinder().find(text, ANCHOR)[0]
    previous = 0
    for d in out:
        assert previous <= d["start"] < d["end"] <= len(text)
        assert text[d["start"] : d["end"]] == d["text"]
        previous = d["end"]


def test_relative_day_inside_a_date_shifts_the_inferred_publication_date() -> None:
    # "kemarin Senin (1/5/2023)" is one expression; the article is of the next day
    finder = DateFinder()
    dates, published, source = finder.find("Presiden tiba kemarin Senin (1/5/2023) di Bali.")
    assert [d["text"] for d in dates] == ["kemarin Senin (1/5/2023)"]
    assert (published, source) == ("2023-05-02", "inferred")
