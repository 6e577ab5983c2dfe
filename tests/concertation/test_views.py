"""Pages for every role of the cast: 200 / 403 / 404 / 405, bad input, and constant query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import CaseConferenceProposal
from concertation.enums import TaskStatus
from concertation.models import Commission, Decision
from tests.concertation.factories import CaseReviewFactory, DecisionFactory
from tests.parcours.factories import ConsentFactory, FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"concertation:{name}", args=args)


class TestCommissions:
    def test_list_by_role(self, client, commission, coordinator, worker, outsider, funder, user_without_membership):
        stranger_commission = Commission.objects.create(name="Autre commission", kind="OTHER")
        client.force_login(coordinator)
        assert set(client.get(url("commission_list")).context["commissions"]) == {commission, stranger_commission}
        for member in (worker, outsider):
            client.force_login(member)
            assert client.get(url("commission_list")).context["commissions"] == [commission]
            assert client.get(url("commission_detail", stranger_commission.pk)).status_code == 404
        for user in (funder, user_without_membership):
            client.force_login(user)
            assert client.get(url("commission_list")).status_code == 403
            assert client.get(url("commission_detail", commission.pk)).status_code == 404

    def test_a_coordinator_creates_a_commission_with_members(self, client, coordinator, structure, other_structure):
        client.force_login(coordinator)
        response = client.post(
            url("commission_create"),
            {"name": "Commission insertion-logement", "kind": "HOUSING_INSERTION", "territory": "Nord",
             "members": [structure.pk], "invited": [other_structure.pk], "coordinators": [coordinator.pk]},
        )  # fmt: skip
        commission = Commission.objects.get(name="Commission insertion-logement")
        assert response.status_code == 302
        assert dict(commission.members.values_list("structure_id", "role")) == {
            structure.pk: "MEMBER",
            other_structure.pk: "INVITED",
        }

    def test_a_structure_both_member_and_invited_is_refused(self, client, coordinator, structure):
        client.force_login(coordinator)
        response = client.post(
            url("commission_create"),
            {"name": "X", "kind": "OTHER", "members": [structure.pk], "invited": [structure.pk]},
        )
        assert response.status_code == 400
        assert "à la fois membre permanent et invitée" in response.content.decode()
        assert not Commission.objects.exists()

    def test_workers_cannot_create_or_edit(self, client, worker, commission):
        client.force_login(worker)
        assert client.get(url("commission_create")).status_code == 403
        assert client.get(url("commission_edit", commission.pk)).status_code == 403
        assert client.post(url("session_create", commission.pk), {}).status_code == 403

    def test_session_planning_needs_a_place_or_a_link(self, client, coordinator, commission):
        client.force_login(coordinator)
        response = client.post(url("session_create", commission.pk), {"starts_at": "2030-01-15T14:00"})
        assert response.status_code == 400
        assert "Indiquez un lieu ou un lien" in response.content.decode()
        response = client.post(
            url("session_create", commission.pk), {"starts_at": "2030-01-15T14:00", "place": "Salle 2"}
        )
        assert response.status_code == 302
        assert commission.sessions.count() == 1


class TestSessionPage:
    def test_roles(self, client, planned, coordinator, worker, outsider, funder):
        for user in (coordinator, worker, outsider):
            client.force_login(user)
            assert client.get(url("session_detail", planned.pk)).status_code == 200
        client.force_login(funder)
        assert client.get(url("session_detail", planned.pk)).status_code == 404
        assert client.get(url("session_minutes_pdf", planned.pk)).status_code == 404

    def test_actions_are_the_coordinators_and_post_only(self, client, planned, coordinator, worker):
        client.force_login(worker)
        assert client.post(url("session_action", planned.pk, "tenir")).status_code == 403
        client.force_login(coordinator)
        assert client.get(url("session_action", planned.pk, "tenir")).status_code == 405
        assert client.post(url("session_action", planned.pk, "inconnue")).status_code == 404
        response = client.post(url("session_action", planned.pk, "tenir"), follow=True)
        assert "La séance est marquée comme tenue" in response.content.decode()

    def test_publishing_with_an_undecided_case_shows_a_message(self, client, held, coordinator):
        CaseReviewFactory(session=held)
        client.force_login(coordinator)
        response = client.post(url("session_publish", held.pk), follow=True)
        assert "au moins une décision" in response.content.decode()
        held.refresh_from_db()
        assert held.status == "HELD"

    def test_open_decisions_of_earlier_sessions_come_first(self, client, held, planned, coordinator, person):
        earlier = CaseReviewFactory(session=held, person=person)
        DecisionFactory(case=earlier, task=True, text="Immersion à suivre.")
        client.force_login(coordinator)
        body = client.get(url("session_detail", planned.pk)).content.decode()
        assert body.index("Immersion à suivre.") < body.index("Ordre du jour")
        client.post(url("follow_up_schedule", planned.pk, earlier.pk))
        assert planned.cases.get().previous == earlier

    def test_query_count_is_constant(self, client, planned, held, coordinator, django_assert_num_queries):
        def add(n):
            for _ in range(n):
                person = PersonFactory()
                ConsentFactory(person=person, case_conference=True)
                CaseReviewFactory(session=planned, person=person, nominative=True)
                DecisionFactory(case=CaseReviewFactory(session=held, person=person), task=True)

        add(1)
        client.force_login(coordinator)
        client.get(url("session_detail", planned.pk))
        with django_assert_num_queries(15) as one:
            # session, user, memberships, scope; the session with its commission, the cases, the open decisions
            # of earlier sessions, the minutes; navigation badges and the page frame
            client.get(url("session_detail", planned.pk))
        add(20)
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url("session_detail", planned.pk))


class TestProposalPages:
    def test_a_follower_proposes_from_the_file(self, client, worker, person):
        client.force_login(worker)
        assert client.get(url("proposal_create", person.pk)).status_code == 200
        response = client.post(
            url("proposal_create", person.pk), {"presentation": "Faits.", "question": "Que faire ?"}
        )
        assert response.status_code == 302
        assert CaseConferenceProposal.objects.get().question == "Que faire ?"

    def test_404_for_people_the_user_cannot_see_and_403_for_readers(
        self, client, outsider, coordinator, funder, person, coordination_consent
    ):
        for user in (outsider, funder):
            client.force_login(user)
            assert client.get(url("proposal_create", person.pk)).status_code == 404
        client.force_login(coordinator)  # sees the file (COORDINATION consent) but does not follow the person
        assert client.get(url("proposal_create", person.pk)).status_code == 403

    def test_a_missing_question_is_a_form_error(self, client, worker, person):
        client.force_login(worker)
        response = client.post(url("proposal_create", person.pk), {"presentation": "Faits.", "question": ""})
        assert response.status_code == 400
        assert not CaseConferenceProposal.objects.exists()

    def test_coordinators_accept_onto_a_planned_session(self, client, coordinator, worker, person, planned):
        client.force_login(worker)
        client.post(url("proposal_create", person.pk), {"presentation": "Faits.", "question": "Que faire ?"})
        proposal = CaseConferenceProposal.objects.get()
        client.force_login(coordinator)
        assert client.get(url("proposal_list")).status_code == 200
        response = client.post(
            url("proposal_accept", proposal.pk), {"session": planned.pk, "mode": "ANONYMOUS"}, follow=True
        )
        assert response.status_code == 200
        assert planned.cases.get().mode == "ANONYMOUS"
        client.force_login(worker)
        assert client.post(url("proposal_accept", proposal.pk), {"session": planned.pk}).status_code == 403
        body = client.get(url("proposal_list")).content.decode()
        assert "Inscrite à l&#x27;ordre du jour" in body or "Inscrite à l'ordre du jour" in body

    def test_proposal_list_query_count_is_constant(self, client, coordinator, planned, django_assert_num_queries):
        def add(n):
            for _ in range(n):
                person = PersonFactory()
                CaseConferenceProposal.objects.create(person=person, source="FILE", question="?")

        add(1)
        client.force_login(coordinator)
        client.get(url("proposal_list"))
        with django_assert_num_queries(13) as one:
            client.get(url("proposal_list"))
        add(15)
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url("proposal_list"))


class TestCaseAndTasks:
    def test_a_coordinator_records_a_decision_and_bad_input_is_shown(self, client, coordinator, held, other_structure):
        case = CaseReviewFactory(session=held)
        client.force_login(coordinator)
        past = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
        response = client.post(
            url("decision_create", case.pk),
            {"kind": "PARTNER_ACTION", "text": "Immersion.", "owner_structure": other_structure.pk, "due_on": past},
        )
        assert response.status_code == 400
        assert "L&#x27;échéance ne peut pas précéder la séance." in response.content.decode()
        future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        response = client.post(
            url("decision_create", case.pk),
            {"kind": "PARTNER_ACTION", "text": "Immersion.", "owner_structure": other_structure.pk, "due_on": future},
        )
        assert response.status_code == 302
        assert Decision.objects.get().owner_structure == other_structure

    def test_the_owner_structure_sees_its_tasks_and_marks_them(self, client, outsider, held, other_structure):
        task = DecisionFactory(case=CaseReviewFactory(session=held), task=True, owner_structure=other_structure)
        client.force_login(outsider)
        response = client.get(url("task_list"))
        assert [row["task"] for row in response.context["rows"]] == [task]
        assert 'class="badge' in client.get(reverse("home")).content.decode()
        response = client.post(url("task_update", task.pk), {"status": "NOT_POSSIBLE", "reason": ""}, follow=True)
        assert "Indiquez pourquoi ce n" in response.content.decode()
        client.post(url("task_update", task.pk), {"status": "DONE"})
        task.refresh_from_db()
        assert task.status == TaskStatus.DONE

    def test_other_structures_get_404_on_a_task(self, client, worker, held, other_structure):
        task = DecisionFactory(case=CaseReviewFactory(session=held), task=True, owner_structure=other_structure)
        client.force_login(worker)
        assert client.post(url("task_update", task.pk), {"status": "DONE"}).status_code == 404
        assert client.get(url("task_update", task.pk)).status_code == 405

    def test_tasks_show_on_the_file_for_those_who_see_it(self, client, worker, held, person, structure):
        ConsentFactory(person=person, case_conference=True)
        case = CaseReviewFactory(session=held, person=person, nominative=True)
        DecisionFactory(case=case, task=True, owner_structure=structure, text="Demande FSL.")
        client.force_login(worker)
        assert "Demande FSL." in client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()

    def test_task_list_query_count_is_constant(
        self, client, outsider, held, other_structure, django_assert_num_queries
    ):
        def add(n):
            for _ in range(n):
                person = PersonFactory()
                FollowUpFactory(person=person, structure=other_structure)
                case = CaseReviewFactory(session=held, person=person, nominative=True)
                DecisionFactory(case=case, task=True, owner_structure=other_structure)

        add(1)
        client.force_login(outsider)
        client.get(url("task_list"))
        with django_assert_num_queries(12) as one:
            client.get(url("task_list"))
        add(20)
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url("task_list"))

    def test_case_page_query_count_is_constant(
        self, client, worker, held, person, structure, django_assert_num_queries
    ):
        ConsentFactory(person=person, case_conference=True)
        case = CaseReviewFactory(session=held, person=person, nominative=True)
        DecisionFactory(case=case, task=True, owner_structure=structure)
        client.force_login(worker)
        client.get(url("case_detail", case.pk))
        with django_assert_num_queries(24) as one:
            client.get(url("case_detail", case.pk))
        for _ in range(10):
            DecisionFactory(case=case, task=True, owner_structure=structure)
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url("case_detail", case.pk))
