"""Annotating entries in this process: the shared pipeline (:func:`pipeline`), its warm-up,
and :func:`annotate_entries`, which runs ``nlp.pipe`` and gives every entry its result even
when a component raises."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..api import load
from ..inputs import DEFAULT_MAX_LENGTH, article_context, make_doc
from .entries import Entry
from .results import ErrorInfo, Result

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["annotate_entries", "pipeline", "warm"]

logger = logging.getLogger(__name__)


def pipeline(max_length: int) -> Language:
    """The pipeline batch runs use: :func:`beritanlp.load`'s shared one, with room for texts
    of ``max_length`` characters. Batch code only reads it (nothing is installed on it)."""
    return load(max_length=max(max_length, DEFAULT_MAX_LENGTH))


#: A short article that takes the pipeline through its lazily loaded resources (dateline and
#: date patterns, gazetteer, stems, quotes), so that no record pays for them in its time budget.
_WARM_UP_TEXT = (
    "Presiden berjanji membangun jalan\n"
    "Jakarta (ANTARA) - Presiden Joko Widodo meresmikan jalan tol di Jawa Barat pada Senin "
    '(4/5/2023). "Pembangunan akan dilanjutkan," kata Jokowi kepada wartawan.\n'
    "Baca juga: Berita lain"
)
_warmed: set[int] = set()


def warm(nlp: Language) -> None:
    """Run :data:`_WARM_UP_TEXT` through ``nlp`` once per pipeline (errors ignored)."""
    if id(nlp) in _warmed:
        return
    _warmed.add(id(nlp))
    from ..article import Article

    context = article_context(None, "2023-05-04", None)
    try:
        Article.from_doc(nlp(make_doc(nlp, _WARM_UP_TEXT, context)))
    except Exception as exc:  # a broken component shows itself on the records, as an error
        logger.debug("warm-up failed: %r", exc)


def annotate_entries(
    nlp: Language, entries: Iterable[Entry], batch_size: int
) -> Iterator[tuple[Entry, Result]]:
    """Run the valid entries through ``nlp.pipe``; one result per entry, in order.

    A component that raises ends spaCy's stream (the shared pipeline keeps spaCy's default
    error handler, which re-raises: batch code installs nothing on it). The entries not
    finished then are re-run one at a time with ``nlp(doc)``, so only the record that fails
    gets the error. Callers pass one ``nlp.pipe`` batch at a time, so a failure costs at most
    that batch re-run record by record."""
    from ..article import Article

    pending: deque[Entry] = deque()
    entries = iter(entries)

    def docs() -> Iterator[tuple[Doc, int]]:
        for entry in entries:
            pending.append(entry)
            if entry.error is None:
                yield make_doc(nlp, entry.text, entry.context), entry.index

    def finish(entry: Entry, doc: Doc | None) -> Result:
        if entry.error is None:
            try:
                if doc is None:  # not finished by the stream: run alone, errors raise
                    doc = nlp(make_doc(nlp, entry.text, entry.context))
                return Result(entry.id, Article.from_doc(doc))
            except Exception as exc:
                logger.debug("record %r failed in the pipeline: %r", entry.id, exc)
                entry.error, entry.exc = ErrorInfo.from_exception(exc), exc
        return Result(entry.id, None, entry.error)

    stream = iter(nlp.pipe(docs(), batch_size=batch_size, as_tuples=True))
    while True:
        try:
            got = next(stream, None)
        except Exception as exc:
            # a component failed and ended the stream: finish what is pending, then the rest,
            # one record at a time
            logger.info("pipeline error (records re-run one by one): %r", exc)
            for entry in (*pending, *entries):
                yield entry, finish(entry, None)
            pending.clear()
            return
        if got is None:
            break
        doc, index = got
        while pending and pending[0].index != index:
            entry = pending.popleft()
            yield entry, finish(entry, None)
        entry = pending.popleft()
        yield entry, finish(entry, doc)
    while pending:
        entry = pending.popleft()
        yield entry, finish(entry, None)
