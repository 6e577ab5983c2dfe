from django.core.management.base import BaseCommand

from outbox import dispatch


class Command(BaseCommand):
    help = "Publish the Celery jobs kept in the outbox while the broker was unavailable."

    def handle(self, *args, **options):
        sent = dispatch.flush()
        left = dispatch.OutboxMessage.objects.count()
        self.stdout.write(f"{sent} job(s) published, {left} still waiting.")
        return None
