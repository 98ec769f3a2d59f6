"""Statistical named entities (``PER``, ``LOC``, ``ORG``) from the shipped spaCy model.

The model in ``beritanlp.models/ner-id`` (``models/ner-id`` in the repository) is a spaCy
pipeline saved with ``nlp.to_disk``: the beritanlp news tokenizer and one ``ner`` component
whose CNN token encoder is internal (no ``tok2vec`` listener), plus its own small floret
vectors. It is trained by ``python scripts/train_ner.py`` (see ``docs/ner.md``).

:func:`add_ner` sources that component into an existing beritanlp pipeline; loading goes
through spaCy's ``from_disk`` only (config, JSON, msgpack and numpy arrays: no pickles, no code
from the model folder). Entities land in ``doc.ents``.

The model was trained on single sentences and never saw a line break, so on raw articles it
sometimes runs an entity across one (``NATO\nIndonesia``). :func:`add_ner` therefore also adds
a small rule component (``beritanlp_ner_linebreaks``, named ``<name>_linebreaks``) right after
the ``ner`` that splits such entities at the line break and trims whitespace tokens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc, Span
from spacy.vectors import Mode, Vectors
from thinc.api import Model, NumpyOps
from thinc.types import Ragged

from ..errors import ModelNotFoundError

__all__ = [
    "EXPECTED_FILES",
    "LABELS",
    "MODEL_NAME",
    "TRAIN_COMMAND",
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


def load_ner_model(model_dir: str | Path | None = None) -> Language:
    """The saved NER pipeline (tokenizer + ``ner``) as its own ``Language``."""
    import spacy

    from .. import lang  # noqa: F401  (registers the news tokenizer before the config resolves)

    path = Path(model_dir) if model_dir is not None else default_model_dir()
    _check(path)
    nlp = spacy.load(path)
    logger.debug("loaded NER model %s (labels %s)", path, nlp.get_pipe("ner").labels)
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
        self.rows: dict[int, numpy.ndarray] = {}

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
        found = [cache.get(key) for key in unique.tolist()]
        missing = [i for i, row in enumerate(found) if row is None]
        if missing:
            weights = model.ops.as_contig(model.get_param("W"))
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
        output = Ragged(numpy.stack(found)[inverse], lengths)
        return output, lambda d_output: []


def add_ner(
    nlp: Language,
    model_dir: str | Path | None = None,
    name: str = "ner",
    *,
    before: str | None = None,
    after: str | None = None,
    split_linebreaks: bool = True,
    numpy_gemm: bool = True,
    vector_cache_size: int = 50_000,
) -> EntityRecognizer:
    """Source the trained ``ner`` component into ``nlp`` (in place) and return it.

    The model's static vectors are copied into ``nlp.vocab`` (the component looks them up
    there), so call this before adding any other component that brings vectors of its own.
    ``before``/``after`` place the component (default: at the end); with
    ``split_linebreaks`` (default) the ``beritanlp_ner_linebreaks`` fix-up follows it.

    Speed settings (predictions are the same with or without them):

    * ``numpy_gemm`` runs the model's matrix products through NumPy's BLAS instead of thinc's
      bundled BLIS kernels: 1.5-1.8x faster single-threaded on this project's CPUs.
    * ``vector_cache_size`` words keep their projected floret vectors between batches
      (0 turns the cache off): 4 bytes x encoder width + about 200 bytes of overhead each,
      about 30 MB per process for the default 50,000 words at width 96.
    """
    source = load_ner_model(model_dir)
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
    if numpy_gemm:
        if isinstance(component.model.ops, NumpyOps):  # CPU only; a GPU keeps its own ops
            ops = NumpyOps(use_blis=False)
            for node in component.model.walk():
                node.ops = ops
    if vector_cache_size > 0:
        for node in component.model.walk():
            if node.name == "static_vectors":
                node._func = _CachedStaticVectors(node._func, vector_cache_size)
    if split_linebreaks:
        nlp.add_pipe("beritanlp_ner_linebreaks", name=f"{name}_linebreaks", after=name)
    return component


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
