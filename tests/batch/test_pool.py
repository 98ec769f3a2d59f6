"""Tests of beritanlp.batch.pool: a dead worker is an error, not a hang, and workers do not
outlive their parent (issue 14: before the fix SIGKILL of the parent left them running)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from beritanlp.batch import BatchWorkerError, analyze_many
from tests.batch.conftest import DIE
from tests.batch.helpers import linux_only, start_batch, wait_for_work, wait_gone, write_input


def test_batch_dead_worker_raises_instead_of_hanging(dying_pipeline) -> None:
    with pytest.raises(BatchWorkerError, match="worker process died"):
        list(analyze_many(["Satu.", "Dua.", f"{DIE}.", "Empat."], n_process=2, batch_size=1))


@linux_only
def test_batch_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.jsonl", 600)
    out = tmp_path / "out"
    proc = start_batch(source, out)
    workers = wait_for_work(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    assert wait_gone(workers) == [], "workers outlived their parent"
