"""The shared action plan (« plan d'accompagnement partagé »), the activity told to partners, and each user's
notification preferences (issue 13).

Objectives by theme, actions owned by a structure, both edited by any follower with write access under an
optimistic lock (`lock_version`, parcours/locking.py). HEALTH objectives are ◆ items: only viewers with health
access see them (privacy.md §3). `Activity` rows are the significant facts of the « Fil d'activité »; they hold
ids and codes, never free text about the person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import ActionStatus, ActivityKind, Delivery, ObjectiveStatus, PlanTheme
from .common import track

__all__ = [
    "ObjectiveQuerySet",
    "Objective",
    "ActionQuerySet",
    "Action",
    "ActivityQuerySet",
    "Activity",
    "NotificationPreference",
]


class ObjectiveQuerySet(models.QuerySet):
    def for_viewer(self, access):
        """Objectives a viewer with `access` (parcours.access.Access) may see: HEALTH ones need health access."""
        return self if access.health else self.exclude(theme=PlanTheme.HEALTH)


@track("ObjectiveHistory")
class Objective(models.Model):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="objectives")
    household = models.ForeignKey(
        "parcours.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        verbose_name=_("concerne le ménage"),
    )
    theme = models.CharField(_("thème"), max_length=16, choices=PlanTheme.choices)
    barrier_theme = models.CharField(_("frein traité"), max_length=32, blank=True)
    statement = models.CharField(_("objectif"), max_length=300)
    target_on = models.DateField(_("échéance visée"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.IN_PROGRESS
    )
    abandon_reason = models.TextField(_("motif de l'abandon"), blank=True)
    structures = models.ManyToManyField(
        "partenaires.Structure", related_name="+", blank=True, verbose_name=_("structures impliquées")
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by_structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(_("version d'édition"), default=1)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("objectif du plan")
        verbose_name_plural = _("objectifs du plan")
        ordering = ["person_id", "status", "target_on", "id"]
        indexes = [models.Index(fields=["person", "status"], name="parcours_objective_person_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ObjectiveStatus.ABANDONED) | ~Q(abandon_reason=""),
                name="parcours_objective_abandon_has_reason",
                violation_error_message=_("Un objectif abandonné a un motif."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ObjectiveStatus.values),
                name="parcours_objective_status_valid",
                violation_error_message=_("Statut d'objectif inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Objectif n° %(id)s") % {"id": self.pk})

    @property
    def is_health(self) -> bool:
        return self.theme == PlanTheme.HEALTH

    @property
    def is_open(self) -> bool:
        return self.status == ObjectiveStatus.IN_PROGRESS


class ActionQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=ActionStatus.PLANNED)

    def overdue(self, day=None):
        return self.planned().filter(due_on__lt=day or timezone.localdate())


@track("ActionHistory")
class Action(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="plan_actions")
    title = models.CharField(_("action"), max_length=300)
    owner_structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.PROTECT, related_name="plan_actions", verbose_name=_("portée par")
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("référent·e"),
    )
    due_on = models.DateField(_("à réaliser avant le"))
    status = models.CharField(_("statut"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    not_done_reason = models.TextField(_("motif de la non-réalisation"), blank=True)
    outcome = models.TextField(_("résultat"), blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    completed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(_("version d'édition"), default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action du plan")
        verbose_name_plural = _("actions du plan")
        ordering = ["objective_id", "due_on", "id"]
        indexes = [
            models.Index(fields=["person", "due_on"], name="parcours_action_person_idx"),
            models.Index(fields=["due_on"], condition=Q(status="PLANNED"), name="parcours_action_planned_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.NOT_DONE) | ~Q(not_done_reason=""),
                name="parcours_action_not_done_has_reason",
                violation_error_message=_("Une action non réalisée a un motif."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values),
                name="parcours_action_status_valid",
                violation_error_message=_("Statut d'action inconnu."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Action n° %(id)s") % {"id": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.PLANNED and self.due_on < timezone.localdate()


class ActivityQuerySet(models.QuerySet):
    def for_viewer(self, access):
        """Facts a viewer with `access` may read: ◆ facts (a HEALTH objective's) need health access."""
        return self if access.health else self.filter(is_health=False)


class Activity(models.Model):
    """A significant fact of a person's pathway, told to the partners (ids and codes only)."""

    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(_("type"), max_length=24, choices=ActivityKind.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)
    structure = models.ForeignKey(
        "partenaires.Structure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    objective = models.ForeignKey(Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.ForeignKey(Action, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    referral = models.ForeignKey(
        "parcours.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    facts = models.JSONField(_("faits"), default=dict, blank=True)
    is_health = models.BooleanField(default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("fait du parcours")
        verbose_name_plural = _("fil d'activité")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at", "-id"], name="parcours_activity_person_idx")]

    def __str__(self) -> str:
        return self.get_kind_display()


class NotificationPreference(models.Model):
    """How a user wants to hear of one kind of fact; without a row, `DEFAULT_DELIVERY` applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("type"), max_length=24, choices=ActivityKind.choices)
    delivery = models.CharField(_("m'avertir"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        ordering = ["user_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="parcours_notificationpref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.get_delivery_display()}"
