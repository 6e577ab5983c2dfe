"""Demo people for the demo territory (seed_demo): about 40 persons with households, follow-ups across housing
and employment structures, situations over two years, events, referrals in every status and consents.

Deterministic (fixed random seed) and idempotent: a person already present (same names and birth date) is
left as it is.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partenaires.territory import structure

from .enums import (
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    EmploymentStatus,
    EventKind,
    EventStatus,
    FollowUpKind,
    Gender,
    HouseholdRole,
    HouseholdType,
    ReferralStatus,
    RefusalReason,
    ResidentialStatus,
    ResourceKind,
    SharingBasis,
    Visibility,
)
from .models import (
    Consent,
    EmploymentSituation,
    Event,
    FollowUp,
    Household,
    HouseholdMember,
    HousingSituation,
    Person,
    Referral,
    ReferralTransition,
    Resource,
)
from .services import refresh_last_contact

PEOPLE = [
    ("Bernard", "Sylvie", Gender.FEMALE), ("Petit", "Mohamed", Gender.MALE), ("Robert", "Aïcha", Gender.FEMALE),
    ("Richard", "Julien", Gender.MALE), ("Durand", "Fatou", Gender.FEMALE), ("Dubois", "Kevin", Gender.MALE),
    ("Moreau", "Nathalie", Gender.FEMALE), ("Laurent", "Youssef", Gender.MALE), ("Simon", "Océane", Gender.FEMALE),
    ("Michel", "Dylan", Gender.MALE), ("Garcia", "Leïla", Gender.FEMALE), ("David", "Thierry", Gender.MALE),
    ("Bertrand", "Mariama", Gender.FEMALE), ("Roux", "Anthony", Gender.MALE), ("Vincent", "Chloé", Gender.FEMALE),
    ("Fournier", "Ibrahim", Gender.MALE), ("Morel", "Sandrine", Gender.FEMALE), ("Girard", "Lucas", Gender.MALE),
    ("André", "Nadia", Gender.FEMALE), ("Mercier", "Stéphane", Gender.MALE), ("Blanc", "Awa", Gender.FEMALE),
    ("Guérin", "Mickaël", Gender.MALE), ("Boyer", "Jessica", Gender.FEMALE), ("Garnier", "Abdel", Gender.MALE),
    ("Chevalier", "Émilie", Gender.FEMALE), ("François", "Sébastien", Gender.MALE),
    ("Legrand", "Rokia", Gender.FEMALE),
    ("Gauthier", "Jordan", Gender.MALE), ("Perrin", "Hélène", Gender.FEMALE), ("Robin", "Karim", Gender.MALE),
    ("Clément", "Mélanie", Gender.FEMALE), ("Morin", "Christophe", Gender.MALE), ("Nicolas", "Samira", Gender.FEMALE),
    ("Henry", "Florian", Gender.MALE), ("Roussel", "Kadiatou", Gender.FEMALE), ("Mathieu", "Patrick", Gender.MALE),
    ("Gautier", "Inès", Gender.FEMALE), ("Masson", "Rachid", Gender.MALE), ("Marchand", "Laetitia", Gender.FEMALE),
    ("Duval", "Cédric", Gender.NON_BINARY),
]  # fmt: skip

HOUSING_SIDE = [
    ("chrs", ResidentialStatus.CHRS),
    ("chu", ResidentialStatus.EMERGENCY_SHELTER),
    ("pension", ResidentialStatus.PENSION_DE_FAMILLE),
    ("fjt", ResidentialStatus.SOCIAL_RESIDENCE),
    ("residence", ResidentialStatus.SOCIAL_RESIDENCE),
]
EMPLOYMENT_SIDE = ["aci", "france_travail", "mission_locale", "plie", "ei", "rsa"]
EARLIER_STATUSES = [
    ResidentialStatus.STREET,
    ResidentialStatus.WITH_FRIENDS,
    ResidentialStatus.HOTEL_115,
    ResidentialStatus.WITH_FAMILY,
    ResidentialStatus.SQUAT,
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(2024)
    today = timezone.localdate()
    worker_chrs = _user("ts.chrs@demo.test")
    worker_aci = _user("cip.aci@demo.test")
    manager_chrs = _user("resp.chrs@demo.test")
    referents = {"chrs": worker_chrs, "aci": worker_aci}
    structures = {key: structure(key) for key in {k for k, _s in HOUSING_SIDE} | set(EMPLOYMENT_SIDE) | {"siao"}}
    created = 0
    for index, (last_name, first_name, gender) in enumerate(PEOPLE):
        birth_date = dt.date(1962 + (index * 7) % 42, 1 + index % 12, 1 + (index * 3) % 28)
        person, is_new = Person.objects.get_or_create(
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            defaults={
                "gender": gender,
                "nationality_category": "FRENCH" if index % 4 else "NON_EU",
                "residence_right": "NOT_APPLICABLE" if index % 4 else "TEMPORARY_PERMIT",
                "permit_end_on": None if index % 4 else today + dt.timedelta(days=40 + index * 5),
                "phone": f"06 {10 + index:02d} {20 + index:02d} 30 40",
                "commune_insee": "38185" if index % 3 else "38421",
                "qpv_resident": index % 5 == 0,
                "ft_registered_since": today - dt.timedelta(days=100 + 30 * index) if index % 2 else None,
                "created_by": worker_chrs,
                "notice_given_on": today - dt.timedelta(days=200),
            },
        )
        if not is_new:
            continue
        created += 1
        _seed_person(rng, person, index, today, structures, referents, manager_chrs)
    created += _seed_near_duplicates(today, structures, referents)
    refresh_last_contact(Person.objects.values_list("pk", flat=True))
    if stdout:
        stdout.write(f"parcours: {created} demo people created ({len(PEOPLE) + len(NEAR_DUPLICATES)} in all)")


# The same woman filed twice with typing errors (one letter, day and month swapped): the duplicate check
# warns when she is typed again (« Benali Karima, 07/04/1988 » finds both), the ACI's copy as an id only.
NEAR_DUPLICATES = [
    ("Benali", "Karima", dt.date(1988, 4, 7), "chrs", FollowUpKind.HOUSING, SharingBasis.SIAO_L345_2_10),
    ("Benalli", "Karima", dt.date(1988, 7, 4), "aci", FollowUpKind.EMPLOYMENT, SharingBasis.INSERTION_L263_4_1),
]


def _seed_near_duplicates(today, structures, referents) -> int:
    created = 0
    for last_name, first_name, birth_date, key, kind, basis in NEAR_DUPLICATES:
        person, is_new = Person.objects.get_or_create(
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            defaults={"gender": Gender.FEMALE, "nationality_category": "FRENCH", "residence_right": "NOT_APPLICABLE"},
        )
        if is_new:
            created += 1
            FollowUp.objects.create(
                person=person,
                structure=structures[key],
                referent=referents.get(key),
                kind=kind,
                is_lead=True,
                started_on=today - dt.timedelta(days=30),
                sharing_basis=basis,
            )
    return created


def _seed_person(rng, person, index, today, structures, referents, manager) -> None:
    housing_key, housing_status = HOUSING_SIDE[index % len(HOUSING_SIDE)]
    employment_key = EMPLOYMENT_SIDE[index % len(EMPLOYMENT_SIDE)]
    # The CHRS worker follows the first people of the list, as lead referent: her caseload in the demo.
    if index < 12:
        housing_key, housing_status = "chrs", ResidentialStatus.CHRS
    collector = referents.get(housing_key) or manager

    children = rng.choice([0, 0, 1, 2, 3])
    if person.gender == Gender.FEMALE:
        household_type = HouseholdType.SINGLE_MOTHER if children else HouseholdType.SINGLE_WOMAN
    else:
        household_type = HouseholdType.SINGLE_FATHER if children else HouseholdType.SINGLE_MAN
    if index % 9 == 0:
        household_type = HouseholdType.COUPLE_WITH_CHILDREN if children else HouseholdType.COUPLE
    household = Household.objects.create(household_type=household_type, dependent_children=children)
    HouseholdMember.objects.create(household=household, person=person, role=HouseholdRole.HEAD)

    start = today - dt.timedelta(days=rng.randint(200, 700))
    FollowUp.objects.create(
        person=person,
        structure=structures[housing_key],
        referent=referents.get(housing_key),
        kind=FollowUpKind.HOUSING,
        is_lead=True,
        started_on=start,
        sharing_basis=SharingBasis.SIAO_L345_2_10,
    )
    employment_start = start + dt.timedelta(days=rng.randint(30, 150))
    if index % 5 != 4 and employment_start < today:
        FollowUp.objects.create(
            person=person,
            structure=structures[employment_key],
            referent=referents.get(employment_key),
            kind=FollowUpKind.EMPLOYMENT,
            started_on=employment_start,
            sharing_basis=SharingBasis.INSERTION_L263_4_1,
        )

    # Housing: an earlier precarious period, then the current one (some ending in the next 30 to 60 days).
    entry = start + dt.timedelta(days=rng.randint(10, 60))
    HousingSituation.objects.create(
        person=person,
        residential_status=EARLIER_STATUSES[index % len(EARLIER_STATUSES)],
        started_on=start - dt.timedelta(days=rng.randint(60, 300)),
        ended_on=entry,
        end_reason="MOVED_ON",
    )
    planned = today + dt.timedelta(days=30 + (index * 7) % 31) if index % 3 == 0 else today + dt.timedelta(days=200)
    HousingSituation.objects.create(
        person=person,
        residential_status=housing_status,
        structure=structures[housing_key],
        started_on=entry,
        planned_end_on=planned if housing_status != ResidentialStatus.PENSION_DE_FAMILLE else None,
    )

    # Employment periods.
    EmploymentSituation.objects.create(
        person=person,
        situation=EmploymentStatus.JOB_SEEKING,
        started_on=start - dt.timedelta(days=200),
        ended_on=employment_start if index % 2 == 0 else None,
        end_reason="OTHER" if index % 2 == 0 else "",
    )
    if index % 2 == 0:
        in_iae = employment_key in ("aci", "ei")
        EmploymentSituation.objects.create(
            person=person,
            situation=EmploymentStatus.IAE if in_iae else EmploymentStatus.EMPLOYED,
            contract_type="CDDI" if in_iae else rng.choice(["CDD", "TEMP", "CDI"]),
            working_time=rng.choice(["FROM_80_TO_100", "FROM_50_TO_80", "UNDER_50"]),
            employer_name="ACI Les Jardins solidaires" if employment_key == "aci" else "Entreprise du bâtiment",
            structure=structures[employment_key] if in_iae else None,
            started_on=employment_start,
            planned_end_on=today + dt.timedelta(days=35 + (index * 11) % 30) if index % 4 == 0 else None,
            staggered_hours=index % 6 == 0,
        )

    # Resources.
    Resource.objects.create(
        person=person,
        kind=ResourceKind.RSA if index % 3 else ResourceKind.ARE,
        monthly_amount=635 if index % 3 else 980,
        started_on=start,
        expected_end_on=today + dt.timedelta(days=45) if index % 7 == 0 else None,
    )
    if index % 8 == 3:
        Resource.objects.create(person=person, kind=ResourceKind.AAH, monthly_amount=1016, started_on=start)

    # Events: regular interviews; some missed appointments; some people without contact for two months.
    silent = index % 6 == 5
    last_contact = today - dt.timedelta(days=65 if silent else rng.randint(2, 20))
    author = referents.get(housing_key) or manager
    day = start + dt.timedelta(days=7)
    while day <= last_contact:
        Event.objects.create(
            person=person,
            structure=structures[housing_key],
            author=author,
            kind=EventKind.INTERVIEW,
            at=_at(day),
            visibility=Visibility.SHARED if rng.random() < 0.3 else Visibility.PRIVATE,
            text="Point d'étape sur le projet de logement et les démarches en cours.",
        )
        day += dt.timedelta(days=rng.randint(21, 45))
    if index % 4 == 1:
        for days_ago in (12, 26):
            Event.objects.create(
                person=person,
                structure=structures[housing_key],
                author=author,
                kind=EventKind.APPOINTMENT,
                status=EventStatus.MISSED,
                at=_at(today - dt.timedelta(days=days_ago), 14),
                with_whom="Référente logement",
            )
    Event.objects.create(
        person=person,
        structure=structures[housing_key],
        author=author,
        kind=EventKind.APPOINTMENT,
        status=EventStatus.PLANNED,
        at=_at(today + dt.timedelta(days=7 + index % 10), 9),
        with_whom="Conseillère France Travail",
    )

    # Consents: given for most, refused for some.
    decision = ConsentDecision.REFUSED if index % 10 == 7 else ConsentDecision.GIVEN
    for scope in (ConsentScope.PARTNERS, ConsentScope.COORDINATION):
        Consent.objects.create(
            person=person,
            scope=scope,
            decision=decision,
            decided_on=start,
            collected_by=collector,
            collected_by_structure=structures[housing_key],
            method=ConsentMethod.SIGNED_FORM if index % 2 else ConsentMethod.ORAL,
        )

    # Referrals in every status.
    status = [
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.REFUSED,
        ReferralStatus.EXPIRED,
        ReferralStatus.CANCELLED,
        None,
    ][index % 6]
    if status is None or collector is None:
        return
    to_key = (
        "aci" if status == ReferralStatus.SENT and index < 12 else EMPLOYMENT_SIDE[(index + 1) % len(EMPLOYMENT_SIDE)]
    )
    if to_key == employment_key:
        to_key = "plie" if employment_key != "plie" else "mission_locale"
    days_ago = {ReferralStatus.SENT: 5 + index % 15, ReferralStatus.EXPIRED: 40}.get(status, 20)
    sent_at = _at(today - dt.timedelta(days=days_ago))
    answered = None if status == ReferralStatus.SENT else sent_at + dt.timedelta(days=6)
    referral = Referral.objects.create(
        person=person,
        from_structure=structures[housing_key],
        sent_by=collector,
        to_structure=structures[to_key],
        kind=FollowUpKind.EMPLOYMENT,
        motive="Reprise d'activité souhaitée ; disponible en journée, mobilité en transports en commun.",
        status=status,
        sent_at=sent_at,
        response_due_on=timezone.localdate(sent_at) + dt.timedelta(days=15),
        answered_at=answered,
        refusal_reason=RefusalReason.NO_CAPACITY if status == ReferralStatus.REFUSED else "",
    )
    ReferralTransition.objects.create(referral=referral, to_status=ReferralStatus.SENT, by=collector, at=sent_at)
    if status != ReferralStatus.SENT:
        ReferralTransition.objects.create(
            referral=referral, from_status=ReferralStatus.SENT, to_status=status, at=answered
        )
    if (
        status == ReferralStatus.ACCEPTED
        and not FollowUp.objects.open()
        .filter(person=person, structure=structures[to_key], kind=FollowUpKind.EMPLOYMENT)
        .exists()
    ):
        FollowUp.objects.create(
            person=person,
            structure=structures[to_key],
            referent=referents.get(to_key),
            kind=FollowUpKind.EMPLOYMENT,
            started_on=timezone.localdate(answered),
            sharing_basis=SharingBasis.INSERTION_L263_4_1,
        )
