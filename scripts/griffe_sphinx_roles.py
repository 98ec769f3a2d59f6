"""Griffe extension for the docs site: show Sphinx roles in docstrings as code.

The docstrings use Sphinx cross-reference roles (``:func:`load```, ``:class:`~beritanlp.Article```).
mkdocstrings renders Markdown, where such a role would show as ``:func:`` followed by code. This
extension rewrites each role to a plain code span (``load``, ``Article``) before rendering. It
changes only what the site shows; the source is untouched. Loaded by ``mkdocs.yml``
(``plugins: mkdocstrings: handlers: python: options: extensions``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(
    r":(?:py:)?(?:func|meth|class|data|mod|attr|exc|obj|const|ref|term):`(~?)([^`<]+?)(?:\s*<[^>]*>)?`"
)


def _replace(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2).strip()
    if short:
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


class SphinxRoles(griffe.Extension):
    """Rewrite ``:role:`target``` to ```target``` in every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        _rewrite(obj)

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        _rewrite(obj)


def _rewrite(obj: griffe.Object) -> None:
    if obj.docstring is not None:
        obj.docstring.value = _ROLE.sub(_replace, obj.docstring.value)
