"""The front door: :func:`load` and :func:`analyze`.

``load()`` builds the spaCy pipeline once per process (per distinct set of options) and returns
an ordinary :class:`spacy.language.Language`. ``analyze()`` validates its input
(:mod:`beritanlp.inputs`), runs that pipeline and converts the ``Doc`` into an
:class:`~beritanlp.article.Article`. Many articles at once: :func:`beritanlp.analyze_many`
(in :mod:`beritanlp.batch`, which builds on this module; this module never imports it).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .components import COMPONENT_MODULES, PIPELINE
from .errors import ConfigError
from .inputs import (
    DEFAULT_MAX_LENGTH,
    PublishedLike,
    article_context,
    make_doc,
    prepare_text,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from .article import Article

__all__ = ["DEFAULT_MAX_LENGTH", "PIPELINE", "analyze", "load", "prepare_text"]

logger = logging.getLogger(__name__)

#: The optional syntax layers ``load(syntax=...)`` accepts (None = no syntax layer).
SYNTAX_LAYERS: tuple[str | None, ...] = (None, "stanza")
SYNTAX_NAME = "syntax"
SYNTAX_BEFORE = "stemmer"  # the layer sits after the entities, before the stemmer

_lock = threading.Lock()
_pipelines: dict[tuple[Any, ...], Language] = {}


def load(
    *,
    exclude: Iterable[str] = (),
    max_length: int = DEFAULT_MAX_LENGTH,
    config: Mapping[str, Mapping[str, Any]] | None = None,
    syntax: str | None = None,
    stanza_dir: str | os.PathLike[str] | None = None,
) -> Language:
    """The beritanlp pipeline as a spaCy ``Language`` (built once per process, then cached).

    ``exclude`` names components to leave out (see :data:`PIPELINE`); ``config`` overrides
    component settings, e.g. ``{"stemmer": {"cache_size": 10_000}}``. ``syntax="stanza"`` adds
    the optional syntax layer (component ``syntax``: POS, lemmas, morphology, dependencies;
    needs ``beritanlp[stanza]`` and the ``beritanlp-stanza-id`` model package), with its models
    from ``stanza_dir`` (default: the installed ``beritanlp-stanza-id`` package). The returned
    object is shared: treat it as read-only (it is safe to call from many threads).

    Every model is read and checked here, not at the first document: a missing model raises
    :class:`~beritanlp.errors.ModelNotFoundError`, a damaged one
    :class:`~beritanlp.errors.ResourceError` naming the file, and an unknown or ill-typed
    component setting :class:`~beritanlp.errors.ConfigError` (see ``docs/models.md``).
    """
    if max_length < 1:
        raise ConfigError(f"max_length must be a positive number of characters, got {max_length}")
    if syntax not in SYNTAX_LAYERS:
        raise ConfigError(f"syntax must be one of {SYNTAX_LAYERS}, got {syntax!r}")
    if stanza_dir is not None and syntax is None:
        raise ConfigError('stanza_dir is only used with syntax="stanza"; pass both or neither')
    excluded = tuple(sorted(set(exclude)))
    known = {name for name, _ in PIPELINE} | ({SYNTAX_NAME} if syntax else set())
    unknown = [name for name in (*excluded, *(config or {})) if name not in known]
    if unknown:
        raise ConfigError(
            f"unknown pipeline component(s) {unknown}; the components are {sorted(known)}"
        )
    # the cache key must be hashable whatever the settings hold (lists, nested dicts): their
    # canonical JSON text stands for them
    frozen_config = json.dumps(config or {}, sort_keys=True, default=repr)
    layer = (syntax, None if stanza_dir is None else str(stanza_dir))
    key = (excluded, max_length, frozen_config, layer)
    nlp = _pipelines.get(key)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(key)
            if nlp is None:
                nlp = _build(excluded, max_length, config or {}, layer)
                _pipelines[key] = nlp
    return nlp


def _build(
    excluded: tuple[str, ...],
    max_length: int,
    config: Mapping[str, Mapping[str, Any]],
    layer: tuple[str | None, str | None] = (None, None),
) -> Language:
    from importlib import import_module

    from . import extensions
    from .lang import blank

    extensions.register()
    nlp = blank()
    # spaCy's own limit guards memory in the parser/NER; ours is checked first with a clear error
    nlp.max_length = max_length
    for name, factory in PIPELINE:
        if name in excluded:
            continue
        module = import_module(f".components.{COMPONENT_MODULES[factory]}", __package__)
        settings = dict(config.get(name, {}))
        if factory == "beritanlp_ner":
            # a trained spaCy component: sourced from its saved pipeline, not built from a factory
            # (its settings are checked by NerSettings: ConfigError naming the component)
            module.add_ner(nlp, name=name, **settings)
        else:
            _add_component(nlp, name, factory, settings)
    if layer[0] == "stanza" and SYNTAX_NAME not in excluded:
        _add_syntax(nlp, layer[1], config.get(SYNTAX_NAME, {}))
    logger.debug("built beritanlp pipeline %s", nlp.pipe_names)
    return nlp


def _add_component(nlp: Language, name: str, factory: str, settings: dict[str, Any]) -> None:
    """``nlp.add_pipe`` with spaCy's settings validation errors as one-line ConfigErrors.

    Errors the component raises itself (a missing or damaged model: ModelNotFoundError /
    ResourceError naming the file) pass through unchanged."""
    from thinc.api import ConfigValidationError

    try:
        nlp.add_pipe(factory, name=name, config=settings)
    except ConfigValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error.get('loc', ())) or '?'}: {error.get('msg')}"
            for error in (exc.errors or ())
        ]
        detail = "; ".join(problems) or " ".join(str(exc).split())[:300]
        raise ConfigError(f"invalid settings for pipeline component {name!r}: {detail}") from exc


def _add_syntax(nlp: Language, stanza_dir: str | None, settings: Mapping[str, Any]) -> None:
    """Add the Stanza syntax layer before the stemmer (which reads its POS tags), i.e. after the
    entities; when the stemmer is excluded, before the first later component that is there."""
    from .components import syntax as _syntax

    later = [name for name, _ in PIPELINE[[n for n, _ in PIPELINE].index(SYNTAX_BEFORE) :]]
    before = next((name for name in later if name in nlp.pipe_names), None)
    component_config = {"model_dir": stanza_dir or "", **settings}
    nlp.add_pipe(_syntax.FACTORY_NAME, name=SYNTAX_NAME, before=before, config=component_config)


def analyze(
    text: str | bytes,
    *,
    title: str | None = None,
    published: PublishedLike = None,
    url: str | None = None,
    max_length: int | None = None,
    syntax: str | None = None,
    stanza_dir: str | os.PathLike[str] | None = None,
) -> Article:
    """Annotate one Indonesian news article.

    ``title`` supplies the headline when the text holds only the body; ``published`` (date,
    datetime or ISO string) anchors relative dates; ``url`` is kept in the output. Empty or
    whitespace-only text gives an empty :class:`Article`. ``syntax="stanza"`` adds POS tags,
    lemmas, morphology and dependencies to the tokens, and noun phrases (see :func:`load`).
    """
    from .article import Article

    limit = DEFAULT_MAX_LENGTH if max_length is None else max_length
    text = prepare_text(text, max_length=limit)
    context = article_context(title, published, url)
    nlp = load(max_length=max(limit, DEFAULT_MAX_LENGTH), syntax=syntax, stanza_dir=stanza_dir)
    doc = nlp(make_doc(nlp, text, context))
    return Article.from_doc(doc)
