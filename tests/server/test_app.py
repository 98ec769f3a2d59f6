"""``beritanlp serve`` over real HTTP: the server runs as a subprocess (conftest.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from beritanlp import analyze
from beritanlp.contract import json_schema
from tests.conftest import SEED_PATH
from tests.server.conftest import Server


def _error_body(response: httpx.Response, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error_type", "message", "request_id"}
    assert body["error_type"] == error_type
    assert body["request_id"] == response.headers["x-request-id"]
    return dict(body)


def test_server_health_ready_and_schema(server: Server) -> None:
    with server.client() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json() == {"status": "ready", "workers": 4}
        assert client.get("/v1/schema").json() == json_schema()
        assert "/v1/analyze/batch" in client.get("/openapi.json").json()["paths"]


def test_server_seed_round_trips(server: Server) -> None:
    seed = SEED_PATH.read_text(encoding="utf-8")
    with server.client() as client:
        response = client.post("/v1/analyze", json={"text": seed})
        assert response.status_code == 200, response.text
        assert response.json() == analyze(seed).to_dict()
        with_tokens = client.post(
            "/v1/analyze", json={"text": seed, "tokens": True, "url": "https://x.invalid/a"}
        ).json()
    expected = analyze(seed, url="https://x.invalid/a").to_dict(tokens=True)
    assert with_tokens == expected and with_tokens["tokens"]


def test_server_batch_keeps_order_and_isolates_a_bad_item(server: Server) -> None:
    texts = [
        SEED_PATH.read_text(encoding="utf-8")[:400],
        "Jakarta - Hujan turun kemarin.",
        "Surabaya - Pasar ramai.",
    ]
    items: list[dict[str, Any]] = [{"id": i, "text": t} for i, t in enumerate(texts)]
    items.insert(1, {"id": "bad", "text": "x", "published": "bukan tanggal"})
    with server.client() as client:
        response = client.post("/v1/analyze/batch", json={"items": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == 4
    assert results[1]["id"] == "bad" and results[1]["error_type"] == "ConfigError"
    assert "published" in results[1]["message"]
    good = [results[0], results[2], results[3]]
    assert [r["text"] for r in good] == texts
    assert good == [analyze(t).to_dict() for t in texts]


def test_server_batch_item_over_the_limit_is_its_own_error(server: Server) -> None:
    items = [{"id": "long", "text": "a " * 30_000}, {"id": "ok", "text": "Halo."}]
    with server.client() as client:
        results = client.post("/v1/analyze/batch", json={"items": items}).json()["results"]
    assert results[0]["id"] == "long" and results[0]["error_type"] == "InputTooLongError"
    assert results[1]["text"] == "Halo."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "ok", "title": ["x"]}, "title"),
        ({"text": "ok", "tokens": "yes"}, "tokens"),
    ],
)
def test_server_422_names_the_field(server: Server, body: dict[str, Any], field: str) -> None:
    with server.client() as client:
        error = _error_body(client.post("/v1/analyze", json=body), 422, "ValidationError")
    assert error["message"].startswith(f"{field}:")


def test_server_422_names_the_batch_item_field(server: Server) -> None:
    body = {"items": [{"text": "ok"}, {"text": None}]}
    with server.client() as client:
        error = _error_body(client.post("/v1/analyze/batch", json=body), 422, "ValidationError")
    assert error["message"].startswith("items[1].text:")


def test_server_400_when_the_body_is_not_json(server: Server) -> None:
    with server.client() as client:
        response = client.post(
            "/v1/analyze", content=b"{not json", headers={"content-type": "application/json"}
        )
        _error_body(response, 400, "InvalidJSON")
        # curl -d sends a form content type: the body is still read as JSON
        plain = client.post("/v1/analyze", content=b'{"text": "Halo."}')
        assert plain.status_code == 200 and plain.json()["text"] == "Halo."


def test_server_413_over_max_chars_and_max_batch(server: Server) -> None:
    with server.client() as client:
        error = _error_body(
            client.post("/v1/analyze", json={"text": "a" * 50_001}), 413, "InputTooLongError"
        )
        assert "50,000" in error["message"]
        items = [{"text": "Halo."}] * 9
        _error_body(client.post("/v1/analyze/batch", json={"items": items}), 413, "BatchTooLarge")


def test_server_404_and_405_have_the_error_body(server: Server) -> None:
    with server.client() as client:
        _error_body(client.get("/v2/nothing"), 404, "HTTPError")
        wrong = client.get("/v1/analyze")
        _error_body(wrong, 405, "HTTPError")
        assert wrong.headers["allow"] == "POST"
        assert wrong.headers.get_list("x-request-id") == [wrong.json()["request_id"]]


def test_server_request_id_is_echoed(server: Server) -> None:
    with server.client() as client:
        response = client.get("/healthz", headers={"x-request-id": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


def test_server_metrics_count_requests_errors_and_articles(server: Server) -> None:
    with server.client() as client:
        client.post("/v1/analyze", json={"text": "Jakarta - Halo."})
        client.post("/v1/analyze", json={"text": 1})
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    values = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in response.text.splitlines()
        if line and not line.startswith("#")
    }
    assert values['beritanlp_requests_total{method="POST",path="/v1/analyze",status="200"}'] >= 1
    assert values['beritanlp_errors_total{error_type="ValidationError"}'] >= 1
    assert values["beritanlp_articles_total"] >= 1
    assert values["beritanlp_tokens_total"] >= 2
    assert values['beritanlp_request_seconds_count{path="/v1/analyze"}'] >= 2


def test_server_logs_one_line_per_request(server: Server) -> None:
    with server.client() as client:
        request_id = client.get("/healthz").headers["x-request-id"]
    lines = [line for line in server.log.read_text().splitlines() if request_id in line]
    assert len(lines) == 1 and "GET /healthz 200" in lines[0] and " ms " in lines[0]


def _ndjson(lines: list[bytes | str]) -> bytes:
    return b"".join((x.encode() if isinstance(x, str) else x) + b"\n" for x in lines)


NDJSON = {"content-type": "application/x-ndjson"}


def test_server_ndjson_answers_each_line_in_order(server: Server) -> None:
    seed = SEED_PATH.read_text(encoding="utf-8")[:600]
    body = _ndjson(
        [
            json.dumps({"id": "a", "text": seed, "url": "https://x.invalid/a"}),
            "",  # blank lines are skipped
            "{not json",
            json.dumps({"id": 7}),
            json.dumps({"id": "long", "text": "a " * 30_000}),
            "[" * 100_000,  # nested too deep for any JSON parser
            json.dumps({"id": "t", "text": "ok", "title": "x" * 10_001}),
            json.dumps({"text": "Surabaya - Pasar ramai."}),
        ]
    )
    with server.client() as client:
        response = client.post("/v1/analyze/batch?tokens=true", content=body, headers=NDJSON)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 7
    assert lines[0] == analyze(seed, url="https://x.invalid/a").to_dict(tokens=True)
    assert lines[1] == {"id": None, "error_type": "InvalidJSON", "message": "line 3 is not JSON"}
    assert lines[2] == {
        "id": 7,
        "error_type": "ValidationError",
        "message": "line 4: text: Field required",
    }
    assert lines[3]["id"] == "long" and lines[3]["error_type"] == "InputTooLongError"
    assert lines[4] == {"id": None, "error_type": "InvalidJSON", "message": "line 6 is not JSON"}
    assert lines[5]["id"] == "t" and lines[5]["error_type"] == "InputTooLongError"
    assert lines[5]["message"].startswith("title has 10,001 characters")
    assert lines[6] == analyze("Surabaya - Pasar ramai.").to_dict(tokens=True)


def test_server_ndjson_line_over_the_item_limit_is_its_own_error(server: Server) -> None:
    # the module's server: --max-chars 50000, so one item is at most 1,025,536 bytes
    body = _ndjson(["x" * 1_030_000, json.dumps({"id": 2, "text": "Halo."})])
    with server.client() as client:
        response = client.post("/v1/analyze/batch", content=body, headers=NDJSON)
    first, second = (json.loads(line) for line in response.text.splitlines())
    assert first["error_type"] == "InputTooLongError" and first["message"].startswith("line 1 ")
    assert second["text"] == "Halo."


def test_server_ndjson_has_no_batch_limit_and_a_client_may_send_all_first(server: Server) -> None:
    # httpx sends the whole body before it reads the answer. The server reads (spools) the
    # whole body before it writes the first answer, so answers that fill the socket buffers
    # cannot block it against such a client; here 400 items, 1.6 MB of answers, 16 times the
    # input (loopback buffers are a few MB, so this is a regression check more than a proof)
    sentence = "Warga datang ke pasar pada Senin (4/5/2023) dan membeli beras serta minyak."
    texts = [f"Jakarta - Warga ke-{i} datang. {sentence} {sentence}" for i in range(400)]
    body = _ndjson([json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)])
    with server.client() as client:
        response = client.post("/v1/analyze/batch?tokens=true", content=body, headers=NDJSON)
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(response.content) > 1_500_000
    assert [line["text"] for line in lines] == texts  # 300 > --max-batch=8, in input order


def test_server_413_over_max_body(server: Server) -> None:
    # the module's server has --max-body 1 (MiB) and --max-chars 50000: one article's body
    # is at most 1,025,536 bytes, a batch's at most the 1 MiB
    big = json.dumps({"text": "Halo. " * 5_000, "title": "x" * (1 << 20)}).encode()
    with server.client() as client:
        error = _error_body(client.post("/v1/analyze", content=big), 413, "BodyTooLarge")
        assert "1,025,536" in error["message"]
        _error_body(client.post("/v1/analyze/batch", content=big), 413, "BodyTooLarge")
        # a body without a length (chunked) is counted as it arrives
        stream = client.post(
            "/v1/analyze/batch", content=iter([big[:1000], big[1000:]]), headers=NDJSON
        )
        _error_body(stream, 413, "BodyTooLarge")


def test_server_request_id_from_the_client_must_look_like_one(server: Server) -> None:
    with server.client() as client:
        odd = client.get("/healthz", headers={"x-request-id": "a b\tc" + "x" * 200})
    assert odd.headers["x-request-id"] != "a b\tc" + "x" * 200
    assert len(odd.headers["x-request-id"]) == 32


def test_server_openapi_documents_both_batch_bodies(server: Server) -> None:
    with server.client() as client:
        spec = client.get("/openapi.json").json()
    content = spec["paths"]["/v1/analyze/batch"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-ndjson"}
    assert {"AnalyzeRequest", "BatchRequest", "BatchItem"} <= set(spec["components"]["schemas"])
