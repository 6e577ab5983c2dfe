"""R4 and R5 through the concertation app: nominative cases, anonymous cases, invited structures."""

import pytest
from django.urls import reverse

from concertation.models import CaseReview
from parcours.models import Person
from tests.accounts.factories import MembershipFactory
from tests.concertation.factories import CaseReviewFactory
from tests.parcours.factories import ConsentFactory, PersonFactory

pytestmark = pytest.mark.django_db

NAME = "Durand"  # the `person` fixture's last name


def case_url(case):
    return reverse("concertation:case_detail", args=[case.pk])


def session_url(session):
    return reverse("concertation:session_detail", args=[session.pk])


class TestR4NominativeCase:
    def test_a_nominative_case_with_case_conference_consent_opens_the_file_to_coordinators(
        self, client, coordinator, person, planned
    ):
        CaseReviewFactory(session=planned, person=person, nominative=True)
        assert not Person.objects.visible_to(coordinator).filter(pk=person.pk).exists()
        ConsentFactory(person=person, case_conference=True)
        assert Person.objects.visible_to(coordinator).filter(pk=person.pk).exists()
        client.force_login(coordinator)
        response = client.get(reverse("parcours:person_detail", args=[person.pk]))
        assert response.status_code == 200
        assert response.context["access"].level == "SHARED"
        assert not response.context["access"].can_write

    def test_an_anonymous_case_opens_nothing(self, client, coordinator, person, planned):
        ConsentFactory(person=person, case_conference=True)
        CaseReviewFactory(session=planned, person=person)  # asked anonymous
        assert not Person.objects.visible_to(coordinator).filter(pk=person.pk).exists()
        client.force_login(coordinator)
        assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404

    def test_withdrawing_the_consent_turns_the_case_anonymous_at_once(self, client, coordinator, person, planned):
        case = CaseReviewFactory(session=planned, person=person, nominative=True, initials="É. D.")
        ConsentFactory(person=person, case_conference=True)
        client.force_login(coordinator)
        assert NAME.upper() in client.get(case_url(case)).content.decode()
        assert NAME.upper() in client.get(session_url(planned)).content.decode()
        ConsentFactory(person=person, case_conference=True, withdrawn=True)
        for url in (case_url(case), session_url(planned)):
            body = client.get(url).content.decode()
            assert NAME.upper() not in body
            assert NAME not in body
            assert "É. D." in body
        assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404
        assert not CaseReview.objects.with_nominative().get(pk=case.pk).is_nominative

    def test_a_coordination_consent_also_makes_it_nominative(self, coordinator, person, planned):
        case = CaseReviewFactory(session=planned, person=person, nominative=True)
        ConsentFactory(person=person, coordination=True)
        assert CaseReview.objects.with_nominative().get(pk=case.pk).is_nominative


class TestR5InvitedStructures:
    def test_an_invited_structure_sees_the_presentation_and_the_name_not_the_file(
        self, client, outsider, person, planned
    ):
        ConsentFactory(person=person, case_conference=True)
        case = CaseReviewFactory(session=planned, person=person, nominative=True, presentation="Texte du référent.")
        client.force_login(outsider)
        body = client.get(case_url(case)).content.decode()
        assert "Texte du référent." in body
        assert NAME.upper() in body
        assert reverse("parcours:person_detail", args=[person.pk]) not in body
        assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404

    def test_an_anonymous_case_never_shows_the_name(self, client, outsider, worker, coordinator, person, planned):
        case = CaseReviewFactory(session=planned, person=person, initials="É. D.")
        for user in (outsider, worker, coordinator):
            client.force_login(user)
            for url in (case_url(case), session_url(planned)):
                body = client.get(url).content.decode()
                leaked = [name for name in (NAME, NAME.upper(), "Élise") if name in body]
                assert leaked == [], (user, url)
                assert "É. D." in body

    def test_people_outside_the_commission_get_404(self, client, funder, person, planned):
        case = CaseReviewFactory(session=planned, person=person)
        stranger = MembershipFactory(social_worker=True).user
        for user in (funder, stranger):
            client.force_login(user)
            assert client.get(case_url(case)).status_code == 404
            assert client.get(session_url(planned)).status_code == 404

    def test_the_follower_outside_the_commission_sees_its_case_through_the_file(self, client, person, planned):
        from tests.parcours.factories import FollowUpFactory

        follower_structure = FollowUpFactory(person=person).structure
        follower = MembershipFactory(structure=follower_structure, social_worker=True).user
        case = CaseReviewFactory(session=planned, person=person)
        client.force_login(follower)
        assert client.get(case_url(case)).status_code == 200
        assert client.get(session_url(planned)).status_code == 404  # the session is the commission's


def test_visible_q_stays_one_query_for_a_coordinator(coordinator, django_assert_num_queries, planned):
    for _ in range(3):
        person = PersonFactory()
        ConsentFactory(person=person, case_conference=True)
        CaseReviewFactory(session=planned, person=person, nominative=True)
    coordinator._scope = None
    list(Person.objects.visible_to(coordinator))  # warm the scope
    with django_assert_num_queries(1):
        assert len(list(Person.objects.visible_to(coordinator))) == 3
