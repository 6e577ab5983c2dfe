"""The cohort view for coordinators and structure managers."""

import pytest
from django.urls import reverse

from tests.accounts.factories import MembershipFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import ConsentFactory, HousingSituationFactory, PersonFactory

URL = reverse("evaluations:cohort")


def close_person_in_hotel(structure, **kwargs):
    person = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=person, hotel=True)
    EvaluationFactory(person=person, structure=structure, complete=True, final=True, **kwargs)
    return person


def test_manager_sees_counts_and_the_close_people_without_stable_housing(client, manager, structure, other_structure):
    hotel = close_person_in_hotel(structure, barriers={"MOBILITY": ["NO_LICENCE"], "HEALTH": ["HEALTH_CONSTRAINT"]})
    in_chrs = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=in_chrs)  # CHRS: not in the key population
    EvaluationFactory(person=in_chrs, structure=structure, complete=True, final=True)
    far = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=far, street=True)
    EvaluationFactory(person=far, structure=structure, complete=True, final=True, distance_level="FAR")
    elsewhere = close_person_in_hotel(other_structure)  # not visible to the manager
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 personnes avec une évaluation finalisée" in text
    people = [row["person"] for row in response.context["people"]]
    assert people == [hotel]
    assert elsewhere.last_name not in text or elsewhere.last_name == hotel.last_name
    rows = dict(response.context["theme_rows"])
    assert rows["Mobilité"] == 1
    assert "Santé" not in rows
    assert dict(response.context["distance_rows"])["Proche"] == 2


def test_coordinator_sees_people_with_coordination_consent_only(client, coordinator, structure):
    consented = close_person_in_hotel(structure)
    ConsentFactory(person=consented, coordination=True)
    close_person_in_hotel(structure)
    client.force_login(coordinator)
    response = client.get(URL)
    assert [row["person"] for row in response.context["people"]] == [consented]


@pytest.mark.parametrize("user_fixture", ["worker", "funder", "outsider"])
def test_other_roles_get_403(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 405


def test_navigation_entry_for_coordinators_and_managers(client, manager, worker):
    client.force_login(manager)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(worker)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_constant_queries(client, manager, structure, django_assert_num_queries, rows):
    for _ in range(rows):
        close_person_in_hotel(structure, barriers={"FAMILY": ["CARER"]})
    client.force_login(manager)
    # session, user, request savepoint and pghistory context, the scope (role and access), JIT off, the counts
    # and the page (one statement), its evaluations and people, header memberships, savepoint release,
    # session save, the alerts and concertation tasks badges of the navigation: the same with 1 and 50 rows.
    with django_assert_num_queries(14):
        response = client.get(URL)
    assert len(response.context["people"]) == rows


def test_manager_of_two_structures(client, structure, other_structure):
    user = MembershipFactory(structure=structure, manager=True).user
    MembershipFactory(structure=other_structure, manager=True, user=user)
    close_person_in_hotel(structure)
    close_person_in_hotel(other_structure)
    client.force_login(user)
    assert len(client.get(URL).context["people"]) == 2


def test_pages_and_bad_page_numbers(client, manager, structure):
    for _ in range(51):
        close_person_in_hotel(structure)
    client.force_login(manager)
    assert len(client.get(URL).context["people"]) == 50
    second = client.get(URL + "?page=2")
    assert len(second.context["people"]) == 1
    assert "Page 2 sur 2" in second.content.decode()
    for bad in ("abc", "-3", "999"):
        assert client.get(URL + f"?page={bad}").status_code == 200


def test_manager_who_sees_nobody(client, manager):
    response = client.get(URL) if not client.force_login(manager) else None
    assert response.status_code == 200
    assert response.context["total"] == 0


def test_manager_counts_the_people_of_their_structure_not_every_consented_partner(
    client, manager, structure, other_structure
):
    mine = close_person_in_hotel(structure)
    shared = close_person_in_hotel(other_structure)
    ConsentFactory(person=shared, partners=True)  # the manager may read this file (R3), but it is not theirs
    client.force_login(manager)
    response = client.get(URL)
    assert "1 personne avec une évaluation finalisée" in response.content.decode()
    assert [row["person"] for row in response.context["people"]] == [mine]
