"""The ``beritanlp`` command line (thin: it only calls the library).

beritanlp analyze FILE|-  [--format json|pretty] [--tokens] [--title T] [--published D] [--url U]
beritanlp batch INPUT -o OUTPUT [--workers N] [--resume] [--no-tokens] …  (docs/batch.md)
beritanlp stats OUTPUT [--top N] [--json]
beritanlp serve [--host H] [--port P] [--workers N] [--max-queue N] …  (docs/server.md)
beritanlp --version

Any :class:`~beritanlp.errors.BeritaError` ends the command with one line on standard error,
``beritanlp: error: …``, and exit status 1 (no traceback); see docs/cli.md for the statuses.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ._version import __version__
from .errors import BeritaError

if TYPE_CHECKING:
    from .article import Article
    from .batch import BatchSummary

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
    _batch_parser(commands)
    _serve_parser(commands)
    return parser


def _serve_parser(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the pipeline over HTTP (needs the [server] extra)",
        description="An HTTP service: POST /v1/analyze, /v1/analyze/batch; GET /v1/schema, "
        "/healthz, /readyz, /metrics. See docs/server.md.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="default 127.0.0.1 (loopback only)")
    serve.add_argument("--port", type=int, default=8000, help="default 8000")
    serve.add_argument(
        "--workers", type=_positive, default=1, help="analysis worker processes (default 1)"
    )
    serve.add_argument(
        "--max-chars", type=_positive, default=1_000_000, help="longest text (default 1,000,000)"
    )
    serve.add_argument(
        "--max-batch", type=_positive, default=64, help="most items in one batch (default 64)"
    )
    serve.add_argument(
        "--max-queue",
        type=_count,
        default=32,
        help="analysis requests waiting beyond --workers before 503 (default 32)",
    )
    serve.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="longest analysis of one article, else 504 (default 30; 0 = no limit)",
    )
    serve.add_argument(
        "--max-body",
        type=_positive,
        default=100,
        metavar="MB",
        help="largest request body in MiB, JSON or NDJSON (default 100)",
    )


def _positive(value: str) -> int:
    return _count(value, least=1)


def _count(value: str, least: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        number = least - 1
    if number < least:
        raise argparse.ArgumentTypeError(f"expected a whole number >= {least}, got {value!r}")
    return number


def _run_serve(args: argparse.Namespace) -> int:
    import logging

    try:
        from .server import LOG_FORMAT, ServerSettings, run
    except ImportError as exc:  # fastapi/uvicorn/prometheus-client missing
        return _error(f"{exc}; install the server extra: pip install 'beritanlp[server]'")
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    run(
        ServerSettings(
            host=args.host,
            port=args.port,
            workers=args.workers,
            max_chars=args.max_chars,
            max_batch=args.max_batch,
            max_queue=args.max_queue,
            timeout=args.timeout,
            max_body=args.max_body * 1024 * 1024,
        )
    )
    return 0


def _batch_parser(commands: argparse._SubParsersAction) -> None:
    from .batch import DEFAULT_RECORD_TIMEOUT  # no spaCy import: the parser stays quick

    batch = commands.add_parser(
        "batch",
        help="annotate an archive (JSONL/CSV/Parquet) into a resumable output directory",
        description="Annotate every record of INPUT into the directory OUTPUT (part files, "
        "_manifest.json, _errors.jsonl). See docs/batch.md.",
    )
    batch.add_argument("input", metavar="INPUT", help=".jsonl, .csv or .parquet (.gz ok)")
    batch.add_argument("-o", "--output", required=True, metavar="OUTPUT", help="a directory")
    batch.add_argument(
        "--format",
        choices=("jsonl", "parquet"),
        help="output format (default: parquet if OUTPUT ends in .parquet, else jsonl)",
    )
    batch.add_argument(
        "--input-format", choices=("jsonl", "csv", "parquet"), help="default: by extension"
    )
    for name in ("text", "id", "title", "published", "url"):
        batch.add_argument(
            f"--{name}-field", default=name, metavar="NAME", help=f"default: {name!r}"
        )
    batch.add_argument("--workers", type=int, default=1, help="processes (default 1)")
    batch.add_argument("--batch-size", type=int, default=64, help="docs per nlp.pipe batch")
    batch.add_argument(
        "--chunk-size", type=int, default=1000, help="input records per committed part file"
    )
    batch.add_argument("--limit", type=int, help="read at most N input records")
    batch.add_argument("--no-tokens", action="store_true", help="leave tokens out (smaller)")
    batch.add_argument("--max-length", type=int, help="longest text in characters (1,000,000)")
    batch.add_argument(
        "--record-timeout",
        type=_seconds,
        default=DEFAULT_RECORD_TIMEOUT,
        metavar="SECONDS",
        help=f"longest time for one record; over it, the record fails "
        f"(default {DEFAULT_RECORD_TIMEOUT:g}; 0 = no limit)",
    )
    batch.add_argument("--resume", action="store_true", help="continue an interrupted run")
    batch.add_argument("--force", action="store_true", help="replace an existing archive")
    batch.add_argument(
        "--allow-errors", action="store_true", help="exit 0 even when some records failed"
    )
    batch.add_argument("--quiet", action="store_true", help="no progress output")
    stats = commands.add_parser(
        "stats",
        help="summarise an annotated archive",
        description="Articles per topic and month, top entities per label, top datelines.",
    )
    stats.add_argument("archive", metavar="OUTPUT", help="a batch output directory or file")
    stats.add_argument("--top", type=int, default=10, help="how many entities/datelines")
    stats.add_argument("--json", action="store_true", help="print the summary as JSON")


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):  # also NaN
        raise argparse.ArgumentTypeError(
            f"expected a finite number of seconds >= 0 (0 = no limit), got {value!r}"
        )
    return seconds


def _error(message: object) -> int:
    """Print ``beritanlp: error: <message>`` as one line on standard error; exit status 1."""
    text = " ".join(str(message).split())
    print(f"beritanlp: error: {text}", file=sys.stderr)
    return 1


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: stops a batch run the way Ctrl-C does."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated()


class _Progress:
    """A carriage-return progress line on a terminal; a log line every 30 s otherwise."""

    def __init__(self, total: int | None, stream: TextIO, tty: bool) -> None:
        self.total, self.stream, self.tty = total, stream, tty
        self.last = 0.0
        self.every = 0.5 if tty else 30.0
        self.start: tuple[float, int] | None = None

    def __call__(self, summary: BatchSummary, *, final: bool = False) -> None:
        now = time.monotonic()
        if self.start is None:  # rate and ETA from the first result on (after loading)
            self.start, self.last = (now, summary.read), now
        if not final and now - self.last < self.every:
            return
        self.last = now
        seconds = now - self.start[0]
        rate = (summary.read - self.start[1]) / seconds if seconds > 0 else 0.0
        parts = [f"{summary.read:,}"]
        if self.total:
            parts[0] += f"/{self.total:,} ({100 * summary.read / self.total:.1f}%)"
        parts.append(f"{rate:.1f} articles/s")
        if self.total and rate > 0 and summary.read < self.total:
            eta = int((self.total - summary.read) / rate)
            parts.append(f"ETA {eta // 3600:d}:{eta % 3600 // 60:02d}:{eta % 60:02d}")
        parts.append(f"{summary.failed:,} failed")
        line = "  ".join(parts)
        if self.tty:
            self.stream.write(f"\r{line}\x1b[K" + ("\n" if final else ""))
        else:
            self.stream.write(f"beritanlp batch: {line}\n")
        self.stream.flush()


def _run_batch(args: argparse.Namespace) -> int:
    from .batch import FieldMap, annotate_file, count_records
    from .inputs import DEFAULT_MAX_LENGTH

    fields = FieldMap(
        args.id_field, args.text_field, args.title_field, args.published_field, args.url_field
    )
    progress = None
    if not args.quiet:
        tty = sys.stderr.isatty()
        try:
            total: int | None = count_records(args.input, args.input_format)
        except (OSError, BeritaError):
            total = None  # the run itself reports what is wrong with the input
        if total is not None and args.limit is not None:
            total = min(total, args.limit)
        progress = _Progress(total, sys.stderr, tty)
    # SIGTERM (kill, systemd, docker stop) stops the run as Ctrl-C does: the handler raises in
    # the main thread, annotate_file stops and reaps its workers, committed chunks stay
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        summary = annotate_file(
            args.input,
            args.output,
            fmt=args.format,
            input_fmt=args.input_format,
            fields=fields,
            n_process=args.workers,
            batch_size=args.batch_size,
            chunk_size=args.chunk_size,
            limit=args.limit,
            tokens=not args.no_tokens,
            max_length=args.max_length or DEFAULT_MAX_LENGTH,
            resume=args.resume,
            force=args.force,
            progress=progress,
            record_timeout=args.record_timeout or None,
        )
    except _Terminated:
        print(
            "\nberitanlp: terminated (SIGTERM); committed chunks are kept: rerun with --resume",
            file=sys.stderr,
        )
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print(
            "\nberitanlp: interrupted; committed chunks are kept: rerun with --resume",
            file=sys.stderr,
        )
        return 130
    except (BeritaError, OSError) as exc:
        return _error(exc)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if progress is not None and summary.read:
        progress(summary, final=True)
    noted = ""
    if summary.warnings:
        kinds = ", ".join(
            f"{count:,} {_WARNING_NAMES.get(kind, kind)}"
            for kind, count in sorted(summary.warning_counts.items())
        )
        noted = f", warnings {summary.warnings:,} ({kinds})"
    print(
        f"beritanlp batch: read {summary.read:,}, written {summary.written:,}, "
        f"failed {summary.failed:,}{noted} (this run: "
        f"{summary.read - summary.resumed_from:,} records in {summary.elapsed:.1f} s) "
        f"-> {summary.output}"
        + (f"; errors in {summary.errors_path}" if summary.failed else "")
        + (f"; warnings in {summary.warnings_path}" if summary.warnings else ""),
        file=sys.stderr,
    )
    return 1 if summary.failed and not args.allow_errors else 0


_WARNING_NAMES = {"DuplicateId": "duplicate id", "UnparsedPublished": "unparsed published"}


def _run_stats(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .batch import archive_stats, read_archive, stats_columns

    path = Path(args.archive)
    if not path.exists():
        return _error(f"cannot read {path}: no such file or directory")
    try:
        stats = archive_stats(read_archive(path, columns=stats_columns()), top=args.top)
    except (BeritaError, OSError, ValueError) as exc:
        return _error(f"cannot read {path}: {exc}")
    out = sys.stdout
    if args.json:
        out.write(json.dumps(stats, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(f"articles   {stats['articles']:,}\n")
    out.write("\ntopics\n")
    for label, count in stats["topics"].items():
        out.write(f"  {label or '(none)':<24} {count:>9,}\n")
    out.write("\nmonths (published)\n")
    for month, count in stats["months"].items():
        out.write(f"  {month or '(unknown)':<24} {count:>9,}\n")
    out.write("\nentities\n")
    if not stats["entities"]:
        out.write("  (none)\n")
    for label, top in stats["entities"].items():
        out.write(f"  {label}: " + ", ".join(f"{name} ({n:,})" for name, n in top) + "\n")
    out.write("\ndatelines\n")
    if not stats["datelines"]:
        out.write("  (none)\n")
    for place, count in stats["datelines"]:
        out.write(f"  {place:<24} {count:>9,}\n")
    return 0


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
        for date in article.dates:
            out.write(f"  {date.text!r} → {date.value}\n")
    if article.quotes:
        out.write(f"\nquotes ({len(article.quotes)})\n")
        for q in article.quotes:
            out.write(f"  {q.speaker or '?'} ({q.cue}, {q.kind}): {clip(q.text, 80)!r}\n")
    if article.keywords:
        out.write("\nkeywords  " + ", ".join(k.text for k in article.keywords) + "\n")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BeritaError as exc:  # anything the subcommands did not report themselves
        return _error(exc)
    except BrokenPipeError:
        # the reader went away (`beritanlp analyze x.txt | head`): stop quietly, like coreutils
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    if args.command == "batch":
        return _run_batch(args)
    if args.command == "stats":
        return _run_stats(args)
    if args.command == "serve":
        return _run_serve(args)
    from .api import analyze

    try:
        data = _read(args.file)
        article = analyze(data, title=args.title, published=args.published, url=args.url)
    except BeritaError as exc:
        return _error(exc)
    except OSError as exc:
        return _error(f"cannot read {args.file}: {exc.strerror or exc}")
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
