"""The person's rights and the DPO's tools (privacy.md §4, §6, §7, R10): rights requests, objections,
break-glass grants. Retention fields live on `Person` (retention_hold_until, anonymised_at…)."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ConsentMethod

__all__ = [
    "add_months",
    "RightsRequestKind",
    "RightsRequestStatus",
    "RightsRequestQuerySet",
    "RightsRequest",
    "ObjectionQuerySet",
    "Objection",
    "BreakGlassQuerySet",
    "BreakGlassGrant",
    "BREAK_GLASS_MINUTES",
    "BREAK_GLASS_MIN_REASON",
]


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


BREAK_GLASS_MINUTES = 60
BREAK_GLASS_MIN_REASON = 20


class RightsRequestKind(models.TextChoices):
    ACCESS = "ACCESS", _("Accès")
    RECTIFICATION = "RECTIFICATION", _("Rectification")
    OBJECTION = "OBJECTION", _("Opposition")
    ERASURE = "ERASURE", _("Effacement")
    RESTRICTION = "RESTRICTION", _("Limitation")


class RightsRequestStatus(models.TextChoices):
    OPEN = "OPEN", _("En cours")
    ANSWERED = "ANSWERED", _("Répondue")
    REJECTED = "REJECTED", _("Refusée")


class RightsRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RightsRequestStatus.OPEN)

    def by_due_date(self):
        return self.annotate(deadline_on=models.functions.Coalesce("extended_to", "due_on")).order_by(
            "deadline_on", "id"
        )


class RightsRequest(models.Model):
    """A request of the person under GDPR art. 15-21: due one month after receipt, one extension of up to two
    months (with a reason told to the person)."""

    person = models.ForeignKey("parcours.Person", on_delete=models.PROTECT, related_name="rights_requests")
    kind = models.CharField(_("droit exercé"), max_length=16, choices=RightsRequestKind.choices)
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(_("à traiter avant le"), editable=False)
    extended_to = models.DateField(_("prolongée jusqu'au"), null=True, blank=True)
    extension_reason = models.CharField(_("motif de la prolongation"), max_length=300, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=RightsRequestStatus.choices, default=RightsRequestStatus.OPEN
    )
    answered_on = models.DateField(_("répondue le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("traitée par")
    )
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = RightsRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'exercice de droits")
        verbose_name_plural = _("demandes d'exercice de droits")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | Q(extended_to__gt=F("due_on")),
                name="parcours_rightsrequest_extension_after_due",
                violation_error_message=_("La prolongation doit aller au-delà de l'échéance."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Demande n° %(id)s (%(kind)s)") % {"id": self.pk, "kind": self.get_kind_display()})

    def save(self, *args, **kwargs):
        if self.received_on and not self.due_on:
            self.due_on = self.due_date(self.received_on)
        super().save(*args, **kwargs)

    @staticmethod
    def due_date(received_on: date) -> date:
        return add_months(received_on, 1)

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_on

    @property
    def max_extension(self) -> date:
        return add_months(self.due_on, 2)

    def clean(self):
        super().clean()
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("La date de réception ne peut pas être dans le futur.")})


class ObjectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_on__isnull=True)


class Objection(models.Model):
    """The person objects to sharing with one structure (`target_structure`) or every structure other than
    the recording one (null). Recorded, never inferred from a follow-up end reason (privacy.md §4)."""

    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="objections")
    target_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure visée"),
        help_text=_("Vide : toutes les structures sauf celle qui enregistre l'opposition."),
    )
    recording_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure qui enregistre"),
        help_text=_("Vide : enregistrée par le DPO."),
    )
    recorded_on = models.DateField(_("exprimée le"))
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recueillie par")
    )
    method = models.CharField(_("mode de recueil"), max_length=12, choices=ConsentMethod.choices)
    lifted_on = models.DateField(_("levée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("enregistrée le"), auto_now_add=True)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("opposition au partage")
        verbose_name_plural = _("oppositions au partage")
        ordering = ["-recorded_on", "-id"]

    def __str__(self) -> str:
        return str(_("Opposition n° %(id)s") % {"id": self.pk})


class BreakGlassQuerySet(models.QuerySet):
    def in_force(self, at=None):
        return self.filter(expires_at__gt=at or timezone.now())


class BreakGlassGrant(models.Model):
    """ "Accès exceptionnel" (R10): one administrator or DPO reads one person in FULL view, read-only, for
    60 minutes after a typed reason. The reason is read by the DPO here; the audit row holds only ids."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField(_("motif"))
    granted_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("accès exceptionnel")
        verbose_name_plural = _("accès exceptionnels")
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["person", "user", "expires_at"], name="parcours_breakglass_idx")]

    def __str__(self) -> str:
        return str(_("Accès exceptionnel n° %(id)s") % {"id": self.pk})

    def save(self, *args, **kwargs):
        if not self.expires_at:
            self.expires_at = self.granted_at + timedelta(minutes=BREAK_GLASS_MINUTES)
        super().save(*args, **kwargs)
