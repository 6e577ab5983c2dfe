from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "VIEW", _("Consultation du dossier")
    EXPORT = "EXPORT", _("Export")
    DOWNLOAD = "DOWNLOAD", _("Téléchargement")
    CREATE = "CREATE", _("Création")
    UPDATE = "UPDATE", _("Modification")
    DELETE = "DELETE", _("Suppression")
    DUPLICATE_CHECK = "DUPLICATE_CHECK", _("Recherche de doublon")
    ACCESS_DENIED = "ACCESS_DENIED", _("Accès refusé")
    BREAK_GLASS = "BREAK_GLASS", _("Accès exceptionnel")
    MFA_FAILURE = "MFA_FAILURE", _("Échec du second facteur")
    SELF_MEMBERSHIP = "SELF_MEMBERSHIP", _("Appartenance que l'on s'est donnée")
    RIGHTS = "RIGHTS", _("Exercice d'un droit")
    ANONYMISE = "ANONYMISE", _("Anonymisation")
    # Authentication events (issue 11), written by `audit.record_auth` from Django's and django-axes' signals.
    LOGIN = "LOGIN", _("Connexion réussie")
    LOGIN_FAILED = "LOGIN_FAILED", _("Échec de connexion")
    LOCKED_OUT = "LOCKED_OUT", _("Compte ou poste bloqué")
    LOGOUT = "LOGOUT", _("Déconnexion")
    PASSWORD_CHANGE = "PASSWORD_CHANGE", _("Changement de mot de passe")
    PASSWORD_RESET = "PASSWORD_RESET", _("Réinitialisation du mot de passe")


class AuditEntryQuerySet(models.QuerySet):
    def for_person(self, person_id: int):
        return self.filter(person_id=person_id)


class AuditEntry(models.Model):
    """Who did what, when, on which person. Append-only; ids and codes only, never a name or free text."""

    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("compte")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # A plain id, not a foreign key: the trail outlives the file (anonymisation, deletion).
    person_id = models.BigIntegerField(_("personne n°"), null=True, blank=True)
    object_type = models.CharField(_("type d'objet"), max_length=64, blank=True)
    object_id = models.CharField(_("objet n°"), max_length=64, blank=True)
    detail = models.CharField(_("détail"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'accès")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person_id", "-at"], name="audit_entry_person_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
