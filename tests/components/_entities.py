"""What the tests of the entity components (``entity_repair``, ``canonical_names``, ``roles``)
share: a pipeline of sections, sentences, the gazetteer and the three components, and a runner
that simulates the statistical NER.

The linguistic cases are Indonesian sentences written for these tests. The NER is simulated:
person entities (and, where said, others) are set on the ``Doc`` by hand before the gazetteer
and the entity components run, as the model would set them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from types import SimpleNamespace

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from beritanlp.components import (  # noqa: F401  (the factories)
    canonical_names,
    entity_repair,
    gazetteer,
    roles,
    sections,
    sentences,
)
from beritanlp.lang import blank

#: The entity components in pipeline order.
ENTITY_FACTORIES = ("beritanlp_entity_repair", "beritanlp_canonical_names", "beritanlp_roles")
PREPARE = ("beritanlp_sections", "beritanlp_sentences")


def build(factories: Sequence[str] = ENTITY_FACTORIES, **configs: dict) -> Language:  # type: ignore[type-arg]
    """sections, sentences, the gazetteer and ``factories`` (``configs`` by factory name)."""
    nlp = blank()
    for name in (*PREPARE, "beritanlp_gazetteer", *factories):
        nlp.add_pipe(name, config=configs.get(name, {}))
    return nlp


@lru_cache(maxsize=1)
def shared_nlp() -> Language:
    """The default pipeline of :func:`build` (built once)."""
    return build()


def prepare(nlp: Language, text: str, model: Iterable[tuple[str, str]] = ()) -> Doc:
    """sections + sentences, then the simulated model's entities (every occurrence of each
    text, whole words)."""
    doc = nlp.make_doc(text)
    for name in PREPARE:
        doc = nlp.get_pipe(name)(doc)
    spans = []
    for surface, label in model:
        for match in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", text):
            span = doc.char_span(match.start(), match.end(), label=label)
            assert span is not None, surface
            spans.append(span)
    doc.ents = filter_spans(spans)
    return doc


def finish(nlp: Language, doc: Doc) -> Doc:
    """The gazetteer and every entity component of ``nlp``, in order."""
    for name in nlp.pipe_names:
        if nlp.get_pipe_meta(name).factory not in PREPARE:
            doc = nlp.get_pipe(name)(doc)
    return doc


def run(nlp: Language, text: str, model: Iterable[tuple[str, str]] = ()) -> Doc:
    """:func:`prepare`, then :func:`finish`."""
    return finish(nlp, prepare(nlp, text, model))


def info(doc: Doc) -> list[tuple[str, str, str | None, str | None]]:
    return [(e.text, e.label_, e._.beritanlp_canonical, e._.beritanlp_role) for e in doc.ents]


def person(doc: Doc, text: str) -> Span:
    return next(e for e in doc.ents if e.label_ == "PER" and e.text == text)


def mentions(doc: Doc) -> list[SimpleNamespace]:
    """The entities as the objects ``entity_summary`` reads."""
    return [
        SimpleNamespace(
            text=e.text,
            label=e.label_,
            start=e.start_char,
            canonical=e._.beritanlp_canonical,
            role=e._.beritanlp_role,
        )
        for e in doc.ents
    ]
