"""The timeline: a window fitted to the person's history, years under the chart, today not red."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours import timeline
from parcours.models import HousingSituation
from tests.parcours.factories import HousingSituationFactory

TODAY = dt.date(2026, 11, 29)


def Period(started_on):  # noqa: N802 - an unsaved housing period
    return HousingSituation(started_on=started_on, residential_status="CHRS")


def test_a_new_person_gets_no_empty_two_year_chart():
    assert timeline.build(housing=[], employment=[], events=[], today=TODAY)["empty"] is True


def test_the_window_starts_a_month_before_the_first_fact_within_six_months_and_two_years():
    recent = timeline.build(housing=[Period(TODAY - dt.timedelta(days=40))], employment=[], events=[], today=TODAY)
    assert recent["start"] == TODAY - dt.timedelta(days=180)
    year = timeline.build(housing=[Period(TODAY - dt.timedelta(days=400))], employment=[], events=[], today=TODAY)
    assert year["start"] == TODAY - dt.timedelta(days=430)
    old = timeline.build(housing=[Period(dt.date(2015, 1, 1))], employment=[], events=[], today=TODAY)
    assert old["start"] == TODAY - dt.timedelta(days=730)


@pytest.mark.django_db
def test_years_are_spread_under_the_chart_and_lanes_have_their_own_gutter(client, worker, person):
    HousingSituationFactory(person=person, started_on=timezone.localdate() - dt.timedelta(days=600))
    client.force_login(worker)
    text = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    labels = [
        int(part.split('"')[0])
        for part in text.split('class="timeline-year-label" text-anchor="middle"')[:-1]
        for part in [part.rsplit('<text x="', 1)[1]]
    ]
    assert labels
    assert all(120 <= x <= 1000 for x in labels)
    assert len(set(labels)) == len(labels)
    assert '<svg x="120" y="0" width="880"' in text  # the grid starts right of the lane names
    assert '<span class="me-3">' not in text  # no more bunched year list
