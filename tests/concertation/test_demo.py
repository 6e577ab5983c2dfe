"""seed_demo: the demo commission as issue 12 describes it, idempotent, with its figures."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from alerts.models import CaseConferenceProposal
from concertation import figures
from concertation.enums import MemberRole, SessionStatus, TaskStatus
from concertation.models import CaseReview, Commission, Decision, Minutes, Session

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Commission, Session, CaseReview, Decision, Minutes, CaseConferenceProposal)]


def test_the_demo_commission(django_capture_on_commit_callbacks):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")  # idempotent
    assert counts() == first
    commission = Commission.objects.get(name="Commission parcours complexes")
    roles = sorted(commission.members.values_list("role", flat=True))
    assert roles == [MemberRole.INVITED, MemberRole.MEMBER, MemberRole.MEMBER, MemberRole.MEMBER]
    held = commission.sessions.get(status=SessionStatus.PUBLISHED)
    planned = commission.sessions.get(status=SessionStatus.PLANNED)
    held_cases = list(held.cases.with_nominative())
    assert len(held_cases) >= 4
    assert sum(not c.is_nominative for c in held_cases) >= 1
    statuses = set(Decision.objects.filter(case__session=held).values_list("status", flat=True))
    assert statuses == {TaskStatus.TODO, TaskStatus.DONE, TaskStatus.NOT_POSSIBLE}
    assert Decision.objects.filter(case__session=held, status=TaskStatus.TODO, due_on__lt=timezone.localdate())
    minutes = Minutes.objects.get(session=held)
    assert minutes.file.read().startswith(b"%PDF")
    assert len(minutes.checksum) == 64
    planned_cases = list(planned.cases.with_nominative().select_related("proposal"))
    assert len(planned_cases) >= 3
    assert any(c.proposal.alert_id and c.proposal.alert.rule == "COMPLEX_CASE" for c in planned_cases)
    assert any(not c.is_nominative for c in planned_cases)
    returning = [c for c in planned_cases if c.previous_id]
    assert returning
    assert returning[0].previous.decisions.filter(status=TaskStatus.TODO).exists()

    today = timezone.localdate()
    demo = figures.compute(today - dt.timedelta(days=365), today, [commission.pk])[commission.pk]
    assert (demo.sessions_held, demo.cases, demo.first_time, demo.follow_up) == (1, 4, 4, 0)
    assert (demo.decisions, demo.on_time, demo.late, demo.not_possible, demo.open) == (7, 2, 2, 1, 2)
    assert demo.median_days == 13.5
