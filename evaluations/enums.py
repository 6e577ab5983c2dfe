"""Enumerations of the employment-insertion evaluation (domain.md §3): stored code, French label."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Sections A and D describe the person's own facts: the same codes as the shared case file.
from parcours.enums import (  # noqa: F401 - re-exported for the form
    ContractType,
    EmploymentStatus,
    NationalityCategory,
    ResidenceRight,
    WorkAllowed,
    WorkingTime,
)


class EvaluationStatus(models.TextChoices):
    DRAFT = "DRAFT", _("Brouillon")
    FINAL = "FINAL", _("Version finalisée")


# --- A Situation administrative (stored on the person; the enums are parcours', mirrored for the form) ---


# Rights that are a document with an end date (domain.md §3 A: "end required for a card, receipt or APS").
RIGHTS_WITH_END_DATE = frozenset(
    {ResidenceRight.RESIDENT_CARD, ResidenceRight.TEMPORARY_PERMIT, ResidenceRight.RECEIPT, ResidenceRight.APS}
)


# --- B Formation ---
class EducationLevel(models.TextChoices):
    AFS = "AFS", _("Aucune formation scolaire")
    CP4 = "CP4", _("Primaire à 4e")
    CFG = "CFG", _("4e achevée, CFG")
    C3A = "C3A", _("3e achevée, brevet")
    C12 = "C12", _("2nde ou 1re achevée")
    NV5 = "NV5", _("CAP, BEP")
    NV4 = "NV4", _("Baccalauréat")
    NV3 = "NV3", _("Bac+2")
    NV2 = "NV2", _("Bac+3 ou 4")
    NV1 = "NV1", _("Bac+5 et plus")


# Highest level completed → ISCED (fse.md); a doctorate (8) is set on the FSE record itself.
ISCED_BY_EDUCATION_LEVEL = {
    EducationLevel.AFS: 0,
    EducationLevel.CP4: 1,
    EducationLevel.CFG: 2,
    EducationLevel.C3A: 2,
    EducationLevel.C12: 2,
    EducationLevel.NV5: 3,
    EducationLevel.NV4: 3,
    EducationLevel.NV3: 5,
    EducationLevel.NV2: 6,
    EducationLevel.NV1: 7,
}


# --- C Expérience ---
class WorkExperienceLevel(models.TextChoices):
    NEVER = "NEVER", _("Jamais travaillé")
    VERY_LITTLE = "VERY_LITTLE", _("Très peu travaillé")
    ALTERNATING = "ALTERNATING", _("Alternance emploi / chômage")
    STEADY = "STEADY", _("A toujours travaillé")
    NOT_ASSESSED = "NOT_ASSESSED", _("Non évalué")


# --- D Situation d'emploi (periods live in parcours; mirrored for the form's "current situation") ---


# Situations that count as "recent work experience" in the synthesis rule (§3 M).
WORKING_SITUATIONS = frozenset(
    {EmploymentStatus.EMPLOYED, EmploymentStatus.IAE, EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.WORK_STUDY}
)
# Salaried situations, which need a contract type.
SALARIED_SITUATIONS = frozenset({EmploymentStatus.EMPLOYED, EmploymentStatus.IAE, EmploymentStatus.WORK_STUDY})


# --- E Minima sociaux ---
class RsaTrack(models.TextChoices):
    PRO = "PRO", _("Orientation emploi")
    SOCIOPRO = "SOCIOPRO", _("Socio-professionnelle")
    SOCIAL = "SOCIAL", _("Sociale")
    PENDING = "PENDING", _("En attente")
    NONE = "NONE", _("Non concerné·e")


# --- F RQTH (health data ◆) ---
class RqthStatus(models.TextChoices):
    YES = "YES", _("Oui")
    NO = "NO", _("Non")
    PENDING = "PENDING", _("Demande en cours")
    TO_FILE = "TO_FILE", _("À constituer")


# --- G Mobilité ---
class DrivingLicence(models.TextChoices):
    B = "B", _("Permis B")
    OTHER = "OTHER", _("Autre permis")
    CODE = "CODE", _("Code obtenu")
    IN_PROGRESS = "IN_PROGRESS", _("Permis ou code en cours")
    INVALID = "INVALID", _("Permis suspendu, non valide")
    FOREIGN = "FOREIGN", _("Permis étranger à échanger")
    NONE = "NONE", _("Aucun")


class MobilityMean(models.TextChoices):
    PUBLIC_TRANSPORT = "PUBLIC_TRANSPORT", _("Transports en commun")
    CAR = "CAR", _("Voiture")
    TWO_WHEELER = "TWO_WHEELER", _("Moto, scooter")
    BIKE = "BIKE", _("Vélo, trottinette")
    CARPOOL = "CARPOOL", _("Covoiturage")
    NONE = "NONE", _("Aucun")
    OTHER = "OTHER", _("Autre")


# --- H Langue et numérique ---
class FrenchLevel(models.TextChoices):
    FLUENT = "FLUENT", _("Courant (B2 et plus)")
    INDEPENDENT = "INDEPENDENT", _("Autonome (B1)")
    BASIC = "BASIC", _("Notions (A1–A2)")
    BELOW_A1 = "BELOW_A1", _("Non-maîtrise (< A1)")
    NOT_ASSESSED = "NOT_ASSESSED", _("Non évalué")


class DigitalSkills(models.TextChoices):
    AUTONOMOUS = "AUTONOMOUS", _("Autonome")
    WITH_HELP = "WITH_HELP", _("Avec aide")
    NOT_AUTONOMOUS = "NOT_AUTONOMOUS", _("Pas autonome")
    NOT_ASSESSED = "NOT_ASSESSED", _("Non évalué")


class DigitalEquipment(models.TextChoices):
    SMARTPHONE = "SMARTPHONE", _("Smartphone")
    COMPUTER = "COMPUTER", _("Ordinateur")
    INTERNET = "INTERNET", pgettext_lazy("équipement numérique", "Connexion internet")
    EMAIL = "EMAIL", _("Adresse e-mail personnelle")
    NONE = "NONE", _("Aucun")


# --- I Disponibilité ---
class JobReadiness(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", _("Disponible immédiatement")
    PART_TIME = "PART_TIME", _("Disponible à temps partiel")
    WITH_SUPPORT = "WITH_SUPPORT", _("Prêt·e avec formation ou accompagnement")
    SELECTIVE = "SELECTIVE", _("Prêt·e, pas pour n'importe quel emploi")
    NOT_READY = "NOT_READY", _("Pas prêt·e actuellement")
    UNKNOWN = "UNKNOWN", _("Ne sait pas")


# --- J Projet professionnel ---
class ContractWished(models.TextChoices):
    CDI = "CDI", _("CDI")
    CDD = "CDD", _("CDD")
    TEMP = "TEMP", _("Intérim")
    IAE = "IAE", _("IAE")
    WORK_STUDY = "WORK_STUDY", _("Alternance")
    SELF_EMPLOYMENT = "SELF_EMPLOYMENT", _("Création d'activité")
    ANY = "ANY", _("Indifférent")


class WorkingTimeWished(models.TextChoices):
    FULL_TIME = "FULL_TIME", _("Temps plein")
    PART_TIME = "PART_TIME", _("Temps partiel")
    ANY = "ANY", _("Indifférent")


class HoursConstraint(models.TextChoices):
    NO_NIGHT = "NO_NIGHT", _("Pas de nuit")
    NO_WEEKEND = "NO_WEEKEND", _("Pas de week-end")
    CHILDCARE_HOURS = "CHILDCARE_HOURS", _("Compatibles avec la garde d'enfants")
    NO_EARLY = "NO_EARLY", _("Pas avant 7 h")
    OTHER = "OTHER", _("Autre")


# --- K Freins périphériques ---
class BarrierStatus(models.TextChoices):
    NOT_DISCUSSED = "NOT_DISCUSSED", _("Non abordé")
    NONE = "NONE", _("Pas de frein")
    ACTIVE = "ACTIVE", _("Frein actif")
    RESOLVED = "RESOLVED", _("Frein levé")


class BarrierTheme(models.TextChoices):
    MOBILITY = "MOBILITY", _("Mobilité")
    FAMILY = "FAMILY", _("Contraintes familiales")
    HEALTH = "HEALTH", _("Santé")
    LANGUAGE = "LANGUAGE", _("Langue, savoirs de base")
    HOUSING = "HOUSING", _("Logement")
    FINANCIAL = "FINANCIAL", _("Difficultés financières")
    ADMINISTRATIVE = "ADMINISTRATIVE", _("Difficultés administratives ou juridiques")
    DIGITAL = "DIGITAL", _("Numérique")


# data·inclusion category of each theme, to suggest services (domain.md §4).
DATA_INCLUSION_CATEGORY = {
    BarrierTheme.MOBILITY: "mobilite",
    BarrierTheme.FAMILY: "famille",
    BarrierTheme.HEALTH: "sante",
    BarrierTheme.LANGUAGE: "lecture-ecriture-calcul",
    BarrierTheme.HOUSING: "logement-hebergement",
    BarrierTheme.FINANCIAL: "difficultes-financieres",
    BarrierTheme.ADMINISTRATIVE: "difficultes-administratives-ou-juridiques",
    BarrierTheme.DIGITAL: "numerique",
}


class BarrierSituation(models.TextChoices):
    # MOBILITY
    NO_TRANSPORT = "NO_TRANSPORT", _("Aucun moyen de transport")
    PUBLIC_ONLY = "PUBLIC_ONLY", _("Dépend des transports en commun")
    NO_LICENCE = "NO_LICENCE", _("Pas de permis")
    REMOTE_AREA = "REMOTE_AREA", _("Zone mal desservie")
    # FAMILY
    CHILDCARE_UNDER_3 = "CHILDCARE_UNDER_3", _("Enfant de moins de 3 ans sans solution de garde")
    CHILDCARE = "CHILDCARE", _("Garde d'enfants à organiser")
    CARER = "CARER", _("Aidant·e familial·e")
    PREGNANCY = "PREGNANCY", _("Attend un enfant")
    HOURS = "HOURS", _("Contraintes horaires")
    # HEALTH: never a diagnosis, only the existence of a constraint.
    HEALTH_CONSTRAINT = "HEALTH_CONSTRAINT", _("Une contrainte de santé existe")
    # LANGUAGE
    FRENCH = "FRENCH", _("Difficultés en français")  # « Maîtrise du français » read as a strength (issue 16)
    READING_WRITING = "READING_WRITING", _("Lecture, écriture")
    NUMERACY = "NUMERACY", _("Calcul")
    INTERPRETER = "INTERPRETER", _("Interprétariat nécessaire")
    # HOUSING
    NO_SHELTER = "NO_SHELTER", _("Sans hébergement")
    HOSTED = "HOSTED", _("Hébergé·e par un tiers")
    COLLECTIVE = "COLLECTIVE", _("Hébergement collectif")
    UNFIT = "UNFIT", _("Logement inadapté, insalubre")
    RENT_DIFFICULTY = "RENT_DIFFICULTY", _("Difficulté à payer le loyer")
    MUST_LEAVE = "MUST_LEAVE", _("Doit quitter son logement")
    FAR_FROM_WORK = "FAR_FROM_WORK", _("Éloigné du lieu de travail")
    # FINANCIAL
    NO_INCOME = "NO_INCOME", _("Sans ressources")
    PRECARIOUS = "PRECARIOUS", _("Ressources précaires")
    DEBT = "DEBT", _("Endettement, surendettement")
    BUDGET = "BUDGET", _("Gestion du budget")
    FOOD = "FOOD", _("Rupture alimentaire")
    # ADMINISTRATIVE
    NO_ID = "NO_ID", _("Sans pièce d'identité ou titre de séjour")
    RIGHTS = "RIGHTS", _("Droits à ouvrir ou à mettre à jour")
    NO_HEALTH_COVER = "NO_HEALTH_COVER", _("Sans couverture maladie ou complémentaire")
    PROCEDURE = "PROCEDURE", _("Démarche bloquée")
    NO_ADDRESS = "NO_ADDRESS", _("Sans domiciliation")
    # DIGITAL
    NO_EQUIPMENT = "NO_EQUIPMENT", _("Sans équipement")
    NO_CONNECTION = "NO_CONNECTION", _("Sans connexion")
    ONLINE_PROCEDURES = "ONLINE_PROCEDURES", _("Difficulté avec les démarches en ligne")
    NO_EMAIL = "NO_EMAIL", _("Sans adresse e-mail")


S = BarrierSituation
SITUATIONS_BY_THEME: dict[str, tuple[str, ...]] = {
    BarrierTheme.MOBILITY: (S.NO_TRANSPORT, S.PUBLIC_ONLY, S.NO_LICENCE, S.REMOTE_AREA),
    BarrierTheme.FAMILY: (S.CHILDCARE_UNDER_3, S.CHILDCARE, S.CARER, S.PREGNANCY, S.HOURS),
    BarrierTheme.HEALTH: (S.HEALTH_CONSTRAINT,),
    BarrierTheme.LANGUAGE: (S.FRENCH, S.READING_WRITING, S.NUMERACY, S.INTERPRETER),
    BarrierTheme.HOUSING: (
        S.NO_SHELTER,
        S.HOSTED,
        S.COLLECTIVE,
        S.UNFIT,
        S.RENT_DIFFICULTY,
        S.MUST_LEAVE,
        S.FAR_FROM_WORK,
    ),
    BarrierTheme.FINANCIAL: (S.NO_INCOME, S.PRECARIOUS, S.DEBT, S.BUDGET, S.FOOD),
    BarrierTheme.ADMINISTRATIVE: (S.NO_ID, S.RIGHTS, S.NO_HEALTH_COVER, S.PROCEDURE, S.NO_ADDRESS),
    BarrierTheme.DIGITAL: (S.NO_EQUIPMENT, S.NO_CONNECTION, S.ONLINE_PROCEDURES, S.NO_EMAIL),
}
del S


# --- M Synthèse ---
class DistanceLevel(models.TextChoices):
    CLOSE = "CLOSE", _("Proche")
    INTERMEDIATE = "INTERMEDIATE", _("Intermédiaire")
    FAR = "FAR", _("Éloigné")


class Orientation(models.TextChoices):
    EMPLOYMENT = "EMPLOYMENT", _("Emploi")
    IAE = "IAE", _("Parcours IAE")
    TRAINING = "TRAINING", _("Formation")
    SOCIAL_FIRST = "SOCIAL_FIRST", _("Accompagnement social d'abord")


class HoursCompatibility(models.TextChoices):
    STAGGERED = "STAGGERED", _("Horaires décalés")
    NIGHT = "NIGHT", _("Travail de nuit")
    EARLY = "EARLY", _("Départ tôt")
    WEEKEND = "WEEKEND", _("Week-end")


class ActionLogement(models.TextChoices):
    YES = "YES", _("Éligible")
    NO = "NO", _("Non éligible")
    TO_CHECK = "TO_CHECK", _("À vérifier avec l'employeur")


class RecommendedHousing(models.TextChoices):
    HOTEL = "HOTEL", _("Hôtel")
    CHRS = "CHRS", _("CHRS")
    ALT = "ALT", _("ALT")
    SOCIAL_RESIDENCE = "SOCIAL_RESIDENCE", _("Résidence sociale / FJT")
    PENSION_DE_FAMILLE = "PENSION_DE_FAMILLE", _("Pension de famille")
    IML = "IML", _("Intermédiation locative")
    ORDINARY_HOUSING = "ORDINARY_HOUSING", _("Logement de droit commun")


class Section(models.TextChoices):
    """The sections of the form, in order (domain.md §3)."""

    A = "A", _("Situation administrative")
    B = "B", _("Formation")
    C = "C", _("Expérience")
    D = "D", _("Situation d'emploi")
    E = "E", _("Minima sociaux")
    F = "F", _("RQTH")
    G = "G", _("Mobilité")
    H = "H", _("Langue et numérique")
    I = "I", _("Disponibilité")  # noqa: E741 - the section letter of domain.md
    J = "J", _("Projet professionnel")
    K = "K", _("Freins périphériques")
    L = "L", _("Ressources")
    M = "M", _("Synthèse")
