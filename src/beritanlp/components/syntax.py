"""Syntax through Stanza: POS, lemmas, morphology and dependencies on beritanlp's own tokens.

An optional component. Install the CPU build of torch first, then the extra and the models,
which are a package of their own built from the repository (see ``docs/syntax.md``)::

    pip install torch==2.13.0
    pip install ".[stanza]" ./packages/beritanlp-stanza-id

``beritanlp.load(syntax="stanza")`` adds it after the entity linker and before the stemmer,
which then leaves ``PROPN`` tokens unstemmed.

Stanza runs **pretokenised**: each of our sentences goes in as its list of non-space tokens, so
Stanza's output lines up one to one with the spaCy tokens, and the sentence boundaries, the
entities and every character offset stay beritanlp's. Clitics stay attached (``bukunya`` is one
token); the models were trained that way (``scripts/train_stanza.py`` merges UD's multi-word
tokens). Whitespace tokens get ``SPACE`` and hang off a neighbouring word with the relation
``dep``, as spaCy's own parser does.

The models come from the ``beritanlp-stanza-id`` package (found with
:func:`importlib.util.find_spec`, without importing it) or from the folder of the setting
``model_dir``, loaded with ``download_method=None``: nothing is fetched at run time. Stanza reads
its ``.pt`` files with ``torch.load(weights_only=True)``, which loads tensors and plain
containers but executes no code from the file. The folder's ``meta.json`` (when there is one)
names the Stanza versions that read the files; another installed version is refused at load.

Noun phrases are spaCy's mechanism with our definition: :func:`noun_chunks` is a syntax
iterator, installed as the pipeline's ``doc.noun_chunks``; ``doc._.beritanlp_noun_phrases`` lists
the same
phrases. (spaCy's own Indonesian iterator takes whole subtrees, relative clauses and datelines
included: on 40 news articles only 1,047 of its 2,327 chunks were among our 3,370 phrases.)

Importing this module imports neither Stanza nor torch; building the component does.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..errors import ConfigError, ModelNotFoundError, ResourceError
from ..records import Phrase
from ..resources import load_component, save_component
from .base import Settings, register_factory, settings_to_json

if TYPE_CHECKING:
    from thinc.types import Ints2d

__all__ = [
    "EXPECTED_FILES",
    "FACTORY_NAME",
    "INSTALL_COMMAND",
    "MODEL_PACKAGE",
    "TRAIN_COMMAND",
    "StanzaSyntax",
    "SyntaxSettings",
    "default_model_dir",
    "make_syntax",
    "noun_chunks",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_syntax"
#: The package that holds the models (``packages/beritanlp-stanza-id`` in the repository).
MODEL_PACKAGE = "beritanlp_stanza_id"
#: The files a Stanza model folder must hold: the word vectors and one model per processor.
EXPECTED_FILES = ("pretrain.pt", "pos.pt", "lemma.pt", "depparse.pt")
#: The model folder's description: ``stanza_version`` (a version range), ``files``, licence.
META_FILE = "meta.json"
TRAIN_COMMAND = "python scripts/train_stanza.py --data ../shared/data"
INSTALL_COMMAND = (
    'pip install torch==2.13.0, then pip install ".[stanza]" ./packages/beritanlp-stanza-id '
    "from the beritanlp repository"
)
#: The subfolder of a saved component (``nlp.to_disk``) that holds its copy of the models.
_SAVED_MODEL_DIR = "model"


@dataclass(frozen=True, slots=True)
class SyntaxSettings(Settings):
    """Settings of ``beritanlp_syntax``."""

    #: folder of the Stanza models; ``""`` = the installed ``beritanlp-stanza-id`` package
    #: (``load(stanza_dir=...)`` sets it)
    model_dir: str = ""
    #: documents per Stanza call in ``nlp.pipe``
    batch_size: int = 32
    #: CPU threads of Stanza's calls (torch's OpenMP pool, limited for the calls only);
    #: 0 leaves torch's default
    num_threads: int = 1
    #: run the lemmatizer
    lemma: bool = True
    #: run the dependency parser (and find noun phrases)
    depparse: bool = True

    def check(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(
                f"batch_size must be a positive number of documents, got {self.batch_size}"
            )
        if self.num_threads < 0:
            raise ConfigError(
                f"num_threads must be 0 (torch's default) or a number of threads, got "
                f"{self.num_threads}"
            )

    @property
    def needed_files(self) -> tuple[str, ...]:
        """The model files these settings load."""
        return (
            ("pretrain.pt", "pos.pt")
            + ("lemma.pt",) * self.lemma
            + ("depparse.pt",) * self.depparse
        )


def default_model_dir() -> Path:
    """The folder of the installed ``beritanlp-stanza-id`` package, found without importing it;
    :class:`~beritanlp.errors.ModelNotFoundError` saying how to install it when it is not."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if not locations:
        raise ModelNotFoundError(
            f"the Stanza models of the syntax layer are not installed (no package "
            f"{MODEL_PACKAGE}): {INSTALL_COMMAND}; or pass stanza_dir= pointing at a folder "
            f"holding {', '.join(EXPECTED_FILES)}."
        )
    return Path(locations[0])


def check_model_dir(model_dir: Path, expected: tuple[str, ...] = EXPECTED_FILES) -> None:
    """Raise :class:`~beritanlp.errors.ModelNotFoundError` naming what is missing and how to
    get it, unless ``model_dir`` holds every file of ``expected`` (default: all four)."""
    missing = [name for name in expected if not (model_dir / name).is_file()]
    if missing:
        raise ModelNotFoundError(
            f"the Stanza model folder {model_dir} is missing or incomplete (missing: "
            f"{', '.join(missing)}). It must hold {', '.join(expected)}: Stanza "
            "Indonesian word vectors, POS tagger, lemmatizer and dependency parser trained on "
            f"beritanlp's tokens. Install them ({INSTALL_COMMAND}), train them from the "
            f"repository root with `{TRAIN_COMMAND}`, or pass stanza_dir= pointing at such a "
            "folder."
        )


def check_stanza_version(model_dir: Path, version: str) -> None:
    """Raise :class:`~beritanlp.errors.ResourceError` when the folder's ``meta.json`` names
    Stanza versions (``stanza_version``) that do not include ``version``. A folder without
    ``meta.json`` (a fresh training run) is not checked."""
    from spacy.util import is_compatible_version

    meta_path = model_dir / META_FILE
    if not meta_path.is_file():
        return
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        wanted = meta["stanza_version"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResourceError(
            f"{meta_path} is not a model description with a stanza_version: {exc}"
        ) from exc
    if is_compatible_version(version, wanted) is False:
        raise ResourceError(
            f"the Stanza models in {model_dir} are read by stanza {wanted} ({meta_path}), but "
            f'stanza {version} is installed: pip install "stanza{wanted}"'
        )


def _import_stanza() -> Any:
    try:
        import stanza
    except ImportError as exc:
        raise ConfigError(
            f"the Stanza syntax layer needs stanza and torch: {INSTALL_COMMAND}"
        ) from exc
    return stanza


def _load_pipeline(folder: Path, settings: SyntaxSettings) -> Any:
    """A Stanza pipeline (pretokenised; POS, and lemma and depparse as set) over the model files
    of ``folder``, checked first."""
    check_model_dir(folder, settings.needed_files)
    stanza = _import_stanza()
    check_stanza_version(folder, stanza.__version__)
    processors = ["tokenize", "pos"] + (["lemma"] if settings.lemma else [])
    processors += ["depparse"] if settings.depparse else []
    batch = settings.batch_size * 20
    # only the requested processors' paths: Stanza adds a processor for every *_model_path
    paths: dict[str, Any] = {
        "pos_model_path": str(folder / "pos.pt"),
        "pos_pretrain_path": str(folder / "pretrain.pt"),
        "pos_batch_size": batch,
    }
    if settings.lemma:
        paths.update(lemma_model_path=str(folder / "lemma.pt"), lemma_batch_size=batch)
    if settings.depparse:
        paths.update(
            depparse_model_path=str(folder / "depparse.pt"),
            depparse_pretrain_path=str(folder / "pretrain.pt"),
            depparse_batch_size=batch,
        )
    # Stanza always reads a resources.json (normally downloaded), and only while the pipeline
    # is built: an empty one plus allow_unknown_language builds it from the *_model_path files
    # alone. It lives in a temporary folder removed right after.
    with tempfile.TemporaryDirectory(prefix="beritanlp-stanza-") as scratch:
        resources_file = Path(scratch) / "resources.json"
        resources_file.write_text("{}", encoding="utf-8")
        pipeline = stanza.Pipeline(
            lang="id",
            processors=",".join(processors),
            tokenize_pretokenized=True,
            download_method=None,
            resources_filepath=str(resources_file),
            allow_unknown_language=True,
            use_gpu=False,
            logging_level="ERROR",
            **paths,
        )
    logger.debug("loaded Stanza models from %s (%s)", folder, processors)
    return pipeline


class StanzaSyntax:
    """The ``beritanlp_syntax`` component: Stanza's POS, lemma and depparse on our tokens.

    ``StanzaSyntax(nlp, name, settings=None, **overrides)`` loads and checks the models at once.
    ``to_disk`` writes the settings and a copy of the models (``model/``), ``from_disk`` loads
    that copy, so a saved pipeline carries its models."""

    def __init__(
        self,
        nlp: Language,
        name: str = "syntax",
        settings: SyntaxSettings | None = None,
        **overrides: Any,
    ) -> None:
        self.name = name
        settings = SyntaxSettings.build(settings, overrides)
        folder = Path(settings.model_dir) if settings.model_dir else default_model_dir()
        self._install(settings, folder)
        # doc.noun_chunks of this pipeline: our phrases instead of spaCy's Indonesian iterator
        # (the vocabulary is this pipeline's own; the language defaults stay as they are).
        # spaCy's stubs say the iterator yields Spans; spaCy calls it for (start, end, label)
        nlp.vocab.get_noun_chunks = noun_chunks  # type: ignore[assignment]

    def _install(self, settings: SyntaxSettings, folder: Path) -> None:
        pipeline = _load_pipeline(folder, settings)
        self.settings, self.model_dir, self._pipeline = settings, folder, pipeline
        self._threads: Any = None
        if settings.num_threads:
            # Scoped, not torch.set_num_threads(): that is process-wide (the default of every
            # thread's torch pool, and MKL's) and would stay set after the call. threadpoolctl's
            # limit holds around our Stanza calls only and is undone after each; for OpenMP it
            # is omp_set_num_threads, which sets the calling thread's value, so other threads
            # keep theirs. torch's CPU kernels run on OpenMP, hence user_api="openmp" (measured:
            # the same CPU time per call as torch.set_num_threads(1)).
            from threadpoolctl import ThreadpoolController

            self._threads = ThreadpoolController()  # after torch is loaded: it finds its pool

    def _thread_limit(self) -> AbstractContextManager[Any]:
        if self._threads is None:
            return nullcontext()
        return self._threads.limit(limits=self.settings.num_threads, user_api="openmp")

    # -- spaCy component protocol ------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        size = batch_size or self.settings.batch_size
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= size:
                self._annotate(batch)
                yield from batch
                batch = []
        if batch:
            self._annotate(batch)
            yield from batch

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``settings.json`` and a copy of the model files (``model/``, with
        ``meta.json`` when the models have one) into the folder ``path``; ``exclude`` may hold
        ``settings`` and ``model``."""
        path = Path(path)
        save_component(path, settings_to_json(self.settings), {}, exclude)
        if "model" in exclude:
            return
        target = path / _SAVED_MODEL_DIR
        target.mkdir(parents=True, exist_ok=True)
        for name in (*self.settings.needed_files, META_FILE):
            if (self.model_dir / name).is_file():
                shutil.copyfile(self.model_dir / name, target / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> StanzaSyntax:
        """Read the settings and load the models written by :meth:`to_disk` (checked as at
        build time). The settings' ``model_dir`` becomes the saved copy."""
        path = Path(path)
        saved, _ = load_component(path, settings_to_json(self.settings), (), exclude)
        settings = SyntaxSettings.build(None, saved)
        folder = self.model_dir
        if "model" not in exclude:
            folder = path / _SAVED_MODEL_DIR
            settings = replace(settings, model_dir=str(folder))
        self._install(settings, folder)
        return self

    # -- work --------------------------------------------------------------------------------
    def _annotate(self, docs: list[Doc]) -> None:
        lemma, depparse = self.settings.lemma, self.settings.depparse
        # every sentence of every doc, as lists of non-space token indices
        plan: list[tuple[int, list[int]]] = []
        for d, doc in enumerate(docs):
            for sent in doc.sents:
                words = [t.i for t in sent if not t.is_space]
                if words:
                    plan.append((d, words))
        if plan:
            with self._thread_limit():
                stanza_doc = self._pipeline([[docs[d][i].text for i in words] for d, words in plan])
            sentences = stanza_doc.sentences
        else:
            sentences = []
        heads: list[numpy.ndarray] = [numpy.zeros(len(doc), dtype="int32") for doc in docs]
        done: list[numpy.ndarray] = [numpy.zeros(len(doc), dtype=bool) for doc in docs]
        deps: list[list[str]] = [[""] * len(doc) for doc in docs]
        for (d, words), sentence in zip(plan, sentences, strict=True):
            doc = docs[d]
            for i, word in zip(words, sentence.words, strict=True):
                token = doc[i]
                token.pos_ = word.upos or ""
                token.tag_ = word.xpos or ""
                if word.feats:
                    token.set_morph(word.feats)  # type: ignore[attr-defined]  # not in spaCy's stubs
                if lemma and word.lemma:
                    token.lemma_ = word.lemma
                if depparse and word.head is not None:
                    # Stanza heads are 1-based within the sentence; 0 is the root
                    head = i if word.head == 0 else words[word.head - 1]
                    heads[d][i] = head - i
                    deps[d][i] = "ROOT" if word.head == 0 else (word.deprel or "dep")
                    done[d][i] = True
        if not depparse:
            for doc in docs:
                for token in doc:
                    if token.is_space:
                        token.pos_ = "SPACE"
            return
        for doc, head, dep, ok in zip(docs, heads, deps, done, strict=True):
            if not len(doc):
                doc._.beritanlp_noun_phrases = ()
                continue
            _attach_rest(doc, head, dep, ok)
            values = numpy.empty((len(doc), 2), dtype="uint64")
            values[:, 0] = head.astype("int64").astype("uint64")
            values[:, 1] = [doc.vocab.strings.add(label) for label in dep]
            sent_starts = [t.is_sent_start for t in doc]
            doc.from_array([HEAD, DEP], cast("Ints2d", values))
            # each tree lies inside one of our sentences, so the boundaries cannot move
            if [t.is_sent_start for t in doc] != sent_starts:
                logger.warning("syntax layer changed the sentence boundaries of a doc")
            doc._.beritanlp_noun_phrases = tuple(Phrase(**p) for p in noun_phrases(doc))


#: Dependents that belong to a noun phrase (UD relations; Indonesian NPs are head-first:
#: ``kerja sama ekonomi``, ``Menteri Luar Negeri Rusia``). A ``nmod`` with its own preposition
#: (``di Goa``) is a prepositional phrase and stays out.
NP_DEPS = frozenset(
    {"amod", "det", "nummod", "compound", "flat", "flat:name", "fixed", "nmod", "nmod:poss", "clf"}
)
_NP_HEADS = frozenset({"NOUN", "PROPN"})


def noun_chunks(doclike: Doc | Span) -> Iterator[tuple[int, int, int]]:
    """Syntax iterator of our noun phrases (spaCy's protocol: ``(start, end, label)`` token
    spans, label ``NP``), in text order, none nested (see :func:`_phrases`)."""
    doc = doclike.doc
    if not doc.has_annotation("DEP"):
        raise ValueError("noun chunks need the dependency parse (the syntax layer's depparse)")
    label = doc.vocab.strings.add("NP")
    for start, end, _head in _phrases(doclike):
        yield start, end, label


def noun_phrases(doc: Doc) -> list[dict[str, Any]]:
    """The noun phrases of a parsed doc (the spans of :func:`noun_chunks`) as ``{text, start,
    end, root}``: character offsets and the head word."""
    from .. import extensions

    text = extensions.doc_text(doc)
    out: list[dict[str, Any]] = []
    for start, end, head in _phrases(doc):
        first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        out.append({"text": text[first:last], "start": first, "end": last, "root": doc[head].text})
    return out


def _phrases(doclike: Doc | Span) -> Iterator[tuple[int, int, int]]:
    """``(start, end, head)`` token indices of the noun phrases of ``doclike``.

    A phrase is a ``NOUN``/``PROPN`` that does not itself hang in a larger phrase, with its
    dependents of :data:`NP_DEPS` (recursively), cut to the contiguous run around the head,
    without punctuation or whitespace at its edges. The head is kept as the phrase's root even
    where the cut drops it (a bullet ``*`` that Stanza tagged ``NOUN``), so it is not always
    ``span.root``."""
    doc = doclike.doc
    for token in doclike:
        if token.pos_ not in _NP_HEADS or _inside_phrase(token):
            continue
        members = {token.i}
        stack = [token]
        while stack:
            for child in stack.pop().children:
                if child.dep_ in NP_DEPS and not _is_pp(child):
                    members.add(child.i)
                    stack.append(child)
        first = last = token.i
        while first - 1 in members:
            first -= 1
        while last + 1 in members:
            last += 1
        while first < last and (doc[first].is_punct or doc[first].is_space):
            first += 1
        while last > first and (doc[last].is_punct or doc[last].is_space):
            last -= 1
        yield first, last + 1, token.i


def _is_pp(token: Token) -> bool:
    return token.dep_.startswith("nmod") and any(c.dep_ == "case" for c in token.children)


def _inside_phrase(token: Token) -> bool:
    return (
        token.dep_ in NP_DEPS
        and token.head.i != token.i
        and token.head.pos_ in _NP_HEADS
        and not _is_pp(token)
    )


def _attach_rest(doc: Doc, head: numpy.ndarray, dep: list[str], done: numpy.ndarray) -> None:
    """Whitespace (and any unparsed) tokens: ``SPACE``, attached with ``dep`` to the nearest
    parsed token of their own sentence, or made the root of an all-space sentence."""
    for sent in doc.sents:
        parsed = [t.i for t in sent if done[t.i]]
        # the last parsed token seen so far, else the sentence's first parsed one, else the
        # first token of an all-space sentence (made its root)
        target = parsed[0] if parsed else None
        for token in sent:
            i = token.i
            if done[i]:
                target = i
                continue
            if token.is_space:
                token.pos_ = "SPACE"
            if target is None:
                target = i
                head[i] = 0
                dep[i] = "ROOT"
            else:
                head[i] = target - i
                dep[i] = "dep"


make_syntax = register_factory(
    FACTORY_NAME,
    SyntaxSettings,
    StanzaSyntax,
    assigns=[
        "token.pos",
        "token.tag",
        "token.morph",
        "token.lemma",
        "token.dep",
        "token.head",
        "doc._.beritanlp_noun_phrases",
    ],
    requires=["token.is_sent_start"],
)
