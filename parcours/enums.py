"""Enumerations of the shared case file (domain.md §2, privacy.md §2-4): stored code first, French label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "FEMALE", _("Femme")
    MALE = "MALE", _("Homme")
    NON_BINARY = "NON_BINARY", _("Non-binaire")
    NOT_STATED = "NOT_STATED", _("Non renseigné")


class NationalityCategory(models.TextChoices):
    FRENCH = "FRENCH", _("Française")
    EU = "EU", _("Autre pays de l'UE")
    NON_EU = "NON_EU", _("Hors UE (y compris EEE, Suisse)")
    STATELESS = "STATELESS", _("Apatride")
    UNDETERMINED = "UNDETERMINED", _("Indéterminée")


class ResidenceRight(models.TextChoices):
    NOT_APPLICABLE = "NOT_APPLICABLE", _("Sans objet (Français·e, UE)")
    RESIDENT_CARD = "RESIDENT_CARD", _("Carte de résident")
    TEMPORARY_PERMIT = "TEMPORARY_PERMIT", _("Carte de séjour temporaire ou pluriannuelle")
    RECEIPT = "RECEIPT", _("Récépissé")
    APS = "APS", _("Autorisation provisoire de séjour")
    ASYLUM_SEEKER = "ASYLUM_SEEKER", _("Demandeur·se d'asile")
    PROTECTION = "PROTECTION", _("Réfugié·e, protection subsidiaire")
    NO_PERMIT = "NO_PERMIT", _("Sans titre")
    UNKNOWN = "UNKNOWN", _("Non renseigné")


class WorkAllowed(models.TextChoices):
    YES = "YES", _("Oui")
    NO = "NO", _("Non")
    TO_CHECK = "TO_CHECK", _("À vérifier")


class HouseholdType(models.TextChoices):
    SINGLE_MAN = "SINGLE_MAN", _("Homme seul")
    SINGLE_WOMAN = "SINGLE_WOMAN", _("Femme seule")
    COUPLE = "COUPLE", _("Couple sans enfant")
    COUPLE_WITH_CHILDREN = "COUPLE_WITH_CHILDREN", _("Couple avec enfant(s)")
    SINGLE_MOTHER = "SINGLE_MOTHER", _("Femme seule avec enfant(s)")
    SINGLE_FATHER = "SINGLE_FATHER", _("Homme seul avec enfant(s)")
    GROUP_WITH_CHILDREN = "GROUP_WITH_CHILDREN", _("Groupe avec enfant(s)")
    ADULT_GROUP = "ADULT_GROUP", _("Groupe d'adultes sans enfant")


LONE_PARENT_HOUSEHOLDS = frozenset({HouseholdType.SINGLE_MOTHER, HouseholdType.SINGLE_FATHER})


class HouseholdRole(models.TextChoices):
    HEAD = "HEAD", _("Demandeur·se principal·e")
    PARTNER = "PARTNER", _("Conjoint·e")
    CHILD = "CHILD", _("Enfant")
    OTHER = "OTHER", _("Autre")


class ConsentScope(models.TextChoices):
    PARTNERS = "PARTNERS", _("Partage avec les partenaires de la coordination")
    COORDINATION = "COORDINATION", _("Partage avec l'équipe de coordination")
    CASE_CONFERENCE = "CASE_CONFERENCE", _("Présentation nominative en commission")
    HEALTH_TO_EMPLOYMENT = "HEALTH_TO_EMPLOYMENT", _("RQTH visible par les référents emploi")


class ConsentDecision(models.TextChoices):
    GIVEN = "GIVEN", _("Donné")
    REFUSED = "REFUSED", _("Refusé")
    WITHDRAWN = "WITHDRAWN", _("Retiré")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "SIGNED_FORM", _("Formulaire signé")
    ORAL = "ORAL", _("Recueil oral")


class FollowUpKind(models.TextChoices):
    HOUSING = "HOUSING", _("Hébergement / logement")
    EMPLOYMENT = "EMPLOYMENT", _("Emploi / insertion professionnelle")
    SOCIAL = "SOCIAL", _("Accompagnement social")


class FollowUpEndReason(models.TextChoices):
    COMPLETED = "COMPLETED", _("Accompagnement terminé")
    HANDED_OVER = "HANDED_OVER", _("Relais pris par un partenaire")
    PERSON_LEFT = "PERSON_LEFT", _("La personne a quitté le dispositif")
    NO_CONTACT = "NO_CONTACT", _("Sans contact depuis 2 ans")
    OBJECTION = "OBJECTION", _("Opposition de la personne au partage")
    OTHER = "OTHER", _("Autre")


class SharingBasis(models.TextChoices):
    SIAO_L345_2_10 = "SIAO_L345_2_10", _("CASF L.345-2-10 (SIAO)")
    SOCIAL_ACTION_L121_6_2 = "SOCIAL_ACTION_L121_6_2", _("CASF L.121-6-2 (action sociale)")
    CARE_TEAM_L1110_4 = "CARE_TEAM_L1110_4", _("CSP L.1110-4 (équipe de soins)")
    INSERTION_L263_4_1 = "INSERTION_L263_4_1", _("CASF L.263-4-1 (parcours d'insertion)")
    CONSENT = "CONSENT", _("Consentement de la personne")


class HousingGroup(models.TextChoices):
    STREET = "STREET", _("Rue")
    HOSTED = "HOSTED", _("Hébergé·e par des tiers")
    EMERGENCY = "EMERGENCY", _("Urgence, hôtel")
    SHELTER = "SHELTER", _("Hébergement d'insertion")
    ASYLUM = "ASYLUM", _("Dispositif asile")
    SUPPORTED = "SUPPORTED", _("Logement accompagné")
    INSTITUTION = "INSTITUTION", _("Institution")
    ORDINARY = "ORDINARY", _("Logement ordinaire")
    OTHER = "OTHER", _("Autre")


class ResidentialStatus(models.TextChoices):
    STREET = "STREET", _("À la rue")
    WANDERING = "WANDERING", _("Errance résidentielle")
    CAMP = "CAMP", _("Campement, évacuation")
    SQUAT = "SQUAT", _("Squat, expulsion")
    WITH_FRIENDS = "WITH_FRIENDS", _("Chez des amis")
    WITH_FAMILY = "WITH_FAMILY", _("Dans la famille")
    EMERGENCY_SHELTER = "EMERGENCY_SHELTER", _("Hébergement d'urgence")
    WINTER_SHELTER = "WINTER_SHELTER", _("Dispositif hivernal")
    HOTEL_115 = "HOTEL_115", _("Hôtel 115")
    HOTEL_OTHER = "HOTEL_OTHER", _("Hôtel hors 115")
    STABILISATION = "STABILISATION", _("Stabilisation")
    CHRS = "CHRS", _("CHRS / insertion")
    CADA = "CADA", _("CADA")
    HUDA = "HUDA", _("HUDA")
    CHUDA = "CHUDA", _("CHUDA")
    AUDA = "AUDA", _("AUDA")
    CPH = "CPH", _("CPH")
    IML = "IML", _("Intermédiation locative")
    SOCIAL_RESIDENCE = "SOCIAL_RESIDENCE", _("Résidence sociale / FJT")
    PENSION_DE_FAMILLE = "PENSION_DE_FAMILLE", _("Pension de famille")
    HOUSING_HOSTEL = "HOUSING_HOSTEL", _("Logement-foyer")
    SUPPORTED_HOUSING = "SUPPORTED_HOUSING", _("Autre logement accompagné")
    ALT = "ALT", _("ALT")
    DETENTION = "DETENTION", _("Détention")
    HOSPITAL = "HOSPITAL", _("Hôpital, institution publique")
    MEDICAL_SHELTER = "MEDICAL_SHELTER", _("LHSS / LAM")
    CHILD_WELFARE = "CHILD_WELFARE", _("Prise en charge ASE")
    PRIVATE_RENTAL = "PRIVATE_RENTAL", _("Location parc privé")
    SOCIAL_RENTAL = "SOCIAL_RENTAL", _("Location parc social")
    OWNER = "OWNER", _("Propriétaire")
    FLATSHARE = "FLATSHARE", _("Colocation")
    MARITAL_HOME = "MARITAL_HOME", _("Domicile conjugal")
    EVICTION = "EVICTION", _("Expulsion locative en cours")
    OTHER = "OTHER", _("Autre")


_S = ResidentialStatus
HOUSING_GROUP_STATUSES: dict[str, tuple[str, ...]] = {
    HousingGroup.STREET: (_S.STREET, _S.WANDERING, _S.CAMP, _S.SQUAT),
    HousingGroup.HOSTED: (_S.WITH_FRIENDS, _S.WITH_FAMILY),
    HousingGroup.EMERGENCY: (_S.EMERGENCY_SHELTER, _S.WINTER_SHELTER, _S.HOTEL_115, _S.HOTEL_OTHER),
    HousingGroup.SHELTER: (_S.STABILISATION, _S.CHRS),
    HousingGroup.ASYLUM: (_S.CADA, _S.HUDA, _S.CHUDA, _S.AUDA, _S.CPH),
    HousingGroup.SUPPORTED: (
        _S.IML,
        _S.SOCIAL_RESIDENCE,
        _S.PENSION_DE_FAMILLE,
        _S.HOUSING_HOSTEL,
        _S.SUPPORTED_HOUSING,
        _S.ALT,
    ),
    HousingGroup.INSTITUTION: (_S.DETENTION, _S.HOSPITAL, _S.MEDICAL_SHELTER, _S.CHILD_WELFARE),
    HousingGroup.ORDINARY: (
        _S.PRIVATE_RENTAL,
        _S.SOCIAL_RENTAL,
        _S.OWNER,
        _S.FLATSHARE,
        _S.MARITAL_HOME,
        _S.EVICTION,
    ),
    HousingGroup.OTHER: (_S.OTHER,),
}
HOUSING_GROUP_BY_STATUS: dict[str, str] = {
    status: group for group, statuses in HOUSING_GROUP_STATUSES.items() for status in statuses
}
# SI-SIAO codes, for mapping only (to confirm with the SIAO before any exchange).
SI_SIAO_CODE_BY_STATUS = {
    _S.STREET: "20", _S.WANDERING: "28", _S.CAMP: "54", _S.SQUAT: "52", _S.WITH_FRIENDS: "29",
    _S.WITH_FAMILY: "30", _S.EMERGENCY_SHELTER: "32", _S.WINTER_SHELTER: "26", _S.HOTEL_115: "35",
    _S.HOTEL_OTHER: "34", _S.STABILISATION: "33", _S.CHRS: "31", _S.CADA: "22", _S.HUDA: "56",
    _S.CHUDA: "23", _S.AUDA: "21", _S.IML: "51", _S.SOCIAL_RESIDENCE: "43", _S.PENSION_DE_FAMILLE: "41",
    _S.HOUSING_HOSTEL: "40", _S.SUPPORTED_HOUSING: "39", _S.DETENTION: "25", _S.HOSPITAL: "36",
    _S.MEDICAL_SHELTER: "27", _S.CHILD_WELFARE: "42", _S.PRIVATE_RENTAL: "37", _S.SOCIAL_RENTAL: "38",
    _S.OWNER: "50", _S.FLATSHARE: "24", _S.MARITAL_HOME: "55", _S.EVICTION: "45", _S.OTHER: "44",
}  # fmt: skip


class HousingEndReason(models.TextChoices):
    MOVED_ON = "MOVED_ON", _("Orientation / relogement")
    STAY_END = "STAY_END", _("Fin de séjour")
    EXCLUSION = "EXCLUSION", _("Exclusion de la structure")
    VOLUNTARY_DEPARTURE = "VOLUNTARY_DEPARTURE", _("Départ volontaire")
    HOSPITALISATION = "HOSPITALISATION", _("Hospitalisation")
    INCARCERATION = "INCARCERATION", _("Incarcération")
    NO_SHOW = "NO_SHOW", _("Ne s'est pas présenté·e")
    DEATH = "DEATH", _("Décès")
    OTHER = "OTHER", _("Autre")


class EmploymentStatus(models.TextChoices):
    """`EmploymentSituation.situation`."""

    EMPLOYED = "EMPLOYED", _("En emploi salarié")
    IAE = "IAE", _("Salarié·e en parcours IAE")
    SELF_EMPLOYED = "SELF_EMPLOYED", _("Indépendant·e")
    WORK_STUDY = "WORK_STUDY", _("Alternance")
    TRAINING = "TRAINING", _("En formation")
    INTERNSHIP = "INTERNSHIP", _("Stage, immersion")
    CIVIC_SERVICE = "CIVIC_SERVICE", _("Service civique")
    JOB_SEEKING = "JOB_SEEKING", _("En recherche d'emploi")
    TRAINING_SEEKING = "TRAINING_SEEKING", _("En recherche de formation")
    PROJECT_BUILDING = "PROJECT_BUILDING", _("En construction de projet")
    STUDENT = "STUDENT", _("Scolarisé·e, étudiant·e")
    RETIRED = "RETIRED", _("Retraité·e")
    INACTIVE = "INACTIVE", _("Sans activité, ne recherche pas")


# "In work or training" (domain.md §2.3): the first seven situations.
IN_WORK_OR_TRAINING = (
    EmploymentStatus.EMPLOYED,
    EmploymentStatus.IAE,
    EmploymentStatus.SELF_EMPLOYED,
    EmploymentStatus.WORK_STUDY,
    EmploymentStatus.TRAINING,
    EmploymentStatus.INTERNSHIP,
    EmploymentStatus.CIVIC_SERVICE,
)


class ContractType(models.TextChoices):
    CDI = "CDI", _("CDI")
    CDD = "CDD", _("CDD")
    CDDI = "CDDI", _("CDDI (IAE)")
    TEMP = "TEMP", _("Intérim")
    SEASONAL = "SEASONAL", _("Saisonnier")
    SUBSIDISED = "SUBSIDISED", _("Contrat aidé")
    APPRENTICESHIP = "APPRENTICESHIP", _("Apprentissage")
    PROFESSIONALISATION = "PROFESSIONALISATION", _("Contrat de professionnalisation")
    OTHER = "OTHER", _("Autre")


class WorkingTime(models.TextChoices):
    FROM_80_TO_100 = "FROM_80_TO_100", _("80 à 100 %")
    FROM_50_TO_80 = "FROM_50_TO_80", _("50 à 80 %")
    UNDER_50 = "UNDER_50", _("Moins de 50 %")


class EmploymentEndReason(models.TextChoices):
    CONTRACT_END = "CONTRACT_END", _("Fin de contrat")
    TRIAL_END = "TRIAL_END", _("Fin de période d'essai")
    DISMISSAL = "DISMISSAL", _("Licenciement / rupture")
    RESIGNATION = "RESIGNATION", _("Démission")
    ABANDONMENT = "ABANDONMENT", _("Abandon")
    TRAINING_DONE = "TRAINING_DONE", _("Formation terminée")
    OTHER = "OTHER", _("Autre")


class ResourceKind(models.TextChoices):
    SALARY = "SALARY", _("Revenus d'activité")
    ARE = "ARE", _("Allocation chômage (ARE)")
    ASS = "ASS", _("Allocation de solidarité spécifique (ASS)")
    RSA = "RSA", _("RSA")
    RSA_MAJORE = "RSA_MAJORE", _("RSA majoré")
    PRIME_ACTIVITE = "PRIME_ACTIVITE", _("Prime d'activité")
    AAH = "AAH", _("Allocation aux adultes handicapés (AAH)")
    PENSION = "PENSION", _("Retraite")
    IJ = "IJ", _("Indemnités journalières")
    FAMILY = "FAMILY", _("Prestations familiales")
    ADA = "ADA", _("Allocation demandeur d'asile")
    TRAINING_PAY = "TRAINING_PAY", _("Rémunération de formation")
    CEJ = "CEJ", _("Allocation CEJ")
    BURSARY = "BURSARY", _("Bourse")
    OTHER = "OTHER", _("Autre")
    NONE = "NONE", _("Sans ressources")


# ◆ health items among resources (privacy.md §3).
HEALTH_RESOURCE_KINDS = frozenset({ResourceKind.AAH, ResourceKind.IJ})


class EventKind(models.TextChoices):
    APPOINTMENT = "APPOINTMENT", _("Rendez-vous")
    INTERVIEW = "INTERVIEW", _("Entretien")
    PHONE_CALL = "PHONE_CALL", _("Appel")
    NOTE = "NOTE", _("Note")


class EventStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Prévu")
    HONOURED = "HONOURED", _("Honoré")
    MISSED = "MISSED", _("Non honoré")
    CANCELLED = "CANCELLED", _("Annulé")


class Visibility(models.TextChoices):
    PRIVATE = "PRIVATE", _("Ma structure")
    SHARED = "SHARED", _("Partagée")


class ReferralStatus(models.TextChoices):
    SENT = "SENT", _("Envoyée")
    ACCEPTED = "ACCEPTED", _("Acceptée")
    REFUSED = "REFUSED", _("Refusée")
    EXPIRED = "EXPIRED", _("Expirée")
    CANCELLED = "CANCELLED", _("Annulée")


class RefusalReason(models.TextChoices):
    NO_CAPACITY = "NO_CAPACITY", _("Pas de place")
    NOT_ELIGIBLE = "NOT_ELIGIBLE", _("Hors critères")
    PERSON_DECLINED = "PERSON_DECLINED", _("La personne ne souhaite pas")
    UNREACHABLE = "UNREACHABLE", _("Personne injoignable")
    BETTER_ELSEWHERE = "BETTER_ELSEWHERE", _("Orientation plus adaptée ailleurs")
    OTHER = "OTHER", _("Autre")


class AccessLevel(models.TextChoices):
    """How much of a person's file a user sees (privacy.md §3)."""

    FULL = "FULL", _("Dossier complet")
    SHARED = "SHARED", _("Dossier partagé")
    REFERRAL = "REFERRAL", _("Vue d'orientation")


class HousingRequestKind(models.TextChoices):
    SIAO = "SIAO", _("Demande SIAO (insertion)")
    SOCIAL_HOUSING = "SOCIAL_HOUSING", _("Demande de logement social (NUR)")
    ACTION_LOGEMENT = "ACTION_LOGEMENT", _("Action Logement")
    DALO_DAHO = "DALO_DAHO", _("Recours DALO / DAHO")


class HousingRequestStatus(models.TextChoices):
    ACTIVE = "ACTIVE", _("En cours")
    TO_UPDATE = "TO_UPDATE", _("À mettre à jour")
    SATISFIED = "SATISFIED", _("Satisfaite")
    CLOSED = "CLOSED", _("Close")


# --- the shared action plan (issue 13) ----------------------------------------------------------------
class PlanTheme(models.TextChoices):
    """Themes of the « plan d'accompagnement partagé »; HEALTH objectives are ◆ items (privacy.md §3)."""

    HOUSING = "HOUSING", _("Logement, hébergement")
    EMPLOYMENT = "EMPLOYMENT", _("Emploi")
    TRAINING = "TRAINING", _("Formation")
    RESOURCES = "RESOURCES", _("Ressources et accès aux droits")
    HEALTH = "HEALTH", _("Santé")
    MOBILITY = "MOBILITY", _("Mobilité")
    CHILDCARE = "CHILDCARE", _("Garde d'enfants, famille")
    JUSTICE = "JUSTICE", _("Justice")
    LANGUAGE = "LANGUAGE", _("Langue, savoirs de base")


# Barrier theme (evaluations, domain.md §3 K) -> the plan theme an objective addressing it takes.
PLAN_THEME_BY_BARRIER = {
    "MOBILITY": PlanTheme.MOBILITY,
    "FAMILY": PlanTheme.CHILDCARE,
    "HEALTH": PlanTheme.HEALTH,
    "LANGUAGE": PlanTheme.LANGUAGE,
    "HOUSING": PlanTheme.HOUSING,
    "FINANCIAL": PlanTheme.RESOURCES,
    "ADMINISTRATIVE": PlanTheme.RESOURCES,
    "DIGITAL": PlanTheme.TRAINING,
}


class ObjectiveStatus(models.TextChoices):
    IN_PROGRESS = "IN_PROGRESS", _("En cours")
    REACHED = "REACHED", _("Atteint")
    ABANDONED = "ABANDONED", _("Abandonné")


class ActionStatus(models.TextChoices):
    PLANNED = "PLANNED", _("Prévue")
    DONE = "DONE", _("Réalisée")
    NOT_DONE = "NOT_DONE", _("Non réalisée")


class ActivityKind(models.TextChoices):
    """Significant facts told to the partners following a person (« Fil d'activité »)."""

    CONTRACT_SIGNED = "CONTRACT_SIGNED", _("Contrat signé")
    CONTRACT_ENDED = "CONTRACT_ENDED", _("Contrat terminé")
    HOUSING_EXIT = "HOUSING_EXIT", _("Sortie d'hébergement ou de logement")
    REFERRAL_ACCEPTED = "REFERRAL_ACCEPTED", _("Orientation acceptée")
    REFERRAL_REFUSED = "REFERRAL_REFUSED", _("Orientation refusée")
    OBJECTIVE_REACHED = "OBJECTIVE_REACHED", _("Objectif atteint")
    OBJECTIVE_ABANDONED = "OBJECTIVE_ABANDONED", _("Objectif abandonné")
    ACTION_ASSIGNED = "ACTION_ASSIGNED", _("Action confiée à votre structure")
    ACTION_COMPLETED = "ACTION_COMPLETED", _("Action du plan réalisée ou non réalisée")
    EVALUATION_FINALISED = "EVALUATION_FINALISED", _("Évaluation finalisée")
    COMMISSION_DECISION = "COMMISSION_DECISION", _("Décision de commission")


class Delivery(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", _("Immédiatement")
    DIGEST = "DIGEST", _("Dans le récapitulatif quotidien")
    NEVER = "NEVER", _("Jamais")


# Our defaults: what changes a partner's next step now comes at once, the rest in the daily digest.
DEFAULT_DELIVERY = {
    ActivityKind.CONTRACT_SIGNED: Delivery.DIGEST,
    ActivityKind.CONTRACT_ENDED: Delivery.IMMEDIATE,
    ActivityKind.HOUSING_EXIT: Delivery.IMMEDIATE,
    ActivityKind.REFERRAL_ACCEPTED: Delivery.DIGEST,
    ActivityKind.REFERRAL_REFUSED: Delivery.DIGEST,
    ActivityKind.OBJECTIVE_REACHED: Delivery.DIGEST,
    ActivityKind.OBJECTIVE_ABANDONED: Delivery.DIGEST,
    ActivityKind.ACTION_ASSIGNED: Delivery.IMMEDIATE,
    ActivityKind.ACTION_COMPLETED: Delivery.DIGEST,
    ActivityKind.EVALUATION_FINALISED: Delivery.DIGEST,
    ActivityKind.COMMISSION_DECISION: Delivery.IMMEDIATE,
}
