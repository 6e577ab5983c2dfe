from django.db import models
from django.utils.translation import gettext_lazy as _


class CommissionKind(models.TextChoices):
    COMPLEX_PATHWAYS = "COMPLEX_PATHWAYS", _("Commission parcours complexes")
    HOUSING_INSERTION = "HOUSING_INSERTION", _("Commission insertion-logement")
    OTHER = "OTHER", _("Autre commission ou réunion de concertation")


class MemberRole(models.TextChoices):
    MEMBER = "MEMBER", _("Membre permanent")
    INVITED = "INVITED", _("Invitée")


class SessionStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Prévue")
    AGENDA_CLOSED = "AGENDA_CLOSED", _("Ordre du jour clos")
    HELD = "HELD", _("Tenue")
    PUBLISHED = "PUBLISHED", _("Relevé de décisions publié")


HELD_STATUSES = (SessionStatus.HELD, SessionStatus.PUBLISHED)


class PresentationMode(models.TextChoices):
    NOMINATIVE = "NOMINATIVE", _("Nominative (avec l'accord de la personne)")
    ANONYMOUS = "ANONYMOUS", _("Anonyme")


class DecisionKind(models.TextChoices):
    ORIENTATION = "ORIENTATION", _("Orientation")
    PARTNER_ACTION = "PARTNER_ACTION", _("Action d'un partenaire")
    FUNDER_REQUEST = "FUNDER_REQUEST", _("Demande à un financeur ou une institution")
    POSTPONEMENT = "POSTPONEMENT", _("Report")
    CASE_CLOSED = "CASE_CLOSED", _("Situation close")


class TaskStatus(models.TextChoices):
    TODO = "TODO", _("À faire")
    DONE = "DONE", _("Fait")
    NOT_POSSIBLE = "NOT_POSSIBLE", _("Pas possible")


class MinutesStatus(models.TextChoices):
    PENDING = "PENDING", _("En préparation")
    DONE = "DONE", _("Prêt")
    FAILED = "FAILED", _("Échec")


class AgeBand(models.TextChoices):
    UNDER_26 = "UNDER_26", _("moins de 26 ans")
    FROM_26_TO_35 = "FROM_26_TO_35", _("26 à 35 ans")
    FROM_36_TO_45 = "FROM_36_TO_45", _("36 à 45 ans")
    FROM_46_TO_55 = "FROM_46_TO_55", _("46 à 55 ans")
    OVER_55 = "OVER_55", _("plus de 55 ans")


def age_band(age: int) -> str:
    if age < 26:
        return AgeBand.UNDER_26
    if age <= 35:
        return AgeBand.FROM_26_TO_35
    if age <= 45:
        return AgeBand.FROM_36_TO_45
    if age <= 55:
        return AgeBand.FROM_46_TO_55
    return AgeBand.OVER_55
