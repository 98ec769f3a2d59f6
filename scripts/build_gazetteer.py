"""Build the generated gazetteer files under ``src/beritanlp/data/gazetteer/``.

Usage (from the repository root)::

    python scripts/build_gazetteer.py [--data ../shared/data] [--check]

Two files are generated; the others in that folder are written by hand:

* ``regions_id.tsv``: the 38 provinces and 514 kabupaten/kota of Indonesia, from
  ``gazetteer/regions/wilayah.tsv`` (Kepmendagri 2025, cahyadsn/wilayah, MIT). Kecamatan and
  desa are left out (too many common words). Each kabupaten/kota gives its full form
  ("Kabupaten Agam", "Kota Padang") and the bare name without the prefix as an alias, except
  the bare names in :data:`DROP_BARE` (common words or phrases: "Batu", "Lima Puluh Kota");
  bare names in :data:`NOSTART` (also common words: "Padang", "Malang", "Agam") are flagged
  ``nostart``. Province abbreviations and aliases (Jabar, DKI Jakarta, DIY) are written here.
* ``countries.tsv``: country and territory names in Indonesian, from umpirsky/country-list
  (``gazetteer/countries/umpirsky_id_country.csv``, CLDR short names, MIT), with a few names
  fixed and aliases (AS, Tiongkok, Korsel …) written here. pycountry-derived data (LGPL) is
  not used.

The row format is documented in ``docs/gazetteer.md`` and in each file's header:
``name<TAB>label<TAB>canonical[<TAB>flags]``, one surface form per row.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "beritanlp" / "data" / "gazetteer"

#: Bare kabupaten/kota names that are ordinary words or phrases: kept only as full forms.
DROP_BARE = frozenset(
    {
        "Batu",
        "Batu Bara",
        "Empat Lawang",
        "Lima Puluh Kota",
        "Metro",
        "Pesisir Barat",
        "Pesisir Selatan",
        "Puncak",
        "Tanah Laut",
        "Kepulauan Seribu",
    }
)

#: Bare names that are also common words: matched only when capitalised inside a sentence.
NOSTART = frozenset(
    {
        "Agam",
        "Badung",
        "Banjar",
        "Batang",
        "Bone",
        "Buru",
        "Bungo",
        "Gunung Mas",
        "Kaur",
        "Kendal",
        "Ketapang",
        "Kubu Raya",
        "Kudus",
        "Kuningan",
        "Landak",
        "Lebak",
        "Lingga",
        "Malang",
        "Medan",
        "Muna",
        "Murung Raya",
        "Nias",
        "Padang",
        "Pagar Alam",
        "Palu",
        "Paser",
        "Pati",
        "Pulang Pisau",
        "Serang",
        "Sungai Penuh",
        "Tanah Bumbu",
        "Tanah Datar",
        "Tebing Tinggi",
        "Tegal",
        "Tulang Bawang",
    }
)

#: Province aliases (written for beritanlp): official name -> (canonical, aliases).
PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Daerah Khusus Ibukota Jakarta": (
        "Jakarta",
        ("Daerah Khusus Jakarta", "DKI Jakarta", "DKI", "Jakarta", "Provinsi DKI Jakarta"),
    ),
    "Daerah Istimewa Yogyakarta": (
        "Yogyakarta",
        ("DIY", "DI Yogyakarta", "Yogyakarta", "Yogya", "Jogja", "Jogjakarta"),
    ),
    "Aceh": ("Aceh", ("Nanggroe Aceh Darussalam", "NAD")),
    "Sumatera Utara": ("Sumatera Utara", ("Sumut", "Sumatra Utara")),
    "Sumatera Barat": ("Sumatera Barat", ("Sumbar", "Sumatra Barat")),
    "Sumatera Selatan": ("Sumatera Selatan", ("Sumsel", "Sumatra Selatan")),
    "Kepulauan Bangka Belitung": ("Kepulauan Bangka Belitung", ("Babel", "Bangka Belitung")),
    "Kepulauan Riau": ("Kepulauan Riau", ("Kepri",)),
    "Jawa Barat": ("Jawa Barat", ("Jabar",)),
    "Jawa Tengah": ("Jawa Tengah", ("Jateng",)),
    "Jawa Timur": ("Jawa Timur", ("Jatim",)),
    "Nusa Tenggara Barat": ("Nusa Tenggara Barat", ("NTB",)),
    "Nusa Tenggara Timur": ("Nusa Tenggara Timur", ("NTT",)),
    "Kalimantan Barat": ("Kalimantan Barat", ("Kalbar",)),
    "Kalimantan Tengah": ("Kalimantan Tengah", ("Kalteng",)),
    "Kalimantan Selatan": ("Kalimantan Selatan", ("Kalsel",)),
    "Kalimantan Timur": ("Kalimantan Timur", ("Kaltim",)),
    "Kalimantan Utara": ("Kalimantan Utara", ("Kaltara",)),
    "Sulawesi Utara": ("Sulawesi Utara", ("Sulut",)),
    "Sulawesi Tengah": ("Sulawesi Tengah", ("Sulteng",)),
    "Sulawesi Selatan": ("Sulawesi Selatan", ("Sulsel",)),
    "Sulawesi Tenggara": ("Sulawesi Tenggara", ("Sultra",)),
    "Sulawesi Barat": ("Sulawesi Barat", ("Sulbar",)),
    "Maluku Utara": ("Maluku Utara", ("Malut",)),
}

#: Bare names that need another canonical than themselves (the city people mean).
BARE_CANONICAL = {"Yogyakarta": "Yogyakarta", "Jakarta Pusat": "Jakarta Pusat"}

#: umpirsky names replaced by the form Indonesian news uses (the umpirsky name stays an alias).
COUNTRY_FIX = {
    "Tiongkok": "China",
    "Inggris Raya": "Inggris",
    "Myanmar (Burma)": "Myanmar",
    "Côte d’Ivoire": "Pantai Gading",
    "Hong Kong DAK Tiongkok": "Hong Kong",
    "Makau DAK Tiongkok": "Makau",
    "Kongo - Brazzaville": "Republik Kongo",
    "Kongo - Kinshasa": "Republik Demokratik Kongo",
    "Wilayah Palestina": "Palestina",
    "Cad": "Chad",
    "Cile": "Chili",
    "Kazakstan": "Kazakhstan",
    "Turkimenistan": "Turkmenistan",
    "Afganistan": "Afghanistan",
    "Timor Leste": "Timor Leste",
}

#: umpirsky entries left out (clumsy CLDR forms, or common words such as "Jersey").
COUNTRY_SKIP = frozenset(
    {
        "Georgia Selatan & Kep. Sandwich Selatan",
        "Kepulauan Terluar A.S.",
        "Wilayah Selatan Perancis",
        "Wilayah Inggris di Samudra Hindia",
        "Jersey",
        "Pulau Man",
        "Belanda Karibia",
    }
)

#: Aliases written for beritanlp (canonical -> aliases), from Indonesian news usage.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "Amerika Serikat": ("AS", "Amerika", "USA", "Paman Sam"),
    "China": (
        "Tiongkok",
        "Cina",
        "RRT",
        "RRC",
        "Republik Rakyat China",
        "Republik Rakyat Tiongkok",
    ),
    "Inggris": ("Inggris Raya", "Britania Raya", "UK"),
    "Korea Selatan": ("Korsel", "Republik Korea"),
    "Korea Utara": ("Korut",),
    "Uni Emirat Arab": ("UEA",),
    "Arab Saudi": ("Saudi",),
    "Rusia": ("Federasi Rusia",),
    "Papua Nugini": ("PNG",),
    "Timor Leste": ("Timor-Leste",),
    "Afghanistan": ("Afganistan",),
    "Kazakhstan": ("Kazakstan",),
    "Turkmenistan": ("Turkimenistan",),
    "Lebanon": ("Libanon",),
    "Prancis": ("Perancis",),
    "Turki": ("Turkiye", "Türkiye"),
    "Yaman": ("Yemen",),
    "Suriah": ("Syria",),
    "Ceko": ("Republik Ceko",),
    "Filipina": (),
    "Brunei": ("Brunei Darussalam",),
    "Indonesia": ("Republik Indonesia", "NKRI", "RI"),
    "Myanmar": ("Myanmar (Burma)",),
    "Pantai Gading": ("Côte d’Ivoire",),
    "Chad": ("Cad",),
    "Chili": ("Cile",),
    "Palestina": (),
    "Vatikan": ("Takhta Suci",),
    "Belanda": (),
    "Selandia Baru": (),
    "Republik Demokratik Kongo": ("RD Kongo",),
}

#: Country names that are also common words: not matched sentence-initially.
COUNTRY_NOSTART = frozenset({"Paman Sam"})

_PREFIX = re.compile(r"^(Kabupaten|Kota)(?: Administrasi)? ")

HEADER_REGIONS = """\
# Indonesian provinces and kabupaten/kota (LOC), generated by scripts/build_gazetteer.py.
# Source: Kepmendagri 2025 region codes as published by cahyadsn/wilayah (wilayah.tsv), MIT
# licence, (c) 2017-2025 Cahya DSN. Aliases (prefix-less names, province abbreviations such as
# Jabar, DKI Jakarta) and the nostart flags were written for beritanlp (MIT).
# Columns: name<TAB>label<TAB>canonical<TAB>flags (flags: comma-separated, may be empty;
# nostart = not matched at a sentence start or in a title-cased line; noupper = no all-caps
# variant; lower = also matched case-insensitively). One surface form per row.
"""

HEADER_COUNTRIES = """\
# Countries and territories in Indonesian (LOC), generated by scripts/build_gazetteer.py.
# Source: umpirsky/country-list, locale id (CLDR short names), MIT licence, (c) Sasa
# Stamenkovic. Fixes to the names news uses (China, Inggris, Pantai Gading) and the aliases
# (AS, Tiongkok, Korsel, UEA ...) were written for beritanlp (MIT). Canonical: the name most
# Indonesian news uses (China, not Tiongkok; Amerika Serikat for AS).
# Columns: name<TAB>label<TAB>canonical<TAB>flags (see regions_id.tsv and docs/gazetteer.md).
"""


def _row(name: str, label: str, canonical: str, flags: str = "") -> str:
    return f"{name}\t{label}\t{canonical}\t{flags}"


def build_regions(data: Path) -> list[str]:
    """Rows of ``regions_id.tsv`` from ``wilayah.tsv``."""
    path = data / "gazetteer" / "regions" / "wilayah.tsv"
    provinces: list[str] = []
    kabkota: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle, delimiter="\t"):
            if record["level"] == "provinsi":
                provinces.append(record["nama"].strip())
            elif record["level"] == "kabkota":
                kabkota.append(record["nama"].strip())
    rows: list[str] = []
    seen: set[str] = set()

    def add(name: str, canonical: str, flags: str = "") -> None:
        if name not in seen:
            seen.add(name)
            rows.append(_row(name, "LOC", canonical, flags))

    province_names = set(provinces)
    for province in provinces:
        canonical, aliases = PROVINCES.get(province, (province, ()))
        add(province, canonical)
        add(f"Provinsi {province}", canonical)
        for alias in aliases:
            add(alias, canonical)
    bare_count: dict[str, int] = {}
    for name in kabkota:
        bare = _PREFIX.sub("", name)
        bare_count[bare] = bare_count.get(bare, 0) + 1
    for name in kabkota:
        bare = _PREFIX.sub("", name)
        shared = bare_count[bare] > 1 or bare in province_names
        is_kabupaten = name.startswith("Kabupaten")
        # the canonical: the bare name, unless a kota (or province) shares it: then the
        # kabupaten keeps its full form ("Kabupaten Bandung" vs "Bandung")
        canonical = name if (shared and is_kabupaten) else BARE_CANONICAL.get(bare, bare)
        if bare in DROP_BARE:
            canonical = name
        add(name, canonical)
        if "Administrasi" in name:  # "Kota Administrasi Jakarta Selatan" -> "Kota Jakarta ..."
            add(name.replace(" Administrasi", ""), canonical)
        if bare in DROP_BARE or bare in province_names:
            continue
        add(bare, bare if shared else canonical, "nostart,noupper" if bare in NOSTART else "")
    return rows


def build_countries(data: Path) -> list[str]:
    """Rows of ``countries.tsv`` from umpirsky's Indonesian country names."""
    path = data / "gazetteer" / "countries" / "umpirsky_id_country.csv"
    rows: list[str] = []
    seen: set[str] = set()

    def add(name: str, canonical: str) -> None:
        if name not in seen:
            seen.add(name)
            flags = "nostart,noupper" if name in COUNTRY_NOSTART else ""
            rows.append(_row(name, "LOC", canonical, flags))

    with path.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            name = record["value"].strip()
            if name in COUNTRY_SKIP:
                continue
            canonical = COUNTRY_FIX.get(name, name)
            add(canonical, canonical)
            if name != canonical:
                add(name, canonical)
            for alias in COUNTRY_ALIASES.get(canonical, ()):
                add(alias, canonical)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument(
        "--check", action="store_true", help="only check that the files are up to date"
    )
    args = parser.parse_args(argv)
    if not (args.data / "gazetteer").is_dir():
        print(f"error: {args.data}/gazetteer not found; pass --data", file=sys.stderr)
        return 1
    outputs = {
        "regions_id.tsv": HEADER_REGIONS + "\n".join(build_regions(args.data)) + "\n",
        "countries.tsv": HEADER_COUNTRIES + "\n".join(build_countries(args.data)) + "\n",
    }
    stale = []
    for name, text in outputs.items():
        target = OUT / name
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        rows = text.count("\n") - text.count("\n#") - 1
        print(f"wrote {target.relative_to(ROOT)} ({rows} rows)")
    if stale:
        print(f"out of date: {', '.join(stale)}; run scripts/build_gazetteer.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
