"""The ``beritanlp`` command line (thin: it only calls the library).

beritanlp analyze FILE|-  [--format json|pretty] [--tokens] [--title T] [--published D] [--url U]
beritanlp --version
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ._version import __version__
from .errors import BeritaError

if TYPE_CHECKING:
    from .article import Article

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="beritanlp", description="Annotate raw Indonesian news text."
    )
    parser.add_argument("--version", action="version", version=f"beritanlp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    analyze = commands.add_parser(
        "analyze", help="annotate one article and print it", description="Annotate one article."
    )
    analyze.add_argument("file", metavar="FILE", help="a UTF-8 text file, or - for standard input")
    analyze.add_argument(
        "--format",
        choices=("json", "pretty"),
        default="json",
        help="json (the schema in docs/schema.md, default) or a readable summary",
    )
    analyze.add_argument("--tokens", action="store_true", help="include tokens in the JSON")
    analyze.add_argument("--no-text", action="store_true", help="leave the input text out")
    analyze.add_argument("--title", help="the headline, when FILE holds only the body")
    analyze.add_argument("--published", help="publication date or datetime, ISO 8601")
    analyze.add_argument("--url", help="the article's URL (kept in the output)")
    analyze.add_argument(
        "--indent", type=int, default=2, help="JSON indent (default 2; 0 = one line)"
    )
    return parser


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


def _pretty(article: Article, out: TextIO) -> None:
    def clip(text: str, width: int = 100) -> str:
        text = " ".join(text.split())
        return text if len(text) <= width else text[: width - 1] + "…"

    out.write(f"title      {article.title or '—'}  ({article.title_source or 'none'})\n")
    if article.caption:
        out.write(f"caption    {clip(article.caption)}\n")
    if article.lead:
        out.write(f"lead       {clip(article.lead)}\n")
    if article.dateline:
        d = article.dateline
        out.write(f"dateline   {d.text!r}  place={d.place} source={d.source} date={d.date}\n")
    if article.published:
        out.write(f"published  {article.published} ({article.published_source})\n")
    if article.topic:
        out.write(f"topic      {article.topic.label} ({article.topic.score:.2f})\n")
    out.write(f"\nsections ({len(article.sections)})\n")
    for s in article.sections:
        out.write(f"  {s.kind:<12} {s.start:>6}-{s.end:<6} {clip(s.text, 70)}\n")
    out.write(f"\nsentences ({len(article.sentences)})\n")
    for number, sent in enumerate(article.sentences, 1):
        out.write(f"  {number:>3} [{sent.section or '-'}] {clip(sent.text, 90)}\n")
    stems = [(t.text, t.stem) for t in article.tokens if t.stem and t.stem != t.text.lower()]
    if stems:
        shown = ", ".join(f"{text}→{stem}" for text, stem in stems[:25])
        out.write(f"\nstems (changed, first 25 of {len(stems)})\n  {shown}\n")
    if article.entities:
        out.write(f"\nentities ({len(article.entities)})\n")
        for e in article.entities:
            out.write(f"  {e.label:<4} {e.text!r} → {e.canonical!r} [{e.section}]\n")
    if article.dates:
        out.write(f"\ndates ({len(article.dates)})\n")
        for d in article.dates:
            out.write(f"  {d.text!r} → {d.value}\n")
    if article.keywords:
        out.write("\nkeywords  " + ", ".join(k.text for k in article.keywords) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    from .api import analyze

    try:
        data = _read(args.file)
        article = analyze(data, title=args.title, published=args.published, url=args.url)
    except OSError as exc:
        print(f"beritanlp: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except BeritaError as exc:
        print(f"beritanlp: {exc}", file=sys.stderr)
        return 1
    if args.format == "pretty":
        _pretty(article, sys.stdout)
    else:
        sys.stdout.write(
            article.to_json(tokens=args.tokens, text=not args.no_text, indent=args.indent or None)
        )
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
