"""FSE operations, their participants and the generated reports (fse.md §7).

A participant keeps its own minimised copy of identity, entry and exit data, so that it survives the
anonymisation of the social file; the exit record and the six-month situation live on the same row, which
lets every indicator table be one aggregation over one table.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope
from parcours.access import followed_q
from parcours.models import Person

from .enums import (
    Answer,
    Eeco16Scope,
    ExitReason,
    ForegroundRule,
    Gender,
    Housing,
    LabourStatusEntry,
    LabourStatusExit,
    Nationality,
    Programme,
    ReportFailure,
    ReportStatus,
    SixMonthImprovement,
)


class OperationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Coordinators see every operation; funders the operations their organisation funds; members of the
        carrying structure (field roles) its operations, for aggregates and the participants they follow."""
        scope = user_scope(user)
        if scope.is_coordinator:
            return self
        funded, carried = sorted(scope.funder_structures), sorted(scope.field_structures)
        if not funded and not carried:
            return self.none()
        return self.filter(pk__in=self.filter(Q(funders__in=funded) | Q(carrier__in=carried)).values("pk"))


class Operation(models.Model):
    """An FSE-funded operation, with the rules still to confirm with the managing authority as settings."""

    programme = models.CharField(_("programme"), max_length=16, choices=Programme.choices, default=Programme.FSE_PLUS)
    number = models.CharField(
        _("numéro d'opération"), max_length=40, unique=True, help_text=_("Numéro dans Ma Démarche FSE+.")
    )
    title = models.CharField(_("intitulé"), max_length=300)
    carrier = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fse_operations_carried",
        verbose_name=_("structure porteuse"),
    )
    funders = models.ManyToManyField(
        "partenaires.Structure", blank=True, related_name="fse_operations_funded", verbose_name=_("financeurs")
    )
    start_on = models.DateField(_("date de début"))
    end_on = models.DateField(_("date de fin"))
    target_group_flags = models.JSONField(
        _("caractéristiques garanties par l'éligibilité"),
        default=dict,
        blank=True,
        help_text=_('Par exemple {"EECO16": true} quand tous les participants sont sans domicile.'),
    )

    # Rules to confirm with the managing authority (fse.md §11): per-operation settings with their defaults.
    min_support_days = models.PositiveSmallIntegerField(_("durée minimale d'accompagnement (jours)"), default=2)
    child_under_age = models.PositiveSmallIntegerField(_("âge sous lequel on est enfant (EECO06)"), default=18)
    young_max_age = models.PositiveSmallIntegerField(_("âge maximal des jeunes (EECO07, inclus)"), default=29)
    senior_min_age = models.PositiveSmallIntegerField(_("âge minimal des seniors (EECO08, inclus)"), default=55)
    ltu_months = models.PositiveSmallIntegerField(_("durée du chômage de longue durée (mois)"), default=12)
    ltu_months_young = models.PositiveSmallIntegerField(
        _("durée du chômage de longue durée des jeunes (mois)"), default=6
    )
    ltu_young_under_age = models.PositiveSmallIntegerField(_("âge sous lequel s'applique la durée jeune"), default=25)
    ltu_inclusive = models.BooleanField(_("chômage de longue durée à partir de la durée exacte"), default=False)
    result_window_days = models.PositiveSmallIntegerField(_("délai d'observation de la sortie (jours)"), default=28)
    eecr01_inactive_at_entry_only = models.BooleanField(_("EECR01 : seulement les inactifs à l'entrée"), default=True)
    eecr04_not_employed_at_entry_only = models.BooleanField(
        _("EECR04 : seulement les personnes sans emploi à l'entrée"), default=True
    )
    eeco16_scope = models.CharField(
        _("périmètre de l'EECO16"), max_length=24, choices=Eeco16Scope.choices, default=Eeco16Scope.ALL
    )
    foreign_background_rule = models.CharField(
        _("règle de l'origine étrangère (EECO14)"),
        max_length=32,
        choices=ForegroundRule.choices,
        default=ForegroundRule.SELF_OR_PARENT_ABROAD,
    )
    collect_minority = models.BooleanField(_("collecter l'appartenance à une minorité (EECO15)"), default=False)
    collects_six_month = models.BooleanField(_("collecter la situation à six mois"), default=False)
    six_month_tolerance_days = models.PositiveSmallIntegerField(
        _("tolérance de la situation à six mois (jours)"), default=30
    )
    incomplete_threshold_percent = models.PositiveSmallIntegerField(_("seuil de dossiers incomplets (%)"), default=35)
    audit_retention_until = models.DateField(_("conservation jusqu'au"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    objects = OperationQuerySet.as_manager()

    class Meta:
        verbose_name = _("opération FSE")
        verbose_name_plural = _("opérations FSE")
        ordering = ["-start_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="fse_operation_end_after_start",
                violation_error_message=_("La date de fin doit être postérieure à la date de début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def is_fse_plus(self) -> bool:
        return self.programme == Programme.FSE_PLUS

    def target_flag(self, code: str) -> bool:
        return bool((self.target_group_flags or {}).get(code))


def long_enough_q(operation) -> Q:
    """Participations lasting at least the operation's `min_support_days` (an open one counts)."""
    return Q(exit_on__isnull=True) | Q(
        exit_on__gte=F("entry_on") + timedelta(days=max(operation.min_support_days, 1) - 1)
    )


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """FSE participant records (privacy.md R9): coordinators see all; members of the carrying structure the
        participants their structure follows (open follow-up, parcours' `access.followed_q`); funders never (R6)."""
        scope = user_scope(user)
        if scope.is_coordinator:
            return self
        carried = sorted(scope.field_structures)
        if not carried:
            return self.none()
        return self.filter(
            operation__carrier__in=carried, person__in=Person.objects.filter(followed_q(carried)).values("pk")
        )

    def for_operation(self, operation):
        return self.filter(operation=operation)

    def validated(self):
        return self.filter(validated_at__isnull=False)

    def counted(self, operation):
        """Validated participations lasting at least `min_support_days` (an open one counts)."""
        return self.validated().filter(long_enough_q(operation))

    def without_contact(self):
        return self.filter(phone="", email="", referent_contact="")


class Participant(models.Model):
    """One per person per operation: the official FSE record (entry, exit, six months)."""

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="participants", verbose_name=_("opération")
    )
    # The social file this record was built from; cleared when the file is anonymised (fse.md §7).
    person = models.ForeignKey(
        "parcours.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fse_participations",
        verbose_name=_("personne"),
    )
    sequence = models.PositiveIntegerField(editable=False)
    number = models.CharField(_("numéro de participant"), max_length=60, editable=False)
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    # Lower-case, accent-free "last first birth" key: a re-import updates instead of duplicating.
    match_key = models.CharField(max_length=400, editable=False)
    gender = models.CharField(_("sexe"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("date de naissance"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    referent_contact = models.CharField(_("contact d'un·e référent·e désigné·e"), max_length=200, blank=True)
    commune_insee = models.CharField(_("commune de résidence (code INSEE)"), max_length=5, blank=True)

    entry_on = models.DateField(_("date d'entrée"))
    lm_status_entry = models.CharField(_("situation à l'entrée"), max_length=16, choices=LabourStatusEntry.choices)
    unemployed_since = models.DateField(_("au chômage depuis"), null=True, blank=True)
    in_education_or_training_entry = models.BooleanField(_("en études ou en formation à l'entrée"), default=False)
    isced_entry = models.PositiveSmallIntegerField(
        _("niveau d'études (CITE 0 à 8)"), choices=[(level, str(level)) for level in range(9)]
    )
    disability = models.CharField(_("handicap"), max_length=16, choices=Answer.choices)
    nationality = models.CharField(_("nationalité"), max_length=16, choices=Nationality.choices)
    born_abroad = models.CharField(_("né·e à l'étranger"), max_length=16, choices=Answer.choices)
    parent_born_abroad = models.CharField(
        _("au moins un parent né à l'étranger"), max_length=16, choices=Answer.choices
    )
    minority = models.CharField(_("minorité"), max_length=16, choices=Answer.choices, blank=True)
    housing_entry = models.CharField(_("situation de logement à l'entrée"), max_length=16, choices=Housing.choices)
    is_rural = models.BooleanField(_("zone rurale"), default=False)
    info_notice_given_on = models.DateField(_("notice d'information remise le"), null=True, blank=True)

    exit_on = models.DateField(_("date de sortie"), null=True, blank=True)
    exit_reason = models.CharField(_("motif de sortie"), max_length=16, choices=ExitReason.choices, blank=True)
    exit_observed_on = models.DateField(_("situation de sortie observée le"), null=True, blank=True)
    lm_status_exit = models.CharField(
        _("situation à la sortie"), max_length=16, choices=LabourStatusExit.choices, blank=True
    )
    in_education_or_training_exit = models.BooleanField(_("en études ou en formation à la sortie"), default=False)
    qualification_gained = models.BooleanField(_("qualification obtenue"), default=False)

    six_month_observed_on = models.DateField(_("situation à six mois observée le"), null=True, blank=True)
    six_month_employed = models.BooleanField(_("en emploi six mois après la sortie"), null=True, blank=True)
    six_month_improvement = models.CharField(
        _("amélioration à six mois"), max_length=24, choices=SixMonthImprovement.choices, blank=True
    )

    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant·e")
        verbose_name_plural = _("participant·es")
        ordering = ["operation", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "sequence"],
                name="fse_participant_unique_sequence",
                violation_error_message=_("Ce numéro de participant existe déjà dans l'opération."),
            ),
            models.UniqueConstraint(
                fields=["operation", "number"],
                name="fse_participant_unique_number",
                violation_error_message=_("Ce numéro de participant existe déjà dans l'opération."),
            ),
            models.UniqueConstraint(
                fields=["operation", "person"],
                name="fse_participant_one_per_person",
                violation_error_message=_("Cette personne est déjà participante de l'opération."),
            ),
            models.UniqueConstraint(
                fields=["operation", "match_key"],
                name="fse_participant_one_per_identity",
                violation_error_message=_("Cette personne est déjà participante de l'opération."),
            ),
            models.CheckConstraint(
                condition=Q(exit_on__isnull=True) | Q(exit_on__gte=F("entry_on")),
                name="fse_participant_exit_after_entry",
                violation_error_message=_("La date de sortie ne peut pas précéder la date d'entrée."),
            ),
            models.CheckConstraint(
                condition=Q(isced_entry__gte=0, isced_entry__lte=8),
                name="fse_participant_isced_range",
                violation_error_message=_("Le niveau CITE va de 0 à 8."),
            ),
            models.CheckConstraint(
                condition=~Q(lm_status_entry=LabourStatusEntry.UNEMPLOYED) | Q(unemployed_since__isnull=False),
                name="fse_participant_unemployed_since",
                violation_error_message=_("La date de début du chômage est obligatoire pour un·e chômeur·se."),
            ),
        ]
        indexes = [models.Index(fields=["operation", "entry_on"]), models.Index(fields=["operation", "exit_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.referent_contact)


def report_upload_to(instance, filename: str) -> str:
    return f"fse/reports/{instance.operation_id}/{filename}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(operation__in=Operation.objects.visible_to(user))


class Report(models.Model):
    """One generated activity report: never overwritten, regenerating adds a new one."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("demandé par")
    )
    requested_at = models.DateTimeField(_("demandé le"), default=timezone.now)
    status = models.CharField(_("état"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    file = models.FileField(_("fichier"), upload_to=report_upload_to, blank=True)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    generated_at = models.DateTimeField(_("généré le"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("transmis le"), null=True, blank=True)
    failure = models.CharField(_("motif de l'échec"), max_length=20, choices=ReportFailure.choices, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport FSE")
        verbose_name_plural = _("rapports FSE")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="fse_report_period_order",
                violation_error_message=_("La fin de la période doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation.number} {self.period_start}–{self.period_end}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ReportStatus.DONE, ReportStatus.FAILED)


def import_upload_to(instance, filename: str) -> str:
    return f"fse/imports/{instance.operation_id}/{filename}"


class ImportBatch(models.Model):
    """An uploaded participant file waiting for confirmation; the file is deleted once imported or abandoned."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="import_batches")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    file = models.FileField(upload_to=import_upload_to)
    filename = models.CharField(max_length=255)
    imported_at = models.DateTimeField(null=True, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename
