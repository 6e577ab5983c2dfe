"""Alerts, their transitions, and the thresholds coordinators may change (domain.md §5).

The tables keep their first names (`parcours_alert`…): the models moved here from app `parcours` in
migration `alerts.0001`, which changed only Django's state.
"""

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope
from parcours.access import file_visible_q, followed_q
from parcours.models import Person

from .enums import (
    OPEN_STATUSES,
    SEVERITY_RANK,
    AlertRule,
    AlertStatus,
    DismissReason,
    ProposalSource,
    ProposalStatus,
    Resolution,
    Severity,
)

_POSITIVE = [MinValueValidator(1, message=_("Indiquez une valeur d'au moins 1."))]


def _days(label: str, default: int):
    return models.PositiveSmallIntegerField(label, default=default, validators=_POSITIVE)


# (warning field, urgent field): the urgent threshold must be the nearer one.
THRESHOLD_PAIRS = [
    ("stay_end_warning_days", "stay_end_urgent_days"),
    ("contract_end_warning_days", "contract_end_urgent_days"),
    ("pass_iae_info_days", "pass_iae_warning_days"),
    ("resource_end_warning_days", "resource_end_urgent_days"),
    ("permit_warning_days", "permit_urgent_days"),
    ("institution_exit_warning_days", "institution_exit_urgent_days"),
]


class AlertSettings(models.Model):
    """The thresholds of the rules (our defaults, domain.md §5): one row, pk=1, edited by coordinators."""

    stay_end_warning_days = _days(_("fin de séjour : alerte « à traiter » (jours avant)"), 60)
    stay_end_urgent_days = _days(_("fin de séjour : alerte « urgent » (jours avant)"), 30)
    contract_end_warning_days = _days(_("fin de contrat : alerte « à traiter » (jours avant)"), 60)
    contract_end_urgent_days = _days(_("fin de contrat : alerte « urgent » (jours avant)"), 30)
    pass_iae_info_days = _days(_("fin de PASS IAE : information (jours avant)"), 183)
    pass_iae_warning_days = _days(_("fin de PASS IAE : alerte « à traiter » (jours avant)"), 92)
    pass_iae_grace_days = _days(_("fin de PASS IAE : l'alerte se ferme (jours après la fin)"), 183)
    resource_end_warning_days = _days(_("fin de ressource : alerte « à traiter » (jours avant)"), 60)
    resource_end_urgent_days = _days(_("fin de ressource : alerte « urgent » (jours avant)"), 30)
    permit_warning_days = _days(_("titre de séjour : alerte « à traiter » (jours avant)"), 120)
    permit_urgent_days = _days(_("titre de séjour : alerte « urgent » (jours avant)"), 60)
    no_contact_days = _days(_("sans contact depuis (jours)"), 45)
    missed_appointments = _days(_("rendez-vous non honorés déclenchant l'alerte"), 2)
    missed_window_days = _days(_("… sur une période de (jours)"), 30)
    evaluation_missing_days = _days(_("évaluation manquante : délai après le début de l'accompagnement (jours)"), 61)
    evaluation_outdated_days = _days(_("évaluation ancienne : âge de la dernière version finalisée (jours)"), 183)
    institution_exit_warning_days = _days(_("sortie d'institution : alerte « à traiter » (jours avant)"), 90)
    institution_exit_urgent_days = _days(_("sortie d'institution : alerte « urgent » (jours avant)"), 30)
    acute_event_days = _days(_("événement grave : période ouverte après la fin (jours)"), 7)
    lever_precarious_days = _days(_("levier emploi : à la rue ou en urgence depuis plus de (jours)"), 90)
    next_step_accepted_days = _days(_("une orientation acceptée compte comme solution pendant (jours)"), 60)
    complex_barriers = _days(_("situation complexe : freins actifs (au moins)"), 3)
    complex_structures = _days(_("situation complexe : structures qui accompagnent (au moins)"), 2)
    complex_urgent_alerts = _days(_("situation complexe : alertes urgentes (au moins)"), 2)
    complex_window_days = _days(_("situation complexe : période des alertes urgentes (jours)"), 365)
    escalation_days = _days(_("escalade à la coordination sans prise en compte après (jours)"), 7)
    # Alert fatigue: each professional sees at most this many people under « Urgent » a day, the others
    # (later due dates) under « À surveiller ».
    urgent_daily_cap = _days(
        _("boîte d'alertes : personnes en « Urgent » par jour et par professionnel·le (au plus)"), 5
    )

    class Meta:
        db_table = "parcours_alertsettings"
        verbose_name = _("réglages des alertes")
        verbose_name_plural = _("réglages des alertes")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 1}),
                    name=f"parcours_alertsettings_{name}_positive",
                    violation_error_message=_("Les délais et seuils doivent valoir au moins 1."),
                )
                for name in [
                    "stay_end_warning_days",
                    "stay_end_urgent_days",
                    "contract_end_warning_days",
                    "contract_end_urgent_days",
                    "pass_iae_info_days",
                    "pass_iae_warning_days",
                    "pass_iae_grace_days",
                    "resource_end_warning_days",
                    "resource_end_urgent_days",
                    "permit_warning_days",
                    "permit_urgent_days",
                    "no_contact_days",
                    "missed_appointments",
                    "missed_window_days",
                    "evaluation_missing_days",
                    "evaluation_outdated_days",
                    "institution_exit_warning_days",
                    "institution_exit_urgent_days",
                    "acute_event_days",
                    "lever_precarious_days",
                    "next_step_accepted_days",
                    "complex_barriers",
                    "complex_structures",
                    "complex_urgent_alerts",
                    "complex_window_days",
                    "escalation_days",
                    "urgent_daily_cap",
                ]
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{urgent}__lte": F(warning)}),
                    name=f"parcours_alertsettings_{urgent}_nearer",
                    violation_error_message=_("Le seuil le plus proche doit être inférieur ou égal au premier."),
                )
                for warning, urgent in THRESHOLD_PAIRS
            ],
        ]

    def __str__(self) -> str:
        return str(_("Réglages des alertes"))

    def clean(self):
        super().clean()
        errors = {}
        for warning, urgent in THRESHOLD_PAIRS:
            first, second = getattr(self, warning), getattr(self, urgent)
            if first and second and second > first:
                errors[urgent] = _("Ce seuil doit être inférieur ou égal à %(first)s jours (le premier seuil).") % {
                    "first": first
                }
        if errors:
            raise ValidationError(errors)

    @classmethod
    def load(cls) -> "AlertSettings":
        return cls.objects.get_or_create(pk=1)[0]


def _owned_by_q(user) -> tuple[Q, Q]:
    """ "My alerts", in two disjoint halves: I own it; nobody owns it and a structure I manage follows the person."""
    orphan_people = Person.objects.filter(followed_q(sorted(user_scope(user).manager_structures))).order_by()
    return Q(owner=user), Q(owner__isnull=True, person__in=orphan_people.values("pk"))


class AlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.exclude(status__in=OPEN_STATUSES)

    def visible_to(self, user):
        """Alerts of the people whose file `user` sees (parcours' access policy; not the REFERRAL-only view)."""
        return self.filter(person__in=Person.objects.filter(file_visible_q(user)).values("pk"))

    def owned_by(self, user):
        """ "My alerts": I am the owner (lead referent); without an owner, managers of a following structure."""
        mine, orphans = _owned_by_q(user)
        return self.filter(mine | orphans)

    def owned_by_count(self, user, cap: int) -> int:
        """`owned_by(user).count()`, up to `cap`, in one statement: the two disjoint halves are counted apart, each
        LIMITed and driven by its own index. (The OR of both scanned every alert of the territory: 270 ms for a
        manager at 1,000,000 people; a manager whose structures follow 40,000 people has 157,000 such alerts.)"""
        statements, params = [], []
        for half in _owned_by_q(user):
            try:
                sql, half_params = self.filter(half).order_by().values("pk")[:cap].query.sql_with_params()
            except EmptyResultSet:  # no managed structure: nobody's alerts fall to this user
                continue
            statements.append(f"(SELECT COUNT(*) FROM ({sql}) AS half)")
            params.extend(half_params)
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + " + ".join(statements), params)
            return min(cursor.fetchone()[0], cap)

    def with_severity_rank(self):
        return self.annotate(
            severity_rank=Case(
                *[When(severity=code, then=Value(rank)) for code, rank in SEVERITY_RANK.items()],
                default=Value(0),
                output_field=IntegerField(),
            )
        )

    def by_urgency(self):
        return self.with_severity_rank().order_by("-severity_rank", F("due_on").asc(nulls_last=True), "id")

    def unacknowledged_since(self, moment):
        return self.filter(status=AlertStatus.OPEN, created_at__lt=moment)


class Alert(models.Model):
    """One rupture risk of one person, on one subject (a situation, resource, referral, evaluation…)."""

    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(_("règle"), max_length=40, choices=AlertRule.choices)
    # The object concerned, as "<model>:<id>" (e.g. "housingsituation:42"), or "person:<id>".
    subject_key = models.CharField(_("objet"), max_length=64)
    severity = models.CharField(_("gravité"), max_length=8, choices=Severity.choices)
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    # Ids, dates and codes only: the French explanation is built when shown, for what the viewer may see.
    facts = models.JSONField(_("faits"), default=dict, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsable"),
    )
    structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure du ou de la référent·e de parcours"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    acknowledged_at = models.DateTimeField(_("prise en compte le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(_("résolution"), max_length=8, choices=Resolution.choices, blank=True)
    dismiss_reason = models.CharField(_("motif"), max_length=20, choices=DismissReason.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    escalated_at = models.DateTimeField(_("signalée à la coordination le"), null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        db_table = "parcours_alert"
        verbose_name = _("alerte")
        verbose_name_plural = _("alertes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="parcours_alert_owner_idx"),
            models.Index(fields=["person", "status"], name="parcours_alert_person_idx"),
            models.Index(fields=["rule", "status"], name="parcours_alert_rule_idx"),
            models.Index(fields=["created_at"], name="parcours_alert_created_idx"),
            # The coordinators' navigation badge counts the open escalated alerts on every page: a handful among
            # millions (a sequential scan of 1.9 million alerts took 127 ms at 1,000,000 people).
            models.Index(
                fields=["escalated_at"],
                condition=Q(escalated_at__isnull=False, status__in=OPEN_STATUSES),
                name="parcours_alert_escalated_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "subject_key"],
                condition=Q(status__in=["OPEN", "ACKNOWLEDGED"]),
                name="parcours_alert_one_open",
                violation_error_message=_("Une alerte de cette règle est déjà ouverte pour cet objet."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.DISMISSED) | ~Q(dismiss_reason=""),
                name="parcours_alert_dismissed_has_reason",
                violation_error_message=_("Indiquez pourquoi l'alerte est écartée."),
            ),
            models.CheckConstraint(
                condition=~Q(dismiss_reason=DismissReason.OTHER) | ~Q(note=""),
                name="parcours_alert_other_reason_has_note",
                violation_error_message=_("Précisez le motif « Autre »."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["OPEN", "ACKNOWLEDGED"], closed_at__isnull=True)
                | Q(status__in=["RESOLVED", "DISMISSED"], closed_at__isnull=False),
                name="parcours_alert_closed_at_when_closed",
                violation_error_message=_("Une alerte close a une date de clôture, et seulement elle."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def severity_class(self) -> str:
        return {Severity.URGENT: "danger", Severity.WARNING: "warning", Severity.INFO: "info"}.get(
            self.severity, "secondary"
        )


class AlertTransition(models.Model):
    """Every status change of an alert: who, when, why (domain.md §5, lifecycle)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("de"), max_length=12, choices=AlertStatus.choices, blank=True)
    to_status = models.CharField(_("vers"), max_length=12, choices=AlertStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    reason = models.CharField(_("motif"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "parcours_alerttransition"
        verbose_name = _("changement de statut d'alerte")
        verbose_name_plural = _("changements de statut d'alerte")
        ordering = ["alert_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


class CaseConferenceProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)


class CaseConferenceProposal(models.Model):
    """A proposal to put a person's situation on a case conference.

    Made from a COMPLEX_CASE alert ("Proposer en commission"), from the person's file by a follower, or from
    a decision to follow of an earlier session. The concertation app accepts it onto a session (it becomes a
    case review) or declines it with a reason; both close it. Ids and the proposer's own words only.
    """

    alert = models.OneToOneField(
        Alert, on_delete=models.CASCADE, related_name="conference_proposal", null=True, blank=True
    )
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(
        _("origine"), max_length=12, choices=ProposalSource.choices, default=ProposalSource.ALERT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    structure = models.ForeignKey(
        "partenaires.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("structure qui propose"),
    )
    presentation = models.TextField(_("présentation courte"), blank=True)
    question = models.TextField(_("question posée"), blank=True)
    proposed_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decline_reason = models.TextField(_("motif du refus"), blank=True)
    handled_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseConferenceProposalQuerySet.as_manager()

    class Meta:
        db_table = "parcours_caseconferenceproposal"
        verbose_name = _("proposition de passage en commission")
        verbose_name_plural = _("propositions de passage en commission")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ProposalStatus.PENDING, handled_at__isnull=True)
                | (~Q(status=ProposalStatus.PENDING) & Q(handled_at__isnull=False)),
                name="alerts_proposal_handled_when_closed",
                violation_error_message=_("Une proposition traitée a une date de traitement, et seulement elle."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.DECLINED) | ~Q(decline_reason=""),
                name="alerts_proposal_declined_has_reason",
                violation_error_message=_("Indiquez pourquoi la proposition est déclinée."),
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="PENDING"),
                name="alerts_proposal_one_pending_per_person",
                violation_error_message=_("Une proposition est déjà en attente pour cette personne."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Proposition n° %(id)s") % {"id": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


__all__ = [
    "CaseConferenceProposalQuerySet",
    "THRESHOLD_PAIRS",
    "Alert",
    "AlertQuerySet",
    "AlertSettings",
    "AlertTransition",
    "CaseConferenceProposal",
]
