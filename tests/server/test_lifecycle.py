"""Concurrency and stopping of a real ``beritanlp serve`` subprocess (conftest.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from beritanlp import analyze
from tests.conftest import SEED_PATH
from tests.server.conftest import Server, start, stop

SEED = SEED_PATH.read_text(encoding="utf-8")


def _gauge(client: httpx.Client, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


class SlowBatch:
    """A batch of 32 seed articles posted from a thread; :meth:`wait_admitted` returns once the
    server has admitted it (the in-flight gauge, polled with no time limit asserted)."""

    def __init__(self, running: Server) -> None:
        self.running = running
        self.answer: dict[str, httpx.Response] = {}
        self.thread = threading.Thread(target=self._post)
        self.thread.start()

    def _post(self) -> None:
        items = [{"id": i, "text": SEED} for i in range(32)]
        with self.running.client() as client:
            self.answer["batch"] = client.post("/v1/analyze/batch", json={"items": items})

    @property
    def done(self) -> bool:
        return "batch" in self.answer

    def wait_admitted(self, client: httpx.Client) -> None:
        while _gauge(client, "beritanlp_analyze_in_flight") < 1 and not self.done:
            time.sleep(0.01)

    def response(self) -> httpx.Response:
        self.thread.join(120)
        return self.answer["batch"]


def test_server_20_concurrent_clients_get_their_own_results(server: Server) -> None:
    # the module's server has 4 analysis threads sharing one pipeline
    texts = [SEED[i * 40 :] for i in range(20)]
    expected = [analyze(text).to_dict(tokens=True) for text in texts]

    def one(text: str) -> dict[str, Any]:
        with server.client() as client:
            response = client.post("/v1/analyze", json={"text": text, "tokens": True})
            assert response.status_code == 200, response.text
            return dict(response.json())

    with ThreadPoolExecutor(20) as pool:
        got = list(pool.map(one, texts))
    assert [g["text"] for g in got] == texts
    assert got == expected


def test_server_healthz_answers_and_sigterm_lets_the_request_in_flight_finish(
    tmp_path: Path,
) -> None:
    running = start(tmp_path, "--workers", "1")
    batch = SlowBatch(running)
    try:
        with running.client() as client:
            batch.wait_admitted(client)
            # the event loop is free while the pool analyses: /healthz answers meanwhile
            assert client.get("/healthz").status_code == 200
        in_flight = not batch.done
        status = stop(running)
    finally:
        response = batch.response()
    assert in_flight, "the batch finished before SIGTERM was sent; make it longer"
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 32 and all(r["text"] == SEED for r in results)
    assert status in (0, -15)
    log = running.log.read_text()
    assert "POST /v1/analyze/batch 200" in log and "Finished server process" in log
    # no new connections after the stop
    try:
        httpx.get(f"{running.url}/healthz", timeout=2.0)
    except httpx.TransportError:
        pass
    else:
        raise AssertionError("the server still answers after SIGTERM")


def test_server_timeout_is_504_and_a_per_item_error(tmp_path: Path) -> None:
    # 1 ms is far below any analysis of the seed article (the warm-up at start has no limit)
    running = start(tmp_path, "--timeout", "0.001")
    try:
        with running.client() as client:
            response = client.post("/v1/analyze", json={"text": SEED})
            assert response.status_code == 504, response.text
            body = response.json()
            assert body["error_type"] == "Timeout" and "--timeout" in body["message"]
            assert body["request_id"] == response.headers["x-request-id"]
            batch = client.post("/v1/analyze/batch", json={"items": [{"id": "s", "text": SEED}]})
            assert batch.status_code == 200
            assert batch.json()["results"] == [
                {"id": "s", "error_type": "Timeout", "message": body["message"]}
            ]
            assert client.get("/healthz").status_code == 200
    finally:
        stop(running)


def test_server_overload_is_503_with_retry_after(tmp_path: Path) -> None:
    # one thread, no queue: while a batch is analysed, any other analysis request is refused
    running = start(tmp_path, "--workers", "1", "--max-queue", "0")
    batch = SlowBatch(running)
    try:
        with running.client() as client:
            batch.wait_admitted(client)
            refused = client.post("/v1/analyze", json={"text": "Halo."})
            finished_first = batch.done
    finally:
        batch.response()
        stop(running)
    assert not finished_first, "the batch finished before the second request; make it longer"
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"] == "1"
    assert refused.json()["error_type"] == "Overloaded"
    assert batch.response().status_code == 200
