"""The transactional outbox: write the job with the change, publish it after commit, keep it while Redis is down.

Every Celery job the apps queue goes through `enqueue` (never `.delay()` from a page): the row commits or rolls
back with the change that needs it, so a job is never lost (Redis down, process killed between the commit and the
publish) and never sent for a change that rolled back. Publishing fails fast (no retry loop, no result
subscription) so that a page never waits for a broker that is down. Tasks are idempotent: a job may be delivered
twice (at least once), never zero times.
"""

import logging

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def _task_name(task) -> str:
    return task if isinstance(task, str) else task.name


class _PublishAfterCommit:
    """The on-commit callback; `outbox_key` lets `enqueue` queue one job per key and transaction."""

    def __init__(self, message_id: int, key: str):
        self.outbox_message_id = message_id
        self.outbox_key = key

    def __call__(self) -> None:
        try:
            publish([self.outbox_message_id])
        except Exception:  # the change is committed: never turn a saved change into an error page
            logger.exception("outbox: message %s left for the next flush", self.outbox_message_id)


def enqueue(task, *args, key: str = "", **kwargs) -> None:
    """Queue `task(*args, **kwargs)` (ids only) once the current transaction commits.

    With a `key`, several calls in one transaction queue one job (e.g. one alert run per person).
    """
    connection = transaction.get_connection()
    if key and any(getattr(entry[1], "outbox_key", None) == key for entry in connection.run_on_commit):
        return
    message = OutboxMessage.objects.create(task=_task_name(task), args=list(args), kwargs=kwargs)
    transaction.on_commit(_PublishAfterCommit(message.pk, key))


def _broker_connection():
    timeout = settings.OUTBOX_PUBLISH_TIMEOUT
    return current_app.connection_for_write(
        connect_timeout=timeout,
        transport_options={"max_retries": 0, "socket_connect_timeout": timeout, "socket_timeout": timeout},
    )


def publish(ids) -> int:
    """Publish these outbox rows (skipping rows another process is publishing); delete the ones sent."""
    sent: list[int] = []
    with transaction.atomic():
        rows = list(OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk__in=ids).order_by("id"))
        if not rows:
            return 0
        error = None
        try:
            with _broker_connection() as connection:
                for row in rows:
                    current_app.send_task(
                        row.task,
                        args=row.args,
                        kwargs=row.kwargs,
                        retry=False,
                        ignore_result=True,
                        connection=connection,
                    )
                    sent.append(row.pk)
        except Exception as exc:  # the broker is down or refused: keep the rest for the next flush
            error = f"{type(exc).__name__}: {exc}"[:300]
            logger.warning("outbox: broker unavailable, %s message(s) kept (%s)", len(rows) - len(sent), error)
        if sent:
            OutboxMessage.objects.filter(pk__in=sent).delete()
        if error:
            OutboxMessage.objects.filter(pk__in=[r.pk for r in rows if r.pk not in sent]).update(
                attempts=F("attempts") + 1, last_error=error, last_attempt_at=timezone.now()
            )
    return len(sent)


def flush(*, batch: int = 500, limit: int | None = None) -> int:
    """Publish every waiting row, oldest first, until the broker refuses or nothing is left. Returns the count."""
    total = 0
    last_id = 0
    while limit is None or total < limit:
        ids = list(OutboxMessage.objects.filter(pk__gt=last_id).order_by("id").values_list("id", flat=True)[:batch])
        if not ids:
            break
        sent = publish(ids)
        total += sent
        if sent < len(ids) and OutboxMessage.objects.filter(pk__in=ids).exists():
            break  # the broker refused: try again at the next flush
        last_id = ids[-1]
    return total


def oldest_waiting():
    """The creation time of the oldest row not yet published (None when the outbox is empty)."""
    return OutboxMessage.objects.order_by("created_at").values_list("created_at", flat=True).first()
