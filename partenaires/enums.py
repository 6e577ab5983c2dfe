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
    EITI = "EITI", _("Entreprise d'insertion par le travail indépendant (EITI)")
    GEIQ = "GEIQ", _("GEIQ")
    ACTION_LOGEMENT = "ACTION_LOGEMENT", _("Action Logement")
    EMMAUS = "EMMAUS", _("Communauté Emmaüs")
    DEPARTEMENT_RSA = "DEPARTEMENT_RSA", _("Département — service RSA")
    CCAS = "CCAS", _("CCAS / CIAS")
    CAF = "CAF", _("CAF")
    MAISON_SOLIDARITES = "MAISON_SOLIDARITES", _("Maison des solidarités")
    CPAM = "CPAM", _("CPAM")
    MDPH = "MDPH", _("MDPH")
    SPIP = "SPIP", _("SPIP")
    CIDFF = "CIDFF", _("CIDFF")
    CSAPA = "CSAPA", _("CSAPA")
    FRANCE_SERVICES = "FRANCE_SERVICES", _("France Services")
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
    StructureKind.EITI: "eiti",
    StructureKind.GEIQ: "geiq",
    StructureKind.ACTION_LOGEMENT: "action-logement",
    StructureKind.EMMAUS: "emmaus",
    StructureKind.DEPARTEMENT_RSA: "departements",
    StructureKind.CCAS: "ccas-cias",
    StructureKind.CAF: "caf",
    StructureKind.MAISON_SOLIDARITES: "maisons-des-solidarites",
    StructureKind.CPAM: "cpam",
    StructureKind.MDPH: "mdph",
    StructureKind.SPIP: "spip",
    StructureKind.CIDFF: "cidff",
    StructureKind.CSAPA: "csapa",
    StructureKind.FRANCE_SERVICES: "france-service",
}
# The reverse, to give a kind to structures imported from data·inclusion (first network that maps wins).
KIND_BY_RESEAU_PORTEUR = {slug: kind for kind, slug in RESEAU_PORTEUR_BY_KIND.items()}

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
            StructureKind.ACTION_LOGEMENT,
            StructureKind.EMMAUS,
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
            StructureKind.EITI,
            StructureKind.GEIQ,
        ],
        Sector.EMPLOYMENT,
    ),
    **dict.fromkeys(
        [
            StructureKind.DEPARTEMENT_RSA,
            StructureKind.CCAS,
            StructureKind.CAF,
            StructureKind.MAISON_SOLIDARITES,
            StructureKind.CPAM,
            StructureKind.SPIP,
            StructureKind.CIDFF,
            StructureKind.FRANCE_SERVICES,
        ],
        Sector.SOCIAL,
    ),
    **dict.fromkeys([StructureKind.MDPH, StructureKind.CSAPA], Sector.HEALTH),
}


class HousingOffer(models.TextChoices):
    """Shelter and supported-housing offers the data·inclusion referential lacks (domain.md §4)."""

    EMERGENCY_SHELTER = "EMERGENCY_SHELTER", _("Hébergement d'urgence")
    STABILISATION = "STABILISATION", _("Stabilisation")
    CHRS = "CHRS", _("CHRS, hébergement d'insertion")
    HOTEL = "HOTEL", _("Hôtel")
    ASYLUM = "ASYLUM", _("Dispositif asile")
    SOCIAL_RESIDENCE = "SOCIAL_RESIDENCE", _("Résidence sociale")
    FJT = "FJT", _("Foyer de jeunes travailleurs")
    PENSION_DE_FAMILLE = "PENSION_DE_FAMILLE", _("Pension de famille")
    RESIDENCE_ACCUEIL = "RESIDENCE_ACCUEIL", _("Résidence accueil")
    IML = "IML", _("Intermédiation locative")
    ALT = "ALT", _("Allocation logement temporaire (ALT)")
    MEDICAL_SHELTER = "MEDICAL_SHELTER", _("LHSS / LAM")


# Kinds whose structures are authorised IAE prescribers by default (domain.md §4).
IAE_PRESCRIBER_KINDS = frozenset(
    {
        StructureKind.SIAO,
        StructureKind.EMERGENCY_SHELTER,
        StructureKind.CHRS,
        StructureKind.CADA,
        StructureKind.HUDA,
        StructureKind.CPH,
        StructureKind.PENSION_DE_FAMILLE,
        StructureKind.SOCIAL_RESIDENCE,
        StructureKind.FJT,
        StructureKind.IML,
        StructureKind.FRANCE_TRAVAIL,
        StructureKind.MISSION_LOCALE,
        StructureKind.CAP_EMPLOI,
        StructureKind.PLIE,
        StructureKind.DEPARTEMENT_RSA,
        StructureKind.CCAS,
    }
)


# --- interconnaissance (issue 14): partner events with registration and attendance ---------------------
class EventKind(models.TextChoices):
    """What kind of partner action: the first four are interconnaissance events (registration, attendance)."""

    IMMERSION = "IMMERSION", _("Immersion croisée")
    TRAINING = "TRAINING", _("Formation")
    INFORMATION_DAY = "INFORMATION_DAY", _("Journée d'information")
    PARTNER_MEETING = "PARTNER_MEETING", _("Rencontre partenaires")
    ANNOUNCEMENT = "ANNOUNCEMENT", _("Autre annonce")


INTERCONNAISSANCE_KINDS = (
    EventKind.IMMERSION,
    EventKind.TRAINING,
    EventKind.INFORMATION_DAY,
    EventKind.PARTNER_MEETING,
)


class RegistrationStatus(models.TextChoices):
    INVITED = "INVITED", _("Invitée")
    REGISTERED = "REGISTERED", _("Inscrite")
    ATTENDED = "ATTENDED", _("Présente")
    ABSENT = "ABSENT", _("Absente")
