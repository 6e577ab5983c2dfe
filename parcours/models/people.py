"""People, households, the consent ledger and the duplicate-check requests."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import text
from ..access import followed_q, visible_q, writable_q
from ..enums import (
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    Gender,
    HouseholdRole,
    HouseholdType,
    NationalityCategory,
    ResidenceRight,
    WorkAllowed,
)
from .caseload import FollowUp
from .common import MAX_AGE_YEARS, track

__all__ = [
    "PersonQuerySet",
    "Person",
    "Household",
    "HouseholdMemberQuerySet",
    "HouseholdMember",
    "ConsentQuerySet",
    "consent_document_path",
    "Consent",
    "DuplicateCheckRequest",
]


# --- person and household -------------------------------------------------------------------------
class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PersonQuerySet":
        """People `user` may see in any view (FULL, SHARED or REFERRAL): privacy.md §3."""
        return self.filter(visible_q(user))

    def writable_by(self, user) -> "PersonQuerySet":
        """People `user` may change: an active follow-up by one of their structures, file not restricted."""
        return self.filter(writable_q(user))

    def followed_by(self, structures) -> "PersonQuerySet":
        """People with an open follow-up by one of `structures` (ids or instances)."""
        return self.filter(followed_q(structures))

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


@track("PersonHistory")
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
    # Retention (privacy.md §6): a legal hold suspends anonymisation; `anonymised_at` marks a done file.
    retention_hold_until = models.DateField(_("conservation prolongée jusqu'au"), null=True, blank=True)
    retention_hold_reason = models.CharField(_("motif de la conservation prolongée"), max_length=200, blank=True)
    retention_warned_for = models.DateField(_("avertissement d'anonymisation envoyé pour le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True, editable=False)
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
        self.fill_derived_fields()
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

    def fill_derived_fields(self) -> None:
        """The fields computed from the others (search names): `save` calls it, and so do bulk writes."""
        self.search_name = text.search_name(self.last_name, self.first_name)
        self.search_name_reversed = text.search_name(self.first_name, self.last_name)

    @property
    def age(self) -> int:
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def display_name(self) -> str:
        return str(self)


@track("HouseholdHistory")
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


@track("HouseholdMemberHistory")
class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    # A member is a person with a file, or (for a child) just an age and a relationship.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="household_memberships", null=True, blank=True
    )
    child_age = models.PositiveSmallIntegerField(_("âge (enfant sans dossier)"), null=True, blank=True)
    child_age_on = models.DateField(_("âge relevé le"), null=True, blank=True)
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
                condition=Q(person__isnull=False, child_age__isnull=True)
                | Q(person__isnull=True, child_age__isnull=False, child_age__lte=25, role="CHILD"),
                name="parcours_householdmember_person_or_child_age",
                violation_error_message=_(
                    "Un membre du ménage est une personne suivie, ou un enfant dont on note l'âge (25 ans au plus)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="parcours_householdmember_left_after_joined",
                violation_error_message=_("La date de départ doit suivre la date d'arrivée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} — {self.get_role_display()}"

    @property
    def current_child_age(self) -> int | None:
        """The recorded age of a child without a file, moved on by the years since it was recorded."""
        if self.child_age is None:
            return None
        if self.child_age_on is None:
            return self.child_age
        today = timezone.localdate()
        years = (
            today.year
            - self.child_age_on.year
            - ((today.month, today.day) < (self.child_age_on.month, self.child_age_on.day))
        )
        return self.child_age + max(years, 0)


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


@track("ConsentHistory")
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
