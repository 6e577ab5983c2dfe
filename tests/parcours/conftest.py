"""The cast of privacy.md §3 around one person, `person`, followed by `structure` (the `worker`'s)."""

import pytest

from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import ConsentFactory, FollowUpFactory, PersonFactory, ReferralFactory
from tests.partenaires.factories import StructureFactory


@pytest.fixture
def person(structure):
    """A person followed (housing, open, health access) by `structure`."""
    person = PersonFactory(last_name="Durand", first_name="Élise")
    FollowUpFactory(person=person, structure=structure, housing=True, lead=True)
    return person


@pytest.fixture
def employment_structure(db):
    return StructureFactory(name="France Travail (test)", kind="FRANCE_TRAVAIL")


@pytest.fixture
def employment_worker(person, employment_structure):
    """A counsellor of a structure following `person` for employment only (SHARED view, writes)."""
    FollowUpFactory(person=person, structure=employment_structure, employment=True)
    return MembershipFactory(structure=employment_structure, counsellor=True).user


@pytest.fixture
def past_follower(person):
    """A worker of a structure whose follow-up of `person` has ended (read-only)."""
    past = StructureFactory(name="CHU (test)", kind="CHU")
    FollowUpFactory(person=person, structure=past, ended=True)
    return MembershipFactory(structure=past, social_worker=True).user


@pytest.fixture
def referral_recipient(person, structure, other_structure):
    """The `outsider`'s structure received a pending referral for `person` (REFERRAL view)."""
    return ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)


@pytest.fixture
def partners_consent(person):
    return ConsentFactory(person=person, partners=True)


@pytest.fixture
def coordination_consent(person):
    return ConsentFactory(person=person, coordination=True)


@pytest.fixture
def admin_user(db):
    return MembershipFactory(admin=True).user
