from celery import shared_task
from django.core.management import call_command


@shared_task(name="coordination.tasks.ping")
def ping() -> str:
    """A round trip through the broker and a worker (used by the smoke test and `make run`)."""
    return "pong"


@shared_task(name="coordination.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    call_command("clearsessions")
