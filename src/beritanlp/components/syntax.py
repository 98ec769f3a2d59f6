"""Syntax through Stanza: POS, lemmas, morphology and dependencies on beritanlp's own tokens.

An optional component (``pip install "beritanlp[stanza]"``; install the CPU build of torch
first, see ``docs/syntax.md``). ``beritanlp.load(syntax="stanza")`` adds it after the entity
linker and before the stemmer, which then leaves ``PROPN`` tokens unstemmed.

Stanza runs **pretokenised**: each of our sentences goes in as its list of non-space tokens, so
Stanza's output lines up one to one with the spaCy tokens, and the sentence boundaries, the
entities and every character offset stay beritanlp's. Clitics stay attached (``bukunya`` is one
token); the shipped models were trained that way (``scripts/train_stanza.py`` merges UD's
multi-word tokens). Whitespace tokens get ``SPACE`` and hang off a neighbouring word with the
relation ``dep``, as spaCy's own parser does.

The models are loaded from a local folder with ``download_method=None``: nothing is fetched at
run time. Stanza reads its ``.pt`` files with ``torch.load(weights_only=True)``, which loads
tensors and plain containers but executes no code from the file.

Importing this module imports neither Stanza nor torch; building the component does.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ConfigError, ModelNotFoundError

__all__ = [
    "EXPECTED_FILES",
    "FACTORY_NAME",
    "MODEL_NAME",
    "TRAIN_COMMAND",
    "StanzaSyntax",
    "default_model_dir",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "beritanlp_syntax"
MODEL_NAME = "stanza-id"
#: The files a Stanza model folder must hold: the word vectors and one model per processor.
EXPECTED_FILES = ("pretrain.pt", "pos.pt", "lemma.pt", "depparse.pt")
TRAIN_COMMAND = "python scripts/train_stanza.py --data ../shared/data"
INSTALL_HINT = (
    "install the CPU build of torch first (pip install torch==2.13.0), "
    'then pip install "beritanlp[stanza]"'
)


def default_model_dir() -> Path:
    """The shipped models: ``importlib.resources.files("beritanlp.models")/stanza-id``."""
    return Path(str(resources.files("beritanlp.models") / MODEL_NAME))


def check_model_dir(model_dir: Path, expected: tuple[str, ...] = EXPECTED_FILES) -> None:
    """Raise :class:`~beritanlp.errors.ModelNotFoundError` naming what is missing and how to
    get it, unless ``model_dir`` holds every file of ``expected`` (default: all four)."""
    missing = [name for name in expected if not (model_dir / name).is_file()]
    if missing:
        raise ModelNotFoundError(
            f"the Stanza model folder {model_dir} is missing or incomplete (missing: "
            f"{', '.join(missing)}). It must hold {', '.join(expected)}: Stanza "
            "Indonesian word vectors, POS tagger, lemmatizer and dependency parser trained on "
            f"beritanlp's tokens. Train them from the repository root with `{TRAIN_COMMAND}` "
            "(writes models/stanza-id), or pass stanza_dir= pointing at such a folder."
        )


@lru_cache(maxsize=1)
def _empty_resources() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="beritanlp-stanza-"))
    path = folder / "resources.json"
    path.write_text("{}", encoding="utf-8")
    return path


def _import_stanza() -> Any:
    try:
        import stanza
    except ImportError as exc:
        raise ConfigError(
            f"the Stanza syntax layer needs stanza and torch: {INSTALL_HINT}"
        ) from exc
    return stanza


class StanzaSyntax:
    """The ``beritanlp_syntax`` component: Stanza's POS, lemma and depparse on our tokens."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        model_dir: str,
        batch_size: int,
        num_threads: int,
        lemma: bool,
        depparse: bool,
    ) -> None:
        self.name = name
        self.model_dir = Path(model_dir) if model_dir else default_model_dir()
        self.batch_size = batch_size
        self.num_threads = num_threads
        self.lemma = lemma
        self.depparse = depparse
        needed = ("pretrain.pt", "pos.pt") + ("lemma.pt",) * lemma + ("depparse.pt",) * depparse
        check_model_dir(self.model_dir, needed)
        stanza = _import_stanza()
        if num_threads > 0:
            import torch

            torch.set_num_threads(num_threads)
        processors = ["tokenize", "pos"] + (["lemma"] if lemma else [])
        processors += ["depparse"] if depparse else []
        folder = self.model_dir
        # only the requested processors' paths: Stanza adds a processor for every *_model_path
        paths = {
            "pos_model_path": str(folder / "pos.pt"),
            "pos_pretrain_path": str(folder / "pretrain.pt"),
            "pos_batch_size": batch_size * 20,
        }
        if lemma:
            paths.update(lemma_model_path=str(folder / "lemma.pt"))
            paths.update(lemma_batch_size=batch_size * 20)
        if depparse:
            paths.update(depparse_model_path=str(folder / "depparse.pt"))
            paths.update(depparse_pretrain_path=str(folder / "pretrain.pt"))
            paths.update(depparse_batch_size=batch_size * 20)
        self._pipeline = stanza.Pipeline(
            lang="id",
            processors=",".join(processors),
            tokenize_pretokenized=True,
            download_method=None,
            # Stanza always reads a resources.json (normally downloaded): an empty one plus
            # allow_unknown_language builds the pipeline from the *_model_path files alone
            resources_filepath=str(_empty_resources()),
            allow_unknown_language=True,
            use_gpu=False,
            logging_level="ERROR",
            **paths,
        )
        logger.debug("loaded Stanza models from %s (%s)", folder, processors)

    # -- spaCy component protocol ------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        self._annotate([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        size = batch_size or self.batch_size
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

    # -- work --------------------------------------------------------------------------------
    def _annotate(self, docs: list[Doc]) -> None:
        # every sentence of every doc, as lists of non-space token indices
        plan: list[tuple[int, list[int]]] = []
        for d, doc in enumerate(docs):
            for sent in doc.sents:
                words = [t.i for t in sent if not t.is_space]
                if words:
                    plan.append((d, words))
        if plan:
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
                    token.set_morph(word.feats)
                if self.lemma and word.lemma:
                    token.lemma_ = word.lemma
                if self.depparse and word.head is not None:
                    # Stanza heads are 1-based within the sentence; 0 is the root
                    head = i if word.head == 0 else words[word.head - 1]
                    heads[d][i] = head - i
                    deps[d][i] = "ROOT" if word.head == 0 else (word.deprel or "dep")
                    done[d][i] = True
        if not self.depparse:
            for doc in docs:
                for token in doc:
                    if token.is_space:
                        token.pos_ = "SPACE"
            return
        for doc, head, dep, ok in zip(docs, heads, deps, done, strict=True):
            if not len(doc):
                doc._.noun_phrases = []
                continue
            _attach_rest(doc, head, dep, ok)
            values = numpy.empty((len(doc), 2), dtype="uint64")
            values[:, 0] = head.astype("int64").astype("uint64")
            values[:, 1] = [doc.vocab.strings.add(label) for label in dep]
            sent_starts = [t.is_sent_start for t in doc]
            doc.from_array([HEAD, DEP], values)
            # each tree lies inside one of our sentences, so the boundaries cannot move
            if [t.is_sent_start for t in doc] != sent_starts:
                logger.warning("syntax layer changed the sentence boundaries of a doc")
            doc._.noun_phrases = noun_phrases(doc)


#: Dependents that belong to a noun phrase (UD relations; Indonesian NPs are head-first:
#: ``kerja sama ekonomi``, ``Menteri Luar Negeri Rusia``). A ``nmod`` with its own preposition
#: (``di Goa``) is a prepositional phrase and stays out.
NP_DEPS = frozenset(
    {"amod", "det", "nummod", "compound", "flat", "flat:name", "fixed", "nmod", "nmod:poss", "clf"}
)
_NP_HEADS = frozenset({"NOUN", "PROPN"})


def noun_phrases(doc: Doc) -> list[dict[str, Any]]:
    """Noun phrases of a parsed doc: ``{text, start, end, root}``, in text order, none nested.

    A phrase is a ``NOUN``/``PROPN`` that does not itself hang in a larger phrase, with its
    dependents of :data:`NP_DEPS` (recursively), cut to the contiguous run around the head."""
    from .. import extensions

    text = extensions.doc_text(doc)
    out: list[dict[str, Any]] = []
    for token in doc:
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
        start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
        out.append({"text": text[start:end], "start": start, "end": end, "root": token.text})
    return out


def _is_pp(token: Any) -> bool:
    return token.dep_.startswith("nmod") and any(c.dep_ == "case" for c in token.children)


def _inside_phrase(token: Any) -> bool:
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


@Language.factory(
    FACTORY_NAME,
    assigns=[
        "token.pos",
        "token.tag",
        "token.morph",
        "token.lemma",
        "token.dep",
        "token.head",
        "doc._.noun_phrases",
    ],
    requires=["token.is_sent_start"],
    default_config={
        "model_dir": "",
        "batch_size": 32,
        "num_threads": 1,
        "lemma": True,
        "depparse": True,
    },
)
def make_syntax(
    nlp: Language,
    name: str,
    model_dir: str,
    batch_size: int,
    num_threads: int,
    lemma: bool,
    depparse: bool,
) -> StanzaSyntax:
    """spaCy factory of ``beritanlp_syntax``. ``model_dir`` "" = the bundled models;
    ``num_threads`` sets torch's CPU threads (0 = leave torch's default)."""
    if batch_size < 1:
        raise ConfigError(f"batch_size must be a positive number of documents, got {batch_size}")
    return StanzaSyntax(nlp, name, model_dir, batch_size, num_threads, lemma, depparse)
