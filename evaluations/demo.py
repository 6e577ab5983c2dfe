"""Demo evaluations (seed_demo): most followed people get one, every third gets two finalised versions.

Runs after the people app's seeder and works on whatever people it made: for each person with an open
follow-up by a structure that has members, versions are written by one of those members. Idempotent: a
person who already has an evaluation is left alone.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import FIELD_ROLES, Membership
from parcours.models import FollowUp, Person

from .enums import BarrierStatus, BarrierTheme, EvaluationStatus
from .models import Barrier, Evaluation
from .services import person_facts, snapshot_of, synthesis_for

# (fields, active barriers {theme: situations}) of a first and a later version, cycled over people.
PROFILES = [
    (
        {
            "education_level": "C3A",
            "work_experience_level": "ALTERNATING",
            "job_readiness": "WITH_SUPPORT",
            "french_level": "FLUENT",
            "digital_skills": "WITH_HELP",
            "driving_licences": ["NONE"],
            "mobility_means": ["PUBLIC_TRANSPORT"],
            # Several target jobs: the comparison of versions must handle lists of dicts.
            "target_jobs": [
                {"rome_code": "K2204", "label": "Agent·e de nettoyage"},
                {"rome_code": "N1103", "label": "Magasinier·ère"},
            ],
            "contract_wished": ["CDD", "IAE"],
        },
        {"MOBILITY": ["NO_LICENCE"], "HOUSING": ["COLLECTIVE"], "DIGITAL": ["NO_EQUIPMENT"]},
        {
            "job_readiness": "IMMEDIATE",
            "digital_skills": "AUTONOMOUS",
            "target_jobs": [
                {"rome_code": "N1103", "label": "Magasinier·ère"},
                {"rome_code": "K2204", "label": "Agent·e de nettoyage"},
                {"rome_code": "G1603", "label": "Commis de cuisine"},
            ],
        },
        {"MOBILITY": ["NO_LICENCE"]},
    ),
    (
        {
            "education_level": "NV5",
            "work_experience_level": "STEADY",
            "job_readiness": "IMMEDIATE",
            "french_level": "FLUENT",
            "digital_skills": "AUTONOMOUS",
            "driving_licences": ["B"],
            "mobility_means": ["CAR"],
            "target_jobs": [{"rome_code": "F1703", "label": "Maçon·ne"}],
            "contract_wished": ["CDI"],
            "housing_near_workplace": True,
            "workplace_commune_insee": "38185",
            "hours_compatibility": ["EARLY"],
            "action_logement": "TO_CHECK",
            "recommended_housing_type": "SOCIAL_RESIDENCE",
        },
        {"HOUSING": ["NO_SHELTER"]},
        {"recommended_housing_type": "ORDINARY_HOUSING"},
        {},
    ),
    (
        {
            "education_level": "AFS",
            "work_experience_level": "NEVER",
            "job_readiness": "NOT_READY",
            "french_level": "BELOW_A1",
            "digital_skills": "NOT_AUTONOMOUS",
            "driving_licences": ["NONE"],
            "mobility_means": ["NONE"],
        },
        {
            "LANGUAGE": ["FRENCH", "INTERPRETER"],
            "ADMINISTRATIVE": ["RIGHTS"],
            "FINANCIAL": ["NO_INCOME"],
            "HEALTH": ["HEALTH_CONSTRAINT"],
        },
        {"job_readiness": "WITH_SUPPORT", "french_level": "BASIC"},
        {"LANGUAGE": ["FRENCH"], "HEALTH": ["HEALTH_CONSTRAINT"]},
    ),
]


def _author_by_structure() -> dict[int, object]:
    authors = {}
    for membership in Membership.objects.filter(role__in=FIELD_ROLES).select_related("user").order_by("role", "id"):
        authors.setdefault(membership.structure_id, membership.user)
    return authors


def _create_version(*, person, structure, author, fields, barriers, version_no, finalised_at, based_on=None):
    evaluation = Evaluation(
        person=person,
        structure=structure,
        author=author,
        based_on=based_on,
        nationality_category=person.nationality_category or "FRENCH",
        residence_right=person.residence_right or "NOT_APPLICABLE",
        permit_end_on=person.permit_end_on,
        work_allowed=person.work_allowed or "YES",
        ft_registered_since=person.ft_registered_since,
        employment_situation="JOB_SEEKING",
        **fields,
    )
    rows = [
        Barrier(
            theme=theme,
            status=BarrierStatus.ACTIVE if theme in barriers else BarrierStatus.NONE,
            situations=barriers.get(theme, []),
        )
        for theme in BarrierTheme.values
    ]
    facts = person_facts(person)
    synthesis = synthesis_for(evaluation, person, facts, sees_health=True, barriers=rows)
    evaluation.distance_computed = evaluation.distance_level = synthesis.distance.level or ""
    evaluation.distance_score = synthesis.distance.score
    evaluation.recommended_orientation = synthesis.suggested_orientation or ""
    evaluation.active_themes = sorted(barriers)
    evaluation.save()
    for row in rows:
        row.evaluation = evaluation
    Barrier.objects.bulk_create(rows)
    Evaluation.objects.filter(person=person, is_current=True).update(is_current=False)
    # Finalised in place of the service, to date the demo versions in the past.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FINAL,
        version_no=version_no,
        is_current=True,
        finalised_at=finalised_at,
        finalised_by=author,
        snapshot=snapshot_of(person, facts),
    )
    return evaluation


@transaction.atomic
def seed(stdout=None) -> None:
    authors = _author_by_structure()
    followups = (
        FollowUp.objects.open()
        .filter(structure_id__in=list(authors))
        .select_related("structure")
        .order_by("person_id", "-is_lead", "id")
    )
    structure_of = {}
    for followup in followups:
        structure_of.setdefault(followup.person_id, followup.structure)
    evaluated = set(Evaluation.objects.filter(person_id__in=list(structure_of)).values_list("person_id", flat=True))
    people = Person.objects.filter(pk__in=list(structure_of)).order_by("pk")
    now = timezone.now()
    created = two = 0
    for index, person in enumerate(people):
        if index % 5 == 4 or person.pk in evaluated:
            continue  # "most" people: one in five is left to evaluate in the demo
        structure = structure_of[person.pk]
        author = authors[structure.pk]
        fields, barriers, later_fields, later_barriers = PROFILES[index % len(PROFILES)]
        twice = index % 3 == 0
        first = _create_version(
            person=person,
            structure=structure,
            author=author,
            fields=fields,
            barriers=barriers,
            version_no=1,
            finalised_at=now - dt.timedelta(days=200 if twice else 40),
        )
        created += 1
        if twice:
            _create_version(
                person=person,
                structure=structure,
                author=author,
                fields=fields | later_fields,
                barriers=later_barriers,
                version_no=2,
                finalised_at=now - dt.timedelta(days=20),
                based_on=first,
            )
            two += 1
    if stdout:
        stdout.write(f"evaluations: {created} people evaluated, {two} with two finalised versions")
