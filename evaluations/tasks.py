"""The evaluations' job: the periodic rebuild of the cohort's summary (Celery beat, `reports` queue)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="evaluations.tasks.refresh_cohort", acks_late=True)
def refresh_cohort() -> dict:
    """Rebuild the counts the cohort page reads (evaluations/cohort.py); set-wise, idempotent."""
    from .cohort import refresh

    row = refresh()
    logger.info("evaluations cohort refreshed in %s ms", row.duration_ms)
    return {"duration_ms": row.duration_ms, "refreshed_at": row.refreshed_at.isoformat()}
