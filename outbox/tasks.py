"""The outbox's jobs: beat flushes the waiting rows every minute, and a worker flushes them when it starts."""

import logging

from celery import shared_task
from celery.signals import worker_ready

from . import dispatch
from .jobs import exclusive

logger = logging.getLogger(__name__)


@shared_task(name="outbox.tasks.flush_outbox", ignore_result=True)
def flush_outbox() -> int:
    """Publish the jobs that could not be queued when they were created (Redis was down)."""
    with exclusive("outbox.flush_outbox") as go:
        if not go:
            return 0
        sent = dispatch.flush()
    if sent:
        logger.info("outbox: %s waiting job(s) published", sent)
    return sent


@worker_ready.connect
def _flush_when_a_worker_starts(sender=None, **kwargs) -> None:
    try:
        flush_outbox.delay()
    except Exception:  # the broker went away again: beat's next flush will do
        logger.warning("outbox: could not queue the start-up flush")
