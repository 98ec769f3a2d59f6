"""``OUTPUT/_lock``: one writer per archive directory (:class:`ArchiveLock`)."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from ..errors import ArchiveLockedError
from .pool import INHERITED_FDS

__all__ = ["LOCK", "ArchiveLock"]

logger = logging.getLogger(__name__)

LOCK = "_lock"


class ArchiveLock:
    """``OUTPUT/_lock``: one writer per archive directory.

    An exclusive ``flock`` on the file, held for the whole run: the kernel drops it when the
    holder's process ends, however it ends, so the lock of a dead run is never stale (the file
    itself stays, holding the last writer's pid and host for the message). Forked workers close
    their inherited copy (listed in :data:`~beritanlp.batch.pool.INHERITED_FDS`), so they never
    keep it. Without ``fcntl`` (Windows) there is no lock, and a warning is logged. On a network
    filesystem ``flock`` is only as good as the filesystem's locking.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / LOCK
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            logger.warning("no lock on %s: this platform has no flock", self.root)
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._holder(fd)
            os.close(fd)
            raise ArchiveLockedError(
                f"{self.root} is being written by another process (pid {holder.get('pid', '?')}"
                f" on {holder.get('host', '?')}, since {holder.get('started', '?')}); a second "
                f"run would overwrite its work. Wait for it to end or stop it, then --resume"
            ) from None
        import socket

        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        self.fd = fd
        INHERITED_FDS.add(fd)

    @staticmethod
    def _holder(fd: int) -> dict[str, Any]:
        try:
            data = json.loads(os.pread(fd, 4096, 0) or b"{}")
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def release(self) -> None:
        if self.fd is not None:
            INHERITED_FDS.discard(self.fd)
            os.close(self.fd)  # drops the flock; the file stays (unlinking it would race)
            self.fd = None
