"""Referrals between structures, their transitions, and the notifications they send."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope

from ..access import referral_q
from ..enums import (
    FollowUpKind,
    ReferralStatus,
    RefusalReason,
)
from .common import track

__all__ = [
    "ReferralQuerySet",
    "Referral",
    "ReferralTransition",
    "NotificationQuerySet",
    "NotificationKind",
    "Notification",
]


# --- referrals --------------------------------------------------------------------------------------
class ReferralQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReferralStatus.SENT)

    def visible_to(self, user):
        """Referrals `user` sees in lists (parcours' access policy: `access.referral_q`)."""
        return self.filter(referral_q(user))

    def received_by(self, structures):
        return self.filter(to_structure__in=structures)

    def sent_by_structures(self, structures):
        return self.filter(from_structure__in=structures)

    def overdue(self, day: date | None = None):
        """SENT referrals past their response deadline (the stalled-referral alert)."""
        return self.pending().filter(response_due_on__lt=day or timezone.localdate())


@track("ReferralHistory")
class Referral(models.Model):
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, related_name="referrals")
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
            # The observatory's period filters (matrix, unmet needs, who knows whom) and the summary refresh.
            models.Index(fields=["sent_at"], name="parcours_referral_sent_idx"),
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
    # privacy (DPO, break-glass, retention)
    BREAK_GLASS = "BREAK_GLASS", _("Accès exceptionnel à un dossier suivi")
    SELF_MEMBERSHIP = "SELF_MEMBERSHIP", _("Un·e administrateur·rice s'est donné une appartenance")
    RETENTION_WARNING = "RETENTION_WARNING", _("Dossier bientôt anonymisé sans nouveau contact")
    BULK_ACCESS = "BULK_ACCESS", _("Un compte a ouvert de nombreux dossiers en un jour")
    ACTIVITY = "ACTIVITY", _("Fait du parcours d'une personne suivie")


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
    # privacy notices: the person concerned (an id in links, never a name) and a date (e.g. anonymisation day)
    person = models.ForeignKey("parcours.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    on_date = models.DateField(null=True, blank=True)
    activity = models.ForeignKey(
        "parcours.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    # For activity notifications: how the recipient chose to hear of this kind (immediately or in the digest).
    delivery = models.CharField(_("envoi"), max_length=10, blank=True)
    digest_sent_at = models.DateTimeField(_("récapitulatif envoyé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(delivery="DIGEST", digest_sent_at__isnull=True),
                name="parcours_notif_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
