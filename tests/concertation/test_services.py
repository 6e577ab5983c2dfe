"""Services: proposals closed and proposers told, bad input refused with nothing changed, tasks."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from alerts.enums import ProposalStatus
from alerts.models import CaseConferenceProposal
from concertation import services
from concertation.enums import PresentationMode, SessionStatus, TaskStatus
from concertation.models import CaseReview, Decision, Minutes, Session
from tests.concertation.factories import CaseReviewFactory, DecisionFactory, SessionFactory
from tests.parcours.factories import PersonFactory
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(person, worker):
    return services.proposal_create(person_id=person.pk, by=worker, presentation="Faits.", question="Que faire ?")


class TestProposals:
    def test_a_follower_proposes_from_the_file(self, proposal, structure):
        assert proposal.status == ProposalStatus.PENDING
        assert proposal.structure == structure
        assert proposal.source == "FILE"

    def test_a_person_the_user_cannot_see_is_404(self, outsider, person):
        with pytest.raises(Http404):
            services.proposal_create(person_id=person.pk, by=outsider, presentation="", question="?")

    def test_one_pending_proposal_per_person(self, proposal, person, worker):
        with pytest.raises(ValidationError):
            services.proposal_create(person_id=person.pk, by=worker, presentation="", question="Encore ?")
        assert CaseConferenceProposal.objects.count() == 1

    def test_accepting_closes_the_proposal_and_tells_the_proposer_without_names(
        self, proposal, planned, coordinator, worker, person, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            case = services.proposal_accept(proposal_id=proposal.pk, session_id=planned.pk, by=coordinator)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ACCEPTED
        assert proposal.handled_by == coordinator
        assert case.person == person
        assert case.question == "Que faire ?"
        assert case.initials == "É. D."
        assert [m.to for m in mail.outbox] == [[worker.email]]
        assert person.last_name not in mail.outbox[0].body
        assert person.first_name not in mail.outbox[0].body

    def test_declining_needs_a_reason_and_tells_the_proposer(
        self, proposal, coordinator, worker, django_capture_on_commit_callbacks
    ):
        with pytest.raises(ValidationError):
            services.proposal_decline(proposal_id=proposal.pk, by=coordinator, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            services.proposal_decline(proposal_id=proposal.pk, by=coordinator, reason="Relève de la CCAPEX.")
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.DECLINED
        assert proposal.handled_at
        assert len(mail.outbox) == 1

    def test_accepting_onto_a_held_session_changes_nothing(self, proposal, held, coordinator):
        with pytest.raises(ValidationError, match="ordre du jour de cette séance est clos"):
            services.proposal_accept(proposal_id=proposal.pk, session_id=held.pk, by=coordinator)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.PENDING
        assert not CaseReview.objects.exists()

    def test_only_coordinators_accept(self, proposal, planned, worker):
        with pytest.raises(PermissionDenied):
            services.proposal_accept(proposal_id=proposal.pk, session_id=planned.pk, by=worker)

    def test_a_returning_case_keeps_its_previous_case(self, held, planned, coordinator, person):
        Session.objects.filter(pk=planned.pk).update(starts_at=timezone.now() + dt.timedelta(days=30))
        first = CaseReviewFactory(session=held, person=person, nominative=True)
        DecisionFactory(case=first, task=True)
        again = services.follow_up_schedule(case_id=first.pk, session_id=planned.pk, by=coordinator)
        assert again.previous == first
        assert again.mode == PresentationMode.NOMINATIVE
        assert again.proposal.source == "FOLLOW_UP"
        assert again.proposal.status == ProposalStatus.ACCEPTED


class TestDecisions:
    def test_a_decision_owned_by_a_member_with_a_due_date_is_a_task(self, held, coordinator, other_structure):
        case = CaseReviewFactory(session=held)
        decision = services.decision_record(
            case_id=case.pk, by=coordinator, kind="PARTNER_ACTION", text="Immersion.",
            owner_structure=other_structure, due_on=timezone.localdate() + dt.timedelta(days=10),
        )  # fmt: skip
        assert decision.is_task
        assert decision.status == TaskStatus.TODO

    def test_an_owner_outside_the_commission_is_refused(self, held, coordinator):
        case = CaseReviewFactory(session=held)
        with pytest.raises(ValidationError) as error:
            services.decision_record(
                case_id=case.pk, by=coordinator, kind="PARTNER_ACTION", text="Immersion.",
                owner_structure=StructureFactory(), due_on=timezone.localdate() + dt.timedelta(days=10),
            )  # fmt: skip
        assert "owner_structure" in error.value.error_dict
        assert not Decision.objects.exists()

    def test_a_due_date_before_the_session_is_refused(self, held, coordinator, structure):
        case = CaseReviewFactory(session=held)
        with pytest.raises(ValidationError) as error:
            services.decision_record(
                case_id=case.pk, by=coordinator, kind="ORIENTATION", text="Orientation.",
                owner_structure=structure, due_on=timezone.localdate() - dt.timedelta(days=30),
            )  # fmt: skip
        assert "due_on" in error.value.error_dict
        assert not Decision.objects.exists()

    def test_decisions_wait_for_the_session_to_be_held(self, planned, coordinator):
        case = CaseReviewFactory(session=planned)
        with pytest.raises(ValidationError):
            services.decision_record(case_id=case.pk, by=coordinator, kind="ORIENTATION", text="Orientation.")

    def test_not_possible_needs_a_reason_and_only_the_owner_changes_it(self, held, structure, worker, outsider):
        decision = DecisionFactory(case=CaseReviewFactory(session=held), task=True, owner_structure=structure)
        with pytest.raises(ValidationError):
            services.task_set_status(decision_id=decision.pk, by=worker, status=TaskStatus.NOT_POSSIBLE)
        with pytest.raises(Http404):
            services.task_set_status(decision_id=decision.pk, by=outsider, status=TaskStatus.DONE)
        services.task_set_status(decision_id=decision.pk, by=worker, status=TaskStatus.NOT_POSSIBLE, reason="Refus.")
        decision.refresh_from_db()
        assert decision.status == TaskStatus.NOT_POSSIBLE
        assert decision.status_reason == "Refus."
        services.task_set_status(decision_id=decision.pk, by=worker, status=TaskStatus.DONE)
        decision.refresh_from_db()
        assert decision.done_on == timezone.localdate()
        assert decision.status_reason == ""


class TestPublishing:
    def test_a_case_without_decision_blocks_the_minutes(self, held, coordinator):
        DecisionFactory(case=CaseReviewFactory(session=held))
        CaseReviewFactory(session=held)
        with pytest.raises(ValidationError, match="au moins une décision"):
            services.minutes_publish(session_id=held.pk, by=coordinator)
        held.refresh_from_db()
        assert held.status == SessionStatus.HELD
        assert not Minutes.objects.exists()

    def test_a_planned_session_has_no_minutes(self, planned, coordinator):
        with pytest.raises(ValidationError):
            services.minutes_publish(session_id=planned.pk, by=coordinator)

    def test_publishing_twice_gives_one_set_of_minutes(self, held, coordinator):
        DecisionFactory(case=CaseReviewFactory(session=held))
        first, created = services.minutes_publish(session_id=held.pk, by=coordinator)
        again, created_again = services.minutes_publish(session_id=held.pk, by=coordinator)
        assert created
        assert not created_again
        assert first == again
        assert Minutes.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_publishing_at_the_same_time_make_one_set_of_minutes(coordinator, structure):
    from tests.accounts.factories import MembershipFactory
    from tests.concertation.factories import CommissionFactory

    second = MembershipFactory(coordinator=True).user
    session = SessionFactory(commission=CommissionFactory(), held=True)
    DecisionFactory(case=CaseReviewFactory(session=session, person=PersonFactory()))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def publish(user):
        try:
            barrier.wait()
            results.append(services.minutes_publish(session_id=session.pk, by=user)[1])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(u,)) for u in (coordinator, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False, True]
    assert Minutes.objects.filter(session=session).count() == 1
