"""The archive directory of a batch run: numbered part files, ``_errors.jsonl``,
``_warnings.jsonl``, ``_ids``, ``_manifest.json`` and ``_lock`` (see ``docs/batch.md``).
:class:`Archive` writes it chunk by chunk, so that a run killed at any moment resumes with no
record lost and none duplicated; :func:`read_archive` reads the committed records back."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .arrow import arrow_schema, from_arrow_row, to_arrow
from .formats import open_text
from .lock import LOCK, ArchiveLock
from .optional import require
from .results import describe

__all__ = [
    "ARCHIVE_FORMATS",
    "ERRORS",
    "IDS",
    "LOCK",
    "MANIFEST",
    "WARNINGS",
    "Archive",
    "archive_parts",
    "fsync_dir",
    "output_format",
    "read_archive",
    "read_manifest",
    "write_atomic",
]

logger = logging.getLogger(__name__)

#: Output formats of :func:`annotate_file`.
ARCHIVE_FORMATS = ("jsonl", "parquet")


MANIFEST = "_manifest.json"
ERRORS = "_errors.jsonl"
WARNINGS = "_warnings.jsonl"
IDS = "_ids"
_MANIFEST_VERSION = 1
_PART_RE = re.compile(r"^part-(\d+)\.(jsonl|parquet)$")


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover  (platforms without directory fds)
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, write: Callable[[Path], object]) -> None:
    """``write(tmp)`` then fsync and rename over ``path`` (what ``write`` returns is ignored)."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read {path}: {describe(exc)}; the archive is damaged: use a new OUTPUT "
            f"or --force to start over"
        ) from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("identity"), dict):
        raise ConfigError(f"{path} is not a beritanlp manifest; use a new OUTPUT or --force")
    return manifest


_SIDE_FILES = ((ERRORS, "errors_bytes"), (WARNINGS, "warnings_bytes"), (IDS, "ids_bytes"))


class Archive:
    """An output directory: part files, ``_errors.jsonl``, ``_warnings.jsonl``, ``_ids`` (8-byte
    hashes of the ids read, to count duplicates across resumed runs), ``_manifest.json`` and
    ``_lock``. The side files are appended and fsynced before the part; the manifest, replaced
    atomically last, records their committed sizes: it is the commit point."""

    def __init__(self, root: Path, fmt: str, identity: dict[str, Any], resume: bool, force: bool):
        self.root = root
        self.fmt = fmt
        self.manifest: dict[str, Any]
        existing = root / MANIFEST
        if root.exists() and not root.is_dir():
            raise ConfigError(f"{root} exists and is not a directory (the output is a directory)")
        ours = self._our_files()
        if root.is_dir() and any(root.iterdir()) and not ours:
            raise ConfigError(f"{root} exists and is not a beritanlp archive; choose another")
        root.mkdir(parents=True, exist_ok=True)
        self.lock = ArchiveLock(root)
        self.lock.acquire()
        try:
            self._open(existing, identity, resume, force)
        except BaseException:
            self.lock.release()
            raise

    def _open(self, existing: Path, identity: dict[str, Any], resume: bool, force: bool) -> None:
        root = self.root
        if resume and existing.is_file():
            manifest = read_manifest(existing)
            if manifest.get("identity") != identity:
                old = dict(manifest.get("identity") or {})
                stopped = (manifest.get("stopped") or {}).get("reason")
                if stopped == "input_error" and {**old, "input_size": None} == {
                    **identity,
                    "input_size": None,
                }:
                    # the last run stopped on a read error; the input was fixed (re-downloaded,
                    # so its size changed): the records before the error stay committed
                    logger.warning(
                        "resume: %s changed size since the read error (%s → %s bytes)",
                        identity["input"],
                        old.get("input_size"),
                        identity["input_size"],
                    )
                    manifest["identity"] = identity
                else:
                    raise ConfigError(
                        f"cannot resume {root}: it was started with different input or options "
                        f"({manifest.get('identity')}); use a new OUTPUT or --force to start over"
                    )
            self.manifest = manifest
            self._upgrade()
            self._recover()
            return
        ours = [p for p in self._our_files() if p.name != LOCK]
        if ours and not (force or resume):
            raise ConfigError(
                f"{root} already holds an archive: pass --resume to continue it or --force "
                f"to start over"
            )
        for path in ours:
            path.unlink()
        self.manifest = {
            "manifest_version": _MANIFEST_VERSION,
            "identity": identity,
            "next_position": 0,
            "next_part": 0,
            "errors_bytes": 0,
            "warnings_bytes": 0,
            "ids_bytes": 0,
            "counts": {"read": 0, "written": 0, "failed": 0, "warnings": 0, "warning_kinds": {}},
            "chunks": [],
            "complete": False,
        }
        for name, _ in _SIDE_FILES:
            (root / name).write_bytes(b"")
        self.save()  # an archive always has a manifest, even before its first chunk

    def _upgrade(self) -> None:
        """Fill in what manifests written before warnings and id hashes lack."""
        manifest = self.manifest
        manifest.setdefault("warnings_bytes", 0)
        counts = manifest.setdefault("counts", {})
        counts.setdefault("warnings", 0)
        counts.setdefault("warning_kinds", {})
        if "ids_bytes" not in manifest:
            if manifest.get("next_position", 0):
                logger.warning(
                    "resume: %s has no id hashes (an older archive): duplicate ids are counted "
                    "only among the records from position %d on",
                    self.root,
                    manifest["next_position"],
                )
            manifest["ids_bytes"] = 0
            (self.root / IDS).write_bytes(b"")
            manifest["ids_from"] = manifest.get("next_position", 0)

    def _our_files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        names = {MANIFEST, LOCK, *(name for name, _ in _SIDE_FILES)}
        return [
            p
            for p in self.root.iterdir()
            if _PART_RE.match(p.name)
            or p.name in names
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
        for name, key in _SIDE_FILES:
            with open(self.root / name, "ab") as handle:
                handle.truncate(self.manifest[key])
                os.fsync(handle.fileno())

    def seen_ids(self) -> set[int]:
        """The id hashes of the committed records."""
        data = (self.root / IDS).read_bytes()[: self.manifest["ids_bytes"]]
        return {int.from_bytes(data[i : i + 8], "little") for i in range(0, len(data), 8)}

    def _append(self, name: str, key: str, data: bytes) -> int:
        """Append ``data`` to a side file after its committed size; fsync; the new size."""
        committed = self.manifest[key]
        with open(self.root / name, "ab") as handle:
            handle.truncate(committed)
            handle.seek(committed)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            return handle.tell()

    def commit(
        self,
        start: int,
        end: int,
        rows: list[Any],
        errors: list[str],
        warnings: list[tuple[str, str]] = (),  # type: ignore[assignment]
        ids: list[int] = (),  # type: ignore[assignment]
    ) -> None:
        """Commit records [start, end): side files appended (fsync), part written atomically,
        then the manifest replaced atomically — the manifest is the commit point.
        ``warnings`` are ``(kind, JSON line)``; ``ids`` the records' id hashes."""
        manifest = copy.deepcopy(self.manifest)  # becomes self.manifest once it is on disk
        sizes = {
            "errors_bytes": self._append(ERRORS, "errors_bytes", "".join(errors).encode("utf-8")),
            "warnings_bytes": self._append(
                WARNINGS, "warnings_bytes", "".join(line for _, line in warnings).encode("utf-8")
            ),
            "ids_bytes": self._append(
                IDS, "ids_bytes", b"".join(key.to_bytes(8, "little") for key in ids)
            ),
        }
        number = manifest["next_part"]
        part = self.root / f"part-{number:05d}.{self.fmt}"
        if self.fmt == "parquet":
            pq = require("pyarrow.parquet")
            table = to_arrow(rows)
            write_atomic(part, lambda tmp: pq.write_table(table, tmp, compression="zstd"))
        else:
            data = "".join(
                row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) + "\n"
                for row in rows
            )
            write_atomic(part, lambda tmp: tmp.write_bytes(data.encode("utf-8")))
        counts = manifest["counts"]
        counts["read"] += end - start
        counts["written"] += len(rows)
        counts["failed"] += len(errors)
        counts["warnings"] += len(warnings)
        kinds = counts["warning_kinds"]
        for kind, _ in warnings:
            kinds[kind] = kinds.get(kind, 0) + 1
        manifest["chunks"].append(
            {
                "part": part.name,
                "start": start,
                "end": end,
                "written": len(rows),
                "failed": len(errors),
                "warnings": len(warnings),
            }
        )
        manifest["next_position"] = end
        manifest["next_part"] = number + 1
        manifest.update(sizes)
        self.save(manifest)

    def save(self, manifest: dict[str, Any] | None = None, **changes: Any) -> None:
        """Write ``manifest`` (default: the current one) with ``changes`` (``None`` removes a
        key) atomically, then make it the current one. The current manifest is only ever
        replaced whole, after it is on disk: an interrupt (SIGINT/SIGTERM raise in the main
        thread at any point) can never leave a half-updated manifest to be saved later."""
        new = copy.deepcopy(self.manifest) if manifest is None else manifest
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        text = json.dumps(new, ensure_ascii=False, indent=1)
        write_atomic(self.root / MANIFEST, lambda tmp: tmp.write_text(text, encoding="utf-8"))
        fsync_dir(self.root)
        self.manifest = new

    def close(self) -> None:
        self.lock.release()


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
        return str(read_manifest(manifest)["identity"].get("format", "jsonl"))
    return "jsonl"


def archive_parts(root: Path) -> list[Path]:
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
    files = archive_parts(root) if root.is_dir() else [root]
    for file in files:
        if file.suffix == ".parquet" or file.name.endswith(".pq"):
            pq = require("pyarrow.parquet")
            table = pq.read_table(file, columns=columns, schema=arrow_schema())
            for batch in table.to_batches(max_chunksize=1024):
                for row in batch.to_pylist():
                    yield from_arrow_row(row)
        else:
            with open_text(file) as handle:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)
