"""The client examples in ``examples/clients/`` (curl + sh, Node) against a real server.

Each test runs an example as a subprocess, the way a user would, and checks what it printed
against ``beritanlp.analyze(...).to_dict()``. A test is skipped when its runtime (``curl``,
``node``) is not on the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beritanlp import analyze
from tests.conftest import ROOT, SEED_PATH
from tests.server.conftest import Server, free_port, start, stop

CLIENTS = ROOT / "examples" / "clients"
RUN_TIMEOUT = 180.0

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
needs_curl = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("sh") is None, reason="curl or sh is missing"
)

# Invented sentences; the server answers one line per non-blank line, in this order.
NDJSON_LINES = [
    {"id": "hujan", "text": "Bandung - Hujan deras mengguyur Kota Bandung pada Senin (3/6/2024)."},
    "",
    "bukan json",
    {"id": "tanpa-teks", "title": "Tidak ada teks"},
    {"id": "tanggal", "text": "Medan - Rapat digelar kemarin.", "published": "bukan tanggal"},
    {"text": "Surabaya - Menteri Budi Santoso meresmikan jembatan baru di Surabaya."},
]
# (id, error_type) of each result line, None for an article
NDJSON_ERRORS = [None, (None, "InvalidJSON"), ("tanpa-teks", "ValidationError")]
NDJSON_ERRORS += [("tanggal", "ConfigError"), None]


def _write_ndjson(tmp_path: Path) -> Path:
    path = tmp_path / "items.ndjson"
    rows = [row if isinstance(row, str) else json.dumps(row) for row in NDJSON_LINES]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _article_texts() -> list[str | None]:
    """The text of each result line that is an article, None where an error is expected."""
    rows = [row for row in NDJSON_LINES if row != ""]
    return [row["text"] if isinstance(row, dict) and "text" in row else None for row in rows]


def _summary(article: dict[str, Any]) -> dict[str, Any]:
    """What analyze.mjs prints for an article (its ``summarize``)."""
    return {
        "kind": "article",
        "text": article["text"],
        "entities": [entity["text"] for entity in article["entities"]],
        "dateline": (article["dateline"] or {}).get("place"),
        "topic": article["topic"]["label"],
    }


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        cwd=ROOT,
        env=env,
        check=False,
    )


def _error_body(line: str, error_type: str) -> None:
    body = json.loads(line)
    assert set(body) == {"error_type", "message", "request_id"}
    assert body["error_type"] == error_type and body["request_id"]


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose --max-chars (100) is below every article the examples send first."""
    running = start(tmp_path_factory.mktemp("limited"), "--max-chars", "100")
    yield running
    stop(running)


@needs_node
def test_node_client_single_batch_and_ndjson(server: Server, tmp_path: Path) -> None:
    done = _run(
        "node",
        CLIENTS / "analyze.mjs",
        "--url",
        server.url,
        "--json",
        SEED_PATH,
        _write_ndjson(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    seed = _summary(analyze(SEED_PATH.read_text(encoding="utf-8")).to_dict())
    assert out["analyze"] == seed
    assert seed["entities"] and seed["dateline"] == "Goa, India"
    assert seed["topic"] == "internasional"

    kinds = [item["kind"] for item in out["batch"]]
    assert kinds == ["article", "error", "article"]
    assert out["batch"][0] == seed
    assert out["batch"][1]["id"] == "bad-date"
    assert out["batch"][1]["error_type"] == "ConfigError"
    assert "published" in out["batch"][1]["message"]
    short = out["batch"][2]
    assert short["text"].startswith("Makassar - ")
    assert short == _summary(analyze(short["text"]).to_dict())

    assert out["ndjson_content_type"].startswith("application/x-ndjson")
    assert len(out["ndjson"]) == len(NDJSON_ERRORS)
    for got, text, error in zip(out["ndjson"], _article_texts(), NDJSON_ERRORS, strict=True):
        if error is None:
            assert text is not None and got == _summary(analyze(text).to_dict())
        else:
            assert got["kind"] == "error" and (got["id"], got["error_type"]) == error


@needs_node
def test_node_client_prints_the_error_body_and_fails(limited: Server, tmp_path: Path) -> None:
    items = _write_ndjson(tmp_path)
    done = _run("node", CLIENTS / "analyze.mjs", "--url", limited.url, SEED_PATH, items)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert "POST /v1/analyze answered HTTP 413" in lines[-2]
    _error_body(lines[-1], "InputTooLongError")


@needs_curl
def test_curl_client_single_and_ndjson(server: Server, tmp_path: Path) -> None:
    done = _run("sh", CLIENTS / "analyze.sh", server.url, _write_ndjson(tmp_path))
    assert done.returncode == 0, done.stderr
    first, *streamed = [json.loads(line) for line in done.stdout.splitlines()]
    assert first["text"].startswith("Yogyakarta - ")
    assert first == analyze(first["text"]).to_dict()
    assert first["dateline"]["place"] == "Yogyakarta"

    assert len(streamed) == len(NDJSON_ERRORS)
    for got, text, error in zip(streamed, _article_texts(), NDJSON_ERRORS, strict=True):
        if error is None:
            assert text is not None and got == analyze(text).to_dict()
        else:
            assert set(got) == {"id", "error_type", "message"}
            assert (got["id"], got["error_type"]) == error


@needs_curl
def test_curl_client_prints_the_error_body_and_fails(limited: Server) -> None:
    done = _run("sh", CLIENTS / "analyze.sh", limited.url)
    assert done.returncode != 0
    _error_body(done.stdout.strip().splitlines()[-1], "InputTooLongError")
    assert "POST /v1/analyze failed" in done.stderr


@needs_curl
def test_curl_client_refuses_a_url_that_is_not_a_server(server: Server) -> None:
    done = _run("sh", CLIENTS / "analyze.sh", f"{server.url}/v1")
    assert done.returncode == 1 and done.stdout == ""
    assert "answered 404: is this a beritanlp server?" in done.stderr


@needs_curl
def test_curl_client_gives_up_when_nothing_listens() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = _run("sh", CLIENTS / "analyze.sh", url, env={**os.environ, "WAIT_SECONDS": "1"})
    assert done.returncode == 1 and done.stdout == ""
    assert f"{url} not ready after 1 s" in done.stderr
