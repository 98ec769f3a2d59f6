"""Visual output for notebooks: the article as HTML, and a bridge to spaCy's displaCy.

* :func:`article_html` — what ``Article._repr_html_`` shows in Jupyter: a header with the title,
  dateline, publication date, topic with its score and the keywords; a legend; then the text
  section by section (caption, lead and dateline shaded, boilerplate greyed out) with entities
  highlighted by label and date expressions underlined (hover for canonical name, role and ISO
  value). Inline styles only, so the markup survives notebook sanitisers and exported HTML.
* :func:`displacy` — the same entities (and, with ``style="span"``, the dates) rendered by
  ``spacy.displacy``, for users who want displaCy's look or its ``page=True`` export.
"""

from __future__ import annotations

import bisect
import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .article import Article

__all__ = ["ENTITY_COLORS", "article_html", "displacy"]

#: Entity colours, displaCy's palette (LOC takes displaCy's GPE colour: our LOC includes GPE).
ENTITY_COLORS: dict[str, str] = {"PER": "#aa9cfc", "LOC": "#feca74", "ORG": "#7aecec"}
DATE_COLOR = "#0f7b6c"
_FALLBACK_COLOR = "#ddd"

# kind -> (block style, legend swatch style, legend name)
_SECTIONS: dict[str, tuple[str, str]] = {
    "title": ("font-weight:650;font-size:1.25em;line-height:1.35;padding-left:0", "Title"),
    "caption": ("font-style:italic;background:#eaf2fb;border-left:3px solid #6fa8dc", "Caption"),
    "lead": ("background:#f7f3e3;border-left:3px solid #d8c37a", "Lead"),
    "dateline": ("font-weight:600;background:#fff4d6;border-left:3px solid #e0b341", "Dateline"),
    "body": ("border-left:3px solid transparent", "Body"),
    "boilerplate": (
        "color:#8a9099;background:#f3f4f6;border-left:3px solid #c9ced6",
        "Boilerplate",
    ),
}
_UNKNOWN_SECTION = ("border-left:3px dashed #c9ced6", "Unlabelled")

_BOX = (
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;'
    "color:#1f2328;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;"
    "padding:14px 18px;max-width:960px;line-height:1.6;font-size:14px"
)
_META = "color:#57606a;font-size:0.9em;margin:2px 0"
_CHIP = (
    "display:inline-block;border:1px solid #d0d7de;border-radius:10px;padding:0 7px;"
    "margin:0 4px 4px 0;font-size:0.85em;background:#f6f8fa"
)
_TAG = (
    "float:right;font-size:0.68em;letter-spacing:0.06em;color:#6e7781;font-style:normal;"
    "font-weight:600;text-transform:uppercase;margin-left:8px"
)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _entity_mark(text: str, label: str, tooltip: str, faded: bool) -> str:
    color = ENTITY_COLORS.get(label, _FALLBACK_COLOR)
    opacity = "opacity:0.6;" if faded else ""
    return (
        f"<mark title='{_esc(tooltip)}' style='background:{color};{opacity}color:#1f2328;"
        "padding:0.05em 0.3em;border-radius:0.3em;line-height:1.9;"
        "box-decoration-break:clone;-webkit-box-decoration-break:clone'>"
        f"{_esc(text)}<span style='font-size:0.62em;font-weight:700;margin-left:0.35em;"
        f"vertical-align:middle;letter-spacing:0.02em'>{_esc(label)}</span></mark>"
    )


def _date_mark(text: str, tooltip: str, faded: bool) -> str:
    opacity = "opacity:0.6;" if faded else ""
    return (
        f"<span title='{_esc(tooltip)}' style='border-bottom:2px dotted {DATE_COLOR};"
        f"{opacity}color:{DATE_COLOR}'>{_esc(text)}</span>"
    )


def _marks(article: Article) -> list[tuple[int, int, str, str, str]]:
    """``(start, end, kind, label, tooltip)`` for entities and dates, sorted by start (an entity
    before a date at the same offset); overlaps are resolved where they are drawn."""
    items: list[tuple[int, int, str, str, str]] = []
    for ent in article.entities:
        tip = f"{ent.label}: {ent.canonical}"
        if ent.role:
            tip += f" — {ent.role}"
        items.append((ent.start, ent.end, "ent", ent.label, tip))
    for date in article.dates:
        tip = f"{date.value or '?'}"
        if date.granularity:
            tip += f" ({date.granularity})"
        items.append((date.start, date.end, "date", "DATE", tip))
    items.sort(key=lambda m: (m[0], m[2] != "ent", -m[1]))
    return items


def _render_span(
    text: str, start: int, end: int, marks: list[tuple[int, int, str, str, str]], faded: bool
) -> str:
    """The text of ``[start, end)`` with the marks that lie wholly inside it; a mark that
    overlaps one already drawn is left out."""
    out: list[str] = []
    pos = start
    first = bisect.bisect_left(marks, (start,))
    for m_start, m_end, kind, label, tip in marks[first:]:
        if m_start >= end:
            break
        if m_start < pos or m_end > end:
            continue
        out.append(_esc(text[pos:m_start]))
        piece = text[m_start:m_end]
        out.append(
            _entity_mark(piece, label, tip, faded)
            if kind == "ent"
            else _date_mark(piece, tip, faded)
        )
        pos = m_end
    out.append(_esc(text[pos:end]))
    return "".join(out)


def _header(article: Article) -> str:
    parts: list[str] = []
    # the text's own title line is drawn as the first block: no second copy above it
    in_text = any(s.kind == "title" for s in article.sections)
    title = article.title or "(no title)"
    if not in_text:
        parts.append(
            f"<div style='font-size:1.25em;font-weight:650;margin-bottom:4px'>{_esc(title)}</div>"
        )
    meta: list[str] = []
    if article.dateline is not None:
        place = article.dateline.place or "?"
        source = f" ({article.dateline.source})" if article.dateline.source else ""
        meta.append(f"<b>Dateline</b> {_esc(place)}{_esc(source)}")
    if article.published:
        how = f" <i>({_esc(article.published_source)})</i>" if article.published_source else ""
        meta.append(f"<b>Published</b> {_esc(article.published)}{how}")
    if article.topic is not None:
        topic = article.topic
        if topic.label is not None:
            meta.append(f"<b>Topic</b> {_esc(topic.label)} <i>({topic.score:.2f})</i>")
        elif topic.scores:
            best = max(topic.scores, key=topic.scores.__getitem__)
            meta.append(
                f"<b>Topic</b> none above the threshold <i>(best {_esc(best)} "
                f"{topic.scores[best]:.2f})</i>"
            )
    counts = f"{len(article.entities)} entities, {len(article.dates)} dates"
    meta.append(f"{len(article.sentences)} sentences, {len(article.tokens)} tokens, {counts}")
    parts.append(f"<div style='{_META}'>" + " &nbsp;·&nbsp; ".join(meta) + "</div>")
    if article.keywords:
        chips = "".join(
            f"<span title='score {k.score:.3f}' style='{_CHIP}'>{_esc(k.text)}</span>"
            for k in article.keywords[:12]
        )
        parts.append(f"<div style='margin:6px 0 2px'><b style='{_META}'>Keywords</b> {chips}</div>")
    if article.quotes:
        rows = "".join(
            f"<li><b>{_esc(q.speaker or '?')}</b> <i style='color:#57606a'>({_esc(q.cue)})</i> "
            f"{_esc(_clip(q.text, 140))}</li>"
            for q in article.quotes[:6]
        )
        more = len(article.quotes) - 6
        tail = f"<li style='color:#57606a'>… {more} more</li>" if more > 0 else ""
        parts.append(
            f"<div style='margin:4px 0 2px;font-size:0.9em'><b style='{_META}'>Quotes</b>"
            f"<ul style='margin:2px 0 0 0;padding-left:20px'>{rows}{tail}</ul></div>"
        )
    return "".join(parts)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _legend(article: Article) -> str:
    swatches = [
        f"<span style='margin-right:10px'><mark style='background:{color};padding:0 0.3em;"
        f"border-radius:0.3em;color:#1f2328'>{label}</mark></span>"
        for label, color in ENTITY_COLORS.items()
    ]
    swatches.append(
        f"<span style='margin-right:14px;border-bottom:2px dotted {DATE_COLOR};color:{DATE_COLOR}'>"
        "date</span>"
    )
    present = {s.kind for s in article.sections}
    for kind in ("caption", "lead", "dateline", "boilerplate"):
        if kind in present:
            style, name = _SECTIONS[kind]
            swatches.append(
                f"<span style='{style};padding:0 6px;margin-right:8px;font-size:0.9em'>"
                f"{name}</span>"
            )
    return (
        "<div style='margin:8px 0 10px;padding-bottom:8px;border-bottom:1px solid #eaeef2;"
        f"font-size:0.88em'>{''.join(swatches)}</div>"
    )


def article_html(article: Article, *, page: bool = False) -> str:
    """The article as an HTML fragment (or a full page with ``page=True``, e.g. to save or to
    screenshot). Entities are highlighted by label, dates underlined, sections shaded, and
    boilerplate greyed out; all text is escaped."""
    text = article.text
    marks = _marks(article)
    blocks: list[str] = []
    cursor = 0
    for section in sorted(article.sections, key=lambda s: s.start):
        if section.start > cursor and text[cursor : section.start].strip():
            blocks.append(_block(text, cursor, section.start, None, marks))
        blocks.append(_block(text, section.start, section.end, section.kind, marks))
        cursor = max(cursor, section.end)
    if text[cursor:].strip():
        blocks.append(_block(text, cursor, len(text), None, marks))
    # the text's title line (when it is the first block) goes above the header
    top = [blocks.pop(0)] if blocks and blocks[0].startswith("<div data-section='title'") else []
    body = (
        f"<div class='beritanlp-article' style='{_BOX}'>"
        + "".join(top)
        + _header(article)
        + _legend(article)
        + "".join(blocks)
        + "</div>"
    )
    if not page:
        return body
    title = _esc(article.title or "beritanlp article")
    return (
        "<!DOCTYPE html><html lang='id'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body style='margin:16px;background:#ffffff'>"
        f"{body}</body></html>"
    )


def _block(
    text: str, start: int, end: int, kind: str | None, marks: list[tuple[int, int, str, str, str]]
) -> str:
    # trim the whitespace around a section so blocks do not show blank lines (offsets in the
    # Article stay untouched: this is only what is drawn)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    style, name = _SECTIONS.get(kind, _UNKNOWN_SECTION) if kind else _UNKNOWN_SECTION
    tag = "" if kind in ("body", "title") else f"<span style='{_TAG}'>{_esc(name)}</span>"
    inner = _render_span(text, start, end, marks, faded=kind == "boilerplate")
    return (
        f"<div data-section='{_esc(kind or 'none')}' style='white-space:pre-wrap;"
        f"margin:3px 0;padding:3px 10px;border-radius:3px;{style}'>{tag}{inner}</div>"
    )


def displacy(
    article: Article,
    style: str = "ent",
    *,
    jupyter: bool | None = None,
    page: bool = False,
    options: dict[str, Any] | None = None,
) -> str | None:
    """Render ``article`` with spaCy's displaCy (``manual=True`` data, so no ``Doc`` needed).

    ``style="ent"``: the entities, in displaCy's entity view. ``style="span"``: entities and
    date expressions as spans over the article's tokens. ``jupyter``/``page``/``options`` are
    passed to ``spacy.displacy.render`` (the entity colours are preset; ``options["colors"]``
    overrides them). Returns the HTML, or ``None`` when displaCy displays it in Jupyter.
    """
    from spacy import displacy as spacy_displacy

    from .errors import ConfigError

    opts: dict[str, Any] = dict(options or {})
    opts["colors"] = {**ENTITY_COLORS, "DATE": DATE_COLOR + "55", **opts.get("colors", {})}
    if style == "ent":
        data: dict[str, Any] = {
            "text": article.text,
            "ents": [
                {"start": e.start, "end": e.end, "label": e.label}
                for e in sorted(article.entities, key=lambda e: e.start)
            ],
            "title": article.title,
        }
    elif style == "span":
        starts = [t.start for t in article.tokens]
        ends = [t.end for t in article.tokens]
        spans = []
        for start, end, _kind, label, _tip in _marks(article):
            first = bisect.bisect_left(starts, start)
            last = bisect.bisect_left(ends, end)  # index of the token ending at ``end``
            if first < len(starts) and last < len(ends) and first <= last:
                spans.append({"start_token": first, "end_token": last + 1, "label": label})
        data = {
            "text": article.text,
            "tokens": [t.text for t in article.tokens],
            "spans": spans,
            "title": article.title,
        }
    else:
        raise ConfigError(f"displacy() style must be 'ent' or 'span', got {style!r}")
    rendered = spacy_displacy.render(
        data, style=style, manual=True, jupyter=jupyter, page=page, options=opts
    )
    return rendered if isinstance(rendered, str) else None
