"""Annotate article collections on Dask, partition by partition (``pip install "beritanlp[dask]"``).

The unit of work is :func:`annotate_partition`: a list of records (or a pandas DataFrame) in,
article rows and error rows out, through :func:`beritanlp.batch.analyze_many` with the pipeline
that :func:`beritanlp.load` caches per process — so each Dask worker process loads it once, on
its first partition, and threads of a worker share it (it is thread-safe).

* :func:`annotate_bag` — a ``dask.bag`` of records → a bag of result dicts
  (``Result.to_dict()``: articles, or ``{id, error_type, message}``);
* :func:`annotate_dataframe` — a ``dask.dataframe`` → a dask DataFrame with the columns of
  :func:`beritanlp.batch.arrow_schema`;
* :func:`to_parquet` — a bag or dask DataFrame → a directory of ``part-NNNNN.parquet`` files
  with that same fixed schema (one per input partition, each written atomically) and
  ``_errors-NNNNN.jsonl`` for failed records; returns the counts.

On an existing cluster, start the workers with ``--preload beritanlp.dask`` (see
:func:`dask_setup`) or call :func:`warm_up` to load the pipeline before the first task.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import FieldMap, Rejected, analyze_many, require, to_arrow
from .batch.archive import write_atomic
from .batch.readers import read_item
from .inputs import DEFAULT_MAX_LENGTH

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "annotate_bag",
    "annotate_dataframe",
    "annotate_partition",
    "dask_setup",
    "to_parquet",
    "warm_up",
]

logger = logging.getLogger(__name__)


def _records(partition: Any) -> list[Mapping[str, Any]]:
    """A partition as a list of mappings (pandas NaN/NA become None)."""
    if hasattr(partition, "to_dict") and hasattr(partition, "columns"):
        frame = partition.astype(object)
        frame = frame.where(frame.notna(), None)
        return list(frame.to_dict("records"))
    return list(partition)


def annotate_partition(
    partition: Iterable[Any] | pd.DataFrame,
    *,
    partition_index: int = 0,
    fields: FieldMap | None = None,
    tokens: bool = True,
    max_length: int = DEFAULT_MAX_LENGTH,
    batch_size: int = 64,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Annotate one partition: ``(rows, errors)``.

    Records are mappings (or a DataFrame) whose fields ``fields`` names; a record without an id
    gets ``"<partition_index>:<position>"``. ``rows`` are ``Result.to_dict(tokens=tokens)`` of
    the good records (``id`` as str), ``errors`` are ``{id, error_type, message, partition,
    position}``. Runs in the calling process (``n_process=1``): Dask supplies the parallelism.
    """
    fields = fields or FieldMap()
    items: list[Mapping[str, Any] | Rejected] = []
    for position, record in enumerate(_records(partition)):
        if not isinstance(record, Mapping):
            record = {fields.text: record}
        item, _ = read_item(record, fields, position)  # no archive: no warnings file
        if record.get(fields.id) in (None, ""):
            fallback = f"{partition_index}:{position}"
            item = (
                Rejected(fallback, item.error_type, item.message)
                if isinstance(item, Rejected)
                else {**item, "id": fallback}
            )
        items.append(item)
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    results = analyze_many(items, batch_size=batch_size, max_length=max_length)
    for position, result in enumerate(results):
        if result.article is not None:
            rows.append(result.to_dict(tokens=tokens))
        else:
            errors.append({**result.to_dict(), "partition": partition_index, "position": position})
    return rows, errors


def _annotated_dicts(partition: Any, index: int, options: dict[str, Any]) -> list[dict[str, Any]]:
    rows, errors = annotate_partition(partition, partition_index=index, **options)
    # back in input order: errors carry their position, rows are in order between them
    out: list[dict[str, Any]] = []
    pending = iter(rows)
    position = 0
    for error in errors:
        while position < error["position"]:
            out.append(next(pending))
            position += 1
        out.append({k: error[k] for k in ("id", "error_type", "message")})
        position += 1
    out.extend(pending)
    return out


def annotate_bag(bag: Any, **options: Any) -> Any:
    """A bag of records → a bag of result dicts in the same order (see module doc). ``options``
    are those of :func:`annotate_partition` except ``partition_index``."""
    db = require("dask.bag")
    delayed = require("dask").delayed
    parts = [delayed(_annotated_dicts)(part, i, options) for i, part in enumerate(bag.to_delayed())]
    return db.from_delayed(parts)


def _frame(partition: Any, index: int, options: dict[str, Any]) -> pd.DataFrame:
    rows, _ = annotate_partition(partition, partition_index=index, **options)
    return to_arrow(rows).to_pandas()


def annotate_dataframe(ddf: Any, **options: Any) -> Any:
    """A dask DataFrame of articles → a dask DataFrame of annotated articles (columns of
    :func:`beritanlp.batch.arrow_schema`; nested columns hold lists of dicts). Failed records
    are left out; use :func:`to_parquet` to keep them in an errors file."""
    dd = require("dask.dataframe")
    delayed = require("dask").delayed
    meta = to_arrow([]).to_pandas()
    parts = [delayed(_frame)(part, i, options) for i, part in enumerate(ddf.to_delayed())]
    return dd.from_delayed(parts, meta=meta, verify_meta=False)


def _write_partition(
    partition: Any, index: int, root: str, options: dict[str, Any]
) -> dict[str, int]:
    pq = require("pyarrow.parquet")
    rows, errors = annotate_partition(partition, partition_index=index, **options)
    path = Path(root)
    table = to_arrow(rows)
    write_atomic(
        path / f"part-{index:05d}.parquet",
        lambda tmp: pq.write_table(table, tmp, compression="zstd"),
    )
    errors_path = path / f"_errors-{index:05d}.jsonl"
    if errors:
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
        write_atomic(errors_path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    elif errors_path.exists():
        errors_path.unlink()
    logger.info("partition %d: %d written, %d failed", index, len(rows), len(errors))
    return {"read": len(rows) + len(errors), "written": len(rows), "failed": len(errors)}


def to_parquet(
    collection: Any, path: str | os.PathLike[str], *, compute: bool = True, **options: Any
) -> Any:
    """Annotate a dask bag or DataFrame into ``path``: ``part-NNNNN.parquet`` per partition
    (the fixed :func:`~beritanlp.batch.arrow_schema`) and ``_errors-NNNNN.jsonl``. Returns
    ``{read, written, failed}`` (or, with ``compute=False``, a Delayed of it). Rerunning
    overwrites each partition's files whole, so a failed job can simply be rerun."""
    dask = require("dask")
    require("pyarrow")
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    parts = [
        dask.delayed(_write_partition)(part, i, str(root), options)
        for i, part in enumerate(collection.to_delayed())
    ]
    total = dask.delayed(_sum_counts)(parts)
    return total.compute() if compute else total


def _sum_counts(counts: list[dict[str, int]]) -> dict[str, int]:
    return {key: sum(c[key] for c in counts) for key in ("read", "written", "failed")}


def warm_up(client: Any) -> dict[str, list[str]]:
    """Load the pipeline on every worker of a ``distributed.Client`` now (one per process)."""
    return client.run(_load_pipe_names)  # type: ignore[no-any-return]


def _load_pipe_names() -> list[str]:
    from .api import load

    return list(load().pipe_names)


def dask_setup(worker: Any) -> None:
    """Hook for ``dask worker --preload beritanlp.dask``: load the pipeline at worker start."""
    names = _load_pipe_names()
    logger.info("beritanlp pipeline loaded on %s: %s", getattr(worker, "address", "?"), names)
