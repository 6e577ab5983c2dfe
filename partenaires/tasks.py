from celery import shared_task

from . import services


@shared_task(name="partenaires.tasks.send_review_reminders", acks_late=True)
def send_review_reminders() -> int:
    return services.review_reminders_send()


@shared_task(name="partenaires.tasks.send_action_digest", acks_late=True)
def send_action_digest() -> int:
    return services.action_digest_send()
