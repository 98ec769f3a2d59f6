"""Batch annotation of article archives: :func:`analyze_many`, file input, resumable output.

Three layers, each usable on its own:

* :func:`analyze_many` — the public batch API. Items (texts or mappings with ``id``, ``text`` and
  optional ``title``/``published``/``url``) go in; one :class:`Result` per item comes out, in
  input order, tagged with its id. Items are validated in the calling process; only valid docs
  enter ``nlp.pipe`` (and spaCy's multiprocessing). A record that fails gives an error result
  instead of stopping the run (``on_error="record"``, the default).
* :func:`iter_input` — reads JSON Lines, CSV or Parquet (``.gz`` for the text formats) into
  items, turning malformed records (not JSON, no text field) into :class:`Rejected` items.
* :func:`annotate_file` — the engine of ``beritanlp batch``: an output directory of numbered part
  files committed chunk by chunk (write to a temporary name, fsync, rename, then the manifest),
  so a run killed at any moment resumes with no record lost and none duplicated.

The Parquet layout is :func:`arrow_schema` (one place; documented in ``docs/batch.md``).
pyarrow is imported only when Parquet is read or written.
"""

from __future__ import annotations

import contextvars
import csv
import gzip
import io
import json
import logging
import os
import re
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .api import DEFAULT_MAX_LENGTH, _context, _make_doc, load, prepare_text
from .errors import BatchWorkerError, ConfigError

if TYPE_CHECKING:
    import pyarrow as pa
    from spacy.language import Language
    from spacy.tokens import Doc

    from .article import Article

__all__ = [
    "ARCHIVE_FORMATS",
    "INPUT_FORMATS",
    "BatchSummary",
    "BatchWorkerError",
    "ErrorInfo",
    "FieldMap",
    "InputRecord",
    "Rejected",
    "Result",
    "analyze_many",
    "annotate_file",
    "archive_stats",
    "arrow_schema",
    "count_records",
    "input_format",
    "iter_input",
    "output_format",
    "read_archive",
    "require",
    "stats_columns",
    "to_arrow",
]

logger = logging.getLogger(__name__)

OnError = Literal["record", "raise"]

#: Input formats :func:`iter_input` reads (``.gz`` allowed for the text formats).
INPUT_FORMATS = ("jsonl", "csv", "parquet")
#: Output formats of :func:`annotate_file`.
ARCHIVE_FORMATS = ("jsonl", "parquet")

MANIFEST = "_manifest.json"
ERRORS = "_errors.jsonl"
_MANIFEST_VERSION = 1
_PART_RE = re.compile(r"^part-(\d+)\.(jsonl|parquet)$")


# ----------------------------------------------------------------------------------------------
# optional dependencies
# ----------------------------------------------------------------------------------------------
_EXTRA_OF = {"pyarrow": "parquet", "pandas": "pandas", "dask": "dask", "distributed": "dask"}


def require(module: str) -> Any:
    """Import an optional dependency, or fail with the ``pip install`` line that provides it."""
    from importlib import import_module

    try:
        return import_module(module)
    except ImportError as exc:
        extra = _EXTRA_OF.get(module.split(".")[0], "parquet")
        raise ConfigError(
            f"{module} is needed for this (it is an optional dependency): "
            f'pip install "beritanlp[{extra}]"'
        ) from exc


# ----------------------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """Why a record failed: the exception's class name and message."""

    error_type: str
    message: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> ErrorInfo:
        return cls(type(exc).__name__, str(exc))


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome for one input item: an :class:`Article` or an :class:`ErrorInfo`."""

    id: Any
    article: Article | None = None
    error: ErrorInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self, *, tokens: bool = False, text: bool = True) -> dict[str, Any]:
        """``{"id", **article.to_dict()}``, or ``{"id", "error_type", "message"}``."""
        if self.article is None:
            error = self.error or ErrorInfo("UnknownError", "")
            return {"id": self.id, "error_type": error.error_type, "message": error.message}
        return {"id": self.id, **self.article.to_dict(tokens=tokens, text=text)}


@dataclass(frozen=True, slots=True)
class Rejected:
    """An item already known to be bad (e.g. a line that is not JSON). :func:`analyze_many`
    passes it through as an error result, in order, without touching the pipeline."""

    id: Any
    error_type: str
    message: str


@dataclass(slots=True)
class _Pending:
    index: int
    id: Any
    text: str = ""
    context: dict[str, str | None] = field(default_factory=dict)
    error: ErrorInfo | None = None
    exc: BaseException | None = None


# The pipeline's error handler records exceptions only while analyze_many is advancing nlp.pipe
# in this thread (a context variable); everywhere else it re-raises, which is spaCy's default, so
# installing it on the shared pipeline from load() does not change analyze() or nlp(text).
_error_sink: contextvars.ContextVar[list[tuple[str | None, BaseException]] | None] = (
    contextvars.ContextVar("beritanlp_batch_error_sink", default=None)
)


def _error_handler(name: str | None, proc: Any, docs: Any, exc: Exception) -> None:
    sink = _error_sink.get()
    if sink is None:
        raise exc
    sink.append((name, exc))


def _set_error_handlers(nlp: Language) -> None:
    """Install :func:`_error_handler` on every component that takes one. spaCy's parser-based
    components (``ner``) cannot store an error handler (an AttributeError in spaCy 3.8); their
    failures end the ``nlp.pipe`` stream instead, which :func:`_local` also handles."""
    nlp.default_error_handler = _error_handler
    for _, proc in nlp.pipeline:
        setter = getattr(proc, "set_error_handler", None)
        if setter is not None:
            try:
                setter(_error_handler)
            except AttributeError:
                pass


def _prepare(item: object, index: int, max_length: int) -> _Pending:
    if isinstance(item, Rejected):
        return _Pending(index, item.id, error=ErrorInfo(item.error_type, item.message))
    item_id: Any = item.get("id", index) if isinstance(item, Mapping) else index
    if item_id is None:
        item_id = index
    try:
        if isinstance(item, Mapping):
            if "text" not in item:
                raise ConfigError("the record has no 'text' field")
            text = prepare_text(item["text"], max_length=max_length)
            context = _context(item.get("title"), item.get("published"), item.get("url"))
        else:
            text = prepare_text(item, max_length=max_length)
            context = _context(None, None, None)
    except Exception as exc:
        return _Pending(index, item_id, error=ErrorInfo.from_exception(exc), exc=exc)
    return _Pending(index, item_id, text, context)


def analyze_many(
    items: Iterable[object],
    *,
    n_process: int = 1,
    batch_size: int = 64,
    on_error: OnError = "record",
    max_length: int = DEFAULT_MAX_LENGTH,
) -> Iterator[Result]:
    """Annotate many articles lazily; one :class:`Result` per item, in input order.

    ``items`` are texts (``str``/UTF-8 ``bytes``; their id is their 0-based index) or mappings
    with ``text`` and optional ``id`` (default: the index), ``title``, ``published``, ``url``;
    :class:`Rejected` items pass through as errors. The pipeline is :func:`beritanlp.load`'s,
    built once per process. ``n_process > 1`` runs a pool of worker processes, each taking whole
    batches (tokenising, running the pipeline and building the Articles); at most
    ``2 * n_process`` batches are in flight, so memory stays bounded on any input size.

    Validation (type, ``max_length``, ``published``) happens here, in the calling process: only
    valid docs reach ``nlp.pipe`` or a worker. An exception inside the pipeline is caught per
    record: spaCy drops the failing batch, and its records are re-run one by one, so only the
    bad one fails. With ``on_error="record"`` a failure is a result with ``error`` set; with
    ``"raise"`` the exception is raised when that record's turn comes.
    """
    _check(n_process, batch_size, on_error, max_length)
    return (payload for payload, _ in _stream(items, n_process, batch_size, on_error, max_length))


def _check(n_process: int, batch_size: int, on_error: str, max_length: int) -> None:
    if n_process < 1 or batch_size < 1:
        raise ConfigError("n_process and batch_size must be positive integers")
    if on_error not in ("record", "raise"):
        raise ConfigError(f"on_error must be 'record' or 'raise', got {on_error!r}")
    if max_length < 1:
        raise ConfigError(f"max_length must be positive, got {max_length}")


Encoder = Callable[[Result], Any]


def _stream(
    items: Iterable[object],
    n_process: int,
    batch_size: int,
    on_error: OnError,
    max_length: int,
    encode: Encoder | None = None,
) -> Iterator[tuple[Any, bool]]:
    """``(payload, failed)`` per item in order; payload is the Result, or ``encode(result)``
    (computed in the worker that made the result, so the parent only writes)."""
    nlp = load(max_length=max(max_length, DEFAULT_MAX_LENGTH))
    entries = (_prepare(item, index, max_length) for index, item in enumerate(items))
    if n_process == 1:
        for entry, result in _local(nlp, entries, batch_size):
            yield _out(entry, result, on_error, encode), result.error is not None
    else:
        yield from _pooled(entries, n_process, batch_size, on_error, max_length, encode)


def _out(entry: _Pending, result: Result, on_error: OnError, encode: Encoder | None) -> Any:
    if result.error is not None and on_error == "raise":
        if entry.exc is not None:
            raise entry.exc
        raise ConfigError(f"record {entry.id!r}: {result.error.error_type}: {result.error.message}")
    return encode(result) if encode is not None else result


def _local(
    nlp: Language, entries: Iterable[_Pending], batch_size: int
) -> Iterator[tuple[_Pending, Result]]:
    """Run the valid entries through ``nlp.pipe`` in this process; one result per entry."""
    from .article import Article

    pending: deque[_Pending] = deque()
    entries = iter(entries)

    def docs() -> Iterator[tuple[Doc, int]]:
        for entry in entries:
            pending.append(entry)
            if entry.error is None:
                yield _make_doc(nlp, entry.text, entry.context), entry.index

    def finish(entry: _Pending, doc: Doc | None) -> Result:
        if entry.error is None:
            try:
                if doc is None:  # dropped by the error handler: re-run alone, errors raise
                    doc = nlp(_make_doc(nlp, entry.text, entry.context))
                return Result(entry.id, Article.from_doc(doc))
            except Exception as exc:
                logger.debug("record %r failed in the pipeline: %r", entry.id, exc)
                entry.error, entry.exc = ErrorInfo.from_exception(exc), exc
        return Result(entry.id, None, entry.error)

    _set_error_handlers(nlp)
    sink: list[tuple[str | None, BaseException]] = []
    stream = iter(nlp.pipe(docs(), batch_size=batch_size, as_tuples=True))
    while True:
        token = _error_sink.set(sink)
        try:
            got = next(stream, None)
        except Exception as exc:
            # a component without an error handler (spaCy's ner) failed and ended the stream:
            # finish what is pending, then the rest, one record at a time
            logger.info("pipeline error (stream ended, records re-run one by one): %r", exc)
            for entry in (*pending, *entries):
                yield entry, finish(entry, None)
            pending.clear()
            return
        finally:
            _error_sink.reset(token)
        if sink:
            for name, exc in sink:
                logger.info("pipeline error in %s (batch re-run per record): %r", name, exc)
            sink.clear()
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


# -- the worker pool ---------------------------------------------------------------------------
def _init_worker(max_length: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    try:  # one BLAS thread per worker: the workers already fill the cores (the NER uses BLAS)
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - scikit-learn brings threadpoolctl
        pass
    load(max_length=max(max_length, DEFAULT_MAX_LENGTH))  # inherited when forked: no-op


def _picklable(exc: BaseException) -> BaseException:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _work(
    batch: list[tuple[int, Any, str, dict[str, str | None]]],
    batch_size: int,
    max_length: int,
    encode: Encoder | None,
    want_exc: bool,
) -> list[tuple[Any, bool, BaseException | None]]:
    """Worker task: annotate one batch of valid records."""
    nlp = load(max_length=max(max_length, DEFAULT_MAX_LENGTH))
    entries = [_Pending(index, item_id, text, context) for index, item_id, text, context in batch]
    out = []
    for entry, result in _local(nlp, entries, batch_size):
        exc = _picklable(entry.exc) if want_exc and entry.exc is not None else None
        payload = encode(result) if encode is not None else result
        out.append((payload, result.error is not None, exc))
    return out


def _pooled(
    entries: Iterable[_Pending],
    n_process: int,
    batch_size: int,
    on_error: OnError,
    max_length: int,
    encode: Encoder | None,
) -> Iterator[tuple[Any, bool]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from itertools import islice

    # fork: workers inherit the loaded pipeline (copy-on-write) instead of building it again
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pool = ProcessPoolExecutor(
        n_process, mp_context=context, initializer=_init_worker, initargs=(max_length,)
    )
    inflight: deque[tuple[list[_Pending], Any]] = deque()

    def drain() -> Iterator[tuple[Any, bool]]:
        batch, task = inflight.popleft()
        try:
            done = iter(task.result() if task is not None else ())
        except BrokenProcessPool as exc:
            raise BatchWorkerError(
                "a worker process died (killed, or out of memory?) while annotating records "
                f"{batch[0].id!r}…{batch[-1].id!r}; lower --workers/--batch-size and resume"
            ) from exc
        for entry in batch:
            if entry.error is not None:
                result = Result(entry.id, None, entry.error)
                yield _out(entry, result, on_error, encode), True
                continue
            payload, failed, exc = next(done)
            if failed and on_error == "raise":
                raise exc if exc is not None else ConfigError(f"record {entry.id!r} failed")
            yield payload, failed

    finished = False
    try:
        iterator = iter(entries)
        while batch := list(islice(iterator, batch_size)):
            good = [(e.index, e.id, e.text, e.context) for e in batch if e.error is None]
            for entry in batch:
                entry.text = ""  # the parent keeps only ids and errors in flight
            args = (good, batch_size, max_length, encode, on_error == "raise")
            inflight.append((batch, pool.submit(_work, *args) if good else None))
            if len(inflight) >= 2 * n_process:
                yield from drain()
        while inflight:
            yield from drain()
        finished = True
    finally:
        pool.shutdown(wait=finished, cancel_futures=True)


# ----------------------------------------------------------------------------------------------
# Arrow schema
# ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def arrow_schema() -> pa.Schema:
    """The fixed Arrow schema of Parquet archives: one row per article.

    Columns follow ``Article.to_dict()`` (schema 1.1) plus ``id`` first and ``tokens`` last
    (null when tokens were not requested). Offsets are int32, scores float64; spans are
    list<struct>, ``dateline`` and ``topic`` are structs (``topic.scores`` a map).
    """
    pa = require("pyarrow")
    from .article import SCHEMA_VERSION

    s, i, f = pa.string(), pa.int32(), pa.float64()

    def struct(*fields: tuple[str, Any]) -> Any:
        return pa.struct([pa.field(name, kind) for name, kind in fields])

    return pa.schema(
        [
            pa.field("id", s, nullable=False),
            ("schema_version", s),
            ("text", s),
            ("title", s),
            ("title_source", s),
            ("caption", s),
            ("lead", s),
            ("url", s),
            ("published", s),
            ("published_source", s),
            ("sections", pa.list_(struct(("kind", s), ("start", i), ("end", i)))),
            (
                "dateline",
                struct(
                    ("text", s), ("start", i), ("end", i), ("place", s), ("source", s), ("date", s)
                ),
            ),
            ("sentences", pa.list_(struct(("start", i), ("end", i), ("section", s)))),
            (
                "entities",
                pa.list_(
                    struct(
                        ("text", s),
                        ("label", s),
                        ("start", i),
                        ("end", i),
                        ("canonical", s),
                        ("section", s),
                        ("role", s),
                    )
                ),
            ),
            (
                "entity_summary",
                pa.list_(
                    struct(
                        ("canonical", s),
                        ("label", s),
                        ("mentions", i),
                        ("first_start", i),
                        ("roles", pa.list_(s)),
                    )
                ),
            ),
            (
                "dates",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("value", s),
                        ("granularity", s),
                        ("kind", s),
                    )
                ),
            ),
            ("topic", struct(("label", s), ("score", f), ("scores", pa.map_(s, f)))),
            ("keywords", pa.list_(struct(("text", s), ("score", f)))),
            (
                "quotes",
                pa.list_(
                    struct(
                        ("speaker", s),
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("cue", s),
                        ("kind", s),
                        ("speaker_start", i),
                        ("speaker_end", i),
                    )
                ),
            ),
            ("noun_phrases", pa.list_(struct(("text", s), ("start", i), ("end", i), ("root", s)))),
            (
                "tokens",
                pa.list_(
                    struct(
                        ("text", s),
                        ("start", i),
                        ("end", i),
                        ("stem", s),
                        ("is_stop", pa.bool_()),
                        # schema 1.1, only with the syntax layer (null otherwise)
                        ("pos", s),
                        ("tag", s),
                        ("morph", s),
                        ("lemma", s),
                        ("dep", s),
                        ("head", i),
                    )
                ),
            ),
        ],
        metadata={"beritanlp.schema_version": SCHEMA_VERSION},
    )


def to_arrow(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (``Result.to_dict()`` of good results, ``id`` as str) as a Table of
    :func:`arrow_schema`. Keys outside the schema are ignored; missing ones are null."""
    pa = require("pyarrow")
    return pa.Table.from_pylist(rows, schema=arrow_schema())


def _from_arrow_row(row: dict[str, Any]) -> dict[str, Any]:
    topic = row.get("topic")
    if topic is not None and isinstance(topic.get("scores"), list):
        topic["scores"] = dict(topic["scores"])
    if row.get("tokens") is None:
        row.pop("tokens", None)
    else:  # the syntax fields are written only when the syntax layer ran (Token.to_dict)
        for token in row["tokens"]:
            if token.get("pos") is None:
                for key in ("pos", "tag", "morph", "lemma", "dep", "head"):
                    token.pop(key, None)
    return row


# ----------------------------------------------------------------------------------------------
# input
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which input fields hold the id, text, title, publication date and URL."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    published: str = "published"
    url: str = "url"


@dataclass(frozen=True, slots=True)
class InputRecord:
    """One input record: its 0-based position, its line (JSONL/CSV; the 1-based row for
    Parquet) and the item for :func:`analyze_many` (a mapping, or :class:`Rejected`)."""

    position: int
    line: int
    item: Mapping[str, Any] | Rejected


def input_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The input format: ``fmt`` if given, else from the extension (``.gz`` stripped)."""
    if fmt:
        if fmt not in INPUT_FORMATS:
            raise ConfigError(f"input format must be one of {INPUT_FORMATS}, got {fmt!r}")
        return fmt
    name = str(path).lower().removesuffix(".gz")
    for suffix, kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "jsonl")):
        if name.endswith(suffix):
            return kind
    if name.endswith((".csv", ".tsv")):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    raise ConfigError(
        f"cannot tell the format of {path} from its extension "
        f"(.jsonl, .csv, .parquet, optionally .gz); pass the format explicitly"
    )


def _open_text(path: Path) -> io.TextIOBase:
    if str(path).lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")  # type: ignore[return-value]
    return open(path, encoding="utf-8", newline="")  # type: ignore[return-value]


def _item(record: Mapping[str, Any], fields: FieldMap, position: int) -> dict[str, Any] | Rejected:
    raw_id = record.get(fields.id)
    item_id = str(position) if raw_id is None or raw_id == "" else str(raw_id)
    if fields.text not in record:
        return Rejected(item_id, "MissingField", f"the record has no {fields.text!r} field")
    return {
        "id": item_id,
        "text": record[fields.text],
        "title": record.get(fields.title) or None,
        "published": record.get(fields.published) or None,
        "url": record.get(fields.url) or None,
    }


def iter_input(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    fields: FieldMap = FieldMap(),
    skip: int = 0,
) -> Iterator[InputRecord]:
    """Read an input file as :class:`InputRecord` s, in order; ``skip`` leaves out the first
    records (cheaply: skipped JSON lines are not parsed). Ids are the id field as a string, or
    the record's 0-based position when the field is missing or empty. Blank JSONL lines are not
    records. A line that is not a JSON object, or a record without the text field, becomes a
    :class:`Rejected` item (with its line number) so the run goes on."""
    path = Path(path)
    kind = input_format(path, fmt)
    if kind == "jsonl":
        yield from _iter_jsonl(path, fields, skip)
    elif kind == "csv":
        yield from _iter_csv(path, fields, skip)
    else:
        yield from _iter_parquet(path, fields, skip)


def _iter_jsonl(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    position = 0
    with _open_text(path) as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            if position < skip:
                position += 1
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                item: Mapping[str, Any] | Rejected = Rejected(
                    str(position), "InvalidJSON", f"line {line_no} is not JSON: {exc}"
                )
            else:
                if isinstance(record, Mapping):
                    item = _item(record, fields, position)
                else:
                    item = Rejected(
                        str(position),
                        "NotAnObject",
                        f"line {line_no} is JSON {type(record).__name__}, not an object",
                    )
            yield InputRecord(position, line_no, item)
            position += 1


def _iter_csv(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    delimiter = "\t" if str(path).lower().removesuffix(".gz").endswith(".tsv") else ","
    with _open_text(path) as handle:
        reader = csv.DictReader(handle, delimiter=delimiter)
        position = 0
        start_line = 2  # line 1 is the header
        for row in reader:
            line_no, start_line = start_line, reader.line_num + 1
            if position >= skip:
                if None in row:  # more cells than header names
                    item: Mapping[str, Any] | Rejected = Rejected(
                        str(position), "MalformedCSV", f"line {line_no} has extra cells"
                    )
                else:
                    item = _item(row, fields, position)
                yield InputRecord(position, line_no, item)
            position += 1


def _iter_parquet(path: Path, fields: FieldMap, skip: int) -> Iterator[InputRecord]:
    pq = require("pyarrow.parquet")
    parquet = pq.ParquetFile(path)
    names = set(parquet.schema_arrow.names)
    wanted = [
        name
        for name in (fields.id, fields.text, fields.title, fields.published, fields.url)
        if name in names
    ]
    position = 0
    for batch in parquet.iter_batches(batch_size=1024, columns=wanted):
        if position + batch.num_rows <= skip:
            position += batch.num_rows
            continue
        for row in batch.to_pylist():
            if position >= skip:
                yield InputRecord(position, position + 1, _item(row, fields, position))
            position += 1


def count_records(path: str | os.PathLike[str], fmt: str | None = None) -> int:
    """The number of records in an input file (one pass; Parquet: from its metadata)."""
    path = Path(path)
    kind = input_format(path, fmt)
    if kind == "parquet":
        return int(require("pyarrow.parquet").ParquetFile(path).metadata.num_rows)
    if kind == "csv":
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
        delimiter = "\t" if str(path).lower().removesuffix(".gz").endswith(".tsv") else ","
        with _open_text(path) as handle:
            return max(0, sum(1 for _ in csv.reader(handle, delimiter=delimiter)) - 1)
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    count = 0
    with opener(path, "rb") as handle:
        for line in handle:
            count += bool(line.strip())
    return count


# ----------------------------------------------------------------------------------------------
# resumable output
# ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class BatchSummary:
    """Counts of a :func:`annotate_file` run (cumulative over resumed runs)."""

    output: Path
    read: int = 0
    written: int = 0
    failed: int = 0
    resumed_from: int = 0
    elapsed: float = 0.0
    complete: bool = False

    @property
    def errors_path(self) -> Path:
        return self.output / ERRORS


ProgressFn = Callable[[BatchSummary], None]


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover  (platforms without directory fds)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """``write(tmp)`` then fsync and rename over ``path``."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


class _Archive:
    """An output directory: part files, ``_errors.jsonl`` and ``_manifest.json``."""

    def __init__(self, root: Path, fmt: str, identity: dict[str, Any], resume: bool, force: bool):
        self.root = root
        self.fmt = fmt
        self.manifest: dict[str, Any]
        existing = root / MANIFEST
        if root.exists() and not root.is_dir():
            raise ConfigError(f"{root} exists and is not a directory (the output is a directory)")
        if resume and existing.is_file():
            manifest = json.loads(existing.read_text(encoding="utf-8"))
            if manifest.get("identity") != identity:
                raise ConfigError(
                    f"cannot resume {root}: it was started with different input or options "
                    f"({manifest.get('identity')}); use a new OUTPUT or --force to start over"
                )
            self.manifest = manifest
            self._recover()
            return
        ours = self._our_files()
        if root.is_dir() and any(root.iterdir()):
            if not ours:
                raise ConfigError(f"{root} exists and is not a beritanlp archive; choose another")
            if not (force or resume):
                raise ConfigError(
                    f"{root} already holds an archive: pass --resume to continue it or --force "
                    f"to start over"
                )
        for path in ours:
            path.unlink()
        root.mkdir(parents=True, exist_ok=True)
        self.manifest = {
            "manifest_version": _MANIFEST_VERSION,
            "identity": identity,
            "next_position": 0,
            "next_part": 0,
            "errors_bytes": 0,
            "counts": {"read": 0, "written": 0, "failed": 0},
            "chunks": [],
            "complete": False,
        }
        (root / ERRORS).write_bytes(b"")

    def _our_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [
            p
            for p in self.root.iterdir()
            if _PART_RE.match(p.name)
            or p.name in (MANIFEST, ERRORS)
            or (p.name.startswith(".") and p.name.endswith(".tmp"))
        ]

    def _recover(self) -> None:
        """Undo whatever a killed run left after its last committed manifest."""
        next_part = self.manifest["next_part"]
        for path in self.root.iterdir():
            match = _PART_RE.match(path.name)
            if (match and int(match.group(1)) >= next_part) or (
                path.name.startswith(".") and path.name.endswith(".tmp")
            ):
                logger.info("resume: removing uncommitted %s", path.name)
                path.unlink()
        errors = self.root / ERRORS
        with open(errors, "ab") as handle:
            handle.truncate(self.manifest["errors_bytes"])
            os.fsync(handle.fileno())

    def commit(self, start: int, end: int, rows: list[Any], errors: list[str]) -> None:
        """Commit records [start, end): errors appended (fsync), part written atomically, then
        the manifest replaced atomically — the manifest is the commit point."""
        manifest = self.manifest
        errors_path = self.root / ERRORS
        with open(errors_path, "ab") as handle:
            handle.truncate(manifest["errors_bytes"])
            handle.seek(manifest["errors_bytes"])
            handle.write("".join(errors).encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
            errors_bytes = handle.tell()
        number = manifest["next_part"]
        part = self.root / f"part-{number:05d}.{self.fmt}"
        if self.fmt == "parquet":
            pq = require("pyarrow.parquet")
            table = to_arrow(rows)
            _write_atomic(part, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
        else:
            data = "".join(
                row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) + "\n"
                for row in rows
            )
            _write_atomic(part, lambda tmp: tmp.write_bytes(data.encode("utf-8")))
        counts = manifest["counts"]
        counts["read"] += end - start
        counts["written"] += len(rows)
        counts["failed"] += len(errors)
        manifest["chunks"].append(
            {
                "part": part.name,
                "start": start,
                "end": end,
                "written": len(rows),
                "failed": len(errors),
            }
        )
        manifest["next_position"] = end
        manifest["next_part"] = number + 1
        manifest["errors_bytes"] = errors_bytes
        self.save()

    def save(self) -> None:
        text = json.dumps(self.manifest, ensure_ascii=False, indent=1)
        _write_atomic(self.root / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        _fsync_dir(self.root)


def _encode(result: Result, *, tokens: bool, as_json: bool) -> Any:
    """A result as an archive row: a JSON line (``as_json``) or a dict; errors as dicts."""
    if result.article is None:
        return result.to_dict()
    row = result.to_dict(tokens=tokens)
    row["id"] = str(row["id"])
    return json.dumps(row, ensure_ascii=False) + "\n" if as_json else row


def output_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """The archive format: ``fmt``, else ``parquet`` for a name ending in ``.parquet``, else
    the format recorded in an existing archive, else ``jsonl``."""
    if fmt:
        if fmt not in ARCHIVE_FORMATS:
            raise ConfigError(f"output format must be one of {ARCHIVE_FORMATS}, got {fmt!r}")
        return fmt
    if str(path).lower().endswith((".parquet", ".pq")):
        return "parquet"
    manifest = Path(path) / MANIFEST
    if manifest.is_file():
        return str(json.loads(manifest.read_text(encoding="utf-8"))["identity"]["format"])
    return "jsonl"


def annotate_file(
    input_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    input_fmt: str | None = None,
    fields: FieldMap = FieldMap(),
    n_process: int = 1,
    batch_size: int = 64,
    chunk_size: int = 1000,
    limit: int | None = None,
    tokens: bool = True,
    max_length: int = DEFAULT_MAX_LENGTH,
    resume: bool = False,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> BatchSummary:
    """Annotate an input file into the archive directory ``output`` (see ``docs/batch.md``).

    Records are committed every ``chunk_size`` input records; ``resume=True`` continues after
    the last committed chunk of an interrupted run (same input and options). ``limit`` caps the
    number of input records read, counted from the start of the input. Returns the counts;
    failed records are in ``output/_errors.jsonl``.
    """
    if chunk_size < 1:
        raise ConfigError("chunk_size must be a positive integer")
    if limit is not None and limit < 0:
        raise ConfigError("limit must not be negative")
    input_path = Path(input_path)
    if not input_path.is_file():
        raise ConfigError(f"cannot read {input_path}: no such file")
    root = Path(output)
    kind = input_format(input_path, input_fmt)
    out_fmt = output_format(root, fmt)
    if out_fmt == "parquet" or kind == "parquet":
        require("pyarrow")
    identity = {
        "input": str(input_path.resolve()),
        "input_size": input_path.stat().st_size,
        "input_format": kind,
        "format": out_fmt,
        "fields": [fields.id, fields.text, fields.title, fields.published, fields.url],
        "tokens": tokens,
        "max_length": max_length,
    }
    archive = _Archive(root, out_fmt, identity, resume, force)
    manifest = archive.manifest
    start = manifest["next_position"]
    counts = manifest["counts"]
    summary = BatchSummary(root, counts["read"], counts["written"], counts["failed"], start)
    began = time.monotonic()
    if resume and start:
        logger.info("resuming %s after %d committed records", root, start)

    meta: deque[InputRecord] = deque()
    exhausted = False

    def items() -> Iterator[Mapping[str, Any] | Rejected]:
        nonlocal exhausted
        for record in iter_input(input_path, fmt=kind, fields=fields, skip=start):
            if limit is not None and record.position >= limit:
                return
            meta.append(record)
            yield record.item
        exhausted = True

    rows: list[Any] = []
    errors: list[str] = []
    chunk_start = start
    position = start
    encode = partial(_encode, tokens=tokens, as_json=out_fmt == "jsonl")
    _check(n_process, batch_size, "record", max_length)
    for payload, failed in _stream(items(), n_process, batch_size, "record", max_length, encode):
        record = meta.popleft()
        position = record.position + 1
        if failed:
            payload.update(position=record.position, line=record.line)
            errors.append(json.dumps(payload, ensure_ascii=False) + "\n")
            summary.failed += 1
        else:
            rows.append(payload)
            summary.written += 1
        summary.read += 1
        if position - chunk_start >= chunk_size:
            archive.commit(chunk_start, position, rows, errors)
            rows, errors, chunk_start = [], [], position
        if progress is not None:
            summary.elapsed = time.monotonic() - began
            progress(summary)
    if position > chunk_start or rows or errors:
        archive.commit(chunk_start, position, rows, errors)
    manifest["complete"] = exhausted
    archive.save()
    summary.complete = manifest["complete"]
    summary.elapsed = time.monotonic() - began
    return summary


# ----------------------------------------------------------------------------------------------
# reading archives back
# ----------------------------------------------------------------------------------------------
def _parts(root: Path) -> list[Path]:
    parts = [p for p in root.iterdir() if _PART_RE.match(p.name)]
    manifest = root / MANIFEST
    if manifest.is_file():  # only committed parts
        committed = {c["part"] for c in json.loads(manifest.read_text("utf-8"))["chunks"]}
        parts = [p for p in parts if p.name in committed]
    return sorted(parts, key=lambda p: int(_PART_RE.match(p.name).group(1)))  # type: ignore[union-attr]


def read_archive(
    path: str | os.PathLike[str], *, columns: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The article records of an archive directory (or of one ``.jsonl``/``.parquet`` file),
    in input order. ``columns`` limits what is read from Parquet (JSON lines are read whole)."""
    root = Path(path)
    files = _parts(root) if root.is_dir() else [root]
    for file in files:
        if file.suffix == ".parquet" or file.name.endswith(".pq"):
            pq = require("pyarrow.parquet")
            table = pq.read_table(file, columns=columns, schema=arrow_schema())
            for batch in table.to_batches(max_chunksize=1024):
                for row in batch.to_pylist():
                    yield _from_arrow_row(row)
        else:
            with _open_text(file) as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)


def archive_stats(rows: Iterable[Mapping[str, Any]], *, top: int = 10) -> dict[str, Any]:
    """Summary of annotated articles: counts per topic and per month (``published``), the
    ``top`` entities per label (by canonical name) and the top dateline places. Fields that are
    missing or empty (components not in the pipeline) are counted under ``None``/left out."""
    topics: Counter[str | None] = Counter()
    months: Counter[str | None] = Counter()
    entities: dict[str, Counter[str]] = {}
    datelines: Counter[str] = Counter()
    total = 0
    for row in rows:
        total += 1
        topic = row.get("topic") or {}
        topics[topic.get("label")] += 1
        published = row.get("published")
        months[published[:7] if isinstance(published, str) and len(published) >= 7 else None] += 1
        for entity in row.get("entities") or ():
            name = entity.get("canonical") or entity.get("text")
            entities.setdefault(entity.get("label") or "?", Counter())[name] += 1
        dateline = row.get("dateline") or {}
        place = dateline.get("place") or dateline.get("text")
        if place:
            datelines[place] += 1
    return {
        "articles": total,
        "topics": dict(topics.most_common()),
        "months": dict(sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))),
        "entities": {
            label: counter.most_common(top) for label, counter in sorted(entities.items())
        },
        "datelines": datelines.most_common(top),
    }


def stats_columns() -> list[str]:
    """The Parquet columns :func:`archive_stats` reads (tokens and text are skipped)."""
    return ["id", "published", "topic", "entities", "dateline"]
