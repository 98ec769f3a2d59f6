"""Statistical named entities (``PER``, ``LOC``, ``ORG``) from the shipped spaCy model.

The model in ``beritanlp.models/ner-id`` (``models/ner-id`` in the repository) is a spaCy
pipeline saved with ``nlp.to_disk``: the beritanlp news tokenizer and one ``ner`` component
whose CNN token encoder is internal (no ``tok2vec`` listener), plus its own small floret
vectors. It is trained by ``python scripts/train_ner.py`` (see ``docs/ner.md``).

:func:`add_ner` sources that component into an existing beritanlp pipeline; loading goes
through spaCy's ``from_disk`` only (config, JSON, msgpack and numpy arrays: no pickles, no code
from the model folder). Entities land in ``doc.ents``. A damaged model folder stops
:func:`load_ner_model` (so ``beritanlp.load()``) with a :class:`~beritanlp.errors.ResourceError`
that names the bad file: spaCy's own read errors are traced to the file, and a loaded model
must have every weight present, finite and of the shape its layers declare, and annotate a
short sentence, before it is accepted (:func:`load_ner_model`).

The model was trained on single sentences and never saw a line break, so on raw articles it
sometimes runs an entity across one (``NATO\nIndonesia``). :func:`add_ner` therefore also adds
a small rule component (``beritanlp_ner_linebreaks``, named ``<name>_linebreaks``) right after
the ``ner`` that splits such entities at the line break and trims whitespace tokens.

Settings: :class:`NerSettings`, the keyword arguments of :func:`add_ner` (its signature is made
from the dataclass, so they are declared once). ``nlp.to_disk`` saves the component as spaCy
saves any ``ner`` (weights, moves, vectors in the vocab); ``spacy.load`` gives the same
entities, without the speed settings (plain spaCy ``ner``: thinc's BLIS, no vector cache, no
pieces for very long documents).
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.vectors import Mode, Vectors
from thinc.api import Model, NumpyOps
from thinc.types import Floats2d, Ragged

from ..errors import BeritaError, ConfigError, ModelNotFoundError, ResourceError
from .base import Settings

__all__ = [
    "EXPECTED_FILES",
    "LABELS",
    "MODEL_NAME",
    "TRAIN_COMMAND",
    "NerSettings",
    "add_ner",
    "default_model_dir",
    "load_ner_model",
    "split_at_linebreaks",
]

logger = logging.getLogger(__name__)

MODEL_NAME = "ner-id"
LABELS = ("LOC", "ORG", "PER")
#: The files a usable model folder must contain (relative to the folder).
EXPECTED_FILES = ("config.cfg", "meta.json", "tokenizer", "vocab", "ner/model", "ner/moves")
TRAIN_COMMAND = "python scripts/train_ner.py --data ../shared/data"


def default_model_dir() -> Path:
    """Where the shipped model lives: ``importlib.resources.files("beritanlp.models")/ner-id``."""
    return Path(str(resources.files("beritanlp.models") / MODEL_NAME))


def _check(model_dir: Path) -> None:
    missing = [name for name in EXPECTED_FILES if not (model_dir / name).exists()]
    if missing:
        raise ModelNotFoundError(
            f"the NER model folder {model_dir} is missing or incomplete (missing: "
            f"{', '.join(missing)}). It must hold a spaCy pipeline saved with nlp.to_disk(): "
            f"{', '.join(EXPECTED_FILES)}. Train it from the repository root with "
            f"`{TRAIN_COMMAND}` (writes models/ner-id), or pass model_dir= pointing at one."
        )


#: A short sentence every loaded model must annotate without an error (see :func:`_verify`).
SMOKE_TEXT = "Presiden Joko Widodo tiba di Jakarta, Senin (4/5)."


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text[:limit]}{'…' if len(text) > limit else ''}"


def _damaged(path: Path, rel: str, why: str) -> ResourceError:
    return ResourceError(
        f"the NER model file {path / rel} is damaged or does not fit the model ({why}). "
        f"Reinstall beritanlp, retrain with `{TRAIN_COMMAND}` from the repository root, or point "
        f"model_dir at an intact folder written by nlp.to_disk()."
    )


def _read_config(file: Path) -> None:
    from spacy.util import load_config

    config = load_config(file)
    if "ner" not in config.get("nlp", {}).get("pipeline", ()) or "ner" not in config.get(
        "components", {}
    ):
        raise ValueError('no "ner" component in [nlp] pipeline and [components]')


def _read_meta(file: Path) -> None:
    import srsly

    meta = srsly.read_json(file)
    if not isinstance(meta, dict) or not isinstance(meta.get("lang"), str):
        raise ValueError('not a JSON object with a "lang" string')


def _read_msgpack(file: Path) -> None:
    import srsly

    srsly.read_msgpack(file)


def _read_json(file: Path) -> None:
    import srsly

    srsly.read_json(file)


def _read_array(file: Path) -> None:
    with file.open("rb") as handle:
        array = numpy.load(handle, allow_pickle=False)
    if not isinstance(array, numpy.ndarray):
        raise ValueError("not a .npy array")


#: How each file of a saved pipeline is read, in the order spaCy reads them; used to name the
#: file when spaCy fails to load the folder (its own errors do not say which file).
_READERS: tuple[tuple[str, Callable[[Path], None]], ...] = (
    ("config.cfg", _read_config),
    ("meta.json", _read_meta),
    ("vocab/strings.json", _read_json),
    ("vocab/vectors.cfg", _read_json),
    ("vocab/vectors", _read_array),
    ("vocab/key2row", _read_msgpack),
    ("vocab/lookups.bin", _read_msgpack),
    ("tokenizer", _read_msgpack),
    ("ner/cfg", _read_json),
    ("ner/moves", _read_msgpack),
    ("ner/model", _read_msgpack),
)


def _diagnose(path: Path, exc: Exception) -> ResourceError:
    """The error for a folder spaCy could not load: the first file that cannot be read."""
    for rel, read in _READERS:
        file = path / rel
        if rel == "config.cfg" or file.exists():
            try:
                read(file)
            except Exception as problem:  # any reader error means a bad file
                return _damaged(path, rel, _one_line(problem))
    # every file reads on its own: the files do not fit together (e.g. a model from another
    # spaCy version or another config)
    return ResourceError(
        f"the NER model folder {path} could not be loaded by spaCy ({_one_line(exc)}); each "
        f"file reads, but they do not fit together. Reinstall beritanlp or retrain with "
        f"`{TRAIN_COMMAND}` from the repository root."
    )


#: Weight shapes of the thinc layers a spaCy NER model is built from, in terms of the layer's
#: dimensions. spaCy reads weight arrays of any shape, and the parser's compiled inner loop
#: trusts them (a wrong shape there reads past the array instead of raising).
_PARAM_SHAPES: dict[str, dict[str, tuple[str | int, ...]]] = {
    "linear": {"W": ("nO", "nI"), "b": ("nO",)},
    "maxout": {"W": ("nO", "nP", "nI"), "b": ("nO", "nP")},
    "layernorm": {"G": ("nI",), "b": ("nI",)},
    "hashembed": {"E": ("nV", "nO")},
    "static_vectors": {"W": ("nO", "nM")},
    "precomputable_affine": {
        "W": ("nF", "nO", "nP", "nI"),
        "b": ("nO", "nP"),
        "pad": (1, "nF", "nO", "nP"),
    },
}


def _weight_problem(ner: EntityRecognizer, vector_width: int | None) -> tuple[str, str] | None:
    """``(file, why)`` for weights that are missing, not finite or do not fit the network."""
    for node in ner.model.walk():
        shapes = _PARAM_SHAPES.get(node.name, {})
        for name in node.param_names:
            where = f"{node.name}.{name}"
            if not node.has_param(name):
                if name in shapes:
                    return "ner/model", f"weights {where} are missing"
                continue
            value = node.get_param(name)
            if value.dtype.kind != "f" or not numpy.isfinite(value).all():
                return "ner/model", f"weights {where} are not finite floats"
            if name in shapes:
                try:
                    expected = tuple(
                        d if isinstance(d, int) else node.get_dim(d) for d in shapes[name]
                    )
                except ValueError:  # a dimension is unset
                    return "ner/model", f"layer {node.name} has unset dimensions"
                if tuple(value.shape) != expected:
                    return "ner/model", f"weights {where} have shape {value.shape}, not {expected}"
        if node.name == "static_vectors" and vector_width is not None:
            if node.maybe_get_dim("nM") != vector_width:
                return "vocab/vectors", (
                    f"vectors have width {vector_width}, the model reads {node.maybe_get_dim('nM')}"
                )
    root = ner.model
    if all(root.has_ref(ref) for ref in ("tok2vec", "lower", "upper")):
        tok2vec, lower, upper = (root.get_ref(r) for r in ("tok2vec", "lower", "upper"))
        n_moves = ner.moves.n_moves
        if upper.maybe_get_dim("nO") != n_moves:
            return "ner/model", (
                f"output layer has {upper.maybe_get_dim('nO')} classes, ner/moves has {n_moves}"
            )
        if upper.maybe_get_dim("nI") != lower.maybe_get_dim("nO"):
            return "ner/model", "output layer does not fit the hidden layer"
        if lower.maybe_get_dim("nI") != tok2vec.maybe_get_dim("nO"):
            return "ner/model", "hidden layer does not fit the token encoder"
    return None


def _verify(path: Path, nlp: Language) -> None:
    """Refuse a loaded model whose weights are missing, not finite or do not fit its network.

    spaCy reads weight arrays of any shape without complaint; a wrong shape would otherwise
    surface as a raw ``ValueError`` at the first ``analyze()`` (or, in the parser's compiled
    loop, as silent garbage). The shapes are checked against the layers' dimensions, then one
    short prediction (a few milliseconds) checks that everything runs."""
    if "ner" not in nlp.pipe_names:
        raise _damaged(path, "config.cfg", 'no "ner" component in the pipeline')
    ner = nlp.get_pipe("ner")
    width = nlp.vocab.vectors.shape[1] if nlp.vocab.vectors.shape[0] else None
    problem = _weight_problem(ner, width)  # type: ignore[arg-type]
    if problem is not None:
        raise _damaged(path, *problem)
    try:
        nlp(SMOKE_TEXT)
    except Exception as exc:  # arrays that do not fit
        raise _damaged(path, "ner/model", f"a test prediction failed: {_one_line(exc)}") from exc


def load_ner_model(model_dir: str | Path | None = None) -> Language:
    """The saved NER pipeline (tokenizer + ``ner``) as its own ``Language``.

    Raises :class:`ModelNotFoundError` when a file is missing and :class:`ResourceError`
    naming the file when one is damaged (unreadable, or weights that do not fit the network).
    """
    import spacy

    from .. import lang  # noqa: F401  (registers the news tokenizer before the config resolves)

    path = Path(model_dir) if model_dir is not None else default_model_dir()
    _check(path)
    try:
        nlp = spacy.load(path)
    except BeritaError:
        raise
    except Exception as exc:  # spaCy raises many types
        raise _diagnose(path, exc) from exc
    _verify(path, nlp)
    ner: Any = nlp.get_pipe("ner")  # spaCy types pipes as plain callables
    logger.debug("loaded NER model %s (labels %s)", path, ner.labels)
    return nlp


class _CachedStaticVectors:
    """Forward function for spaCy's ``static_vectors`` layer that caches projected word vectors.

    With floret vectors spaCy recomputes every word's character n-gram hashes for every batch:
    12 us per token on news text, against 1.3 us with this cache (measured on 300 articles).
    At prediction time a word's projected vector (its floret vector times the layer's weights)
    never changes, so it is computed once and kept, up to ``max_size`` words (when a batch
    would overflow it, the cache starts afresh). Training calls
    (``is_train``) go to spaCy's own forward and empty the cache, as the weights then change.
    """

    def __init__(self, forward: Callable, max_size: int) -> None:
        self.forward = forward
        self.max_size = max_size
        self.rows: dict[int, Any] = {}  # word (ORTH) -> its projected vector (a 1-d array)

    def __call__(self, model: Model, docs: list[Doc], is_train: bool) -> tuple[Ragged, Callable]:
        vectors = docs[0].vocab.vectors if docs else None
        if is_train or vectors is None or vectors.mode != Mode.floret:
            self.rows.clear()
            return self.forward(model, docs, is_train)  # type: ignore[no-any-return]
        lengths = model.ops.asarray1i([len(doc) for doc in docs])
        if not int(lengths.sum()):
            return self.forward(model, docs, is_train)  # type: ignore[no-any-return]
        keys = numpy.concatenate([doc.to_array(ORTH) for doc in docs])
        unique, inverse = numpy.unique(keys, return_inverse=True)
        cache = self.rows
        found: list[Any] = [cache.get(key) for key in unique.tolist()]
        missing = [i for i, row in enumerate(found) if row is None]
        if missing:
            weights: Floats2d = model.ops.as_contig(model.get_param("W"))  # type: ignore[assignment]
            raw = model.ops.as_contig(vectors.get_batch(unique[missing].tolist()))
            projected = model.ops.gemm(raw, weights, trans2=True)
            if len(cache) + len(missing) > self.max_size:
                cache.clear()
            room = self.max_size - len(cache)
            for i, row in zip(missing, projected, strict=True):
                found[i] = row
                if room > 0:
                    cache[int(unique[i])] = row.copy()  # not a view: frees the batch array
                    room -= 1
        rows: Any = numpy.stack(found)[inverse]  # a Floats2d; thinc's alias is not a NumPy type
        output = Ragged(rows, lengths)
        return output, lambda d_output: []


@dataclass(frozen=True, slots=True)
class NerSettings(Settings):
    """Settings of the sourced ``ner`` component: the keyword arguments of :func:`add_ner` and
    what ``load(config={"ner": {...}})`` takes.

    The speed settings (``numpy_gemm``, ``vector_cache_size``, ``max_chunk_tokens``) give the
    same predictions with or without them."""

    #: a folder holding a spaCy pipeline saved with ``nlp.to_disk``; ``None``: the shipped
    #: ``models/ner-id`` (a ``pathlib.Path`` is taken as its text)
    model_dir: str | None = None
    #: add ``<name>_linebreaks`` (``beritanlp_ner_linebreaks``) after the component
    split_linebreaks: bool = True
    #: run the model's matrix products through NumPy's BLAS instead of thinc's bundled BLIS
    #: kernels (1.5-1.8x faster single-threaded on this project's CPUs)
    numpy_gemm: bool = True
    #: how many words keep their projected floret vector between batches (0: no cache); about
    #: 4 bytes x encoder width + 200 bytes each, 30 MB for 50,000 words at width 96
    vector_cache_size: int = 50_000
    #: a document longer than this many tokens is tagged in sentence-aligned pieces of at most
    #: this size, so memory stays bounded (0: never cut)
    max_chunk_tokens: int = 20_000

    def __post_init__(self) -> None:
        if isinstance(self.model_dir, os.PathLike):
            object.__setattr__(self, "model_dir", os.fspath(self.model_dir))
        Settings.__post_init__(self)

    def check(self) -> None:
        if self.model_dir is not None and not isinstance(self.model_dir, str):
            raise ConfigError(f"model_dir must be a path, got {type(self.model_dir).__name__}")
        for key in ("split_linebreaks", "numpy_gemm"):
            if not isinstance(getattr(self, key), bool):
                raise ConfigError(f"{key} must be true or false, got {getattr(self, key)!r}")
        for key in ("vector_cache_size", "max_chunk_tokens"):
            value = getattr(self, key)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{key} must be a whole number >= 0, got {value!r}")


def add_ner(
    nlp: Language,
    model_dir: str | os.PathLike[str] | None = None,
    name: str = "ner",
    *,
    before: str | None = None,
    after: str | None = None,
    settings: NerSettings | None = None,
    **overrides: Any,
) -> EntityRecognizer:
    """Source the trained ``ner`` component into ``nlp`` (in place) and return it.

    The settings are those of :class:`NerSettings`: ``settings`` (default: the defaults) with
    the keyword arguments ``overrides`` (and ``model_dir``) applied; an unknown or ill-typed
    one raises :class:`~beritanlp.errors.ConfigError`.

    The model's static vectors are copied into ``nlp.vocab`` (the component looks them up
    there), so call this before adding any other component that brings vectors of its own.
    ``before``/``after`` place the component (default: at the end); with
    ``split_linebreaks`` (default) the ``beritanlp_ner_linebreaks`` fix-up follows it.
    """
    if model_dir is not None:
        overrides["model_dir"] = model_dir
    try:
        config = NerSettings.build(settings, overrides)
    except ConfigError as exc:
        raise ConfigError(f"invalid settings for pipeline component {name!r}: {exc}") from exc
    source = load_ner_model(config.model_dir)
    if source.vocab.vectors.shape[0]:
        # floret vectors look tokens up by their text in the *target* vocab's string store
        data = source.vocab.vectors.to_bytes(exclude=["strings"])
        if data != nlp.vocab.vectors.to_bytes(exclude=["strings"]):
            if nlp.vocab.vectors.shape[0]:
                logger.warning("add_ner replaces the pipeline's static vectors with the model's")
            target = Vectors(strings=nlp.vocab.strings)
            target.from_bytes(data, exclude=["strings"])
            nlp.vocab.vectors = target
    component: EntityRecognizer = nlp.add_pipe(
        "ner", name=name, source=source, before=before, after=after
    )  # type: ignore[assignment]
    if config.numpy_gemm:
        if isinstance(component.model.ops, NumpyOps):  # CPU only; a GPU keeps its own ops
            ops = NumpyOps(use_blis=False)
            for node in component.model.walk():
                node.ops = ops
    if config.vector_cache_size > 0:
        for node in component.model.walk():
            if node.name == "static_vectors":
                node._func = _CachedStaticVectors(node._func, config.vector_cache_size)
    if config.max_chunk_tokens > 0:
        # spaCy's parser holds its hidden states for the whole document at once (about 10 KB
        # per token: 1.7 GB for a 1,000,000-character article); a longer document is run in
        # sentence-aligned pieces of at most max_chunk_tokens tokens instead
        index = nlp.pipe_names.index(name)
        nlp._components[index] = (name, _ChunkedNER(component, config.max_chunk_tokens))
    if config.split_linebreaks:
        nlp.add_pipe("beritanlp_ner_linebreaks", name=f"{name}_linebreaks", after=name)
    return component


def _signature() -> inspect.Signature:
    """:func:`add_ner`'s signature with every setting of :class:`NerSettings` as a keyword
    argument (``inspect.signature``, help() and the API docs show them; ``**overrides`` takes
    them)."""
    own = inspect.signature(add_ner)
    params = [p for p in own.parameters.values() if p.kind != inspect.Parameter.VAR_KEYWORD]
    taken = {p.name for p in params}
    defaults = NerSettings()
    params += [
        inspect.Parameter(
            f.name,
            inspect.Parameter.KEYWORD_ONLY,
            default=getattr(defaults, f.name),
            annotation=f.type,
        )
        for f in fields(NerSettings)
        if f.name not in taken
    ]
    return own.replace(parameters=params)


add_ner.__signature__ = _signature()  # type: ignore[attr-defined]


class _ChunkedNER:
    """The sourced NER component, run on sentence-aligned pieces of long documents.

    Documents of at most ``max_tokens`` tokens (all ordinary articles) go to the component as
    they are, batched as before; a longer one is cut at sentence starts into pieces of at most
    ``max_tokens`` tokens (a sentence longer than that is cut inside), each piece is tagged as a
    document of its own, and the entities are put back at their offsets. Memory is then bounded
    by the piece size, whatever the input. Everything else (labels, serialisation, ``model``) is
    the wrapped component's.
    """

    def __init__(self, inner: EntityRecognizer, max_tokens: int) -> None:
        self.inner = inner
        self.max_tokens = max_tokens

    def __getattr__(self, attr: str) -> Any:
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) <= self.max_tokens:
            return self.inner(doc)
        spans: list[Span] = []
        for start, end in self._pieces(doc):
            piece = self.inner(doc[start:end].as_doc())
            spans.extend(
                Span(doc, start + e.start, start + e.end, label=e.label) for e in piece.ents
            )
        doc.set_ents(spans, default="outside")
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            if len(doc) > self.max_tokens:
                yield from self.inner.pipe(batch, batch_size=batch_size)
                batch = []
                yield self(doc)
                continue
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self.inner.pipe(batch, batch_size=batch_size)
                batch = []
        yield from self.inner.pipe(batch, batch_size=batch_size)

    def _pieces(self, doc: Doc) -> Iterator[tuple[int, int]]:
        """Token ranges of at most ``max_tokens``, cut at sentence starts where possible."""
        limit = self.max_tokens
        n = len(doc)
        bounds = [t.i for t in doc if t.is_sent_start] if doc.has_annotation("SENT_START") else []
        start = previous = 0
        for bound in [*bounds, n]:
            if bound - start > limit:
                if previous > start:
                    yield start, previous
                    start = previous
                while bound - start > limit:  # a sentence longer than a piece
                    yield start, start + limit
                    start += limit
            previous = bound
        if start < n:
            yield start, n


def split_at_linebreaks(doc: Doc) -> Doc:
    """Split every entity at whitespace tokens holding a line break; trim whitespace tokens."""
    spans: list[Span] = []
    changed = False
    for ent in doc.ents:
        start = ent.start
        pieces: list[tuple[int, int]] = []
        for token in ent:
            if token.is_space and "\n" in token.text:
                pieces.append((start, token.i))
                start = token.i + 1
        pieces.append((start, ent.end))
        for begin, end in pieces:
            while begin < end and doc[begin].is_space:
                begin += 1
            while end > begin and doc[end - 1].is_space:
                end -= 1
            if begin < end:
                spans.append(Span(doc, begin, end, label=ent.label))
            changed = changed or (begin, end) != (ent.start, ent.end)
    if changed:
        doc.ents = spans
    return doc


@Language.component(
    "beritanlp_ner_linebreaks", requires=["doc.ents"], assigns=["doc.ents", "token.ent_iob"]
)
def make_ner_linebreaks(doc: Doc) -> Doc:
    """Pipeline component: :func:`split_at_linebreaks`."""
    return split_at_linebreaks(doc)
