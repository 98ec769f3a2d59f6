"""Issue 14, section 5: model files at the trust boundary.

A damaged model file must stop ``beritanlp.load()`` (when the component is built) with a
:class:`~beritanlp.errors.BeritaError` that names the file, never a raw ``ValueError`` at the
first ``analyze()``. Every corruption is made on a temporary copy of the model folder; the
shipped models are never touched.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import beritanlp
from beritanlp.api import PIPELINE
from beritanlp.components import keywords as keywords_module
from beritanlp.components import ner as ner_module
from beritanlp.components import topic as topic_module
from beritanlp.errors import ConfigError, ModelNotFoundError, ResourceError

Mutation = Callable[[Path], None]


def _only(*names: str) -> list[str]:
    """``exclude=`` for a pipeline holding just ``names`` (keeps these tests fast)."""
    return [name for name, _ in PIPELINE if name not in names]


def _truncate(rel: str, fraction: float = 0.5) -> Mutation:
    def mutate(folder: Path) -> None:
        data = (folder / rel).read_bytes()
        (folder / rel).write_bytes(data[: int(len(data) * fraction)])

    return mutate


def _write(rel: str, data: bytes | str) -> Mutation:
    def mutate(folder: Path) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (folder / rel).write_bytes(raw)

    return mutate


def _remove(rel: str) -> Mutation:
    return lambda folder: (folder / rel).unlink()


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("MODEL_CARD.md"))
    return target


def _assert_names(info: pytest.ExceptionInfo[BaseException], folder: Path, rel: str) -> None:
    message = str(info.value)
    assert str(folder / rel) in message, message
    assert "\n" not in message, "one line, so that the CLI can print it as it is"


# --------------------------------------------------------------------------------------------
# NER (models/ner-id: a spaCy pipeline saved with to_disk)


@pytest.fixture(scope="module")
def ner_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shipped NER folder (it may be replaced by a retrained model meanwhile)."""
    source = ner_module.default_model_dir()
    if not (source / "ner" / "model").is_file():
        pytest.skip("NER model not trained")
    return _copy(source, tmp_path_factory.mktemp("snapshot") / "ner-id")


@pytest.fixture
def ner_dir(ner_snapshot: Path, tmp_path: Path) -> Path:
    return _copy(ner_snapshot, tmp_path / "ner-id")


def _ner_params(mutate_message: Callable[[dict], None]) -> Mutation:
    """Rewrite ``ner/model`` as valid msgpack whose weights no longer fit the network."""

    def mutate(folder: Path) -> None:
        import srsly

        message = srsly.msgpack_loads((folder / "ner/model").read_bytes())
        mutate_message(message)
        (folder / "ner/model").write_bytes(srsly.msgpack_dumps(message))

    return mutate


def _wrong_shape(message: dict) -> None:
    for entry in message["params"]:  # the first (…, n) matrix loses half its columns
        for key, value in entry.items():
            if getattr(value, "ndim", 0) == 2 and value.shape[1] > 2:
                entry[key] = np.ascontiguousarray(value[:, : value.shape[1] // 2])
                return
    raise AssertionError("no 2-D weight matrix in ner/model")


def _resized_output(message: dict) -> None:
    """The output layer made narrower *and* its dimension changed to match: consistent on its
    own, but it no longer fits the hidden layer (the parser's compiled loop would read past it)."""
    for node, entry in zip(message["nodes"], message["params"], strict=True):
        if node["name"] == "linear" and node["dims"].get("nO") != 64 and entry:
            entry["W"] = np.ascontiguousarray(entry["W"][:, :32])
            node["dims"]["nI"] = 32
            return
    raise AssertionError("no output layer in ner/model")


def _not_a_number(message: dict) -> None:
    for entry in message["params"]:
        for key, value in entry.items():
            entry[key] = np.full_like(value, np.nan)


def _dropped(message: dict) -> None:
    for entry in message["params"]:
        entry.clear()


NER_CORRUPTIONS: dict[str, tuple[str, Mutation]] = {
    "weights truncated": ("ner/model", _truncate("ner/model")),
    "weights nearly whole": ("ner/model", _truncate("ner/model", 0.999)),
    "weights empty": ("ner/model", _write("ner/model", b"")),
    "weights wrong shape": ("ner/model", _ner_params(_wrong_shape)),
    "weights resized with their dims": ("ner/model", _ner_params(_resized_output)),
    "weights not a number": ("ner/model", _ner_params(_not_a_number)),
    "weights missing": ("ner/model", _ner_params(_dropped)),
    "meta garbled": ("meta.json", _write("meta.json", "{not json")),
    "meta a list": ("meta.json", _write("meta.json", "[]")),
    "meta empty": ("meta.json", _write("meta.json", "")),
    "config garbled": ("config.cfg", _write("config.cfg", "[nlp\nlang = id\n")),
    "config empty": ("config.cfg", _write("config.cfg", "")),
    "config binary": ("config.cfg", _write("config.cfg", bytes(range(256)))),
    "config without ner": ("config.cfg", lambda f: _drop_ner_from_config(f)),
    "moves garbled": ("ner/moves", _write("ner/moves", b"garbage")),
    "component cfg garbled": ("ner/cfg", _write("ner/cfg", "{")),
    "tokenizer truncated": ("tokenizer", _truncate("tokenizer")),
    "strings truncated": ("vocab/strings.json", _truncate("vocab/strings.json")),
    "vectors truncated": ("vocab/vectors", _truncate("vocab/vectors")),
}


def _drop_ner_from_config(folder: Path) -> None:
    text = (folder / "config.cfg").read_text(encoding="utf-8")
    (folder / "config.cfg").write_text(
        text.replace('pipeline = ["ner"]', "pipeline = []"), encoding="utf-8"
    )


@pytest.mark.parametrize("case", sorted(NER_CORRUPTIONS))
def test_trust_ner_corruption_fails_at_load_naming_the_file(ner_dir: Path, case: str) -> None:
    rel, mutate = NER_CORRUPTIONS[case]
    mutate(ner_dir)
    with pytest.raises(ResourceError) as info:
        beritanlp.load(exclude=_only("ner"), config={"ner": {"model_dir": str(ner_dir)}})
    _assert_names(info, ner_dir, rel)


def test_trust_ner_missing_config_is_model_not_found(ner_dir: Path) -> None:
    (ner_dir / "config.cfg").unlink()
    with pytest.raises(ModelNotFoundError, match=r"config\.cfg"):
        ner_module.load_ner_model(ner_dir)


def test_trust_ner_intact_copy_loads(ner_dir: Path) -> None:
    nlp = ner_module.load_ner_model(ner_dir)
    assert nlp.pipe_names == ["ner"]


# --------------------------------------------------------------------------------------------
# topic model (models/topic-id: JSON + .npy)


@pytest.fixture
def topic_dir(tmp_path: Path) -> Path:
    source = topic_module.default_model_dir()
    if not (source / "model.json").is_file():
        pytest.skip("topic model not trained")
    return _copy(source, tmp_path / "topic-id")


def _save_array(rel: str, make: Callable[[np.ndarray], np.ndarray]) -> Mutation:
    def mutate(folder: Path) -> None:
        array = np.load(folder / rel, allow_pickle=False)
        np.save(folder / rel, make(array), allow_pickle=True)

    return mutate


def _edit_meta(edit: Callable[[dict], None]) -> Mutation:
    def mutate(folder: Path) -> None:
        meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        edit(meta)
        (folder / "model.json").write_text(json.dumps(meta), encoding="utf-8")

    return mutate


def _params(**changes: object) -> Mutation:
    return _edit_meta(lambda meta: meta["blocks"][0]["params"].update(changes))


#: catastrophic backtracking on a run of word characters followed by a non-match
CATASTROPHIC = r"(\w+\s?)+$\x00"

TOPIC_CORRUPTIONS: dict[str, tuple[str, Mutation]] = {
    "coef truncated": ("coef.npy", _truncate("coef.npy")),
    "coef header only": ("coef.npy", _truncate("coef.npy", 0.00003)),
    "coef transposed": ("coef.npy", _save_array("coef.npy", lambda a: a.T.copy())),
    "coef a column short": ("coef.npy", _save_array("coef.npy", lambda a: a[:, :-1].copy())),
    "coef a row short": ("coef.npy", _save_array("coef.npy", lambda a: a[:-1].copy())),
    "coef flat": ("coef.npy", _save_array("coef.npy", lambda a: a.ravel())),
    "coef not a number": ("coef.npy", _save_array("coef.npy", lambda a: a * np.nan)),
    "coef text": ("coef.npy", _save_array("coef.npy", lambda a: a[:2, :2].astype(str))),
    "coef pickled": (
        "coef.npy",
        _save_array("coef.npy", lambda a: np.array([None] * 3, dtype=object)),
    ),
    "coef not numpy": ("coef.npy", _write("coef.npy", b"PK\x03\x04 zip, not npy")),
    "intercept too long": (
        "intercept.npy",
        _save_array("intercept.npy", lambda a: np.concatenate([a, a])),
    ),
    "intercept truncated": ("intercept.npy", _truncate("intercept.npy", 0.9)),
    "idf truncated": ("idf_word.npy", _truncate("idf_word.npy")),
    "idf short": ("idf_word.npy", _save_array("idf_word.npy", lambda a: a[:-5].copy())),
    "idf 2-D": ("idf_word.npy", _save_array("idf_word.npy", lambda a: a.reshape(-1, 1))),
    "vocab garbled": ("vocab_word.json", _write("vocab_word.json", '["a", "b"')),
    "vocab not words": ("vocab_word.json", _write("vocab_word.json", '{"a": 1}')),
    "vocab missing": ("vocab_word.json", _remove("vocab_word.json")),
    "idf missing": ("idf_word.npy", _remove("idf_word.npy")),
    "meta garbled": ("model.json", _write("model.json", '{"labels": [')),
    "meta a list": ("model.json", _write("model.json", "[]")),
    "meta without blocks": ("model.json", _edit_meta(lambda m: m.pop("blocks"))),
    "meta without labels": ("model.json", _edit_meta(lambda m: m.pop("labels"))),
    "labels repeated": ("model.json", _edit_meta(lambda m: m["labels"].__setitem__(1, "politik"))),
    "temperature zero": ("model.json", _edit_meta(lambda m: m.update(temperature=0))),
    "temperature text": ("model.json", _edit_meta(lambda m: m.update(temperature="x"))),
    "temperature huge": ("model.json", _edit_meta(lambda m: m.update(temperature=10**400))),
    "block name escapes": (
        "model.json",
        _edit_meta(lambda m: m["blocks"][0].update(name="../topic-id/vocab")),
    ),
    "block weight text": ("model.json", _edit_meta(lambda m: m["blocks"][0].update(weight="1"))),
    "char analyzer": ("model.json", _params(analyzer="char_wb")),
    "ngram range huge": ("model.json", _params(ngram_range=[1, 500])),
    "ngram range reversed": ("model.json", _params(ngram_range=[2, 1])),
    "norm unknown": ("model.json", _params(norm="l3")),
    "token pattern catastrophic": ("model.json", _params(token_pattern=CATASTROPHIC)),
    "token pattern other": ("model.json", _params(token_pattern=r"(?u)\b\w+\b")),
    "token pattern not text": ("model.json", _params(token_pattern=12)),
    "token pattern invalid": ("model.json", _params(token_pattern="(")),
}


@pytest.mark.parametrize("case", sorted(TOPIC_CORRUPTIONS))
def test_trust_topic_corruption_fails_at_load_naming_the_file(topic_dir: Path, case: str) -> None:
    rel, mutate = TOPIC_CORRUPTIONS[case]
    mutate(topic_dir)
    with pytest.raises(ResourceError) as info:
        beritanlp.load(exclude=_only("topic"), config={"topic": {"model": str(topic_dir)}})
    _assert_names(info, topic_dir, rel)


def test_trust_topic_token_pattern_error_says_why(topic_dir: Path) -> None:
    _params(token_pattern=CATASTROPHIC)(topic_dir)
    with pytest.raises(ResourceError, match="token_pattern") as info:
        topic_module.TopicModel.from_dir(topic_dir)
    assert topic_module.TOKEN_PATTERN in str(info.value)  # says what is accepted


def test_trust_topic_missing_model_fails_at_load(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"model\.json"):
        beritanlp.load(exclude=_only("topic"), config={"topic": {"model": str(tmp_path)}})


def test_trust_topic_intact_copy_loads(topic_dir: Path) -> None:
    model = topic_module.TopicModel.from_dir(topic_dir)
    probs = model.predict_proba(["Timnas Indonesia menang atas Vietnam di Piala AFF."])
    assert probs.shape == (1, len(model.labels))


class _FakeVectorizer:
    """Duck-typed stand-in for a fitted ``TfidfVectorizer`` (no scikit-learn needed)."""

    def __init__(self, token_pattern: str) -> None:
        self.token_pattern = token_pattern
        self.vocabulary_ = {"bola": 0, "partai": 1}
        self.idf_ = np.ones(2)

    def get_params(self) -> dict[str, object]:
        return {
            "analyzer": "word",
            "ngram_range": (1, 1),
            "lowercase": True,
            "sublinear_tf": True,
            "token_pattern": self.token_pattern,
            "norm": "l2",
            "strip_accents": None,
            "use_idf": True,
            "smooth_idf": True,
        }


def test_trust_topic_saver_writes_only_readable_patterns(tmp_path: Path) -> None:
    labels = ["olahraga", "politik"]
    coef, intercept = np.eye(2), np.zeros(2)
    with pytest.raises(ConfigError, match="token_pattern"):
        topic_module.save_model(
            tmp_path / "bad", labels, [("word", _FakeVectorizer(CATASTROPHIC), 1.0)], coef,
            intercept, 1.0,
        )  # fmt: skip
    assert not (tmp_path / "bad").exists()  # nothing written
    good = tmp_path / "good"
    vectorizer = _FakeVectorizer(topic_module.TOKEN_PATTERN)
    topic_module.save_model(good, labels, [("word", vectorizer, 1.0)], coef, intercept, 1.0)
    model = topic_module.TopicModel.from_dir(good)
    assert model.predict_proba(["bola bola"])[0].argmax() == 0


def test_trust_topic_trainer_uses_the_accepted_pattern() -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "train_topic.py"
    text = script.read_text(encoding="utf-8")
    assert "token_pattern=TOKEN_PATTERN" in text
    assert r"token_pattern=r" not in text  # no second, hand-written pattern


# --------------------------------------------------------------------------------------------
# keyword IDF table (models/keywords-id/idf.json)


@pytest.fixture
def keywords_dir(tmp_path: Path) -> Path:
    source = keywords_module.default_idf_dir()
    if not (source / keywords_module.IDF_FILE).is_file():
        pytest.skip("keyword IDF table not built")
    return _copy(source, tmp_path / "keywords-id")


def _edit_idf(edit: Callable[[dict], None]) -> Mutation:
    def mutate(folder: Path) -> None:
        data = json.loads((folder / "idf.json").read_text(encoding="utf-8"))
        edit(data)
        (folder / "idf.json").write_text(json.dumps(data), encoding="utf-8")

    return mutate


KEYWORD_CORRUPTIONS: dict[str, Mutation] = {
    "truncated": _truncate("idf.json"),
    "empty": _write("idf.json", ""),
    "not utf-8": _write("idf.json", b'{"n_docs": 3, "df": {"\xff": 1}}'),
    "a list": _write("idf.json", "[]"),
    "without df": _edit_idf(lambda d: d.pop("df")),
    "without n_docs": _edit_idf(lambda d: d.pop("n_docs")),
    "n_docs text": _edit_idf(lambda d: d.update(n_docs="6000")),
    "n_docs negative": _edit_idf(lambda d: d.update(n_docs=-1)),
    "df a list": _edit_idf(lambda d: d.update(df=[1, 2])),
    "df text count": _edit_idf(lambda d: d["df"].update(bola="3")),
    "df negative count": _edit_idf(lambda d: d["df"].update(bola=-3)),
}


@pytest.mark.parametrize("case", sorted(KEYWORD_CORRUPTIONS))
def test_trust_keyword_idf_corruption_fails_at_load(keywords_dir: Path, case: str) -> None:
    KEYWORD_CORRUPTIONS[case](keywords_dir)
    with pytest.raises(ResourceError) as info:
        beritanlp.load(exclude=_only("keywords"), config={"keywords": {"idf": str(keywords_dir)}})
    _assert_names(info, keywords_dir, "idf.json")


def test_trust_keyword_idf_missing_fails_at_load(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match=r"idf\.json"):
        beritanlp.load(exclude=_only("keywords"), config={"keywords": {"idf": str(tmp_path)}})


# --------------------------------------------------------------------------------------------
# bundled data files (resources.py)


def test_trust_data_file_not_utf8_is_resource_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from beritanlp import resources

    (tmp_path / "broken.txt").write_bytes(b"# header\nkata\xff\n")
    monkeypatch.setattr(resources.resources, "files", lambda package: tmp_path)
    resources.clear_caches()
    try:
        with pytest.raises(ResourceError, match=r"broken\.txt") as info:
            resources.read_lines("broken.txt")
        assert "\n" not in str(info.value)
    finally:
        resources.clear_caches()


def test_trust_own_data_file_not_utf8_is_resource_error(tmp_path: Path) -> None:
    from beritanlp import resources

    broken = tmp_path / "names.tsv"
    broken.write_bytes(b"# header\nJakarta\tLOC\tJakarta\xff\n")
    with pytest.raises(ResourceError, match="not UTF-8") as info:
        resources.read_tsv(str(broken))
    assert str(broken) in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(ResourceError, match="does not exist"):
        resources.read_text(str(tmp_path / "absent.tsv"))


def test_trust_ner_settings_are_checked_before_the_model_is_read() -> None:
    from beritanlp.lang import blank

    with pytest.raises(ConfigError, match=r"'ner'.*model_dir"):
        ner_module.add_ner(blank(), model_dir=5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="vector_cache_size"):
        ner_module.add_ner(blank(), vector_cache_size=-1)
    with pytest.raises(ConfigError, match="modeldir"):
        ner_module.add_ner(blank(), modeldir="x")
