"""Rows for the pages: each alert with its explanation for what the viewer may see (constant queries)."""

from dataclasses import dataclass

from django.utils import timezone

from parcours.access import health_person_ids

from .text import explain


@dataclass
class AlertRow:
    alert: object
    explanation: str


def present(user, alerts: list) -> list[AlertRow]:
    today = timezone.localdate()
    health = health_person_ids(user, sorted({a.person_id for a in alerts}))
    return [AlertRow(alert=a, explanation=explain(a, shows_health=a.person_id in health, today=today)) for a in alerts]
