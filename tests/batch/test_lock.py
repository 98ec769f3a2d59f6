"""Tests of beritanlp.batch.lock: an archive being written is locked (issue 14), and the lock
of a dead process never blocks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from beritanlp.batch import ArchiveLockedError, annotate_file
from tests.batch.helpers import small_input

HOLD_LOCK = """
import sys, time
from pathlib import Path
from beritanlp.batch.lock import ArchiveLock
lock = ArchiveLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_batch_lock_refuses_a_second_writer(tmp_path: Path) -> None:
    source = small_input(tmp_path)
    out = tmp_path / "out"
    annotate_file(source, out, limit=3)
    # another live process holds the archive: hold its lock from a child process
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        for options in ({"resume": True}, {"force": True}, {}):
            with pytest.raises(ArchiveLockedError, match=rf"pid {holder.pid}"):
                annotate_file(source, out, **options)
    finally:
        holder.kill()
        holder.wait()
    # the holder is dead: its lock is stale and does not block
    summary = annotate_file(source, out, resume=True)
    assert (summary.read, summary.complete) == (6, True)


def test_batch_stale_lock_file_of_a_dead_process_does_not_block(tmp_path: Path) -> None:
    source = small_input(tmp_path)
    out = tmp_path / "out"
    annotate_file(source, out, limit=2)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    (out / "_lock").write_text(json.dumps({"pid": int(dead.stdout), "host": os.uname()[1]}))
    assert annotate_file(source, out, resume=True).complete
