"""beritanlp: annotate raw Indonesian news text.

>>> import beritanlp
>>> article = beritanlp.analyze(text)          # doctest: +SKIP
>>> article.title, article.sections, article.to_dict()  # doctest: +SKIP

``import beritanlp`` is cheap: spaCy and the pipeline load on first use (:func:`load`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from . import errors
    from .api import analyze, load
    from .article import (
        Article,
        DateExpression,
        Dateline,
        Entity,
        Keyword,
        Phrase,
        Quote,
        Section,
        Sentence,
        Token,
        Topic,
    )
    from .batch import Result, analyze_many
    from .display import displacy
    from .frames import to_pandas

__all__ = [
    "Article",
    "DateExpression",
    "Dateline",
    "Entity",
    "Keyword",
    "Phrase",
    "Quote",
    "Result",
    "Section",
    "Sentence",
    "Token",
    "Topic",
    "__version__",
    "analyze",
    "analyze_many",
    "displacy",
    "errors",
    "load",
    "to_pandas",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

_LAZY = {
    "analyze": "api",
    "analyze_many": "batch",
    "load": "api",
    "Result": "batch",
    "displacy": "display",
    "to_pandas": "frames",
    "errors": None,
    **{
        name: "article"
        for name in (
            "Article",
            "DateExpression",
            "Dateline",
            "Entity",
            "Keyword",
            "Phrase",
            "Quote",
            "Section",
            "Sentence",
            "Token",
            "Topic",
        )
    },
}


def __getattr__(name: str) -> Any:
    # PEP 562 lazy attributes: keeps `import beritanlp` free of spaCy's import cost.
    if name not in _LAZY:
        raise AttributeError(f"module 'beritanlp' has no attribute {name!r}")
    from importlib import import_module

    module_name = _LAZY[name]
    if module_name is None:
        value = import_module(f".{name}", __name__)
    else:
        value = getattr(import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
