"""Batch annotation of article archives: :func:`analyze_many`, file input, resumable output.

Three layers, each usable on its own:

* :func:`analyze_many` — the public batch API. Items (texts or mappings with ``id``, ``text`` and
  optional ``title``/``published``/``url``) go in; one :class:`Result` per item comes out, in
  input order, tagged with its id. Items are validated in the calling process; only valid docs
  enter ``nlp.pipe`` (or a worker of our process pool). A record that fails, or runs over
  ``record_timeout``, gives an error result instead of stopping the run (``on_error="record"``,
  the default); an exception from the items' iterator itself is raised, never taken for the
  end of the input.
* :func:`iter_input` — reads JSON Lines, CSV or Parquet (``.gz`` for the text formats) into
  items, turning malformed records (not JSON, not UTF-8, no text field) into :class:`Rejected`
  items, reading non-ISO ``published`` values with the dates component, and raising
  :class:`~beritanlp.errors.InputReadError` for a file it cannot read on.
* :func:`annotate_file` — the engine of ``beritanlp batch``: a locked output directory of
  numbered part files committed chunk by chunk (write to a temporary name, fsync, rename, then
  the manifest), so a run killed at any moment resumes with no record lost and none duplicated.

The Parquet layout is :func:`arrow_schema` (one place; documented in ``docs/batch.md``).
pyarrow is imported only when Parquet is read or written.

The modules, from the bottom up: ``results`` (:class:`Result`, :class:`ErrorInfo`,
:class:`Rejected`), ``entries`` (items checked on their way in and out), ``local`` (``nlp.pipe``
in this process), ``serial`` (``n_process=1`` and its timer), ``pool`` (worker processes),
``runner`` (:func:`analyze_many`); ``formats``, ``published``, ``preflight`` and ``readers``
(input files); ``arrow``, ``lock`` and ``archive`` (the output directory); ``annotate``
(:func:`annotate_file`) and ``stats`` (:func:`archive_stats`). Everything public is importable
from ``beritanlp.batch`` itself. The package builds on :mod:`beritanlp.api` and
:mod:`beritanlp.inputs`, which never import it.
"""

from __future__ import annotations

from ..errors import ArchiveLockedError, BatchWorkerError, InputReadError, RecordTimeoutError
from .annotate import BatchSummary, ProgressFn, annotate_file
from .archive import (
    ARCHIVE_FORMATS,
    ERRORS,
    IDS,
    LOCK,
    MANIFEST,
    WARNINGS,
    output_format,
    read_archive,
)
from .arrow import arrow_schema, to_arrow
from .entries import Encoder, OnError
from .formats import INPUT_FORMATS, FieldMap, input_format
from .optional import require
from .readers import InputRecord, count_records, iter_input
from .results import ErrorInfo, Rejected, Result
from .runner import DEFAULT_RECORD_TIMEOUT, analyze_many
from .stats import archive_stats, stats_columns

__all__ = [
    "ARCHIVE_FORMATS",
    "DEFAULT_RECORD_TIMEOUT",
    "ERRORS",
    "IDS",
    "INPUT_FORMATS",
    "LOCK",
    "MANIFEST",
    "WARNINGS",
    "ArchiveLockedError",
    "BatchSummary",
    "BatchWorkerError",
    "Encoder",
    "ErrorInfo",
    "FieldMap",
    "InputReadError",
    "InputRecord",
    "OnError",
    "ProgressFn",
    "RecordTimeoutError",
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
