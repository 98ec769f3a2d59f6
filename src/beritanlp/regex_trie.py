"""One helper for large word lists in regular expressions: :func:`trie`.

An alternation of hundreds of words (place names, month and holiday names) is tried word by
word; the same words as a trie cost one comparison per branch point. Hand-written: it is short,
and no maintained package builds tries for Python's ``re`` with per-character rewriting (the
dateline patterns write a scraped ``.`` as ``.``, ``,`` or a space).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["trie"]


def trie(words: Iterable[str], emit: Callable[[str], str] = re.escape) -> str:
    """A regular expression matching any of ``words`` (``""`` for none), shaped as a trie; a
    longer word is tried before its prefix. ``emit`` writes one character as a pattern."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [emit(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)
