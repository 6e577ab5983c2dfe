"""Factories of the concertation app: `CommissionFactory`, `SessionFactory(held=True)`,
`CaseReviewFactory(nominative=True)`, `DecisionFactory(task=True, overdue=True)`."""

import datetime as dt

import factory
from django.utils import timezone

from concertation.enums import (
    CommissionKind,
    DecisionKind,
    MemberRole,
    PresentationMode,
    SessionStatus,
    TaskStatus,
)
from concertation.models import CaseReview, Commission, CommissionMember, Decision, Session
from tests.parcours.factories import PersonFactory
from tests.partenaires.factories import StructureFactory


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    name = factory.Sequence(lambda n: f"Commission parcours complexes n° {n}")
    kind = CommissionKind.COMPLEX_PATHWAYS
    territory = "Vallée"


class CommissionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommissionMember

    commission = factory.SubFactory(CommissionFactory)
    structure = factory.SubFactory(StructureFactory)
    role = MemberRole.MEMBER

    class Params:
        invited = factory.Trait(role=MemberRole.INVITED)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    commission = factory.SubFactory(CommissionFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))
    place = "Salle du conseil"

    class Params:
        held = factory.Trait(
            status=SessionStatus.HELD,
            starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2)),
            held_at=factory.LazyFunction(timezone.now),
        )


class CaseReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseReview

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)
    question = "Quelle réponse concertée ?"
    presentation = "Présentation écrite par le ou la référent·e."
    mode = PresentationMode.ANONYMOUS
    initials = "A. B."
    age_band = "FROM_36_TO_45"

    class Params:
        nominative = factory.Trait(mode=PresentationMode.NOMINATIVE)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    case = factory.SubFactory(CaseReviewFactory)
    kind = DecisionKind.PARTNER_ACTION
    text = "Proposer une immersion."
    status = TaskStatus.TODO

    class Params:
        task = factory.Trait(
            owner_structure=factory.SubFactory(StructureFactory),
            due_on=factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20)),
        )
        overdue = factory.Trait(
            owner_structure=factory.SubFactory(StructureFactory),
            due_on=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3)),
        )
