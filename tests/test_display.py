"""beritanlp.display: the notebook HTML view and the displaCy bridge."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

import beritanlp
from beritanlp.article import Article, DateExpression, Entity, Section, Topic
from beritanlp.display import ENTITY_COLORS, article_html, displacy
from beritanlp.errors import BeritaError


@pytest.fixture(scope="module")
def seed_article(seed_text: str) -> Article:
    return beritanlp.analyze(seed_text, published="2023-05-04")


class _Checker(HTMLParser):
    """Collects the text and checks that every opened tag is closed in order."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == []
    return checker


def test_display_html_is_well_formed_and_keeps_every_word(seed_article: Article) -> None:
    markup = article_html(seed_article)
    _parse(markup)
    # drop the drawn extras (entity labels, section tags) and check that each section's text is
    # shown whole
    bare = re.sub(r"<span style='(font-size:0.62em|float:right)[^']*'>[^<]*</span>", "", markup)
    shown = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", bare)))
    for section in seed_article.sections:
        assert re.sub(r"\s+", "", section.text) in shown


def test_display_html_marks_entities_by_label(seed_article: Article) -> None:
    markup = article_html(seed_article)
    for label, color in ENTITY_COLORS.items():
        assert f"background:{color}" in markup, label
    assert "title='PER: Sergei Lavrov — Menteri Luar Negeri Rusia'" in markup
    assert "title='2023-05-04 (day)'" in markup  # Kamis (4/5)


def test_display_html_header_shows_dateline_topic_keywords(seed_article: Article) -> None:
    markup = article_html(seed_article)
    assert "<b>Dateline</b> Goa, India (Xinhua)" in markup
    assert "<b>Published</b> 2023-05-04" in markup
    assert "<b>Topic</b> internasional" in markup
    assert ">kerja sama</span>" in markup  # a keyword chip
    assert ">Quotes</b>" in markup and "<li><b>Sergei Lavrov</b>" in markup


def test_display_html_greys_boilerplate_and_shades_sections(seed_article: Article) -> None:
    markup = article_html(seed_article)
    for kind in ("caption", "lead", "dateline", "body", "boilerplate"):
        assert f"data-section='{kind}'" in markup
    boilerplate = markup.split("data-section='boilerplate'")[1]
    assert "color:#8a9099" in boilerplate.split(">")[0]


def test_display_html_escapes_text_and_attributes() -> None:
    text = "A <script>x</script> 'q' & \"d\""
    article = Article(
        text=text,
        sections=(Section("body", 0, len(text), text),),
        entities=(Entity("A", "ORG", 0, 1, "<A'>", "body", "r'&"),),
        topic=Topic(None, 0.2, {"politik": 0.2}),
    )
    markup = article_html(article)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "title='ORG: &lt;A&#x27;&gt; — r&#x27;&amp;'" in markup
    assert "none above the threshold" in markup
    _parse(markup)


def test_display_html_page_and_empty_article() -> None:
    page = article_html(Article(text=""), page=True)
    assert page.startswith("<!DOCTYPE html>") and "(no title)" in page
    _parse(page.replace("<!DOCTYPE html>", ""))


def test_display_html_skips_overlapping_and_straddling_marks() -> None:
    text = "Presiden Joko Widodo tiba Kamis."
    article = Article(
        text=text,
        sections=(Section("title", 0, 13, text[:13]), Section("body", 14, len(text), text[14:])),
        entities=(
            Entity("Joko Widodo", "PER", 9, 20, "Joko Widodo"),  # straddles two sections
            Entity("Widodo", "PER", 14, 20, "Joko Widodo"),
        ),
        dates=(DateExpression("Widodo tiba", 14, 25, None), DateExpression("Kamis", 26, 31, "x")),
    )
    markup = article_html(article)
    assert markup.count("<mark title=") == 1  # Widodo; the straddling entity is drawn as plain text
    assert markup.count("border-bottom:2px dotted") == 2  # legend + Kamis (overlap dropped)
    _parse(markup)


@pytest.mark.parametrize("style", ["ent", "span"])
def test_display_displacy_renders_entities(seed_article: Article, style: str) -> None:
    markup = displacy(seed_article, style=style, jupyter=False)
    assert markup is not None
    assert "Lavrov" in markup and ENTITY_COLORS["PER"] in markup


def test_display_displacy_span_style_covers_dates(seed_article: Article) -> None:
    markup = displacy(seed_article, style="span", jupyter=False)
    assert markup is not None and "DATE" in markup


def test_display_displacy_rejects_unknown_style(seed_article: Article) -> None:
    with pytest.raises(BeritaError, match="style must be"):
        displacy(seed_article, style="dep")


def test_display_repr_html_uses_article_html(seed_article: Article) -> None:
    assert seed_article._repr_html_() == article_html(seed_article)
