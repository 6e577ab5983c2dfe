from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from outbox.jobs import exclusive
from outbox.models import SubmissionKey


@shared_task(name="coordination.tasks.ping")
def ping() -> str:
    """A round trip through the broker and a worker (used by the smoke test and `make run`)."""
    return "pong"


@shared_task(name="coordination.tasks.clear_expired_sessions")
def clear_expired_sessions(scheduled: bool = False) -> None:
    """Nightly: drop expired sessions and the once-only submission keys older than a day."""
    with exclusive("coordination.clear_expired_sessions", daily=scheduled) as go:
        if go:
            call_command("clearsessions")
            SubmissionKey.objects.filter(created_at__lt=timezone.now() - timezone.timedelta(days=1)).delete()
