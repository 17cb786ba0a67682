"""Prometheus metrics at /metrics, for operators: requests, latency, the page cache, refusals.

Off unless METRICS_ENABLED; then /metrics answers only clients in METRICS_ALLOWED_ADDRESSES
(loopback by default) that also send `Authorization: Bearer <METRICS_TOKEN>` when a token is
set. Anyone else gets the same 404 as when metrics are off, so the page gives nothing away.

Labels are the Flask endpoint name ("roles.role_detail", "none" when no route matched), the
method and the status: never a path, a query string or anything a visitor typed, which could be
health data. Under gunicorn, each worker writes its numbers to files in PROMETHEUS_MULTIPROC_DIR
(set by gunicorn.conf.py) and a scrape adds them up; elsewhere the app keeps its own registry.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterator
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from flask import Flask, Response, abort, g, request

# prometheus_client turns multiprocess mode on when the variable merely exists, and an empty
# one would make it write its files into the working directory: empty means unset here.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR") == "":
    del os.environ["PROMETHEUS_MULTIPROC_DIR"]

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest  # noqa: E402
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import InfoMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from .config import ConfigError
from .request_log import method_name

METRICS_ENDPOINT = "metrics"  # exempt from rate limits by this name
ANY_ADDRESS = "*"
# From a cached page (well under a millisecond) to a slow database (the 5-second timeout).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class MetricsAccess:
    """Who may read /metrics."""

    token: str | None
    networks: tuple[Network, ...] | None  # None: any address

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MetricsAccess:
        token = config.get("METRICS_TOKEN") or None
        addresses = config["METRICS_ALLOWED_ADDRESSES"]
        if isinstance(addresses, str):  # from the environment: "127.0.0.1, 10.0.0.0/8"
            addresses = [address for address in addresses.split(",") if address.strip()]
        if ANY_ADDRESS in [address.strip() for address in addresses]:
            if token is None:
                raise ConfigError(
                    "METRICS_ALLOWED_ADDRESSES='*' opens /metrics to every address: "
                    "set METRICS_TOKEN too, or list the addresses that may read it."
                )
            return cls(token, None)
        try:
            networks = tuple(ipaddress.ip_network(address.strip()) for address in addresses)
        except ValueError as error:
            raise ConfigError(f"METRICS_ALLOWED_ADDRESSES: {error}") from None
        return cls(token, networks)

    def allows(self, remote_addr: str | None, authorization: str | None) -> bool:
        if self.networks is not None:
            try:
                address = ipaddress.ip_address(remote_addr or "")
            except ValueError:
                return False
            if not any(address in network for network in self.networks):
                return False
        if self.token is None:
            return True
        expected = f"Bearer {self.token}".encode()
        return hmac.compare_digest((authorization or "").encode(), expected)


class RequestMetrics:
    """The app's metrics, and the labelled series already looked up: a labels() call per
    request would cost more than the count itself."""

    def __init__(self, registry: CollectorRegistry):
        self.requests = Counter(
            "pcn_http_requests",
            "Requests answered, by Flask endpoint, method and status.",
            ["endpoint", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "pcn_http_request_duration_seconds",
            "Time from the first to the last of the app's request hooks, by Flask endpoint.",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.page_cache_hits = Counter(
            "pcn_page_cache_hits",
            "Pages served from the worker's page cache (stale ones included).",
            registry=registry,
        )
        self.page_cache_misses = Counter(
            "pcn_page_cache_misses",
            "Cacheable pages not in the page cache, drawn afresh (or answered 503).",
            registry=registry,
        )
        self.stale_pages = Counter(
            "pcn_stale_pages_served",
            "Pages served as last drawn because the database was not answering.",
            registry=registry,
        )
        self.rate_limited = Counter(
            "pcn_rate_limited_requests",
            "Requests refused by a rate limit (429), by Flask endpoint.",
            ["endpoint"],
            registry=registry,
        )
        self.database_unavailable = Counter(
            "pcn_database_unavailable_responses",
            "Answers of 503 because the database was not answering, by Flask endpoint.",
            ["endpoint"],
            registry=registry,
        )
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def record(self, endpoint: str, method: str, status: int, seconds: float) -> None:
        key = (endpoint, method, status)
        series = self._series.get(key)
        if series is None:
            # Bounded: endpoints and methods are fixed sets, and the app answers few statuses.
            series = (
                self.requests.labels(endpoint, method, str(status)),
                self.latency.labels(endpoint),
            )
            self._series[key] = series
        count, latency = series
        count.inc()
        latency.observe(seconds)
        if status == 429:
            self.rate_limited.labels(endpoint).inc()
        elif status == 503:
            self.database_unavailable.labels(endpoint).inc()


class ContentVersionCollector:
    """pcn_content_version_info{version="..."} 1: the content version this process last read
    from the database, looked up when scraped. Under gunicorn that is the worker answering the
    scrape; workers agree within CONTENT_VERSION_TTL seconds of a content load."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self) -> Iterator[Metric]:
        info = InfoMetricFamily(
            "pcn_content_version", "The content version (a hash of the content) being served."
        )
        clock = self.app.extensions.get("version_clock")
        version = getattr(clock, "last_good", None)
        if version is not None:
            info.add_metric([], {"version": version})
        yield info


def every_workers_metrics(version: ContentVersionCollector) -> CollectorRegistry:
    """Under gunicorn: the files of every worker, alive or gone, added up. Made per scrape, so
    it reads the directory this worker was started with, the one it writes to."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(version)
    return registry


def init_app(app: Flask) -> None:
    """Call right after request_log.init_app (it times the request)."""
    if not app.config["METRICS_ENABLED"]:
        return  # no hooks, no /metrics: a 404 like any unknown address
    access = MetricsAccess.from_config(app.config)
    registry = CollectorRegistry()  # never the global one: tests make many apps
    metrics = RequestMetrics(registry)
    version = ContentVersionCollector(app)
    registry.register(version)
    app.extensions["metrics"] = metrics

    @app.after_request
    def count_request(response: Response) -> Response:
        state = g._get_current_object()  # one proxy lookup, not five (see request_log.py)
        started = state.get("request_started")
        if started is None:  # an error before request_log's first hook ran
            return response
        sent = request._get_current_object()
        rule = sent.url_rule
        metrics.record(
            rule.endpoint if rule is not None else "none",
            method_name(sent.method),
            response.status_code,
            perf_counter() - started,
        )
        if state.get("page_cache_key") is not None:
            if state.get("page_cache_hit"):
                metrics.page_cache_hits.inc()
            else:
                metrics.page_cache_misses.inc()
        if state.get("served_stale"):
            metrics.stale_pages.inc()
        return response

    def metrics_view() -> Response:
        if not access.allows(request.remote_addr, request.headers.get("Authorization")):
            abort(404)
        multiprocess = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        scraped = every_workers_metrics(version) if multiprocess else registry
        response = Response(generate_latest(scraped), content_type=CONTENT_TYPE_LATEST)
        response.headers["Cache-Control"] = "no-store"
        return response

    # On the app, not a blueprint: the page cache only keeps pages of its blueprints.
    app.add_url_rule("/metrics", endpoint=METRICS_ENDPOINT, view_func=metrics_view)
