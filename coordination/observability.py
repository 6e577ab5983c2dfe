"""Request ids, JSON logs, metrics and their Celery hooks (docs/operations.md).

- Every request gets an id (a valid incoming `X-Request-ID`, else a random one), sent back in `X-Request-ID`,
  put on every log line of the request and carried by the Celery jobs it queues (a message header), so that a
  task's log lines carry the request id of the page that queued it. Ids only: never a name.
- `JsonFormatter` writes one JSON object per line (`LOG_FORMAT=json`).
- Metrics live in Redis (shared by every web and worker process, so one scrape of `/metrics` sees them all):
  request latencies per view, task durations and failures per task; queue lengths and the outbox are read when
  `/metrics` is scraped. Writing a metric never fails a request: when Redis is down, metrics are dropped.
"""

import contextvars
import json
import logging
import re
import time
import uuid

import redis
from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django.conf import settings

logger = logging.getLogger(__name__)

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
task_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("task_id", default="")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

HTTP_BUCKETS = (0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
TASK_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
KEY = "coordination:metrics"


# --- request ids and logs ------------------------------------------------------------------------------
class RequestIdMiddleware:
    """First middleware: the request id, and the latency of the request per view (for `/metrics`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match and match.view_name else "unmatched"
        metrics.observe_http(view, request.method, response.status_code, elapsed)
        response["X-Request-ID"] = request_id
        return response


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "task_id"):
            value = getattr(record, name, "")
            if value:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


JsonFormatter.converter = time.gmtime


# --- Celery: carry the request id, time the tasks ------------------------------------------------------
@before_task_publish.connect
def _carry_request_id(headers=None, **kwargs) -> None:
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


_task_started: dict[str, tuple[float, contextvars.Token, contextvars.Token]] = {}


@task_prerun.connect
def _task_started_hook(task_id=None, task=None, **kwargs) -> None:
    request_id = getattr(task.request, "request_id", None) or ""
    _task_started[task_id] = (time.perf_counter(), request_id_var.set(request_id), task_id_var.set(task_id or ""))


@task_postrun.connect
def _task_finished_hook(task_id=None, task=None, state=None, **kwargs) -> None:
    started = _task_started.pop(task_id, None)
    if started is None:
        return
    metrics.observe_task(task.name, time.perf_counter() - started[0], failed=state == "FAILURE")
    request_id_var.reset(started[1])
    task_id_var.reset(started[2])


@task_failure.connect
def _task_failed_hook(sender=None, task_id=None, **kwargs) -> None:
    logger.warning("task %s (%s) failed", getattr(sender, "name", "?"), task_id)


# --- metrics in Redis ----------------------------------------------------------------------------------
class Metrics:
    """Counters and histograms in one Redis hash; a failure to write is ignored (and retried 10 s later)."""

    def __init__(self):
        self._client = None
        self._down_until = 0.0

    def _redis(self):
        if self._client is None:
            self._client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=0.2, socket_connect_timeout=0.2, health_check_interval=30
            )
        return self._client

    def _write(self, increments: dict, floats: dict) -> None:
        if not settings.METRICS_ENABLED or time.monotonic() < self._down_until:
            return
        try:
            pipe = self._redis().pipeline(transaction=False)
            for field, value in increments.items():
                pipe.hincrby(KEY, field, value)
            for field, value in floats.items():
                pipe.hincrbyfloat(KEY, field, value)
            pipe.execute()
        except redis.RedisError:
            self._down_until = time.monotonic() + 10

    @staticmethod
    def _histogram(name: str, labels: str, seconds: float, buckets) -> tuple[dict, dict]:
        increments = {f"{name}_count|{labels}": 1}
        bucket = next((b for b in buckets if seconds <= b), "+Inf")
        increments[f"{name}_bucket|{labels}|{bucket}"] = 1
        return increments, {f"{name}_sum|{labels}": seconds}

    def observe_http(self, view: str, method: str, status: int, seconds: float) -> None:
        labels = f'view="{view}",method="{method}",status="{status // 100}xx"'
        self._write(*self._histogram("http_request_duration_seconds", labels, seconds, HTTP_BUCKETS))

    def observe_task(self, task: str, seconds: float, failed: bool) -> None:
        labels = f'task="{task}"'
        increments, floats = self._histogram("celery_task_duration_seconds", labels, seconds, TASK_BUCKETS)
        if failed:
            increments[f"celery_task_failures_total|{labels}"] = 1
        self._write(increments, floats)

    def snapshot(self) -> dict[str, float]:
        raw = self._redis().hgetall(KEY)
        return {k.decode(): float(v) for k, v in raw.items()}


metrics = Metrics()


def render_prometheus(snapshot: dict[str, float], gauges: list[tuple[str, str, str, float]]) -> str:
    """The Prometheus text format: histograms from the snapshot (cumulative buckets), then gauges."""
    lines: list[str] = []
    histograms = {
        "http_request_duration_seconds": ("Latency of the pages, per view.", HTTP_BUCKETS),
        "celery_task_duration_seconds": ("Duration of the Celery tasks, per task.", TASK_BUCKETS),
    }
    for name, (help_text, buckets) in histograms.items():
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} histogram"]
        label_sets = sorted({k.split("|")[1] for k in snapshot if k.startswith(f"{name}_count|")})
        for labels in label_sets:
            cumulated = 0.0
            for bucket in (*buckets, "+Inf"):
                cumulated += snapshot.get(f"{name}_bucket|{labels}|{bucket}", 0.0)
                lines.append(f'{name}_bucket{{{labels},le="{bucket}"}} {cumulated:g}')
            lines.append(f"{name}_sum{{{labels}}} {snapshot.get(f'{name}_sum|{labels}', 0.0):.6f}")
            lines.append(f"{name}_count{{{labels}}} {snapshot.get(f'{name}_count|{labels}', 0.0):g}")
    name = "celery_task_failures_total"
    lines += [f"# HELP {name} Failed Celery tasks, per task.", f"# TYPE {name} counter"]
    for key in sorted(k for k in snapshot if k.startswith(f"{name}|")):
        lines.append(f"{name}{{{key.split('|')[1]}}} {snapshot[key]:g}")
    seen = set()
    for gauge, help_text, labels, value in gauges:
        if gauge not in seen:
            lines += [f"# HELP {gauge} {help_text}", f"# TYPE {gauge} gauge"]
            seen.add(gauge)
        lines.append(f"{gauge}{{{labels}}} {value:g}" if labels else f"{gauge} {value:g}")
    return "\n".join(lines) + "\n"
