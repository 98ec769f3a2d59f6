"""What a caller passes in, checked and normalised: the text, and the article's context.

:func:`beritanlp.analyze` and the batch code (:mod:`beritanlp.batch`) take the same inputs —
a text plus an optional ``title``, ``published`` date and ``url`` — and must treat them the
same way, so both use these functions. This module sits below both (it imports neither).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

from .errors import ConfigError, InputDecodeError, InputTooLongError, InputTypeError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "PublishedLike",
    "article_context",
    "iso_published",
    "make_doc",
    "prepare_text",
]

#: Texts longer than this (in characters) raise InputTooLongError unless the limit is raised.
DEFAULT_MAX_LENGTH = 1_000_000

PublishedLike = str | _dt.date | _dt.datetime | None

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def prepare_text(text: object, *, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """Validate and normalise the input text exactly as :func:`~beritanlp.analyze` does.

    ``bytes`` are decoded as UTF-8. Lone surrogates (not valid Unicode: they cannot be encoded to
    UTF-8 or JSON) are replaced by U+FFFD one for one, so every offset stays the same. Nothing
    else is changed: line endings, control characters and spacing are kept as they are.

    A ``str`` subclass (``numpy.str_`` from a NumPy or pandas column, a user's own class) is
    taken as its plain ``str`` value; spaCy accepts only exact ``str``. Its own ``__str__`` or
    ``__len__`` are not called: the text is the characters it holds.
    """
    if isinstance(text, str):
        if type(text) is not str:
            text = str.__str__(text)  # the exact str with the same characters
    elif isinstance(text, (bytes, bytearray, memoryview)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputDecodeError(
                f"the bytes are not valid UTF-8 ({exc.reason} at byte {exc.start}). Decode them "
                f"yourself with the right encoding, e.g. data.decode('cp1252'), and pass a str."
            ) from exc
    if not isinstance(text, str):
        raise InputTypeError.for_value(text)
    if len(text) > max_length:
        raise InputTooLongError(len(text), max_length)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub("\ufffd", text)
    return text


def iso_published(published: PublishedLike) -> str | None:
    """A publication date as ISO 8601 text (``None`` for none or a blank string).

    Dates and datetimes are taken as they are; a string must be ISO 8601 (a plain date stays a
    date, ``Z`` means UTC). Anything else raises :class:`~beritanlp.errors.ConfigError` (a
    string) or :class:`~beritanlp.errors.InputTypeError` (another type)."""
    if published is None:
        return None
    if isinstance(published, (_dt.datetime, _dt.date)):
        return published.isoformat()
    if isinstance(published, str):
        value = published.strip()
        if not value:
            return None
        try:
            parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            try:
                return _dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ConfigError(
                    f"published={published!r} is not an ISO 8601 date or datetime; pass e.g. "
                    f"'2023-05-04', '2023-05-04T10:30:00+07:00' or a datetime.date object"
                ) from None
        if len(value) == 10:  # a plain date: keep it a date
            return parsed.date().isoformat()
        return parsed.isoformat()
    raise InputTypeError(
        f"published must be a str (ISO 8601), datetime.date or datetime.datetime, "
        f"got {type(published).__name__}"
    )


def article_context(
    title: str | None, published: PublishedLike, url: str | None
) -> dict[str, str | None]:
    """The checked ``title``, ``published`` (ISO 8601) and ``url`` of an article, as the
    ``doc._.beritanlp_context`` the components read (empty strings become ``None``)."""
    if title is not None and not isinstance(title, str):
        raise InputTypeError.for_value(title, "title")
    if url is not None and not isinstance(url, str):
        raise InputTypeError.for_value(url, "url")
    return {"title": title or None, "published": iso_published(published), "url": url or None}


def make_doc(nlp: Language, text: str, context: dict[str, str | None]) -> Doc:
    """The tokenised ``Doc`` of ``text`` with its :func:`article_context`, ready for the
    pipeline (``nlp(doc)`` or ``nlp.pipe``)."""
    doc = nlp.make_doc(text)
    doc._.beritanlp_context = context
    return doc
