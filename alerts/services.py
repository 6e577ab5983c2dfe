"""Writes on alerts (from the pages, the admin and tasks) and the on-change hook for the people app."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
import outbox
from audit.models import Action
from parcours.access import get_access
from parcours.models import Person

from .enums import OPEN_STATUSES, AlertStatus, DismissReason, ProposalSource, Resolution
from .models import Alert, AlertTransition, CaseConferenceProposal


# --- the on-change hook ------------------------------------------------------------------------------
def person_changed(person_id: int) -> None:
    """Queue the alert rules for one person once the current transaction commits (person id only).

    The people app calls it after a situation, resource, event, referral or follow-up of the person changed;
    several calls in one transaction queue one task per person.
    """
    outbox.enqueue("alerts.tasks.run_alerts_for_person", person_id, key=f"alerts.person.{person_id}")


# One job per chunk of people: the rules run set-wise over the chunk (an import of 10,000 people queues 10 jobs,
# not 10,000 outbox rows and tasks).
PEOPLE_CHUNK = 1000


def people_changed(person_ids) -> None:
    """Queue the alert rules for many people (ids only) once the current transaction commits."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), PEOPLE_CHUNK):
        outbox.enqueue("alerts.tasks.run_alerts_for_people", ids[start : start + PEOPLE_CHUNK])


# --- transitions from the pages ----------------------------------------------------------------------
def _lock_visible_open(alert_id: int, by) -> Alert:
    """The alert under row lock, if `by` may see its person and act on it; else 404/403/validation errors."""
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None or not Alert.objects.visible_to(by).filter(pk=alert_id).exists():
        raise Http404(_("Alerte introuvable."))
    access = get_access(by, alert.person)
    if not access.is_visible:
        raise Http404(_("Alerte introuvable."))
    if not access.can_write:
        raise PermissionDenied(_("Vous pouvez consulter cette alerte mais pas la traiter."))
    if not alert.is_open:
        raise ValidationError(_("Cette alerte est déjà close."))
    return alert


def _log(alert: Alert, from_status: str, by, reason: str = "", note: str = "") -> None:
    AlertTransition.objects.create(
        alert=alert, from_status=from_status, to_status=alert.status, by=by, reason=reason, note=note
    )
    audit.record(user=by, action=Action.UPDATE, person=alert.person_id, obj=alert, detail=alert.status.lower())


@transaction.atomic
def alert_acknowledge(*, alert_id: int, by, note: str = "") -> Alert:
    alert = _lock_visible_open(alert_id, by)
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert
    previous = alert.status
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_at, alert.acknowledged_by = timezone.now(), by
    if note:
        alert.note = note
    alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "note", "updated_at"])
    _log(alert, previous, by, note=note)
    return alert


@transaction.atomic
def alert_resolve(*, alert_id: int, by, note: str = "") -> Alert:
    alert = _lock_visible_open(alert_id, by)
    previous = alert.status
    now = timezone.now()
    alert.status, alert.resolution = AlertStatus.RESOLVED, Resolution.MANUAL
    alert.closed_at, alert.closed_by = now, by
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    alert.note = note or alert.note
    alert.save()
    _log(alert, previous, by, note=note)
    return alert


@transaction.atomic
def alert_dismiss(*, alert_id: int, by, reason: str, note: str = "") -> Alert:
    if reason not in DismissReason.values:
        raise ValidationError({"reason": _("Choisissez pourquoi l'alerte est écartée.")})
    if reason == DismissReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Précisez le motif « Autre ».")})
    alert = _lock_visible_open(alert_id, by)
    previous = alert.status
    now = timezone.now()
    alert.status, alert.dismiss_reason = AlertStatus.DISMISSED, reason
    alert.closed_at, alert.closed_by = now, by
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    alert.note = note
    alert.save()
    _log(alert, previous, by, reason=reason, note=note)
    return alert


@transaction.atomic
def alerts_acknowledge(*, alert_ids, by) -> int:
    """Bulk acknowledge: only open alerts of people `by` may change; the others are left as they are."""
    ids = sorted({int(i) for i in alert_ids})
    writable = Person.objects.writable_by(by).values("pk")
    alerts = list(
        Alert.objects.visible_to(by)
        .select_for_update(of=("self",))
        .filter(pk__in=ids, status=AlertStatus.OPEN, person__in=writable)
        .order_by("id")
    )
    now = timezone.now()
    for alert in alerts:
        alert.status, alert.acknowledged_at, alert.acknowledged_by, alert.updated_at = (
            AlertStatus.ACKNOWLEDGED,
            now,
            by,
            now,
        )
    Alert.objects.bulk_update(alerts, ["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    AlertTransition.objects.bulk_create(
        AlertTransition(alert=a, from_status=AlertStatus.OPEN, to_status=AlertStatus.ACKNOWLEDGED, by=by)
        for a in alerts
    )
    for alert in alerts:
        audit.record(user=by, action=Action.UPDATE, person=alert.person_id, obj=alert, detail="acknowledged")
    return len(alerts)


@transaction.atomic
def propose_conference(*, alert_id: int, by) -> CaseConferenceProposal:
    """COMPLEX_CASE: the lead referent proposes the situation to a case conference (coordinators are told)."""
    alert = _lock_visible_open(alert_id, by)
    if alert.rule != "COMPLEX_CASE":
        raise ValidationError(_("Seule une alerte « situation complexe » se propose en commission."))
    proposal = CaseConferenceProposal.objects.filter(alert=alert).first()
    if proposal is None:
        if CaseConferenceProposal.objects.pending().filter(person_id=alert.person_id).exists():
            raise ValidationError(_("Une proposition est déjà en attente pour cette personne."))
        access = get_access(by, alert.person)
        proposal = CaseConferenceProposal.objects.create(
            alert=alert,
            person_id=alert.person_id,
            proposed_by=by,
            source=ProposalSource.ALERT,
            structure_id=access.acting_structure_ids[0] if access.acting_structure_ids else None,
        )
    if alert.status == AlertStatus.OPEN:
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, timezone.now(), by
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
        _log(alert, AlertStatus.OPEN, by, reason="CONFERENCE")
    return proposal


__all__ = [
    "OPEN_STATUSES",
    "PEOPLE_CHUNK",
    "alert_acknowledge",
    "alert_dismiss",
    "alert_resolve",
    "alerts_acknowledge",
    "people_changed",
    "person_changed",
    "propose_conference",
]
