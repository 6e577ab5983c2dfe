"""Follow-ups (which structure follows whom, on which basis) and events (contacts, appointments, notes)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..enums import (
    EventKind,
    EventStatus,
    FollowUpEndReason,
    FollowUpKind,
    SharingBasis,
    Visibility,
)
from .common import track

__all__ = ["FollowUpQuerySet", "FollowUp", "CONTACT_Q", "EventQuerySet", "Event"]


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


@track("FollowUpHistory")
class FollowUp(models.Model):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="followups")
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


@track("EventHistory")
class Event(models.Model):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="events")
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
