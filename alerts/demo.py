"""Demo facts for the alerts (appended to seed_demo's SEEDERS): one demo person per first-version rule.

Idempotent: people are found by name and birth date. They are followed by demo structures, with
`ts.chrs@demo.test` as lead referent of the CHRS ones, so that `run_alerts` raises every rule at once.
EVALUATION_MISSING_OR_OUTDATED needs a model not on this branch.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from parcours.enums import EmploymentStatus, EventKind, EventStatus, FollowUpKind, ReferralStatus, SharingBasis
from parcours.models import (
    EmploymentSituation,
    Event,
    FollowUp,
    HousingRequest,
    HousingSituation,
    PassIae,
    Person,
    Referral,
    Resource,
)
from parcours.services import refresh_last_contact
from partenaires.territory import structure

TODAY_OFFSET = dt.timedelta


def _person(last_name, first_name, birth, **extra) -> Person:
    person = Person.objects.filter(last_name=last_name, first_name=first_name, birth_date=birth).first()
    if person is None:
        person = Person(last_name=last_name, first_name=first_name, birth_date=birth, commune_insee="38185", **extra)
        person.save()
    return person


def _follow(person, key, kind=FollowUpKind.HOUSING, referent=None, lead=False, since_days=120):
    today = timezone.localdate()
    basis = SharingBasis.INSERTION_L263_4_1 if kind == FollowUpKind.EMPLOYMENT else SharingBasis.SIAO_L345_2_10
    FollowUp.objects.get_or_create(
        person=person,
        structure=structure(key),
        kind=kind,
        ended_on=None,
        defaults={
            "referent": referent,
            "is_lead": lead,
            "started_on": today - dt.timedelta(days=since_days),
            "sharing_basis": basis,
        },
    )


def _contact(person, key, author, days_ago=3):
    if not Event.objects.filter(person=person, kind=EventKind.INTERVIEW).exists():
        Event.objects.create(
            person=person, structure=structure(key), author=author, kind=EventKind.INTERVIEW,
            at=timezone.now() - dt.timedelta(days=days_ago), text="Point d'étape.",
        )  # fmt: skip

        refresh_last_contact([person.pk])


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    ts = User.objects.get(email="ts.chrs@demo.test")
    cip = User.objects.get(email="cip.aci@demo.test")
    chrs = structure("chrs")
    d = dt.timedelta

    # STAY_END (and EMPLOYMENT_LEVER: she works), CHRS stay ending in 20 days.
    p = _person("Morel", "Inès", dt.date(1991, 4, 2))
    _follow(p, "chrs", referent=ts, lead=True)
    _follow(p, "aci", FollowUpKind.EMPLOYMENT, referent=cip)
    _contact(p, "chrs", ts)
    if not HousingSituation.objects.filter(person=p).exists():
        HousingSituation.objects.create(
            person=p, residential_status="CHRS", structure=chrs, started_on=today - d(160),
            planned_end_on=today + d(20),
        )  # fmt: skip
        EmploymentSituation.objects.create(
            person=p, situation=EmploymentStatus.IAE, contract_type="CDDI", started_on=today - d(60),
            structure=structure("aci"), workplace_commune_insee="38185",
        )  # fmt: skip
    # PASS_IAE_END: her PASS IAE ends in 120 days (INFO); an SIAO request is in progress.
    PassIae.objects.get_or_create(
        person=p, number="999991234567", defaults={"start_on": today - d(610), "end_on": today + d(120)}
    )
    HousingRequest.objects.get_or_create(
        person=p, kind="SIAO", defaults={"reference": "SIAO-38-0042", "filed_on": today - d(45), "status": "ACTIVE"}
    )

    # CONTRACT_END and RESOURCE_END.
    p = _person("Garnier", "Yanis", dt.date(1998, 9, 14))
    _follow(p, "chrs", referent=ts, lead=True)
    _contact(p, "chrs", ts)
    if not EmploymentSituation.objects.filter(person=p).exists():
        EmploymentSituation.objects.create(
            person=p, situation=EmploymentStatus.EMPLOYED, contract_type="CDD", started_on=today - d(150),
            planned_end_on=today + d(25),
        )  # fmt: skip
        Resource.objects.create(person=p, kind="ARE", started_on=today - d(300), expected_end_on=today + d(40))
    HousingRequest.objects.get_or_create(
        person=p, kind="SOCIAL_HOUSING",
        defaults={"reference": "038123456789", "filed_on": today - d(340), "renewal_due_on": today + d(25),
                  "status": "TO_UPDATE"},
    )  # fmt: skip

    # PERMIT_RENEWAL and REFERRAL_STALLED.
    p = _person("Diallo", "Aminata", dt.date(1987, 1, 20), residence_right="TEMPORARY_PERMIT",
                permit_end_on=today + d(50))  # fmt: skip
    _follow(p, "chrs", referent=ts, lead=True)
    _contact(p, "chrs", ts)
    if not Referral.objects.filter(person=p).exists():
        Referral.objects.create(
            person=p, from_structure=chrs, sent_by=ts, to_structure=structure("mission_locale"),
            kind=FollowUpKind.EMPLOYMENT, motive="Accompagnement vers l'emploi.",
            sent_at=timezone.now() - d(20), response_due_on=today - d(5), status=ReferralStatus.SENT,
        )  # fmt: skip

    # NO_CONTACT: followed for 4 months, never seen; two missed appointments.
    p = _person("Lemoine", "Bruno", dt.date(1979, 6, 8))
    _follow(p, "chrs", referent=ts, lead=True)
    if not Event.objects.filter(person=p).exists():
        for days in (5, 12):
            Event.objects.create(
                person=p, structure=chrs, author=ts, kind=EventKind.APPOINTMENT, status=EventStatus.MISSED,
                at=timezone.now() - d(days),
            )  # fmt: skip

    # INSTITUTION_EXIT: leaves prison in 25 days; ACUTE_EVENT on the previous shelter (exclusion 3 days ago).
    p = _person("Fabre", "Lucas", dt.date(1995, 11, 30))
    _follow(p, "chrs", referent=ts, lead=True)
    _follow(p, "france_travail", FollowUpKind.EMPLOYMENT)
    _contact(p, "chrs", ts)
    if not HousingSituation.objects.filter(person=p).exists():
        HousingSituation.objects.create(
            person=p, residential_status="EMERGENCY_SHELTER", structure=structure("chu"),
            started_on=today - d(90), ended_on=today - d(3), end_reason="EXCLUSION",
        )  # fmt: skip
        HousingSituation.objects.create(
            person=p, residential_status="DETENTION", started_on=today - d(3), planned_end_on=today + d(25)
        )
    # COMPLEX_CASE follows from Lucas' two URGENT alerts (institution exit and acute event).
    if stdout:
        stdout.write(
            "alerts: 5 demo people with facts for the first-version rules, a PASS IAE, housing requests "
            "(run `run_alerts`)"
        )
