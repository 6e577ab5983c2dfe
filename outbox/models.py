"""The outbox of Celery jobs not yet handed to the broker, the once-only submission keys and the job runs."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery job written in the same transaction as the change that needs it; deleted once published."""

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("arguments nommés"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche en attente")
        verbose_name_plural = _("tâches en attente")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["created_at"], name="outbox_message_created_idx")]

    def __str__(self) -> str:
        return f"{self.task}#{self.pk}"


class SubmissionKey(models.Model):
    """A form's one-time key: the first submission creates, the next ones are sent to its result."""

    key = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("clé de soumission")
        verbose_name_plural = _("clés de soumission")

    def __str__(self) -> str:
        return str(self.key)


class JobRun(models.Model):
    """The last run of each exclusive job (one row per job): `/healthz` shows it, the daily guard reads it."""

    name = models.CharField(max_length=100, unique=True)
    run_key = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("exécution de tâche planifiée")
        verbose_name_plural = _("exécutions de tâches planifiées")
        constraints = [
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(started_at__isnull=False), name="outbox_jobrun_started"
            )
        ]

    def __str__(self) -> str:
        return self.name
