from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertRule(models.TextChoices):
    """Rule codes of domain.md §5 (first version)."""

    STAY_END = "STAY_END", _("Fin de séjour proche")
    CONTRACT_END = "CONTRACT_END", _("Fin de contrat proche")
    PASS_IAE_END = "PASS_IAE_END", _("Fin de PASS IAE")
    RESOURCE_END = "RESOURCE_END", _("Fin de ressource")
    PERMIT_RENEWAL = "PERMIT_RENEWAL", _("Titre de séjour à renouveler")
    NO_CONTACT = "NO_CONTACT", _("Sans contact")
    REFERRAL_STALLED = "REFERRAL_STALLED", _("Orientation sans réponse")
    EVALUATION_MISSING_OR_OUTDATED = "EVALUATION_MISSING_OR_OUTDATED", _("Évaluation manquante ou ancienne")
    INSTITUTION_EXIT = "INSTITUTION_EXIT", _("Sortie d'institution")
    ACUTE_EVENT = "ACUTE_EVENT", _("Événement grave")
    EMPLOYMENT_LEVER = "EMPLOYMENT_LEVER", _("Levier emploi à préserver")
    COMPLEX_CASE = "COMPLEX_CASE", _("Situation complexe : proposer une commission")
    # Registered by the concertation app (`alerts.rules.register`): alerts may not import it.
    DECISION_OVERDUE = "DECISION_OVERDUE", _("Décision de commission en retard")
    ACTION_OVERDUE = "ACTION_OVERDUE", _("Action du plan en retard")


class Severity(models.TextChoices):
    INFO = "INFO", _("Information")
    WARNING = "WARNING", _("À traiter")
    URGENT = "URGENT", _("Urgent")


# Higher is more severe: the inbox sorts by it, and the engine only ever raises an open alert's severity.
SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.URGENT: 3}


class AlertStatus(models.TextChoices):
    OPEN = "OPEN", _("Ouverte")
    ACKNOWLEDGED = "ACKNOWLEDGED", _("Prise en compte")
    RESOLVED = "RESOLVED", _("Résolue")
    DISMISSED = "DISMISSED", _("Écartée")


OPEN_STATUSES = (AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED)


class Resolution(models.TextChoices):
    AUTO = "AUTO", _("Résolue automatiquement")
    MANUAL = "MANUAL", _("Résolue par un·e professionnel·le")


class DismissReason(models.TextChoices):
    FALSE_POSITIVE = "FALSE_POSITIVE", _("Donnée erronée")
    ALREADY_HANDLED = "ALREADY_HANDLED", _("Déjà traité")
    PERSON_DECLINED = "PERSON_DECLINED", _("La personne ne souhaite pas d'action")
    OTHER = "OTHER", _("Autre")


class ProposalStatus(models.TextChoices):
    """A proposal to put a person's situation on a case conference (concertation)."""

    PENDING = "PENDING", _("En attente")
    ACCEPTED = "ACCEPTED", _("Inscrite à l'ordre du jour")
    DECLINED = "DECLINED", _("Déclinée")


class ProposalSource(models.TextChoices):
    ALERT = "ALERT", _("Alerte « situation complexe »")
    FILE = "FILE", _("Dossier de la personne")
    FOLLOW_UP = "FOLLOW_UP", _("Décision à suivre d'une séance précédente")
