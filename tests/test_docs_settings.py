"""docs/components.md shows every component's settings as generated from its settings
dataclass (name, default and the comment above the declaration): declared once, in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from beritanlp.components.base import (
    DOCS_BEGIN,
    DOCS_END,
    _settings_classes,
    setting_docs,
    settings_table,
    write_docs,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "components.md"
CLASSES = _settings_classes()


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_setting_is_described_where_it_is_declared(name: str) -> None:
    docs = setting_docs(CLASSES[name])
    assert docs and all(docs.values()), f"{name}: settings without a comment: " + str(
        [key for key, text in docs.items() if not text]
    )


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_docs_hold_the_generated_settings_table(name: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    begin = DOCS_BEGIN.format(name=name)
    assert begin in text, f"docs/components.md has no generated settings table for {name}"
    start = text.index(begin) + len(begin)
    assert (
        text[start : text.index(DOCS_END, start)].strip() == settings_table(CLASSES[name]).strip()
    ), "run `python -m beritanlp.components.base --write`"


def test_write_docs_is_idempotent() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert write_docs(write_docs(text)) == write_docs(text)
