"""Topic of a news article (``beritanlp_topic``): 11 labels, calibrated probabilities.

The component writes ``doc._.beritanlp_topic``, a :class:`beritanlp.records.Topic` (``label``,
``score``, ``scores``). ``scores`` holds one probability per label (they sum to 1); ``label``
is the most probable label, or ``None`` when its probability is below ``threshold``. The same
scores go to ``doc.cats`` (label → probability), spaCy's place for text categories, so spaCy's
own tools (``Scorer.score_cats``, ``displacy``-free reports, ``DocBin``) see them.

Labels (fixed slugs, :data:`LABELS`): ``politik``, ``internasional``, ``ekonomi``, ``hukum``,
``olahraga``, ``teknologi``, ``hiburan``, ``kesehatan``, ``otomotif``, ``gaya_hidup``,
``pendidikan``. World news is ``internasional`` whatever its subject, foreign sport is
``olahraga``, as Indonesian outlets file them.

The model (``models/topic-id/``, trained by ``scripts/train_topic.py``) is a linear classifier
over word 1-2-gram TF-IDF features of the text :func:`topic_text` builds from the
doc's sections: the title (``doc._.beritanlp_context["title"]`` when given, else the title section)
repeated ``title_weight`` times, then lead, dateline, body and captions (never boilerplate), cut
at ``max_chars``; a dateline naming a foreign place adds the pseudo-word ``zzdatelineasing``.
The linear layer is a LinearSVC and a Complement Naive Bayes summed into one matrix at
training time. Probabilities are a softmax of the decision values with a temperature fitted on
cross-outlet decisions (outlets held out in turn, as the component meets unseen outlets).

Inference does not use scikit-learn: the TF-IDF of one document is computed directly
(:class:`_WordTfidf`, the same arithmetic as ``TfidfVectorizer``) and multiplied with the rows
of ``coef`` it touches. The model is plain data: ``model.json`` (labels, vectorizer settings,
temperature, provenance), ``vocab_<name>.json`` (terms in column order) and ``.npy`` arrays
(``idf_<name>.npy``, ``coef.npy``, ``intercept.npy``), read with
``numpy.load(allow_pickle=False)``: loading never
executes code. ``nlp.to_disk`` writes the model the component uses into its folder (``model/``,
the same files, with ``settings.json`` and the foreign place names, ``foreign_places.json``) and
``from_disk`` reads it back with the same checks. :func:`load_model` reads it once per directory
and process; the component reads it when it is built (at ``beritanlp.load()``), so a missing or
damaged model fails there.

Every file is checked as it is read (:meth:`TopicModel.from_dir`): JSON of the expected shape,
``.npy`` arrays of floating-point numbers, finite, whose header matches the file's size and
whose shapes fit each other and the labels. The ``token_pattern`` in ``model.json`` becomes a
regular expression run over every article, so only the patterns the trainer writes are
accepted (:data:`TOKEN_PATTERNS`); anything else (a pattern with catastrophic backtracking
would hang ``analyze()``) is refused. A damaged file raises
:class:`~beritanlp.errors.ResourceError` naming it, a missing one
:class:`~beritanlp.errors.ModelNotFoundError`.

:func:`map_section` maps an outlet's own section label onto the labels, from the data file
``topic_section_map.tsv`` (used for training; see ``docs/topic.md``).
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, TypeGuard

import numpy as np
from spacy.tokens import Doc

from .. import extensions, records
from ..errors import ConfigError, ModelNotFoundError, ResourceError
from ..resources import read_json, read_tsv
from .base import DataFileComponent, Settings, register_factory

__all__ = [
    "FACTORY_NAME",
    "FOREIGN_DATELINE_TOKEN",
    "LABELS",
    "MODEL_FILES",
    "TOKEN_PATTERN",
    "TOKEN_PATTERNS",
    "Topic",
    "TopicModel",
    "TopicSettings",
    "default_model_dir",
    "is_foreign_place",
    "load_model",
    "make_topic",
    "map_section",
    "params_problem",
    "save_model",
    "topic_text",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_topic"
LABELS: tuple[str, ...] = (
    "politik",
    "internasional",
    "ekonomi",
    "hukum",
    "olahraga",
    "teknologi",
    "hiburan",
    "kesehatan",
    "otomotif",
    "gaya_hidup",
    "pendidikan",
)
FOREIGN_DATELINE_TOKEN = "zzdatelineasing"
MODEL_FILES: tuple[str, ...] = ("model.json", "coef.npy", "intercept.npy")
SECTION_MAP = "topic_section_map.tsv"
TRAIN_COMMAND = "python scripts/train_topic.py --data ../shared/data"
#: The word pattern of the TF-IDF features (scikit-learn's default; scripts/train_topic.py uses
#: this constant). A model is plain data, but its ``token_pattern`` is compiled and run over
#: every article: only these exact patterns, all linear-time, are accepted from ``model.json``.
TOKEN_PATTERN = r"(?u)\b\w\w+\b"
TOKEN_PATTERNS: frozenset[str] = frozenset({TOKEN_PATTERN})
#: The longest word n-gram a model may use (the trainer writes 1-2-grams).
MAX_NGRAM = 3
#: The vectorizer settings ``save_model`` writes and the reader accepts.
_PARAM_KEYS = frozenset(
    {
        "analyzer", "ngram_range", "lowercase", "sublinear_tf", "token_pattern", "norm",
        "strip_accents", "use_idf", "smooth_idf",
    }
)  # fmt: skip
_BLOCK_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")

# the sections whose text describes the topic (boilerplate never does)
_TEXT_KINDS = frozenset({"lead", "dateline", "body", "caption"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Indonesian places that world_places.tsv lists beside the foreign ones
_INDONESIAN_WORLD_PLACES = frozenset(
    (
        "jawa", "pulau jawa", "sumatera", "sumatra", "pulau sumatera", "kalimantan",
        "pulau kalimantan", "borneo", "sulawesi", "pulau sulawesi", "nusantara",
        "ibu kota nusantara", "ikn", "lombok", "flores", "madura", "natuna", "mentawai", "komodo",
        "pulau komodo", "labuan bajo", "danau toba", "gunung merapi", "gunung semeru",
        "selat sunda", "bodetabek", "jabodetabek", "senayan", "laut jawa", "laut natuna utara",
        "selat malaka", "indonesia",
    )
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# section map (training labels)


@lru_cache(maxsize=4)
def _section_map(name: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    table: dict[tuple[str, str, str], tuple[str, str]] = {}
    for source, field, raw, label, quality in read_tsv(name, 5):
        if label != "-" and label not in LABELS:
            raise ResourceError(f"beritanlp/data/{name}: unknown label {label!r} for {raw!r}")
        table[(source, field, raw)] = (label, quality)
    return table


def _url_path(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"[a-z]+://[^/]+/([^/?#]+)", url)
    return match.group(1) if match else None


def map_section(record: dict[str, Any], table: str = SECTION_MAP) -> tuple[str, str] | None:
    """``(label, quality)`` for a news record of ``../shared/data/news``, or ``None``.

    ``record`` has the keys ``dataset``, ``outlet``, ``url``, ``section``,
    ``section_from_url``. Fields are tried in order (URL path segment, ``section_from_url``,
    ``section``), each for the dataset, the outlet and ``*``; the first hit that is a label wins
    (a ``-`` row says the field gives no label, and the lookup goes on).
    """
    mapping = _section_map(table)
    values = (
        ("path", _url_path(record.get("url"))),
        ("url", record.get("section_from_url")),
        ("section", record.get("section")),
    )
    for field, raw in values:
        if not raw:
            continue
        for source in (record.get("dataset"), record.get("outlet"), "*"):
            hit = mapping.get((str(source), field, raw))
            if hit is not None:
                if hit[0] != "-":
                    return hit
                break
    return None


# --------------------------------------------------------------------------------------------
# input text


@lru_cache(maxsize=1)
def _foreign_names() -> frozenset[str]:
    names: set[str] = set()
    domestic = {row[0].lower() for row in read_tsv("gazetteer/regions_id.tsv")}
    for row in read_tsv("gazetteer/countries.tsv"):
        if len(row) >= 3 and row[2] != "Indonesia":
            names.add(row[0].lower())
    for row in read_tsv("gazetteer/world_places.tsv"):
        name = row[0].lower()
        canonical = row[2].lower() if len(row) >= 3 else name
        if canonical not in _INDONESIAN_WORLD_PLACES and name not in _INDONESIAN_WORLD_PLACES:
            names.add(name)
    return frozenset(names - domestic)


def is_foreign_place(text: str, names: frozenset[str] | None = None) -> bool:
    """Whether ``text`` (a dateline) names a foreign country or a world city/region (``names``:
    the lower-cased foreign place names; default: those of the bundled gazetteer)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if names is None:
        names = _foreign_names()
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            if " ".join(words[i : i + n]) in names:
                return True
    return False


def topic_text(
    text: str,
    sections: Iterable[tuple[str, int, int]],
    title: str | None = None,
    *,
    title_weight: int = 2,
    max_chars: int = 3000,
    use_dateline: bool = True,
    foreign_names: frozenset[str] | None = None,
) -> str:
    """The classifier's input: title ×``title_weight``, then the text of the topical sections.

    ``sections``: ``(kind, start_char, end_char)`` triples (``doc.spans["sections"]`` or
    :func:`beritanlp.components.sections.find_sections`); with none, the whole text is used.
    ``title``: the given title; when ``None`` the title section's text is used. ``foreign_names``:
    the foreign place names a dateline is checked against (see :func:`is_foreign_place`).
    """
    parts: list[str] = []
    section_title: str | None = None
    foreign = False
    seen_any = False
    for kind, start, end in sections:
        seen_any = True
        chunk = text[start:end]
        if kind == "title":
            section_title = section_title or chunk
        elif kind in _TEXT_KINDS:
            parts.append(chunk)
            if kind == "dateline" and use_dateline and is_foreign_place(chunk, foreign_names):
                foreign = True
    if not seen_any:
        parts.append(text)
    head = title if title else section_title
    body = "\n".join(parts)[:max_chars]
    pieces = [head] * max(title_weight, 0) if head else []
    if foreign:
        pieces.append(FOREIGN_DATELINE_TOKEN)
    pieces.append(body)
    return "\n".join(pieces)


# --------------------------------------------------------------------------------------------
# the model: plain arrays + JSON


def default_model_dir() -> Path:
    """``beritanlp/models/topic-id`` as installed."""
    return Path(str(importlib_resources.files("beritanlp.models") / "topic-id"))


def params_problem(params: object) -> str | None:
    """Why the vectorizer settings ``params`` cannot be read, or ``None`` when they can.

    Accepted: word n-grams (``analyzer`` ``"word"``, no ``strip_accents``), an ``ngram_range``
    within 1..:data:`MAX_NGRAM`, ``norm`` ``"l1"``/``"l2"``/``None``, booleans for the flags,
    and a ``token_pattern`` from :data:`TOKEN_PATTERNS` (or none: the default)."""
    if not isinstance(params, Mapping):
        return "the block's params are not a JSON object"
    unknown = sorted(set(params) - _PARAM_KEYS)
    if unknown:
        return f"unknown vectorizer settings {unknown}"
    if params.get("analyzer", "word") != "word":
        return f"analyzer {params.get('analyzer')!r}: only word n-grams are read"
    if params.get("strip_accents") is not None:
        return "strip_accents is not supported"
    for flag in ("lowercase", "sublinear_tf", "use_idf", "smooth_idf"):
        if flag in params and not isinstance(params[flag], bool):
            return f"{flag} must be true or false, got {params[flag]!r}"
    if params.get("norm", "l2") not in ("l1", "l2", None):
        return f"norm {params.get('norm')!r} is not l1, l2 or null"
    ngrams = params.get("ngram_range", [1, 1])
    if not (
        isinstance(ngrams, (list, tuple))
        and len(ngrams) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in ngrams)
        and 1 <= ngrams[0] <= ngrams[1] <= MAX_NGRAM
    ):
        return f"ngram_range {ngrams!r} is not [low, high] with 1 <= low <= high <= {MAX_NGRAM}"
    pattern = params.get("token_pattern")
    if pattern is not None and pattern not in TOKEN_PATTERNS:
        accepted = ", ".join(sorted(TOKEN_PATTERNS))
        return (
            f"token_pattern {pattern!r} is not one the trainer writes (accepted: {accepted}); "
            f"an arbitrary regular expression could take exponential time on some texts"
        )
    return None


class _WordTfidf:
    """Word n-gram TF-IDF, computed exactly as scikit-learn's ``TfidfVectorizer`` (lower-case,
    ``token_pattern``, n-grams joined by a space, ``1 + log(tf)`` when ``sublinear_tf``, times
    IDF, L2-normalised) but without its per-call overhead: one document costs a regex pass and
    dict lookups. ``params`` must pass :func:`params_problem` (``ConfigError`` otherwise)."""

    def __init__(self, params: Mapping[str, Any], terms: Sequence[str], idf: np.ndarray) -> None:
        problem = params_problem(params)
        if problem is not None:
            raise ConfigError(f"unsupported topic model features: {problem}")
        self.lowercase = bool(params.get("lowercase", True))
        self.sublinear = bool(params.get("sublinear_tf", False))
        self.use_idf = bool(params.get("use_idf", True))
        self.norm = params.get("norm", "l2")
        self.ngram_range = tuple(params.get("ngram_range", (1, 1)))
        self.token = re.compile(params.get("token_pattern") or TOKEN_PATTERN)
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf = idf.astype(np.float64)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices, values) of the TF-IDF vector of ``text``."""
        tokens = self.token.findall(text.lower() if self.lowercase else text)
        index = self.index
        low, high = self.ngram_range
        grams: list[str] = tokens if low == 1 else []
        for n in range(max(low, 2), high + 1):
            grams = grams + [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        counts: dict[int, int] = {}
        for gram, count in Counter(grams).items():
            j = index.get(gram)
            if j is not None:
                counts[j] = count
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear:
            values = 1.0 + np.log(values)
        if self.use_idf:
            values = values * self.idf[cols]
        if self.norm == "l2":
            values = values / np.sqrt(np.dot(values, values))
        elif self.norm == "l1":
            values = values / np.abs(values).sum()
        return cols, values


@dataclass(frozen=True)
class _Block:
    name: str
    vectorizer: _WordTfidf
    weight: float
    offset: int


class TopicModel:
    """TF-IDF blocks + a linear layer + temperature softmax, rebuilt from plain data."""

    def __init__(
        self,
        labels: Sequence[str],
        blocks: Sequence[_Block],
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float,
        meta: dict[str, Any],
    ) -> None:
        self.labels = tuple(labels)
        self.blocks = tuple(blocks)
        self.coef_t = np.ascontiguousarray(coef.T, dtype=np.float32)
        self.intercept = intercept.astype(np.float32)
        self._intercept64 = self.intercept.astype(np.float64)
        self.temperature = float(temperature)
        self.meta = meta

    @classmethod
    def from_dir(cls, path: str | Path) -> TopicModel:
        """Read a model directory written by :func:`save_model` (no pickle, no code).

        Raises :class:`ModelNotFoundError` for a missing file and :class:`ResourceError`
        naming the file for a damaged one (see the module docstring)."""
        path = Path(path)
        missing = [f for f in MODEL_FILES if not (path / f).is_file()]
        if missing:
            raise ModelNotFoundError(
                f"the topic model is missing from {path} (expected {', '.join(MODEL_FILES)}, "
                f"vocab_*.json and idf_*.npy; missing: {', '.join(missing)}). Train it with "
                f"`{TRAIN_COMMAND}` from the repository root, or reinstall beritanlp."
            )
        meta_file = path / "model.json"
        meta = _read_json(meta_file)
        labels, specs, temperature = _check_meta(meta_file, meta)
        blocks = []
        offset = 0
        for name, weight, params in specs:
            vocab_file = path / f"vocab_{name}.json"
            terms = _read_json(vocab_file)
            if not (
                isinstance(terms, list)
                and terms
                and all(isinstance(t, str) for t in terms)
                and len(set(terms)) == len(terms)
            ):
                raise _damaged(vocab_file, "not a JSON list of distinct strings")
            idf_file = path / f"idf_{name}.npy"
            idf = _read_array(idf_file, (len(terms),))
            blocks.append(_Block(name, _WordTfidf(params, terms, idf), weight, offset))
            offset += len(terms)
        coef = _read_array(path / "coef.npy", (len(labels), offset))
        intercept = _read_array(path / "intercept.npy", (len(labels),))
        return cls(labels, blocks, coef, intercept, temperature, meta)

    def to_dir(self, path: str | Path) -> None:
        """Write the model as :meth:`from_dir` reads it (the arrays as the model uses them)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for block in self.blocks:
            terms = sorted(block.vectorizer.index, key=block.vectorizer.index.__getitem__)
            _write_json(path / f"vocab_{block.name}.json", terms, indent=None)
            np.save(path / f"idf_{block.name}.npy", block.vectorizer.idf, allow_pickle=False)
        np.save(path / "coef.npy", np.ascontiguousarray(self.coef_t.T), allow_pickle=False)
        np.save(path / "intercept.npy", self.intercept, allow_pickle=False)
        _write_json(path / "model.json", self.meta, indent=1)

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Raw decision values, one row per text."""
        out = np.empty((len(texts), len(self.labels)), dtype=np.float64)
        for row, text in enumerate(texts):
            acc = self._intercept64.copy()
            for block in self.blocks:
                cols, values = block.vectorizer.vector(text)
                if len(cols):
                    if block.weight != 1.0:
                        values = values * block.weight
                    if block.offset:
                        cols = cols + block.offset
                    acc += values @ self.coef_t[cols]
            out[row] = acc
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities (rows sum to 1), columns in :attr:`labels` order."""
        return softmax(self.decision(texts), self.temperature)


def _write_json(file: Path, data: Any, indent: int | None) -> None:
    separators = (",", ":") if indent is None else None
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    file.write_text(text + "\n", encoding="utf-8")


def _one_line(exc: BaseException, limit: int = 200) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:limit]}{'…' if len(text) > limit else ''}"


def _damaged(file: Path, why: str) -> ResourceError:
    return ResourceError(
        f"the topic model file {file} is damaged or was not written by scripts/train_topic.py "
        f"({why}). Retrain with `{TRAIN_COMMAND}` from the repository root, or reinstall "
        f"beritanlp."
    )


def _missing(file: Path) -> ModelNotFoundError:
    return ModelNotFoundError(
        f"the topic model file {file} is missing. Train the model with `{TRAIN_COMMAND}` from "
        f"the repository root, or reinstall beritanlp."
    )


def _read_json(file: Path) -> Any:
    if not file.is_file():
        raise _missing(file)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise _damaged(file, _one_line(exc)) from exc


def _is_number(value: object) -> TypeGuard[float]:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _check_meta(
    file: Path, meta: object
) -> tuple[list[str], list[tuple[str, float, Mapping[str, Any]]], float]:
    """``(labels, [(block name, weight, params)], temperature)`` of ``model.json``, checked."""
    if not isinstance(meta, dict):
        raise _damaged(file, "not a JSON object")
    labels = meta.get("labels")
    if not (
        isinstance(labels, list)
        and labels
        and all(isinstance(label, str) and label for label in labels)
        and len(set(labels)) == len(labels)
    ):
        raise _damaged(file, '"labels" is not a list of distinct label names')
    temperature = meta.get("temperature")
    if not (_is_number(temperature) and temperature > 0):  # type: ignore[operator]
        raise _damaged(file, f'"temperature" {temperature!r} is not a positive number')
    blocks = meta.get("blocks")
    if not (isinstance(blocks, list) and blocks):
        raise _damaged(file, '"blocks" is not a non-empty list')
    specs: list[tuple[str, float, Mapping[str, Any]]] = []
    for number, spec in enumerate(blocks, 1):
        if not isinstance(spec, dict):
            raise _damaged(file, f"block {number} is not a JSON object")
        name, weight = spec.get("name"), spec.get("weight")
        if not (isinstance(name, str) and _BLOCK_NAME.fullmatch(name)):
            raise _damaged(file, f"block {number}: name {name!r} is not letters, digits or _")
        if any(name == seen for seen, _, _ in specs):
            raise _damaged(file, f"block name {name!r} is repeated")
        if not _is_number(weight):
            raise _damaged(file, f"block {name!r}: weight {weight!r} is not a number")
        problem = params_problem(spec.get("params"))
        if problem is not None:
            raise _damaged(file, f"block {name!r}: {problem}")
        specs.append((name, float(weight), spec["params"]))
    return labels, specs, float(temperature)  # type: ignore[arg-type]


def _read_array(file: Path, shape: tuple[int, ...]) -> np.ndarray:
    """A finite floating-point ``.npy`` array of ``shape`` (no pickle, no ``.npz``).

    The header is read first: its dtype, shape and the file's size must agree before any data
    is read, so a truncated file or a header claiming a huge array is refused cheaply."""
    if not file.is_file():
        raise _missing(file)
    fmt = np.lib.format
    try:
        with file.open("rb") as handle:
            version = fmt.read_magic(handle)
            if version == (1, 0):
                header_shape, _, dtype = fmt.read_array_header_1_0(handle)
            elif version == (2, 0):
                header_shape, _, dtype = fmt.read_array_header_2_0(handle)
            else:
                raise ValueError(f".npy format version {version} is not supported")
            if dtype.kind != "f" or dtype.hasobject:
                raise ValueError(f"dtype {dtype}, expected floating-point numbers")
            if tuple(header_shape) != shape:
                raise ValueError(f"shape {tuple(header_shape)}, expected {shape}")
            size = int(np.prod(header_shape, dtype=np.int64)) * dtype.itemsize
            data = file.stat().st_size - handle.tell()
            if data != size:
                raise ValueError(f"{data:,} bytes of data, its header says {size:,}")
            handle.seek(0)
            array = np.load(handle, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        raise _damaged(file, _one_line(exc)) from exc
    if not isinstance(array, np.ndarray) or array.shape != shape:
        raise _damaged(file, "not a plain .npy array")
    if not np.isfinite(array).all():
        raise _damaged(file, "holds values that are not finite (NaN or infinity)")
    return array


def softmax(z: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``z / temperature``."""
    z = np.asarray(z, dtype=np.float64) / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def save_model(
    path: str | Path,
    labels: Sequence[str],
    blocks: Sequence[tuple[str, Any, float]],
    coef: np.ndarray,
    intercept: np.ndarray,
    temperature: float,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write a model as JSON + ``.npy`` (``blocks``: (name, fitted TfidfVectorizer, weight)).

    Raises :class:`ConfigError`, before writing anything, for a block the reader would refuse
    (:func:`params_problem`: e.g. a ``token_pattern`` outside :data:`TOKEN_PATTERNS`)."""
    path = Path(path)
    checked = []
    for name, vectorizer, weight in blocks:
        params = {k: v for k, v in vectorizer.get_params().items() if k in _PARAM_KEYS}
        params["ngram_range"] = list(params["ngram_range"])
        problem = params_problem(params)
        if not _BLOCK_NAME.fullmatch(name):
            problem = f"block name {name!r} is not letters, digits or _"
        if problem is not None:
            raise ConfigError(f"save_model: block {name!r} cannot be read back: {problem}")
        checked.append((name, vectorizer, weight, params))
    path.mkdir(parents=True, exist_ok=True)
    specs = []
    for name, vectorizer, weight, params in checked:
        terms = [""] * len(vectorizer.vocabulary_)
        for term, i in vectorizer.vocabulary_.items():
            terms[i] = term
        (path / f"vocab_{name}.json").write_text(
            json.dumps(terms, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        np.save(path / f"idf_{name}.npy", vectorizer.idf_.astype(np.float32), allow_pickle=False)
        specs.append({"name": name, "weight": weight, "params": params})
    np.save(path / "coef.npy", np.asarray(coef, dtype=np.float32), allow_pickle=False)
    np.save(path / "intercept.npy", np.asarray(intercept, dtype=np.float32), allow_pickle=False)
    meta = {"labels": list(labels), "blocks": specs, "temperature": float(temperature)}
    meta.update(extra or {})
    (path / "model.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def load_model(path: str | Path | None = None) -> TopicModel:
    """The model in ``path`` (default: the bundled ``topic-id``), read once per process."""
    return _load_model(str(Path(path) if path else default_model_dir()))


@lru_cache(maxsize=8)
def _load_model(key: str) -> TopicModel:
    logger.debug("loading topic model from %s", key)
    return TopicModel.from_dir(key)


# --------------------------------------------------------------------------------------------
# the component


@dataclass(frozen=True, slots=True)
class TopicSettings(Settings):
    """Settings of ``beritanlp_topic``."""

    #: the model directory ("" = the bundled ``beritanlp/models/topic-id``)
    model: str = ""
    #: the minimum probability for a label (below it ``label`` is ``None``)
    threshold: float = 0.4
    #: how many times the title is repeated in the classifier's input
    title_weight: int = 2
    #: the body is cut there (characters)
    max_chars: int = 3000
    #: a dateline naming a foreign place adds a marker word to the input
    use_dateline: bool = True
    #: a shorter input gets ``doc._.beritanlp_topic = None``
    min_chars: int = 1

    def check(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"topic: threshold must be in [0, 1], got {self.threshold!r}")
        self.require_int("title_weight", least=0)
        self.require_int("max_chars", least=1)


_MODEL_DIR = "model"
_FOREIGN_FILE = "foreign_places.json"


class Topic(DataFileComponent):
    """spaCy component writing ``doc._.beritanlp_topic`` and ``doc.cats`` (see the module
    docstring).

    The model is read when the component is built (at ``beritanlp.load()``), so a missing or
    damaged model fails there with an error naming the file, not at the first ``analyze()``.
    ``initialize`` reads the model the settings name (again); ``to_disk`` writes the settings, the
    model (``model/``) and the foreign place names, ``from_disk`` reads them back, checking the
    model as :meth:`TopicModel.from_dir` does; ``exclude`` may hold ``settings``, ``model`` and
    ``data`` (the place names)."""

    SETTINGS = TopicSettings
    settings: TopicSettings
    _model: TopicModel
    _foreign: frozenset[str] | None  # None: the bundled gazetteer's

    def _load_parts(self, folder: Path | None, exclude: frozenset[str]) -> None:
        if folder is None:
            self._model = load_model(self.settings.model or None)
            self._foreign = None
            return
        if "model" not in exclude:
            self._model = TopicModel.from_dir(folder / _MODEL_DIR)
        if "data" not in exclude:
            self._foreign = _read_foreign(folder / _FOREIGN_FILE)

    def _save_parts(self, folder: Path, exclude: frozenset[str]) -> None:
        if "model" not in exclude:
            self._model.to_dir(folder / _MODEL_DIR)
        if "data" not in exclude:
            names = sorted(self._foreign if self._foreign is not None else _foreign_names())
            _write_json(folder / _FOREIGN_FILE, names, indent=None)

    @property
    def classifier(self) -> TopicModel:
        """The classifier (read when the component was built). Not named ``model``: spaCy
        treats a component's ``model`` attribute as a thinc model."""
        return self._model

    def text_of(self, doc: Doc) -> str:
        """The classifier input for ``doc`` (:func:`topic_text` over its sections)."""
        group = doc.spans.get(extensions.SECTIONS_KEY)
        sections = (
            [(s.label_, s.start_char, s.end_char) for s in group] if group is not None else []
        )
        if group is not None and not sections:
            sections = [("body", 0, len(extensions.doc_text(doc)))]
        context = doc._.beritanlp_context or {}
        title = context.get("title") if isinstance(context, dict) else None
        return topic_text(
            extensions.doc_text(doc),
            sections,
            title,
            title_weight=self.settings.title_weight,
            max_chars=self.settings.max_chars,
            use_dateline=self.settings.use_dateline,
            foreign_names=self._foreign,
        )

    def _result(self, probs: np.ndarray) -> dict[str, Any]:
        labels = self.classifier.labels
        best = int(np.argmax(probs))
        score = float(probs[best])
        return {
            "label": labels[best] if score >= self.settings.threshold else None,
            "score": score,
            "scores": {label: float(p) for label, p in zip(labels, probs, strict=True)},
        }

    def __call__(self, doc: Doc) -> Doc:
        text = self.text_of(doc)
        if len(text.strip()) < self.settings.min_chars:
            doc._.beritanlp_topic = None
            return doc
        _set(doc, self._result(self.classifier.predict_proba([text])[0]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 64) -> Iterable[Doc]:
        """Batch the vectorisation (one sparse product per batch)."""
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        texts = [self.text_of(doc) for doc in docs]
        todo = [i for i, t in enumerate(texts) if len(t.strip()) >= self.settings.min_chars]
        probs = self.classifier.predict_proba([texts[i] for i in todo]) if todo else None
        for doc in docs:
            doc._.beritanlp_topic = None
        for row, i in enumerate(todo):
            _set(docs[i], self._result(probs[row]))  # type: ignore[index]
        return docs


def _set(doc: Doc, result: dict[str, Any]) -> None:
    """``doc._.beritanlp_topic`` and ``doc.cats`` (spaCy's text categories: label ->
    probability)."""
    doc._.beritanlp_topic = records.Topic(**result)
    doc.cats = dict(result["scores"])


def _read_foreign(file: Path) -> frozenset[str]:
    """The foreign place names a saved component carries (a JSON list of strings)."""
    names = read_json(str(file.resolve()))
    if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
        raise ResourceError(f"{file} is not a JSON list of place names; save the pipeline again.")
    return frozenset(names)


make_topic = register_factory(
    FACTORY_NAME, TopicSettings, Topic, assigns=["doc._.beritanlp_topic", "doc.cats"], requires=[]
)
