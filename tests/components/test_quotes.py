"""beritanlp_quotes: quotations attributed to their speaker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import beritanlp
from beritanlp.article import Article
from beritanlp.components import sections, sentences  # noqa: F401
from beritanlp.components.quotes import QuotesSettings
from beritanlp.errors import ConfigError
from beritanlp.lang import blank
from beritanlp.resources import read_text


@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> Article:
    return beritanlp.analyze(seed_text)


def test_quotes_seed_attributes_every_statement(seed_article: Article) -> None:
    got = [(q.speaker, q.cue, q.text[:40]) for q in seed_article.quotes]
    assert got == [
        ("Qin Gang", "mengatakan", "China siap bergandengan tangan dengan Ru"),
        ("Qin Gang", "kata", "Kedua negara sering melakukan pertukaran"),
        ("Sergei Lavrov", "mengatakan", "kunjungan Presiden China Xi Jinping ke R"),
        ("Qin Gang", "ujar", "China akan terus memfasilitasi pembicara"),
        ("Sergei Lavrov", "mengatakan", "pihak Rusia mementingkan pernyataan posi"),
    ]
    text = seed_article.text
    for quote in seed_article.quotes:
        assert text[quote.start : quote.end] == quote.text
        assert not quote.text.endswith((".", ","))
        speaker_mention = text[quote.speaker_start : quote.speaker_end]
        assert speaker_mention in ("Qin", "Qin Gang", "Lavrov")  # short mentions, canonical name


@pytest.mark.parametrize(
    ("text", "speaker", "quote", "kind"),
    [
        (
            '"Kami akan terus memantau situasi," kata Kapolri Jenderal Listyo Sigit Prabowo.',
            "Listyo Sigit Prabowo",
            "Kami akan terus memantau situasi",
            "quoted",
        ),
        (
            "Presiden Joko Widodo mengatakan bahwa pemerintah akan menaikkan anggaran.",
            "Joko Widodo",
            "pemerintah akan menaikkan anggaran",
            "reported",
        ),
        (
            'Ketua KPK Firli Bahuri menegaskan, "Kami tidak pandang bulu."',
            "Firli Bahuri",
            "Kami tidak pandang bulu",
            "quoted",
        ),
        (
            'Anies Baswedan hadir. "Saya senang sekali. Ini luar biasa," ujar dia.',
            "Anies Baswedan",
            "Saya senang sekali. Ini luar biasa",
            "quoted",
        ),
        (
            "Menurut Sri Mulyani, inflasi masih terkendali hingga akhir tahun.",
            # a listed public figure: the speaker is her canonical name (public_figures.tsv)
            "Sri Mulyani Indrawati",
            "inflasi masih terkendali hingga akhir tahun",
            "reported",
        ),
        (
            "Ekonomi global sedang melambat, ujar Gubernur Bank Indonesia Perry Warjiyo.",
            "Perry Warjiyo",
            "Ekonomi global sedang melambat",
            "reported",
        ),
    ],
)
def test_quotes_patterns(text: str, speaker: str, quote: str, kind: str) -> None:
    quotes = beritanlp.analyze(text).quotes
    assert [(q.speaker, q.text, q.kind) for q in quotes] == [(speaker, quote, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "Gubernur Jawa Tengah Ganjar Pranowo meninjau lokasi banjir di Demak pada Kamis.",
        "Harga cabai di pasar induk naik tajam pekan ini, katanya.",  # nobody to refer back to
        "Pemerintah mengatakan bahwa subsidi akan dikurangi.",  # not a person
        'Kata "merdeka" sering diucapkan dalam pidato kenegaraan.',
        "",
    ],
)
def test_quotes_none_where_nobody_speaks(text: str) -> None:
    assert beritanlp.analyze(text).quotes == ()


def test_quotes_to_dict_and_pronoun_clitic() -> None:
    article = beritanlp.analyze(
        'Erick Thohir menilai kinerja BUMN membaik. "Laba kami naik tiga kali lipat," katanya.'
    )
    rows = article.to_dict()["quotes"]
    assert [(r["speaker"], r["text"]) for r in rows] == [
        ("Erick Thohir", "kinerja BUMN membaik"),
        ("Erick Thohir", "Laba kami naik tiga kali lipat"),
    ]
    assert rows[1]["speaker_start"] is None  # 'katanya': the speaker is not named here
    assert set(rows[0]) == {
        "speaker",
        "text",
        "start",
        "end",
        "cue",
        "kind",
        "speaker_start",
        "speaker_end",
    }


def test_quotes_addressee_needs_bahwa() -> None:
    article = beritanlp.analyze(
        "Joko Widodo mengaku kepada wartawan bahwa ia belum menerima surat itu. "
        "Prabowo Subianto menekankan kepada jajarannya soal disiplin anggaran."
    )
    assert [(q.speaker, q.text) for q in article.quotes] == [
        ("Joko Widodo", "ia belum menerima surat itu")
    ]


def _quote_pipe(**settings: object) -> Language:
    nlp = blank()
    for name in ("sections", "sentences"):
        nlp.add_pipe(f"beritanlp_{name}")
    nlp.add_pipe("beritanlp_quotes", name="quotes", config=settings)
    return nlp


TAIL_CUE = 'Ia hadir. "Kami siap bekerja sama," kata Joko Widodo.'


def _with_person(nlp: Language, text: str) -> list[tuple[str | None, str]]:
    doc = nlp.make_doc(text)
    start = text.index("Joko")
    span = doc.char_span(start, start + len("Joko Widodo"), label="PER")
    doc.ents = [span]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return [(q.speaker, q.cue) for q in doc._.beritanlp_quotes]


def _cues_without(word: str, target: Path) -> Path:
    raw = json.loads(read_text("quote_cues.json"))
    raw["after"]["words"] = [w for w in raw["after"]["words"] if w != word]
    target.write_text(json.dumps(raw), encoding="utf-8")
    return target


def test_quotes_settings_declared_once() -> None:
    nlp = _quote_pipe(max_speaker_gap=5)
    settings = nlp.get_pipe("quotes").settings
    assert isinstance(settings, QuotesSettings)
    assert settings.max_speaker_gap == 5 and settings.person_labels == ("PER",)
    assert nlp.get_pipe_config("quotes")["cues"] == QuotesSettings().cues
    with pytest.raises(ConfigError, match="max_quote_sentences"):
        _quote_pipe(max_quote_sentences=0)


def test_quotes_own_cue_file(tmp_path: Path) -> None:
    assert _with_person(_quote_pipe(), TAIL_CUE) == [("Joko Widodo", "kata")]
    own = _cues_without("kata", tmp_path / "cues.json")
    assert _with_person(_quote_pipe(cues=str(own)), TAIL_CUE) == []


def test_quotes_saved_with_the_pipeline(tmp_path: Path) -> None:
    own = _cues_without("kata", tmp_path / "cues.json")
    nlp = _quote_pipe(cues=str(own))
    nlp.to_disk(tmp_path / "pipe")
    own.unlink()  # the saved pipeline carries its own copy
    saved = tmp_path / "pipe" / "quotes"
    assert json.loads((saved / "settings.json").read_text())["cues"] == str(own)
    loaded = spacy.load(tmp_path / "pipe")
    assert _with_person(loaded, TAIL_CUE) == []  # the copy, not the bundled file
    # a changed copy is what the reloaded pipeline uses
    _cues_without("ujar", saved / "cues.json")
    loaded = spacy.load(tmp_path / "pipe")
    assert _with_person(loaded, TAIL_CUE) == [("Joko Widodo", "kata")]
