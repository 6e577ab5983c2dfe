import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import MembershipSwitchForm
from accounts.membership import set_active_membership
from accounts.scope import user_scope
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


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("healthz: database check failed")
        return False


def _redis_ok() -> bool:
    try:
        return bool(redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping())
    except Exception:
        logger.exception("healthz: redis check failed")
        return False


def _workers_alive() -> int:
    try:
        return len(celery_app.control.ping(timeout=settings.HEALTHZ_WORKER_TIMEOUT) or [])
    except Exception:
        logger.exception("healthz: worker ping failed")
        return 0


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness of the stack for load balancers and `make run`: no login, no personal data."""
    database = _database_ok()
    redis_up = _redis_ok()
    workers = _workers_alive() if redis_up else 0
    healthy = database and redis_up and workers > 0
    payload = {
        "status": "ok" if healthy else "degraded",
        "database": "ok" if database else "down",
        "redis": "ok" if redis_up else "down",
        "celery_workers": workers,
    }
    return JsonResponse(payload, status=200 if healthy else 503)
