"""Thin Celery tasks on the `alerts` queue: they take ids (or nothing) and call the engine or a service."""

from celery import shared_task

from outbox.jobs import exclusive
from parcours.models import Person

from . import engine, notify


@shared_task(name="alerts.tasks.run_alerts_nightly")
def run_alerts_nightly(scheduled: bool = False) -> dict:
    """Nightly: every rule over every person (one run at a time; once a day when beat schedules it)."""
    with exclusive("alerts.run_alerts_nightly", daily=scheduled) as go:
        if not go:
            return {}
        return {r.rule: [r.created, r.updated, r.resolved] for r in engine.run()}


@shared_task(name="alerts.tasks.run_alerts_for_person")
def run_alerts_for_person(person_id: int) -> dict:
    """Shortly after a relevant change: every rule for one person (the id only; nothing when it is gone)."""
    return run_alerts_for_people([person_id])


@shared_task(name="alerts.tasks.run_alerts_for_people")
def run_alerts_for_people(person_ids: list[int]) -> dict:
    """After a change to many people at once (an import): every rule, set-wise, for those ids (gone ones skipped)."""
    present = list(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True))
    if not present:
        return {}
    return {r.rule: [r.created, r.updated, r.resolved] for r in engine.run(person_ids=present)}


@shared_task(name="alerts.tasks.send_alert_digests")
def send_alert_digests(scheduled: bool = False) -> int:
    """Daily: one e-mail per user with open alerts (counts and links, no names)."""
    with exclusive("alerts.send_alert_digests", daily=scheduled) as go:
        return notify.send_digests() if go else 0


@shared_task(name="alerts.tasks.escalate_alerts")
def escalate_alerts(scheduled: bool = False) -> int:
    """Daily: alerts not acknowledged after the configured days are escalated to the coordinators."""
    with exclusive("alerts.escalate_alerts", daily=scheduled) as go:
        return notify.escalate() if go else 0


# Jobs queued before the app moved out of `parcours` (2026-11) carry the old names: accept them too,
# so that a deployment needs no queue draining (docs/architecture.md, "Migration notes").
for _task in (run_alerts_nightly, run_alerts_for_person, send_alert_digests, escalate_alerts):
    shared_task(name=f"parcours.{_task.name}")(_task.run)
