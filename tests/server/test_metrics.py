"""The service's Prometheus metrics (in-process: no server needed)."""

from __future__ import annotations

import pytest

pytest.importorskip("prometheus_client")

from beritanlp.server.metrics import Metrics


def test_metrics_render_counts_in_a_registry_of_their_own() -> None:
    first, second = Metrics(), Metrics()  # no "duplicated timeseries" error: separate registries
    first.requests.labels("POST", "/v1/analyze", "200").inc()
    first.errors.labels("ValidationError").inc(2)
    first.latency.labels("/v1/analyze").observe(0.02)
    first.articles.inc()
    first.tokens.inc(7)
    first.in_flight.inc()
    body, content_type = first.render()
    text = body.decode()
    assert content_type.startswith("text/plain")
    for line in (
        'beritanlp_requests_total{method="POST",path="/v1/analyze",status="200"} 1.0',
        'beritanlp_errors_total{error_type="ValidationError"} 2.0',
        'beritanlp_request_seconds_bucket{le="0.025",path="/v1/analyze"} 1.0',
        "beritanlp_articles_total 1.0",
        "beritanlp_tokens_total 7.0",
        "beritanlp_analyze_in_flight 1.0",
    ):
        assert line in text.splitlines(), line
    assert "beritanlp_articles_total 0.0" in second.render()[0].decode().splitlines()
