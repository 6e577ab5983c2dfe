"""The materialised summary (observatoire/summary.py): after a refresh it equals the live, independent
computation (aggregates.monthly_activity, itself checked against the rows) and a count in Python; a real
Celery worker rebuilds it; the dashboards read it; beat schedules it."""

import dataclasses
import datetime as dt
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alerts.enums import AlertStatus
from alerts.models import Alert
from evaluations.models import Evaluation
from observatoire import aggregates, summary
from observatoire.filters import Filters
from observatoire.models import StructureMonth, SummaryRefresh, TerritoryMonth
from parcours.enums import ReferralStatus
from parcours.models import FollowUp
from partenaires.enums import SECTOR_BY_KIND
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.observatoire.conftest import END, PARIS, at, referral
from tests.parcours.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db
PERIOD = Filters(dt.date(2025, 12, 1), END)


@pytest.fixture
def activity(referrals, chrs, aci, pension):
    """Follow-ups across months (one person followed by two structures of Villeneuve at once, one ending on
    a month's last day, one the next day), alerts raised and resolved (in time or late), evaluations."""
    both = PersonFactory()
    FollowUpFactory(person=both, structure=chrs, started_on=dt.date(2025, 11, 20))
    FollowUpFactory(
        person=both,
        structure=aci,
        started_on=dt.date(2026, 1, 10),
        ended_on=dt.date(2026, 3, 1),
        end_reason="COMPLETED",
    )
    FollowUpFactory(
        structure=chrs, started_on=dt.date(2026, 1, 31), ended_on=dt.date(2026, 2, 28), end_reason="COMPLETED"
    )
    FollowUpFactory(
        structure=pension, started_on=dt.date(2026, 2, 1), ended_on=dt.date(2026, 3, 1), end_reason="COMPLETED"
    )
    FollowUpFactory(structure=pension, started_on=dt.date(2026, 3, 31))
    FollowUpFactory(structure=aci, started_on=dt.date(2026, 4, 2))  # after the period
    in_time = AlertFactory(structure=chrs, due_on=dt.date(2026, 3, 10))
    late = AlertFactory(structure=aci, due_on=dt.date(2026, 2, 1))
    AlertFactory(structure=None)  # no structure: the whole territory only
    Alert.objects.filter(pk=in_time.pk).update(
        created_at=at(dt.date(2026, 2, 27)), status=AlertStatus.RESOLVED, closed_at=at(dt.date(2026, 3, 10), 23, 30)
    )
    Alert.objects.filter(pk=late.pk).update(
        created_at=at(dt.date(2026, 1, 31), 23, 30), status=AlertStatus.RESOLVED, closed_at=at(dt.date(2026, 2, 2))
    )
    Alert.objects.exclude(pk__in=[in_time.pk, late.pk]).update(created_at=at(dt.date(2026, 3, 3)))
    for structure, finalised in ((chrs, at(dt.date(2026, 2, 14))), (pension, at(dt.date(2026, 3, 1), 0, 30))):
        evaluation = EvaluationFactory(structure=structure, complete=True)  # a draft, finalised at that time
        Evaluation.objects.filter(pk=evaluation.pk).update(
            status="FINAL", version_no=1, is_current=True, finalised_at=finalised, finalised_by=evaluation.author
        )
    # A referral answered the next month: its delay belongs to the month it was sent.
    referral(PersonFactory(), aci, chrs, at(dt.date(2026, 1, 30)), ReferralStatus.ACCEPTED, 5.0)


def _variants(chrs, aci, pension):
    return [
        PERIOD,
        Filters(PERIOD.start, PERIOD.end, territory="Villeneuve"),
        Filters(PERIOD.start, PERIOD.end, territory="Montcourt"),
        Filters(PERIOD.start, PERIOD.end, sector="EMPLOYMENT"),
        Filters(PERIOD.start, PERIOD.end, sector="HOUSING"),
        Filters(PERIOD.start, PERIOD.end, territory="Villeneuve", sector="HOUSING"),
        Filters(PERIOD.start, PERIOD.end, structure_id=chrs.pk),
        Filters(PERIOD.start, PERIOD.end, limit_to=tuple(sorted((chrs.pk, aci.pk)))),
        Filters(PERIOD.start, PERIOD.end, territory="Villeneuve", limit_to=(chrs.pk,)),
        Filters(dt.date(2026, 2, 10), dt.date(2026, 2, 20)),
    ]


def _without_refresh_date(rows):
    return [{k: v for k, v in row.items() if k != "refreshed_at"} for row in rows]


def test_after_a_refresh_the_summary_equals_the_live_computation(activity, chrs, aci, pension):
    summary.refresh()
    for filters in _variants(chrs, aci, pension):
        live = aggregates.monthly_activity(filters)
        assert _without_refresh_date(aggregates.monthly_activity_summary(filters)) == live, filters
    rows = {r["month"]: r for r in aggregates.monthly_activity_summary(PERIOD)}
    assert rows[dt.date(2026, 3, 1)]["sent"] == 11  # the fixture's 10 March referrals + the one at 23:50
    assert rows[dt.date(2026, 2, 1)]["alerts_raised"] == 1
    assert rows[dt.date(2026, 1, 1)]["alerts_raised"] == 1  # 23:30 on 31 January, Paris time
    assert rows[dt.date(2026, 3, 1)]["alerts_resolved_in_time"] == 1
    assert rows[dt.date(2026, 2, 1)]["alerts_resolved_in_time"] == 0  # closed after its due date
    assert rows[dt.date(2026, 2, 1)]["evaluations_finalised"] == 1
    assert rows[dt.date(2026, 3, 1)]["refreshed_at"] == SummaryRefresh.objects.get().refreshed_at


def test_the_caseload_counts_each_person_once_as_a_count_in_python(activity, chrs, aci, pension):
    summary.refresh()
    kinds = {s.pk: s for s in (chrs, aci, pension)}

    def expected(month, keep):
        last = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return len(
            {
                f.person_id
                for f in FollowUp.objects.all()
                if keep(kinds[f.structure_id]) and f.started_on <= last and (f.ended_on is None or f.ended_on > last)
            }
        )

    for filters, keep in [
        (PERIOD, lambda s: True),
        (Filters(PERIOD.start, PERIOD.end, territory="Villeneuve"), lambda s: s.commune == "Villeneuve"),
        (Filters(PERIOD.start, PERIOD.end, sector="HOUSING"), lambda s: SECTOR_BY_KIND[s.kind] == "HOUSING"),
    ]:
        rows = aggregates.monthly_activity_summary(filters)
        assert [r["caseload"] for r in rows] == [expected(r["month"], keep) for r in rows]
    # End of February in Villeneuve: the person followed by both the CHRS and the ACI counts once; the
    # follow-up ended on 28 February no longer counts.
    villeneuve = aggregates.monthly_activity_summary(Filters(PERIOD.start, PERIOD.end, territory="Villeneuve"))
    assert {r["month"]: r["caseload"] for r in villeneuve}[dt.date(2026, 2, 1)] == 1


def test_the_summary_is_rebuilt_not_appended_and_follows_the_data(activity, chrs, aci):
    summary.refresh()
    count = StructureMonth.objects.count(), TerritoryMonth.objects.count()
    summary.refresh()
    assert (StructureMonth.objects.count(), TerritoryMonth.objects.count()) == count
    referral(PersonFactory(), chrs, aci, at(dt.date(2026, 3, 5)))
    before = {r["month"]: r["sent"] for r in aggregates.monthly_activity_summary(PERIOD)}
    summary.refresh()
    after = {r["month"]: r["sent"] for r in aggregates.monthly_activity_summary(PERIOD)}
    assert after[dt.date(2026, 3, 1)] == before[dt.date(2026, 3, 1)] + 1
    # Months are covered up to FUTURE_MONTHS ahead: an open follow-up is still open then.
    assert SummaryRefresh.objects.get().last_month == summary.last_month()


def test_before_any_refresh_the_dashboard_says_so_and_answers(client, coordinator, activity):
    client.force_login(coordinator)
    params = {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    page = client.get(reverse("observatoire:dashboard"), params).content.decode()
    assert "pas encore été calculée" in page
    summary.refresh()
    page = client.get(reverse("observatoire:dashboard"), params).content.decode()
    assert "Chiffres de la synthèse mise à jour le" in page
    assert "<td>11</td>" in page  # March: referrals sent, from the summary


def test_beat_schedules_the_refresh():
    entry = settings.CELERY_BEAT_SCHEDULE["observatoire-refresh-summary"]
    assert entry["task"] == "observatoire.tasks.refresh_summary"
    assert settings.CELERY_TASK_ROUTES["observatoire.tasks.*"] == {"queue": "reports"}


@pytest.mark.celery_worker
def test_a_real_worker_refreshes_the_summary(celery_worker, activity, chrs, aci, pension):
    from observatoire.tasks import refresh_summary

    result = refresh_summary.apply_async(queue="reports")
    deadline = time.monotonic() + 60
    while not result.ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert result.successful(), result.result
    assert SummaryRefresh.objects.get().duration_ms == result.result["duration_ms"]
    for filters in _variants(chrs, aci, pension):
        assert _without_refresh_date(aggregates.monthly_activity_summary(filters)) == aggregates.monthly_activity(
            filters
        )


def test_local_month_boundaries(chrs, aci):
    """A referral sent at 00:30 on 1 March in Paris (23:30 UTC on 28 February) belongs to March."""
    referral(PersonFactory(), chrs, aci, dt.datetime(2026, 3, 1, 0, 30, tzinfo=PARIS))
    summary.refresh()
    rows = {r["month"]: r["sent"] for r in aggregates.monthly_activity_summary(PERIOD)}
    assert rows[dt.date(2026, 2, 1)] == 0
    assert rows[dt.date(2026, 3, 1)] == 1
    assert timezone.now() > SummaryRefresh.objects.get().refreshed_at - dt.timedelta(minutes=1)


@pytest.fixture
def unmet(chrs, aci, pension):
    """Current evaluations with active barriers (one addressed by the plan), drafts and older versions, people
    close to employment in the street, at the hotel or hosted for different times, one far from employment."""
    from tests.parcours.factories import HousingSituationFactory, ObjectiveFactory

    today = timezone.localdate()
    for structure, barriers, housing, days_ago, distance in (
        (chrs, {"MOBILITY": [], "DIGITAL": []}, {"street": True}, 200, "CLOSE"),
        (chrs, {"MOBILITY": []}, {"hotel": True}, 30, "CLOSE"),
        (chrs, {"FAMILY": []}, {"hotel": True}, 100, "CLOSE"),
        (aci, {"HOUSING": []}, {"street": True}, 400, "CLOSE"),
        (pension, {"HOUSING": [], "MOBILITY": []}, {"street": True}, 10, "FAR"),
        (pension, {}, {"hotel": True}, 45, "CLOSE"),
    ):
        person = PersonFactory()
        HousingSituationFactory(person=person, started_on=today - dt.timedelta(days=days_ago), **housing)
        EvaluationFactory(
            person=person, structure=structure, complete=True, final=True, barriers=barriers, distance_level=distance
        )
        if structure == aci:
            ObjectiveFactory(person=person, theme="HOUSING", barrier_theme="HOUSING", created_by_structure=aci)
    EvaluationFactory(structure=pension, complete=True, barriers={"FAMILY": []})  # a draft: not counted


def test_unmet_needs_from_the_summary_equal_the_live_figures(unmet, chrs, aci, pension):
    summary.refresh()
    today = timezone.localdate()
    for filters in _variants(chrs, aci, pension):
        current = dataclasses.replace(filters, end=today)
        assert aggregates.active_barriers_summary(current) == aggregates.active_barriers(current), current
        assert aggregates.close_to_employment_summary(current) == aggregates.close_to_employment_unstably_housed(
            current
        ), current
    everyone = Filters(PERIOD.start, today)
    assert sum(r["count"] for r in aggregates.active_barriers_summary(everyone)) == 7
    assert sum(r["addressed"] for r in aggregates.active_barriers_summary(everyone)) == 1
    assert sum(r["count"] for r in aggregates.close_to_employment_summary(everyone)) == 5


def test_unmet_needs_are_counted_live_for_a_past_period_or_a_stale_summary(unmet, chrs, aci, pension):
    from observatoire.models import StructureBarriers

    summary.refresh()
    StructureBarriers.objects.update(count=999)  # what the summary would say: not read below
    past = Filters(PERIOD.start, timezone.localdate() - dt.timedelta(days=1))
    assert 999 not in [r["count"] for r in aggregates.active_barriers_summary(past)]
    assert 999 in [r["count"] for r in aggregates.active_barriers_summary(Filters(PERIOD.start, timezone.localdate()))]
    SummaryRefresh.objects.update(refreshed_at=timezone.now() - dt.timedelta(days=1))
    assert aggregates.close_to_employment_summary(Filters(PERIOD.start, timezone.localdate())) == (
        aggregates.close_to_employment_unstably_housed(Filters(PERIOD.start, timezone.localdate()))
    )


def test_who_knows_whom_from_the_summary_equals_the_live_pairs(chrs, aci, pension):
    from partenaires.enums import RegistrationStatus
    from partenaires.models import EventRegistration
    from tests.parcours.factories import ReferralFactory
    from tests.partenaires.factories import PartnerActionFactory, StructureFactory

    today = timezone.localdate()
    other = StructureFactory(name="FJT Synthèse", kind="FJT", commune="Villeneuve", is_member=True)
    StructureFactory(kind="FJT", commune="Montcourt", is_member=True)
    event = PartnerActionFactory(structure=chrs, kind="PARTNER_MEETING", starts_on=today - dt.timedelta(days=20))
    for structure, status in ((chrs, "ATTENDED"), (aci, "ATTENDED"), (other, "ABSENT")):
        EventRegistration.objects.create(action=event, structure=structure, status=RegistrationStatus(status))
    ReferralFactory(from_structure=pension, to_structure=other, sent_at=timezone.now() - dt.timedelta(days=3))
    ReferralFactory(from_structure=aci, to_structure=pension, sent_at=timezone.now() - dt.timedelta(days=400))
    summary.refresh()
    for filters in _variants(chrs, aci, pension):
        for figure in (aggregates.known_pairs, aggregates.never_met_pairs):
            assert figure(filters) == figure(filters, live=True), (figure, filters)
    assert aggregates.known_pairs(PERIOD)[0] == 2
    assert aggregates.never_met_pairs(PERIOD)[0] == 3
    from observatoire.models import KnownPair

    KnownPair.objects.all().delete()  # what the page reads today: the summary, not the referrals
    assert aggregates.known_pairs(PERIOD)[0] == 0
    assert aggregates.known_pairs(PERIOD, live=True)[0] == 2
