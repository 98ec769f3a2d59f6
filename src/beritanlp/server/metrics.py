"""The Prometheus metrics of the service, in a registry of its own (prometheus-client)."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

__all__ = ["Metrics"]


class Metrics:
    """Requests, errors, latency, articles and tokens analysed, requests in flight, workers."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "beritanlp_requests",
            "HTTP requests answered",
            ["method", "path", "status"],
            registry=self.registry,
        )
        self.errors = Counter(
            "beritanlp_errors",
            "Errors answered (whole requests and batch items)",
            ["error_type"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "beritanlp_request_seconds",
            "Time from request to response",
            ["path"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
            registry=self.registry,
        )
        self.articles = Counter("beritanlp_articles", "Articles analysed", registry=self.registry)
        self.tokens = Counter("beritanlp_tokens", "Tokens analysed", registry=self.registry)
        self.in_flight = Gauge(
            "beritanlp_analyze_in_flight",
            "Analysis requests admitted and not yet answered (analysed or waiting for a worker)",
            registry=self.registry,
        )
        self.workers = Gauge(
            "beritanlp_workers_ready",
            "Worker processes with the pipeline loaded (idle or busy)",
            registry=self.registry,
        )
        self.restarts = Counter(
            "beritanlp_worker_restarts",
            "Worker processes started in place of one stopped by --timeout or dead",
            registry=self.registry,
        )

    def render(self) -> tuple[bytes, str]:
        """The text exposition format and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
