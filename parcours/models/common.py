"""What the people app's models share: change-history tracking, the settings row, situation periods."""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["MAX_AGE_YEARS", "track", "ParcoursSettings", "PeriodQuerySet", "period_constraints", "Period"]


MAX_AGE_YEARS = 120


def track(name: str):
    """Change history by database triggers: a snapshot on insert, update and delete (before/after values)."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        model_name=name,
        obj_field=pghistory.ObjForeignKey(related_name="history"),
    )


# --- settings row ---------------------------------------------------------------------------------
class ParcoursSettings(models.Model):
    """Our defaults, editable by administrators (one row, pk=1)."""

    referral_response_days = models.PositiveSmallIntegerField(
        _("délai de réponse à une orientation (jours)"), default=15
    )
    referral_expiry_days = models.PositiveSmallIntegerField(
        _("expiration d'une orientation sans réponse (jours)"), default=30
    )

    class Meta:
        verbose_name = _("réglages du parcours")
        verbose_name_plural = _("réglages du parcours")
        constraints = [
            models.CheckConstraint(
                condition=Q(referral_expiry_days__gte=F("referral_response_days")),
                name="parcours_settings_expiry_after_response",
                violation_error_message=_("L'expiration doit venir après le délai de réponse."),
            ),
            models.CheckConstraint(
                condition=Q(referral_response_days__gte=1),
                name="parcours_settings_response_positive",
                violation_error_message=_("Le délai de réponse doit être d'au moins un jour."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Réglages du parcours"))

    @classmethod
    def load(cls) -> "ParcoursSettings":
        return cls.objects.get_or_create(pk=1)[0]


# --- situation periods ------------------------------------------------------------------------------
class PeriodQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)

    def current(self, day: date | None = None):
        """Periods covering `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))

    def ending_between(self, start: date, end: date):
        """Open periods whose planned end falls in [start, end]."""
        return self.open().filter(**{f"{self.model.PLANNED_END_FIELD}__range": (start, end)})


def period_constraints(prefix: str, planned_field: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            name=f"{prefix}_end_after_start",
            violation_error_message=_("La date de fin ne peut pas précéder la date de début."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{planned_field}__isnull": True}) | Q(**{f"{planned_field}__gte": F("started_on")}),
            name=f"{prefix}_planned_end_after_start",
            violation_error_message=_("La fin prévue ne peut pas précéder la date de début."),
        ),
    ]


class Period(models.Model):
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin effective"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    PLANNED_END_FIELD = "planned_end_on"

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    @property
    def planned_or_actual_end(self) -> date | None:
        return self.ended_on or getattr(self, self.PLANNED_END_FIELD)

    def clean(self):
        super().clean()
        planned = getattr(self, self.PLANNED_END_FIELD)
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("La date de fin ne peut pas précéder la date de début.")})
        if self.started_on and planned and planned < self.started_on:
            raise ValidationError({self.PLANNED_END_FIELD: _("La fin prévue ne peut pas précéder la date de début.")})
        today = timezone.localdate()
        if self.started_on and self.started_on > today + timedelta(days=366):
            raise ValidationError({"started_on": _("La date de début est trop loin dans le futur.")})
        if self.ended_on and self.ended_on > today:
            raise ValidationError({"ended_on": _("La fin effective ne peut pas être dans le futur.")})
