"""Structure kinds: our own list, each mapped to a data·inclusion `ReseauPorteur` slug where one exists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    HOUSING = "HOUSING", _("Hébergement et logement")
    EMPLOYMENT = "EMPLOYMENT", _("Emploi et insertion")
    SOCIAL = "SOCIAL", _("Social et accès aux droits")
    HEALTH = "HEALTH", _("Santé")
    OTHER = "OTHER", _("Autre")


class StructureKind(models.TextChoices):
    SIAO = "SIAO", _("SIAO")
    EMERGENCY_SHELTER = "CHU", _("Centre d'hébergement d'urgence")
    CHRS = "CHRS", _("CHRS")
    HOTEL = "HOTEL", _("Hôtel (nuitées)")
    CADA = "CADA", _("CADA")
    HUDA = "HUDA", _("HUDA")
    CPH = "CPH", _("CPH")
    PENSION_DE_FAMILLE = "PENSION_DE_FAMILLE", _("Pension de famille")
    SOCIAL_RESIDENCE = "RESIDENCE_SOCIALE", _("Résidence sociale")
    FJT = "FJT", _("Foyer de jeunes travailleurs")
    IML = "IML", _("Intermédiation locative")
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", _("Agence France Travail")
    MISSION_LOCALE = "MISSION_LOCALE", _("Mission locale")
    CAP_EMPLOI = "CAP_EMPLOI", _("Cap emploi")
    PLIE = "PLIE", _("PLIE")
    MAISON_EMPLOI = "MAISON_EMPLOI", _("Maison de l'emploi")
    ACI = "ACI", _("Atelier et chantier d'insertion (ACI)")
    EI = "EI", _("Entreprise d'insertion (EI)")
    ETTI = "ETTI", _("Entreprise de travail temporaire d'insertion (ETTI)")
    AI = "AI", _("Association intermédiaire (AI)")
    GEIQ = "GEIQ", _("GEIQ")
    DEPARTEMENT_RSA = "DEPARTEMENT_RSA", _("Département — service RSA")
    CCAS = "CCAS", _("CCAS / CIAS")
    CAF = "CAF", _("CAF")
    COORDINATION = "COORDINATION", _("Coordination territoriale")
    FUNDER = "FUNDER", _("Financeur")
    OTHER = "OTHER", _("Autre")


# data·inclusion `ReseauPorteur` slug for each kind that has one (data_inclusion.schema.v1).
RESEAU_PORTEUR_BY_KIND = {
    StructureKind.SIAO: "siao",
    StructureKind.EMERGENCY_SHELTER: "chu",
    StructureKind.CHRS: "chrs",
    StructureKind.CADA: "cada",
    StructureKind.HUDA: "huda",
    StructureKind.CPH: "cph",
    StructureKind.FJT: "residences-fjt",
    StructureKind.FRANCE_TRAVAIL: "france-travail",
    StructureKind.MISSION_LOCALE: "mission-locale",
    StructureKind.CAP_EMPLOI: "cap-emploi-reseau-cheops",
    StructureKind.PLIE: "plie",
    StructureKind.MAISON_EMPLOI: "maisons-de-l-emploi",
    StructureKind.ACI: "aci",
    StructureKind.EI: "ei",
    StructureKind.ETTI: "etti",
    StructureKind.AI: "ai",
    StructureKind.GEIQ: "geiq",
    StructureKind.DEPARTEMENT_RSA: "departements",
    StructureKind.CCAS: "ccas-cias",
    StructureKind.CAF: "caf",
}

SECTOR_BY_KIND = {
    **dict.fromkeys(
        [
            StructureKind.SIAO,
            StructureKind.EMERGENCY_SHELTER,
            StructureKind.CHRS,
            StructureKind.HOTEL,
            StructureKind.CADA,
            StructureKind.HUDA,
            StructureKind.CPH,
            StructureKind.PENSION_DE_FAMILLE,
            StructureKind.SOCIAL_RESIDENCE,
            StructureKind.FJT,
            StructureKind.IML,
        ],
        Sector.HOUSING,
    ),
    **dict.fromkeys(
        [
            StructureKind.FRANCE_TRAVAIL,
            StructureKind.MISSION_LOCALE,
            StructureKind.CAP_EMPLOI,
            StructureKind.PLIE,
            StructureKind.MAISON_EMPLOI,
            StructureKind.ACI,
            StructureKind.EI,
            StructureKind.ETTI,
            StructureKind.AI,
            StructureKind.GEIQ,
        ],
        Sector.EMPLOYMENT,
    ),
    **dict.fromkeys(
        [StructureKind.DEPARTEMENT_RSA, StructureKind.CCAS, StructureKind.CAF],
        Sector.SOCIAL,
    ),
}
