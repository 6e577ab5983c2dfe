"""Situations over time (housing, employment, resources), PASS IAE and housing requests (SIAO)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import (
    HEALTH_RESOURCE_KINDS,
    HOUSING_GROUP_BY_STATUS,
    HOUSING_GROUP_STATUSES,
    IN_WORK_OR_TRAINING,
    ContractType,
    EmploymentEndReason,
    EmploymentStatus,
    HousingEndReason,
    HousingRequestKind,
    HousingRequestStatus,
    ResidentialStatus,
    ResourceKind,
    WorkingTime,
)
from .common import Period, PeriodQuerySet, period_constraints, track

__all__ = [
    "HousingSituationQuerySet",
    "HousingSituation",
    "EmploymentSituationQuerySet",
    "EmploymentSituation",
    "ResourceQuerySet",
    "Resource",
    "PASS_IAE_NUMBER_RE",
    "PassIaeQuerySet",
    "PassIae",
    "HousingRequestQuerySet",
    "HousingRequest",
]


class HousingSituationQuerySet(PeriodQuerySet):
    def in_groups(self, *groups: str):
        statuses = [status for group in groups for status in HOUSING_GROUP_STATUSES[group]]
        return self.filter(residential_status__in=statuses)


@track("HousingSituationHistory")
class HousingSituation(Period):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="housing_situations")
    residential_status = models.CharField(
        _("situation résidentielle"), max_length=20, choices=ResidentialStatus.choices
    )
    structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="housing_situations",
        verbose_name=_("structure d'hébergement"),
    )
    planned_end_on = models.DateField(_("fin de séjour prévue"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=20, choices=HousingEndReason.choices, blank=True)
    exit_destination = models.CharField(
        _("destination à la sortie"), max_length=20, choices=ResidentialStatus.choices, blank=True
    )

    objects = HousingSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation résidentielle")
        verbose_name_plural = _("situations résidentielles")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "-started_on"], name="parcours_housing_person_idx")]
        constraints = [
            *period_constraints("parcours_housing", "planned_end_on"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="parcours_housing_one_open",
                violation_error_message=_(
                    "Cette personne a déjà une situation résidentielle en cours : terminez-la d'abord."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_residential_status_display()

    @property
    def housing_group(self) -> str:
        return HOUSING_GROUP_BY_STATUS[self.residential_status]


class EmploymentSituationQuerySet(PeriodQuerySet):
    def in_work_or_training(self):
        return self.filter(situation__in=IN_WORK_OR_TRAINING)


@track("EmploymentSituationHistory")
class EmploymentSituation(Period):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="employment_situations")
    situation = models.CharField(_("situation professionnelle"), max_length=20, choices=EmploymentStatus.choices)
    contract_type = models.CharField(_("type de contrat"), max_length=20, choices=ContractType.choices, blank=True)
    working_time = models.CharField(_("temps de travail"), max_length=16, choices=WorkingTime.choices, blank=True)
    employer_name = models.CharField(_("employeur ou SIAE"), max_length=200, blank=True)
    structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employment_situations",
        verbose_name=_("SIAE ou organisme membre"),
    )
    workplace_commune_insee = models.CharField(_("commune du lieu de travail (INSEE)"), max_length=5, blank=True)
    staggered_hours = models.BooleanField(_("horaires décalés"), default=False)
    planned_end_on = models.DateField(_("fin de contrat prévue"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=16, choices=EmploymentEndReason.choices, blank=True)

    objects = EmploymentSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("situation professionnelle")
        verbose_name_plural = _("situations professionnelles")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "-started_on"], name="parcours_employment_person_idx")]
        constraints = period_constraints("parcours_employment", "planned_end_on")

    def __str__(self) -> str:
        return self.get_situation_display()

    @property
    def in_work_or_training(self) -> bool:
        return self.situation in IN_WORK_OR_TRAINING


class ResourceQuerySet(PeriodQuerySet):
    def without_health(self):
        return self.exclude(kind__in=HEALTH_RESOURCE_KINDS)


@track("ResourceHistory")
class Resource(Period):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("ressource"), max_length=16, choices=ResourceKind.choices)
    monthly_amount = models.DecimalField(
        _("montant mensuel (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    expected_end_on = models.DateField(_("date de fin prévue"), null=True, blank=True)

    PLANNED_END_FIELD = "expected_end_on"
    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("ressource")
        verbose_name_plural = _("ressources")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["person", "-started_on"], name="parcours_resource_person_idx")]
        constraints = [
            *period_constraints("parcours_resource", "expected_end_on"),
            models.CheckConstraint(
                condition=Q(monthly_amount__isnull=True) | Q(monthly_amount__gte=0),
                name="parcours_resource_amount_positive",
                violation_error_message=_("Le montant ne peut pas être négatif."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_health_item(self) -> bool:
        return self.kind in HEALTH_RESOURCE_KINDS


# --- PASS IAE and housing requests (domain.md §2.3) ------------------------------------------------------
PASS_IAE_NUMBER_RE = r"^[0-9]{12}$"


class PassIaeQuerySet(models.QuerySet):
    def ending_between(self, start: date, end: date):
        return self.filter(end_on__range=(start, end))


@track("PassIaeHistory")
class PassIae(models.Model):
    """A PASS IAE (2 years); `end_on` moves on prolongation."""

    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="pass_iae")
    number = models.CharField(_("numéro de PASS IAE"), max_length=12, help_text=_("12 chiffres."))
    start_on = models.DateField(_("début"))
    end_on = models.DateField(_("fin"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = PassIaeQuerySet.as_manager()

    class Meta:
        verbose_name = _("PASS IAE")
        verbose_name_plural = _("PASS IAE")
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["person", "-start_on"], name="parcours_passiae_person_idx"),
            models.Index(fields=["end_on"], name="parcours_passiae_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="parcours_passiae_end_after_start",
                violation_error_message=_("La fin du PASS IAE ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(number__regex=PASS_IAE_NUMBER_RE),
                name="parcours_passiae_number_format",
                violation_error_message=_("Le numéro de PASS IAE compte 12 chiffres."),
            ),
            models.UniqueConstraint(
                fields=["number"],
                name="parcours_passiae_number_unique",
                violation_error_message=_("Ce numéro de PASS IAE est déjà enregistré."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("PASS IAE"))

    def clean(self):
        super().clean()
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("La fin du PASS IAE ne peut pas précéder son début.")})


class HousingRequestQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=HousingRequestStatus.ACTIVE)


@track("HousingRequestHistory")
class HousingRequest(models.Model):
    """A housing request (SIAO, social housing, Action Logement, DALO/DAHO) and where it stands."""

    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="housing_requests")
    kind = models.CharField(_("type de demande"), max_length=16, choices=HousingRequestKind.choices)
    reference = models.CharField(_("numéro de la demande"), max_length=40, blank=True)
    filed_on = models.DateField(_("déposée le"))
    renewal_due_on = models.DateField(_("à renouveler avant le"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=HousingRequestStatus.choices, default=HousingRequestStatus.ACTIVE
    )
    # The latest finalised evaluation when the request was filed or last brought up to date (an id of
    # `evaluations.Evaluation`, the higher app: no foreign key downwards) and when that version was finalised.
    linked_evaluation_id = models.BigIntegerField(_("évaluation liée"), null=True, blank=True, editable=False)
    linked_evaluation_at = models.DateTimeField(_("évaluation finalisée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = HousingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de logement")
        verbose_name_plural = _("demandes de logement")
        ordering = ["-filed_on", "-id"]
        indexes = [models.Index(fields=["person", "status"], name="parcours_housingreq_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_due_on__isnull=True) | Q(renewal_due_on__gte=F("filed_on")),
                name="parcours_housingreq_renewal_after_filing",
                violation_error_message=_("Le renouvellement ne peut pas précéder le dépôt de la demande."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=HousingRequestStatus.values),
                name="parcours_housingreq_status_valid",
                violation_error_message=_("État de demande inconnu."),
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status__in=[HousingRequestStatus.ACTIVE, HousingRequestStatus.TO_UPDATE]),
                name="parcours_housingreq_one_pending_per_kind",
                violation_error_message=_("Une demande de ce type est déjà en cours pour cette personne."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self):
        super().clean()
        if self.filed_on and self.filed_on > timezone.localdate():
            raise ValidationError({"filed_on": _("La date de dépôt ne peut pas être dans le futur.")})
        if self.filed_on and self.renewal_due_on and self.renewal_due_on < self.filed_on:
            raise ValidationError(
                {"renewal_due_on": _("Le renouvellement ne peut pas précéder le dépôt de la demande.")}
            )
