"""The fields of the evaluation form, section by section (domain.md §3), described once.

The model takes its labels and help texts from here, the form its layout, the comparison and the
synthesis page their labels: one list, so that the three never drift apart.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import enums
from .enums import Section


@dataclass(frozen=True)
class FieldSpec:
    name: str
    section: str
    label: str
    help_text: str = ""
    choices: type[models.TextChoices] | None = None
    multiple: bool = False
    health: bool = False  # ◆ health data (privacy.md): hidden from viewers without health access


FIELDS: tuple[FieldSpec, ...] = (
    # A Situation administrative: current facts of the person, checked at each evaluation.
    FieldSpec(
        "nationality_category",
        Section.A,
        _("Nationalité"),
        _("Catégorie de nationalité, pas le pays. Apatride : reconnu·e par l'OFPRA."),
        enums.NationalityCategory,
    ),
    FieldSpec(
        "residence_right",
        Section.A,
        _("Droit au séjour"),
        _("Le document en cours de validité. « Sans objet » pour les personnes françaises ou de l'UE."),
        enums.ResidenceRight,
    ),
    FieldSpec(
        "permit_end_on",
        Section.A,
        _("Fin de validité du titre"),
        _("Obligatoire pour une carte, un récépissé ou une APS."),
    ),
    FieldSpec(
        "permit_renewal_filed_on",
        Section.A,
        _("Demande de renouvellement déposée le"),
        _("Laissez vide si aucune demande n'est déposée."),
    ),
    FieldSpec(
        "work_allowed",
        Section.A,
        _("Autorisation de travail"),
        _("Le titre autorise-t-il à travailler ? « À vérifier » en cas de doute, jamais « Oui » sans titre valide."),
        enums.WorkAllowed,
    ),
    # B Formation
    FieldSpec(
        "education_level",
        Section.B,
        _("Niveau de formation"),
        _("Le plus haut niveau achevé (échelle France Travail). Un diplôme étranger : le niveau équivalent."),
        enums.EducationLevel,
    ),
    FieldSpec(
        "education_abroad",
        Section.B,
        _("Formation suivie à l'étranger"),
        _("Cochez si le niveau a été choisi par équivalence."),
    ),
    # C Expérience
    FieldSpec(
        "work_experience_level",
        Section.C,
        _("Expérience professionnelle"),
        _("Le parcours dans l'emploi, toutes périodes confondues."),
        enums.WorkExperienceLevel,
    ),
    FieldSpec(
        "last_job_ended_on",
        Section.C,
        _("Fin du dernier emploi"),
        _("Le mois suffit (indiquez le 1er du mois). Laissez vide si la personne travaille actuellement."),
    ),
    # D Situation d'emploi
    FieldSpec(
        "employment_situation",
        Section.D,
        _("Situation professionnelle actuelle"),
        _("La situation principale aujourd'hui."),
        enums.EmploymentStatus,
    ),
    FieldSpec(
        "contract_type",
        Section.D,
        _("Type de contrat"),
        _("Obligatoire pour un emploi salarié, un parcours IAE ou une alternance."),
        enums.ContractType,
    ),
    FieldSpec("working_time", Section.D, _("Temps de travail"), _("Quotité du contrat actuel."), enums.WorkingTime),
    FieldSpec(
        "ft_registered_since",
        Section.D,
        _("Inscrit·e à France Travail depuis"),
        _("Date de la dernière inscription ; vide si la personne n'est pas inscrite."),
    ),
    # E Minima sociaux
    FieldSpec(
        "rsa_track",
        Section.E,
        _("Orientation RSA"),
        _("L'orientation décidée par le Département pour les bénéficiaires du RSA."),
        enums.RsaTrack,
    ),
    # F RQTH ◆
    FieldSpec(
        "rqth_status",
        Section.F,
        _("Reconnaissance de la qualité de travailleur handicapé (RQTH)"),
        _("Donnée de santé : visible seulement des structures qui y ont droit. Jamais de diagnostic."),
        enums.RqthStatus,
        health=True,
    ),
    FieldSpec(
        "rqth_end_on",
        Section.F,
        _("Fin de validité de la RQTH"),
        _("Date indiquée sur la décision MDPH."),
        health=True,
    ),
    # G Mobilité
    FieldSpec(
        "driving_licences",
        Section.G,
        _("Permis de conduire"),
        _("Cochez tout ce qui s'applique."),
        enums.DrivingLicence,
        multiple=True,
    ),
    FieldSpec(
        "mobility_means",
        Section.G,
        _("Moyens de déplacement"),
        _("Les moyens dont la personne dispose réellement."),
        enums.MobilityMean,
        multiple=True,
    ),
    FieldSpec(
        "max_commute_minutes",
        Section.G,
        _("Temps de trajet acceptable (minutes, aller)"),
        _("Entre 0 et 240 minutes."),
    ),
    # H Langue et numérique
    FieldSpec(
        "french_level",
        Section.H,
        _("Niveau de français"),
        _("Repère : le cadre européen (A1 à C2)."),
        enums.FrenchLevel,
    ),
    FieldSpec(
        "digital_skills",
        Section.H,
        _("Autonomie numérique"),
        _("Pour les démarches en ligne : candidater, s'actualiser, consulter ses messages."),
        enums.DigitalSkills,
    ),
    FieldSpec(
        "digital_equipment",
        Section.H,
        _("Équipement numérique"),
        _("Cochez tout ce dont la personne dispose."),
        enums.DigitalEquipment,
        multiple=True,
    ),
    # I Disponibilité
    FieldSpec(
        "job_readiness",
        Section.I,
        _("Disponibilité pour un emploi"),
        _(
            "Telle que la personne et vous l'évaluez aujourd'hui. "
            "Sans réponse, la distance à l'emploi n'est pas calculée."
        ),
        enums.JobReadiness,
    ),
    # J Projet professionnel
    FieldSpec(
        "target_jobs",
        Section.J,
        _("Métiers visés"),
        _(
            "Un à trois métiers, un par ligne : code ROME suivi du libellé "
            "(ex. « K2204 Agent·e d'entretien ») ou texte libre."
        ),
    ),
    FieldSpec(
        "target_communes",
        Section.J,
        _("Communes recherchées"),
        _("Noms ou codes INSEE, séparés par des virgules."),
    ),
    FieldSpec(
        "contract_wished",
        Section.J,
        _("Contrats souhaités"),
        _("Cochez tout ce qui convient à la personne."),
        enums.ContractWished,
        multiple=True,
    ),
    FieldSpec("working_time_wished", Section.J, _("Temps de travail souhaité"), "", enums.WorkingTimeWished),
    FieldSpec(
        "hours_constraints",
        Section.J,
        _("Contraintes horaires"),
        _("Les horaires que la personne ne peut pas accepter."),
        enums.HoursConstraint,
        multiple=True,
    ),
    FieldSpec(
        "iae_diagnosis_on",
        Section.J,
        _("Diagnostic IAE réalisé le"),
        _("Par un prescripteur habilité, en dehors de l'application ; valable 6 mois."),
    ),
    # M Synthèse
    FieldSpec(
        "distance_override",
        Section.M,
        _("Distance à l'emploi retenue (si différente du calcul)"),
        _("Laissez vide pour retenir le calcul. Un autre choix demande un motif."),
        enums.DistanceLevel,
    ),
    FieldSpec(
        "distance_override_reason",
        Section.M,
        _("Motif du choix d'une autre distance"),
        _("Écrivez des faits observés, pas de jugement. Pas d'information de santé."),
    ),
    FieldSpec(
        "recommended_orientation",
        Section.M,
        _("Orientation préconisée"),
        _("Présélectionnée par la règle ; vous décidez."),
        enums.Orientation,
    ),
    FieldSpec(
        "housing_near_workplace",
        Section.M,
        _("Rapprochement du lieu de travail"),
        _("Cochez si l'hébergement ou le logement doit être proche du lieu de travail."),
    ),
    FieldSpec(
        "workplace_commune_insee",
        Section.M,
        _("Commune du lieu de travail (code INSEE)"),
        _("Cinq caractères, ex. 69123 ou 2A004."),
    ),
    FieldSpec(
        "hours_compatibility",
        Section.M,
        _("Horaires à rendre compatibles avec l'hébergement"),
        _("Pour le règlement de la structure d'accueil."),
        enums.HoursCompatibility,
        multiple=True,
    ),
    FieldSpec(
        "action_logement",
        Section.M,
        _("Action Logement"),
        _("L'employeur cotise-t-il à Action Logement ? La demande se fait auprès de l'employeur."),
        enums.ActionLogement,
    ),
    FieldSpec(
        "recommended_housing_type",
        Section.M,
        _("Type d'hébergement ou de logement préconisé"),
        _("Au regard de la situation d'emploi."),
        enums.RecommendedHousing,
    ),
    FieldSpec(
        "worker_synthesis",
        Section.M,
        _("Synthèse du ou de la professionnel·le"),
        _(
            "Écrivez des faits observés, pas de jugement. Pas de diagnostic ni d'information de santé, d'origine, "
            "de religion, d'opinion, de vie sexuelle ou d'infraction. La personne peut demander à lire ce que "
            "vous écrivez."
        ),
    ),
)

BY_NAME = {spec.name: spec for spec in FIELDS}
HEALTH_FIELDS = frozenset(spec.name for spec in FIELDS if spec.health)
# Sections shown as form steps; K (barriers) and L (resources, kept in the person's periods) are special.
FORM_SECTIONS = (
    Section.A,
    Section.B,
    Section.C,
    Section.D,
    Section.E,
    Section.F,
    Section.G,
    Section.H,
    Section.I,
    Section.J,
    Section.K,
    Section.M,
)
# Finalising requires A, B, D, I and a status for every theme of K (domain.md §3).
REQUIRED_TO_FINALISE = ("nationality_category", "residence_right", "work_allowed", "education_level")
REQUIRED_TO_FINALISE += ("employment_situation", "job_readiness")


def fields_of(section: str) -> list[FieldSpec]:
    return [spec for spec in FIELDS if spec.section == section]


def label(name: str) -> str:
    return BY_NAME[name].label


def help_text(name: str) -> str:
    return BY_NAME[name].help_text
