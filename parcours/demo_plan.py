"""Demo of issue 13 (seed_demo, after the evaluations' seeder): shared plans, the partners' activity, a housing
request linked to an evaluation, and a family household of four.

Two people followed by both the CHRS (ts.chrs@demo.test, lead) and the ACI (cip.aci@demo.test) get a plan of
3 objectives and 6 actions owned by both structures, one of them overdue; one active barrier of their latest
evaluation is left without an objective (the plan suggests it). Every kind of fact is recorded once, so that
each user sees notifications of every kind. Idempotent: what exists is left alone.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partenaires.territory import structure

from . import panels, services
from .enums import PLAN_THEME_BY_BARRIER, ActivityKind, FollowUpKind, HouseholdRole, HouseholdType, SharingBasis
from .models import (
    Action,
    Activity,
    FollowUp,
    Household,
    HouseholdMember,
    HousingRequest,
    Objective,
    Person,
)

PLAN_PEOPLE = 2
# (theme, statement, target in days, [(title, owner "chrs"/"aci", due in days, status)])
OBJECTIVES = [
    (
        "HOUSING",
        "Accéder à un logement autonome proche du chantier",
        180,
        [
            ("Déposer la demande SIAO insertion", "chrs", -10, "DONE"),
            ("Visiter la résidence sociale", "chrs", 20, "PLANNED"),
        ],
    ),
    (
        "EMPLOYMENT",
        "Stabiliser l'emploi en chantier d'insertion",
        120,
        [
            ("Signer le CDDI", "aci", -5, "DONE"),
            ("Point d'étape avec l'encadrant technique", "aci", -3, "PLANNED"),  # overdue
        ],
    ),
    (
        "RESOURCES",
        "Ouvrir les droits à la prime d'activité",
        60,
        [
            ("Simuler la prime d'activité", "aci", 10, "PLANNED"),
            ("Déposer la demande à la CAF", "chrs", 30, "PLANNED"),
        ],
    ),
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


@transaction.atomic
def seed(stdout=None) -> None:
    chrs_worker, aci_worker = _user("ts.chrs@demo.test"), _user("cip.aci@demo.test")
    if chrs_worker is None or aci_worker is None:
        return
    chrs, aci = structure("chrs"), structure("aci")
    today = timezone.localdate()
    people = _plan_people(chrs, aci, aci_worker, today)
    made = 0
    for person in people:
        if not Objective.objects.filter(person=person).exists():
            _plan(person, chrs, aci, chrs_worker, aci_worker, today)
            made += 1
        _housing_request(person, chrs_worker, today)
    if people:
        _activity_of_every_kind(people[0], chrs, aci, chrs_worker, aci_worker)
    _family(chrs, today)
    if stdout:
        stdout.write(f"parcours plans: {made} shared plans created ({len(people)} people followed by CHRS and ACI)")


def _plan_people(chrs, aci, aci_worker, today) -> list[Person]:
    """The first CHRS-led people with an active barrier in their latest evaluation, now followed by the ACI too."""
    candidates = (
        Person.objects.filter(followups__structure=chrs, followups__is_lead=True, followups__ended_on__isnull=True)
        .order_by("pk")
        .distinct()
    )
    chosen = []
    for person in candidates:
        if not any(not b.is_health for b in panels.provide(panels.BARRIERS, person, health=True)):
            continue
        if not FollowUp.objects.open().filter(person=person, structure=aci).exists():
            FollowUp.objects.create(
                person=person,
                structure=aci,
                referent=aci_worker,
                kind=FollowUpKind.EMPLOYMENT,
                started_on=today - dt.timedelta(days=90),
                sharing_basis=SharingBasis.INSERTION_L263_4_1,
            )
        chosen.append(person)
        if len(chosen) == PLAN_PEOPLE:
            break
    return chosen


def _plan(person, chrs, aci, chrs_worker, aci_worker, today) -> None:
    barriers = [b for b in panels.provide(panels.BARRIERS, person, health=True) if not b.is_health]
    left_open = PLAN_THEME_BY_BARRIER.get(barriers[0].theme) if barriers else None
    owners = {"chrs": (chrs, chrs_worker), "aci": (aci, aci_worker)}
    created_at = timezone.now() - dt.timedelta(days=40)
    for theme, statement, target, actions in OBJECTIVES:
        if theme == left_open:  # leave the first barrier without an objective: the plan suggests it
            theme = "TRAINING"
        objective = Objective.objects.create(
            person=person,
            theme=theme,
            statement=statement,
            target_on=today + dt.timedelta(days=target),
            created_by=chrs_worker,
            created_by_structure=chrs,
            created_at=created_at,
        )
        objective.structures.set([chrs, aci])
        for title, owner, due, status in actions:
            owner_structure, referent = owners[owner]
            Action.objects.create(
                objective=objective,
                person=person,
                title=title,
                owner_structure=owner_structure,
                referent=referent,
                due_on=today + dt.timedelta(days=due),
                status=status,
                outcome="Fait avec la personne." if status == "DONE" else "",
                created_by=chrs_worker,
                created_at=created_at,
                completed_at=timezone.now() if status == "DONE" else None,
            )


def _housing_request(person, by, today) -> None:
    latest = panels.provide(panels.LATEST_EVALUATION, person.pk)
    if latest is None:
        return
    pending = HousingRequest.objects.filter(person=person, kind="SIAO", status__in=["ACTIVE", "TO_UPDATE"]).first()
    if pending is None:
        HousingRequest.objects.create(
            person=person,
            kind="SIAO",
            reference=f"SIAO-DEMO-{person.pk}",
            filed_on=today - dt.timedelta(days=10),
            linked_evaluation_id=latest[0],
            linked_evaluation_at=latest[1],
            created_by=by,
        )
    elif pending.linked_evaluation_id is None:
        HousingRequest.objects.filter(pk=pending.pk).update(
            linked_evaluation_id=latest[0], linked_evaluation_at=latest[1]
        )


def _activity_of_every_kind(person, chrs, aci, chrs_worker, aci_worker) -> None:
    """One fact of each kind, half told by the ACI (to the CHRS), half by the CHRS (to the ACI)."""
    objective = Objective.objects.filter(person=person).order_by("pk").first()
    action = Action.objects.filter(person=person).order_by("pk").first()
    facts = {
        ActivityKind.CONTRACT_SIGNED: {"situation": "IAE", "contract_type": "CDDI", "on": "2026-09-01"},
        ActivityKind.CONTRACT_ENDED: {"situation": "IAE", "contract_type": "CDDI", "on": "2026-08-31"},
        ActivityKind.HOUSING_EXIT: {"status": "EMERGENCY_SHELTER", "destination": "CHRS", "on": "2026-06-15"},
        ActivityKind.REFERRAL_ACCEPTED: {"kind": "EMPLOYMENT"},
        ActivityKind.REFERRAL_REFUSED: {"kind": "HOUSING", "reason": "NO_CAPACITY"},
    }
    for index, kind in enumerate(ActivityKind.values):
        if Activity.objects.filter(person=person, kind=kind).exists():
            continue
        by, acting = (aci_worker, aci) if index % 2 == 0 else (chrs_worker, chrs)
        services.record_activity(
            person=person,
            kind=kind,
            by=by,
            structure=acting,
            objective=objective,
            action=action,
            facts=facts.get(kind, {}),
            to_structures=[chrs if acting == aci else aci] if kind == ActivityKind.ACTION_ASSIGNED else None,
        )


def _family(chrs, today) -> None:
    """A family household of four: two adults with a file (followed by the CHRS) and two children by age."""
    family = Household.objects.filter(household_type=HouseholdType.COUPLE_WITH_CHILDREN)
    for household in family.order_by("pk"):
        if HouseholdMember.objects.current().filter(household=household).count() >= 4:
            return
    adults = list(
        Person.objects.filter(followups__structure=chrs, followups__ended_on__isnull=True)
        .exclude(objectives__isnull=False)
        .order_by("-pk")
        .distinct()[:2]
    )
    if len(adults) < 2:
        return
    household = Household.objects.create(household_type=HouseholdType.COUPLE_WITH_CHILDREN, dependent_children=2)
    HouseholdMember.objects.filter(person__in=adults, left_on__isnull=True).update(left_on=today)
    HouseholdMember.objects.create(household=household, person=adults[0], role=HouseholdRole.HEAD, joined_on=today)
    HouseholdMember.objects.create(household=household, person=adults[1], role=HouseholdRole.PARTNER, joined_on=today)
    for age in (4, 9):
        HouseholdMember.objects.create(
            household=household, child_age=age, child_age_on=today, role=HouseholdRole.CHILD, is_dependent=True
        )
