"""Prometheus metrics of one app: requests, latency, engine work, translation-memory hits.

Labels are the route *template* (`/v1/catalogs/<lang>`, or `unmatched`), the method and the
status: bounded sets. Never a client address or a key name: those would make a time series
per caller (unbounded memory in Prometheus) and publish who uses the service on an
unauthenticated endpoint.

Each app has its own registry, so two apps in one process (tests) do not share counters.
Engine and memory figures are read from their own counters when Prometheus scrapes, instead
of being copied on every request.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from l10n.translate.engine import Engine
from l10n.translate.memory import Memory

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Translation requests take from milliseconds (memory hits) to tens of seconds (articles).
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class _WorkCollector(Collector):
    """Reads the engine's and the translation memory's counters at scrape time."""

    def __init__(self, engine: Engine, memory: Memory) -> None:
        self.engine = engine
        self.memory = memory

    def collect(self) -> Iterator[Metric]:
        yield CounterMetricFamily("l10n_engine_segments", "Segments sent to CTranslate2.",
                                  value=self.engine.segments)
        yield CounterMetricFamily("l10n_engine_batches", "translate_batch calls made.",
                                  value=self.engine.calls)
        memory = self.memory
        hits, misses = memory.hits, memory.misses
        yield CounterMetricFamily("l10n_memory_hits", "Segments found in the translation "
                                  "memory.", value=hits)
        yield CounterMetricFamily("l10n_memory_misses", "Segments the translation memory "
                                  "did not have.", value=misses)
        yield CounterMetricFamily("l10n_memory_write_failures", "Batches of engine output the "
                                  "memory could not store (disk full, read-only); they were "
                                  "served all the same.", value=memory.write_failures)
        yield GaugeMetricFamily("l10n_memory_hit_ratio", "hits / (hits + misses) since start; "
                                "0 before any lookup.", value=hits / (hits + misses)
                                if hits + misses else 0.0)


class Metrics:
    def __init__(self, engine: Engine, memory: Memory) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("l10n_http_requests", "HTTP requests answered.",
                                ["endpoint", "method", "status"], registry=self.registry)
        self.latency = Histogram("l10n_http_request_duration_seconds",
                                 "Time from request to response.", ["endpoint", "method"],
                                 buckets=BUCKETS, registry=self.registry)
        self.registry.register(_WorkCollector(engine, memory))

    def observe(self, endpoint: str | None, method: str, status: int, seconds: float) -> None:
        endpoint = endpoint or UNMATCHED
        method = method if method in METHODS else "other"  # clients may send any token
        self.requests.labels(endpoint, method, str(status)).inc()
        self.latency.labels(endpoint, method).observe(seconds)

    def render(self) -> tuple[bytes, str]:
        """The exposition text and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
