"""Tests of the ``beritanlp_topic`` component and its plain-data model."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.language import Language

import beritanlp.components.keywords
import beritanlp.components.sections
import beritanlp.components.sentences
import beritanlp.components.stemmer  # noqa: F401
import beritanlp.components.topic as topic_module
from beritanlp.components.topic import (
    FOREIGN_DATELINE_TOKEN,
    LABELS,
    TopicModel,
    TopicSettings,
    default_model_dir,
    is_foreign_place,
    map_section,
    topic_text,
)
from beritanlp.errors import ConfigError, ModelNotFoundError, ResourceError
from beritanlp.lang import blank
from beritanlp.records import Topic

PIPES = (
    "beritanlp_sections",
    "beritanlp_sentences",
    "beritanlp_stemmer",
    "beritanlp_topic",
    "beritanlp_keywords",
)

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / "model.json").is_file(), reason="topic model not trained"
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = blank()
    for factory in PIPES:
        pipeline.add_pipe(factory)
    return pipeline


def test_topic_seed_is_internasional(nlp: Language, seed_text: str) -> None:
    topic = nlp(seed_text)._.beritanlp_topic
    assert isinstance(topic, Topic)  # a typed record, not a dict
    assert topic.label == "internasional"
    assert topic.score == max(topic.scores.values())


SHORT_TEXTS = {
    "politik": "Ketua umum partai politik mendaftarkan bakal calon anggota DPR ke KPU menjelang "
    "pemilu legislatif. Koalisi partai pendukung pemerintah membahas pencalonan presiden.",
    "internasional": "Presiden Amerika Serikat bertemu Perdana Menteri Jepang di Gedung Putih, "
    "Washington, membahas perang di Ukraina dan ketegangan di Laut China Selatan.",
    "ekonomi": "Indeks harga saham gabungan ditutup menguat, sementara nilai tukar rupiah "
    "melemah terhadap dolar AS. Bank Indonesia menahan suku bunga acuan dan inflasi terkendali.",
    "hukum": "Jaksa penuntut umum menuntut terdakwa kasus korupsi dana desa dengan hukuman "
    "delapan tahun penjara. Majelis hakim Pengadilan Tipikor akan membacakan vonis pekan depan.",
    "olahraga": "Timnas Indonesia menang 2-0 atas Vietnam dalam laga kualifikasi Piala Dunia. "
    "Pelatih memuji penampilan para pemain dan gol dari tendangan bebas di babak kedua.",
    "teknologi": "Aplikasi ponsel pintar terbaru mendukung jaringan 5G dan kecerdasan buatan. "
    "Perusahaan startup teknologi merilis fitur baru untuk pengguna Android dan iOS.",
    "hiburan": "Penyanyi dan aktris itu merilis album baru dan membintangi film drama yang "
    "tayang di bioskop bulan depan. Para penggemar menyambut konser selebritas tersebut.",
    "kesehatan": "Dokter menyarankan pasien diabetes dan hipertensi rutin memeriksa kadar gula "
    "darah. Penyakit jantung bisa dicegah dengan pola makan sehat, kata ahli kesehatan.",
    "otomotif": "Mobil listrik terbaru itu dibekali mesin bertenaga dan baterai berkapasitas "
    "besar. Diler sepeda motor dan mobil mencatat penjualan kendaraan naik.",
    "gaya_hidup": "Tips merawat kulit wajah dan rambut agar tetap sehat, tren busana muslim "
    "untuk lebaran, serta resep kuliner dan destinasi wisata liburan akhir pekan.",
    "pendidikan": "Siswa SMA mengikuti seleksi masuk perguruan tinggi negeri. Kementerian "
    "Pendidikan mengubah kurikulum sekolah dan beasiswa untuk mahasiswa serta guru honorer.",
}


@pytest.mark.parametrize("label", LABELS)
def test_topic_short_texts_get_their_label(nlp: Language, label: str) -> None:
    topic = nlp(SHORT_TEXTS[label])._.beritanlp_topic
    assert max(topic.scores, key=topic.scores.get) == label


def test_topic_scores_sum_to_one(nlp: Language, seed_text: str) -> None:
    scores = nlp(seed_text)._.beritanlp_topic.scores
    assert set(scores) == set(LABELS)
    assert sum(scores.values()) == pytest.approx(1.0, abs=1e-6)
    assert all(0.0 <= p <= 1.0 for p in scores.values())


def test_topic_below_threshold_gives_none(seed_text: str) -> None:
    pipeline = blank()
    pipeline.add_pipe("beritanlp_sections")
    pipeline.add_pipe("beritanlp_topic", config={"threshold": 1.0})
    topic = pipeline(seed_text)._.beritanlp_topic
    assert topic.label is None
    assert topic.score < 1.0


def test_topic_empty_text_does_not_crash(nlp: Language) -> None:
    for text in ("", "   \n ", "."):
        doc = nlp(text)
        assert doc._.beritanlp_topic is None or doc._.beritanlp_topic.label in (None, *LABELS)
        assert isinstance(doc._.beritanlp_keywords, tuple)


def test_topic_pipe_matches_call(nlp: Language, seed_text: str) -> None:
    texts = [seed_text, SHORT_TEXTS["olahraga"], ""]
    piped = [doc._.beritanlp_topic for doc in nlp.pipe(texts)]
    single = [nlp(text)._.beritanlp_topic for text in texts]
    for a, b in zip(piped, single, strict=True):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.label == b.label
            assert a.score == pytest.approx(b.score, abs=1e-6)


def test_topic_given_title_is_used(nlp: Language) -> None:
    doc = nlp.make_doc("Pertandingan berlangsung sengit sampai menit terakhir.")
    doc._.beritanlp_context = {"title": "Persib kalahkan Persija di Liga 1, gol di menit akhir"}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert doc._.beritanlp_topic.label == "olahraga"


def test_topic_model_loads_without_pickle(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pickle used")

    real_load = np.load

    def strict_load(*args: object, **kwargs: object) -> object:
        if kwargs.get("allow_pickle", False):
            raise AssertionError("numpy.load(allow_pickle=True)")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(np, "load", strict_load)
    model = TopicModel.from_dir(default_model_dir())
    probs = model.predict_proba(["Timnas Indonesia menang atas Vietnam di Piala AFF."])
    assert probs.shape == (1, len(LABELS))
    assert model.labels == LABELS


def test_topic_model_files_are_plain_data() -> None:
    files = {p.suffix for p in default_model_dir().iterdir() if p.is_file()}
    assert files <= {".json", ".npy", ".md"}
    size = sum(p.stat().st_size for p in default_model_dir().iterdir() if p.is_file())
    assert size <= 20_000_000


def test_topic_missing_model_raises(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"(?s)model\.json.*train_topic\.py"):
        TopicModel.from_dir(tmp_path)
    # when the component is built (beritanlp.load()), not at its first document
    with pytest.raises(ModelNotFoundError):
        blank().add_pipe("beritanlp_topic", config={"model": str(tmp_path)})


def test_topic_bad_threshold_is_config_error() -> None:
    with pytest.raises(ConfigError):
        blank().add_pipe("beritanlp_topic", config={"threshold": 1.5})


def test_topic_foreign_dateline_marker() -> None:
    assert is_foreign_place("Goa, India (Xinhua) –")
    assert is_foreign_place("Liputan6.com, Washington, DC -")
    assert not is_foreign_place("JAKARTA, KOMPAS.com -")
    text = "Judul berita\nGoa, India (Xinhua) – Isi berita."
    out = topic_text(text, [("title", 0, 12), ("dateline", 13, 34), ("body", 35, len(text))])
    assert FOREIGN_DATELINE_TOKEN in out
    assert out.startswith("Judul berita\nJudul berita\n")


def test_topic_boilerplate_is_ignored() -> None:
    text = "Isi berita.\nBaca juga: Harga saham naik"
    out = topic_text(text, [("body", 0, 11), ("boilerplate", 12, len(text))], title_weight=0)
    assert "saham" not in out


def test_topic_section_map() -> None:
    assert map_section(
        {"dataset": "x", "outlet": "liputan6.com", "url": None, "section": None,
         "section_from_url": "global"}
    ) == ("internasional", "clean")  # fmt: skip
    assert map_section(
        {"dataset": "x", "outlet": "cnnindonesia.com",
         "url": "https://www.cnnindonesia.com/internasional/2018-1", "section": "tajuk utama",
         "section_from_url": "internasional"}
    ) == ("internasional", "clean")  # fmt: skip
    assert map_section(
        {"dataset": "indosum_dev", "outlet": "merdeka.com", "url": None, "section": "tajuk utama",
         "section_from_url": "peristiwa"}
    ) is None  # fmt: skip
    # Liputan6's "hot" channel is fashion, homes and recipes (its celebrity news is "showbiz")
    assert map_section(
        {"dataset": "x", "outlet": "liputan6.com", "url": None, "section": None,
         "section_from_url": "hot"}
    ) == ("gaya_hidup", "clean")  # fmt: skip
    assert map_section(
        {"dataset": "x", "outlet": "detik.com", "url": None, "section": None,
         "section_from_url": "hot"}
    ) == ("hiburan", "clean")  # fmt: skip
    topic_module._section_map.cache_clear()


def test_topic_settings_declared_once() -> None:
    component = blank().add_pipe("beritanlp_topic", config={"title_weight": 3})
    assert isinstance(component.settings, TopicSettings)
    assert component.settings == TopicSettings(title_weight=3)
    with pytest.raises(ConfigError, match="max_chars"):
        TopicSettings(max_chars=0)


def test_topic_sets_doc_cats(nlp: Language, seed_text: str) -> None:
    doc = nlp(seed_text)
    assert doc.cats == doc._.beritanlp_topic.scores
    assert max(doc.cats, key=doc.cats.get) == doc._.beritanlp_topic.label
    piped = next(iter(nlp.pipe([seed_text])))
    assert piped.cats == pytest.approx(doc.cats)


def test_topic_saved_with_the_pipeline(nlp: Language, seed_text: str, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipe")
    saved = tmp_path / "pipe" / "beritanlp_topic"
    assert (saved / "model" / "coef.npy").is_file() and (saved / "settings.json").is_file()
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded(seed_text)._.beritanlp_topic == nlp(seed_text)._.beritanlp_topic
    assert loaded(seed_text).cats == nlp(seed_text).cats
    # the reloaded component uses the saved copy: favour one label there
    intercept = np.load(saved / "model" / "intercept.npy")
    intercept[LABELS.index("otomotif")] += 100.0
    np.save(saved / "model" / "intercept.npy", intercept)
    assert spacy.load(tmp_path / "pipe")(seed_text)._.beritanlp_topic.label == "otomotif"
    # and checks it as a bundled model is checked: a damaged copy fails at load, naming the file
    np.save(saved / "model" / "intercept.npy", intercept[:-1])
    with pytest.raises(ResourceError, match="intercept"):
        spacy.load(tmp_path / "pipe")
