"""The service's worker processes, driven directly (no HTTP): results, errors, a timeout that
kills and replaces the worker, and a close that leaves no process behind."""

from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("prometheus_client")
pytest.importorskip("threadpoolctl")

from beritanlp import analyze
from beritanlp.server.errors import ServiceError
from beritanlp.server.metrics import Metrics
from beritanlp.server.workers import Job, WorkerPool
from tests.conftest import SEED_PATH

SEED = SEED_PATH.read_text(encoding="utf-8")


def test_worker_pool_analyses_replaces_a_timed_out_worker_and_closes() -> None:
    async def scenario() -> dict[str, object]:
        metrics = Metrics()
        pool = WorkerPool(1, 2_000_000, 2.0, metrics)
        await pool.start()
        out: dict[str, object] = {"live_at_start": pool.live}
        processes = set(pool.ready)
        try:
            done = await pool.run(Job(SEED, url="https://x.invalid/a", tokens=True))
            out["article"], out["tokens"] = json.loads(done.body), done.tokens
            with pytest.raises(ServiceError) as bad:
                await pool.run(Job("Halo.", published="bukan tanggal"))
            out["bad"] = (bad.value.status, bad.value.error_type)
            # far longer than 2 s (about 16 s on the project machine): the worker is killed
            with pytest.raises(ServiceError) as slow:
                await pool.run(Job((SEED + "\n\n") * 200))
            out["slow"] = (slow.value.status, slow.value.error_type)
            # the next job waits for the replacement, which has the pipeline loaded
            out["after"] = json.loads((await pool.run(Job("Jakarta - Halo."))).body)["text"]
            out["restarts"] = "beritanlp_worker_restarts_total 1.0" in metrics.render()[0].decode()
            processes |= set(pool.ready)
        finally:
            await pool.close()
        out["alive_after_close"] = [w.process.pid for w in processes if w.process.is_alive()]
        return out

    out = asyncio.run(scenario())
    assert out["live_at_start"] == 1
    expected = analyze(SEED, url="https://x.invalid/a")
    assert out["article"] == expected.to_dict(tokens=True)
    assert out["tokens"] == len(expected.tokens)
    assert out["bad"] == (422, "ConfigError")
    assert out["slow"] == (504, "Timeout")
    assert out["after"] == "Jakarta - Halo."
    assert out["restarts"] is True
    assert out["alive_after_close"] == []
