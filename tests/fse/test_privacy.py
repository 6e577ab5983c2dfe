"""Issue 11 findings in the FSE area: the ◆ disability answer, exports, imports and statistical disclosure."""

import pytest
from django.urls import reverse

from fse.enums import Answer
from tests.accounts.factories import MembershipFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db


# --- the disability answer is a ◆ item -------------------------------------------------------------------
@pytest.fixture
def delivered(db):
    """An operation delivered by a structure that follows its participant for employment only."""
    carrier = StructureFactory(name="France Travail (test)", kind="FRANCE_TRAVAIL")
    person = PersonFactory(last_name="Durand")
    FollowUpFactory(person=person, structure=carrier, employment=True)
    operation = OperationFactory(carrier=carrier)
    participant = ParticipantFactory(operation=operation, person=person, disability=Answer.YES)
    return carrier, person, participant


def _detail(participant):
    return reverse("fse:participant_detail", args=[participant.operation_id, participant.pk])


def test_an_employment_only_follower_does_not_see_the_disability_answer(client, delivered):
    carrier, _person, participant = delivered
    client.force_login(MembershipFactory(structure=carrier, counsellor=True).user)
    response = client.get(_detail(participant))
    assert response.status_code == 200
    body = response.content.decode()
    assert participant.number in body
    assert "Handicap" not in body


def test_a_follower_with_health_access_sees_the_disability_answer(client, delivered):
    carrier, person, participant = delivered
    FollowUpFactory(person=person, structure=carrier, social=True)
    client.force_login(MembershipFactory(structure=carrier, counsellor=True).user)
    body = client.get(_detail(participant)).content.decode()
    assert "Handicap" in body


def test_the_coordinator_who_collects_it_sees_the_disability_answer(client, delivered, coordinator):
    _carrier, _person, participant = delivered
    client.force_login(coordinator)
    assert "Handicap" in client.get(_detail(participant)).content.decode()
