"""Tests of the front door: load(), analyze(), analyze_many() and input handling."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import beritanlp
from beritanlp.errors import (
    BeritaError,
    ConfigError,
    InputDecodeError,
    InputTooLongError,
    InputTypeError,
)


def test_api_load_is_cached_language() -> None:
    from spacy.language import Language

    nlp = beritanlp.load()
    assert isinstance(nlp, Language)
    assert beritanlp.load() is nlp
    names = [name for name, _ in beritanlp.api.PIPELINE]
    assert [n for n in nlp.pipe_names if n in names] == names  # helpers may sit in between
    assert nlp.pipe_names[:2] == ["sections", "sentences"]
    assert nlp.pipe_names.index("stemmer") > nlp.pipe_names.index("roles")


def test_api_load_exclude_and_config() -> None:
    nlp = beritanlp.load(exclude=["stemmer"])
    assert "stemmer" not in nlp.pipe_names
    with pytest.raises(ConfigError, match="unknown pipeline component"):
        beritanlp.load(exclude=["parser"])


def test_api_nlp_and_analyze_agree(seed_text: str) -> None:
    doc = beritanlp.load()(seed_text)
    article = beritanlp.analyze(seed_text)
    assert [(s.start_char, s.end_char) for s in doc.spans["sections"]] == [
        (s.start, s.end) for s in article.sections
    ]
    assert [t._.beritanlp_stem for t in doc if not t.is_space] == [t.stem for t in article.tokens]
    assert len(list(doc.sents)) >= len(article.sentences)


def test_api_seed_end_to_end(seed_text: str) -> None:
    article = beritanlp.analyze(seed_text)
    assert article.title == "China-Rusia berjanji tingkatkan hubungan dan kerja sama SCO"
    assert article.title_source == "text"
    assert article.caption is not None and article.caption.endswith("(Xinhua/Javed Dar)")
    assert article.lead is not None and article.lead.startswith("China dan Rusia sepakat")
    boilerplate = article.sections_of("boilerplate")
    assert boilerplate and "Berita Terkait" in boilerplate[-1].text
    # the glued sentence "menguntungkan.Dalam pertemuan" is split
    starts = [s.text for s in article.sentences]
    assert any(s.startswith("Dalam pertemuan dengan Menteri Luar Negeri Rusia") for s in starts)
    assert any(s.startswith("Lavrov mengatakan bahwa kunjungan") for s in starts)
    stems = {t.text: t.stem for t in article.tokens}
    for word, stem in {
        "berjanji": "janji",
        "pertemuan": "temu",
        "menguntungkan": "untung",
        "bersama-sama": "sama",
        "mengembangkan": "kembang",
        "memperkuat": "kuat",
        "kesetaraan": "setara",
        "negara-negara": "negara",
        "pertukaran": "tukar",
        "Qin": "Qin",
        "Lavrov": "Lavrov",
        "SCO": "SCO",
        "BRICS": "BRICS",
        "Goa": "Goa",
    }.items():
        assert stems[word] == stem, word
    for item in (*article.sections, *article.sentences, *article.tokens):
        assert article.text[item.start : item.end] == item.text


def test_api_title_argument_and_body_only() -> None:
    body = (
        "Jakarta (ANTARA) - Bank Indonesia menahan suku bunga acuan.\nKeputusan itu diambil Kamis."
    )
    article = beritanlp.analyze(body, title="BI Tahan Suku Bunga", published="2024-05-23")
    assert article.title == "BI Tahan Suku Bunga"
    assert article.title_source == "given"
    assert article.published == "2024-05-23"
    assert article.published_source == "given"
    assert all(s.kind != "title" for s in article.sections)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (dt.date(2023, 5, 4), "2023-05-04"),
        (dt.datetime(2023, 5, 4, 10, 30), "2023-05-04T10:30:00"),
        ("2023-05-04T10:30:00+07:00", "2023-05-04T10:30:00+07:00"),
        ("2023-05-04", "2023-05-04"),
        (None, None),
    ],
)
def test_api_published_forms(published, expected) -> None:
    assert beritanlp.analyze("Berita singkat.", published=published).published == expected


def test_api_published_invalid() -> None:
    with pytest.raises(ConfigError, match="ISO 8601"):
        beritanlp.analyze("Berita.", published="kemarin sore")


@pytest.mark.parametrize("value", [None, 42, 3.5, ["teks"], {"text": "x"}])
def test_api_rejects_non_text(value) -> None:
    with pytest.raises(TypeError, match="must be a str"):
        beritanlp.analyze(value)  # type: ignore[arg-type]
    with pytest.raises(InputTypeError):
        beritanlp.analyze(value)  # type: ignore[arg-type]


def test_api_bytes_are_utf8() -> None:
    article = beritanlp.analyze(b"Presiden ke Bekasi.")
    assert article.text == "Presiden ke Bekasi."
    with pytest.raises(InputDecodeError, match="not valid UTF-8"):
        beritanlp.analyze(b"\xff\xfe caf\xe9")


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \r\n "])
def test_api_blank_text_gives_empty_article(text: str) -> None:
    article = beritanlp.analyze(text)
    assert article.text == text
    assert article.sections == () and article.sentences == () and article.tokens == ()
    assert article.title is None and article.entities == ()


def test_api_too_long() -> None:
    with pytest.raises(InputTooLongError, match="max_length"):
        beritanlp.analyze("a" * 101, max_length=100)
    assert issubclass(InputTooLongError, BeritaError)


@pytest.mark.parametrize(
    "text",
    [
        "Jakarta - teks\x00dengan NUL dan \x07 kontrol.",
        "Baris satu.\r\nBaris dua.\r\n",
        "Sur\ud800rogate tunggal.",
        "x" * 20_000,
        "Kata " * 5_000,
        "\u200b\u2028\ufeffTeks aneh.",
    ],
)
def test_api_odd_text_keeps_offsets(text: str) -> None:
    article = beritanlp.analyze(text)
    assert len(article.text) == len(text)
    for item in (*article.sections, *article.sentences, *article.tokens):
        assert article.text[item.start : item.end] == item.text
    article.to_json()


def test_api_analyze_many_keeps_order(seed_text: str) -> None:
    items = [
        "Pertama.",
        {"text": seed_text, "title": "Judul", "published": "2023-05-04", "url": "https://x.id/a"},
        b"Ketiga dari bytes.",
        "",
        {"id": "bad", "text": 42},
    ]
    results = list(beritanlp.analyze_many(items, batch_size=2))
    assert [r.id for r in results] == [0, 1, 2, 3, "bad"]
    assert [r.article.text for r in results[:4]] == [
        "Pertama.",
        seed_text,
        "Ketiga dari bytes.",
        "",
    ]
    assert results[4].article is None and results[4].error.error_type == "InputTypeError"
    article = results[1].article
    assert article.title == "Judul" and article.url == "https://x.id/a"
    single = beritanlp.analyze(
        seed_text, title="Judul", published="2023-05-04", url="https://x.id/a"
    )
    assert article.to_dict() == single.to_dict()
    with pytest.raises(InputTypeError):
        list(beritanlp.analyze_many(items, on_error="raise"))


def test_api_analyze_many_two_processes_match() -> None:
    texts = [f"JAKARTA - Berita nomor {i}. Presiden berjanji membangun jalan." for i in range(6)]
    one = [r.to_dict(tokens=True) for r in beritanlp.analyze_many(texts)]
    two = [r.to_dict(tokens=True) for r in beritanlp.analyze_many(texts, n_process=2, batch_size=2)]
    assert one == two


def test_api_lazy_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, beritanlp; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_api_shared_pipeline_is_thread_safe(seed_text: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [seed_text, "JAKARTA - Presiden berjanji.", "Bali dan Bekasi banjir.\nKomentar"] * 8
    expected = [beritanlp.analyze(t).to_dict(tokens=True) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda t: beritanlp.analyze(t).to_dict(tokens=True), texts))
    assert got == expected


def test_api_load_config_accepts_list_values_and_caches() -> None:
    # list and dict settings used to break the cache key (unhashable)
    config = {"gazetteer": {"skip_sections": []}}
    nlp = beritanlp.load(exclude=["ner"], config=config)
    assert nlp.get_pipe("gazetteer").skip_sections == frozenset()
    assert beritanlp.load(exclude=["ner"], config={"gazetteer": {"skip_sections": []}}) is nlp
    other = beritanlp.load(exclude=["ner"], config={"gazetteer": {"skip_sections": ["caption"]}})
    assert other is not nlp and other.get_pipe("gazetteer").skip_sections == {"caption"}


def _only(*names: str) -> list[str]:
    return [name for name, _ in beritanlp.api.PIPELINE if name not in names]


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"topic": {"modle": "x"}}, ("topic", "modle")),
        ({"topic": {"threshold": "abc"}}, ("topic", "threshold")),
        ({"keywords": {"idf": 5}}, ("keywords", "idf")),
        ({"ner": {"modeldir": "x"}}, ("ner", "modeldir", "model_dir")),
        ({"ner": {"model_dir": 5}}, ("ner", "model_dir")),
    ],
)
def test_api_load_bad_component_settings_are_config_errors(config, words) -> None:
    # issue 14: every load() failure is a BeritaError (the CLI prints it on one line)
    with pytest.raises(ConfigError) as info:
        beritanlp.load(exclude=_only(*config), config=config)
    message = str(info.value)
    assert all(word in message for word in words), message
    assert "\n" not in message


def test_api_load_missing_model_dir_is_model_not_found(tmp_path) -> None:
    from beritanlp.errors import ModelNotFoundError

    for name, key in (("ner", "model_dir"), ("topic", "model"), ("keywords", "idf")):
        with pytest.raises(ModelNotFoundError, match=re.escape(str(tmp_path))):
            beritanlp.load(exclude=_only(name), config={name: {key: str(tmp_path / "nope")}})
