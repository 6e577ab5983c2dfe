"""Factories of the shared case file, with traits. Other apps' tests build people with them.

person = PersonFactory()                                  # nobody sees it yet
FollowUpFactory(person=person, structure=structure)       # `structure` follows it (housing, open)
PersonFactory(followed_by=structure)                      # the same, in one line
ConsentFactory(person=person, partners=True)              # PARTNERS consent given
ConsentFactory(person=person, coordination=True, withdrawn=True)
HousingSituationFactory(person=person, ending_in_days=20)
PassIaeFactory(person=person, ending_in_days=100)            # a PASS IAE ending in 100 days
HousingRequestFactory(person=person, social_housing=True)    # an ACTIVE social-housing request
ReferralFactory(person=person, to_structure=other, accepted=True)
"""

import datetime as dt

import factory
from django.utils import timezone

from parcours import models
from parcours.enums import (
    ConsentDecision,
    ConsentMethod,
    ConsentScope,
    EmploymentStatus,
    EventKind,
    EventStatus,
    FollowUpEndReason,
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
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.partenaires.factories import StructureFactory


def _today() -> dt.date:
    return timezone.localdate()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person
        skip_postgeneration_save = True

    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=64)
    gender = Gender.NOT_STATED
    phone = "06 12 34 56 78"
    commune_insee = "38185"

    class Params:
        woman = factory.Trait(gender=Gender.FEMALE, first_name=factory.Faker("first_name_female", locale="fr_FR"))
        man = factory.Trait(gender=Gender.MALE, first_name=factory.Faker("first_name_male", locale="fr_FR"))
        restricted_file = factory.Trait(restricted=True)

    @factory.post_generation
    def followed_by(self, create, structure, **kwargs):
        """`PersonFactory(followed_by=structure)`: an open HOUSING follow-up by `structure`."""
        if create and structure is not None:
            FollowUpFactory(person=self, structure=structure, **kwargs)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Household

    household_type = HouseholdType.SINGLE_WOMAN
    dependent_children = 0

    class Params:
        single_mother = factory.Trait(household_type=HouseholdType.SINGLE_MOTHER, dependent_children=2)
        couple = factory.Trait(household_type=HouseholdType.COUPLE)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    role = HouseholdRole.HEAD


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consent

    person = factory.SubFactory(PersonFactory)
    scope = ConsentScope.PARTNERS
    decision = ConsentDecision.GIVEN
    decided_on = factory.LazyFunction(_today)
    collected_by = factory.SubFactory(UserFactory)
    collected_by_structure = factory.SubFactory(StructureFactory)
    method = ConsentMethod.ORAL

    class Params:
        partners = factory.Trait(scope=ConsentScope.PARTNERS)
        coordination = factory.Trait(scope=ConsentScope.COORDINATION)
        case_conference = factory.Trait(scope=ConsentScope.CASE_CONFERENCE)
        health_to_employment = factory.Trait(scope=ConsentScope.HEALTH_TO_EMPLOYMENT)
        refused = factory.Trait(decision=ConsentDecision.REFUSED)
        withdrawn = factory.Trait(decision=ConsentDecision.WITHDRAWN)
        signed = factory.Trait(method=ConsentMethod.SIGNED_FORM)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUp

    person = factory.SubFactory(PersonFactory)
    structure = factory.SubFactory(StructureFactory)
    referent = None
    kind = FollowUpKind.HOUSING
    started_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=120))
    sharing_basis = SharingBasis.SOCIAL_ACTION_L121_6_2

    class Params:
        housing = factory.Trait(kind=FollowUpKind.HOUSING, sharing_basis=SharingBasis.SIAO_L345_2_10)
        employment = factory.Trait(kind=FollowUpKind.EMPLOYMENT, sharing_basis=SharingBasis.INSERTION_L263_4_1)
        social = factory.Trait(kind=FollowUpKind.SOCIAL, sharing_basis=SharingBasis.SOCIAL_ACTION_L121_6_2)
        lead = factory.Trait(is_lead=True)
        ended = factory.Trait(
            ended_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=10)),
            end_reason=FollowUpEndReason.COMPLETED,
        )
        objection = factory.Trait(
            ended_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=1)),
            end_reason=FollowUpEndReason.OBJECTION,
        )
        with_referent = factory.Trait(
            referent=factory.LazyAttribute(lambda o: MembershipFactory(structure=o.structure).user)
        )


class HousingSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.HousingSituation

    person = factory.SubFactory(PersonFactory)
    residential_status = ResidentialStatus.CHRS
    started_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=150))

    class Params:
        ending_in_days = None
        street = factory.Trait(residential_status=ResidentialStatus.STREET)
        hotel = factory.Trait(residential_status=ResidentialStatus.HOTEL_115)
        closed = factory.Trait(
            ended_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=5)), end_reason="STAY_END"
        )

    @factory.lazy_attribute
    def planned_end_on(self):
        return _today() + dt.timedelta(days=self.ending_in_days) if self.ending_in_days is not None else None


class EmploymentSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.EmploymentSituation

    person = factory.SubFactory(PersonFactory)
    situation = EmploymentStatus.JOB_SEEKING
    started_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=90))

    class Params:
        ending_in_days = None
        iae = factory.Trait(situation=EmploymentStatus.IAE, contract_type="CDDI", working_time="FROM_50_TO_80")
        employed = factory.Trait(situation=EmploymentStatus.EMPLOYED, contract_type="CDD")
        closed = factory.Trait(
            ended_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=5)), end_reason="CONTRACT_END"
        )

    @factory.lazy_attribute
    def planned_end_on(self):
        return _today() + dt.timedelta(days=self.ending_in_days) if self.ending_in_days is not None else None


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Resource

    person = factory.SubFactory(PersonFactory)
    kind = ResourceKind.RSA
    monthly_amount = 635
    started_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=200))

    class Params:
        ending_in_days = None
        aah = factory.Trait(kind=ResourceKind.AAH, monthly_amount=1016)
        are = factory.Trait(kind=ResourceKind.ARE)

    @factory.lazy_attribute
    def expected_end_on(self):
        return _today() + dt.timedelta(days=self.ending_in_days) if self.ending_in_days is not None else None


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    person = factory.SubFactory(PersonFactory)
    structure = factory.SubFactory(StructureFactory)
    author = factory.LazyAttribute(lambda o: MembershipFactory(structure=o.structure).user)
    kind = EventKind.INTERVIEW
    at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    status = ""
    visibility = Visibility.PRIVATE
    text = "Point sur les démarches."

    class Params:
        appointment = factory.Trait(kind=EventKind.APPOINTMENT, status=EventStatus.PLANNED)
        honoured = factory.Trait(kind=EventKind.APPOINTMENT, status=EventStatus.HONOURED)
        missed = factory.Trait(kind=EventKind.APPOINTMENT, status=EventStatus.MISSED)
        call = factory.Trait(kind=EventKind.PHONE_CALL)
        note = factory.Trait(kind=EventKind.NOTE)
        shared = factory.Trait(visibility=Visibility.SHARED)


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Referral

    person = factory.SubFactory(PersonFactory)
    from_structure = factory.SubFactory(StructureFactory)
    sent_by = factory.LazyAttribute(lambda o: MembershipFactory(structure=o.from_structure).user)
    to_structure = factory.SubFactory(StructureFactory, kind="ACI")
    kind = FollowUpKind.EMPLOYMENT
    motive = "Reprise d'activité en chantier d'insertion."
    status = ReferralStatus.SENT
    response_due_on = factory.LazyAttribute(lambda o: timezone.localdate(o.sent_at) + dt.timedelta(days=15))

    class Params:
        accepted = factory.Trait(status=ReferralStatus.ACCEPTED, answered_at=factory.LazyFunction(timezone.now))
        refused = factory.Trait(
            status=ReferralStatus.REFUSED,
            answered_at=factory.LazyFunction(timezone.now),
            refusal_reason=RefusalReason.NO_CAPACITY,
        )
        expired = factory.Trait(status=ReferralStatus.EXPIRED, answered_at=factory.LazyFunction(timezone.now))
        cancelled = factory.Trait(status=ReferralStatus.CANCELLED, answered_at=factory.LazyFunction(timezone.now))
        days_ago = None

    @factory.lazy_attribute
    def sent_at(self):
        return timezone.now() - dt.timedelta(days=self.days_ago or 0)


class PassIaeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PassIae

    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: f"99999{n:07d}")
    start_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=400))

    class Params:
        ending_in_days = 330

    @factory.lazy_attribute
    def end_on(self):
        return _today() + dt.timedelta(days=self.ending_in_days)


class HousingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.HousingRequest

    person = factory.SubFactory(PersonFactory)
    kind = "SIAO"
    filed_on = factory.LazyFunction(lambda: _today() - dt.timedelta(days=60))
    status = "ACTIVE"

    class Params:
        social_housing = factory.Trait(
            kind="SOCIAL_HOUSING",
            reference="038123456789",
            renewal_due_on=factory.LazyFunction(lambda: _today() + dt.timedelta(days=305)),
        )
        to_update = factory.Trait(status="TO_UPDATE")
        closed = factory.Trait(status="CLOSED")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    """`ObjectiveFactory(person=p, created_by_structure=s)`: an objective in progress of the shared plan."""

    class Meta:
        model = models.Objective

    person = factory.SubFactory(PersonFactory)
    theme = "HOUSING"
    statement = factory.Sequence(lambda n: f"Accéder à un logement autonome ({n})")
    created_by_structure = factory.SubFactory(StructureFactory)

    class Params:
        health = factory.Trait(theme="HEALTH", statement="Reprendre un suivi de santé")
        abandoned = factory.Trait(status="ABANDONED", abandon_reason="La personne a déménagé.")


class ActionFactory(factory.django.DjangoModelFactory):
    """`ActionFactory(objective=o, owner_structure=s)`: planned, due in 15 days (`overdue`: 3 days ago)."""

    class Meta:
        model = models.Action

    objective = factory.SubFactory(ObjectiveFactory)
    person = factory.SelfAttribute("objective.person")
    title = factory.Sequence(lambda n: f"Constituer le dossier n° {n}")
    owner_structure = factory.SelfAttribute("objective.created_by_structure")
    due_on = factory.LazyFunction(lambda: _today() + dt.timedelta(days=15))

    class Params:
        overdue = factory.Trait(due_on=factory.LazyFunction(lambda: _today() - dt.timedelta(days=3)))
        done = factory.Trait(status="DONE", outcome="Fait.")
