"""Choices of the FSE records (fse.md §7). Import codes (French, upper case) live in importer.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Programme(models.TextChoices):
    FSE_PLUS = "FSE_PLUS", _("FSE+ 2021-2027")
    FSE_2014 = "FSE_2014", _("FSE 2014-2020")


class Gender(models.TextChoices):
    WOMAN = "F", _("Femme")
    MAN = "M", _("Homme")
    NON_BINARY = "X", _("Non binaire")


class LabourStatusEntry(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("En emploi")
    UNEMPLOYED = "UNEMPLOYED", _("Chômeur·se")
    INACTIVE = "INACTIVE", _("Inactif·ve")


class LabourStatusExit(models.TextChoices):
    EMPLOYED = "EMPLOYED", _("En emploi")
    JOB_SEEKING = "JOB_SEEKING", _("En recherche d'emploi")
    INACTIVE = "INACTIVE", _("Inactif·ve")


class Answer(models.TextChoices):
    """A declinable sensitive answer: a decline counts in no sensitive indicator."""

    YES = "YES", _("Oui")
    NO = "NO", _("Non")
    DECLINED = "DECLINED", _("Ne souhaite pas répondre")


class Nationality(models.TextChoices):
    FRENCH = "FR", _("Française")
    EU = "EU", _("Autre pays de l'Union européenne")
    NON_EU = "NON_EU", _("Hors Union européenne")
    STATELESS = "STATELESS", _("Apatride")
    UNDETERMINED = "UNDETERMINED", _("Indéterminée")
    DECLINED = "DECLINED", _("Ne souhaite pas répondre")


class Housing(models.TextChoices):
    """Housing situation at entry, with its ETHOS category (fse.md §5)."""

    STREET = "STREET", _("À la rue")
    EMERGENCY = "EMERGENCY", _("Hébergement d'urgence")
    HOTEL = "HOTEL", _("Hôtel (nuitées)")
    SHELTER = "SHELTER", _("CHRS")
    ASYLUM = "ASYLUM", _("Hébergement pour demandeurs d'asile")
    INSTITUTION = "INSTITUTION", _("Sortie d'institution sans logement")
    SUPPORTED = "SUPPORTED", _("Logement accompagné")
    HOSTED = "HOSTED", _("Hébergé·e par des tiers")
    PRECARIOUS = "PRECARIOUS", _("Logement précaire")
    ORDINARY = "ORDINARY", _("Logement ordinaire")
    DECLINED = "DECLINED", _("Ne souhaite pas répondre")


# ETHOS 1-7 (roofless and houseless): the narrower EECO16 scope.
ROOFLESS_HOUSELESS = [
    Housing.STREET,
    Housing.EMERGENCY,
    Housing.HOTEL,
    Housing.SHELTER,
    Housing.ASYLUM,
    Housing.INSTITUTION,
    Housing.SUPPORTED,
]
HOUSING_EXCLUSION = [*ROOFLESS_HOUSELESS, Housing.HOSTED, Housing.PRECARIOUS]


class Eeco16Scope(models.TextChoices):
    ALL = "ALL", _("Toute situation autre que le logement ordinaire (ETHOS 1 à 13)")
    ROOFLESS_HOUSELESS = "ROOFLESS_HOUSELESS", _("Sans abri et sans logement seulement (ETHOS 1 à 7)")


class ForegroundRule(models.TextChoices):
    SELF_OR_PARENT_ABROAD = "SELF_OR_PARENT_ABROAD", _("Né·e à l'étranger ou au moins un parent né à l'étranger")
    PARENT_ABROAD = "PARENT_ABROAD", _("Au moins un parent né à l'étranger")


class ExitReason(models.TextChoices):
    COMPLETED = "COMPLETED", _("Parcours achevé")
    DROPOUT = "DROPOUT", _("Abandon")
    MOVED = "MOVED", _("Départ du territoire")
    OTHER = "OTHER", _("Autre")


class SixMonthImprovement(models.TextChoices):
    PRECARIOUS_TO_STABLE = "PRECARIOUS_TO_STABLE", _("D'un emploi précaire à un emploi stable")
    UNDER_TO_FULL = "UNDER_TO_FULL", _("D'un sous-emploi à un emploi à temps plein")
    HIGHER_SKILL_JOB = "HIGHER_SKILL_JOB", _("Emploi demandant plus de compétences")
    PROMOTION = "PROMOTION", _("Promotion")
    NONE = "NONE", _("Aucune amélioration")


class ReportStatus(models.TextChoices):
    PENDING = "PENDING", _("En attente")
    RUNNING = "RUNNING", _("En cours")
    DONE = "DONE", _("Prêt")
    FAILED = "FAILED", _("Échec")


class ReportFailure(models.TextChoices):
    """Why a report could not be produced (shown on its page; a new request retries it)."""

    DISK_FULL = (
        "DISK_FULL",
        _(
            "Espace disque insuffisant : le rapport n'a pas pu être enregistré. Relancez-le quand "
            "l'administrateur·rice aura libéré de la place."
        ),
    )
    STORAGE = "STORAGE", _("Le fichier du rapport n'a pas pu être enregistré. Relancez la génération.")
