"""One real ``beritanlp serve`` subprocess on a free loopback port, shared by the module's tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
pytest.importorskip("prometheus_client")

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 90.0  # above the server's graceful stop (--timeout 30 + 5 s)
WAIT_TIMEOUT = 120.0  # for anything a test waits for


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
        self.process, self.url, self.log = process, url, log

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60.0)


def start(tmp: Path, *args: str) -> Server:
    port = free_port()
    log = tmp / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "beritanlp", "serve", "--port", str(port), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2.0).status_code == 200:
                return Server(process, url, log)
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"not ready within {READY_TIMEOUT:g} s:\n{log.read_text()}")


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` until true; fail (not hang) after :data:`WAIT_TIMEOUT`."""
    deadline = time.monotonic() + WAIT_TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {WAIT_TIMEOUT:g} s: {what}")
        time.sleep(0.02)


def stop(server: Server) -> int:
    server.process.send_signal(signal.SIGTERM)
    try:
        return server.process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        raise AssertionError(f"server ignored SIGTERM:\n{server.log.read_text()}") from None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start(
        tmp_path_factory.mktemp("server"),
        "--workers",
        "4",
        "--max-chars",
        "50000",
        "--max-batch",
        "8",
        "--max-body",
        "1",
    )
    yield running
    # uvicorn shuts down, then re-raises the SIGTERM it caught (exit status -15)
    assert stop(running) in (0, -signal.SIGTERM)
    log = running.log.read_text()
    assert "Application shutdown complete" in log and "Finished server process" in log
