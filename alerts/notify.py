"""The daily e-mail digest and the escalation to the coordinators (domain.md §5, notification).

E-mails carry counts, links and at most a first name and an initial: never a full name (privacy.md §8).
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from .enums import AlertRule, AlertStatus, Severity
from .models import Alert, AlertSettings

DIGEST_MAX_LINES = 20


def short_name(first_name: str, last_name: str) -> str:
    """ "Camille M." — the most an e-mail says about a person."""
    initial = (last_name or "").strip()[:1].upper()
    return f"{first_name} {initial}." if initial else first_name


DIGEST_SQL = """
    WITH recipients AS (
        SELECT a.owner_id AS user_id, a.id FROM parcours_alert a
        WHERE a.status IN ('OPEN', 'ACKNOWLEDGED') AND a.owner_id IS NOT NULL
        UNION
        -- Without an owner (no lead referent): the managers of every structure with an open follow-up.
        SELECT m.user_id, a.id FROM parcours_alert a
        JOIN parcours_followup f ON f.person_id = a.person_id AND f.ended_on IS NULL
        JOIN accounts_membership m ON m.structure_id = f.structure_id AND m.role = 'MANAGER'
        WHERE a.status IN ('OPEN', 'ACKNOWLEDGED') AND a.owner_id IS NULL
    )
    SELECT u.id, u.email, a.id, a.rule, a.severity, a.due_on, p.first_name, p.last_name
    FROM recipients r
    JOIN accounts_user u ON u.id = r.user_id AND u.is_active AND u.email <> ''
    JOIN parcours_alert a ON a.id = r.id
    JOIN parcours_person p ON p.id = a.person_id
    ORDER BY u.id, CASE a.severity WHEN 'URGENT' THEN 3 WHEN 'WARNING' THEN 2 ELSE 1 END DESC,
             a.due_on NULLS LAST, a.id
"""


def digest_rows():
    """(user id, e-mail, alert id, rule, severity, due date, first name, last name), by user: one query,
    read in chunks by a server-side cursor."""
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(DIGEST_SQL)
        while rows := cursor.fetchmany(2000):
            yield from rows


def build_digest(lines: list[tuple]) -> tuple[str, str]:
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
                    "link": settings.SITE_URL + reverse("alerts:alert_detail", args=[_id]),
                }
            )
    context = {
        "total": len(lines),
        "urgent": counts["URGENT"],
        "warning": counts["WARNING"],
        "info": counts["INFO"],
        "items": items,
        "more": max(0, len(lines) - len(items)),
        "inbox": settings.SITE_URL + reverse("alerts:alert_list"),
    }
    subject = _("Vos alertes ouvertes : %(n)s") % {"n": len(lines)}
    return subject, render_to_string("alerts/email/digest.txt", context)


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
        link = settings.SITE_URL + reverse("alerts:alert_dashboard")
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
