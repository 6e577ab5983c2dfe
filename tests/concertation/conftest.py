"""The concertation cast: a commission where `structure` (the worker's, following `person`) is a standing member
and `other_structure` (the outsider's) is invited; a planned and a held session."""

import pytest

from concertation.enums import MemberRole
from concertation.models import CommissionMember
from tests.concertation.factories import CommissionFactory, SessionFactory
from tests.parcours.conftest import (  # noqa: F401  the privacy cast, shared with the people app's tests
    admin_user,
    coordination_consent,
    partners_consent,
    person,
)


@pytest.fixture
def commission(structure, other_structure, coordinator):
    commission = CommissionFactory()
    CommissionMember.objects.create(commission=commission, structure=structure, role=MemberRole.MEMBER)
    CommissionMember.objects.create(commission=commission, structure=other_structure, role=MemberRole.INVITED)
    commission.coordinators.add(coordinator)
    return commission


@pytest.fixture
def planned(commission):
    return SessionFactory(commission=commission)


@pytest.fixture
def held(commission):
    return SessionFactory(commission=commission, held=True)
