"""The DPO's settings and records: retention settings (one row), access exports, heavy-reading notices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RetentionSettings(models.Model):
    """Retention and audit defaults (privacy.md §5, §6), editable by the DPO (one row, pk=1)."""

    retention_months = models.PositiveSmallIntegerField(_("anonymisation après (mois sans contact)"), default=24)
    warning_days = models.PositiveSmallIntegerField(_("avertissement avant anonymisation (jours)"), default=30)
    archive_months = models.PositiveSmallIntegerField(_("archivage intermédiaire (mois, 0 : aucun)"), default=0)
    export_expiry_days = models.PositiveSmallIntegerField(_("expiration des fichiers d'export (jours)"), default=7)
    account_inactive_months = models.PositiveSmallIntegerField(
        _("désactivation des comptes inutilisés (mois)"), default=6
    )
    audit_retention_months = models.PositiveSmallIntegerField(_("conservation du journal d'accès (mois)"), default=12)
    bulk_access_threshold = models.PositiveSmallIntegerField(
        _("seuil de dossiers ouverts par jour signalé au DPO"), default=50
    )
    updated_at = models.DateTimeField(_("modifiés le"), auto_now=True)

    class Meta:
        verbose_name = _("réglages de conservation")
        verbose_name_plural = _("réglages de conservation")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_months__gte=1) & Q(retention_months__lte=240),
                name="dpo_settings_retention_range",
                violation_error_message=_("La durée de conservation doit être comprise entre 1 et 240 mois."),
            ),
            models.CheckConstraint(
                condition=Q(export_expiry_days__gte=1),
                name="dpo_settings_export_expiry_positive",
                violation_error_message=_("Les exports doivent être conservés au moins un jour."),
            ),
            models.CheckConstraint(
                condition=Q(audit_retention_months__gte=1),
                name="dpo_settings_audit_positive",
                violation_error_message=_("Le journal doit être conservé au moins un mois."),
            ),
            models.CheckConstraint(
                condition=Q(account_inactive_months__gte=1) & Q(bulk_access_threshold__gte=1),
                name="dpo_settings_accounts_threshold_positive",
                violation_error_message=_("Ces valeurs doivent être d'au moins 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Réglages de conservation"))

    @classmethod
    def load(cls) -> "RetentionSettings":
        return cls.objects.get_or_create(pk=1)[0]


def export_upload_to(instance, filename: str) -> str:
    # Ids only in paths.
    return f"exports-droits/{instance.rights_request_id}/{filename}"


class AccessExport(models.Model):
    """ "Export complet" of a person for an access request: one PDF and one JSON file, expiring after 7 days."""

    rights_request = models.ForeignKey("parcours.RightsRequest", on_delete=models.CASCADE, related_name="+")
    person_id = models.BigIntegerField()
    pdf = models.FileField(upload_to=export_upload_to, blank=True)
    json = models.FileField(upload_to=export_upload_to, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("produit le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        verbose_name = _("export complet")
        verbose_name_plural = _("exports complets")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(_("Export n° %(id)s") % {"id": self.pk})


class BulkAccessNotice(models.Model):
    """A user opened more than the threshold of different people's files in one day (privacy.md §5).
    A security notice to the DPO, never a measure of anyone's work."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("jour"))
    people_count = models.PositiveIntegerField(_("dossiers ouverts"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signalement de consultations nombreuses")
        verbose_name_plural = _("signalements de consultations nombreuses")
        ordering = ["-day", "-people_count", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="dpo_bulkaccess_one_per_user_day")]

    def __str__(self) -> str:
        return f"{self.day} ({self.people_count})"
