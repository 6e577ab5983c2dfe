"""Employment-insertion evaluations (domain.md §3): drafts, finalised versions and their barriers.

Storage: one typed column per field of the form (and an `ArrayField` for each multiple choice), one
`Barrier` row per theme, the 1–3 target jobs as a small validated JSON list. Typed columns because the
cohort view and the reports count by these values over 150,000 rows in SQL, the database checks them
(constraints with French messages) and the history triggers record field by field. JSON only where the
shape is a short list of pairs nobody filters on (`target_jobs`) and for the `snapshot` frozen at
finalisation.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope
from parcours.access import file_visible_q, visible_q
from parcours.models import Person

from . import enums
from .enums import BarrierStatus, BarrierTheme, EvaluationStatus
from .sections import FIELDS, help_text, label
from .synthesis import Rule


def _choice(name: str, enum: type[models.TextChoices], **kwargs) -> models.CharField:
    return models.CharField(
        label(name), max_length=32, choices=enum.choices, blank=True, help_text=help_text(name), **kwargs
    )


def _multi(name: str, enum: type[models.TextChoices]) -> ArrayField:
    return ArrayField(
        models.CharField(max_length=32, choices=enum.choices),
        verbose_name=label(name),
        blank=True,
        default=list,
        help_text=help_text(name),
    )


def _date(name: str) -> models.DateField:
    return models.DateField(label(name), null=True, blank=True, help_text=help_text(name))


class EvaluationSettings(models.Model):
    """The thresholds of the distance rule (domain.md §3 M: "our default rule, configurable"). One row.

    Changing them applies to drafts when next saved and to every synthesis page at once; the distance stored
    on finalised versions (counted by the cohort) keeps the value computed when they were finalised.
    """

    barriers_one_point_from = models.PositiveSmallIntegerField(
        _("freins actifs à partir desquels on compte 1 point"), default=2
    )
    barriers_two_points_from = models.PositiveSmallIntegerField(
        _("freins actifs à partir desquels on compte 2 points"), default=4
    )
    recent_experience_months = models.PositiveSmallIntegerField(
        _("expérience récente : dernier emploi il y a au plus (mois)"), default=24
    )
    close_max_score = models.PositiveSmallIntegerField(_("score maximal « Proche »"), default=1)
    intermediate_max_score = models.PositiveSmallIntegerField(_("score maximal « Intermédiaire »"), default=3)

    class Meta:
        verbose_name = _("réglages de la règle de synthèse")
        verbose_name_plural = _("réglages de la règle de synthèse")
        constraints = [
            models.CheckConstraint(
                condition=Q(barriers_one_point_from__gte=1)
                & Q(barriers_two_points_from__gt=models.F("barriers_one_point_from")),
                name="evaluations_settings_barrier_scale",
                violation_error_message=_(
                    "Le seuil de 2 points doit dépasser celui d'1 point, lui-même d'au moins 1."
                ),
            ),
            models.CheckConstraint(
                condition=Q(intermediate_max_score__gt=models.F("close_max_score")) & Q(intermediate_max_score__lt=5),
                name="evaluations_settings_levels",
                violation_error_message=_("Les scores maximaux doivent être croissants et inférieurs à 5."),
            ),
            models.CheckConstraint(
                condition=Q(recent_experience_months__gte=1) & Q(recent_experience_months__lte=120),
                name="evaluations_settings_recent_months",
                violation_error_message=_("L'expérience récente se compte entre 1 et 120 mois."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Réglages de la règle de synthèse"))

    @classmethod
    def load(cls) -> EvaluationSettings:
        return cls.objects.get_or_create(pk=1)[0]

    def rule(self):
        return Rule.from_thresholds(
            one_point_from=self.barriers_one_point_from,
            two_points_from=self.barriers_two_points_from,
            recent_months=self.recent_experience_months,
            close_max=self.close_max_score,
            intermediate_max=self.intermediate_max_score,
        )


class FinalisedEvaluationError(ValidationError):
    """A finalised version was about to change."""


class EvaluationQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(status=EvaluationStatus.DRAFT)

    def finalised(self):
        return self.filter(status=EvaluationStatus.FINAL)

    def current(self):
        """The last finalised version of each person."""
        return self.filter(is_current=True)

    def visible_to(self, user):
        """Evaluations `user` may see, from parcours' access policy (privacy.md R2, R8): every finalised version
        of a file the user sees; drafts only for the author's structure (one of the user's field structures);
        under the REFERRAL-only view, the current finalised version alone."""
        # Correlated EXISTS, not `person IN (…)`: an OR of IN-subqueries is planned as hashed subplans over every
        # person of the territory (1.6 s for one person's evaluations at 100,000 people), an EXISTS probes only
        # the evaluations' own persons.
        file = Exists(Person.objects.filter(file_visible_q(user), pk=OuterRef("person_id")))
        any_view = Exists(Person.objects.filter(visible_q(user), pk=OuterRef("person_id")))
        structures = sorted(user_scope(user).field_structures)
        return self.filter(
            Q(file, status=EvaluationStatus.FINAL)
            | Q(file, status=EvaluationStatus.DRAFT, structure_id__in=structures)
            | Q(any_view, is_current=True)
        )


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="EvaluationHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
@pgtrigger.register(
    # Finalised versions are immutable (domain.md §3): no write path may change or delete them, except
    # moving the "current version" marker. A DPO rectification would run under pgtrigger.ignore.
    pgtrigger.Protect(
        name="evaluations_final_immutable",
        operation=pgtrigger.Update,
        condition=pgtrigger.Condition(
            "OLD.status = 'FINAL' AND "
            "(to_jsonb(OLD.*) - 'is_current') IS DISTINCT FROM (to_jsonb(NEW.*) - 'is_current')"
        ),
    ),
    pgtrigger.Protect(
        name="evaluations_final_undeletable",
        operation=pgtrigger.Delete,
        condition=pgtrigger.Q(old__status=EvaluationStatus.FINAL),
    ),
)
class Evaluation(models.Model):
    person = models.ForeignKey(
        "parcours.Person", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("personne")
    )
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("structure")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("auteur·rice")
    )
    status = models.CharField(
        _("statut"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    version_no = models.PositiveIntegerField(_("version"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("d'après")
    )
    is_current = models.BooleanField(_("dernière version finalisée"), default=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    # Optimistic locking: each save increments it; a save from an older copy is refused.
    lock_version = models.PositiveIntegerField(_("version d'édition"), default=1)
    finalised_at = models.DateTimeField(_("finalisée le"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finalisée par"),
    )
    # A: administrative situation at the time of the evaluation (copied to the person when finalised).
    nationality_category = _choice("nationality_category", enums.NationalityCategory)
    residence_right = _choice("residence_right", enums.ResidenceRight)
    permit_end_on = _date("permit_end_on")
    permit_renewal_filed_on = _date("permit_renewal_filed_on")
    work_allowed = _choice("work_allowed", enums.WorkAllowed)
    # B
    education_level = _choice("education_level", enums.EducationLevel)
    education_abroad = models.BooleanField(
        label("education_abroad"), default=False, help_text=help_text("education_abroad")
    )
    # C
    work_experience_level = _choice("work_experience_level", enums.WorkExperienceLevel)
    last_job_ended_on = _date("last_job_ended_on")
    # D
    employment_situation = _choice("employment_situation", enums.EmploymentStatus)
    contract_type = _choice("contract_type", enums.ContractType)
    working_time = _choice("working_time", enums.WorkingTime)
    ft_registered_since = _date("ft_registered_since")
    # E
    rsa_track = _choice("rsa_track", enums.RsaTrack)
    # F ◆
    rqth_status = _choice("rqth_status", enums.RqthStatus)
    rqth_end_on = _date("rqth_end_on")
    # G
    driving_licences = _multi("driving_licences", enums.DrivingLicence)
    mobility_means = _multi("mobility_means", enums.MobilityMean)
    max_commute_minutes = models.PositiveSmallIntegerField(
        label("max_commute_minutes"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(240)],
        help_text=help_text("max_commute_minutes"),
    )
    # H
    french_level = _choice("french_level", enums.FrenchLevel)
    digital_skills = _choice("digital_skills", enums.DigitalSkills)
    digital_equipment = _multi("digital_equipment", enums.DigitalEquipment)
    # I
    job_readiness = _choice("job_readiness", enums.JobReadiness)
    # J
    target_jobs = models.JSONField(label("target_jobs"), default=list, blank=True, help_text=help_text("target_jobs"))
    target_communes = ArrayField(
        models.CharField(max_length=100), verbose_name=label("target_communes"), default=list, blank=True
    )
    contract_wished = _multi("contract_wished", enums.ContractWished)
    working_time_wished = _choice("working_time_wished", enums.WorkingTimeWished)
    hours_constraints = _multi("hours_constraints", enums.HoursConstraint)
    iae_diagnosis_on = _date("iae_diagnosis_on")
    # M: the computed distance is stored (kept in step by the services) so that the cohort counts in SQL.
    distance_computed = models.CharField(
        _("distance à l'emploi calculée"), max_length=16, choices=enums.DistanceLevel.choices, blank=True
    )
    distance_score = models.PositiveSmallIntegerField(_("score de distance"), null=True, blank=True)
    distance_override = _choice("distance_override", enums.DistanceLevel)
    distance_override_reason = models.TextField(
        label("distance_override_reason"), blank=True, help_text=help_text("distance_override_reason")
    )
    distance_level = models.CharField(
        _("distance à l'emploi retenue"), max_length=16, choices=enums.DistanceLevel.choices, blank=True
    )
    # Themes of the ACTIVE barriers, kept in step by the services, so that the cohort counts them
    # without reading 1.2 million barrier rows.
    active_themes = ArrayField(
        models.CharField(max_length=32, choices=BarrierTheme.choices),
        verbose_name=_("thèmes des freins actifs"),
        default=list,
        blank=True,
        editable=False,
    )
    recommended_orientation = _choice("recommended_orientation", enums.Orientation)
    housing_near_workplace = models.BooleanField(
        label("housing_near_workplace"), default=False, help_text=help_text("housing_near_workplace")
    )
    workplace_commune_insee = models.CharField(
        label("workplace_commune_insee"), max_length=5, blank=True, help_text=help_text("workplace_commune_insee")
    )
    hours_compatibility = _multi("hours_compatibility", enums.HoursCompatibility)
    action_logement = _choice("action_logement", enums.ActionLogement)
    recommended_housing_type = _choice("recommended_housing_type", enums.RecommendedHousing)
    worker_synthesis = models.TextField(label("worker_synthesis"), blank=True, help_text=help_text("worker_synthesis"))
    # §2 data shown in A, D, E, L, frozen when finalised.
    snapshot = models.JSONField(_("instantané"), default=dict, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["person_id", "-version_no", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=EvaluationStatus.DRAFT),
                name="evaluations_one_draft_per_person",
                violation_error_message=_("Un brouillon d'évaluation existe déjà pour cette personne."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_current=True),
                name="evaluations_one_current_per_person",
                violation_error_message=_("Une seule version peut être la dernière version finalisée."),
            ),
            models.UniqueConstraint(
                fields=["person", "version_no"],
                name="evaluations_unique_version_no",
                violation_error_message=_("Ce numéro de version existe déjà pour cette personne."),
            ),
            models.CheckConstraint(
                condition=Q(status=EvaluationStatus.DRAFT)
                | (Q(version_no__isnull=False) & Q(finalised_at__isnull=False) & Q(finalised_by__isnull=False)),
                name="evaluations_final_is_complete",
                violation_error_message=_("Une version finalisée a un numéro, une date et un·e auteur·rice."),
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(status=EvaluationStatus.FINAL),
                name="evaluations_current_is_final",
                violation_error_message=_("Seule une version finalisée peut être la dernière version."),
            ),
            models.CheckConstraint(
                condition=Q(distance_override="") | ~Q(distance_override_reason=""),
                name="evaluations_override_has_reason",
                violation_error_message=_("Indiquez le motif du choix d'une autre distance à l'emploi."),
            ),
            models.CheckConstraint(
                condition=Q(max_commute_minutes__isnull=True) | Q(max_commute_minutes__lte=240),
                name="evaluations_commute_range",
                violation_error_message=_("Le temps de trajet doit être compris entre 0 et 240 minutes."),
            ),
        ]
        indexes = [
            # The cohort reads the current version of the people a viewer sees: index-only.
            models.Index(
                fields=["person"],
                include=["distance_level", "active_themes"],
                condition=Q(is_current=True),
                name="evaluations_current_cohort",
            ),
        ]

    def __str__(self) -> str:
        if self.status == EvaluationStatus.FINAL:
            return _("Évaluation version %(n)s") % {"n": self.version_no}
        return str(_("Évaluation (brouillon)"))

    def save(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == EvaluationStatus.FINAL:
            raise FinalisedEvaluationError(_("Une version finalisée ne peut plus être modifiée."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if getattr(self, "_loaded_status", None) == EvaluationStatus.FINAL:
            raise FinalisedEvaluationError(_("Une version finalisée ne peut pas être supprimée."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_status = instance.__dict__.get("status")
        return instance

    @property
    def is_final(self) -> bool:
        return self.status == EvaluationStatus.FINAL

    @property
    def is_draft(self) -> bool:
        return self.status == EvaluationStatus.DRAFT

    def clean(self):
        errors = {}
        for job in self.target_jobs or []:
            if (
                not isinstance(job, dict)
                or set(job) - {"rome_code", "label"}
                or not (job.get("label") or job.get("rome_code"))
            ):
                errors["target_jobs"] = _("Chaque métier visé a un code ROME ou un libellé.")
        if len(self.target_jobs or []) > 3:
            errors["target_jobs"] = _("Indiquez au plus trois métiers visés.")
        if errors:
            raise ValidationError(errors)

    def as_data(self, barriers=None) -> dict:
        """The plain document the comparison works on (comparison.py)."""
        fields = {}
        for spec in FIELDS:
            value = getattr(self, spec.name)
            fields[spec.name] = value.isoformat() if hasattr(value, "isoformat") else value
        barriers = self.barriers.all() if barriers is None else barriers
        return {
            "fields": fields,
            "barriers": {b.theme: {"status": b.status, "situations": list(b.situations)} for b in barriers},
            "distance": {"computed": self.distance_computed or None, "retained": self.distance_level or None},
        }


_BARRIER_FROZEN = """
    IF (SELECT status FROM evaluations_evaluation WHERE id = {row}.evaluation_id) = 'FINAL' THEN
        RAISE EXCEPTION 'evaluations: the barriers of a finalised evaluation are immutable';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
"""


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    model_name="BarrierHistory",
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
@pgtrigger.register(
    # The barriers of a finalised version are as immutable as the version itself.
    pgtrigger.Trigger(
        name="evaluations_barrier_frozen_old",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func=_BARRIER_FROZEN.format(row="OLD"),
    ),
    pgtrigger.Trigger(
        name="evaluations_barrier_frozen_new",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert,
        func=_BARRIER_FROZEN.format(row="NEW"),
    ),
)
class Barrier(models.Model):
    """A "frein périphérique": one row per theme of an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="barriers", verbose_name=_("évaluation")
    )
    theme = models.CharField(_("thème"), max_length=32, choices=BarrierTheme.choices)
    status = models.CharField(
        _("statut"), max_length=16, choices=BarrierStatus.choices, default=BarrierStatus.NOT_DISCUSSED
    )
    situations = ArrayField(
        models.CharField(max_length=32, choices=enums.BarrierSituation.choices),
        verbose_name=_("situations"),
        default=list,
        blank=True,
    )
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("frein périphérique")
        verbose_name_plural = _("freins périphériques")
        ordering = ["evaluation_id", "theme"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "theme"],
                name="evaluations_barrier_one_per_theme",
                violation_error_message=_("Ce thème de frein est déjà renseigné pour cette évaluation."),
            ),
            models.CheckConstraint(
                condition=~Q(theme=BarrierTheme.HEALTH) | Q(comment=""),
                name="evaluations_barrier_health_no_comment",
                violation_error_message=_("Le frein santé ne comporte pas de commentaire : jamais de diagnostic."),
            ),
        ]
        indexes = [models.Index(fields=["theme", "status"], name="evaluations_barrier_theme")]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} — {self.get_status_display()}"

    @property
    def situation_labels(self) -> list[str]:
        return [str(enums.BarrierSituation(code).label) for code in self.situations if code in enums.BarrierSituation]

    def clean(self):
        allowed = set(enums.SITUATIONS_BY_THEME.get(self.theme, ()))
        wrong = [code for code in self.situations if code not in allowed]
        if wrong:
            raise ValidationError({"situations": _("Ces situations ne relèvent pas de ce thème.")})


# --- the cohort's summary (evaluations/cohort.py) ------------------------------------------------------------
class CohortCount(models.Model):
    """One figure of one scope's cohort ("coordination" or "structures:<ids>"): people by distance, by active
    barrier theme, in the key population, and the scope's people ("people", also the mark of a computed scope).
    Rebuilt set-wise by `cohort.refresh()`; holds no person."""

    scope = models.CharField(max_length=500)
    kind = models.CharField(max_length=16)
    code = models.CharField(max_length=32, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("chiffre de la vue d'ensemble")
        verbose_name_plural = _("chiffres de la vue d'ensemble")
        indexes = [models.Index(fields=["scope"], name="evaluations_cohortcount_scope")]

    def __str__(self) -> str:
        return f"{self.scope} {self.kind} {self.code}: {self.n}"


class CohortPerson(models.Model):
    """The key population of one scope, ranked by name at the refresh: the cohort pages through it, and re-checks
    each shown row live under the access policy. Ids only."""

    scope = models.CharField(max_length=500)
    rank = models.IntegerField()
    person = models.ForeignKey("parcours.Person", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")

    class Meta:
        verbose_name = _("personne du public clé")
        verbose_name_plural = _("personnes du public clé")
        indexes = [models.Index(fields=["scope", "rank"], name="evaluations_cohortperson_rank")]

    def __str__(self) -> str:
        return f"{self.scope} #{self.rank}"


class CohortRefresh(models.Model):
    """One row: when the cohort's summary was last rebuilt and how long it took."""

    refreshed_at = models.DateTimeField()
    duration_ms = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("mise à jour de la vue d'ensemble")
        verbose_name_plural = _("mises à jour de la vue d'ensemble")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
