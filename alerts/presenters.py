"""Rows for the pages: each alert with its explanation for what the viewer may see (constant queries)."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.scope import user_scope
from parcours.enums import ConsentScope, FollowUpEndReason

from .text import explain


@dataclass
class AlertRow:
    alert: object
    explanation: str


def health_person_ids(user, person_ids) -> set[int]:
    """People among `person_ids` whose ◆ items `user` may see (health access, or RQTH/AAH consent). One query."""
    from parcours.models import Consent, FollowUp

    scope = user_scope(user)
    if not person_ids or not scope.field_structures:
        return set()
    structures = sorted(scope.field_structures)
    health = (
        FollowUp.objects.giving_health_access()
        .filter(structure_id__in=structures, person_id__in=person_ids)
        .exclude(end_reason=FollowUpEndReason.OBJECTION)
        .values_list("person_id", flat=True)
    )
    consent = (
        Consent.objects.active(ConsentScope.HEALTH_TO_EMPLOYMENT)
        .filter(person_id__in=person_ids, person__followups__structure_id__in=structures)
        .values_list("person_id", flat=True)
    )
    return set(health.union(consent))


def present(user, alerts: list) -> list[AlertRow]:
    today = timezone.localdate()
    health = health_person_ids(user, sorted({a.person_id for a in alerts}))
    return [AlertRow(alert=a, explanation=explain(a, shows_health=a.person_id in health, today=today)) for a in alerts]
