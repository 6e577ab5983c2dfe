"""The daily e-mail digest and the escalation to the coordinators (domain.md §5, notification).

E-mails carry counts, links and at most a first name and an initial: never a full name (privacy.md §8).
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.accounts.models import Role

from .enums import AlertStatus
from .models import Alert, AlertSettings

DIGEST_MAX_LINES = 20


def short_name(first_name: str, last_name: str) -> str:
    """ "Camille M." — the most an e-mail says about a person."""
    initial = (last_name or "").strip()[:1].upper()
    return f"{first_name} {initial}." if initial else first_name


def digest_rows():
    """Open alerts with an owner, with the owner's e-mail: one query, streamed."""
    return (
        Alert.objects.open()
        .filter(owner__isnull=False, owner__is_active=True)
        .by_urgency()
        .order_by("owner_id", "-severity_rank", "due_on", "id")
        .values_list(
            "owner_id", "owner__email", "id", "rule", "severity", "due_on", "person__first_name", "person__last_name"
        )
        .iterator(chunk_size=2000)
    )


def build_digest(lines: list[tuple]) -> tuple[str, str]:
    from .enums import AlertRule, Severity

    counts = defaultdict(int)
    items = []
    for _id, rule, severity, due_on, first, last in lines:
        counts[severity] += 1
        if len(items) < DIGEST_MAX_LINES:
            items.append(
                {
                    "who": short_name(first, last),
                    "rule": AlertRule(rule).label,
                    "severity": Severity(severity).label,
                    "due_on": due_on,
                    "link": settings.SITE_URL + reverse("parcours:alert_detail", args=[_id]),
                }
            )
    context = {
        "total": len(lines),
        "urgent": counts["URGENT"],
        "warning": counts["WARNING"],
        "info": counts["INFO"],
        "items": items,
        "more": max(0, len(lines) - len(items)),
        "inbox": settings.SITE_URL + reverse("parcours:alert_list"),
    }
    subject = _("Vos alertes ouvertes : %(n)s") % {"n": len(lines)}
    return subject, render_to_string("parcours/alerts/email/digest.txt", context)


def send_digests() -> int:
    """One e-mail per user owning open alerts. Returns the number of e-mails sent."""
    sent = 0
    connection = get_connection()
    current, email, lines = None, None, []

    def flush():
        nonlocal sent
        if current is not None and lines:
            subject, body = build_digest(lines)
            sent += send_mail(subject, body, None, [email], connection=connection)

    for owner_id, owner_email, *line in digest_rows():
        if owner_id != current:
            flush()
            current, email, lines = owner_id, owner_email, []
        lines.append(tuple(line))
    flush()
    return sent


def coordinators():
    return get_user_model().objects.filter(is_active=True, memberships__role=Role.COORDINATOR).distinct()


@transaction.atomic
def escalate(now: dt.datetime | None = None) -> int:
    """Open alerts not acknowledged after `escalation_days`: marked escalated, coordinators e-mailed once."""
    now = now or timezone.now()
    cfg = AlertSettings.load()
    limit = now - dt.timedelta(days=cfg.escalation_days)
    escalated = Alert.objects.filter(status=AlertStatus.OPEN, created_at__lt=limit, escalated_at__isnull=True).update(
        escalated_at=now
    )
    if escalated:
        link = settings.SITE_URL + reverse("parcours:alert_dashboard")
        subject = _("%(n)s alerte(s) non prise(s) en charge depuis %(days)s jours") % {
            "n": escalated,
            "days": cfg.escalation_days,
        }
        body = _(
            "%(n)s alerte(s) n'ont pas été prises en compte par leur responsable depuis %(days)s jours.\n\n"
            "Tableau de bord des alertes : %(link)s\n"
        ) % {"n": escalated, "days": cfg.escalation_days, "link": link}
        recipients = list(coordinators().exclude(email="").values_list("email", flat=True).order_by("email"))
        if recipients:
            transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return escalated


def escalated_for(user):
    """Escalated open alerts, for the coordinators' dashboard and badge."""
    return Alert.objects.open().filter(Q(escalated_at__isnull=False))
