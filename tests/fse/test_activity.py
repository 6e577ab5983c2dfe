"""The report's "activity of the coordination action" (fse.md §10.6): set-wise counts of the other apps."""

import datetime as dt
from zoneinfo import ZoneInfo

from alerts.enums import AlertStatus, DismissReason, Resolution
from alerts.models import Alert
from evaluations.enums import EvaluationStatus
from evaluations.models import Evaluation
from fse import activity
from partenaires.models import PartnerAction
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.fse.factories import OperationFactory
from tests.parcours.factories import PersonFactory, ReferralFactory
from tests.partenaires.factories import PartnerActionFactory

PARIS = ZoneInfo("Europe/Paris")
START, END = dt.date(2025, 4, 1), dt.date(2025, 6, 30)


def at(year, month, day, hour=12, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


# Just inside and just outside the period, in local time (the UTC date differs from the local one).
FIRST_MINUTE, LAST_MINUTE = at(2025, 4, 1, 0, 30), at(2025, 6, 30, 23, 30)
BEFORE, AFTER = at(2025, 3, 31, 23, 30), at(2025, 7, 1, 0, 30)


def finalised(person, version: int, when: dt.datetime) -> Evaluation:
    """A finalised version of `person`'s evaluation, finalised at `when` (in one write: finalised is immutable)."""
    evaluation = EvaluationFactory(person=person, complete=True)
    Evaluation.objects.filter(person=person, is_current=True).update(is_current=False)
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=EvaluationStatus.FINAL,
        version_no=version,
        is_current=True,
        finalised_at=when,
        finalised_by=evaluation.author,
    )
    return evaluation


def alert(*, created: dt.datetime, closed: dt.datetime | None = None, status=AlertStatus.OPEN, due=None) -> None:
    row = AlertFactory(due_on=due)
    fields = {"created_at": created, "status": status, "closed_at": closed}
    if status == AlertStatus.RESOLVED:
        fields["resolution"] = Resolution.MANUAL
    if status == AlertStatus.DISMISSED:
        fields["dismiss_reason"] = DismissReason.ALREADY_HANDLED
    Alert.objects.filter(pk=row.pk).update(**fields)


def activity_data() -> None:
    """Hand-built activity of the period 1 April – 30 June 2025, with rows on both sides of its bounds.

    Evaluations finalised in the period: 3 (2 first versions, 1 new version). Referrals sent: 3, 2 accepted.
    Alerts raised: 5; resolved: 3, 2 of them before their due date. Partner actions announced: 2.
    """
    returning = PersonFactory()
    finalised(returning, 1, BEFORE)  # before the period: not counted
    finalised(returning, 2, LAST_MINUTE)
    finalised(PersonFactory(), 1, FIRST_MINUTE)
    finalised(PersonFactory(), 1, at(2025, 5, 15))
    finalised(PersonFactory(), 1, AFTER)  # after the period: not counted
    EvaluationFactory(complete=True)  # a draft: never counted

    ReferralFactory(accepted=True, sent_at=FIRST_MINUTE, answered_at=at(2025, 4, 2))
    ReferralFactory(accepted=True, sent_at=at(2025, 5, 2), answered_at=at(2025, 5, 3))
    ReferralFactory(sent_at=LAST_MINUTE)
    ReferralFactory(accepted=True, sent_at=BEFORE, answered_at=at(2025, 4, 3))  # sent before: not counted

    # Raised in the period, resolved the day before the due date: resolved, in time.
    alert(created=FIRST_MINUTE, status=AlertStatus.RESOLVED, closed=at(2025, 4, 20), due=dt.date(2025, 4, 21))
    # Raised in the period, resolved on the due date itself: resolved, not before the due date.
    alert(created=at(2025, 5, 1), status=AlertStatus.RESOLVED, closed=at(2025, 5, 10), due=dt.date(2025, 5, 10))
    # Raised before the period, resolved in it before the due date: resolved in time, not raised in the period.
    alert(created=BEFORE, status=AlertStatus.RESOLVED, closed=LAST_MINUTE, due=dt.date(2025, 7, 15))
    alert(created=at(2025, 6, 1))  # raised, still open
    alert(created=LAST_MINUTE, status=AlertStatus.DISMISSED, closed=LAST_MINUTE)  # raised, dismissed
    # Raised in the period, resolved after it: raised only.
    alert(created=at(2025, 6, 2), status=AlertStatus.RESOLVED, closed=AFTER, due=dt.date(2025, 8, 1))
    alert(created=AFTER)  # after the period

    for when in (FIRST_MINUTE, LAST_MINUTE, BEFORE, AFTER):
        action = PartnerActionFactory()
        PartnerAction.objects.filter(pk=action.pk).update(created_at=when)


def test_activity_counts_the_period_set_wise(db, django_assert_num_queries):
    activity_data()
    operation = OperationFactory()
    with django_assert_num_queries(5):  # one aggregate per section, whatever the volume
        sections = {section.title: section for section in activity.summary(operation, START, END)}
    assert dict(sections["Évaluations"].lines) == {
        "Évaluations finalisées": 3,
        "dont premières évaluations": 2,
        "dont nouvelles versions": 1,
    }
    referrals = dict(sections["Orientations"].lines)
    assert referrals["Orientations envoyées"] == 3
    assert referrals["Acceptée"] == 2
    assert dict(sections["Alertes de rupture"].lines) == {
        "Alertes levées": 5,
        "Alertes résolues": 3,
        "dont résolues avant l'échéance": 2,
    }
    assert dict(sections["Actions annoncées par les partenaires"].lines) == {"Actions annoncées": 2}
    conferences = sections["Commissions de concertation"]  # figures in tests/concertation/test_figures.py
    assert conferences.available
    assert dict(conferences.lines)["Séances tenues"] == 0


def test_an_empty_period_counts_zero(db):
    activity_data()
    sections = activity.summary(OperationFactory(), dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    assert all(value == 0 for section in sections for _label, value in section.lines)
    assert [section.available for section in sections] == [True, True, True, True, True]
