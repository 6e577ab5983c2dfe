"""Figures per commission and period (item 6), for the FSE report and the coordinator's home card."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import CaseConferenceProposal
from concertation import figures
from concertation.enums import SessionStatus, TaskStatus
from concertation.models import Session
from fse import activity
from tests.concertation.factories import CaseReviewFactory, CommissionFactory, DecisionFactory, SessionFactory
from tests.fse.factories import OperationFactory
from tests.parcours.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)
START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


def at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def held(commission, day):
    return SessionFactory(commission=commission, starts_at=at(day), status=SessionStatus.HELD, held_at=at(day, 17))


def case(session, person, proposed_days_before=None):
    proposal = None
    if proposed_days_before is not None:
        proposal = CaseConferenceProposal.objects.create(
            person=person, source="FILE", question="?", status="ACCEPTED", handled_at=session.starts_at
        )
        CaseConferenceProposal.objects.filter(pk=proposal.pk).update(
            proposed_at=session.starts_at - dt.timedelta(days=proposed_days_before)
        )
    return CaseReviewFactory(session=session, person=person, proposal=proposal)


@pytest.fixture
def data():
    """Commission A: a session before the period (one case), two held in it, one planned (not counted).
    Commission B: one held session in the period."""
    a, b = CommissionFactory(name="A"), CommissionFactory(name="B")
    p1, p2, p3 = PersonFactory(), PersonFactory(), PersonFactory()
    case(held(a, dt.date(2025, 3, 10)), p1)  # before the period: p1's later case is a follow-up
    s1, s2 = held(a, dt.date(2025, 4, 8)), held(a, dt.date(2025, 6, 10))
    SessionFactory(commission=a, starts_at=at(dt.date(2025, 6, 20)))  # planned: not held, not counted
    c1, c2 = case(s1, p1, proposed_days_before=10), case(s1, p2, proposed_days_before=20)
    c3 = case(s2, p2, proposed_days_before=5)  # p2 again: follow-up
    d = dt.timedelta
    DecisionFactory(
        case=c1, task=True, due_on=dt.date(2025, 5, 1), status=TaskStatus.DONE, done_on=dt.date(2025, 4, 30)
    )
    DecisionFactory(
        case=c1, task=True, due_on=dt.date(2025, 5, 1), status=TaskStatus.DONE, done_on=dt.date(2025, 5, 2)
    )
    DecisionFactory(case=c2, task=True, due_on=dt.date(2025, 6, 1))  # still to do, past due: late
    DecisionFactory(case=c2, status=TaskStatus.NOT_POSSIBLE, status_reason="Refus.")
    DecisionFactory(case=c3, task=True, due_on=TODAY + d(10))  # open
    DecisionFactory(case=c3)  # no due date: open
    case(held(b, dt.date(2025, 5, 5)), p3, proposed_days_before=30)
    return a, b


def test_figures_per_commission_and_total_in_one_query(data, django_assert_num_queries):
    a, b = data
    with django_assert_num_queries(1):
        result = figures.compute(START, END, today=TODAY)
    fa, fb, total = result[a.pk], result[b.pk], result[None]
    assert (fa.sessions_held, fa.cases, fa.first_time, fa.follow_up) == (2, 3, 1, 2)
    assert (fa.decisions, fa.on_time, fa.late, fa.not_possible, fa.open) == (6, 1, 2, 1, 2)
    assert fa.median_days == 10.0
    assert (fb.sessions_held, fb.cases, fb.first_time, fb.median_days) == (1, 1, 1, 30.0)
    assert (total.sessions_held, total.cases, total.decisions) == (3, 4, 6)
    assert total.median_days == 15.0  # 5, 10, 20, 30
    only_b = figures.compute(START, END, [b.pk], today=TODAY)
    assert a.pk not in only_b
    assert only_b[None].cases == 1


def test_an_empty_period_counts_zero(data):
    total = figures.compute(dt.date(2020, 1, 1), dt.date(2020, 12, 31))[None]
    assert (total.sessions_held, total.cases, total.decisions, total.median_days) == (0, 0, 0, None)


def test_the_fse_activity_section_prints_the_figures(data):
    sections = {s.title: s for s in activity.summary(OperationFactory(), START, END)}
    conferences = sections["Commissions de concertation"]
    assert conferences.available
    lines = dict(conferences.lines)
    assert lines["Séances tenues"] == 3
    assert lines["Situations examinées"] == 4
    assert lines["dont suivi"] == 2
    assert lines["Décisions prises"] == 6
    assert lines["Délai médian de la proposition au passage (jours)"] == 15


def test_the_coordinator_home_card_shows_each_commission(client, coordinator, commission, held):
    CaseConferenceProposal.objects.create(person=PersonFactory(), source="FILE", question="?")
    DecisionFactory(case=CaseReviewFactory(session=held))
    Session.objects.filter(pk=held.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
    client.force_login(coordinator)
    body = client.get(reverse("home")).content.decode()
    assert "Concertations" in body
    assert commission.name in body
    assert "1 proposition en attente" in body
    assert "Les situations complexes proposées en commission" not in body
