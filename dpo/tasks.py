"""Thin Celery tasks of the DPO app (beat: see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from . import retention, services


@shared_task(name="dpo.tasks.apply_retention")
def apply_retention() -> dict:
    return retention.apply_retention()


@shared_task(name="dpo.tasks.flag_bulk_access")
def flag_bulk_access() -> int:
    """Yesterday's "more than 50 different files opened" notices to the DPO."""
    return services.flag_bulk_access()
