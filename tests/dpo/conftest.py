import pytest

from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import EventFactory, FollowUpFactory, PersonFactory
from tests.parcours.test_url_leaks import file  # noqa: F401 (the leak walk's file, a fixture)


@pytest.fixture
def admin_user(db):
    return MembershipFactory(admin=True).user


@pytest.fixture
def person(structure, other_structure):
    """Followed by `structure` (housing, lead) and `other_structure` (employment), each with a private note."""
    person = PersonFactory(last_name="Qwertyuiop", first_name="Test", phone="0699887766")
    FollowUpFactory(person=person, structure=structure, housing=True, lead=True)
    FollowUpFactory(person=person, structure=other_structure, employment=True)
    EventFactory(person=person, structure=structure, text="Note privée des Tilleuls n°1")
    EventFactory(person=person, structure=other_structure, text="Note privée des Jardins n°2")
    return person


@pytest.fixture
def manager_of_other(other_structure):
    return MembershipFactory(structure=other_structure, manager=True).user
