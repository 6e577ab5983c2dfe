from celery import shared_task

from outbox.jobs import exclusive

from . import services


@shared_task(name="partenaires.tasks.send_review_reminders", acks_late=True)
def send_review_reminders(scheduled: bool = False) -> int:
    with exclusive("partenaires.send_review_reminders", daily=scheduled) as go:
        return services.review_reminders_send() if go else 0


@shared_task(name="partenaires.tasks.send_action_digest", acks_late=True)
def send_action_digest(scheduled: bool = False) -> int:
    with exclusive("partenaires.send_action_digest", daily=scheduled) as go:
        return services.action_digest_send() if go else 0
