"""The shared case file: people, households, consent, follow-ups, situations over time, events, referrals.

Every read of a person's data starts from `Person.objects.visible_to(user)` (parcours/access.py);
every change to the tracked models is recorded by PostgreSQL triggers (django-pghistory).
"""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import text
from .enums import (
    HEALTH_RESOURCE_KINDS,
    HOUSING_GROUP_BY_STATUS,
    HOUSING_GROUP_STATUSES,
    IN_WORK_OR_TRAINING,
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    ContractType,
    EmploymentEndReason,
    EmploymentStatus,
    EventKind,
    EventStatus,
    FollowUpEndReason,
    FollowUpKind,
    Gender,
    HouseholdRole,
    HouseholdType,
    HousingEndReason,
    HousingRequestKind,
    HousingRequestStatus,
    NationalityCategory,
    ReferralStatus,
    RefusalReason,
    ResidenceRight,
    ResidentialStatus,
    ResourceKind,
    SharingBasis,
    Visibility,
    WorkAllowed,
    WorkingTime,
)

MAX_AGE_YEARS = 120


def _track(name: str):
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


# --- person and household -------------------------------------------------------------------------
class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """People `user` may see in any view (FULL, SHARED or REFERRAL): privacy.md §3."""
        from .access import visible_q

        return self.filter(visible_q(user))

    def writable_by(self, user) -> "PersonQuerySet":
        """People `user` may change: an active follow-up by one of their structures, file not restricted."""
        from .access import writable_q

        return self.filter(writable_q(user))

    def followed_by(self, structures) -> "PersonQuerySet":
        """People with an open follow-up by one of `structures` (ids or instances)."""
        return self.filter(pk__in=FollowUp.objects.open().filter(structure__in=structures).values("person_id"))

    def with_referent(self, user) -> "PersonQuerySet":
        return self.filter(pk__in=FollowUp.objects.open().filter(referent=user).values("person_id"))

    def search(self, query: str) -> "PersonQuerySet":
        """`query` starts "last first" or "first last", accents and case ignored ("lefevre z", "zoe lef").

        Prefix searches use the two `varchar_pattern_ops` indexes (no pg_trgm in the embedded PostgreSQL).
        """
        words = text.normalize(query)
        if not words:
            return self
        return self.filter(Q(search_name__startswith=words) | Q(search_name_reversed__startswith=words))

    def without_contact_since(self, day: date) -> "PersonQuerySet":
        return self.filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__date__lt=day))


@_track("PersonHistory")
class Person(models.Model):
    last_name = models.CharField(_("nom"), max_length=150)
    first_name = models.CharField(_("prénom"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    gender = models.CharField(_("sexe"), max_length=16, choices=Gender.choices, default=Gender.NOT_STATED)
    nationality_category = models.CharField(
        _("nationalité"), max_length=16, choices=NationalityCategory.choices, blank=True
    )
    residence_right = models.CharField(_("droit au séjour"), max_length=20, choices=ResidenceRight.choices, blank=True)
    permit_end_on = models.DateField(_("fin du titre de séjour"), null=True, blank=True)
    permit_renewal_filed_on = models.DateField(_("demande de renouvellement déposée le"), null=True, blank=True)
    work_allowed = models.CharField(
        _("autorisation de travail"), max_length=10, choices=WorkAllowed.choices, blank=True
    )
    ft_registered_since = models.DateField(_("inscrit·e à France Travail depuis"), null=True, blank=True)
    qpv_resident = models.BooleanField(_("réside en quartier prioritaire (QPV)"), default=False)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse e-mail"), blank=True)
    commune_insee = models.CharField(
        _("commune (code INSEE)"),
        max_length=5,
        blank=True,
        help_text=_("Commune de résidence ou de domiciliation, code INSEE à 5 caractères."),
    )
    last_contact_at = models.DateTimeField(_("dernier contact"), null=True, blank=True, editable=False)
    restricted = models.BooleanField(
        _("dossier en lecture seule (limitation)"),
        default=False,
        help_text=_("Le dossier est en lecture seule pour tous pendant l'examen d'une contestation."),
    )
    notice_given_on = models.DateField(_("notice d'information remise le"), null=True, blank=True)
    # Normalised "last first" and "first last" names (lower case, no accents) for search and duplicate checks.
    search_name = models.CharField(max_length=310, editable=False)
    search_name_reversed = models.CharField(max_length=310, editable=False, default="")
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne accompagnée")
        verbose_name_plural = _("personnes accompagnées")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["birth_date"], name="parcours_person_birth_idx"),
            models.Index(fields=["last_name", "first_name", "id"], name="parcours_person_name_idx"),
            models.Index(fields=["search_name"], name="parcours_person_search_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(
                fields=["search_name_reversed"],
                name="parcours_person_search_rev_idx",
                opclasses=["varchar_pattern_ops"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__gte=date(1900, 1, 1)),
                name="parcours_person_birth_date_plausible",
                violation_error_message=_("La date de naissance n'est pas plausible."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.search_name = text.search_name(self.last_name, self.first_name)
        self.search_name_reversed = text.search_name(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"last_name", "first_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name", "search_name_reversed"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        today = timezone.localdate()
        if self.birth_date:
            if self.birth_date > today:
                raise ValidationError({"birth_date": _("La date de naissance ne peut pas être dans le futur.")})
            if self.birth_date < today.replace(year=today.year - MAX_AGE_YEARS):
                raise ValidationError(
                    {
                        "birth_date": _("Cette date donnerait plus de %(age)s ans : vérifiez-la.")
                        % {"age": MAX_AGE_YEARS}
                    }
                )

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def display_name(self) -> str:
        return str(self)


@_track("HouseholdHistory")
class Household(models.Model):
    household_type = models.CharField(_("composition familiale"), max_length=24, choices=HouseholdType.choices)
    dependent_children = models.PositiveSmallIntegerField(_("enfants à charge"), default=0)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("ménage")
        verbose_name_plural = _("ménages")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dependent_children__lte=20),
                name="parcours_household_children_plausible",
                violation_error_message=_("Le nombre d'enfants à charge n'est pas plausible."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_household_type_display()


class HouseholdMemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(left_on__isnull=True)


@_track("HouseholdMemberHistory")
class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    role = models.CharField(_("rôle dans le ménage"), max_length=10, choices=HouseholdRole.choices)
    is_dependent = models.BooleanField(_("à charge"), default=False)
    joined_on = models.DateField(_("depuis le"), null=True, blank=True)
    left_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    objects = HouseholdMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre du ménage")
        verbose_name_plural = _("membres du ménage")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(left_on__isnull=True),
                name="parcours_householdmember_one_current",
                violation_error_message=_("Cette personne fait déjà partie d'un ménage."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="parcours_householdmember_left_after_joined",
                violation_error_message=_("La date de départ doit suivre la date d'arrivée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.get_role_display()}"


# --- consent ----------------------------------------------------------------------------------------
class ConsentQuerySet(models.QuerySet):
    def current(self):
        """The latest decision of each (person, scope)."""
        return self.filter(is_current=True)

    def active(self, scope: str | None = None):
        """Current decisions that give consent."""
        qs = self.filter(is_current=True, decision=ConsentDecision.GIVEN)
        return qs.filter(scope=scope) if scope else qs


def consent_document_path(instance, filename: str) -> str:
    # No name in the path: the person id and a random suffix from the storage.
    return f"consentements/{instance.person_id}/formulaire.pdf"


@_track("ConsentHistory")
class Consent(models.Model):
    """An append-only ledger: the current state of a scope is its latest row (`is_current`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("portée"), max_length=24, choices=ConsentScope.choices)
    decision = models.CharField(_("décision"), max_length=10, choices=ConsentDecision.choices)
    decided_on = models.DateField(_("date de la décision"))
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recueilli par")
    )
    collected_by_structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    method = models.CharField(_("mode de recueil"), max_length=12, choices=ConsentMethod.choices)
    document = models.FileField(_("formulaire signé"), upload_to=consent_document_path, blank=True)
    is_current = models.BooleanField(default=True, editable=False)
    created_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["person_id", "scope", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "scope"],
                condition=Q(is_current=True),
                name="parcours_consent_one_current_per_scope",
                violation_error_message=_("Une seule décision en cours par portée."),
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "decision"], condition=Q(is_current=True), name="parcours_consent_cur_idx")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} : {self.get_decision_display()}"

    def save(self, *args, **kwargs):
        # A new row supersedes the previous decision of its scope, in the same transaction.
        if self._state.adding:
            with transaction.atomic():
                Consent.objects.filter(person_id=self.person_id, scope=self.scope, is_current=True).update(
                    is_current=False
                )
                self.is_current = True
                super().save(*args, **kwargs)
        else:
            super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.decided_on and self.decided_on > timezone.localdate():
            raise ValidationError({"decided_on": _("La date de la décision ne peut pas être dans le futur.")})


# --- follow-ups -------------------------------------------------------------------------------------
class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ended_on__isnull=True)

    def closed(self):
        return self.filter(ended_on__isnull=False)

    def of_structures(self, structures):
        return self.filter(structure__in=structures)

    def lead(self):
        return self.open().filter(is_lead=True)

    def giving_health_access(self):
        """HOUSING or SOCIAL follow-ups whose basis is not the insertion one (privacy.md §3)."""
        return self.filter(kind__in=[FollowUpKind.HOUSING, FollowUpKind.SOCIAL]).exclude(
            sharing_basis=SharingBasis.INSERTION_L263_4_1
        )


@_track("FollowUpHistory")
class FollowUp(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="followups")
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, related_name="followups", verbose_name=_("structure")
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("référent·e"),
    )
    kind = models.CharField(_("type d'accompagnement"), max_length=12, choices=FollowUpKind.choices)
    is_lead = models.BooleanField(_("référent·e de parcours"), default=False)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    end_reason = models.CharField(_("motif de fin"), max_length=12, choices=FollowUpEndReason.choices, blank=True)
    last_contact_at = models.DateTimeField(_("dernier contact"), null=True, blank=True, editable=False)
    sharing_basis = models.CharField(_("base du partage"), max_length=24, choices=SharingBasis.choices)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("accompagnement")
        verbose_name_plural = _("accompagnements")
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(
                fields=["structure", "person"], condition=Q(ended_on__isnull=True), name="parcours_fu_open_idx"
            ),
            models.Index(fields=["referent"], condition=Q(ended_on__isnull=True), name="parcours_fu_referent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="parcours_followup_end_after_start",
                violation_error_message=_("La fin de l'accompagnement ne peut pas précéder son début."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True, end_reason="") | Q(ended_on__isnull=False) & ~Q(end_reason=""),
                name="parcours_followup_end_reason_with_end",
                violation_error_message=_("Un accompagnement terminé a un motif de fin, et seulement lui."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_lead=True, ended_on__isnull=True),
                name="parcours_followup_one_lead",
                violation_error_message=_("Cette personne a déjà un·e référent·e de parcours."),
            ),
            models.UniqueConstraint(
                fields=["person", "structure", "kind"],
                condition=Q(ended_on__isnull=True),
                name="parcours_followup_one_open_per_kind",
                violation_error_message=_("Cette structure accompagne déjà cette personne pour ce type."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure} — {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


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


def _period_constraints(prefix: str, planned_field: str) -> list:
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


class HousingSituationQuerySet(PeriodQuerySet):
    def in_groups(self, *groups: str):
        statuses = [status for group in groups for status in HOUSING_GROUP_STATUSES[group]]
        return self.filter(residential_status__in=statuses)


@_track("HousingSituationHistory")
class HousingSituation(Period):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="housing_situations")
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
            *_period_constraints("parcours_housing", "planned_end_on"),
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


@_track("EmploymentSituationHistory")
class EmploymentSituation(Period):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_situations")
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
        constraints = _period_constraints("parcours_employment", "planned_end_on")

    def __str__(self) -> str:
        return self.get_situation_display()

    @property
    def in_work_or_training(self) -> bool:
        return self.situation in IN_WORK_OR_TRAINING


class ResourceQuerySet(PeriodQuerySet):
    def without_health(self):
        return self.exclude(kind__in=HEALTH_RESOURCE_KINDS)


@_track("ResourceHistory")
class Resource(Period):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="resources")
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
            *_period_constraints("parcours_resource", "expected_end_on"),
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


@_track("PassIaeHistory")
class PassIae(models.Model):
    """A PASS IAE (2 years); `end_on` moves on prolongation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pass_iae")
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


@_track("HousingRequestHistory")
class HousingRequest(models.Model):
    """A housing request (SIAO, social housing, Action Logement, DALO/DAHO) and where it stands."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="housing_requests")
    kind = models.CharField(_("type de demande"), max_length=16, choices=HousingRequestKind.choices)
    reference = models.CharField(_("numéro de la demande"), max_length=40, blank=True)
    filed_on = models.DateField(_("déposée le"))
    renewal_due_on = models.DateField(_("à renouveler avant le"), null=True, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=HousingRequestStatus.choices, default=HousingRequestStatus.ACTIVE
    )
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


# --- events -----------------------------------------------------------------------------------------
CONTACT_Q = (
    Q(kind=EventKind.APPOINTMENT, status=EventStatus.HONOURED)
    | Q(kind=EventKind.INTERVIEW)
    | Q(kind=EventKind.PHONE_CALL, with_person=True)
)


class EventQuerySet(models.QuerySet):
    def contacts(self):
        """Individual contacts (domain.md §2.4): they move `last_contact_at`."""
        return self.filter(CONTACT_Q)

    def missed(self):
        return self.filter(kind=EventKind.APPOINTMENT, status=EventStatus.MISSED)


@_track("EventHistory")
class Event(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, related_name="+", verbose_name=_("structure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    kind = models.CharField(_("type"), max_length=12, choices=EventKind.choices)
    at = models.DateTimeField(_("date et heure"))
    status = models.CharField(_("statut du rendez-vous"), max_length=10, choices=EventStatus.choices, blank=True)
    with_whom = models.CharField(_("avec qui"), max_length=200, blank=True)
    with_person = models.BooleanField(_("avec la personne"), default=True)
    visibility = models.CharField(
        _("visibilité du texte"), max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    text = models.TextField(_("texte"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"], name="parcours_event_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=EventKind.APPOINTMENT, status__in=EventStatus.values)
                | ~Q(kind=EventKind.APPOINTMENT),
                name="parcours_event_appointment_has_status",
                violation_error_message=_("Un rendez-vous a un statut (prévu, honoré, non honoré, annulé)."),
            ),
            models.CheckConstraint(
                condition=Q(kind=EventKind.APPOINTMENT) | Q(status=""),
                name="parcours_event_status_only_for_appointments",
                violation_error_message=_("Seul un rendez-vous a un statut."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_contact(self) -> bool:
        return (
            (self.kind == EventKind.APPOINTMENT and self.status == EventStatus.HONOURED)
            or self.kind == EventKind.INTERVIEW
            or (self.kind == EventKind.PHONE_CALL and self.with_person)
        )

    def text_visible_to(self, structure_ids) -> bool:
        """R7: private text only for the author's structure; shared text follows the file view."""
        return self.visibility == Visibility.SHARED or self.structure_id in structure_ids


# --- referrals --------------------------------------------------------------------------------------
class ReferralQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReferralStatus.SENT)

    def received_by(self, structures):
        return self.filter(to_structure__in=structures)

    def sent_by_structures(self, structures):
        return self.filter(from_structure__in=structures)

    def overdue(self, day: date | None = None):
        """SENT referrals past their response deadline (the stalled-referral alert)."""
        return self.pending().filter(response_due_on__lt=day or timezone.localdate())


@_track("ReferralHistory")
class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    from_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        related_name="referrals_sent",
        verbose_name=_("structure qui oriente"),
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("envoyée par")
    )
    to_structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("structure destinataire"),
    )
    to_service = models.ForeignKey(
        "partenaires.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("service de l'annuaire"),
    )
    kind = models.CharField(_("type d'accompagnement demandé"), max_length=12, choices=FollowUpKind.choices)
    motive = models.TextField(_("motif de l'orientation"))
    status = models.CharField(_("statut"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("envoyée le"), default=timezone.now)
    response_due_on = models.DateField(_("réponse attendue avant le"))
    answered_at = models.DateTimeField(_("répondue le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.CharField(_("motif du refus"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_detail = models.TextField(_("précision"), blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(
                fields=["to_structure", "person"], condition=Q(status="SENT"), name="parcours_ref_pending_idx"
            ),
            models.Index(fields=["person", "-sent_at"], name="parcours_referral_person_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_structure=F("to_structure")),
                name="parcours_referral_other_structure",
                violation_error_message=_("On oriente vers une autre structure que la sienne."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.REFUSED) | ~Q(refusal_reason=""),
                name="parcours_referral_refusal_has_reason",
                violation_error_message=_("Un refus doit être motivé."),
            ),
            models.CheckConstraint(
                condition=~Q(refusal_reason=RefusalReason.OTHER) | ~Q(refusal_detail=""),
                name="parcours_referral_other_reason_has_detail",
                violation_error_message=_("Précisez le motif « Autre »."),
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.SENT, answered_at__isnull=True)
                | ~Q(status=ReferralStatus.SENT) & Q(answered_at__isnull=False),
                name="parcours_referral_answered_when_closed",
                violation_error_message=_("Une orientation close a une date de réponse."),
            ),
            models.UniqueConstraint(
                fields=["person", "to_structure", "kind"],
                condition=Q(status=ReferralStatus.SENT),
                name="parcours_referral_one_pending",
                violation_error_message=_("Une orientation de ce type vers cette structure attend déjà une réponse."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_structure} → {self.to_structure} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ReferralStatus.SENT


class ReferralTransition(models.Model):
    """Every status change of a referral (domain.md §2.5)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=10, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=10, choices=ReferralStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("changement de statut d'orientation")
        verbose_name_plural = _("changements de statut d'orientation")
        ordering = ["referral_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


# --- in-app notifications -----------------------------------------------------------------------------
class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Notifications addressed to the user or to one of their structures."""
        from .access import user_scope

        scope = user_scope(user)
        q = Q(recipient=user) | Q(recipient__isnull=True, structure_id__in=scope.field_structures)
        if scope.is_coordinator:
            q |= Q(recipient__isnull=True, structure__isnull=True)
        return self.filter(q)

    def unread(self):
        return self.filter(read_at__isnull=True)


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "REFERRAL_RECEIVED", _("Orientation reçue")
    REFERRAL_ACCEPTED = "REFERRAL_ACCEPTED", _("Orientation acceptée")
    REFERRAL_REFUSED = "REFERRAL_REFUSED", _("Orientation refusée")
    REFERRAL_EXPIRED = "REFERRAL_EXPIRED", _("Orientation expirée sans réponse")
    REFERRAL_CANCELLED = "REFERRAL_CANCELLED", _("Orientation annulée")
    DUPLICATE_CHECK = "DUPLICATE_CHECK", _("Vérification de doublon demandée")
    FOLLOWUP_DECLARED = "FOLLOWUP_DECLARED", _("Un partenaire a déclaré un accompagnement")


class DuplicateCheckRequest(models.Model):
    """A worker asks the coordinators to check a possible duplicate among people they may not see (R12).

    It holds ids only: the matched people and the structures involved, never the typed names.
    """

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    structure = models.ForeignKey("partenaires.Structure", on_delete=models.CASCADE, related_name="+")
    matches = models.ManyToManyField(Person, related_name="+")
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("traitée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("vérification de doublon")
        verbose_name_plural = _("vérifications de doublon")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Vérification de doublon n° %(id)s") % {"id": self.pk})


class Notification(models.Model):
    """An in-app notice: ids and a kind only, never a name (privacy.md §8)."""

    structure = models.ForeignKey("partenaires.Structure", on_delete=models.CASCADE, related_name="+", null=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("type"), max_length=24, choices=NotificationKind.choices)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    duplicate_check = models.ForeignKey(
        "DuplicateCheckRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()


from parcours.alerts.models import Alert, AlertSettings, AlertTransition, CaseConferenceProposal  # noqa: E402, F401
