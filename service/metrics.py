"""Prometheus metrics of one service process: requests, the bundle served, the encoder and the job queue."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from service.state import AppState

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128)
JOB_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200)


class Metrics:
    """The metrics of one app, in a registry of its own (each app, and each test, counts separately)."""

    def __init__(self, state: Callable[[], AppState]) -> None:
        """Create the metrics.

        Args:
            state: returns the app's state; read when Prometheus scrapes (bundle, job queue).
        """
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "creatormatch_http_request_duration_seconds", "Time to answer a request, by route template.",
            ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.responses = Counter(
            "creatormatch_http_responses", "Responses by route template and status code (errors are 4xx and 5xx).",
            ["method", "route", "status"], registry=self.registry)
        self.creators_returned = Counter(
            "creatormatch_creators_returned", "Creators returned in results, by route.", ["route"],
            registry=self.registry)
        self.encoder_batch_size = Histogram(
            "creatormatch_encoder_batch_size", "Texts per shared forward pass of the query encoder.",
            buckets=BATCH_BUCKETS, registry=self.registry)
        self.job_seconds = Histogram(
            "creatormatch_job_duration_seconds", "Time this process spent running a shortlist job, by outcome "
            "(done, failed, lost: cancelled or taken over).", ["outcome"], buckets=JOB_BUCKETS,
            registry=self.registry)
        self.registry.register(_StateCollector(state))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.request_seconds.labels(method, route).observe(seconds)
        self.responses.labels(method, route, str(status)).inc()

    def observe_job(self, outcome: str, seconds: float) -> None:
        """Count one run of a job by this process."""
        self.job_seconds.labels(outcome).observe(seconds)

    def render(self) -> bytes:
        """Everything, in the Prometheus text format."""
        return generate_latest(self.registry)


class _StateCollector(Collector):
    """What is read at scrape time: the bundle being served and the job queue (shared by every worker)."""

    def __init__(self, state: Callable[[], AppState]) -> None:
        self.state = state

    def collect(self) -> Iterator[Metric]:
        state = self.state()
        ready = GaugeMetricFamily("creatormatch_bundle_ready", "1 when a bundle is loaded and queries are answered.")
        ready.add_metric([], 1.0 if state.ranker is not None else 0.0)
        yield ready
        if state.ranker is not None:
            manifest = state.ranker.bundle.manifest
            info = GaugeMetricFamily("creatormatch_bundle_info", "The bundle being served (always 1).",
                                     labels=["version", "model"])
            info.add_metric([manifest.version, manifest.model_name], 1.0)
            yield info
            creators = GaugeMetricFamily("creatormatch_bundle_creators", "Creators in the bundle being served.")
            creators.add_metric([], float(manifest.creators))
            yield creators
            built = _unix_time(manifest.built_at)
            if built is not None:
                age = GaugeMetricFamily("creatormatch_bundle_age_seconds", "Seconds since the served bundle was built.")
                age.add_metric([], max(0.0, time.time() - built))
                yield age
        try:
            counts = state.jobs.counts()
        except Exception as exc:  # a store that cannot be read must not break the scrape of everything else
            logger.warning("metrics: job store unreadable: %s", exc)
        else:
            jobs = GaugeMetricFamily("creatormatch_jobs", "Shortlist jobs in the store by status (queued = the "
                                     "queue depth).", labels=["status"])
            for status, count in counts.items():
                jobs.add_metric([status], float(count))
            yield jobs
        errors = CounterMetricFamily("creatormatch_job_runner_errors", "Errors the job runner of this process "
                                     "survived (each logged; the runner backs off and goes on).")
        errors.add_metric([], float(state.runner.errors))
        yield errors
        up = GaugeMetricFamily("creatormatch_job_runner_up", "1 while this process's job runner thread runs.")
        up.add_metric([], 1.0 if state.runner.alive else 0.0)
        yield up


def _unix_time(iso: str) -> float | None:
    """An ISO 8601 time as Unix seconds, or None when it does not parse."""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
