import hmac
import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import MembershipSwitchForm
from accounts.membership import set_active_membership
from accounts.scope import user_scope
from coordination import observability
from coordination.celery import app as celery_app

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership or None
    scope = user_scope(request.user)  # every membership, like the permissions (docs/architecture.md, "Roles")
    return render(
        request,
        "coordination/home.html",
        {
            "membership": membership,
            "role": membership.role if membership else None,
            "is_field_role": scope.is_field,
            "is_manager": scope.is_manager,
            "is_coordinator": scope.is_coordinator,
            "is_funder": scope.is_funder,
            "is_admin": scope.is_admin,
        },
    )


@require_POST
def switch_membership(request: HttpRequest) -> HttpResponse:
    form = MembershipSwitchForm(request.POST, user=request.user)
    if form.is_valid():
        membership = form.cleaned_data["membership"]
        set_active_membership(request, membership)
        messages.success(
            request, _("Vous agissez maintenant pour %(structure)s.") % {"structure": membership.structure}
        )
    else:
        messages.error(request, _("Cette structure ne fait pas partie de vos appartenances."))
    return redirect("home")


QUEUES = ("default", "alerts", "reports")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _redis_client():
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _redis_ok() -> bool:
    try:
        return bool(_redis_client().ping())
    except Exception:
        logger.warning("healthz: redis check failed")
        return False


def _workers_per_queue() -> tuple[int, dict[str, int]]:
    """How many live workers answer, and how many consume each queue (one broadcast, bounded in time)."""
    try:
        replies = celery_app.control.inspect(timeout=settings.HEALTHZ_WORKER_TIMEOUT).active_queues() or {}
    except Exception:
        logger.warning("healthz: worker inspection failed")
        replies = {}
    per_queue = dict.fromkeys(QUEUES, 0)
    for queues in replies.values():
        for queue in queues or []:
            per_queue[queue["name"]] = per_queue.get(queue["name"], 0) + 1
    return len(replies), per_queue


def _queue_lengths() -> dict[str, int]:
    client = _redis_client()
    return {queue: int(client.llen(queue)) for queue in QUEUES}


def _outbox_state() -> dict:
    from outbox.dispatch import oldest_waiting
    from outbox.models import OutboxMessage

    oldest = oldest_waiting()
    return {
        "waiting": OutboxMessage.objects.count(),
        "oldest": oldest.isoformat() if oldest else None,
        "oldest_age_seconds": round((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """State of the stack for load balancers and operators: no login, no personal data (counts and times only).

    503 when the database or Redis is down or a queue has no worker; `reasons` says which.
    """
    reasons = []
    database = _database_ok()
    redis_up = _redis_ok()
    workers, per_queue = _workers_per_queue() if redis_up else (0, dict.fromkeys(QUEUES, 0))
    if not database:
        reasons.append("database: down")
    if not redis_up:
        reasons.append("redis: down (jobs wait in the outbox)")
    elif not workers:
        reasons.append("celery: no worker answers")
    else:
        reasons += [f"celery: no worker consumes the {queue} queue" for queue, n in per_queue.items() if not n]
    payload = {
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
        "database": "ok" if database else "down",
        "redis": "ok" if redis_up else "down",
        "celery_workers": workers,
        "workers_per_queue": per_queue,
        "queue_lengths": _queue_lengths() if redis_up else None,
        "outbox": None,
        "beat_last_run": None,
        "jobs": {},
    }
    if database:
        from outbox.jobs import last_runs

        try:
            payload["outbox"] = _outbox_state()
            payload["jobs"] = last_runs()
            payload["beat_last_run"] = (payload["jobs"].get("outbox.flush_outbox") or {}).get("started_at")
        except Exception:
            logger.exception("healthz: outbox state unavailable")
    return JsonResponse(payload, status=503 if reasons else 200)


@login_not_required
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a scraper holding `METRICS_TOKEN` (`Authorization: Bearer …`); else 404."""
    expected = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404
    gauges = []
    try:
        snapshot = observability.metrics.snapshot()
        for queue, length in _queue_lengths().items():
            gauges.append(("celery_queue_length", "Messages waiting in a Celery queue.", f'queue="{queue}"', length))
        gauges.append(("redis_up", "1 when Redis answers.", "", 1))
    except redis.RedisError:
        snapshot = {}
        gauges.append(("redis_up", "1 when Redis answers.", "", 0))
    state = _outbox_state()
    gauges.append(("outbox_waiting_jobs", "Jobs kept in the outbox (not yet sent to Redis).", "", state["waiting"]))
    gauges.append(
        ("outbox_oldest_age_seconds", "Age of the oldest job in the outbox.", "", state["oldest_age_seconds"])
    )
    body = observability.render_prometheus(snapshot, gauges)
    return HttpResponse(body, content_type="text/plain; version=0.0.4; charset=utf-8")
